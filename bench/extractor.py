"""Precision and recall of the claim extractor on the articles of the claims register.

Run: .venv/bin/python bench/extractor.py [--articles ../shared/articles] [--show]
The register (data/claims.toml) is the reference: recall counts its checkable quantitative claims (value, share,
release date) that some proposal states with the same subject, metric, value (magnitude included) and an
overlapping period; precision counts the checkable proposals that state some registered claim. `--show` lists
the misses and the wrong proposals so a rule change can be read, not only counted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectors import claims, proposals
from collectors.extraction import Candidate, Extractor
from collectors.projects import load_projects

DEFAULT_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "articles"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="folder of the articles' files")
    parser.add_argument("--show", action="store_true", help="list the misses and the wrong proposals")
    args = parser.parse_args()
    articles, register = claims.load_register()
    extractor = Extractor(load_projects())
    print("| article | register claims | found | recall | proposals | correct | precision | uncheckable typed |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0, 0]
    for article in articles:
        path = args.articles / article.file
        if not path.exists():
            print(f"| {article.id} | article file {path} absent | | | | | | |")
            continue
        candidates = extractor.extract(path.read_text(encoding="utf-8"), path.name)
        reference = [proposals.claim_as_dict(c) for c in register if c.article == article.id]
        found, wanted, correct, proposed = proposals.score(candidates, reference)
        uncheckable = sum(c.kind == "uncheckable" for c in candidates)
        for index, value in enumerate((found, wanted, correct, proposed, uncheckable)):
            totals[index] += value
        print(f"| {article.id} | {wanted} | {found} | {_percent(found, wanted)} | {proposed} | {correct} | "
              f"{_percent(correct, proposed)} | {uncheckable} |")  # fmt: skip
        if args.show:
            _show(candidates, reference)
    found, wanted, correct, proposed, uncheckable = totals
    print(f"| **all** | {wanted} | {found} | **{_percent(found, wanted)}** | {proposed} | {correct} | "
          f"**{_percent(correct, proposed)}** | {uncheckable} |")  # fmt: skip
    return 0


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _show(candidates: list[Candidate], reference: list[dict]) -> None:
    for claim in reference:
        if claim["kind"] in proposals.QUANTITATIVE_KINDS and not any(proposals.matches(c, claim) for c in candidates):
            print(f"    missed {claim['id']}: {claim['statement']}", file=sys.stderr)
    for candidate in candidates:
        if candidate.kind != "uncheckable" and not any(proposals.matches(candidate, c) for c in reference):
            print(f"    wrong  {candidate.location}: {candidate.kind} {candidate.subjects} {candidate.metric} "
                  f"{candidate.claimed_value} {candidate.period_start}: {candidate.statement[:90]}",
                  file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
