"""A chart as an image file, SVG or PNG, drawn by matplotlib: no browser, no network, the same bytes for the same
data (no date in the file, fixed ids), and in SVG the text stays text, so names and dates can be searched."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from collectors.sharing.frames import human, log_ticks, with_gaps

FORMATS = ("svg", "png")
DPI = 100
WIDTH, HEIGHT = 900, 500  # pixels: a blog post's column, readable on a phone when scaled down
TITLE_CHAR_PX, NOTE_CHAR_PX = 9.5, 6.1  # about the width of a character of the title (13 pt bold), the footnote (8 pt)
LEFT_PX = 85  # the value axis's title and labels such as "200.0K"
STYLE = {
    "svg.fonttype": "none",  # text as <text>, not as glyph outlines
    "svg.hashsalt": "ecotrends",  # the ids of clip paths do not change between runs
    "path.simplify": False,  # every stored point is in the file, as in the app's chart (a test counts them)
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
}
METADATA = {"svg": {"Date": None}, "png": {"Software": None}}


@dataclass
class Chart:
    """What a chart shows: one line per project of `frame` (project_id, date, value), with its words."""

    frame: pd.DataFrame
    names: dict[str, str]
    palette: dict[str, str]
    title: str
    y_title: str
    x_title: str = "date"
    footnote: str = ""
    log: bool = False
    breaks: pd.DataFrame = field(default_factory=pd.DataFrame)  # date, title: where the counting changed
    period: tuple[object, object] | None = None  # a claimed period, shaded
    level: tuple[float, str] | None = None  # a claimed value, drawn as a dotted line with its label
    # Instead of lines: dated events (project_id, milestone, date), a row of markers per project, one marker per
    # kind of event as `markers` names it (milestone -> (label, matplotlib marker)).
    events: pd.DataFrame | None = None
    markers: dict[str, tuple[str, str]] = field(default_factory=dict)


def draw(chart: Chart, width: int = WIDTH, height: int = HEIGHT) -> Figure:
    """The matplotlib figure of a chart; each project's line has the project id as its gid (its SVG group id)."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        if chart.events is not None:
            _events(axes, chart)
        for project_id, group in chart.frame.groupby("project_id", sort=True):
            group = with_gaps(group.sort_values("date"))
            axes.plot(
                group["date"], group["value"], label=chart.names.get(project_id, project_id),
                color=chart.palette.get(project_id), linewidth=1.8, gid=f"line-{project_id}",
                marker="o" if group["value"].notna().sum() < 60 else None, markersize=3.5,
            )  # fmt: skip
        _decorate(axes, chart)
        # Words wrapped and margins measured in pixels, so that any --width and --height keeps them whole.
        title = textwrap.wrap(chart.title, max(20, int(width / TITLE_CHAR_PX)))
        figure.suptitle("\n".join(title), x=0.01, ha="left", fontsize=13, fontweight="bold")
        footnote = textwrap.wrap(chart.footnote, max(30, int(width / NOTE_CHAR_PX)))
        if footnote:
            figure.text(0.01, 0.01, "\n".join(footnote), ha="left", va="bottom", fontsize=8, color="#555555")
        right = 0.97
        if chart.events is not None:
            legend = axes.legend(loc="lower right", frameon=False, fontsize=9)
        else:  # beside the plot, where it covers no line
            legend = axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
            needed = legend.get_window_extent(figure.canvas.get_renderer()).width + 0.02 * width
            right = max(0.6, 0.98 - needed / width)
        left = LEFT_PX / width
        if chart.events is not None:  # the legend names kinds of event, not projects: grey; the rows need room
            for handle in legend.legend_handles:
                handle.set_edgecolor("#555555")
                if len(handle.get_facecolor()):
                    handle.set_facecolor("#555555")
            left = max(left, 0.03 + 7.5 * max(len(t.get_text()) for t in axes.get_yticklabels()) / width)
        top = 1 - (14 + 22 * len(title)) / height
        bottom = (52 + 13 * len(footnote)) / height
        figure.subplots_adjust(left=left, right=right, top=top, bottom=min(bottom, top - 0.2))
        room = int((right - left) * width / 70)  # date labels that fit side by side
        dates = chart.frame["date"] if chart.events is None and "date" in chart.frame else pd.Series(dtype=object)
        long_timeline = pd.api.types.is_datetime64_any_dtype(dates) and (dates.max() - dates.min()).days >= 90
        if room < 8 and long_timeline:  # a narrow chart of years: fewer dates, side by side
            axes.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=max(4, room)))
    return figure


