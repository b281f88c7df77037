"""The claims register, the verdict view and the claim extractor."""

from datetime import date
from pathlib import Path

import pytest

from collectors import claims, inputs, interchange, store
from collectors.errors import ConfigError
from tests.conftest import query

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
        inputs.sync_claims(conn, register_path)
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
    assert len({a.file for a in articles}) == 5, "each article names the text it was checked against"
    assert {c.article for c in registered} == {a.id for a in articles}, "every article has its claims"
    kinds = {c.kind for c in registered}
    assert kinds == {"value", "share", "comparison", "rank", "growth", "release_date", "uncheckable"}
    assert any(c.contradicts for c in registered), "contradictions between articles are registered"
    two_horse = next(c for c in registered if c.id == "choosing-guide-two-horse-race")
    assert two_horse.alternatives == ("keras", "jax", "mxnet"), "a two-horse race is measured against the field"


@pytest.mark.parametrize(
    ("claimed", "verdict"),
    [(65000, "supported"), (77000, "supported"), (78000, "inaccurate"), (140000, "contradicted"), (54000, "supported"),
     (104999, "inaccurate"), (105000, "contradicted"), (120000, "contradicted")],
)  # fmt: skip
def test_value_within_tolerance_at_some_point_of_the_period(db, tmp_path, claimed, verdict):
    result = verdicts(db, tmp_path, claim("v", claimed_value=claimed, tolerance=0.1), STARS)
    assert result["v"][0] == verdict
    assert "60,000 (2023-01-01) to 70,000 (2023-12-31)" in result["v"][2]
    assert "archive A" in result["v"][2]


def test_value_names_the_day_the_claimed_level_was_reached(db, tmp_path):
    explanation = verdicts(db, tmp_path, claim("v", claimed_value=65000, tolerance=0.1), STARS)["v"][2]
    assert "first reached on 2023-07-01" in explanation
    assert "Judged on daily star counts" in explanation and "covering 2023-01-01..2023-12-31" in explanation


ARXIV = "".join(
    f"arxiv,pytorch,papers_mentioning,2023-{m:02d}-28,28,72,q\narxiv,tensorflow,papers_mentioning,2023-{m:02d}-28,28,28,q\n"
    f"arxiv,deep-learning,papers_total,2023-{m:02d}-28,28,1000,q\n"
    for m in range(1, 13)
)


