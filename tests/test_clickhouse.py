"""ClickHouse answers (ClickPy, GH Archive) read exactly: what a recorded answer holds, and each refusal with its
reason. Written from the survivors of mutation testing (docs/reliability.md#mutation-testing)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from collectors import clickhouse
from collectors.clickhouse import PayloadError
from tests.conftest import load_recording

RECORDING = load_recording("clickpy/torch_2023-05-24_2025-11-09.json")
BODY = json.loads(RECORDING["response"]["body_text"])
SUMMARY = RECORDING["response"]["headers"]["X-ClickHouse-Summary"]
WINDOW = (date(2023, 5, 24), date(2025, 11, 9))


def answer_of(payload: dict, summary: str | None = SUMMARY) -> clickhouse.Answer:
    return clickhouse.parse_answer(json.dumps(payload), summary, "test")


def test_a_recorded_answer_is_read_whole():
    answer = answer_of(BODY)
    assert answer.rows == BODY["data"] and len(answer.rows) == 900
    assert answer.totals == {"date": "1970-01-01", "downloads": 1106887419, "days": 900}
    assert (answer.rows_read, answer.rows_planned) == (16384, 16384)
    days = clickhouse.complete_days(answer, "date", "downloads", *WINDOW, "test")
    assert days[0] == (date(2023, 5, 24), 651753) and len(days) == 900
    assert sum(value for _, value in days) == 1106887419


def test_the_read_counters_come_from_the_body_or_the_header_and_ignore_nonsense():
    assert answer_of({**BODY, "statistics": {"rows_read": 20000}}).rows_read == 20000, "the larger of the two"
    assert answer_of(BODY, None).rows_read == 16384 and answer_of(BODY, None).rows_planned is None
    assert answer_of({**BODY, "statistics": {"rows_read": -5}}, None).rows_read is None, "a negative count is no count"
    assert answer_of({**BODY, "statistics": None}, "not json").rows_read is None
    header = json.dumps({"read_rows": "10", "total_rows_to_read": "-1"})
    assert answer_of({**BODY, "statistics": None}, header).rows_planned is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"data": []}\nCode: 241. DB::Exception: Memory limit exceeded\n',
         "the server failed while streaming (HTTP 200): Code: 241. DB::Exception: Memory limit exceeded"),
        ('{"__exception__": "x"}', "the server failed while streaming (HTTP 200): exception in the body"),
        (json.dumps({**BODY, "exception": "Code: 159. Timeout"}), "(HTTP 200): Code: 159. Timeout"),
        ('{"data": [', "the answer is not one JSON document (cut short?)"),
        ("[1, 2]", "expected a JSON object, got list"),
        (json.dumps({**BODY, "data": [1]}), "'data' is not a list of rows"),
        (json.dumps({k: v for k, v in BODY.items() if k != "totals"}), "no totals row"),
        (json.dumps({**BODY, "rows": 899}), "'rows' says 899 but 'data' holds 900 rows"),
        (json.dumps({**BODY, "data": BODY["data"] * 2, "rows": 1800}), "1800 rows reached the result cap"),
    ],
)  # fmt: skip
def test_each_unusable_answer_is_refused_with_its_reason(text: str, says: str):
    with pytest.raises(PayloadError) as error:
        clickhouse.parse_answer(text, SUMMARY, "GET clickpy")
    assert str(error.value).startswith("GET clickpy: ") and says in str(error.value)


def test_a_window_with_rows_missing_or_out_of_place_is_refused():
    short = {**BODY, "data": BODY["data"][:-1], "rows": 899}
    cut = r"899 daily rows sum to 1,105,437,232 but the totals row counts 900 days and 1,106,887,419"
    with pytest.raises(PayloadError, match=cut):
        clickhouse.complete_days(answer_of(short), "date", "downloads", *WINDOW, "test")
    with pytest.raises(PayloadError, match="day 2023-05-24 is outside the window or out of order"):
        clickhouse.complete_days(answer_of(BODY), "date", "downloads", date(2023, 5, 25), WINDOW[1], "test")
    with pytest.raises(PayloadError, match="day 2025-11-08 is outside the window"):  # the window's end is excluded
        clickhouse.complete_days(answer_of(BODY), "date", "downloads", WINDOW[0], date(2025, 11, 8), "test")
    swapped = {**BODY, "data": [BODY["data"][1], BODY["data"][0], *BODY["data"][2:]]}
    with pytest.raises(PayloadError, match="out of order"):
        clickhouse.complete_days(answer_of(swapped), "date", "downloads", *WINDOW, "test")
    planned_more = json.dumps({"read_rows": "16384", "total_rows_to_read": "16385"})
    with pytest.raises(PayloadError, match="read 16,384 of the 16,385 rows it planned to read"):
        clickhouse.complete_days(answer_of(BODY, planned_more), "date", "downloads", *WINDOW, "test")


@pytest.mark.parametrize(("value", "number"), [(0, 0), ("0", 0), (12, 12), ("9007199254740993", 9007199254740993)])
def test_integers_arrive_as_numbers_or_quoted(value: object, number: int):
    assert clickhouse.as_int(value, "test") == number


@pytest.mark.parametrize(("value", "says"), [(-1, "test: negative count -1"), ("x", "test: 'x' is not an integer")])
def test_a_negative_or_non_integer_count_is_refused(value: object, says: str):
    with pytest.raises(PayloadError) as error:
        clickhouse.as_int(value, "test")
    assert str(error.value) == says
