"""The claims register, the verdict view and the claim extractor."""

from datetime import date
from pathlib import Path

import pytest

from collectors import claims, cli, interchange, store
from collectors.errors import ConfigError
from tests.conftest import SHARED, query

ARTICLES = SHARED / "articles"
HEADER = "source,subject,metric,date,window_days,value,origin\n"
ARTICLE = """
[[article]]
id = "a"
file = "a.txt"
title = "A test article"
author = "tester"
published = "2024-01"
published_basis = "test"
"""


def claim(claim_id: str, **fields) -> str:
    base = {
        "article": "a", "location": "test", "statement": f"claim {claim_id}", "kind": "value",
        "subjects": ["pytorch"], "source": "github", "metric": "stars", "period_start": "2023-01-01",
        "period_end": "2023-12-31", "check": "test",
    }  # fmt: skip
    base.update(fields)
    lines = [f'id = "{claim_id}"']
    for key, value in base.items():
        if isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in value) + "]")
        elif isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        else:
            lines.append(f"{key} = {value}")
    return "[[claim]]\n" + "\n".join(lines) + "\n"


def verdicts(db: Path, tmp_path: Path, register: str, observations: str = "") -> dict[str, tuple]:
    if observations:
        path = tmp_path / "obs.csv"
        path.write_text(HEADER + observations)
        interchange.import_files(db, [path])
    register_path = tmp_path / "claims.toml"
    register_path.write_text(ARTICLE + register)
    with store.connect(db) as conn:
        claims.sync_claims(conn, register_path)
    rows = query(db, "select claim_id, verdict, measured_value, explanation from claim_checks")
    return {row[0]: row[1:] for row in rows}


STARS = (
    "github,pytorch/pytorch,stars,2023-01-01,,60000,archive A\n"
    "github,pytorch/pytorch,stars,2023-07-01,,65000,archive A\n"
    "github,pytorch/pytorch,stars,2023-12-31,,70000,archive A\n"
    "github,tensorflow/tensorflow,stars,2023-06-01,,180000,archive A\n"
)


def test_the_real_register_loads_and_validates():
    articles, registered = claims.load_register()
    assert len(articles) == 5
    assert {a.file for a in articles} == {p.name for p in ARTICLES.glob("*.txt")} or not ARTICLES.exists()
    kinds = {c.kind for c in registered}
    assert kinds == {"value", "share", "comparison", "growth", "release_date", "uncheckable"}
    assert any(c.contradicts for c in registered), "contradictions between articles are registered"


@pytest.mark.parametrize(
    ("claimed", "verdict"),
    [(65000, "supported"), (77000, "supported"), (78000, "inaccurate"), (140000, "contradicted"), (54000, "supported")],
)
def test_value_within_tolerance_at_some_point_of_the_period(db, tmp_path, claimed, verdict):
    result = verdicts(db, tmp_path, claim("v", claimed_value=claimed, tolerance=0.1), STARS)
    assert result["v"][0] == verdict
    assert "60,000 (2023-01-01) to 70,000 (2023-12-31)" in result["v"][2]
    assert "archive A" in result["v"][2]


ARXIV = "".join(
    f"arxiv,pytorch,papers_mentioning,2023-{m:02d}-28,28,72,q\narxiv,tensorflow,papers_mentioning,2023-{m:02d}-28,28,28,q\n"
    f"arxiv,deep-learning,papers_total,2023-{m:02d}-28,28,1000,q\n"
    for m in (1, 2, 3)
)


@pytest.mark.parametrize(
    ("claimed", "verdict"), [(72, "supported"), (66, "supported"), (60, "inaccurate"), (30, "contradicted")]
)
def test_share_between_subjects(db, tmp_path, claimed, verdict):
    register = claim(
        "s",
        kind="share",
        subjects=["pytorch", "tensorflow"],
        source="arxiv",
        metric="papers_mentioning",
        claimed_value=claimed,
        tolerance=0.1,
        unit="percent",
    )
    result = verdicts(db, tmp_path, register, ARXIV)
    assert result["s"][:2] == (verdict, pytest.approx(72.0))
    assert "72.0%" in result["s"][2] and "pytorch 216, tensorflow 84" in result["s"][2]


def test_share_of_all_deep_learning_papers(db, tmp_path):
    register = claim(
        "dl",
        kind="share",
        subjects=["pytorch"],
        source="arxiv",
        metric="share_of_deep_learning",
        claimed_value=85,
        tolerance=0.1,
    )
    result = verdicts(db, tmp_path, register, ARXIV)
    assert result["dl"][0] == "contradicted"
    assert result["dl"][1] == pytest.approx(7.2)
    assert "216 of 3,000 deep-learning papers" in result["dl"][2]


def test_comparison_and_growth(db, tmp_path):
    register = (
        claim("bigger", kind="comparison", subjects=["tensorflow", "pytorch"], direction="greater")
        + claim("smaller", kind="comparison", subjects=["pytorch", "tensorflow"], direction="greater")
        + claim("up", kind="growth", direction="up")
        + claim("down", kind="growth", direction="down")
    )
    result = verdicts(db, tmp_path, register, STARS)
    assert result["bigger"][0] == "supported" and result["smaller"][0] == "contradicted"
    assert "tensorflow averaged 180,000 stars" in result["bigger"][2] and "65,000 for pytorch" in result["bigger"][2]
    assert result["up"][0] == "supported" and result["down"][0] == "contradicted"
    assert "+16.7%" in result["up"][2]  # 60,000 in the first quarter of the points, 70,000 in the last