@pytest.mark.parametrize(
    ("claimed", "verdict"),
    [(72, "supported"), (66, "supported"), (80, "supported"), (80.1, "inaccurate"), (60, "inaccurate"),
     (30, "contradicted")],
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
    assert "72.0%" in result["s"][2] and "pytorch 864, tensorflow 336" in result["s"][2]


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
    assert "named in 864 of 12,000 papers: 7.20%" in result["dl"][2]
    shares = evidence_as_project_series_gives_it(db)
    assert shares and all(denominator == 1000 for *_, denominator, _, _ in shares), "each month with all its papers"


@pytest.mark.parametrize(
    ("claimed", "verdict"), [(18, "contradicted"), (14, "inaccurate"), (3.8, "inaccurate"), (2.88, "contradicted")]
)
def test_a_share_of_deep_learning_off_by_more_than_twice_is_contradicted(db, tmp_path, claimed, verdict):
    """7.2% measured: a claim within a factor of two of it (14%, 3.8%) is inaccurate, beyond (18% is 2.5 times the
    measure, 2.88% 2.5 times less) contradicted."""
    register = claim(
        "dl", kind="share", subjects=["pytorch"], source="arxiv", metric="share_of_deep_learning",
        claimed_value=claimed, tolerance=0.1,
    )  # fmt: skip
    assert verdicts(db, tmp_path, register, ARXIV)["dl"][:2] == (verdict, pytest.approx(7.2))


@pytest.mark.parametrize(("claimed", "verdict"), [(51.5, "inaccurate"), (49.5, "contradicted"), (50.4, "supported")])
def test_a_share_on_the_measured_side_of_an_even_split_is_inaccurate(db, tmp_path, claimed, verdict):
    """PyTorch has 50.5% of the two projects' downloads: a claim of 51.5% is wrong (beyond 1%) but on the same side
    of the even split, however close to it both are; 49.5% puts the lead on the wrong side."""
    register = claim(
        "s", kind="share", subjects=["pytorch", "tensorflow"], source="pypi", metric="downloads_without_mirrors",
        period_start="2021-01-01", period_end="2021-12-31", claimed_value=claimed, tolerance=0.01, unit="percent",
    )  # fmt: skip
    rows = window_rows("torch", 505) + window_rows("tensorflow", 495)
    assert verdicts(db, tmp_path, register, rows)["s"][:2] == (verdict, pytest.approx(50.5))


@pytest.mark.parametrize(("mentions", "verdict", "measured"), [(0, "no_data", None), (1, "supported", 100.0)])
def test_a_share_of_no_mentions_is_no_data_and_of_one_is_measured(db, tmp_path, mentions, verdict, measured):
    """A share of zero mentions in all is not measured (no 0/0), whereas a single mention is all of them."""
    rows = "".join(
        f"arxiv,pytorch,papers_mentioning,2023-{m:02d}-28,28,{mentions if m == 1 else 0},q\n"
        f"arxiv,tensorflow,papers_mentioning,2023-{m:02d}-28,28,0,q\n"
        for m in range(1, 13)
    )
    register = claim(
        "s", kind="share", subjects=["pytorch", "tensorflow"], source="arxiv", metric="papers_mentioning",
        claimed_value=100, tolerance=0.1, unit="percent",
    )  # fmt: skip
    assert verdicts(db, tmp_path, register, rows)["s"][:2] == (verdict, measured)


def test_comparison_and_growth(db, tmp_path):
    register = (
        claim("bigger", kind="comparison", subjects=["tensorflow", "pytorch"], direction="greater")
        + claim("smaller", kind="comparison", subjects=["pytorch", "tensorflow"], direction="greater")
        + claim("up", kind="growth", direction="up")
        + claim("down", kind="growth", direction="down")
    )
    stars = STARS + "github,tensorflow/tensorflow,stars,2023-12-31,,181000,archive A\n"
    result = verdicts(db, tmp_path, register, stars)
    assert result["bigger"][0] == "supported" and result["smaller"][0] == "contradicted"
    assert "tensorflow averaged 180,500 against 65,000 for pytorch" in result["bigger"][2]
    assert "ahead on 1 of 1 common days" in result["bigger"][2]
    assert result["up"][0] == "supported" and result["down"][0] == "contradicted"
    assert "+16.7%" in result["up"][2]  # 60,000 in the first quarter of the points, 70,000 in the last


def window_rows(package: str, per_day: int, months: range = range(1, 13), year: int = 2021) -> str:
    return "".join(f"pypi,{package},downloads,{year}-{m:02d}-28,30,{per_day * 30},top-pypi\n" for m in months)


@pytest.mark.parametrize(
    ("unit", "days"), [("per day", 1), ("per week", 7), ("per month", 30.4375), ("per year", 365.25)]
)
def test_a_claimed_rate_is_the_mean_per_day_times_the_days_it_names(db, tmp_path, unit: str, days: float):
    """1,000 downloads a day all year long: a month is 30.4375 days of them and a year 365.25, whatever the
    windows they were counted in (here 30 days)."""
    register = claim(
        "rate", source="pypi", metric="downloads_without_mirrors", period_start="2021-01-01",
        period_end="2021-12-31", claimed_value=1000 * days, unit=f"downloads {unit}", tolerance=0.01,
    ) + claim(
        "no-rate", source="pypi", metric="downloads_without_mirrors", period_start="2021-01-01",
        period_end="2021-12-31", claimed_value=1000, unit="downloads", tolerance=0.01,
    )  # fmt: skip
    result = verdicts(db, tmp_path, register, window_rows("torch", 1000))
    assert result["rate"][:2] == ("supported", pytest.approx(1000 * days))
    assert result["no-rate"][0] == "no_data" and "the claim's unit must give its rate" in result["no-rate"][2]


def test_a_rank_is_measured_against_every_alternative(db, tmp_path):
    """ "A two-horse race" passes only when no other framework beats one of the two horses."""
    rows = window_rows("tensorflow", 900) + window_rows("torch", 500) + window_rows("keras", 700)
    rows += window_rows("jax", 100) + window_rows("mxnet", 50)
    register = claim(
        "race", kind="rank", subjects=["tensorflow", "pytorch"], alternatives=["keras", "jax", "mxnet"],
        source="pypi", metric="downloads_without_mirrors", period_start="2021-01-01", period_end="2021-12-31",
    ) + claim(
        "among-top-two", kind="rank", subjects=["pytorch"], alternatives=["tensorflow", "keras"], top=2,
        source="pypi", metric="downloads_without_mirrors", period_start="2021-01-01", period_end="2021-12-31",
    ) + claim(
        "leader", kind="rank", subjects=["jax"], alternatives=["tensorflow"], top=1,
        source="pypi", metric="downloads_without_mirrors", period_start="2021-01-01", period_end="2021-12-31",
    )  # fmt: skip
    result = verdicts(db, tmp_path, register, rows)
    assert result["race"][0] == "inaccurate", "Keras out-downloads PyTorch"
    assert "1. tensorflow 27,000 per 30 days, 2. keras 21,000 per 30 days, 3. pytorch 15,000" in result["race"][2]
    assert result["among-top-two"][0] == "contradicted", "third behind TensorFlow and Keras: not among the top two"
    assert result["leader"][0] == "contradicted"


def test_the_evidence_ladder_takes_the_best_series_that_covers_the_period(db, tmp_path):
    daily = "".join(
        f"pypi,torch,downloads_without_mirrors,2021-{m:02d}-{d:02d},1,{1000 + d},pypistats\n"
        for m in range(1, 13) for d in (1, 15)
    )  # fmt: skip
    register = claim(
        "g", kind="growth", direction="up", source="pypi", metric="downloads_without_mirrors",
        period_start="2021-01-01", period_end="2021-12-31",
    ) + claim(
        "g-later", kind="growth", direction="up", source="pypi", metric="downloads_without_mirrors",
        period_start="2021-07-01", period_end="2022-06-30",
    )  # fmt: skip
    rows = daily + window_rows("torch", 500) + window_rows("torch", 900, year=2022)
    result = verdicts(db, tmp_path, register, rows)
    assert "Judged on PyPI Stats downloads without mirrors (daily) (rung 1" in result["g"][2]
    assert "pypistats" in result["g"][2]
    assert "Judged on top-PyPI download counts" in result["g-later"][2] and "(rung 4" in result["g-later"][2]


def test_too_little_of_the_period_covered_is_no_data_with_the_coverage_stated(db, tmp_path):
    rows = "github,pytorch/pytorch,stars,2023-11-01,,70000,a\ngithub,pytorch/pytorch,stars,2023-12-31,,71000,a\n"
    result = verdicts(db, tmp_path, claim("v", claimed_value=70000, tolerance=0.1), rows)
    assert result["v"][0] == "no_data"
    assert "covers only 2023-11-01..2023-12-31 of the claimed 2023-01-01..2023-12-31 (17%)" in result["v"][2]
    assert "at least 50% is needed" in result["v"][2]


def test_coverage_is_that_of_the_worst_covered_project(db, tmp_path):
    """A comparison is only as well measured as its least measured side: PyTorch covers the whole year,
    TensorFlow only its last two months, so the claim waits for data (judged on the best-covered side it would
    be `supported`)."""
    rows = "".join(f"github,pytorch/pytorch,stars,2023-{m:02d}-01,,{60000 + m * 100},a\n" for m in range(1, 13))
    rows += "github,pytorch/pytorch,stars,2023-12-31,,61300,a\n"
    rows += "github,tensorflow/tensorflow,stars,2023-11-01,,180000,a\n"
    rows += "github,tensorflow/tensorflow,stars,2023-12-31,,181000,a\n"
    register = claim("bigger", kind="comparison", subjects=["tensorflow", "pytorch"], direction="greater")
    result = verdicts(db, tmp_path, register, rows)
    assert result["bigger"][0] == "no_data"
    assert "covers only 2023-11-01..2023-12-31 of the claimed 2023-01-01..2023-12-31 (17%)" in result["bigger"][2]
    assert query(db, "select coverage from claim_coverage where claim_id = 'bigger' and chosen") == [
        (pytest.approx(61 / 365),)
    ]


def test_a_proxy_covers_a_claim_as_far_as_its_best_covered_project(db, tmp_path):
    """An uncheckable claim shows its proxy for what there is: the better-covered project's series counts."""
    rows = "".join(f"github,pytorch/pytorch,stars,2023-{m:02d}-01,,{60000 + m * 100},a\n" for m in range(1, 13))
    rows += "github,pytorch/pytorch,stars,2023-12-31,,61300,a\n"
    rows += "github,tensorflow/tensorflow,stars,2023-12-31,,181000,a\n"
    register = claim(
        "u", kind="uncheckable", source="none", metric="community_size", subjects=["pytorch", "tensorflow"],
        reason="no threshold", proxy="github stars",
    )  # fmt: skip
    verdicts(db, tmp_path, register, rows)
    assert query(db, "select coverage from claim_coverage where claim_id = 'u' and chosen") == [(1.0,)]


def test_evidence_covering_exactly_half_of_the_period_is_enough(db, tmp_path):
    rows = "".join(f"github,pytorch/pytorch,stars,2023-01-{d:02d},,1000,a\n" for d in range(6, 11))
    register = claim("half", claimed_value=1000, tolerance=0.1, period_start="2023-01-01", period_end="2023-01-10")
    result = verdicts(db, tmp_path, register, rows)
    assert result["half"][0] == "supported" and "covering 2023-01-06..2023-01-10" in result["half"][2]
    assert "(50%)" in result["half"][2]


def test_the_best_rung_covering_exactly_half_of_the_period_is_chosen(db, tmp_path):
    """Daily star counts (rung 1) cover half of the period, GH Archive's stars given (rung 2) all of it: half is
    enough, so the best rung judges the claim."""
    rows = "".join(f"github,pytorch/pytorch,stars,2023-01-{d:02d},,1000,a\n" for d in range(6, 11))
    rows += "".join(f"github,pytorch/pytorch,stars_given_gharchive,2023-01-{d:02d},1,10,g\n" for d in range(1, 11))
    register = claim("half", claimed_value=1000, tolerance=0.1, period_start="2023-01-01", period_end="2023-01-10")
    result = verdicts(db, tmp_path, register, rows)
    assert result["half"][0] == "supported"
    assert "Judged on daily star counts" in result["half"][2] and "(rung 1 of the evidence ladder)" in result["half"][2]
    assert query(db, "select rung, coverage from claim_coverage where claim_id = 'half' order by rung") == [
        (1, 0.5), (2, 1.0)
    ]  # fmt: skip


def test_the_covered_days_are_those_every_project_covers(db, tmp_path):
    """PyTorch's stars start in February, TensorFlow's end in October: the comparison covers 2023-02-01..2023-10-31,
    the later start and the earlier end."""
    rows = "".join(f"github,pytorch/pytorch,stars,2023-{m:02d}-01,,{60000 + m * 100},a\n" for m in range(2, 13))
    rows += "github,pytorch/pytorch,stars,2023-12-31,,61300,a\n"
    rows += "".join(f"github,tensorflow/tensorflow,stars,2023-{m:02d}-01,,{180000 + m},a\n" for m in range(1, 11))
    rows += "github,tensorflow/tensorflow,stars,2023-10-31,,180011,a\n"
    register = claim("bigger", kind="comparison", subjects=["tensorflow", "pytorch"], direction="greater")
    result = verdicts(db, tmp_path, register, rows)
    assert result["bigger"][0] == "supported"
    assert "covering 2023-02-01..2023-10-31 of the claimed 2023-01-01..2023-12-31" in result["bigger"][2]


def test_windows_reaching_past_the_period_cover_it_up_to_its_ends(db, tmp_path):
    """30-day windows whose middle lies in the period count in it, but cover its days only: the first window
    starts before the period and the last ends after it."""
    rows = "".join(f"pypi,torch,downloads,2021-{m:02d}-28,30,30000,top-pypi\n" for m in range(1, 13))
    rows += "pypi,torch,downloads,2022-01-05,30,30000,top-pypi\n"
    register = claim("rate", source="pypi", metric="downloads_without_mirrors", period_start="2021-01-01",
                     period_end="2021-12-31", claimed_value=1000, unit="downloads per day", tolerance=0.01)  # fmt: skip
    verdicts(db, tmp_path, register, rows)
    assert query(db, "select covered_from, covered_to, coverage from claim_coverage where chosen") == [
        (date(2021, 1, 1), date(2021, 12, 31), 1.0)
    ]  # fmt: skip


def test_a_project_without_a_point_covers_nothing(db, tmp_path):
    """No TensorFlow point at all: the comparison's coverage is 0, not a day's worth; the explanation says which
    project has nothing, and a proxy without any point covers nothing either."""
    rows = "".join(f"github,pytorch/pytorch,stars,2023-{m:02d}-01,,{60000 + m * 100},a\n" for m in range(1, 13))
    register = claim("bigger", kind="comparison", subjects=["tensorflow", "pytorch"], direction="greater") + claim(
        "u", kind="uncheckable", source="none", metric="community_size", subjects=["jax"], reason="no threshold",
        proxy="github stars",
    )  # fmt: skip
    result = verdicts(db, tmp_path, register, rows)
    assert result["bigger"][0] == "no_data"
    assert query(db, "select claim_id, coverage, missing from claim_coverage where chosen order by all") == [
        ("bigger", 0.0, ["tensorflow"]), ("u", 0.0, ["jax"])
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("direction", "last", "verdict"),
    [("up", 105000, "inaccurate"), ("up", 106000, "supported"), ("down", 95000, "inaccurate"),
     ("down", 94000, "supported"), ("flat", 105000, "supported"), ("flat", 106000, "inaccurate"),
     ("flat", 120000, "inaccurate"), ("flat", 121000, "contradicted"), ("up", 94000, "contradicted"),
     ("up", 95000, "inaccurate"), ("down", 106000, "contradicted"), ("down", 105000, "inaccurate")],
)  # fmt: skip
def test_growth_needs_more_than_five_percent_and_flat_allows_five(db, tmp_path, direction, last, verdict):
    """Growth is judged on the change from 100,000 stars: up or down beyond 5%, flat within 5% (contradicted
    beyond 20%); exactly at an edge is on the cautious side."""
    rows = f"github,pytorch/pytorch,stars,2023-01-01,,100000,a\ngithub,pytorch/pytorch,stars,2023-12-31,,{last},a\n"
    assert verdicts(db, tmp_path, claim("g", kind="growth", direction=direction), rows)["g"][0] == verdict


def test_growth_called_fast_must_outpace_the_rival(db, tmp_path):
    rows = (
        "github,pytorch/pytorch,stars,2023-01-01,,60000,a\ngithub,pytorch/pytorch,stars,2023-12-31,,66000,a\n"
        "github,tensorflow/tensorflow,stars,2023-01-01,,100000,a\n"
        "github,tensorflow/tensorflow,stars,2023-12-31,,125000,a\n"
    )
    rows += "github,jax-ml/jax,stars,2023-01-01,,20000,a\ngithub,jax-ml/jax,stars,2023-12-31,,21000,a\n"
    rows += "github,keras-team/keras,stars,2023-01-01,,40000,a\ngithub,keras-team/keras,stars,2023-12-31,,50000,a\n"
    register = claim("fast", kind="growth", direction="up", relative_to=["tensorflow"]) + claim(
        "grows", kind="growth", direction="up"
    ) + claim("fastest", kind="growth", direction="up", relative_to=["jax", "tensorflow"]) + claim(
        "as-fast", kind="growth", direction="up", subjects=["tensorflow"], relative_to=["keras"]
    )
    result = verdicts(db, tmp_path, register, rows)
    assert result["grows"][0] == "supported"
    assert result["fast"][0] == "inaccurate" and "tensorflow +25.0%, as fast or faster" in result["fast"][2]
    assert result["fastest"][0] == "inaccurate", "outpacing JAX (+5%) is not enough: TensorFlow grew +25%"
    assert "tensorflow +25.0%, as fast or faster" in result["fastest"][2]
    assert result["as-fast"][0] == "inaccurate", "as fast as the rival is not faster"


@pytest.mark.parametrize(
    ("rivals", "verdict"), [(["tensorflow"], "inaccurate"), (["jax"], "supported"), (None, "supported")]
)
def test_growth_just_beyond_five_percent_must_still_outpace_the_rival(db, tmp_path, rivals, verdict):
    """PyTorch +5.5% is growth; called faster than TensorFlow (+10%) it is inaccurate, faster than JAX (+1%) it
    holds."""
    rows = "".join(
        f"github,{repository},stars,2023-01-01,,100000,a\ngithub,{repository},stars,2023-12-31,,{last},a\n"
        for repository, last in (("pytorch/pytorch", 105500), ("tensorflow/tensorflow", 110000),
                                 ("jax-ml/jax", 101000))
    )  # fmt: skip
    fields = {"relative_to": rivals} if rivals else {}
    result = verdicts(db, tmp_path, claim("g", kind="growth", direction="up", **fields), rows)
    assert result["g"][:2] == (verdict, pytest.approx(5.5))


def test_crossover_reports_the_day_one_overtook_the_other(db, tmp_path):
    rows = "".join(
        f"pypi,torch,downloads,2021-{m:02d}-28,30,{30 * (100 + 20 * m)},w\n"
        f"pypi,tensorflow,downloads,2021-{m:02d}-28,30,{30 * 200},w\n"
        for m in range(1, 13)
    )
    register = claim(
        "overtook", kind="crossover", subjects=["pytorch", "tensorflow"], source="pypi",
        metric="downloads_without_mirrors", period_start="2021-04-01", period_end="2021-12-31",
    ) + claim(
        "too-late", kind="crossover", subjects=["pytorch", "tensorflow"], source="pypi",
        metric="downloads_without_mirrors", period_start="2021-09-01", period_end="2021-12-31",
    )  # fmt: skip
    result = verdicts(db, tmp_path, register, rows)
    assert result["overtook"][0] == "supported" and "pytorch overtook tensorflow on 2021-06-28" in result["overtook"][2]
    assert result["too-late"][0] == "inaccurate", "it happened before the claimed period"


def test_a_claim_only_partly_measured_says_what_was_not_measured(db, tmp_path):
    register = claim("p", kind="growth", direction="up", unmeasured="the growth of its ecosystem of libraries")
    result = verdicts(db, tmp_path, register, STARS)
    assert result["p"][0] == "partly_supported"
    assert "Not measured: the growth of its ecosystem of libraries." in result["p"][2]


def milestones(db: Path) -> None:
    with store.connect(db) as conn:
        store.record_event(conn, "github", "pytorch/pytorch", "created", date(2016, 8, 13), "GET /repos")
        store.record_event(conn, "release", "pytorch", "first_public_release", date(2017, 1, 18), "version 0.1.6: tag")
        store.record_event(conn, "pypi", "torch", "first_release", date(2018, 12, 7), "GET /pypi/torch/json")


@pytest.mark.parametrize(
    ("start", "end", "verdict", "meaning"),
    [
        ("2017-01-01", "2017-12-31", "supported", "holds the first public release"),
        ("2016-01-01", "2016-12-31", "inaccurate", "holds the repository's creation (2016-08-13) but not"),
        ("2016-09-01", "2016-09-30", "contradicted", "holds none of these milestones"),
        ("2018-01-01", "2018-12-31", "inaccurate", "holds the first PyPI upload (2018-12-07)"),
        ("2019-01-01", "2019-12-31", "contradicted", "holds none of these milestones"),
    ],
)
def test_release_date_distinguishes_creation_public_release_and_upload(db, tmp_path, start, end, verdict, meaning):
    milestones(db)
    register = claim(
        "r", kind="release_date", metric="created", claimed_value=int(start[:4]), period_start=start, period_end=end
    )
    verdict_row = verdicts(db, tmp_path, register)["r"]
    assert verdict_row[0] == verdict
    assert meaning in verdict_row[2]
    assert "repository created 2016-08-13; first public release 2017-01-18 (version 0.1.6)" in verdict_row[2]


def test_claims_can_name_the_new_sources(db, tmp_path):
    """Stack Overflow and conda came as one module each; the register and the verdicts take them as they are."""
    questions = "".join(
        f"stackoverflow,{tag},questions,2023-{m:02d}-28,28,{n},test\n"
        for tag, n in (("pytorch", 900), ("tensorflow", 600))
        for m in range(1, 13)
    )
    conda_rows = "".join(f"conda,pytorch,downloads,2023-{m:02d}-28,28,{3000 + m * 90},test\n" for m in range(1, 13))
    register = claim(
        "more-questions", kind="comparison", subjects=["pytorch", "tensorflow"], source="stackoverflow",
        metric="questions", direction="greater",
    ) + claim("conda-up", kind="growth", source="conda", metric="downloads", direction="up")  # fmt: skip
    result = verdicts(db, tmp_path, register, questions + conda_rows)
    assert result["more-questions"][0] == "supported" and "Stack Overflow questions" in result["more-questions"][2]
    assert result["conda-up"][0] == "supported" and "conda package downloads" in result["conda-up"][2]


def test_no_data_names_the_command_that_fills_it(db, tmp_path):
    result = verdicts(
        db,
        tmp_path,
        claim("old", claimed_value=1000, tolerance=0.1, period_start="2010-01-01", period_end="2010-12-31"),
        STARS,
    )
    assert result["old"][0] == "no_data"
    assert result["old"][2].endswith(
        "Fill it with: ecotrends collect --source github, or ecotrends backfill --source github."
    ), "every command the source declares"


def test_uncheckable_keeps_its_reason_and_shows_its_proxy_as_a_proxy(db, tmp_path):
    register = claim(
        "u",
        kind="uncheckable",
        source="none",
        metric="community_size",
        reason="no threshold for 'large'",
        proxy="github stars",
    )
    verdict, _, explanation = verdicts(db, tmp_path, register, STARS)["u"]
    assert verdict == "uncheckable"
    assert "no threshold for 'large'" in explanation
    assert "Proxy, not a check: daily star counts" in explanation and "pytorch 65,000" in explanation


def test_break_in_the_period_is_named(db, tmp_path):
    rows = "".join(f"pypi,torch,downloads_without_mirrors,2026-08-{d:02d},1,{1000 + d},ps\n" for d in range(10, 31))
    register = claim(
        "g",
        kind="growth",
        direction="up",
        source="pypi",
        metric="downloads_without_mirrors",
        period_start="2026-08-10",
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
            "claim #2 (x): field 'id' is already used by claim #1",
        ),
    ],
)
def test_bad_register_entries_name_file_claim_and_field(tmp_path, entry, problem):
    path = tmp_path / "claims.toml"
    path.write_text(ARTICLE + entry)
    with pytest.raises(ConfigError) as error:
        claims.load_register(path)
    assert str(path) in str(error.value) and problem in str(error.value)


