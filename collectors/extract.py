"""Propose the adoption claims of an article: sentences, bullets and table rows, with their evidence and confidence.

The extractor reads the shapes adoption claims take in articles about frameworks: a release year in a sentence
("PyTorch was released in September 2016", "TensorFlow (2015): Released by ..."), a level with its magnitude
("about 150 thousand GitHub stars", "3.4M downloads per week"), a share of papers, one framework against another,
growth over a period, and table rows whose columns are frameworks ("First released | 2015 | 2016"). A period comes
from the sentence ("in 2023", "from 2019 to 2022", "since 2020", "last year"), else from the heading above it
("Community Metrics (2023)"), else from the article's date line. Figures that are not adoption (benchmark speeds,
memory, learning times, survey percentages) are typed `uncheckable` with the reason. Every candidate is for a
person to review: the evidence span says where it came from and the confidence how sure the rule is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser

from collectors.claims import Article
from collectors.config import Project

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")  # fmt: skip
_MONTH_ABBR = {name[:3]: index for index, name in enumerate(MONTHS, start=1)}
MAGNITUDES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
MULTIPLIERS = {"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "tenfold": 10, "doubled": 2,
               "tripled": 3, "quadrupled": 4, "twice": 2}  # fmt: skip
# What a number measures, by the words around it (first match wins): (source, metric, unit).
METRICS = (
    (r"\bstars\b|\bstargazers\b|\bstar(?:s|red)?\b.{0,40}\bgithub\b", ("github", "stars", "stars")),
    (r"\bforks\b", ("github", "forks", "forks")),
    (r"\bstack ?overflow\b", ("stackoverflow", "questions", "questions")),
    (r"\b(conda|anaconda)\b.{0,30}\b(downloads|installs)\b", ("conda", "downloads", "downloads")),
    (r"\b(downloads|downloaded|installs|pypi|pip installs)\b", ("pypi", "downloads_without_mirrors", "downloads")),
    (r"\b(papers|arxiv|preprints|publications|research mentions|mentions|citations)\b",
     ("arxiv", "papers_mentioning", "papers")),
    (r"\b(search interest|google trends|searches|search volume)\b", ("trends", "interest", "interest")),
)  # fmt: skip
RELEASE_WORDS = re.compile(
    r"\b(released|release[sd]?|launched|launch|introduced|emerged|came out|debuted|open[- ]sourced|unveiled|"
    r"first appeared|born|developed|created|origin)\b"
)
GROWTH_UP = re.compile(
    r"\b(grew|grown|growing|growth|rose|risen|increased|doubled|tripled|quadrupled|\w+fold|surged)\b"
)
GROWTH_DOWN = re.compile(r"\b(fell|fallen|falling|declined|declining|decreased|dropped|shrank|shrinking)\b")
OVERTAKE = re.compile(r"\b(surpassed|overtook|overtaken|outpaced|overtake|surpass)\b")
# Figures that are not adoption: (pattern, what would have to be measured, why no collected series checks it).
NOT_ADOPTION = (
    (re.compile(r"\b(weeks?|days?|hours?|months?) (to|for) (basic|learn|competen|advanced|research)|"
                r"\blearning (curve|time)|\bcompetency\b"), "learning_time", "a learning time, not adoption"),
    (re.compile(r"\b(faster|slower|throughput|latency|images?/s(ec)?|requests?/s(ec)?|per second|speed|benchmarks?|"
                r"memory|efficiency|footprint|flops|ms|gpus?|tpus?|mb|gb)\b"), "performance",
     "a performance figure, not adoption"),
    (re.compile(r"\b(survey|respondents|polled|enterprises|companies|teams|organi[sz]ations|developers say|"
                r"production usage|of developers)\b"), "usage_share",
     "a survey or usage share that no collected source measures"),
    (re.compile(r"\b(pretrained models|models|libraries|contributors|lines of code)\b"), "ecosystem_count",
     "a count that no collected source measures"),
)  # fmt: skip
UNMEASURED = ("unmeasured", "no collected series measures this figure")
_NUMBER = re.compile(
    r"(?<![\w.])(?P<approx>~|about |around |approximately |nearly |almost |over |more than |roughly |some )?"
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:(?P<times>\s*(?:x\b|×|times\b))|\s*(?P<mag>k|m|mn|b|bn|thousand|million|billion)\b\+?|\b\+?)"
    r"(?:\s*(?P<pct>%|percent\b))?",
    re.I,
)
_YEAR = re.compile(r"(?<![\d.,$])(19[89]\d|20[0-4]\d)(?![\d%]|\.\d|,\d| ?(?:k|m|million|thousand|%)\b)", re.I)
_ABBREVIATIONS = re.compile(r"\b(vs|e\.g|i\.e|etc|approx|inc|ltd|dr|mr|ms|no|fig|al|ca|jan|feb|mar|apr|jun|jul|aug|"
                            r"sep|sept|oct|nov|dec)\.$", re.I)  # fmt: skip
_BULLET = re.compile(r"^\s*(?:[-*•●▪◦]|\d+[.)])\s+")
_DATE_LINE = re.compile(
    r"(?:\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[.,]?\s+(?:\d{1,2},?\s+)?|"
    r"\b(?:published|updated|posted|written|last modified)\b[^\n\d]{0,20}(?:\d{1,2}\s+\w+\s+)?|"
    r"\(\s*)(?P<year>20[0-4]\d)\b(?:\s+edition)?",
    re.I,
)


@dataclass
class Candidate:
    """One proposed claim, in the register's terms, with the span it came from."""

    statement: str  # the evidence: the sentence, bullet or table row, as written
    location: str  # "line 12", "table row 3 (line 40)"
    kind: str  # value, share, release_date, growth, comparison, uncheckable
    subjects: list[str]
    source: str
    metric: str
    period_start: str = ""
    period_end: str = ""
    claimed_value: float | None = None
    claimed_month: int | None = None
    unit: str = ""
    direction: str | None = None
    confidence: float = 0.5
    reason: str | None = None  # why it is uncheckable
    period_basis: str = ""  # sentence, heading, article date

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Context:
    """What the reader knows at a line: the article's year, the heading's year and topic, the last subject."""

    article_year: int | None = None
    heading_year: int | None = None
    topic: str | None = None
    columns: list[str] = field(default_factory=list)  # the frameworks of the current table's columns
    table_row: int = 0


