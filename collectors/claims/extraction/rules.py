"""One function per shape a claim takes. Each reads a `Clause` and returns its candidates, or None when the shape
is not there, so that the extractor tries them in order and a rule can be read and tested on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass

import collectors.claims.extraction.candidate as sure
from collectors.claims.extraction.candidate import Candidate
from collectors.claims.extraction.names import Mention, ProjectNames
from collectors.claims.extraction.numbers import YEAR, Number, multiplier, numbers, rate
from collectors.claims.extraction.periods import Context, Period, period
from collectors.claims.extraction.text import MONTH_ABBR

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
OVERTAKE = re.compile(r"\b(surpassed|overtook|overtaken|outpaced|overtake|overtakes|surpass|surpasses|passed|"
                      r"overtaking|pulled ahead of|moved ahead of|took the lead over)\b")  # fmt: skip
# "three times as many papers as", "twice as many downloads as", "3x more stars than"
RATIO = re.compile(r"\b(?:times|x|×|twice)\s+(?:as many|as much|more|the)\b|\b(?:twice|\w+fold)\b")
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
# Shares an outside source reports from data of its own: (how articles name it, what it counts, our proxy).
OUTSIDE_SOURCES = (
    (re.compile(r"\bpapers ?with ?code\b"), "Papers with Code", "papers whose code it links to a framework",
     "arxiv papers_mentioning"),
)  # fmt: skip


@dataclass
class Clause:
    """A statement to read: its text, where it is, the projects and numbers in it, and the reader's context."""

    text: str
    location: str
    context: Context
    names: ProjectNames
    inherited_years: tuple[int, ...] = ()
    statement: str = ""  # the evidence shown, where the text read is only part of it

    def __post_init__(self) -> None:
        self.lower = self.text.lower()
        self.mentions: list[Mention] = self.names.mentions(self.text)
        self.subjects = list(dict.fromkeys(m.project for m in self.mentions))
        self.numbers = [n for n in numbers(self.text) if not self.names.is_version(self.text, n, self.mentions)]
        self.years = [int(y) for y in YEAR.findall(self.text)] or list(self.inherited_years)
        self.figures = [n for n in self.numbers if n.is_figure]
        self.unmeasured = not_adoption(self.lower)
        self.metric = metric_of(self.lower)

    @property
    def period(self) -> Period:
        return period(self.lower, self.years, self.context)

    def candidate(self, kind: str, subjects: list[str], metric: tuple[str, str] | tuple[str, str, str],
                  confidence: float, **fields: object) -> Candidate:  # fmt: skip
        (start, end), basis = fields.pop("period", None) or self.period
        return Candidate(self.statement or self.text, self.location, kind, subjects, metric[0], metric[1], start, end,
                         confidence=confidence, period_basis=basis, **fields)  # fmt: skip


# --- the rules, in the order the extractor tries them ----------------------------------------------------------


def release(clause: Clause) -> list[Candidate] | None:
    """"PyTorch was released in September 2016", "TensorFlow (2015): Released by Google"; not a version's release
    ("TensorFlow 2.0 was released in 2019"), and "developed"/"created" only with "in <year>" and a name."""
    text, lower, mentions = clause.text, clause.lower, clause.mentions
    lead = re.match(r"\s*(?:[-*•]\s*)?([A-Za-z][\w .-]{1,30}?)\s*\((19[89]\d|20[0-4]\d)\)\s*:", text)
    if lead and clause.names.mentions(lead.group(1)):
        project = clause.names.mentions(lead.group(1))[0].project
        return [release_candidate(text, clause.location, project, int(lead.group(2)), None, sure.RELEASE_LEAD)]
    verb = RELEASE_WORDS.search(lower)
    own_years = list(YEAR.finditer(text))
    if not verb or not own_years or re.search(r"\b(version|v\d|\d\.\d)", lower[verb.start() : verb.start() + 40]):
        return None
    weak = verb.group(1) in ("developed", "created", "born", "origin")
    if weak and (not mentions or not re.search(r"\bin (?:\w+ )?(19|20)\d\d", lower)):
        return None  # "developed ... in 2016" names its project, or says nothing of a release
    year = own_years[0]
    if re.search(r"\b(v?\d+\.\d+|version \d+)\b", lower[: year.start()]):
        return None  # "TensorFlow 2.0 was released in 2019": a version's release, not the project's
    mentions = [m for m in mentions if not re.search(r"\b(by|from|at)\s+$", lower[: m.at])]  # "released by Google"
    named = [m.project for m in mentions if m.at < year.start()] or [m.project for m in mentions]
    project = named[-1] if len({m.project for m in mentions}) > 1 and named else (named or [clause.context.topic])[0]
    if project is None:
        return None
    before = lower[max(0, year.start() - 12) : year.start()]
    month = next((index for abbr, index in MONTH_ABBR.items() if re.search(rf"\b{abbr}[a-z]*\.? $", before)), None)
    confidence = sure.RELEASE_NAMED if mentions else sure.RELEASE_BY_TOPIC
    return [release_candidate(text, clause.location, project, int(year.group(1)), month, confidence)]


