"""The period a claim speaks of: the sentence's own ("in 2023", "between mid-2023 and mid-2025", "since its 2019
peak", "this year"), else the heading's year, else the article's. An article judged on what it could see: "this
year" in an article of March 2024 is January to March 2024, not the whole year."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

_PART_OF_YEAR = {"early": (1, 4), "mid": (6, 7), "late": (9, 12), "the end of": (10, 12), "end of": (10, 12),
                 "the start of": (1, 3), "the beginning of": (1, 3), "spring": (3, 5), "summer": (6, 8),
                 "autumn": (9, 11), "fall": (9, 11), "h1": (1, 6), "h2": (7, 12), "q1": (1, 3), "q2": (4, 6),
                 "q3": (7, 9), "q4": (10, 12)}  # fmt: skip
_PART = r"(?:(?P<{0}>" + "|".join(sorted(_PART_OF_YEAR, key=len, reverse=True)) + r")[- ](?:of )?)?"
_RANGE = re.compile(r"\b(?:from|between) " + _PART.format("part_a") + r"(?P<a>(?:19|20)\d\d) (?:to|and|until|through|"
                    r"-) " + _PART.format("part_b") + r"(?P<b>(?:19|20)\d\d)\b")  # fmt: skip
_DASHED = re.compile(r"\b(?P<a>(?:19|20)\d\d) ?[-–] ?(?P<b>(?:19|20)\d\d)\b")
# "since 2020", "since its 2019 peak", "since early 2021", "from 2019 onwards"
_OPEN = re.compile(r"\bsince (?:its |their |the )?" + _PART.format("part") + r"(?P<a>(?:19|20)\d\d)\b|"
                   r"\bfrom (?P<b>(?:19|20)\d\d) (?:on(?:wards?)?|forward)\b")  # fmt: skip
_IN_PART = re.compile(r"\b(?P<part>" + "|".join(sorted(_PART_OF_YEAR, key=len, reverse=True)) + r")[- ](?:of )?"
                      r"(?P<a>(?:19|20)\d\d)\b")  # "in mid-2024", "by the end of 2023"
_THIS_YEAR = re.compile(r"\b(this year|so far this year|year to date|ytd|in recent months|this month|a month|"
                        r"per month|monthly|a week|per week|weekly|a day|per day|daily)\b")  # fmt: skip


@dataclass
class Context:
    """What the reader knows at a line: the article's date, the heading's year and topic, the table's columns."""

    article_year: int | None = None
    article_month: int | None = None
    heading_year: int | None = None
    topic: str | None = None
    columns: list[str] = field(default_factory=list)  # the projects of the current table's columns
    table_row: int = 0


Period = tuple[tuple[str, str], str]  # ((start, end), where it came from)


def period_of_year(year: int | None, context: Context) -> Period:
    """A year the sentence names, else the heading's, else the article's (up to its month: what it could see)."""
    if year:
        return _year(year), "sentence"
    if context.heading_year:
        return _year(context.heading_year), "heading"
    if context.article_year:
        return _up_to_article(context), _article_basis(context)
    return ("", ""), "none"


def period(lower: str, years: list[int], context: Context) -> Period:
    """The claimed period of a sentence: a range, an open period, "last year", "this year", a part of a year, a
    year, else the heading's or the article's."""
    span = _RANGE.search(lower) or _DASHED.search(lower)
    if span:
        first, last = int(span.group("a")), int(span.group("b"))
        if first <= last:
            start = _start(first, span.groupdict().get("part_a"))
            end = _end(last, span.groupdict().get("part_b"))
            return (start, end), "sentence"
    opened = _OPEN.search(lower)
    if opened:
        first = int(opened.group("a") or opened.group("b"))
        start = _start(first, opened.groupdict().get("part"))
        if context.article_year and context.article_year >= first:
            return (start, _up_to_article(context)[1]), "sentence, up to the article's date"
        return (start, f"{context.heading_year or first}-12-31"), "sentence"
    reference = context.heading_year or context.article_year
    if "last year" in lower and reference:
        return _year(reference - 1), "the year before the article's"
    if _THIS_YEAR.search(lower) and not years and not context.heading_year and context.article_year:
        return _up_to_article(context), _article_basis(context)
    part = _IN_PART.search(lower)
    if part:
        year = int(part.group("a"))
        return (_start(year, part.group("part")), _end(year, part.group("part"))), "sentence"
    return period_of_year(years[-1] if years else None, context)


def _year(year: int) -> tuple[str, str]:
    return f"{year}-01-01", f"{year}-12-31"


def _start(year: int, part: str | None) -> str:
    month = _PART_OF_YEAR[part][0] if part else 1
    return f"{year}-{month:02d}-01"


def _end(year: int, part: str | None) -> str:
    return _month_end(year, _PART_OF_YEAR[part][1] if part else 12)


def _month_end(year: int, month: int) -> str:
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _up_to_article(context: Context) -> tuple[str, str]:
    """The article's year up to its month: a claim cannot speak of months the article had not seen."""
    year = context.article_year
    return f"{year}-01-01", _month_end(year, context.article_month or 12)


def _article_basis(context: Context) -> str:
    if context.article_month and context.article_month < 12:
        return (f"article's date: {context.article_year} up to {calendar.month_name[context.article_month]}, "
                "the months it could see")  # fmt: skip
    return "article's date"