# --- reading the text -------------------------------------------------------------------------------------


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


def text_of(content: str, name: str = "") -> str:
    """Plain text of an article given as text, Markdown or HTML (by its name, or by its first tag)."""
    if name.lower().endswith((".html", ".htm")) or re.match(r"\s*(<!doctype html|<html|<body|<article|<div|<p\b)",
                                                             content, re.I):  # fmt: skip
        parser = _TextOfHtml()
        parser.feed(content)
        lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
        return "\n".join(line.strip(" |") if line.count("|") < 2 else line for line in lines if line.strip(" |"))
    text = re.sub(r"\*\*|__|`", "", content)  # Markdown emphasis and code marks
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)  # Markdown links: their text
    return html.unescape(text)


def split_sentences(line: str) -> list[str]:
    """Sentences of a line: a stop followed by a space and a capital, not after "vs.", "e.g." or a decimal."""
    sentences, start = [], 0
    for match in re.finditer(r"[.!?](?=\s+[\"'“(]?[A-Z0-9])|[.!?]$|(?<=[a-z0-9)])\.(?=[A-Z][a-z])", line):
        head = line[start : match.end()]
        if _ABBREVIATIONS.search(head.strip()):
            continue
        sentences.append(head.strip())
        start = match.end()
    tail = line[start:].strip()
    return [s for s in [*sentences, tail] if s]


def article_year(lines: Sequence[str]) -> int | None:
    """The year of the article's date line ("| Dec, 2023", "Published 3 March 2024", "(2025 Edition)"): a short
    line, a byline or a title line, never a sentence that happens to name a month ("released in September 2016")."""
    for line in lines[:15]:
        match = _DATE_LINE.search(line)
        if not match:
            continue
        stated = re.search(r"^\W*by\b|\|\s*by\b|\b(published|updated|posted|written)\b", line, re.I)
        if "edition" in match.group(0).lower() or (
            (len(line) <= 60 or "|" in line or stated) and (match.group("month") or "|" in line or stated)
        ):
            return int(match.group("year"))
    return None


def is_heading(line: str, following: str | None) -> bool:
    stripped = line.strip()
    if stripped.startswith("#") or re.match(r"(section|part|chapter) \d+\b", stripped, re.I):
        return True
    if _BULLET.match(line) or "|" in stripped or len(stripped) > 80 or not following:
        return False
    return not re.search(r"[.!?;,]$", stripped) and stripped[:1].isupper() and len(stripped.split()) <= 9


