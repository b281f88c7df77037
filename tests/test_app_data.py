"""The Data page's coverage: counts per source, then every series a page at a time, filtered, ordered, in the URL."""

from __future__ import annotations

from math import ceil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import queries
from app.queries import SERIES_PAGE_ROWS
from collectors import store
from tests.test_app import app_db, open_page, populated, populated_template, url, widget  # noqa: F401 (fixtures)

KEY = ["source", "subject", "metric"]


def stored(db: Path, sql: str) -> pd.DataFrame:
    with store.connect(db, read_only=True) as conn:
        return conn.execute(sql).df()


def every_series(db: Path, order: str = "source, subject, metric, window_days nulls first") -> list[tuple]:
    """Every series of the summary in the page's order, as (source, subject, metric)."""
    frame = stored(db, f"select source, subject, metric from series_summary order by {order}")
    return list(frame.itertuples(index=False, name=None))


def shown(at: AppTest) -> list[tuple]:
    """The series on the coverage table's page, as (source, subject, metric)."""
    tables = [t.value for t in at.dataframe if "largest_gap_days" in t.value.columns]
    return list(tables[0][KEY].itertuples(index=False, name=None)) if tables else []


def coverage_table(at: AppTest) -> pd.DataFrame:
    return next(t.value for t in at.dataframe if "largest_gap_days" in t.value.columns)


def data_page(**params: str) -> AppTest:
    return open_page("data", **params)


def test_counts_per_source_first_are_the_stored_ones(populated: Path):  # noqa: F811
    per_source = next(t.value for t in data_page().dataframe if "series" in t.value.columns)
    expected = stored(populated, "select source, count(*) as series, sum(points) as points from series_summary "
                                 "group by source order by source")  # fmt: skip
    assert list(per_source["source"]) == list(expected["source"])
    assert list(per_source["series"]) == list(expected["series"])
    assert list(per_source["points"]) == list(expected["points"])


def test_the_series_page_by_page_in_order_with_the_total(populated: Path):  # noqa: F811
    """Next three times, Previous, a number typed, and the link reopened: each shows the next rows of the whole
    ordered list, none skipped or repeated, and the caption counts them."""
    series = every_series(populated)
    total, pages = len(series), ceil(len(series) / SERIES_PAGE_ROWS)
    assert total > 4 * SERIES_PAGE_ROWS, "the shipped history holds enough series to page"
    at = data_page()
    assert shown(at) == series[:SERIES_PAGE_ROWS]
    assert any(c.value == f"Series 1–50 of {total:,} (page 1 of {pages:,}), ordered by source, subject, metric."
               for c in at.caption), [c.value for c in at.caption]  # fmt: skip
    for page in (2, 3, 4):
        widget(at, "button", "Next page").click().run()
        assert shown(at) == series[(page - 1) * SERIES_PAGE_ROWS : page * SERIES_PAGE_ROWS]
        assert url(at, "page") == str(page) and widget(at, "number_input", "Page").value == page
    widget(at, "button", "Previous page").click().run()
    assert shown(at) == series[2 * SERIES_PAGE_ROWS : 3 * SERIES_PAGE_ROWS] and url(at, "page") == "3"
    widget(at, "number_input", "Page").set_value(pages).run()
    assert shown(at) == series[(pages - 1) * SERIES_PAGE_ROWS :] and url(at, "page") == str(pages)
    assert widget(at, "button", "Next page").disabled, "no page after the last"
    assert shown(data_page(page="3")) == series[2 * SERIES_PAGE_ROWS : 3 * SERIES_PAGE_ROWS], "a link keeps its page"


def test_a_page_past_the_end_says_so_and_shows_the_last(populated: Path):  # noqa: F811
    series = every_series(populated)
    pages = ceil(len(series) / SERIES_PAGE_ROWS)
    at = data_page(page="100000")
    assert [w.value for w in at.warning] == [
        f"Page 100,000 is past the end: {len(series):,} series fill {pages:,} pages. The last page is shown."
    ]
    assert shown(at) == series[(pages - 1) * SERIES_PAGE_ROWS :] and url(at, "page") == str(pages)


def test_filters_narrow_the_series_and_the_total_and_start_at_the_first_page(populated: Path):  # noqa: F811
    at = data_page(page="3")
    widget(at, "selectbox", "Source").set_value("pypi").run()
    pypi = [row for row in every_series(populated) if row[0] == "pypi"]
    assert len(pypi) > 3 * SERIES_PAGE_ROWS and shown(at) == pypi[:SERIES_PAGE_ROWS], "not the third page of pypi"
    assert url(at, "page") == "1" and url(at, "source") == "pypi"
    widget(at, "selectbox", "Source").set_value("").run()
    widget(at, "text_input", "Project").set_value("PyTorch").run()  # typed as named: ids are lower case
    expected = stored(populated, "select s.source, s.subject, s.metric from series_summary as s join project_subject "
                                 "as p using (source, subject) where p.project_id = 'pytorch' "
                                 "order by s.source, s.subject, s.metric, s.window_days nulls first")  # fmt: skip
    assert 0 < len(expected) < SERIES_PAGE_ROWS
    assert shown(at) == list(expected.itertuples(index=False, name=None))
    assert set(coverage_table(at)["project"]) == {"pytorch"}
    assert url(at, "page") == "1" and url(at, "project") == "PyTorch", "another filter starts at its first page"
    assert any(c.value.startswith(f"Series 1–{len(expected)} of {len(expected)} (page 1 of 1)") for c in at.caption)

    widget(at, "selectbox", "Source").set_value("github").run()
    assert shown(at) == [row for row in expected.itertuples(index=False, name=None) if row[0] == "github"]
    assert url(at, "source") == "github"

    widget(at, "text_input", "Subject or metric contains").set_value("STARS").run()
    assert shown(at) and all(row[0] == "github" and "stars" in row[2] for row in shown(at))
    reopened = data_page(source="github", project="PyTorch", find="STARS")
    assert shown(reopened) == shown(at), "a link keeps the filters"

    widget(at, "text_input", "Subject or metric contains").set_value("no-such-series").run()
    assert shown(at) == []
    assert [i.value for i in at.info] == [
        "No series matches source github, project “PyTorch”, subject or metric containing “no\\-such\\-series”: "
        "widen the filters\\."
    ]


def test_orderings_put_what_needs_a_look_first(populated: Path):  # noqa: F811
    at = data_page()
    for ordering, column, descending in (("largest gap", "largest_gap_days", True), ("stalest", "last_date", False),
                                         ("most points", "points", True)):  # fmt: skip
        widget(at, "selectbox", "Order").set_value(ordering).run()
        table = coverage_table(at)
        best = stored(populated, f"select {'max' if descending else 'min'}({column}) as v from series_summary")["v"][0]
        assert table[column].iloc[0] == best, ordering
        values = list(table[column])
        assert values == sorted(values, reverse=descending), ordering
        assert url(at, "order") == ordering
    expected = every_series(populated, "largest_gap_days desc, source, subject, metric, window_days nulls first")
    assert shown(data_page(order="largest gap", page="2")) == expected[SERIES_PAGE_ROWS : 2 * SERIES_PAGE_ROWS]


def test_an_ordering_not_offered_is_refused(populated: Path):  # noqa: F811
    with pytest.raises(ValueError, match="'newest' is not an ordering"):
        queries.series_page.__wrapped__(str(populated), "", "", "", "newest", 1)
