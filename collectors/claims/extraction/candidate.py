"""A proposed claim, and how sure each rule is of what it proposes."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Candidate:
    """One proposed claim, in the register's terms, with the span it came from."""

    statement: str  # the evidence: the sentence, bullet or table row, as written
    location: str  # "line 12", "table row 3 (line 40)"
    kind: str  # value, share, release_date, growth, comparison, crossover, uncheckable
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
    period_basis: str = ""  # where the period came from: the sentence, the heading, the article's date
    proxy: str | None = None  # a collected series shown beside an uncheckable figure, labelled as a proxy
    unmeasured: str | None = None  # what the claim says that no series measures

    def as_dict(self) -> dict:
        return asdict(self)


# How sure each rule is, from the shapes that are least ambiguous to the ones a reviewer should read twice.
RELEASE_LEAD = 0.85  # "TensorFlow (2015): Released by Google"
RELEASE_NAMED = 0.9  # "PyTorch was released in September 2016"
RELEASE_BY_TOPIC = 0.7  # "It was released in 2016", the project from the sentences before
TABLE_RELEASE = 0.85  # "First released | 2015 | 2016"
TABLE_SHARE = 0.8  # "Research papers | 28% | 72%"
TABLE_VALUE = 0.75  # "GitHub stars | 180K | 75K"
SHARE_PAIR = 0.8  # "72% ... and 28%": two shares that add up to 100
SHARE = 0.7
VALUE_WITH_MAGNITUDE = 0.8  # "150 thousand stars"
VALUE = 0.65  # "35,000 stars"
COMPARISON = 0.7  # "overtook", "three times as many"
CROSSOVER = 0.7  # "X passed Y in downloads in 2025"
GROWTH = 0.65
UNCHECKABLE = 0.6
NOT_TRACKED = 0.5  # a capitalised name beside a figure: often a project, sometimes a company or a product