# --- the rules --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """A catalogue project as the extractor reads it: its id, display name, repository and packages, and whether
    it is prominent enough (stars, downloads) that its plain lower-case name in prose means the project."""

    id: str
    name: str
    github: str
    pypi: tuple[str, ...]
    prominent: bool = False


# Package names that are ordinary English words: in prose they name a project only when written with a capital
# ("Requests has 52k stars", "Flask") or as code (`requests`), never as the word ("requests per second").
_COMMON_WORDS_TEXT = (
    "about access action active agent alembic alive api app apps arrow attrs audio auth awesome base basic behave "
    "black blessed bleach blinker bottle box build cache cached celery charset check click cloud config core dash "
    "data date delta deprecated design dev diff docs dot dynamic easy engine enum environ examples fabric faker "
    "fast fire flake flask flit formats future fuzzy graphene guide html image invoke keyring lark libraries "
    "lightning list lock markdown marshmallow mock models monitor more nose notebook packaging parse paste path "
    "pendulum pillow pip ply poetry portal pretty prompt python queue ray records redis regex requests retry rich "
    "rope routes schedule schema sh shell simple six slim smart solid sphinx spring start tabulate test textual "
    "toml tornado trio typer vine waitress watchdog wheel wrapt zope"
)
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+/-]*[A-Za-z0-9+]|[A-Za-z0-9]")
_CATALOGUE_NGRAM = 3  # names of up to three words ("Hugging Face Transformers")


def catalogue_aliases(project: Named) -> set[str]:
    """The names an article may use for a catalogue project: its display name, id, PyPI names and owner/repo, and
    its repository's own name where that is distinctive (a package, or a hyphen, capital or digit in it)."""
    aliases = {project.id.lower(), *project.pypi}
    if project.github:
        aliases.add(project.github.lower())
    # a repository no package ties to is "github" or "benchmark" as often as not: its plain name only when distinctive
    for name in (project.name, project.github.split("/")[1] if project.github else ""):
        if name and (project.pypi or re.search(r"[-A-Z0-9]", name)):
            aliases.add(name.lower())
    return {alias for alias in aliases if len(alias) >= 3}


