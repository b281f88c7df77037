"""An article as lines, sentences and clauses: plain text from Markdown or HTML, headings, date lines, table cells."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser

from collectors.claims.extraction.numbers import YEAR, first_number

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")  # fmt: skip
MONTH_ABBR = {name[:3]: index for index, name in enumerate(MONTHS, start=1)}
MONTH_WORD = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december|"
                        r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?", re.I)  # fmt: skip
BULLET = re.compile(r"^\s*(?:[-*•●▪◦]|\d+[.)])\s+")
DATE_LINE = re.compile(
    r"(?:\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[.,]?\s+(?:\d{1,2},?\s+)?|"
    r"\b(?:published|updated|posted|written|last modified)\b[^\n\d]{0,20}(?:\d{1,2}\s+\w+\s+)?|"
    r"\(\s*)(?P<year>20[0-4]\d)\b(?:\s+edition)?",
    re.I,
)
_ABBREVIATIONS = re.compile(r"\b(vs|e\.g|i\.e|etc|approx|inc|ltd|dr|mr|ms|no|fig|al|ca|jan|feb|mar|apr|jun|jul|aug|"
                            r"sep|sept|oct|nov|dec)\.$", re.I)  # fmt: skip
# Where one sentence holds two claims: "released in 2016, and by 2023 it had 65,000 stars"; "; " between two.
_CLAUSE_BREAK = re.compile(r";\s+|,?\s+(?:and|while|whereas|but)\s+(?=(?:it|its|by|in|it's|they|\w+ (?:has|had|"
                           r"have|was|is|were|are|reached|hit|passed|crossed))\b)", re.I)  # fmt: skip


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML page, a line per block, table cells joined with ' | '."""

    BLOCKS: frozenset[str] = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "table",
         "ul", "ol", "time", "blockquote", "pre", "figcaption"}
    )  # fmt: skip
    SKIP: frozenset[str] = frozenset({"script", "style", "noscript", "svg", "nav", "footer"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def is_html(content: str, name: str = "") -> bool:
    """An HTML page, by its name or by its first tag."""
    return name.lower().endswith((".html", ".htm")) or bool(
        re.match(r"\s*(<!doctype html|<html|<body|<article|<div|<p\b)", content, re.I))


def text_of(content: str, name: str = "") -> str:
    """Plain text of an article given as text, Markdown or HTML (by its name, or by its first tag)."""
    if is_html(content, name):
        parser = _TextOfHtml()
        parser.feed(content)
        lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
        return "\n".join(line.strip(" |") if line.count("|") < 2 else line for line in lines if line.strip(" |"))
    text = re.sub(r"\*\*|__|`", "", content)  # Markdown emphasis and code marks
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)  # Markdown links: their text
    return html.unescape(text)


def split_sentences(line: str) -> list[str]:
    """Sentences of a line: a stop followed by a space and a word (project names may be lower case: "aiohttp
    still has ..."), not after "vs.", "e.g." or a decimal."""
    sentences, start = [], 0
    for match in re.finditer(r"[.!?](?=\s+[\"'“(]?[A-Za-z0-9])|[.!?]$|(?<=[a-z0-9)])\.(?=[A-Z][a-z])", line):
        head = line[start : match.end()]
        if _ABBREVIATIONS.search(head.strip()):
            continue
        sentences.append(head.strip())
        start = match.end()
    tail = line[start:].strip()
    return [s for s in [*sentences, tail] if s]


def paragraphs(lines: Sequence[str]) -> list[tuple[int, str]]:
    """(index of its first line, text) of each line, with a paragraph wrapped over several lines (Markdown, plain
    text at 80 or 120 columns) joined into one: a claim may run across the break. A line that ends a sentence, a
    heading, a short line (a title, a byline), a table row (pipes, or columns of spaces) and a bullet stay lines
    of their own."""
    joined: list[tuple[int, str]] = []
    last_index = -2
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        previous = joined[-1][1] if joined else ""
        if (last_index == index - 1 and len(lines[last_index].strip()) > 60 and not previous.startswith("#")
                and not re.search(r"[.!?:;]$", previous)
                and not line.startswith("#") and not BULLET.match(raw) and not _tabular(previous)
                and not _tabular(line) and not is_heading(line, "(text follows)")
                and (not BULLET.match(lines[joined[-1][0]]) or raw[:1].isspace())):  # a bullet goes on indented
            joined[-1] = (joined[-1][0], f"{previous} {line}")
        else:
            joined.append((index, line))
        last_index = index
    return joined


def _tabular(line: str) -> bool:
    return "|" in line or bool(re.search(r"\S {3,}\S", line))


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses where it joins two statements ("PyTorch was released in 2016, and by 2023 it had
    65,000 stars"), so that each figure is read with its own year; a sentence of one statement stays whole."""
    parts, start = [], 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        parts.append(sentence[start : match.start()].strip(" ,"))
        start = match.end()
    parts.append(sentence[start:].strip(" ,"))
    return [part for part in parts if part]


def article_date(lines: Sequence[str]) -> tuple[int, int | None] | None:
    """(year, month or None) of the article's date line ("| Dec, 2023", "Published 3 March 2024", "(2025
    Edition)"): a short line, a byline or a title line, never a sentence that happens to name a month ("released in
    September 2016")."""
    for line in lines[:15]:
        match = DATE_LINE.search(line)
        if not match:
            continue
        stated = re.search(r"^\W*by\b|\|\s*by\b|\b(published|updated|posted|written)\b", line, re.I)
        if "edition" in match.group(0).lower() or (
            (len(line) <= 60 or "|" in line or stated) and (match.group("month") or "|" in line or stated)
        ):
            month = MONTH_WORD.search(match.group(0))
            return int(match.group("year")), MONTH_ABBR[month.group(1).lower()[:3]] if month else None
    return None


def is_heading(line: str, following: str | None) -> bool:
    stripped = line.strip()
    if stripped.startswith("#") or re.match(r"(section|part|chapter) \d+\b", stripped, re.I):
        return True
    if BULLET.match(line) or "|" in stripped or len(stripped) > 80 or not following:
        return False
    return not re.search(r"[.!?;,]$", stripped) and stripped[:1].isupper() and len(stripped.split()) <= 9


def latest_heading_year(lines: Sequence[str]) -> int | None:
    """Without a date line, an article is at least as recent as the latest year its headings name."""
    years = [
        heading_year(line)
        for index, line in enumerate(lines)
        if is_heading(line, lines[index + 1] if index + 1 < len(lines) else None) or line.rstrip().endswith(":")
    ]
    return max((year for year in years if year), default=None)  # fmt: skip


def heading_year(line: str) -> int | None:
    years = YEAR.findall(line)
    return int(years[0]) if years else None


def cells(line: str) -> list[str]:
    if "|" in line:
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return line.split()


def row_values(row: list[str], columns: int) -> tuple[str, list[str] | None]:
    """A row's label and one value per project column: pipe cells, or the last words of a spaced row."""
    if len(row) == columns + 1:
        return row[0], row[1:]
    tail = row[-columns:]
    if len(row) > columns and all(first_number(v) or YEAR.fullmatch(v) for v in tail):
        return " ".join(row[:-columns]), tail
    return " ".join(row), None
