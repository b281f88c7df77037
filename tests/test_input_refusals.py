"""Bad input is refused with the file and the line, and nothing is stored (issue 24 §2)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from collectors import claims, cli, interchange, store
from collectors.errors import ConfigError
from collectors.projects import load_projects
from collectors.sources import trends
from tests.conftest import query
from tests.test_claims import ARTICLE, claim
from tests.test_cli import JAX_ONLY as JAX
from tests.test_config import VALID_ENTRY


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line of `text` that contains `needle`."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def refusal(path: Path, text: str, load) -> str:
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load(path)
    return str(error.value)


@pytest.mark.parametrize(
    ("text", "needle", "occurrence", "says"),
    [
        (VALID_ENTRY + JAX.replace('name = "JAX"', 'name = "JAX"\ncolour = "red"'), "colour", 1,
         "project #2 (jax): unknown field(s) ['colour']"),
        (VALID_ENTRY + JAX.replace('id = "jax"', 'id = "pytorch"'), 'id = "pytorch"', 2,
         "project #2 (pytorch): field 'id' = 'pytorch' is already used by project #1 (pytorch, line 2)"),
        (VALID_ENTRY + JAX.replace('pypi = ["jax"]', 'pypi = ["torch"]'), 'pypi = ["torch"]', 2,
         "project #2 (jax): package 'torch' is already counted for project #1 (pytorch, line 2)"),
        (VALID_ENTRY + JAX.replace('"jax-ml/jax"', '"jax"'), 'github = "jax"', 1,
         "project #2 (jax): field 'github' = 'jax' is not a repository owner/name"),
    ],
)  # fmt: skip
def test_projects_errors_found_after_parsing_name_the_line(tmp_path, text, needle, occurrence, says):
    path = tmp_path / "projects.toml"
    message = refusal(path, text, load_projects)
    assert message.startswith(f"{path}: line {line_of(text, needle, occurrence)}: {says}")


@pytest.mark.parametrize(
    ("register", "needle", "occurrence", "says"),
    [
        (claim("x", claimed_value=1, tolerance=0.1) + claim("y", claimed_value=1, tolerance=0.1, colour="red"),
         "colour", 1, "claim #2 (y): unknown field(s) ['colour']"),
        (claim("x", claimed_value=1, tolerance=0.1) + claim("x", claimed_value=2, tolerance=0.1), 'id = "x"', 2,
         "claim #2 (x): field 'id' is already used by claim #1 (line 9)"),
        (ARTICLE.replace('"A test article"', '"again"') + claim("x", claimed_value=1, tolerance=0.1), 'id = "a"', 2,
         "article #2 (a): field 'id' is already used by article #1 (line 2)"),
        (claim("x", claimed_value=1, tolerance=0.1, contradicts=["nope"]), "contradicts", 1,
         "claim #1 (x): field 'contradicts' names unknown claim 'nope'"),
        (claim("x", kind="guess"), "kind", 1, "claim #1 (x): field 'kind' is 'guess'"),
    ],
)  # fmt: skip
def test_register_errors_found_after_parsing_name_the_line(tmp_path, register, needle, occurrence, says):
    path = tmp_path / "claims.toml"
    text = ARTICLE + register
    message = refusal(path, text, claims.load_register)
    assert message.startswith(f"{path}: line {line_of(text, needle, occurrence)}: {says}")


def test_an_unknown_verdict_is_refused_with_the_valid_ones(tmp_path, capsys):
    code = cli.main(["claims", "check", "--db", str(tmp_path / "e.duckdb"), "--verdict", "wrong"])
    assert code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "invalid choice: 'wrong'" in err
    assert all(verdict in err for verdict in claims.VERDICTS)
    assert not (tmp_path / "e.duckdb").exists()


# --- ecotrends import: what a series cannot hold, dates after today, collected values, events ------------------

HEADER = "source,subject,metric,date,window_days,value,origin\n"
STARS = "github,pytorch/pytorch,stars,2023-01-01,,61332,archive A\n"


def stored(db: Path) -> list[tuple]:
    return query(db, "select source, subject, metric, date, window_days, value, origin from observation order by all")


def import_cli(db: Path, *files: Path, keep: bool = False) -> int:
    return cli.main(["import", "--db", str(db), *(["--keep-collected"] if keep else []), *map(str, files)])


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("pypi,torch,downloads_without_mirrors,2023-01-31,1,1e30,x\n",
         "line 3: value 1e30 is larger than a series can hold (9,223,372,036,854,775,807 at most)"),
        ("github,pytorch/pytorch,stars,2023-01-02,,9223372036854777856,x\n",
         "line 3: value 9223372036854777856 is larger"),
        ("pypi,torch,downloads_without_mirrors,2023-01-31,1,12.5,x\n",
         "line 3: value 12.5 of pypi downloads_without_mirrors is not a whole number (it counts downloads)"),
        ("github,pytorch/pytorch,stars,2023-01-02,,61332.5,x\n",
         "line 3: value 61332.5 of github stars is not a whole"),
        ("github,pytorch/pytorch,stars,2099-01-01,,5,x\n",
         "line 3: date 2099-01-01 is in the future (today is 2026-11-22"),
        ("github,pytorch/pytorch,stars,2026-11-24,,5,x\n", "line 3: date 2026-11-24 is in the future"),
    ],
)  # fmt: skip
def test_import_refuses_what_a_series_cannot_hold_naming_file_and_line(seeded, tmp_path, capsys, clock_at, row, says):
    clock_at(datetime(2026, 11, 22, 23, 0))
    before = stored(seeded)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + STARS + row)
    assert import_cli(seeded, bad) == cli.EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err == f"ecotrends: {bad}: {says}" or err.startswith(f"ecotrends: {bad}: {says}")
    assert len(err.splitlines()) == 1
    assert stored(seeded) == before, "nothing of a refused import is stored"
    for view in ("github_stars_daily", "pypi_downloads_daily", "pypi_project_downloads_daily"):
        query(seeded, f"select count(*) from {view}")  # every view still reads


def test_import_allows_fractions_where_a_series_holds_them_and_tomorrow_for_time_zones(db, tmp_path, clock_at):
    clock_at(datetime(2026, 11, 22, 23, 0))
    good = tmp_path / "good.csv"
    tomorrow = STARS.replace("2023-01-01", "2026-11-23")
    good.write_text(HEADER + "trends,pytorch,interest,2026-11-21,7,12.5,x\n" + tomorrow)
    assert import_cli(db, good) == cli.EXIT_OK
    assert query(db, "select value from observation order by all") == [(12.5,), (61332.0,)]


def test_today_is_the_injected_clock_not_the_machine_date(db, tmp_path, clock_at):
    late = tmp_path / "late.csv"
    late.write_text(HEADER + STARS.replace("2023-01-01", "2031-01-01"))
    clock_at(datetime(2031, 1, 1, 0, 30))
    assert import_cli(db, late) == cli.EXIT_OK
    clock_at(datetime(2030, 12, 30, 12, 0))
    late.write_text(HEADER + STARS.replace("2023-01-01", "2031-01-01").replace("61332", "61333"))
    assert import_cli(db, late) == cli.EXIT_USAGE


def collected_star(db: Path, value: float) -> None:
    """A star count as `ecotrends collect` stores it: written by a collect run."""
    with store.connect(db) as conn:
        run_id = store.start_run(conn, "github", "collect")
        row = store.Observation("github", "pytorch/pytorch", "stars", date(2023, 1, 1), None, value, "GET /repos")
        store.upsert_observations(conn, [row], run_id)
        store.finish_run(conn, run_id, "ok", 1, 1)


def test_an_import_says_how_many_collected_values_it_replaced(db, tmp_path, capsys):
    collected_star(db, 61000)
    file = tmp_path / "stars.csv"
    file.write_text(HEADER + STARS + STARS.replace("2023-01-01", "2023-01-02"))
    assert import_cli(db, file) == cli.EXIT_OK
    assert "replaced 1 collected value(s) (--keep-collected keeps them)" in capsys.readouterr().err
    assert query(db, "select value, origin from observation where date = '2023-01-01'") == [(61332, "archive A")]


def test_keep_collected_keeps_collected_values_and_still_replaces_imported_ones(db, tmp_path, capsys):
    collected_star(db, 61000)
    imported = tmp_path / "imported.csv"
    imported.write_text(HEADER + STARS.replace("2023-01-01", "2023-01-02"))
    assert import_cli(db, imported) == cli.EXIT_OK
    capsys.readouterr()
    file = tmp_path / "stars.csv"
    second_day = STARS.replace("2023-01-01", "2023-01-02")
    file.write_text(HEADER + STARS.replace("61332", "1") + second_day.replace("61332", "2"))
    assert import_cli(db, file, keep=True) == cli.EXIT_OK
    assert "kept 1 collected value(s) that the files would have changed" in capsys.readouterr().err
    assert query(db, "select date::varchar, value from observation order by date") == [
        ("2023-01-01", 61000), ("2023-01-02", 2)
    ]  # fmt: skip


def verdicts_of(db: Path) -> dict[str, str]:
    return dict(query(db, "select claim_id, verdict from claim_checks"))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_then_import_into_a_new_database_keeps_every_verdict(seeded, tmp_path, capsys, fmt):
    out = tmp_path / f"all.{fmt}"
    assert cli.main(["export", "--db", str(seeded), "--format", fmt, str(out)]) == cli.EXIT_OK
    events = interchange.events_path(out)
    assert events.name == f"all.events.{fmt}"
    assert f"import both: ecotrends import {out} {events}" in capsys.readouterr().err
    fresh = tmp_path / "fresh.duckdb"
    assert import_cli(fresh, out, events) == cli.EXIT_OK

    before, after = verdicts_of(seeded), verdicts_of(fresh)
    assert Counter(after.values()) == Counter(before.values())
    assert after == before
    assert Counter(before.values())["supported"] == 18, "the shipped history's counts (README)"
    events_query = "select source, subject, event, date, origin from subject_event order by all"
    assert query(fresh, events_query) == query(seeded, events_query)


def test_an_events_file_is_validated_like_observations(db, tmp_path, capsys):
    events = tmp_path / "x.events.csv"
    events.write_text(
        "source,subject,event,date,origin\n"
        "github,pytorch/pytorch,created,2016-08-13,GitHub API\n"
        "github,pytorch/pytorch,created,2016-08-14,GitHub API\n"
    )
    assert import_cli(db, events) == cli.EXIT_USAGE
    says = f"{events}: line 3: duplicate event github/pytorch/pytorch/created (first on line 2)"
    assert says in capsys.readouterr().err
    events.write_text("source,subject,event,date,origin\ngithub,pytorch/pytorch,created,2099-01-01,GitHub API\n")
    assert import_cli(db, events) == cli.EXIT_USAGE
    assert f"{events}: line 2: date 2099-01-01 is in the future" in capsys.readouterr().err
    assert query(db, "select count(*) from subject_event") == [(0,)]


# --- Google Trends website exports never mix scales with pytrends' points -----------------------------------------

WEEKS = ("2026-10-04", "2026-10-11", "2026-10-18")  # pytrends dates a week by its Sunday; stored on its Saturday


def collected_interest(db: Path) -> None:
    """Weekly interest of pytorch and tensorflow as one pytrends request stores it."""
    rows = [
        trends.Observation("trends", term, "interest", date.fromisoformat(week) + timedelta(days=6), 7, value, "req")
        for term, values in (("pytorch", (50, 60, 70)), ("tensorflow", (20, 30, 40)))
        for week, value in zip(WEEKS, values, strict=True)
    ]
    request = trends.Request("today 5-y", "1/1", None, ("pytorch", "tensorflow"))
    with store.connect(db) as conn:
        run_id = store.start_run(conn, "trends", "collect")
        trends.save(conn, rows, {"pytorch": request, "tensorflow": request}, run_id)
        store.finish_run(conn, run_id, "ok", len(rows), 1)


def export_file(tmp_path: Path, name: str, columns: dict[str, tuple], weeks: tuple[str, ...]) -> Path:
    header = "Week," + ",".join(f"{term}: (Worldwide)" for term in columns)
    lines = [f"{week}," + ",".join(str(values[i]) for values in columns.values()) for i, week in enumerate(weeks)]
    path = tmp_path / name
    path.write_text("Category: All categories\n\n" + "\n".join([header, *lines]) + "\n")
    return path


def interest(db: Path) -> dict[tuple[str, str], float]:
    rows = query(db, "select term, period_start::varchar, interest_value from (select *, o.value as interest_value "
                     "from trends_interest as t join observation as o on o.source = 'trends' and o.subject = t.term "
                     "and o.date = t.period_end and o.metric = 'interest')")  # fmt: skip
    return {(term, week): value for term, week, value in rows}


def import_trends(db: Path, *files: Path, keep: bool = False) -> int:
    extra = ["--keep-collected"] if keep else []
    return cli.main(["import", "--db", str(db), "--trends-csv", *extra, *map(str, files)])


def test_an_export_is_put_on_the_stored_scale_through_a_term_both_carry(db, tmp_path, capsys):
    collected_interest(db)
    weeks = ("2026-10-11", "2026-10-18", "2026-10-25")
    columns = {"pytorch": (80, 100, 90), "tensorflow": (30, 50, 60), "keras": (40, 50, 45)}
    export = export_file(tmp_path, "multiTimeline.csv", columns, weeks)

    assert import_trends(db, export) == cli.EXIT_OK

    scale = (60 + 70) / (80 + 100)  # pytorch, the stored term with most interest, in the weeks both hold
    after = interest(db)
    assert after["keras", "2026-10-11"] == pytest.approx(round(40 * scale, 2))
    assert after["keras", "2026-10-25"] == pytest.approx(round(45 * scale, 2))
    assert (after["pytorch", "2026-10-04"], after["pytorch", "2026-10-11"]) == (50, 60), "the anchor's points stay"
    assert after["pytorch", "2026-10-25"] == pytest.approx(round(90 * scale, 2))
    assert after["tensorflow", "2026-10-18"] == pytest.approx(round(50 * scale, 2))
    assert "replaced 2 collected value(s)" in capsys.readouterr().err  # tensorflow's two shared weeks
    assert query(db, "select distinct anchor from trends_interest where term = 'keras'") == [("pytorch",)]

    # a later export is put on the same scale through a term an earlier export brought
    jax = export_file(tmp_path, "jax.csv", {"keras": (20, 25, 10), "jax": (10, 10, 5)}, weeks)
    assert import_trends(db, jax) == cli.EXIT_OK
    assert interest(db)["jax", "2026-10-11"] == pytest.approx(round(10 * (after["keras", "2026-10-11"] + after[
        "keras", "2026-10-18"] + after["keras", "2026-10-25"]) / 55, 2))  # fmt: skip


def test_keep_collected_keeps_pytrends_points_an_export_would_replace(db, tmp_path, capsys):
    collected_interest(db)
    weeks = ("2026-10-11", "2026-10-18")
    export = export_file(tmp_path, "m.csv", {"pytorch": (80, 100), "tensorflow": (30, 50)}, weeks)
    assert import_trends(db, export, keep=True) == cli.EXIT_OK
    assert "kept 2 collected value(s)" in capsys.readouterr().err
    assert interest(db)["tensorflow", "2026-10-11"] == 30


@pytest.mark.parametrize(
    ("columns", "weeks", "says"),
    [
        ({"keras": (1, 2, 3), "jax": (4, 5, 6)}, ("2026-10-04", "2026-10-11", "2026-10-18"),
         "line 3: none of its terms (keras, jax) has stored weekly interest in its periods, which hold pytorch, "
         "tensorflow: add one of those to the export"),
        ({"pytorch": (1, 2, 3)}, ("2020-10-04", "2020-10-11", "2020-10-18"),
         "its weekly periods (2020-10-10..2020-10-24) share none with the 6 stored weekly Trends points "
         "(2026-10-10..2026-10-24)"),
        ({"pytorch": (1, 2)}, ("2026-11-15", "2026-11-29"), "line 5: 2026-11-29 is in the future (today is 2026-11-22"),
    ],
)  # fmt: skip
def test_an_export_that_cannot_be_put_on_the_stored_scale_is_refused(db, tmp_path, capsys, clock_at, columns, weeks,
                                                                     says):  # fmt: skip
    clock_at(datetime(2026, 11, 22, 12))
    collected_interest(db)
    before = stored(db)
    export = export_file(tmp_path, "m.csv", columns, weeks)
    assert import_trends(db, export) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"ecotrends: {export}: {says}" in err and len(err.strip().splitlines()) == 1
    assert stored(db) == before


def test_an_export_leaves_out_the_period_not_over_yet(db, tmp_path, clock_at):
    clock_at(datetime(2026, 11, 22, 12))
    export = export_file(tmp_path, "m.csv", {"pytorch": (40, 50)}, ("2026-11-15", "2026-11-22"))
    assert import_trends(db, export) == cli.EXIT_OK
    assert list(interest(db)) == [("pytorch", "2026-11-15")]


def test_exports_of_one_import_are_chained_in_the_order_given(db, tmp_path):
    collected_interest(db)
    weeks = ("2026-10-11", "2026-10-18")
    first = export_file(tmp_path, "first.csv", {"pytorch": (60, 70), "keras": (30, 35)}, weeks)
    second = export_file(tmp_path, "second.csv", {"keras": (60, 70), "jax": (6, 7)}, weeks)
    assert import_trends(db, first, second) == cli.EXIT_OK
    assert interest(db)["jax", "2026-10-11"] == pytest.approx(3.0)  # keras 60 in the second is 30 in the first