class Extractor:
    """Rules over one article; `aliases` maps lower-case names (ids, names, packages) to project ids. The curated
    projects are found as before; any catalogue project (`catalogue`) by its names, word by word (a regular
    expression of 100,000 names would take seconds per article)."""

    def __init__(self, projects: Iterable[Project], catalogue: Iterable[Named] = ()) -> None:
        self.aliases: dict[str, str] = {}
        for project in projects:
            for alias in (project.id, project.name, *project.pypi, project.name.split()[-1]):
                self.aliases.setdefault(alias.lower().replace("-", " "), project.id)
                self.aliases.setdefault(alias.lower(), project.id)
        names = sorted(self.aliases, key=len, reverse=True)
        self._mention = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])", re.I)
        self.catalogue: dict[str, str] = {}  # alias -> project id, the most prominent project first
        self._prominent: set[str] = set()
        self._display: dict[str, str] = {}
        for named in catalogue:
            self._display[named.id] = named.name
            if named.prominent:
                self._prominent.add(named.id)
            for alias in catalogue_aliases(named):
                if alias not in self.aliases:
                    self.catalogue.setdefault(alias, named.id)

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(position, project) of each project named, longest name first ("PyTorch Lightning" over "PyTorch")."""
        found = [(m.start(), m.end(), self.aliases[m.group(1).lower()]) for m in self._mention.finditer(text)]
        found = [(at, end, project) for at, end, project in found if not text[at:].lower().startswith("torch")
                 or text[max(0, at - 3):at].lower() != "py"]  # fmt: skip
        taken = [(at, end) for at, end, _ in found]
        found += [
            (at, end, project)
            for at, end, project in self._catalogue_mentions(text)
            if not any(at < other_end and other_at < end for other_at, other_end in taken)
        ]
        return [(at, project) for at, _, project in sorted(found)]

    def _catalogue_mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Catalogue projects named in the text: the longest run of up to three words that is a project's name."""
        if not self.catalogue:
            return []
        tokens = [(m.start(), m.end(), m.group().rstrip(".").lower()) for m in _TOKEN.finditer(text)]
        found, index = [], 0
        while index < len(tokens):
            for size in range(min(_CATALOGUE_NGRAM, len(tokens) - index), 0, -1):
                words = tokens[index : index + size]
                key = " ".join(word for _, _, word in words)
                project = self.catalogue.get(key)
                if project and self._means_project(text, words[0][0], words[-1][1], key, project):
                    found.append((words[0][0], words[-1][1], project))
                    index += size
                    break
            else:
                index += 1
        return found

    def _means_project(self, text: str, at: int, end: int, key: str, project: str) -> bool:
        """A plain word names a project only when written as the project writes it (DuckDB, pandas or Pandas, not
        "GitHub" for a package "github") and, for an ordinary, short or little-known name, capitalised or as code:
        prose is full of words that are also package names."""
        written, as_code = text[at:end], at > 0 and text[at - 1] in "`'\""
        display = self._display.get(project, key)
        any_casing = display.islower() and project in self._prominent  # "duckdb" is written DuckDB
        casings = {key, key.capitalize()} if display.islower() else {display}
        if key.isalpha() and not as_code and not any_casing and written not in casings:
            return False
        if key in COMMON_WORDS or (" " not in key and "/" not in key and "-" not in key and (
            len(key) <= 3 or (project not in self._prominent and key.isalpha())
        )):
            return written[0].isupper() or as_code
        return True

    def extract(self, content: str, name: str = "") -> list[Candidate]:
        lines = text_of(content, name).splitlines()
        context = _Context(article_year=article_year(lines) or _latest_heading_year(lines))
        candidates: list[Candidate] = []
        for index, raw in enumerate(lines):
            line = raw.strip()
            if not line:
                continue
            following = next((other for other in lines[index + 1 :] if other.strip()), None)
            location = f"line {index + 1}"
            if self._table_header(line, context):
                continue
            if context.columns and self._table_row(line, location, context, candidates):
                continue
            if is_heading(line, following):
                context.heading_year = _heading_year(line)
                topic = [p for _, p in self.mentions(line)]
                context.topic = topic[0] if len(set(topic)) == 1 else None
                context.columns = []
                continue
            for sentence in split_sentences(_BULLET.sub("", line)):
                candidates += self._sentence(sentence, location, context)
                named = [p for _, p in self.mentions(sentence)]
                if len(set(named)) == 1:
                    context.topic = named[0]
        return _deduplicated(candidates)

    # --- tables ---------------------------------------------------------------------------------------

    def _table_header(self, line: str, context: _Context) -> bool:
        """A row naming two or more frameworks after at most a short label ("Metric | TensorFlow | PyTorch",
        "            TensorFlow   PyTorch"): its columns are frameworks."""
        mentions = self.mentions(line)
        projects = list(dict.fromkeys(project for _, project in mentions))
        if len(projects) < 2 or len(projects) != len(mentions):
            return False
        first = mentions[0][0]
        label, names = line[:first].strip(" |"), line[first:]
        rest = self._mention.sub("", names)
        for at, end, _ in reversed(self._catalogue_mentions(rest)):
            rest = rest[:at] + rest[end:]
        if rest.strip(" |\t:-") or len(label.split()) > 3:
            return False  # "TensorFlow vs PyTorch", "TensorFlow and PyTorch": prose or a title
        context.columns, context.table_row = projects, 0
        return True

    def _table_row(self, line: str, location: str, context: _Context, out: list[Candidate]) -> bool:
        cells = _cells(line)
        if not cells or set("".join(cells)) <= set("-:| "):
            return bool(cells) or not line
        label, values = _row_values(cells, len(context.columns))
        if values is None:
            if "|" not in line and len(line.split()) > 12:  # prose: the table has ended
                context.columns = []
                return False
            return True
        context.table_row += 1
        where = f"table row {context.table_row} ({location})"
        statement = f"{label}: " + ", ".join(f"{p} {v}" for p, v in zip(context.columns, values, strict=True))
        lower = label.lower()
        years = [_YEAR.fullmatch(v.strip()) for v in values]
        if RELEASE_WORDS.search(lower) and all(years):
            for project, year in zip(context.columns, years, strict=True):
                out.append(_release(statement, where, project, int(year.group(1)), None, 0.85))
            return True
        numbers = [_first_number(v) for v in values]
        if not all(numbers):
            return True
        period_year = next((int(y) for v in values for y in _YEAR.findall(v)), None)
        period, basis = _period_of_year(period_year, context)
        unmeasured = _not_adoption(lower + " " + " ".join(values).lower())
        metric = _metric_of(lower)
        if unmeasured or metric is None:
            what, reason = unmeasured or UNMEASURED
            out.append(Candidate(statement, where, "uncheckable", list(context.columns), "none", what, *period,
                                 reason=reason, confidence=0.6, period_basis=basis))  # fmt: skip
            return True
        if all(n.percent for n in numbers) and len(numbers) == 2 and abs(sum(n.value for n in numbers) - 100) <= 2:
            first = max(range(2), key=lambda i: numbers[i].value)
            subjects = [context.columns[first], context.columns[1 - first]]
            out.append(Candidate(statement, where, "share", subjects, metric[0], metric[1], *period,
                                 claimed_value=numbers[first].value, unit="%", confidence=0.8,
                                 period_basis=basis))  # fmt: skip
            return True
        for project, number in zip(context.columns, numbers, strict=True):
            out.append(Candidate(statement, where, "value", [project], metric[0], metric[1], *period,
                                 claimed_value=number.value, unit=metric[2] + _rate(lower), confidence=0.75,
                                 period_basis=basis))  # fmt: skip
        return True

    # --- sentences ------------------------------------------------------------------------------------

    def _sentence(self, sentence: str, location: str, context: _Context) -> list[Candidate]:
        lower = sentence.lower()
        mentions = self.mentions(sentence)
        subjects = list(dict.fromkeys(p for _, p in mentions))
        numbers = [n for n in _numbers(sentence) if not self._is_version(sentence, n.start)]
        years = [int(y) for y in _YEAR.findall(sentence)]
        release = self._release(sentence, lower, mentions, years, location, context)
        if release:
            return release
        figures = [n for n in numbers if n.percent or n.magnitude or n.times or (n.value >= 1000 and not n.is_year)]
        unmeasured = _not_adoption(lower)
        if not figures and unmeasured:
            figures = [n for n in numbers if not n.is_year]  # "4 weeks to learn", "15 ms per batch"
        if not figures and not (GROWTH_UP.search(lower) or GROWTH_DOWN.search(lower) or OVERTAKE.search(lower)):
            return []
        if not subjects and context.topic and figures:
            subjects = [context.topic]
        if not subjects:
            return []
        period, basis = _period(lower, years, context)
        metric = _metric_of(lower)
        if figures and (unmeasured or metric is None):
            what, reason = unmeasured or UNMEASURED
            return [Candidate(sentence, location, "uncheckable", subjects, "none", what, *period, reason=reason,
                              confidence=0.6, period_basis=basis)]  # fmt: skip
        if metric is None:
            return []
        if OVERTAKE.search(lower) and len(subjects) >= 2:
            first, second = self._ordered(sentence, mentions, OVERTAKE)
            return [Candidate(sentence, location, "comparison", [first, second], metric[0], metric[1], *period,
                              direction="greater", confidence=0.7, period_basis=basis)]  # fmt: skip
        times = next((n for n in figures if n.times), None)
        if times and len(subjects) >= 2:
            return [Candidate(sentence, location, "comparison", subjects[:2], metric[0], metric[1], *period,
                              claimed_value=times.value, unit="times", direction="greater", confidence=0.7,
                              period_basis=basis)]  # fmt: skip
        shares = [n for n in figures if n.percent]
        if shares:
            return self._shares(sentence, location, mentions, shares, metric, period, basis, lower)
        direction = "down" if GROWTH_DOWN.search(lower) else "up" if GROWTH_UP.search(lower) else None
        if direction and (len(years) >= 1 or figures or _multiplier(lower)):
            factor = _multiplier(lower) or next((n.value for n in figures if n.times), None)
            return [Candidate(sentence, location, "growth", subjects[:1], metric[0], metric[1], *period,
                              claimed_value=factor, unit="times" if factor else "", direction=direction,
                              confidence=0.65, period_basis=basis)]  # fmt: skip
        levels = [n for n in figures if not n.percent and not n.times]
        return [Candidate(sentence, location, "value", [project], metric[0], metric[1], *period,
                          claimed_value=number.value, unit=metric[2] + _rate(lower), confidence=0.8 if number.magnitude
                          else 0.65, period_basis=basis)
                for project, number in self._pairs(mentions, levels, subjects)]  # fmt: skip

    def _release(self, sentence: str, lower: str, mentions: list[tuple[int, str]], years: list[int], location: str,
                 context: _Context) -> list[Candidate]:  # fmt: skip
        verb = RELEASE_WORDS.search(lower)
        lead = re.match(r"\s*(?:[-*•]\s*)?([A-Za-z][\w .-]{1,30}?)\s*\((19[89]\d|20[0-4]\d)\)\s*:", sentence)
        if lead and self.mentions(lead.group(1)):
            project = self.mentions(lead.group(1))[0][1]
            return [_release(sentence, location, project, int(lead.group(2)), None, 0.85)]
        if not verb or not years or re.search(r"\b(version|v\d|\d\.\d)", lower[verb.start() : verb.start() + 40]):
            return []
        weak = verb.group(1) in ("developed", "created", "born", "origin")
        if weak and (not mentions or not re.search(r"\bin (?:\w+ )?(19|20)\d\d", lower)):
            return []  # "developed ... in 2016" names its framework, or says nothing of a release
        year_match = next(m for m in _YEAR.finditer(sentence))
        if re.search(r"\b(v?\d+\.\d+|version \d+)\b", lower[: year_match.start()]):
            return []  # "TensorFlow 2.0 was released in 2019": a version's release, not the framework's
        named = [p for at, p in mentions if at < year_match.start()] or [p for _, p in mentions]
        project = named[-1] if len({p for _, p in mentions}) > 1 and named else (named or [context.topic])[0]
        if project is None:
            return []
        before = lower[max(0, year_match.start() - 12) : year_match.start()]
        month = next((index for abbr, index in _MONTH_ABBR.items() if re.search(rf"\b{abbr}[a-z]*\.? $", before)), None)
        confidence = 0.9 if mentions else 0.7
        return [_release(sentence, location, project, int(year_match.group(1)), month, confidence)]

    def _shares(self, sentence: str, location: str, mentions: list[tuple[int, str]], shares: list[_Number],
                metric: tuple[str, str, str], period: tuple[str, str], basis: str, lower: str
                ) -> list[Candidate]:  # fmt: skip
        pairs = self._pairs(mentions, shares, list(dict.fromkeys(p for _, p in mentions)))
        if len(pairs) == 2 and abs(sum(n.value for _, n in pairs) - 100) <= 2:
            (first, a), (second, _) = sorted(pairs, key=lambda pair: -pair[1].value)
            return [Candidate(sentence, location, "share", [first, second], metric[0], metric[1], *period,
                              claimed_value=a.value, unit="%", confidence=0.8, period_basis=basis)]  # fmt: skip
        of_all = metric[0] == "arxiv" and re.search(r"% of (all |the )?(arxiv|dl|deep[- ]learning|ml|ai)?\s*"
                                                    r"(papers|publications|research)", lower)  # fmt: skip
        metric_name = "share_of_deep_learning" if of_all else metric[1]
        return [Candidate(sentence, location, "share", [project], metric[0], metric_name, *period,
                          claimed_value=number.value, unit="%", confidence=0.7, period_basis=basis)
                for project, number in pairs]  # fmt: skip

    def _pairs(self, mentions: list[tuple[int, str]], numbers: list[_Number], subjects: list[str]
               ) -> list[tuple[str, _Number]]:  # fmt: skip
        """Each framework with the number that follows it before the next framework; else the first subject."""
        pairs: list[tuple[str, _Number]] = []
        for index, (at, project) in enumerate(mentions):
            stop = mentions[index + 1][0] if index + 1 < len(mentions) else 10**9
            own = [n for n in numbers if at < n.start < stop]
            if own and project not in [p for p, _ in pairs]:
                pairs.append((project, own[0]))
        if len(pairs) >= min(2, len(subjects)) and pairs:
            return pairs
        return [(subjects[0], numbers[0])] if numbers and subjects else []

    def _ordered(self, sentence: str, mentions: list[tuple[int, str]], verb: re.Pattern[str]) -> tuple[str, str]:
        """(the one that overtook, the one overtaken) around the verb."""
        at = verb.search(sentence.lower()).start()
        before = [p for position, p in mentions if position < at]
        after = [p for position, p in mentions if position > at and p not in before[-1:]]
        first = before[-1] if before else mentions[0][1]
        second = after[0] if after else next(p for _, p in mentions if p != first)
        passive = re.search(r"\b(was|been|being) (overtaken|surpassed|outpaced)\b", sentence.lower())
        return (second, first) if passive else (first, second)

    def _is_version(self, sentence: str, start: int) -> bool:
        """A number right after a framework name is its version ("TensorFlow 2.0", "PyTorch v1.13")."""
        head = sentence[max(0, start - 16) : start].lower()
        return bool(re.search(r"(tensorflow|pytorch|torch|jax|keras|lightning|python|tf|\bversion) v?$", head))


