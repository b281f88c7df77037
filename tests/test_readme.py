"""The documentation's queries run on a fresh clone's database (the shipped history) and return rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import query

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ("README.md", "docs/querying.md")
SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)
EXAMPLES = [(name, block) for name in DOCUMENTS for block in SQL_BLOCK.findall((ROOT / name).read_text())]


def test_the_documents_hold_query_examples():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize(("document", "sql"), EXAMPLES, ids=[f"{d}-{i}" for i, (d, _) in enumerate(EXAMPLES)])
def test_every_documented_query_returns_rows_on_the_shipped_history(seeded: Path, document: str, sql: str):
    rows = query(seeded, sql)
    assert rows, f"{document}: this example returns nothing on the shipped history:\n{sql}"


def test_readme_commands_name_only_what_a_clone_has():
    text = (ROOT / "README.md").read_text()
    assert "../shared" not in text
    for path in re.findall(r"\]\(([^)#]+)\)", text):
        assert (ROOT / path).exists(), f"README links to {path}, which is not in the repository"


def test_the_layout_names_every_module():
    """README's Layout is the map of the house: a module it does not name is a room nobody can find."""
    layout = (ROOT / "README.md").read_text().split("## Layout", 1)[1]
    modules = [path for folder in ("app", "collectors", "collectors/sources") for path in (ROOT / folder).glob("*.py")]
    unnamed = sorted(
        str(path.relative_to(ROOT))
        for path in modules
        if path.stem not in ("__init__", "__main__") and path.stem not in layout
    )
    assert unnamed == []


def test_docs_querying_lists_every_published_view(seeded: Path):
    """docs/querying.md is where users find the views: one it does not name is a view nobody knows of."""
    text = (ROOT / "docs" / "querying.md").read_text()
    sql = ("select view_name from duckdb_views() where database_name = current_database() and not internal "
           "and comment is not null")  # fmt: skip
    views = [row[0] for row in query(seeded, sql)]
    assert len(views) > 30
    assert [view for view in views if f"`{view}`" not in text] == []


LADDER_ROW = re.compile(r"^\| `(\w+)` `(\w+)` \| (.*) \|$", re.M)
LADDER_RUNG = re.compile(r"(?:^|; )(\d+)\. `(\w+)` `(\w+)`: ")


def test_the_documented_evidence_ladder_is_the_one_the_sources_declare(seeded: Path):
    """docs/claims.md's ladder table names every rung of evidence_ladder, in order, and no other."""
    text = (ROOT / "docs/claims.md").read_text()
    documented = sorted(
        (claim_source, claim_metric, int(rung), source, metric)
        for claim_source, claim_metric, rungs in LADDER_ROW.findall(text)
        for rung, source, metric in LADDER_RUNG.findall(rungs)
    )
    ladder = query(seeded, "select claim_source, claim_metric, rung, source, metric from evidence_ladder order by all")
    assert documented == ladder