def beside_release(clause: Clause) -> Clause | None:
    """The clause without its release phrase ("first released in 2019"), when a figure is left to read."""
    verb = RELEASE_WORDS.search(clause.lower)
    year = next((m for m in YEAR.finditer(clause.text) if m.start() > verb.start()), None) if verb else None
    if year is None:
        return None
    rest = Clause(clause.text[: verb.start()] + clause.text[year.end() :], clause.location, clause.context,
                  clause.names, statement=clause.text)  # fmt: skip
    return rest if rest.figures else None


def not_tracked(clause: Clause) -> list[Candidate] | None:
    """A figure said of a capitalised name we hold no project for ("Litestar has about 5,000 GitHub stars"):
    proposed, with the command that tracks it, instead of dropped."""
    if not clause.figures or clause.metric is None or clause.unmeasured:
        return None
    name = clause.names.untracked(clause.text, clause.mentions)
    if name is None:
        return None
    at = clause.text.index(name)
    figure = next((n for n in clause.figures if n.start > at), None)
    if figure is None or any(at < m.at < figure.start for m in clause.mentions):
        return None
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-")
    source, metric, _ = clause.metric
    return [clause.candidate(
        "uncheckable", [slug], ("none", metric), sure.NOT_TRACKED, claimed_value=figure.value,
        reason=f"{name} is not tracked: `ecotrends track {slug}` fetches its history (network), then check again",
        unmeasured=f"{name}'s {source} {metric}",
    )]  # fmt: skip


def outside_source(clause: Clause) -> list[Candidate] | None:
    """A share an outside source reports ("72% of papers with code on Papers with Code use PyTorch"): that
    source's claim, not ours; our own series is shown beside it, labelled as a proxy."""
    shares = [n for n in clause.figures if n.percent]
    for pattern, name, counts, proxy in OUTSIDE_SOURCES:
        if shares and clause.subjects and pattern.search(clause.lower):
            return [clause.candidate(
                "uncheckable", clause.subjects, ("none", "share_reported_by_" + _slug(name)), sure.SHARE,
                claimed_value=shares[0].value, unit="%", proxy=proxy,
                reason=f"a share {name} reports ({counts}); no collected series reproduces it, {proxy} is a proxy",
            )]  # fmt: skip
    return None


def uncheckable(clause: Clause) -> list[Candidate] | None:
    """A figure that is not adoption (a benchmark, a survey), or one no collected series measures."""
    if not clause.figures or not (clause.unmeasured or clause.metric is None):
        return None
    what, reason = clause.unmeasured or UNMEASURED
    return [clause.candidate("uncheckable", clause.subjects, ("none", what), sure.UNCHECKABLE, reason=reason)]


def overtaking(clause: Clause) -> list[Candidate] | None:
    """"Polars passed pandas in downloads in 2025": a crossover within the period the sentence names; without one
    ("has overtaken"), a comparison as of the period the article speaks of."""
    verb = OVERTAKE.search(clause.lower)
    if not verb or len(clause.subjects) < 2 or clause.metric is None:
        return None
    first, second = _ordered(clause, verb)
    (start, end), basis = clause.period
    dated = basis.startswith("sentence")
    return [clause.candidate("crossover" if dated else "comparison", [first, second], clause.metric,
                             sure.CROSSOVER if dated else sure.COMPARISON, direction=None if dated else "greater",
                             period=((start, end), basis))]  # fmt: skip


def ratio(clause: Clause) -> list[Candidate] | None:
    """"about three times as many papers as TensorFlow", "3x more stars than": one project ahead of another by a
    factor (the direction is checked; the factor is stated as unmeasured)."""
    times = next((n for n in clause.figures if n.times), None)
    factor = times.value if times else multiplier(clause.lower) if RATIO.search(clause.lower) else None
    if factor is None or len(clause.subjects) < 2 or clause.metric is None:
        return None
    return [clause.candidate("comparison", clause.subjects[:2], clause.metric, sure.COMPARISON,
                             claimed_value=factor, unit="times", direction="greater")]  # fmt: skip


def shares(clause: Clause) -> list[Candidate] | None:
    """"72% ... and 28%": a share between two projects; else each project's share (of all papers, where said)."""
    found = [n for n in clause.figures if n.percent]
    if not found or clause.metric is None:
        return None
    pairs = pairs_of(clause.mentions, found, clause.subjects)
    if len(pairs) == 2 and abs(sum(n.value for _, n in pairs) - 100) <= 2:
        (first, a), (second, _) = sorted(pairs, key=lambda pair: -pair[1].value)
        return [clause.candidate("share", [first, second], clause.metric, sure.SHARE_PAIR, claimed_value=a.value,
                                 unit="%")]  # fmt: skip
    of_all = clause.metric[0] == "arxiv" and re.search(
        r"% of (all |the )?(arxiv|dl|deep[- ]learning|ml|ai)?\s*(papers|publications|research)", clause.lower)
    metric = (clause.metric[0], "share_of_deep_learning") if of_all else clause.metric
    return [clause.candidate("share", [project], metric, sure.SHARE, claimed_value=number.value, unit="%")
            for project, number in pairs]  # fmt: skip