# --- small pure helpers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Number:
    start: int
    value: float
    percent: bool
    magnitude: bool
    times: bool
    approx: bool
    is_year: bool


def _numbers(text: str) -> list[_Number]:
    found = []
    for m in _NUMBER.finditer(text):
        raw = float(m.group("number").replace(",", ""))
        magnitude = (m.group("mag") or "").lower()
        if magnitude in ("m", "b", "k") and re.match(r"[a-z]", text[m.end("mag") : m.end("mag") + 1] or " ", re.I):
            magnitude = ""  # "5 ms", "3 bits": a unit, not a magnitude
        value = raw * MAGNITUDES.get(magnitude, 1)
        is_year = not magnitude and not m.group("pct") and raw.is_integer() and 1980 <= raw <= 2049
        found.append(_Number(m.start("number"), value, bool(m.group("pct")), bool(magnitude), bool(m.group("times")),
                             bool(m.group("approx")), is_year))  # fmt: skip
    return found


def _first_number(text: str) -> _Number | None:
    numbers = [n for n in _numbers(text) if not n.is_year or "%" in text]
    return numbers[0] if numbers else None


def _metric_of(lower: str) -> tuple[str, str, str] | None:
    for pattern, metric in METRICS:
        if re.search(pattern, lower):
            return metric
    return None


