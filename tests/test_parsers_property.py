"""Every response parser, fed arbitrary and mutated payloads: a clear error or correct output, never a crash."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

import pandas as pd
import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors import clickhouse
from collectors.errors import EcotrendsError
from collectors.sources import arxiv, github, pypi, trends
from tests.conftest import add_recording, load_recording

TERMS = ["tensorflow", "pytorch", "jax", "keras", "pytorch lightning"]

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=8) | st.dictionaries(st.text(max_size=12), children, max_size=8),
    max_leaves=40,
)


def body(name: str) -> object:
    response = load_recording(name)["response"]
    return response["body_json"] if "body_json" in response else response["body_text"]


REPO = body("github/repo_pytorch_pytorch.json")
HISTORY = body("github/history_jax-ml_jax_p1.json")
OVERALL = body("pypi/overall_torch.json")
RELEASES = body("pypi/pypi_json_torch.json")


def mutate(payload: object, data: st.DataObject) -> object:
    """Replace, delete or retype one value somewhere inside a real payload."""
    mutated = copy.deepcopy(payload)
    node = mutated
    for _ in range(data.draw(st.integers(0, 3))):
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
            if isinstance(node[key], dict | list) and data.draw(st.booleans()):
                node = node[key]
                continue
            if data.draw(st.booleans()):
                del node[key]
            else:
                node[key] = data.draw(json_values)
            return mutated
        if isinstance(node, list) and node:
            index = data.draw(st.integers(0, len(node) - 1))
            if isinstance(node[index], dict | list) and data.draw(st.booleans()):
                node = node[index]
                continue
            node[index] = data.draw(json_values)
            return mutated
    return data.draw(json_values)


def assert_clear(call, check=lambda result: None) -> None:
    try:
        result = call()
    except EcotrendsError as exc:
        message = str(exc)
        assert len(message) > 20 and not message.startswith("None"), f"an error says what is wrong: {message!r}"
        return
    check(result)


@SETTINGS
@given(data=st.data())
def test_github_repo_parser(data):
    payload = mutate(REPO, data) if data.draw(st.booleans()) else data.draw(json_values)

    def check(result):
        rows, created = result
        assert {row.metric for row in rows} == set(github.SNAPSHOT_METRICS)
        assert all(isinstance(row.value, int) and row.value >= 0 for row in rows)
        assert isinstance(created, date)

    assert_clear(lambda: github.parse_repo(payload, "a/b", date(2026, 11, 22)), check)


@SETTINGS
@given(data=st.data())
def test_github_history_parser(data):
    payload = mutate(HISTORY, data) if data.draw(st.booleans()) else data.draw(json_values)
    assert_clear(
        lambda: github.parse_history(payload, "a/b", date(2026, 11, 22)),
        lambda rows: all(row.value >= 0 and row.window_days == 1 for row in rows),
    )


@SETTINGS
@given(data=st.data())
def test_pypi_overall_parser(data):
    payload = mutate(OVERALL, data) if data.draw(st.booleans()) else data.draw(json_values)
    assert_clear(
        lambda: pypi.parse_overall(payload, "torch"),
        lambda rows: rows and all(row.value >= 0 and row.metric in pypi.CATEGORY_METRICS.values() for row in rows),
    )


@SETTINGS
@given(data=st.data())
def test_pypi_release_parser(data):
    payload = mutate(RELEASES, data) if data.draw(st.booleans()) else data.draw(json_values)
    assert_clear(
        lambda: pypi.parse_first_release(payload, "torch"), lambda result: result is None or isinstance(result[0], date)
    )


# --- counts: every well-formed answer is read exactly, and a negative count is refused, never stored ----------

counts = st.integers(min_value=-3, max_value=10**9)


@SETTINGS
@given(values=st.fixed_dictionaries({field: counts for field in github.SNAPSHOT_METRICS.values()}))
def test_github_repo_counts_are_read_exactly_and_negative_ones_refused(values):
    payload = {**REPO, **values}
    if any(value < 0 for value in values.values()):
        with pytest.raises(github.PayloadError, match="expected a non-negative integer"):
            github.parse_repo(payload, "a/b", date(2026, 11, 22))
        return
    rows, created = github.parse_repo(payload, "a/b", date(2026, 11, 22))
    assert {row.metric: row.value for row in rows} == {m: values[f] for m, f in github.SNAPSHOT_METRICS.items()}
    assert created == date(2016, 8, 13) and all(row.date == date(2026, 11, 22) for row in rows)


@SETTINGS
@given(weeks=st.lists(st.lists(st.integers(min_value=-2, max_value=500), min_size=7, max_size=7), max_size=6))
def test_github_history_days_are_read_exactly_and_negative_ones_refused(weeks):
    first_sunday = 1_700_352_000  # 2023-11-19, a Sunday
    payload = [{"week": first_sunday + 7 * 86400 * n, "total": sum(days), "days": days} for n, days in enumerate(weeks)]
    if any(n < 0 for days in weeks for n in days):
        with pytest.raises(github.PayloadError, match="non-count days"):
            github.parse_history(payload, "a/b", date(2026, 11, 22))
        return
    rows = github.parse_history(payload, "a/b", date(2026, 11, 22))
    assert [row.value for row in rows] == [n for days in weeks for n in days]
    assert [row.date for row in rows] == [date(2023, 11, 19) + timedelta(days=d) for d in range(7 * len(weeks))]


@SETTINGS
@given(
    items=st.lists(
        st.tuples(st.sampled_from(sorted(pypi.CATEGORY_METRICS)), st.dates(date(2020, 1, 1), date(2026, 11, 21)),
                  counts),
        min_size=1, max_size=20,
    )
)  # fmt: skip
def test_pypi_daily_counts_are_read_exactly_and_negative_ones_refused(items):
    data = [{"category": category, "date": day.isoformat(), "downloads": n} for category, day, n in items]
    payload = {"data": data, "package": "torch", "type": "overall_downloads"}
    if any(n < 0 for *_, n in items):
        with pytest.raises(pypi.PayloadError, match="is not a count"):
            pypi.parse_overall(payload, "torch")
        return
    rows = pypi.parse_overall(payload, "torch")
    assert [(row.metric, row.date, row.value, row.window_days) for row in rows] == [
        (pypi.CATEGORY_METRICS[category], day, n, 1) for category, day, n in items
    ]


FEED = body("arxiv/count_ok.json")


@SETTINGS
@given(text=st.text(max_size=300), cut=st.integers(0, len(FEED)), junk=st.text(max_size=20))
def test_arxiv_feed_parser(text, cut, junk):
    for candidate in (text, FEED[:cut], FEED[:cut] + junk + FEED[cut:]):
        assert_clear(lambda c=candidate: arxiv.parse_total(c), lambda total: isinstance(total, int) and total >= 0)


CLICKPY = body("clickpy/torch_2023-05-24_2025-11-09.json")
CLICKPY_SUMMARY = load_recording("clickpy/torch_2023-05-24_2025-11-09.json")["response"]["headers"][
    "X-ClickHouse-Summary"
]


@SETTINGS
@given(text=st.text(max_size=300), cut=st.integers(0, 2000), junk=st.text(max_size=30))
def test_clickhouse_answer_parser(text, cut, junk):
    for candidate in (text, CLICKPY[:cut], CLICKPY[:cut] + junk + CLICKPY[cut : cut + 500]):
        for summary in (None, CLICKPY_SUMMARY, junk):
            assert_clear(
                lambda c=candidate, s=summary: clickhouse.parse_answer(c, s, "test"),
                lambda answer: isinstance(answer.rows, list) and isinstance(answer.totals, dict),
            )


@SETTINGS
@given(data=st.data())
def test_clickhouse_window_check(data):
    payload = mutate(json.loads(CLICKPY), data) if data.draw(st.booleans()) else data.draw(json_values)

    def window() -> list:
        answer = clickhouse.parse_answer(json.dumps(payload), CLICKPY_SUMMARY, "test")
        return clickhouse.complete_days(answer, "date", "downloads", date(2023, 5, 24), date(2025, 11, 9), "test")

    assert_clear(window, lambda days: all(isinstance(day, date) and value >= 0 for day, value in days))


@SETTINGS
@given(value=json_values)
def test_clickhouse_integers(value):
    assert_clear(lambda: clickhouse.as_int(value, "test"), lambda n: isinstance(n, int) and n >= 0)


@SETTINGS
@given(
    values=st.lists(st.integers(0, 100), min_size=0, max_size=12),
    step=st.sampled_from([1, 7, 30, 31]),
    partial=st.booleans(),
)
def test_trends_frame_parser(values, step, partial):
    index = pd.date_range("2021-01-03", periods=len(values), freq=f"{step}D", name="date")
    frame = pd.DataFrame({"jax": values, "isPartial": [False] * len(values)}, index=index)
    if partial and values:
        frame.loc[frame.index[-1], "isPartial"] = True
    batch = trends.Batch(("jax",), 1, 1, None)
    assert_clear(
        lambda: trends.parse_frame(frame, batch, "today 5-y"),
        lambda rows: all(0 <= row.value <= 100 and row.window_days >= 1 for row in rows),
    )


MULTILINE = body("trends/multiline_5y.json")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_trends_answers_through_pytrends(data):
    """Arbitrary answers to the multiline request go through pytrends' own parsing: PayloadError, never a crash."""
    mutated = mutate(json.loads(MULTILINE[5:]), data)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        add_recording(mock, "trends/nid_cookie.json")
        add_recording(mock, "trends/explore_5y.json")
        url = load_recording("trends/multiline_5y.json")["request"]["url"]
        mock.add("GET", url, body=")]}',\n" + json.dumps(mutated), content_type="application/json")
        assert_clear(lambda: trends.fetch_interest(trends.make_client(), TERMS, "today 5-y"))


def test_trends_fetch_turns_pytrends_parse_failures_into_payload_errors(mock_http):
    add_recording(mock_http, "trends/nid_cookie.json")
    add_recording(mock_http, "trends/explore_5y.json")
    recording = load_recording("trends/multiline_5y.json")
    mock_http.add(
        "GET",
        recording["request"]["url"],
        body=')]}\',\n{"default": {"timelineData": [{"x": 1}]}}',
        content_type="application/json",
    )
    with pytest.raises(trends.PayloadError, match="unexpected shape"):
        trends.fetch_interest(trends.make_client(), TERMS, "today 5-y")


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), "1e999"])
def test_clickhouse_integers_refuse_infinities_with_a_clear_error(value):
    """Found by the property test under a shifted clock: infinity raised OverflowError, not a payload error."""
    with pytest.raises(clickhouse.PayloadError, match="is not an integer"):
        clickhouse.as_int(value, "test")
