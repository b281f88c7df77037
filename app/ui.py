"""Shared drawing helpers: project colours, numbers for people, verdict names, command hints, URL state and
charts that show each series with its real cadence."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from collectors.sharing.chart import Chart
from collectors.sharing.frames import (  # noqa: F401 (the pages' names for them)
    FALLBACK_COLORS,
    at_window_middle,
    colors,
    day,
    human,
    log_ticks,
    per_unit_values,
    rolling_mean,
    with_gaps,
)
from collectors.sharing.verdicts import VERDICT, VERDICTS, Verdict, verdict_label  # noqa: F401 (likewise)

COMMAND = ".venv/bin/ecotrends"  # how the README installs it; every hint in the app is written through hint()


def hint(*commands: str) -> str:
    """The commands that fill something, as a shell block: hint("collect --source github")."""
    return "\n".join(f"{COMMAND} {command}" for command in commands)




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






def chart_downloads(chart: Chart, stem: str, key: str, link: bool = False) -> None:
    """Beside a chart: its image as SVG and as PNG, the file `ecotrends chart` writes for the same view (drawn when
    clicked, so a page pays nothing for them), and with `link` the page's link, which reopens this view."""
    from collectors.sharing.chart import render

    columns = st.columns([1, 1, 1, 3] if link else [1, 1, 4])
    for column, fmt, mime in ((columns[0], "svg", "image/svg+xml"), (columns[1], "png", "image/png")):
        column.download_button(
            f"{fmt.upper()} image", data=functools.partial(render, chart, fmt), file_name=f"{stem}.{fmt}", mime=mime,
            key=f"{key}_{fmt}", on_click="ignore", icon=":material/download:",
        )  # fmt: skip
    if link:
        with columns[2].popover("Copy link", icon=":material/link:"):
            query = urlencode(st.query_params.to_dict(), safe=",")
            st.code(f"{st.context.url.split('?')[0]}?{query}" if st.context.url else f"?{query}", language=None)
            st.caption("This link reopens this view, with its projects, series and choices.")


def empty_state(what: str, *commands: str) -> None:
    """Say what is missing and the exact commands that fill it; never placeholder numbers."""
    st.info(f"{what}\n\nFill it with:\n\n```sh\n{hint(*commands)}\n```")


# URL state. A widget is given its value from the URL when the page opens (the link someone shared), or when the
# URL changes from outside (a link to this page with other choices), and owns its value otherwise; the URL is then
# written from the widgets. Passing a default recomputed from the URL on every run as well as a key makes
# Streamlit drop every second change, so no widget here gets both.


def _from_url(key: str) -> str | None:
    """The URL's value for a widget when the widget should take it, else None (the widget owns its value)."""
    raw = st.query_params.get(key)
    if key not in st.session_state:
        return raw
    written = st.session_state.get(f"_url_{key}")
    return raw if raw is not None and raw != written else None


def url_choices(key: str, options: Sequence[str], default: Sequence[str]) -> None:
    """For a multiselect: ?key=a,b when the page opens, else `default`; values no longer offered are dropped."""
    raw = _from_url(key)
    if raw is not None:
        st.session_state[key] = [v for v in raw.split(",") if v]
    elif key not in st.session_state:
        st.session_state[key] = list(default)
    st.session_state[key] = [v for v in st.session_state[key] if v in options]


def url_choice(key: str, options: Sequence, default: object) -> None:
    """For a selectbox or radio: ?key=value when the page opens, else `default`; an option no longer offered
    falls back to the default (or the first option)."""
    raw = _from_url(key)
    if raw is not None:
        st.session_state[key] = next((o for o in options if str(o) == raw), st.session_state.get(key, default))
    elif key not in st.session_state:
        st.session_state[key] = default
    if st.session_state[key] not in options:
        st.session_state[key] = default if default in options else (options[0] if options else None)


def url_flag(key: str, default: bool = False) -> None:
    """For a toggle or checkbox: ?key=1 or ?key=0 when the page opens."""
    raw = _from_url(key)
    if raw is not None:
        st.session_state[key] = raw == "1"
    elif key not in st.session_state:
        st.session_state[key] = default


def url_text(key: str) -> None:
    """For a text input: ?key=text when the page opens, else empty."""
    raw = _from_url(key)
    if raw is not None:
        st.session_state[key] = raw
    elif key not in st.session_state:
        st.session_state[key] = ""