def growth(clause: Clause) -> list[Candidate] | None:
    """"PyTorch's downloads doubled from 2021 to 2023", "interest in TensorFlow declined since 2020"."""
    direction = "down" if GROWTH_DOWN.search(clause.lower) else "up" if GROWTH_UP.search(clause.lower) else None
    factor = multiplier(clause.lower) or next((n.value for n in clause.figures if n.times), None)
    if not direction or clause.metric is None or not (clause.years or clause.figures or factor):
        return None
    return [clause.candidate("growth", clause.subjects[:1], clause.metric, sure.GROWTH, claimed_value=factor,
                             unit="times" if factor else "", direction=direction)]  # fmt: skip


def levels(clause: Clause) -> list[Candidate] | None:
    """"about 150 thousand GitHub stars", "3.4M downloads per week": each project with its figure."""
    found = [n for n in clause.figures if not n.percent and not n.times]
    if not found or clause.metric is None:
        return None
    unit = clause.metric[2] + rate(clause.lower)
    pairs = pairs_of(clause.mentions, found, clause.subjects)
    if len(pairs) == 1 and len(found) > 1 and len(set(clause.years)) > 1:
        pairs = [(pairs[0][0], number) for number in found]  # "35,000 stars in 2025, up from 20,000 in 2023"
    return [clause.candidate("value", [project], clause.metric,
                             sure.VALUE_WITH_MAGNITUDE if number.magnitude else sure.VALUE,
                             claimed_value=number.value, unit=unit, period=_period_of_figure(clause, number))
            for project, number in pairs]  # fmt: skip


# --- small pure helpers ---------------------------------------------------------------------------------------


def release_candidate(statement: str, location: str, project: str, year: int, month: int | None,
                      confidence: float) -> Candidate:  # fmt: skip
    start, end = (f"{year}-{month:02d}-01", f"{year}-{month:02d}-28") if month else (f"{year}-01-01", f"{year}-12-31")
    return Candidate(statement, location, "release_date", [project], "github", "created", start, end,
                     claimed_value=float(year), claimed_month=month, unit="year", confidence=confidence,
                     period_basis="sentence")  # fmt: skip


def pairs_of(mentions: list[Mention], found: list[Number], subjects: list[str]) -> list[tuple[str, Number]]:
    """Each project with the number that follows it before the next project; else the first subject's."""
    pairs: list[tuple[str, Number]] = []
    for index, mention in enumerate(mentions):
        stop = mentions[index + 1].at if index + 1 < len(mentions) else 10**9
        own = [n for n in found if mention.at < n.start < stop]
        if own and mention.project not in [p for p, _ in pairs]:
            pairs.append((mention.project, own[0]))
    if len(pairs) >= min(2, len(subjects)) and pairs:
        return pairs
    return [(subjects[0], found[0])] if found and subjects else []


def _period_of_figure(clause: Clause, number: Number) -> Period | None:
    """The year a figure is given for, where a clause names several: the first after it before the next figure
    ("35,000 stars in 2025, up from 20,000 in 2023"), else the last before it ("in 2023 it had 65,000")."""
    own_years = [(m.start(), int(m.group(1))) for m in YEAR.finditer(clause.text)]
    if len({year for _, year in own_years}) < 2:
        return None
    following = [n.start for n in clause.figures if n.start > number.start]
    stop = following[0] if following else len(clause.text)
    after = [year for at, year in own_years if number.start < at < stop]
    before = [year for at, year in own_years if at < number.start]
    year = after[0] if after else before[-1] if before else None
    return period(clause.lower, [year], clause.context) if year else None


def metric_of(lower: str) -> tuple[str, str, str] | None:
    for pattern, metric in METRICS:
        if re.search(pattern, lower):
            return metric
    return None


def not_adoption(lower: str) -> tuple[str, str] | None:
    """(what would have to be measured, why no series does) for a figure that is not adoption."""
    for pattern, what, reason in NOT_ADOPTION:
        if pattern.search(lower):
            return what, reason
    return None


def _ordered(clause: Clause, verb: re.Match[str]) -> tuple[str, str]:
    """(the one that overtook, the one overtaken) around the verb; "was overtaken by" turns them round."""
    before = [m.project for m in clause.mentions if m.at < verb.start()]
    after = [m.project for m in clause.mentions if m.at > verb.start() and m.project not in before[-1:]]
    first = before[-1] if before else clause.mentions[0].project
    second = after[0] if after else next(m.project for m in clause.mentions if m.project != first)
    passive = re.search(r"\b(was|been|being|is|were) (overtaken|surpassed|outpaced|passed)\b", clause.lower)
    return (second, first) if passive else (first, second)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