def _not_adoption(lower: str) -> tuple[str, str] | None:
    """(what would have to be measured, why no series does) for a figure that is not adoption."""
    for pattern, what, reason in NOT_ADOPTION:
        if pattern.search(lower):
            return what, reason
    return None


def _multiplier(lower: str) -> float | None:
    for word, factor in MULTIPLIERS.items():
        if re.search(rf"\b{word}\b", lower):
            return float(factor)
    match = re.search(r"\b(\d+)-?fold\b", lower)
    return float(match.group(1)) if match else None


def _rate(lower: str) -> str:
    match = re.search(r"\b(?:per|a|each|every) (day|week|month|year)\b|\b(daily|weekly|monthly|yearly)\b", lower)
    if not match:
        return ""
    unit = match.group(1) or {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}[match.group(2)]
    return f" per {unit}"


def _latest_heading_year(lines: Sequence[str]) -> int | None:
    """Without a date line, an article is at least as recent as the latest year its headings name."""
    years = [
        _heading_year(line)
        for index, line in enumerate(lines)
        if is_heading(line, lines[index + 1] if index + 1 < len(lines) else None) or line.rstrip().endswith(":")
    ]
    return max((year for year in years if year), default=None)  # fmt: skip


def _heading_year(line: str) -> int | None:
    years = _YEAR.findall(line)
    return int(years[0]) if years else None


