"""Import and export in the interchange format, Google Trends website exports, and the shipped history."""

from pathlib import Path

import pandas as pd
import pytest

from collectors import cli, inputs, interchange
from collectors.errors import InputFileError
from collectors.sources import trends
from tests.conftest import FIXTURES, query

HEADER = "source,subject,metric,date,window_days,value,origin\n"
GOOD = HEADER + (
    "github,pytorch/pytorch,stars,2023-01-01,,61332,archive A\n"
    "pypi,torch,downloads,2023-01-31,30,123456,archive B\n"
    "papers,pytorch,papers_mentioning,2021-12-31,365,1234,archive C\n"
)


def write(tmp_path: Path, text: str, name: str = "obs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def observations(db: Path) -> list[tuple]:
    return query(db, "select source, subject, metric, date, window_days, value, origin from observations order by all")


def test_import_keeps_origin_and_reimport_changes_nothing(db: Path, tmp_path: Path):
    path = write(tmp_path, GOOD)
    assert interchange.import_files(db, [path]) == 3
    assert interchange.import_files(db, [path]) == 0
    rows = observations(db)
    assert [r[6] for r in rows] == ["archive A", "archive C", "archive B"]
    assert query(db, "select window_days from observations where metric = 'stars'") == [(None,)]


def test_export_then_import_into_an_empty_database_gives_the_same_observations(db: Path, tmp_path: Path):
    interchange.import_files(db, [write(tmp_path, GOOD)])
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"export.{fmt}"
        assert interchange.export(db, out, fmt) == 3
        fresh = tmp_path / f"fresh-{fmt}.duckdb"
        inputs.init_db(fresh)
        interchange.import_files(fresh, [out])
        assert observations(fresh) == observations(db)
        assert query(fresh, "select collected_at from observations order by all") == query(
            db, "select collected_at from observations order by all"
        )


def test_export_filters_by_source_and_subject(db: Path, tmp_path: Path):
    interchange.import_files(db, [write(tmp_path, GOOD)])
    out = tmp_path / "torch.csv"
    assert interchange.export(db, out, "csv", sources=["pypi"], subjects=["torch"]) == 1
    frame = pd.read_csv(out)
    assert list(frame.columns[:7]) == list(interchange.COLUMNS)
    assert frame.loc[0, "value"] == 123456


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("source,subject,metric,date,value,origin\n", "line 1: wrong columns (missing ['window_days']"),
        (HEADER.replace("origin", "origin,colour") + "github,a/b,stars,2023-01-01,,1,o,red\n", "unexpected ['colour']"),
        (HEADER + "github,a/b,stars,2023-02-30,,1,o\n", "line 2: date '2023-02-30' is not an ISO date"),
        (HEADER + "github,a/b,stars,01/02/2023,,1,o\n", "line 2: date '01/02/2023'"),
        (HEADER + "github,a/b,stars,2023-01-01,,-5,o\n", "line 2: value -5 is negative"),
        (HEADER + "github,a/b,stars,2023-01-01,,many,o\n", "line 2: value 'many' is not a number"),
        (HEADER + "github,a/b,stars,2023-01-01,,nan,o\n", "line 2: value 'nan' is not a number"),
        (HEADER + "github,a/b,stars,2023-01-01,0,1,o\n", "line 2: window_days '0'"),
        (HEADER + "github,a/b,stars,2023-01-01,,1,\n", "line 2: origin is empty"),
        (HEADER + "github,a/b,stars,2023-01-01,,1,o\ngithub,a/b,stars,2023-01-01,,2,o\n", "line 3: duplicate"),
        (HEADER + "github,a/b,stars,2023-01-01,,1,o,extra\n", "line 2: more fields than the header"),
        ("", "empty file"),
    ],
)
def test_bad_file_is_rejected_whole_with_line_and_problem(db: Path, tmp_path: Path, text: str, problem: str):
    interchange.import_files(db, [write(tmp_path, GOOD, "good.csv")])
    before = observations(db)
    bad = write(tmp_path, text)
    with pytest.raises(InputFileError) as error:
        interchange.import_files(db, [write(tmp_path, GOOD, "second.csv"), bad])
    assert str(bad) in str(error.value) and problem in str(error.value)
    assert observations(db) == before, "nothing of a bad import is written"


