"""What a source declares about itself: its series, how a project maps to its subjects, how it is collected.

Each module in collectors/sources/ ends with one `SOURCE = Source(...)`; collectors/sources/__init__.py finds
them, and everything that used to list the sources by hand (the CLI, the runner, the claims register, the
evidence ladder, the app's series and pages, the tests) reads that registry instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectors.config import Project
    from collectors.http import HttpClient
    from collectors.runner import Context, Outcome


@dataclass(frozen=True)
class Rung:
    """This series can judge claims about (claim_source, claim_metric), as rung `rung` of their evidence ladder."""

    claim_source: str
    claim_metric: str
    rung: int
    label: str  # what the series is, as explanations name it


@dataclass(frozen=True)
class Series:
    """One stored series of a source: `metric` under the source's subjects, one value per date."""

    key: str  # the name the app and its links use (?series=stars)
    metric: str
    label: str
    unit: str  # stars, downloads, papers, questions ...
    is_count: bool = False  # a count over a window (compared per day) rather than a level
    per_days: int = 1  # counts are shown per this many days: their natural cadence (1, 30, 365)
    windows: tuple[int, int] = (0, 0)  # shortest and longest window of the points, in days (levels: 0)
    judges: tuple[Rung, ...] = ()
    chart: bool = True  # offered on Compare
    # A share (a ratio, so not a count): `share_of` (a metric of the same source) over `denominator_metric` of the
    # source's `denominator_subject` in the same window. Computed in project_series, never stored.
    share_of: str | None = None
    denominator_metric: str | None = None
    denominator_subject: str | None = None
    source: str = ""  # the declaring source's name, filled in by Source

    @property
    def axis_title(self) -> str:
        """The unit a chart of this series shows: per day, per 30 days or per year for counts."""
        if not self.is_count or self.share_of:
            return self.unit
        return f"{self.unit} {per_label(self.per_days)}"


def per_label(days: int) -> str:
    """'per day', 'per 30 days', 'per year': the unit counts are shown in."""
    return {1: "per day", 365: "per year"}.get(days, f"per {days} days")


@dataclass(frozen=True)
class Signal:
    """What the Overview shows of this source: one headline, judged on the ladder of a claim metric."""

    name: str  # stars, downloads, research, interest, ...
    title: str  # "GitHub stars"
    claim_metric: str  # whose evidence ladder picks the series shown
    stale_after_days: int  # a latest value older than this is flagged as stale
    order: int = 100  # place on the Overview: the signals people compare most come first


@dataclass(frozen=True)
class ProjectField:
    """A key of a [[project]] entry in data/projects.toml that this source reads: one name, or a list of names."""

    key: str  # stackoverflow_tag, conda ...
    pattern: str  # each name must match it
    describe: str  # "a Stack Overflow tag (lower case)", for errors
    many: bool = False

    def validate(self, where: str, value: object) -> tuple[str, ...]:
        """The names given, or a ConfigError naming the entry, the key and what was expected."""
        from collectors.errors import ConfigError

        names = value if self.many and isinstance(value, list) else [value]
        if not names or not all(isinstance(name, str) and re.fullmatch(self.pattern, name) for name in names):
            shape = f"a list of {self.describe} names" if self.many else self.describe
            raise ConfigError(f"{where}: field '{self.key}' = {value!r} is not {shape}")
        return tuple(names)


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    series: tuple[Series, ...]
    subjects: Callable[[Project], list[str]]  # under which subjects this source stores a project's series
    collect: Callable[[Context], Outcome] | None = None  # None: filled only by import or the seed
    make_client: Callable[[], HttpClient] | None = None
    backfill: Callable[[Context], Outcome] | None = None
    fill: tuple[str, ...] = ()  # ecotrends commands that fill it, e.g. "collect --source github"
    base_urls: dict[str, str] = field(default_factory=dict)  # ECOTRENDS_*_URL variable -> the real service
    signal: Signal | None = None
    page: str | None = None  # the app page of this source, a file under app/sections/
    project_fields: tuple[ProjectField, ...] = ()  # its own keys in data/projects.toml

    def __post_init__(self) -> None:
        # each series knows its source, so that a chart, a link or a query needs the series alone
        object.__setattr__(self, "series", tuple(replace(series, source=self.name) for series in self.series))

    @property
    def collects(self) -> bool:
        return self.collect is not None
