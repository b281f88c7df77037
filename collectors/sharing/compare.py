"""The Compare page's chart built from the store alone (for `ecotrends chart`), and the words every chart image
carries: title, axis titles with units, the source and date range, and whether the history is the shipped one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from collectors import sources
from collectors.sharing import frames
from collectors.sharing.chart import Chart
from collectors.sharing.series import SERIES, SERIES_BY_KEY, Read, dated, series, sql
from collectors.source import Series

ALIGNED_AXIS = "days since the repository's creation"


class ChartError(ValueError):
    """A chart that cannot be drawn as asked: an unknown project or series, a bad date, or no data."""


@dataclass(frozen=True)
class Request:
    """A Compare view: the projects, the series, the date range and how the values are shown."""

    projects: tuple[str, ...]
    key: str = "stars"
    since: date | None = None
    until: date | None = None
    log: bool = False
    index: bool = False
    align: bool = False


def words(
    spec: Series, frame: pd.DataFrame, names: dict[str, str], palette: dict[str, str], span: tuple[date, date],
    y_title: str, log: bool = False, aligned: bool = False, shipped_until: object = None, note: str = "",
) -> Chart:  # fmt: skip
    """A chart of `frame` with the words of Compare: the app's downloads and `ecotrends chart` both build it here."""
    source = sources.registry()[spec.source]
    footnote = f"Source: {source.title}, {spec.label}. Data from {frames.day(span[0])} to {frames.day(span[1])}."
    if pd.notna(shipped_until) and shipped_until is not None:
        footnote += f" Shipped history up to {frames.day(shipped_until)}, not collected on this machine since."
    footnote += note + " Drawn by ecotrends."
    return Chart(
        frame=frame, names=names, palette=palette, title=spec.label, y_title=y_title,
        x_title=ALIGNED_AXIS if aligned else "date", footnote=footnote, log=log,
    )  # fmt: skip


def shipped_until(read: Read, source: str) -> object:
    """The newest day of a source's history when it is only the shipped one (never collected here), else None."""
    frame = read(sql("shipped"), {"source": source})
    return frame["newest_date"].iloc[0] if not frame.empty else None


def chosen_projects(read: Read, asked: tuple[str, ...]) -> tuple[list[str], pd.DataFrame]:
    """The project ids asked for (an id, or a curated project's name or repository in any case), and every
    project a chart may colour, in the app's order; an unknown one is a ChartError naming it."""
    offered = read(sql("projects"), {"chosen": [a.lower() for a in asked]})
    by_word = {}
    for row in offered.itertuples():
        for word in (row.project_id, row.name, row.github_repo):
            if isinstance(word, str):
                by_word.setdefault(word.lower(), row.project_id)
    unknown = [a for a in asked if a.lower() not in by_word]
    if unknown:
        raise ChartError(f"unknown project {unknown[0]!r}: give a project id, name or owner/repo "
                         "(ecotrends status lists the tracked ones)")  # fmt: skip
    return list(dict.fromkeys(by_word[a.lower()] for a in asked)), offered


def series_named(word: str) -> Series:
    """A series by its key (Compare's ?series=), else the first series of the source or of the metric so named
    (`conda`, `interest`, `questions`), in registry order."""
    found = SERIES_BY_KEY.get(word) or next(
        (spec for spec in SERIES_BY_KEY.values() if word in (spec.source, spec.metric)), None
    )
    if found is None:
        raise ChartError(f"unknown series {word!r}: one of {', '.join(SERIES_BY_KEY)}")
    return found


def how_to_fill(read: Read, spec: Series, ids: list[str]) -> str:
    """What to run for a series with no data, and the source's other series that do hold these projects."""
    fill = " or ".join(f"ecotrends {command}" for command in sources.registry()[spec.source].fill)
    held = [other.key for other in SERIES if other.source == spec.source and other.key != spec.key
            and not series(read, other, tuple(ids)).empty]  # fmt: skip
    return (f"fill it with {fill}" if fill else "no command fills it") + (
        f" (stored for them now: --series {' or '.join(held)})" if held else ""
    )


def compare_chart(read: Read, request: Request) -> Chart:
    """The Compare chart of a request, read from the store: values per the series' unit, then indexed or aligned."""
    spec = series_named(request.key)
    if request.since and request.until and request.since > request.until:
        raise ChartError(f"--since {request.since} is after --until {request.until}")
    ids, offered = chosen_projects(read, request.projects)
    names = dict(zip(offered["project_id"], offered["name"], strict=True))
    frame = series(read, spec, tuple(ids))
    if spec.is_count and not frame.empty:
        frame["value"] = frames.per_unit_values(frame, spec.per_days)
        frame = frames.at_window_middle(frame)
    if not frame.empty:
        frame = frame[
            (frame["date"] >= pd.Timestamp(request.since or date.min))
            & (frame["date"] <= pd.Timestamp(request.until or date.max))
        ].copy()
    if frame.empty or frame["value"].dropna().empty:
        between = f" between {request.since or 'the start'} and {request.until or 'the end'}"
        where = between if request.since or request.until else ""
        raise ChartError(f"no {spec.label} stored for {', '.join(ids)}{where}; {how_to_fill(read, spec, ids)}")
    span = (frame["date"].min().date(), frame["date"].max().date())
    y_title = spec.axis_title
    if request.index:
        frame["value"] = frames.indexed(frame)
        y_title = "index (first point = 100)"
    note = ""
    if request.align:
        launches = read(sql("launches"), {})
        frame, unknown = frames.aligned(frame, dict(zip(launches["project_id"], dated(launches)["date"], strict=True)))
        if unknown:
            note = (" Aligned on the first data point, as the repository's creation date is unknown: "
                    f"{', '.join(names.get(p, p) for p in unknown)}.")  # fmt: skip
    chart = words(
        spec, frame, names, frames.colors(offered), span, y_title, log=request.log,
        aligned=request.align, shipped_until=shipped_until(read, spec.source), note=note,
    )  # fmt: skip
    if not request.align:
        chart.breaks = read(sql("breaks"), {"source": spec.source, "metric": spec.metric})
    return chart