def checks_on(seeded: Path) -> dict[str, tuple]:
    rows = query(seeded, "select claim_id, verdict, measured_value, decisive_date, explanation from claim_checks")
    return {row[0]: row[1:] for row in rows}


def test_verdicts_on_the_shipped_history_with_the_numbers_behind_them(seeded: Path):
    checks = checks_on(seeded)

    verdict, measured, decisive, explanation = checks["tech-matchups-pytorch-stars-2023"]
    assert (verdict, measured, decisive) == ("supported", 65000, date(2023, 4, 9))
    assert "ranged from 61,332 (2023-01-01) to 74,005 (2023-12-31)" in explanation

    verdict, measured, _, explanation = checks["tech-matchups-tf-stars-2023"]
    assert (verdict, measured) == ("supported", 170031)
    assert "0.02% below the lowest value" in explanation

    verdict, _, _, explanation = checks["choosing-guide-two-horse-race"]
    assert verdict == "inaccurate"
    assert "1. tensorflow 9,332,765 per 30 days, 2. keras 2,143,670 per 30 days, 3. pytorch 1,560,474" in explanation

    assert checks["indepth-comparison-pytorch-release-2016-09"][0] == "contradicted"
    assert checks["choosing-guide-pytorch-release-2016"][0] == "inaccurate"
    assert checks["aftab-2023-pytorch-release-2017"][:3] == ("supported", 2017, date(2017, 1, 18))
    assert checks["aftab-2023-tf-dominant-force"][0] == "partly_supported"
    assert "Not measured: whether TensorFlow leads" in checks["aftab-2023-tf-dominant-force"][3]
    assert checks["qualitythought-2025-two-leading"][0] == "supported"
    assert "Places by mean count: 1. pytorch 56,070,4" in checks["qualitythought-2025-two-leading"][3]
    assert "per 30 days, 2. tensorflow 24,738,8" in checks["qualitythought-2025-two-leading"][3]

    verdict, _, _, explanation = checks["choosing-guide-pytorch-academia-dominant"]
    assert verdict == "supported", "judged on the conference-paper series where no arXiv months are stored"
    assert "conference papers whose full text mentions" in explanation
    assert "(rung 2 of the evidence ladder)" in explanation
    assert "pytorch averaged 1,460 against 444 per year for tensorflow" in explanation

    contradictions = query(seeded, "select count(*) from claim_contradictions")[0][0]
    assert contradictions >= 3