def test_wrong_encoding_names_the_line(db: Path, tmp_path: Path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "github,a/b,stars,2023-01-01,,1,caf\xe9\n").encode("latin-1"))
    with pytest.raises(InputFileError, match="line 2: not UTF-8"):
        interchange.import_files(db, [path])


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (",a/b,stars,2023-01-01,,1,o", "line 2: source '' is not a name"),
        ("git hub,a/b,stars,2023-01-01,,1,o", "line 2: source 'git hub' is not a name"),
        ("../github,a/b,stars,2023-01-01,,1,o", "line 2: source '../github' is not a name"),
        ("github,,stars,2023-01-01,,1,o", "line 2: subject is empty"),
        ("github,   ,stars,2023-01-01,,1,o", "line 2: subject is empty"),
        ("github,a/b,star count,2023-01-01,,1,o", "line 2: metric 'star count' is not a name"),
    ],
)
def test_rows_without_a_source_name_or_a_subject_are_refused(db: Path, tmp_path: Path, row: str, problem: str):
    """Such a row could never be found again by source and subject; the file is refused whole, naming the line."""
    bad = write(tmp_path, HEADER + row + "\n")
    with pytest.raises(InputFileError) as error:
        interchange.import_files(db, [bad])
    assert str(error.value).startswith(f"{bad}: {problem}")
    assert observations(db) == []


def test_the_smallest_valid_values_are_kept(db: Path, tmp_path: Path):
    """A count of 0 over one day and a level of 0 are real observations, not errors."""
    path = write(tmp_path, HEADER + "pypi,torch,downloads,2023-01-01,1,0,o\ngithub,a/b,stars,2023-01-01,,0,o\n")
    assert interchange.import_files(db, [path]) == 2
    assert query(db, "select source, window_days, value from observations order by all") == [
        ("github", None, 0.0), ("pypi", 1, 0.0)
    ]  # fmt: skip


def test_collected_at_is_kept_when_given_and_refused_when_not_a_time(db: Path, tmp_path: Path):
    header = HEADER.strip() + ",collected_at\n"
    good = write(tmp_path, header + "github,a/b,stars,2023-01-01,,1,o,\ngithub,a/b,stars,2023-01-02,,2,o,"
                 "2023-01-02T08:00:00\n", "good.csv")  # fmt: skip
    interchange.import_files(db, [good])
    stamps = query(db, "select date::varchar, collected_at::varchar from observations order by date")
    assert stamps[1] == ("2023-01-02", "2023-01-02 08:00:00") and stamps[0][1] is not None, "empty: the import's time"
    bad = write(tmp_path, header + "github,a/b,stars,2023-01-03,,3,o,2023-01-02T08:00:00\n"
                "github,a/b,stars,2023-01-04,,4,o,yesterday\n", "bad.csv")  # fmt: skip
    with pytest.raises(InputFileError) as error:
        interchange.import_files(db, [bad])
    assert str(error.value) == f"{bad}: line 3: collected_at 'yesterday' is not an ISO timestamp"


def test_import_errors_read_in_full(db: Path, tmp_path: Path):
    """Each message names the file, the line and what is wrong, in these words."""
    (tmp_path / "folder.csv").mkdir()
    cases = {
        tmp_path / "missing.csv": "no such file",
        tmp_path / "folder.csv": "is a directory, not a file",
        write(tmp_path, "x", "obs.json"): "unknown file type '.json'; expected .csv or .parquet",
        write(tmp_path, "not parquet", "obs.parquet"): "not a readable Parquet file (",
        write(tmp_path, "source,subject\n", "columns.csv"): (
            "line 1: wrong columns (missing ['metric', 'date', 'window_days', 'value', 'origin'], unexpected none); "
            "expected source,subject,metric,date,window_days,value,origin[,collected_at]"
        ),
        write(tmp_path, HEADER + "github,a/b,stars,2023-01-01,,1,o\ngithub,a/b,stars,2023-01-01,,2,o\n", "dup.csv"): (
            "line 3: duplicate observation github/a/b/stars on 2023-01-01 (first on line 2)"
        ),
        write(tmp_path, HEADER + "github,a/b,stars,2023-01-01,0.5,1,o\n", "window.csv"): (
            "line 2: window_days '0.5' is not empty or a whole number of days >= 1"
        ),
    }
    for path, says in cases.items():
        with pytest.raises(InputFileError) as error:
            interchange.import_files(db, [path])
        assert str(error.value).startswith(f"{path}: {says}"), str(error.value)


