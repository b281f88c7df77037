"""Precision and recall of the claim extractor on the articles of the claims register, and on the three test
articles about other ecosystems (web frameworks, dataframes, HTTP clients; tests/fixtures/articles/expected.toml).

Run: .venv/bin/python bench/extractor.py [--articles ../shared/articles] [--db data/ecotrends.duckdb] [--show]
The register (data/claims.toml) is the reference: recall counts its checkable quantitative claims (value, share,
release date) that some proposal states with the same subject, metric, value (magnitude included) and an
overlapping period; precision counts the checkable proposals that state some registered claim. `--show` lists
the misses and the wrong proposals so a rule change can be read, not only counted. The test articles are read
with the catalogue of the database given (`--db`), and scored on every checkable kind (comparisons, crossovers
and growth too).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb

from collectors import catalogue, claims, config
from collectors.claims import proposals
from collectors.claims.extraction import Candidate, Extractor
from collectors.projects import load_projects

DEFAULT_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "articles"
OWN_ARTICLES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "articles"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="folder of the articles' files")
    parser.add_argument("--db", type=Path, help="DuckDB file whose catalogue to use (default: as ecotrends)")
    parser.add_argument("--show", action="store_true", help="list the misses and the wrong proposals")
    args = parser.parse_args()
    print("The five register articles (curated projects; value, share and release claims):\n")
    _table(Extractor(load_projects()), *claims.load_register(), args.articles, proposals.QUANTITATIVE_KINDS,
           args.show)  # fmt: skip
    db = Path(config.database(args.db))
    if not db.exists():
        print(f"\n{db} does not exist: run `ecotrends seed` for the catalogue the test articles need")
        return 0
    with duckdb.connect(str(db), read_only=True) as conn:
        named = catalogue.named_projects(conn)
    print(f"\nThe test articles about other ecosystems ({len(named):,} catalogue projects; every checkable kind):\n")
    _table(Extractor(load_projects(), named), *claims.load_register(OWN_ARTICLES / "expected.toml"), OWN_ARTICLES,
           proposals.CHECKABLE_KINDS, args.show)  # fmt: skip
    return 0


def _table(extractor: Extractor, articles: list, register: list, folder: Path, kinds: tuple[str, ...],
           show: bool) -> None:  # fmt: skip
    print("| article | register claims | found | recall | proposals | correct | precision | uncheckable typed |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0, 0]
    for article in articles:
        path = folder / article.file
        if not path.exists():
            print(f"| {article.id} | article file {path} absent | | | | | | |")
            continue
        candidates = extractor.extract(path.read_text(encoding="utf-8"), path.name)
        reference = [proposals.claim_as_dict(c) for c in register if c.article == article.id]
        found, wanted, correct, proposed = proposals.score(candidates, reference, kinds)
        uncheckable = sum(c.kind == "uncheckable" for c in candidates)
        for index, value in enumerate((found, wanted, correct, proposed, uncheckable)):
            totals[index] += value
        print(f"| {article.id} | {wanted} | {found} | {_percent(found, wanted)} | {proposed} | {correct} | "
              f"{_percent(correct, proposed)} | {uncheckable} |")  # fmt: skip
        if show:
            _show(candidates, reference, kinds)
    found, wanted, correct, proposed, uncheckable = totals
    print(f"| **all** | {wanted} | {found} | **{_percent(found, wanted)}** | {proposed} | {correct} | "
          f"**{_percent(correct, proposed)}** | {uncheckable} |")  # fmt: skip


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _show(candidates: list[Candidate], reference: list[dict], kinds: tuple[str, ...]) -> None:
    for claim in reference:
        if claim["kind"] in kinds and not any(proposals.matches(c, claim) for c in candidates):
            print(f"    missed {claim['id']}: {claim['statement']}", file=sys.stderr)
    for candidate in candidates:
        if candidate.kind != "uncheckable" and not any(proposals.matches(candidate, c) for c in reference):
            print(f"    wrong  {candidate.location}: {candidate.kind} {candidate.subjects} {candidate.metric} "
                  f"{candidate.claimed_value} {candidate.period_start}: {candidate.statement[:90]}",
                  file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