def test_on_the_shipped_history_no_data_only_where_the_seed_has_no_series_for_the_period(seeded: Path):
    """Done-when of "real answers on first start": no_data is given only where no rung covers half the period."""
    rows = query(
        seeded,
        """
        select c.claim_id, max(v.coverage)
        from claim_checks as c
        left join claim_coverage as v using (claim_id)
        where c.verdict = 'no_data'
        group by c.claim_id
        """,
    )
    assert rows, "the seed holds no arXiv months nor Trends, so some research and interest claims wait for data"
    assert all(coverage is None or coverage < 0.5 for _, coverage in rows), rows
    verdicts_seen = dict(query(seeded, "select verdict, count(*) from claim_checks group by verdict"))
    assert verdicts_seen["supported"] + verdicts_seen["partly_supported"] > 15
    assert verdicts_seen["inaccurate"] + verdicts_seen["contradicted"] >= 4, "the articles are not always right"


# claim_evidence as it is defined from the published project_series view; the view reads only the claimed projects'
# rows of observation instead, and must give exactly these points.
EVIDENCE_FROM_PROJECT_SERIES = """
select c.claim_id, l.rung, s.project_id, s.role, s.position, p.date, p.window_days, p.value, p.denominator, p.origin,
    p.date - (greatest(p.window_days, 1) - 1) // 2 between c.period_start and c.period_end as in_period
from claim as c
join claim_measure as m using (claim_id)
join evidence_ladder as l on l.claim_source = m.source and l.claim_metric = m.metric
join claim_subjects as s on s.claim_id = c.claim_id
join project_series as p
    on p.project_id = s.project_id and p.source = l.source and p.metric = l.metric
    and p.window_days between l.min_window and l.max_window
    and p.date <= c.period_end + 366 and (c.kind = 'crossover' or p.date >= c.period_start)
"""
EVIDENCE_COLUMNS = (
    "claim_id, rung, project_id, role, position, date, window_days, value, denominator, origin, in_period"
)


