"""Shared drawing helpers: project colours, numbers for people, empty states and shareable choices."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

# Colours for projects without one in data/projects.toml, in a fixed order so they never change between charts.
FALLBACK_COLORS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def human(value: float | None, digits: int = 1) -> str:
    """65.2K, 1.4M: numbers for people; an em dash for missing values."""
    if value is None or pd.isna(value):
        return "—"
    value = float(value)
    magnitude = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= threshold:
            return f"{value / threshold:.{digits}f}{suffix}"
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.{digits}f}"


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")
# What Markdown would turn into a link by itself: URLs, www. names and e-mail addresses.
_LINKABLE = re.compile(r"(?:https?://|www\.)[^\s<>`\"']+|[\w.+-]+@[\w-]+\.[\w.-]+")


def plain(text: object) -> str:
    """Collected or curated text made inert for st.markdown: no links, images, HTML or formatting.

    Markdown specials are escaped. URLs and addresses go into code spans instead, which show them exactly
    as they are and never as links: escaping inside a URL would show its backslashes.
    """
    text = str(text)
    parts, position = [], 0
    for match in _LINKABLE.finditer(text):
        link = match.group(0).rstrip(".,;:!?)")  # punctuation after a URL belongs to the sentence
        parts.append(_MARKDOWN_SPECIALS.sub(r"\\\1", text[position : match.start()]))
        parts.append(f"`{link}`")
        position = match.start() + len(link)
    parts.append(_MARKDOWN_SPECIALS.sub(r"\\\1", text[position:]))
    return "".join(parts)


def percent(value: float | None, digits: int = 1, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "—"
    value = float(value)
    return f"{value * 100:+.{digits}f}%" if signed else f"{value * 100:.{digits}f}%"


def colors(projects: pd.DataFrame) -> dict[str, str]:
    """One colour per project id, the same on every chart."""
    mapping = {}
    for index, row in enumerate(projects.sort_values("project_id").itertuples()):
        mapping[row.project_id] = row.color or FALLBACK_COLORS[index % len(FALLBACK_COLORS)]
    return mapping


def empty_state(what: str, command: str) -> None:
    """Say what is missing and the exact command that fills it; never placeholder numbers."""
    st.info(f"{what}\n\nFill it with:\n\n```sh\n{command}\n```")


# URL state. A widget is given its first value from the URL once (the link someone shared) and owns its value
# after that; the URL is then written from the widgets. Passing a default recomputed from the URL on every
# run as well as a key makes Streamlit drop every second change, so no widget here gets both.


def _first_time(key: str) -> str | None:
    """The URL's value for a widget not yet in the session, else None (the widget already owns its value)."""
    return st.query_params.get(key) if key not in st.session_state else None


def url_choices(key: str, options: Sequence[str], default: Sequence[str]) -> None:
    """For a multiselect: ?key=a,b on the first run, else `default`; values no longer offered are dropped."""
    if key not in st.session_state:
        raw = _first_time(key)
        st.session_state[key] = list(default) if raw is None else [v for v in raw.split(",") if v]
    st.session_state[key] = [v for v in st.session_state[key] if v in options]


def url_choice(key: str, options: Sequence, default: object) -> None:
    """For a selectbox or radio: ?key=value on the first run, else `default`; an option no longer offered
    falls back to the default (or the first option)."""
    if key not in st.session_state:
        raw = _first_time(key)
        st.session_state[key] = default if raw is None else next((o for o in options if str(o) == raw), default)
    if st.session_state[key] not in options:
        st.session_state[key] = default if default in options else (options[0] if options else None)


def url_flag(key: str, default: bool = False) -> None:
    """For a toggle or checkbox: ?key=1 or ?key=0 on the first run."""
    if key not in st.session_state:
        raw = _first_time(key)
        st.session_state[key] = default if raw is None else raw == "1"


def url_number(key: str, default: int, low: int, high: int) -> None:
    """For an integer slider: ?key=N on the first run, kept within [low, high]."""
    if key not in st.session_state:
        raw = _first_time(key)
        st.session_state[key] = int(raw) if raw is not None and raw.lstrip("-").isdigit() else default
    st.session_state[key] = max(low, min(high, int(st.session_state[key])))