def _period_of_year(year: int | None, context: _Context) -> tuple[tuple[str, str], str]:
    if year:
        return (f"{year}-01-01", f"{year}-12-31"), "sentence"
    if context.heading_year:
        return (f"{context.heading_year}-01-01", f"{context.heading_year}-12-31"), "heading"
    if context.article_year:
        return (f"{context.article_year}-01-01", f"{context.article_year}-12-31"), "article date"
    return ("", ""), "none"


def _period(lower: str, years: list[int], context: _Context) -> tuple[tuple[str, str], str]:
    """The claimed period: a range or a year of the sentence, "since", "last year", else heading or article."""
    span = re.search(r"\b(?:from|between) (\d{4}) (?:to|and|until|through) (\d{4})\b", lower)
    if span:
        return (f"{span.group(1)}-01-01", f"{span.group(2)}-12-31"), "sentence"
    since = re.search(r"\bsince (\d{4})\b", lower)
    if since:
        end = context.article_year or context.heading_year or int(since.group(1))
        return (f"{since.group(1)}-01-01", f"{end}-12-31"), "sentence"
    reference = context.heading_year or context.article_year
    if "last year" in lower and reference:
        return (f"{reference - 1}-01-01", f"{reference - 1}-12-31"), "article date"
    return _period_of_year(years[-1] if years else None, context)