def url_number(key: str, default: int, low: int, high: int) -> None:
    """For an integer slider: ?key=N when the page opens, kept within [low, high]."""
    raw = _from_url(key)
    if raw is not None and raw.lstrip("-").isdigit():
        st.session_state[key] = int(raw)
    elif key not in st.session_state:
        st.session_state[key] = default
    st.session_state[key] = max(low, min(high, int(st.session_state[key])))


def url_date_range(key: str) -> None:
    """For a date-range slider: ?key=YYYY-MM-DD..YYYY-MM-DD when the page opens; the page keeps it within its data."""
    raw = _from_url(key)
    parts = raw.split("..") if raw else []
    try:
        start, end = (date.fromisoformat(part) for part in parts)
    except ValueError:
        return  # not a range: the page shows the whole span
    st.session_state[key] = (min(start, end), max(start, end))


def keep_range_in_url(key: str, whole: tuple[date, date]) -> None:
    """Write a narrowed date range into the URL as start..end; the whole span is left out, so that a link to it
    follows the data as it grows."""
    chosen = tuple(st.session_state.get(key) or whole)
    text = None if chosen == tuple(whole) else f"{chosen[0].isoformat()}..{chosen[1].isoformat()}"
    st.session_state[f"_url_{key}"] = text
    if text is None:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != text:
        st.query_params[key] = text


def keep_in_url(*keys: str) -> None:
    """Write the widgets' current values into the URL, so that the view can be shared as a link."""
    for key in keys:
        value = st.session_state.get(key)
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        text = None if value in (None, "") else str(value)
        st.session_state[f"_url_{key}"] = text
        if text is None:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != text:
            st.query_params[key] = text


def mark_breaks(figure: go.Figure, breaks: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> None:
    """Dashed vertical lines with a label where the way a series is counted changed."""
    for row in breaks.itertuples():
        when = pd.Timestamp(row.date)
        if (start is not None and when < start) or (end is not None and when > end):
            continue
        figure.add_vline(x=when, line_dash="dash", line_color="gray", opacity=0.6)
        figure.add_annotation(
            x=when,
            y=1,
            yref="paper",
            text=row.title,
            showarrow=False,
            textangle=-90,
            xanchor="right",
            yanchor="top",
            font={"size": 10, "color": "gray"},
        )




def value_format(values: pd.Series) -> str:
    """Plotly number format for hovers: thousands separated for large numbers, two decimals for small ones."""
    largest = values.abs().max() if not values.empty else 0
    return ",.0f" if pd.notna(largest) and largest >= 100 else ",.2f"




def line_chart(
    frame: pd.DataFrame, palette: dict[str, str], names: dict[str, str], y_title: str, log: bool = False
) -> go.Figure:
    """One line per project with hover values and each point's provenance; sparse series show their points."""
    figure = go.Figure()
    number = value_format(frame["value"]) if "value" in frame else ",.2f"
    for project_id, group in frame.groupby("project_id", sort=True):
        group = group.sort_values("date")
        sparse = len(group) < 60
        group = with_gaps(group)
        name = names.get(project_id, project_id)
        figure.add_trace(
            go.Scatter(
                x=group["date"],
                y=group["value"],
                mode="lines+markers" if sparse else "lines",
                connectgaps=False,
                name=name,
                line={"color": palette.get(project_id)},
                marker={"size": 6},
                customdata=group["origin"]
                .fillna("")
                .map(lambda text: html.escape(str(text)))
                .to_numpy()
                .reshape(-1, 1),
                hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:{number}}}"
                "<br><span style='font-size:10px'>%{customdata[0]}</span>"
                f"<extra>{html.escape(name)}</extra>",
            )
        )
    figure.update_layout(
        yaxis_title=y_title,
        yaxis_type="log" if log else "linear",
        yaxis_tickformat="~s" if not log else None,
        hovermode="closest",
        height=460,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        showlegend=True,
    )
    if log and "value" in frame:
        ticks, labels = log_ticks(frame["value"].dropna())
        figure.update_yaxes(tickvals=ticks, ticktext=labels)
    return figure


DEFAULT_PROJECTS = 8  # charts stay readable (and fast) when hundreds of projects are tracked