def evidence_as_project_series_gives_it(db: Path) -> list[tuple]:
    """claim_evidence's points, checked against the definition from project_series; returns them."""
    fast = query(db, f"select {EVIDENCE_COLUMNS} from claim_evidence order by all")
    assert fast == query(db, f"select * from ({EVIDENCE_FROM_PROJECT_SERIES}) order by all")
    return fast


def test_claim_evidence_holds_exactly_the_points_project_series_gives(seeded: Path):
    """Summed packages, the windows and periods of every rung, point for point (shares: the test above)."""
    points = evidence_as_project_series_gives_it(seeded)
    assert len(points) > 5000, "the seed judges claims on thousands of points"
    assert any("more packages" in origin for *_, origin, _ in points), "TensorFlow's packages are summed"


def test_each_claim_step_as_a_view_equals_the_step_inside_the_verdicts(seeded: Path):
    """claim_verdicts evaluates the evidence once and hands it to the steps; the views a user queries give the
    same rows."""
    chosen = query(seeded, "select claim_id, rung, coverage from claim_coverage where chosen order by all")
    in_verdicts = query(
        seeded, "select claim_id, rung, coverage from claim_verdicts where rung is not null order by all"
    )
    assert chosen == in_verdicts
    statistics = query(seeded, "select claim_id, first_quarter_mean, last_quarter_mean, change_percent from "
                       "claim_statistics where position = 1 and change_percent is not null order by all")  # fmt: skip
    assert statistics, "growth claims have a change on the seed"
    growth = dict(query(seeded, "select claim_id, measured_value from claim_checks where kind = 'growth'"))
    judged = [(claim_id, change) for claim_id, *_, change in statistics if claim_id in growth]
    assert judged and all(growth[claim_id] == change for claim_id, change in judged)