@pytest.mark.parametrize(
    ("start", "end", "month", "verdict"),
    [
        ("2016-01-01", "2016-12-31", None, "supported"),
        ("2016-09-01", "2016-09-30", 9, "inaccurate"),
        ("2017-01-01", "2017-12-31", None, "inaccurate"),
        ("2015-01-01", "2015-12-31", None, "contradicted"),
        ("2019-01-01", "2019-12-31", None, "contradicted"),
    ],
)
def test_release_date_against_repository_creation_and_first_upload(db, tmp_path, start, end, month, verdict):
    with store.connect(db) as conn:
        store.record_event(conn, "github", "pytorch/pytorch", "created", date(2016, 8, 13), "GET /repos")
        store.record_event(conn, "pypi", "torch", "first_release", date(2018, 12, 7), "GET /pypi/torch/json")
    extra = {"claimed_month": month} if month else {}
    register = claim(
        "r",
        kind="release_date",
        metric="created",
        claimed_value=int(start[:4]),
        period_start=start,
        period_end=end,
        **extra,
    )
    verdict_row = verdicts(db, tmp_path, register)["r"]
    assert verdict_row[0] == verdict
    assert "created on 2016-08-13" in verdict_row[2] and "uploaded to PyPI on 2018-12-07" in verdict_row[2]


def test_no_data_names_the_command_that_fills_it(db, tmp_path):
    result = verdicts(
        db,
        tmp_path,
        claim("old", claimed_value=1000, tolerance=0.1, period_start="2010-01-01", period_end="2010-12-31"),
        STARS,
    )
    assert result["old"][0] == "no_data"
    assert "ecotrends collect --source github" in result["old"][2]


def test_uncheckable_keeps_its_reason_and_proxy(db, tmp_path):
    register = claim(
        "u",
        kind="uncheckable",
        source="none",
        metric="training_speed",
        reason="no source measures it.",
        proxy="github stars",
    )
    assert verdicts(db, tmp_path, register)["u"][0] == "uncheckable"


def test_break_in_the_period_is_named(db, tmp_path):
    rows = "".join(f"pypi,torch,downloads_without_mirrors,2026-08-{d:02d},1,{1000 + d},ps\n" for d in range(10, 31))
    register = claim(
        "g",
        kind="growth",
        direction="up",
        source="pypi",
        metric="downloads_without_mirrors",
        period_start="2026-08-01",
        period_end="2026-08-31",
    )
    assert "PyPI stops counting .metadata fetches (2026-08-24)" in verdicts(db, tmp_path, register, rows)["g"][2]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (claim("x", kind="guess"), "claim #1 (x): field 'kind' is 'guess'"),
        (claim("x", kind="value", claimed_value=5), "claim #1 (x): field 'tolerance' is missing"),
        (claim("x", kind="growth", direction="sideways"), "field 'direction' is 'sideways'"),
        (claim("x", period_start="2023-13-01", claimed_value=1, tolerance=0.1), "field 'period_start'"),
        (claim("x", article="zzz", claimed_value=1, tolerance=0.1), "field 'article' names unknown article 'zzz'"),
        (claim("x", kind="uncheckable", source="none"), "field 'reason' is missing"),
        (claim("x", claimed_value=1, tolerance=0.1, contradicts=["nope"]), "field 'contradicts' names unknown claim"),
        (
            claim("x", claimed_value=1, tolerance=0.1) + claim("x", claimed_value=1, tolerance=0.1),
            "claim x: field 'id'",
        ),
    ],
)
def test_bad_register_entries_name_file_claim_and_field(tmp_path, entry, problem):
    path = tmp_path / "claims.toml"
    path.write_text(ARTICLE + entry)
    with pytest.raises(ConfigError) as error:
        claims.load_register(path)
    assert str(path) in str(error.value) and problem in str(error.value)


@pytest.mark.skipif(not (SHARED / "snapshot" / "observations").exists(), reason="../shared/snapshot is absent")
def test_article_star_claims_get_the_verdicts_the_snapshot_supports(db):
    interchange.import_files(db, sorted((SHARED / "snapshot" / "observations").glob("*.csv")))
    rows = dict(query(db, "select claim_id, verdict from claim_checks where source = 'github' and metric = 'stars'"))
    assert rows["tech-matchups-pytorch-stars-2023"] == "supported"  # 61,332 .. 74,005 during 2023
    assert rows["tech-matchups-tf-stars-2023"] == "supported"  # 170,031 on 2023-01-01
    assert rows["aftab-2023-tf-dominant-force"] == "supported"
    contradictions = query(db, "select count(*) from claim_contradictions")[0][0]
    assert contradictions >= 3


@pytest.mark.skipif(not ARTICLES.exists(), reason="../shared/articles is absent")
def test_extract_proposes_the_quantitative_claims_of_the_articles(capsys):
    found = {}
    for path in sorted(ARTICLES.glob("*.txt")):
        for proposal in claims.propose_claims(path.read_text(encoding="utf-8"), path.name):
            found.setdefault((tuple(proposal["subjects"]), proposal["metric"], proposal["claimed_value"]), proposal)
    assert (("pytorch",), "stars", 65000.0) in found
    assert (("tensorflow",), "stars", 170000.0) in found
    assert (("pytorch",), "papers_mentioning", 72.0) in found
    assert (("pytorch-lightning",), "papers_mentioning", 85.0) in found
    assert (("tensorflow",), "created", 2015.0) in found
    assert (("pytorch",), "created", 2017.0) in found
    september = found[(("pytorch",), "created", 2016.0)]
    assert september["claimed_month"] == 9 or any(
        p["claimed_month"] == 9 for k, p in found.items() if k[1] == "created"
    )
    assert cli.main(["claims", "extract", str(ARTICLES / "003_b3b214d6917003ea.txt")]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "[[claim]]" in out and "claimed_value = 65000" in out