def keep_in_url(*keys: str) -> None:
    """Write the widgets' current values into the URL, so that the view can be shared as a link."""
    for key in keys:
        value = st.session_state.get(key)
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        if value in (None, ""):
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def mark_breaks(figure: go.Figure, breaks: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> None:
    """Dashed vertical lines with a label where the way a series is counted changed."""
    for row in breaks.itertuples():
        day = pd.Timestamp(row.date)
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        figure.add_vline(x=day, line_dash="dash", line_color="gray", opacity=0.6)
        figure.add_annotation(
            x=day,
            y=1,
            yref="paper",
            text=row.title,
            showarrow=False,
            textangle=-90,
            xanchor="right",
            yanchor="top",
            font={"size": 10, "color": "gray"},
        )


def line_chart(
    frame: pd.DataFrame, palette: dict[str, str], names: dict[str, str], y_title: str, log: bool = False
) -> go.Figure:
    """One line per project with hover values and each point's provenance."""
    figure = go.Figure()
    for project_id, group in frame.groupby("project_id", sort=True):
        figure.add_trace(
            go.Scatter(
                x=group["date"],
                y=group["value"],
                mode="lines",
                name=names.get(project_id, project_id),
                line={"color": palette.get(project_id)},
                customdata=group["origin"].map(lambda text: html.escape(str(text))).to_numpy().reshape(-1, 1),
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.4~g}<br><span style='font-size:10px'>%{customdata[0]}</span>"
                "<extra>" + names.get(project_id, project_id) + "</extra>",
            )
        )
    figure.update_layout(
        yaxis_title=y_title,
        yaxis_type="log" if log else "linear",
        hovermode="closest",
        height=460,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


DEFAULT_PROJECTS = 8  # charts stay readable (and fast) when hundreds of projects are tracked


def default_projects(db: str, ids: Sequence[str]) -> list[str]:
    """The most-starred projects first, at most DEFAULT_PROJECTS of them (all five by default)."""
    from app import queries

    ranked = queries.overview(db)
    if ranked.empty or len(ids) <= DEFAULT_PROJECTS:
        return list(ids)[:DEFAULT_PROJECTS]
    order = ranked.sort_values("stars_now", ascending=False, na_position="last")["project_id"]
    return [p for p in order if p in ids][:DEFAULT_PROJECTS]


def project_picker(projects: pd.DataFrame, key: str = "projects") -> list[str]:
    """Projects chosen in the sidebar, kept in the URL."""
    from app import queries

    names = dict(zip(projects["project_id"], projects["name"], strict=True))
    ids = list(names)
    url_choices(key, ids, default_projects(str(queries.database()), ids))
    chosen = st.sidebar.multiselect("Projects", ids, key=key, format_func=names.get)
    keep_in_url(key)
    return chosen


def per_day_values(frame: pd.DataFrame) -> pd.Series:
    """Counts over windows as a daily rate, so that daily, weekly and monthly counts share one axis."""
    return frame["value"] / frame["window_days"].where(frame["window_days"] > 0, 1)


def rolling_mean(frame: pd.DataFrame, points: int) -> pd.Series:
    """Mean of each project's last `points` points."""
    return frame.groupby("project_id")["value"].transform(lambda s: s.rolling(points, min_periods=1).mean())


def series_panel(
    frame: pd.DataFrame,
    projects: pd.DataFrame,
    title: str,
    y_title: str,
    breaks: pd.DataFrame,
    missing: str,
    command: str,
    per_day: bool = False,
    rolling: int = 1,
    log: bool = False,
) -> None:
    """A titled chart of one series for the chosen projects, or the empty state that says how to fill it."""
    st.subheader(title)
    if frame.empty:
        empty_state(missing, command)
        return
    frame = frame.copy()
    if per_day:
        frame["value"] = per_day_values(frame)
    if rolling > 1:
        frame["value"] = rolling_mean(frame, rolling)
    names = dict(zip(projects["project_id"], projects["name"], strict=True))
    figure = line_chart(frame, colors(projects), names, y_title, log=log)
    mark_breaks(figure, breaks, frame["date"].min(), frame["date"].max())
    st.plotly_chart(figure, width="stretch")


def source_page(title: str, fill_command: str) -> tuple[str, pd.DataFrame, tuple[str, ...]]:
    """The common head of a source page: title, the projects or the empty state, and the project picker."""
    from app import queries

    db = str(queries.database())
    st.title(title)
    projects = queries.projects(db)
    if projects.empty:
        empty_state("No projects in the database yet.", fill_command)
        st.stop()
    return db, projects, tuple(project_picker(projects))