def default_projects(db: str, ids: Sequence[str]) -> list[str]:
    """The most-starred projects first, at most DEFAULT_PROJECTS of them (all of the defaults)."""
    from app import queries

    if len(ids) <= DEFAULT_PROJECTS:
        return list(ids)
    ranked = queries.latest_stars(db)
    return [p for p in ranked["project_id"] if p in ids][:DEFAULT_PROJECTS] or list(ids)[:DEFAULT_PROJECTS]


def choose_projects(db: str, key: str = "projects") -> tuple[list[str], pd.DataFrame]:
    """The projects chosen in the sidebar, kept in the URL, and the projects offered (names, colours): the curated
    ones, plus any known project a link or the search box below the list brings in (as star-history's box finds
    any repository)."""
    from app import queries

    _track_asked(db, key)
    curated = queries.projects(db)
    raw = st.query_params.get(key)
    asked = [*st.session_state.get(key, ()), *(raw.split(",") if raw else ())]
    wanted = [p for p in dict.fromkeys(asked) if p not in set(curated["project_id"])]  # in the order chosen
    extra = queries.chosen_projects(db, tuple(sorted(wanted)))
    if not extra.empty:
        extra = extra.set_index("project_id").loc[[p for p in wanted if p in set(extra["project_id"])]].reset_index()
    offered = pd.concat([curated, extra], ignore_index=True) if not extra.empty else curated
    names = dict(zip(offered["project_id"], offered["name"], strict=True))
    ids = list(names)
    url_choices(key, ids, default_projects(db, list(curated["project_id"])))
    chosen = st.sidebar.multiselect("Projects", ids, key=key, format_func=names.get)
    project_search(db, key)
    keep_in_url(key)
    return chosen, offered


SEARCH_RESULTS = 8


def project_search(db: str, key: str) -> None:
    """A box to find any known project by name, owner/repo or PyPI name; a click adds it to the chart."""
    from app import queries

    tracked = st.session_state.pop(f"{key}_tracked", None)
    if tracked:
        report, refused = tracked
        (st.sidebar.error if refused else st.sidebar.success)(plain(report))  # wraps in the narrow sidebar
    text = st.sidebar.text_input(
        "Find any project",
        key=f"{key}_find",
        placeholder="name, owner/repo or PyPI package",
        help=f"{queries.catalogue_size(db):,} more projects ship with ecotrends (data/seed/catalogue/).",
    )
    if not text.strip():
        return
    found = queries.find_projects(db, text)
    if found.empty:
        st.sidebar.caption(f"No known project matches “{plain(text)}”. Track it: its history is fetched from "
                           "every source that applies (network needed; about a minute), then kept "
                           "current by ecotrends collect.")  # fmt: skip
        st.sidebar.button(f"Add a project: track “{text.strip()}”", key=f"{key}_track_button", on_click=_ask_to_track,
                          args=(key, text), width="stretch")  # fmt: skip
        st.sidebar.code(hint(f"track {text.strip()}"), language="sh")
        return
    chosen = st.session_state.get(key, [])
    for row in found.head(SEARCH_RESULTS).itertuples():
        st.sidebar.button(
            search_label(row),
            key=f"{key}_add_{row.project_id}",
            on_click=_add_project,
            args=(key, row.project_id),
            disabled=row.project_id in chosen,
            width="stretch",
        )


def search_label(row: object) -> str:
    """A result as "+ polars · pola-rs/polars · 33.1k stars": enough to tell two projects of one name apart."""
    parts = [f"+ {row.name}"]
    if isinstance(row.github_repo, str) and row.github_repo.lower() != str(row.name).lower():
        parts.append(row.github_repo)
    packages = [p for p in row.pypi if p != str(row.name).lower()] if row.pypi is not None else []
    if packages:
        parts.append("pypi: " + ", ".join(packages[:2]))
    if pd.notna(row.stars):
        parts.append(f"{human(row.stars)} stars")
    elif pd.notna(row.downloads_30d):
        parts.append(f"{human(row.downloads_30d)} downloads/30 d")
    return " · ".join(parts)


def _ask_to_track(key: str, text: str) -> None:
    st.session_state[f"{key}_track_request"] = text.strip()