def _events(axes: object, chart: Chart) -> None:
    """Each project's dated events on its own row, a marker per kind of event in the project's colour."""
    rows = sorted(set(chart.events["project_id"]), key=lambda p: chart.names.get(p, p))
    place = {project_id: index for index, project_id in enumerate(rows)}
    for milestone, (label, marker) in chart.markers.items():
        found = chart.events[chart.events["milestone"] == milestone]
        colours = [chart.palette.get(p, "#333333") for p in found["project_id"]]
        axes.scatter(found["date"], found["project_id"].map(place), marker=marker, s=110, label=label,
                     facecolors="none" if marker == "o" else colours, edgecolors=colours, linewidths=1.6,
                     gid=f"events-{milestone}")  # fmt: skip
    axes.set_yticks(range(len(rows)), [chart.names.get(p, p) for p in rows])
    axes.set_ylim(-0.7, len(rows) - 0.3)


def _decorate(axes: object, chart: Chart) -> None:
    """Axis titles with units, a log axis labelled for people, breaks, the claimed period and value."""
    axes.set_xlabel(chart.x_title)
    axes.set_ylabel(chart.y_title)
    values = chart.frame["value"].dropna() if "value" in chart.frame else pd.Series(dtype=float)
    if chart.events is not None:
        pass  # the rows are the projects
    elif chart.log:
        axes.set_yscale("log")
        ticks, labels = log_ticks(values)
        if ticks:
            axes.yaxis.set_major_locator(FixedLocator(ticks))
            axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: labels[ticks.index(v)] if v in ticks else ""))
            axes.yaxis.set_minor_locator(NullLocator())
    else:
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: human(v, 1 if abs(v) < 1e6 else 2)))
    dates = chart.frame["date"] if "date" in chart.frame else pd.Series(dtype=object)
    if chart.events is not None:
        dates = chart.events["date"]
    timeline = pd.api.types.is_datetime64_any_dtype(dates)
    if timeline and not chart.breaks.empty and not dates.empty:
        for row in chart.breaks.itertuples():
            when = pd.Timestamp(row.date)
            if dates.min() <= when <= dates.max():
                axes.axvline(when, color="gray", linestyle="--", linewidth=0.8, alpha=0.6)
                axes.annotate(str(row.title), (when, 1), xycoords=("data", "axes fraction"), rotation=90,
                              ha="right", va="top", fontsize=7, color="gray")  # fmt: skip
    if chart.period is not None:
        start, end = (pd.Timestamp(when) for when in chart.period)
        axes.axvspan(start, end, color="gray", alpha=0.12, linewidth=0)
        axes.annotate("claimed period", (start, 1), xycoords=("data", "axes fraction"), va="top", fontsize=8)
    if chart.level is not None:
        axes.axhline(chart.level[0], color="black", linestyle=":", linewidth=1)
        axes.annotate(chart.level[1], (1, chart.level[0]), xycoords=("axes fraction", "data"), ha="right",
                      va="bottom", fontsize=8)  # fmt: skip


def render(chart: Chart, fmt: str = "svg", width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The chart as an SVG or PNG file of `width` x `height` pixels."""
    if fmt not in FORMATS:
        raise ValueError(f"{fmt!r} is not one of {', '.join(FORMATS)}")
    figure = draw(chart, width, height)
    out = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(out, format=fmt, dpi=DPI, metadata=METADATA[fmt])
    return out.getvalue()