def _release(statement: str, location: str, project: str, year: int, month: int | None, confidence: float) -> Candidate:
    start, end = (f"{year}-{month:02d}-01", f"{year}-{month:02d}-28") if month else (f"{year}-01-01", f"{year}-12-31")
    return Candidate(statement, location, "release_date", [project], "github", "created", start, end,
                     claimed_value=float(year), claimed_month=month, unit="year", confidence=confidence,
                     period_basis="sentence")  # fmt: skip


def _cells(line: str) -> list[str]:
    if "|" in line:
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return line.split()


def _row_values(cells: list[str], columns: int) -> tuple[str, list[str] | None]:
    """A row's label and one value per framework column: pipe cells, or the last words of a spaced row."""
    if len(cells) == columns + 1:
        return cells[0], cells[1:]
    tail = cells[-columns:]
    if len(cells) > columns and all(_first_number(v) or _YEAR.fullmatch(v) for v in tail):
        return " ".join(cells[:-columns]), tail
    return " ".join(cells), None


def _deduplicated(candidates: list[Candidate]) -> list[Candidate]:
    """The same claim said twice (a bullet and a table row) is proposed once, with its best evidence."""
    best: dict[tuple, Candidate] = {}
    for candidate in candidates:
        key = (candidate.kind, tuple(candidate.subjects), candidate.metric, candidate.claimed_value,
               candidate.period_start[:4], candidate.statement if candidate.kind == "uncheckable" else "")  # fmt: skip
        if key not in best or candidate.confidence > best[key].confidence:
            best[key] = candidate
    return list(best.values())


# --- the article's entry ---------------------------------------------------------------------------------

# What an HTML page says of itself: <meta name="author">, JSON-LD "author" / "datePublished", <meta
# property="article:published_time">, <time datetime>.
_META_AUTHOR = re.compile(
    r"""<meta\s+(?:name|property)=["'](?:author|article:author)["']\s+content=["']([^"'<]{2,80})["']"""
    r"""|"author"\s*:\s*(?:\[\s*)?\{[^}]*?"name"\s*:\s*"([^"]{2,80})"|"author"\s*:\s*"([^"]{2,80})["]""",
    re.I,
)
_META_DATE = re.compile(
    r"""(?:article:published_time["']\s+content=["']|"datePublished"\s*:\s*"|<time[^>]*\sdatetime=["'])"""
    r"(20[0-4]\d)-(\d{2})",
    re.I,
)
_ISO_DATE = re.compile(r"\b(20[0-4]\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_MONTH_WORD = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december|"
                         r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?", re.I)  # fmt: skip
_BYLINE = re.compile(r"(?:^\W*|\|\s*)(?i:by|written by|author:)\s+([A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})")


def describe_article(content: str, name: str, article_id: str | None = None) -> Article:
    """The register's [[article]] entry for a text: its title line, byline, date line and an id."""
    lines = [line.strip().lstrip("#").strip() for line in text_of(content, name).splitlines() if line.strip()]
    title = re.split(r"\s+\|\s+", lines[0])[0][:200] if lines else name
    meta = _META_AUTHOR.search(content) if name.lower().endswith((".html", ".htm")) or "<meta" in content else None
    author = next((group for group in meta.groups() if group), None) if meta else None
    author = author or next((m.group(1) for line in lines[:10] if (m := _BYLINE.search(line))), None)
    if author is None:  # "Sam Writer | Nov 2021": a name before the date
        author = next((line.split("|")[0].strip() for line in lines[1:10] if "|" in line and _DATE_LINE.search(line)
                       and len(line.split("|")[0].split()) <= 4), "unknown")  # fmt: skip
    published, basis = "unknown", "no date line found"
    dated = _META_DATE.search(content)
    for line in [] if dated else lines[:15]:
        iso = _ISO_DATE.search(line)
        if iso:
            published, basis = f"{iso.group(1)}-{iso.group(2)}", f"date line {line[:80]!r}"
            break
        year = article_year([line])
        if year:
            month = _MONTH_WORD.search(_DATE_LINE.search(line).group(0))
            published = f"{year}-{_MONTH_ABBR[month.group(1).lower()[:3]]:02d}" if month else str(year)
            basis = f"date line {line[:80]!r}"
            break
    else:
        if dated:
            published, basis = f"{dated.group(1)}-{dated.group(2)}", "the page's own publication date (HTML metadata)"
        latest = None if dated else _latest_heading_year(lines)
        if latest:
            published, basis = str(latest), f"no date line; the latest year its headings name is {latest}"
    return Article(article_id or _slug(title), name or "pasted text", title, author, published, basis)


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:5]) or "article"