def _track_asked(db: str, key: str) -> None:
    """Track what the box named (before the project list is drawn, so that it can join it); on success the project
    joins the chart, on a refusal the reason is shown."""
    from app import reader, tracking

    text = st.session_state.pop(f"{key}_track_request", None)
    if not text:
        return
    with st.sidebar, st.spinner(f"Tracking {text}: resolving it, then fetching its history ..."):
        done = tracking.track(reader.store_of(db), text)
    st.session_state[f"{key}_tracked"] = (done.report, done.refused or not done.project_ids)
    if done.refused or not done.project_ids:
        return
    st.cache_data.clear()  # the project and its series are new to every cached query
    for project_id in done.project_ids:
        if project_id not in st.session_state.get(key, []):
            _add_project(key, project_id)


def _add_project(key: str, project_id: str) -> None:
    st.session_state[key] = [*st.session_state.get(key, []), project_id]
    st.session_state[f"{key}_find"] = ""








@dataclass
class Panel:
    """One chart of a source page: its data, or what is missing and the commands that fill it."""

    frame: pd.DataFrame
    title: str
    y_title: str
    missing: str
    commands: tuple[str, ...]
    per_days: int | None = None  # counts: shown per this many days
    rolling: int = 1
    log: bool = False
    caption: str = ""


def panels(pages: Sequence[Panel], projects: pd.DataFrame, breaks: dict[str, pd.DataFrame]) -> None:
    """The charts that have data, first; everything still missing folded into one note with its commands."""
    names = dict(zip(projects["project_id"], projects["name"], strict=True))
    palette = colors(projects)
    missing = []
    for panel in pages:
        if panel.frame.empty:
            missing.append(panel)
            continue
        st.subheader(panel.title)
        frame = panel.frame.copy()
        if panel.per_days:
            frame["value"] = per_unit_values(frame, panel.per_days)
            frame = at_window_middle(frame)
        if panel.rolling > 1:
            frame["value"] = rolling_mean(frame, panel.rolling)
        figure = line_chart(frame, palette, names, panel.y_title, log=panel.log)
        panel_breaks = breaks.get(panel.title, pd.DataFrame())
        mark_breaks(figure, panel_breaks, frame["date"].min(), frame["date"].max())
        st.plotly_chart(figure, width="stretch")
        if panel.caption:
            st.caption(panel.caption)
        span = f"Data from {day(frame['date'].min())} to {day(frame['date'].max())}."
        chart_downloads(Chart(frame, names, palette, panel.title, panel.y_title, footnote=f"{panel.caption} {span} "
                              "Drawn by ecotrends.".strip(), log=panel.log, breaks=panel_breaks),
                        re.sub(r"\W+", "-", panel.title.lower()).strip("-"), key=f"panel_{panel.title}")  # fmt: skip
    if missing:
        lines = "\n".join(f"- {panel.title}: {panel.missing}" for panel in missing)
        commands = tuple(dict.fromkeys(command for panel in missing for command in panel.commands))
        if "collected" in projects and not projects["collected"].fillna(True).all():  # catalogue projects: track first
            found = " ".join(projects.loc[~projects["collected"].fillna(True).astype(bool), "project_id"])
            commands = (f"track {found}   # the catalogue's projects are collected once tracked", *commands)
        st.info(f"Not stored yet for the chosen projects:\n\n{lines}\n\nFill it with:\n\n```sh\n{hint(*commands)}\n```")


def source_page(title: str, *fill_commands: str) -> tuple[str, pd.DataFrame, tuple[str, ...]]:
    """The common head of a source page: title, the projects or the empty state, and the project picker."""
    from app import queries, reader

    db = str(reader.database())
    st.title(title)
    if queries.projects(db).empty:
        empty_state("No projects in the database yet.", *fill_commands)
        st.stop()
    chosen, offered = choose_projects(db)
    return db, offered, tuple(chosen)


def shipped_history_note(fresh: pd.DataFrame) -> None:
    """Say plainly when the pages show the history shipped with ecotrends, up to which day, and how to update."""
    if fresh.empty or "last_import_command" not in fresh:
        return
    seeded = fresh[(fresh["last_import_command"] == "seed") & fresh["last_success"].isna()]
    if seeded.empty:
        return
    ends = ", ".join(
        f"{row.source} up to {day(row.newest_date)}" for row in seeded.itertuples() if pd.notna(row.newest_date)
    )
    st.info(
        f"You are looking at the real history shipped with ecotrends ({ends}), not yet brought up to date on this "
        f"machine. Bring it up to date (network needed):\n\n```sh\n{hint('collect', 'backfill --source pypi')}\n```",
        icon="📦",
    )