# claim_releases as it is defined from the published project_milestones view; the view dates the release claims'
# first two subjects alone instead of every tracked project, and must give exactly these rows.
RELEASES_FROM_PROJECT_MILESTONES = """
select
    c.claim_id,
    max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'repository_created'),
    max(m.origin) filter (where m.project_id = c.subjects[1] and m.milestone = 'repository_created'),
    max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_public_release'),
    max(m.origin) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_public_release'),
    max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_pypi_upload'),
    max(m.origin) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_pypi_upload'),
    coalesce(max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'first_public_release'),
             max(m.date) filter (where m.project_id = c.subjects[1] and m.milestone = 'repository_created')),
    coalesce(max(m.date) filter (where m.project_id = c.subjects[2] and m.milestone = 'first_public_release'),
             max(m.date) filter (where m.project_id = c.subjects[2] and m.milestone = 'repository_created'))
from claim as c
left join project_milestones as m on list_contains(c.subjects, m.project_id)
where c.kind = 'release_date' or c.metric = 'created'
group by c.claim_id
"""


def test_claim_releases_equal_the_milestones_project_milestones_gives(seeded: Path):
    """Every release-date and "younger than" claim, with each milestone and origin of its first two subjects."""
    releases = query(seeded, "select * from claim_releases order by all")
    assert releases == query(seeded, f"select * from ({RELEASES_FROM_PROJECT_MILESTONES}) order by all")
    assert sum(row[1] is not None for row in releases) >= 3, "the seed dates several repositories"
    assert sum(row[5] is not None for row in releases) >= 3, "and several first PyPI uploads"
    assert any(row[8] is not None for row in releases), "a \"younger than\" claim dates its second subject"


def test_a_younger_than_claim_alone_dates_its_second_subject(seeded: Path, tmp_path: Path):
    """Its second subject is the first of no other claim: the releases step dates it all the same."""
    younger = claim("younger", kind="comparison", subjects=["pytorch", "tensorflow"], metric="created",
                    period_start="2015-01-01", period_end="2017-12-31", direction="greater")  # fmt: skip
    assert verdicts(seeded, tmp_path, younger)["younger"][0] == "supported"
    assert query(seeded, "select first_born, second_born from claim_releases") == [
        (date(2017, 1, 18), date(2015, 11, 9))
    ]