def test_a_parquet_file_numbers_its_rows_from_one(db: Path, tmp_path: Path):
    rows = [("github", "a/b", "stars", "2023-01-01", None, 1.0, "o"), ("github", "a/b", "stars", "2023-01-02", None,
            -1.0, "o")]  # fmt: skip
    path = tmp_path / "obs.parquet"
    pd.DataFrame(rows, columns=list(interchange.COLUMNS)).to_parquet(path)
    with pytest.raises(InputFileError) as error:
        interchange.import_files(db, [path])
    assert str(error.value) == f"{path}: line 2: value -1 is negative"


def test_cli_import_and_export_exit_codes(tmp_path: Path, capsys):
    db = tmp_path / "cli.duckdb"
    good = write(tmp_path, GOOD)
    assert cli.main(["import", "--db", str(db), str(good)]) == cli.EXIT_OK
    assert cli.main(["export", "--db", str(db), "--format", "parquet", str(tmp_path / "o.parquet")]) == cli.EXIT_OK
    bad = write(tmp_path, HEADER + "github,a/b,stars,2023-01-01,,x,o\n", "bad.csv")
    assert cli.main(["import", "--db", str(db), str(bad)]) == cli.EXIT_USAGE
    assert "bad.csv: line 2: value 'x' is not a number" in capsys.readouterr().err
    runs = query(db, "select source, command, status, rows_written from collection_runs order by source")
    assert runs == [("github", "import", "ok", 1), ("papers", "import", "ok", 1), ("pypi", "import", "ok", 1)], (
        "one run per imported source; a file refused before writing records no run"
    )


def test_trends_website_export_is_read_with_its_layout(db: Path):
    path = FIXTURES / "trends" / "multiTimeline.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Category:") and lines[1] == "" and lines[2].startswith("Week,pytorch: (Worldwide)")

    written = sum(trends.import_exports(db, [path]).values())

    weeks = len(lines) - 3
    assert written == 2 * weeks
    first_week = lines[3].split(",")
    rows = query(
        db,
        "select term, interest, resolution, period_start::varchar from trends_interest "
        "where period_start = ? order by term",
        [first_week[0]],
    )
    assert rows == [
        ("pytorch", int(first_week[1].replace("<1", "0")), "week", first_week[0]),
        ("tensorflow", int(first_week[2].replace("<1", "0")), "week", first_week[0]),
    ]
    assert sum(trends.import_exports(db, [path]).values()) == 0


def test_trends_export_values_below_one_are_stored_as_zero(db: Path, tmp_path: Path):
    text = "Category: All categories\n\nMonth,jax: (Worldwide),keras: (Worldwide)\n2004-01,<1,3\n2004-02,1,<1\n"
    trends.import_exports(db, [write(tmp_path, text, "multiTimeline.csv")])
    rows = query(
        db,
        "select term, period_start::varchar, period_end::varchar, interest, resolution "
        "from trends_interest order by term, period_start",
    )
    assert rows == [
        ("jax", "2004-01-01", "2004-01-31", 0, "month"),
        ("jax", "2004-02-01", "2004-02-29", 1, "month"),
        ("keras", "2004-01-01", "2004-01-31", 3, "month"),
        ("keras", "2004-02-01", "2004-02-29", 0, "month"),
    ]


def test_malformed_trends_export_is_refused(tmp_path: Path):
    path = write(tmp_path, "Week,pytorch: (Worldwide)\n2021-11-21,50\n", "multiTimeline.csv")
    with pytest.raises(InputFileError, match="not a Google Trends export"):
        trends.read_export(path)
    path = write(tmp_path, "Category: All categories\n\nWeek,pytorch: (Worldwide)\n2021-11-21,150\n", "m.csv")
    with pytest.raises(InputFileError, match="line 4: interest '150'"):
        trends.read_export(path)


def test_the_shipped_history_imports_whole_and_keeps_known_values(db: Path):
    """The real archives' figures (data/seed, in the interchange format): all of them, the known values kept."""
    shipped = Path(__file__).resolve().parents[1] / "data" / "seed" / "observations.parquet"
    written = interchange.import_files(db, [shipped])
    assert written == len(pd.read_parquet(shipped)) > 40_000
    assert query(db, "select stars from github_stars_daily where repo = 'pytorch/pytorch' and date = '2023-01-01'") == [
        (61332,)
    ]
    assert query(db, "select count(distinct source) from observations") == [(3,)]  # github, pypi, papers
    assert interchange.import_files(db, [shipped]) == 0
