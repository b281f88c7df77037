"""The reading order: each line of an article is a table header, a table row, a heading or sentences; each
sentence is read clause by clause where it joins two statements, and each clause by the first rule that fits."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import collectors.claims.extraction.candidate as sure
import collectors.claims.extraction.rules as rules
from collectors.claims.extraction.candidate import Candidate
from collectors.claims.extraction.names import Named, ProjectNames
from collectors.claims.extraction.numbers import YEAR, first_number
from collectors.claims.extraction.periods import Context, period_of_year
from collectors.claims.extraction.rules import Clause
from collectors.claims.extraction.text import (
    BULLET,
    article_date,
    cells,
    clauses,
    heading_year,
    is_heading,
    is_html,
    latest_heading_year,
    paragraphs,
    row_values,
    split_sentences,
    text_of,  # fmt: skip
)
from collectors.config import Project

# Tried in order on each clause; the first that finds its shape gives the clause's candidates.
SENTENCE_RULES: tuple[Callable[[Clause], list[Candidate] | None], ...] = (
    rules.outside_source, rules.uncheckable, rules.overtaking, rules.ratio, rules.shares, rules.growth, rules.levels,
)  # fmt: skip


class Extractor:
    """Rules over one article. The curated projects and any catalogue project (`catalogue`) are found by name."""

    def __init__(self, projects: Iterable[Project], catalogue: Iterable[Named] = ()) -> None:
        self.names = ProjectNames(projects, catalogue)

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(position, project) of each project named, longest name first ("PyTorch Lightning" over "PyTorch")."""
        return [(mention.at, mention.project) for mention in self.names.mentions(text)]

    def extract(self, content: str, name: str = "") -> list[Candidate]:
        lines = text_of(content, name).splitlines()
        dated = article_date(lines)
        context = Context(article_year=dated[0] if dated else latest_heading_year(lines),
                          article_month=dated[1] if dated else None)  # fmt: skip
        candidates: list[Candidate] = []
        read = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()] if is_html(content, name) else (
            paragraphs(lines))  # an HTML block is a paragraph already
        date_line = next((index for index, line in read[:15] if article_date([line])), None)
        for number, (index, line) in enumerate(read):
            following = read[number + 1][1] if number + 1 < len(read) else None
            location = f"line {index + 1}"
            if self._table_header(line, context):
                continue
            if context.columns and self._table_row(line, location, context, candidates):
                continue
            if index == date_line and not self.names.mentions(line):
                continue  # the date line ("Published March 4, 2024") dates the article, not a section
            if is_heading(line, following):
                context.heading_year = heading_year(line) if number else None  # the title's year is the article's
                topic = [m.project for m in self.names.mentions(line)]
                context.topic = topic[0] if len(set(topic)) == 1 else None
                context.columns = []
                continue
            for sentence in split_sentences(BULLET.sub("", line)):
                candidates += self._sentence(sentence, location, context)
        return _deduplicated(candidates)

    # --- sentences ------------------------------------------------------------------------------------

    def _sentence(self, sentence: str, location: str, context: Context) -> list[Candidate]:
        """A sentence's candidates, clause by clause where it joins two statements of different kinds or years
        ("PyTorch was released in 2016, and by 2023 it had 65,000 stars"); a year carries over to a clause that
        names none ("in 2023 PyTorch had 65K and TensorFlow had 170K")."""
        parts = clauses(sentence)
        if len(parts) > 1 and not (any(rules.RELEASE_WORDS.search(p.lower()) for p in parts)
                                   or len({tuple(YEAR.findall(p)) for p in parts}) > 1):  # fmt: skip
            parts = [sentence]
        found, years = [], ()
        for part in parts:
            clause = Clause(part, location, context, self.names, inherited_years=years)
            found += self._clause(clause, context)
            years = tuple(clause.years)
            named = [m.project for m in clause.mentions]
            if len(set(named)) == 1:
                context.topic = named[0]
        return found

    def _clause(self, clause: Clause, context: Context) -> list[Candidate]:
        """A release, and what else the clause says beside it ("HTTPX, first released in 2019, had about 12,000
        stars in 2024"); else the first figure rule that fits."""
        released = rules.release(clause)
        if released:
            rest = rules.beside_release(clause)
            return released + (self._figures(rest, context) if rest else [])
        return self._figures(clause, context)

    def _figures(self, clause: Clause, context: Context) -> list[Candidate]:
        lower = clause.lower
        if not clause.figures and clause.unmeasured:
            clause.figures = [n for n in clause.numbers if not n.is_year]  # "4 weeks to learn", "15 ms per batch"
        moving = any(words.search(lower) for words in (rules.GROWTH_UP, rules.GROWTH_DOWN, rules.OVERTAKE, rules.RATIO))
        if not clause.figures and not moving:
            return []
        untracked = rules.not_tracked(clause)
        if untracked:
            return untracked
        if not clause.subjects and context.topic and clause.figures:
            clause.subjects = [context.topic]
        if not clause.subjects:
            return []
        return next((found for rule in SENTENCE_RULES if (found := rule(clause)) is not None), [])

    # --- tables ---------------------------------------------------------------------------------------

    def _table_header(self, line: str, context: Context) -> bool:
        """A row naming two or more projects after at most a short label ("Metric | TensorFlow | PyTorch",
        "            TensorFlow   PyTorch"): its columns are projects."""
        mentions = self.names.mentions(line)
        projects = list(dict.fromkeys(m.project for m in mentions))
        if len(projects) < 2 or len(projects) != len(mentions):
            return False
        first = mentions[0].at
        label, rest = line[:first].strip(" |"), self.names.without_names(line[first:])
        if rest.strip(" |\t:-") or len(label.split()) > 3:
            return False  # "TensorFlow vs PyTorch", "TensorFlow and PyTorch": prose or a title
        context.columns, context.table_row = projects, 0
        return True

    def _table_row(self, line: str, location: str, context: Context, out: list[Candidate]) -> bool:
        row = cells(line)
        if not row or set("".join(row)) <= set("-:| "):
            return bool(row) or not line
        label, values = row_values(row, len(context.columns))
        if values is None:
            if "|" not in line and len(line.split()) > 12:  # prose: the table has ended
                context.columns = []
                return False
            return True
        context.table_row += 1
        where = f"table row {context.table_row} ({location})"
        statement = f"{label}: " + ", ".join(f"{p} {v}" for p, v in zip(context.columns, values, strict=True))
        lower = label.lower()
        years = [YEAR.fullmatch(v.strip()) for v in values]
        if rules.RELEASE_WORDS.search(lower) and all(years):
            for project, year in zip(context.columns, years, strict=True):
                out.append(rules.release_candidate(statement, where, project, int(year.group(1)), None,
                                                   sure.TABLE_RELEASE))  # fmt: skip
            return True
        found = [first_number(v) for v in values]
        if not all(found):
            return True
        period_year = next((int(y) for v in values for y in YEAR.findall(v)), None)
        (start, end), basis = period_of_year(period_year, context)
        unmeasured = rules.not_adoption(lower + " " + " ".join(values).lower())
        metric = rules.metric_of(lower)
        if unmeasured or metric is None:
            what, reason = unmeasured or rules.UNMEASURED
            out.append(Candidate(statement, where, "uncheckable", list(context.columns), "none", what, start, end,
                                 reason=reason, confidence=sure.UNCHECKABLE, period_basis=basis))  # fmt: skip
            return True
        if all(n.percent for n in found) and len(found) == 2 and abs(sum(n.value for n in found) - 100) <= 2:
            first = max(range(2), key=lambda i: found[i].value)
            subjects = [context.columns[first], context.columns[1 - first]]
            out.append(Candidate(statement, where, "share", subjects, metric[0], metric[1], start, end,
                                 claimed_value=found[first].value, unit="%", confidence=sure.TABLE_SHARE,
                                 period_basis=basis))  # fmt: skip
            return True
        for project, number in zip(context.columns, found, strict=True):
            out.append(Candidate(statement, where, "value", [project], metric[0], metric[1], start, end,
                                 claimed_value=number.value, unit=metric[2] + rules.rate(lower),
                                 confidence=sure.TABLE_VALUE, period_basis=basis))  # fmt: skip
        return True


def _deduplicated(candidates: list[Candidate]) -> list[Candidate]:
    """The same claim said twice (a bullet and a table row) is proposed once, with its best evidence."""
    best: dict[tuple, Candidate] = {}
    for candidate in candidates:
        key = (candidate.kind, tuple(candidate.subjects), candidate.metric, candidate.claimed_value,
               candidate.period_start[:4], candidate.statement if candidate.kind == "uncheckable" else "")  # fmt: skip
        if key not in best or candidate.confidence > best[key].confidence:
            best[key] = candidate
    return list(best.values())
