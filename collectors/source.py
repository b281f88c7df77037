"""What a source declares about itself: its series, how a project maps to its subjects, how it is collected.

Each module in collectors/sources/ ends with one `SOURCE = Source(...)`; collectors/sources/__init__.py finds
them, and everything that used to list the sources by hand (the CLI, the runner, the claims register, the
evidence ladder, the app's series and pages, the tests) reads that registry instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Protocol

from collectors.config import Database, Project
from collectors.errors import OfflineError, RateLimitedError, SourceStoppedError, TransientError
from collectors.http import HttpClient

log = logging.getLogger("ecotrends")


class Progress(Protocol):
    """How a collector reports its steps (the runner draws a bar on a terminal, log lines under cron)."""

    def add_total(self, steps: int) -> None: ...

    def task(self, message: str) -> AbstractContextManager[None]: ...

    def note(self, message: str) -> None: ...


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
    whole_numbers: bool = True  # counts whole things (stars, downloads): an import of 2.5 of them is refused
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
    """A key of a [[project]] entry in data/projects.toml that this source reads: one name, or a list of names.
    The source declares it, so the project file learns of a new source's keys without being edited."""

    key: str  # the key in a [[project]] entry, named after what it holds (a tag, a list of packages)
    pattern: str  # each name must match it
    describe: str  # what a name must be, for errors ("a tag (lower case)")
    many: bool = False
    required: bool = False  # every entry of data/projects.toml must give it
    unique: bool = False  # two entries may not give the same name (case aside)
    from_name: bool = False  # a project added by `ecotrends track` gets its name, in lower case, under this key

    def validate(self, where: str, value: object) -> tuple[str, ...]:
        """The names given (stripped), or a ConfigError naming the entry, the key and what was expected."""
        from collectors.errors import ConfigError

        names = value if self.many and isinstance(value, list) else [value]
        names = [name.strip() if isinstance(name, str) else name for name in names]
        if not names or not all(isinstance(name, str) and re.fullmatch(self.pattern, name) for name in names):
            shape = f"a list of {self.describe} names" if self.many else self.describe
            raise ConfigError(f"{where}: field '{self.key}' = {value!r} is not {shape}")
        return tuple(names)


@dataclass
class Context:
    """What a collector gets: where to write, what to collect, its HTTP client and its progress."""

    db: Database
    projects: Sequence[Project]
    client: HttpClient
    progress: Progress
    run_id: int
    command: str = "collect"
    since: str | None = None


MAX_CONSECUTIVE_OUTAGES = 3  # then the source stops for this run instead of hammering a failing API


@dataclass
class Outcome:
    """What a run of one source achieved; it stops itself after repeated outages, offline or out of time."""

    rows_written: int = 0
    errors: list[str] = field(default_factory=list)
    successes: int = 0
    consecutive_outages: int = 0
    stopped: bool = False  # offline or out of its time budget: nothing more is asked in this run

    def fail(self, subject: str, exc: Exception) -> None:
        if self.stopped and isinstance(exc, SourceStoppedError):
            return  # the client refuses every request once stopped: the reason is recorded once
        # offline is about the host, not the subject: one line per source, "offline: cannot reach <host> (...)"
        message = str(exc) if isinstance(exc, OfflineError) else f"{subject}: {exc}"
        log.warning("%s", message)
        self.errors.append(message)
        if isinstance(exc, SourceStoppedError):
            self.stopped = True
        elif isinstance(exc, TransientError | RateLimitedError):
            self.consecutive_outages += 1
            if self.gave_up:
                self.errors.append(
                    f"stopped after {MAX_CONSECUTIVE_OUTAGES} consecutive outages; the next run continues"
                )

    def succeeded(self) -> None:
        self.successes += 1
        self.consecutive_outages = 0

    @property
    def gave_up(self) -> bool:
        return self.stopped or self.consecutive_outages >= MAX_CONSECUTIVE_OUTAGES

    @property
    def status(self) -> str:
        if not self.errors:
            return "ok"
        return "partial" if self.successes or self.rows_written else "failed"


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
    icon: str = "📈"  # beside its page's name in the app's navigation
    # what `ecotrends track` runs for a new project: "collect" and/or "backfill" (none: the next cron run asks it)
    on_track: tuple[str, ...] = ()
    project_fields: tuple[ProjectField, ...] = ()  # its own keys in data/projects.toml

    def __post_init__(self) -> None:
        # each series knows its source, so that a chart, a link or a query needs the series alone
        object.__setattr__(self, "series", tuple(replace(series, source=self.name) for series in self.series))

    @property
    def collects(self) -> bool:
        return self.collect is not None
