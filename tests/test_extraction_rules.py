"""One test per extraction rule (collectors/claims/extraction/rules.py and periods.py), on single sentences about
projects beyond the curated ones: each fails when its rule is taken out or changed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from collectors import catalogue, claims, cli
from collectors.claims import proposals
from collectors.claims.extraction import Candidate, Extractor, Named
from collectors.claims.extraction.periods import Context, period
from collectors.projects import load_projects

CATALOGUE = [
    Named("pandas", "pandas", "pandas-dev/pandas", ("pandas",), prominent=True),
    Named("polars", "polars", "pola-rs/polars", ("polars",), prominent=True),
    Named("fastapi", "FastAPI", "fastapi/fastapi", ("fastapi",), prominent=True),
    Named("flask", "Flask", "pallets/flask", ("flask",), prominent=True),
    Named("httpx", "httpx", "encode/httpx", ("httpx",), prominent=True),
    Named("requests", "requests", "psf/requests", ("requests",), prominent=True),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_projects(), CATALOGUE)


def read(extractor: Extractor, text: str, dated: str = "Published March 4, 2024") -> list[Candidate]:
    return extractor.extract(f"# An article\n\n{dated}\n\n{text}\n", "article.md")


def shape(candidate: Candidate) -> tuple:
    return (candidate.kind, candidate.subjects, candidate.metric, candidate.claimed_value, candidate.period_start,
            candidate.period_end)  # fmt: skip


def test_two_claims_in_one_sentence_are_both_proposed_each_with_its_own_year(extractor):
    found = read(extractor, "Polars was first released in 2020, and by 2023 it had about 25,000 GitHub stars.")
    assert sorted(map(shape, found)) == [
        ("release_date", ["polars"], "created", 2020.0, "2020-01-01", "2020-12-31"),
        ("value", ["polars"], "stars", 25000.0, "2023-01-01", "2023-12-31"),
    ]


def test_each_figure_of_a_clause_is_read_with_the_year_it_is_given_for(extractor):
    found = read(extractor, "Polars has about 35,000 GitHub stars in 2025, up from roughly 20,000 in 2023.")
    assert sorted(map(shape, found)) == [
        ("value", ["polars"], "stars", 20000.0, "2023-01-01", "2023-12-31"),
        ("value", ["polars"], "stars", 35000.0, "2025-01-01", "2025-12-31"),
    ]


def test_a_crossover_names_who_passed_whom_and_when(extractor):
    (found,) = read(extractor, "FastAPI passed Flask in GitHub stars in 2023.")
    assert shape(found) == ("crossover", ["fastapi", "flask"], "stars", None, "2023-01-01", "2023-12-31")
    (passive,) = read(extractor, "Flask was overtaken by FastAPI in GitHub stars in 2023.")
    assert passive.subjects == ["fastapi", "flask"]


def test_an_overtaking_without_a_date_is_a_comparison_as_of_the_article(extractor):
    (found,) = read(extractor, "FastAPI has overtaken Flask in GitHub stars.")
    assert (found.kind, found.subjects, found.direction, found.period_end) == (
        "comparison", ["fastapi", "flask"], "greater", "2024-03-31")  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "factor"),
    [("pandas has about three times as many GitHub stars as Polars in 2023.", 3.0),
     ("pandas has twice as many GitHub stars as Polars in 2023.", 2.0),
     ("pandas has 3x more GitHub stars than Polars in 2023.", 3.0)],
)  # fmt: skip
def test_a_ratio_is_a_comparison_with_its_factor(extractor, sentence: str, factor: float):
    (found,) = read(extractor, sentence)
    assert (found.kind, found.subjects, found.claimed_value, found.unit, found.direction) == (
        "comparison", ["pandas", "polars"], factor, "times", "greater")  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("Downloads of httpx grew since its 2019 peak.", "2019-01-01", "2024-03-31"),  # open: up to the article
        ("Downloads of httpx grew between mid-2021 and mid-2023.", "2021-06-01", "2023-07-31"),
        ("Downloads of httpx grew from early 2021 to late 2023.", "2021-01-01", "2023-12-31"),
        ("Downloads of httpx grew from 2021 onwards.", "2021-01-01", "2024-03-31"),
        ("Downloads of httpx grew in 2021-2023.", "2021-01-01", "2023-12-31"),
    ],
)
def test_open_and_partial_periods(extractor, sentence: str, start: str, end: str):
    (found,) = read(extractor, sentence)
    assert (found.kind, found.period_start, found.period_end) == ("growth", start, end)


def test_this_year_means_the_months_the_article_could_see(extractor):
    (found,) = read(extractor, "This year httpx was downloaded about 30 million times a month.")
    assert (found.period_start, found.period_end) == ("2024-01-01", "2024-03-31")
    assert "up to March" in found.period_basis
    entry = proposals.as_entry(found, "a", 1)
    assert "up to March" in entry["check"]  # the explanation says which period was used, and why


def test_this_year_in_an_article_of_december_is_the_whole_year(extractor):
    (found,) = read(extractor, "This year httpx was downloaded 30 million times a month.", "Published Dec 2, 2023")
    assert (found.period_start, found.period_end) == ("2023-01-01", "2023-12-31")


def test_a_share_an_outside_source_reports_is_its_claim_with_our_series_as_a_proxy(extractor):
    (found,) = read(extractor, "According to Papers with Code, 68% of papers with code used PyTorch in 2023.")
    assert (found.kind, found.subjects, found.metric, found.claimed_value) == (
        "uncheckable", ["pytorch"], "share_reported_by_papers_with_code", 68.0)  # fmt: skip
    assert found.proxy == "arxiv papers_mentioning" and "Papers with Code" in found.reason
    assert proposals.as_entry(found, "a", 1)["proxy"] == "arxiv papers_mentioning"


def test_a_figure_about_a_project_we_do_not_hold_is_proposed_for_tracking(extractor):
    (found,) = read(extractor, "Litestar has about 6,000 GitHub stars in 2024.")
    assert (found.kind, found.subjects, found.metric, found.claimed_value) == ("uncheckable", ["litestar"], "stars",
                                                                              6000.0)  # fmt: skip
    assert "`ecotrends track litestar`" in found.reason


@pytest.mark.parametrize(
    "sentence",
    ["The project has about 6,000 GitHub stars.", "Downloads reached 3 million in 2023.",
     "In 2023, with 3 million downloads, it led.", "GitHub has 100 million developers."],
)  # fmt: skip
def test_ordinary_capitalised_words_are_not_proposed_for_tracking(extractor, sentence: str):
    assert not [c for c in read(extractor, sentence) if c.reason and "ecotrends track" in c.reason]


def test_a_small_number_after_a_name_is_its_version_a_large_one_a_figure(extractor):
    assert [shape(c) for c in read(extractor, "pandas 2.2 has about 45,000 GitHub stars in 2024.")] == [
        ("value", ["pandas"], "stars", 45000.0, "2024-01-01", "2024-12-31")]  # fmt: skip
    assert {c.claimed_value for c in read(extractor, "GitHub stars in 2023: PyTorch 65K, TensorFlow 170K.")} == {
        65e3, 170e3}  # fmt: skip


def test_a_release_names_the_project_not_who_released_it(extractor):
    (found,) = read(extractor, "httpx was released by Encode in 2019.")
    assert found.subjects == ["httpx"]


def test_period_rules_on_their_own():
    context = Context(article_year=2024, article_month=3)
    assert period("since 2020", [2020], context)[0] == ("2020-01-01", "2024-03-31")
    assert period("in q2 2022", [2022], context)[0] == ("2022-04-01", "2022-06-30")
    assert period("last year", [], context)[0] == ("2023-01-01", "2023-12-31")
    assert period("between 2023 and 2021", [2023, 2021], context)[0] == ("2021-01-01", "2021-12-31")  # no backwards


# --- three articles about projects beyond data/projects.toml, read as a careful reader would --------------------

OWN_ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def own_register() -> tuple[list, list]:
    return claims.load_register(OWN_ARTICLES / "expected.toml")


@pytest.mark.parametrize("article", [a.id for a in own_register()[0]])
def test_own_articles_are_read_as_a_careful_reader_would(seeded: Path, article: str):
    """Every checkable claim of tests/fixtures/articles/expected.toml is proposed, and nothing else is proposed as
    checkable (recall and precision of 100% on the articles written for the extractor, on the catalogue)."""
    articles, register = own_register()
    entry = next(a for a in articles if a.id == article)
    with duckdb.connect(str(seeded), read_only=True) as conn:
        named = catalogue.named_projects(conn)
    candidates = Extractor(load_projects(), named).extract((OWN_ARTICLES / entry.file).read_text(encoding="utf-8"),
                                                           entry.file)  # fmt: skip
    reference = [proposals.claim_as_dict(c) for c in register if c.article == article]
    found, wanted, correct, proposed = proposals.score(candidates, reference, proposals.CHECKABLE_KINDS)
    assert (found, correct) == (wanted, proposed), [(c.kind, c.subjects, c.claimed_value) for c in candidates]
    typed = {(c.metric, c.subjects[0]) for c in candidates if c.kind == "uncheckable"}
    assert typed == {(c["metric"], c["subjects"][0]) for c in reference if c["kind"] == "uncheckable"}


def test_own_articles_are_judged_offline_on_the_catalogue(seeded: Path, capsys):
    """Judged on the shipped catalogue: most claims supported, at most one no_data per article."""
    for name in ("web-frameworks-2026.md", "http-clients-2025.txt"):
        assert cli.main(["claims", "extract", str(OWN_ARTICLES / name), "--check", "--db", str(seeded)]) == 0
        verdicts = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]
                    if line and not line.startswith(" ")]  # fmt: skip
        assert verdicts.count("no_data") <= 1 and verdicts.count("supported") >= 5, (name, verdicts)
