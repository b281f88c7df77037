"""Claims: `ecotrends claims check` prints the register's verdicts, `claims extract` proposes an article's claims."""

from __future__ import annotations

import argparse
import sys

from collectors.commands import EXIT_OK, sharing
from collectors.config import Database


def claims(db: Database, args: argparse.Namespace) -> int:
    from collectors import claims, inputs, store
    from collectors.errors import InputFileError

    if args.claims_command != "check":
        return extract(db, args) if args.claims_command == "extract" else sharing.report(db, args)
    articles, registered = claims.load_register()  # a malformed register fails here with file, claim and field
    # A read: it never waits for a writer, nor writes a read-only store. Where the stored register is not this one
    # and the store cannot be brought up to date now, the verdicts are computed on it without being stored.
    left_as_is = inputs.prepare_if_free(db)
    if left_as_is and not store.exists(db):
        raise InputFileError(f"{db}: no database to check against ({left_as_is}); create it with: ecotrends seed")
    with store.connect(db, read_only=True) as conn:
        checks = (
            inputs.judge_unregistered(conn, articles, registered)
            if left_as_is
            else conn.execute("select verdict, claim_id, explanation from claim_checks").df()
        )
    if left_as_is:
        print(f"ecotrends: verdicts of {claims.CLAIMS_FILE.name} computed without storing them ({left_as_is}); "
              "the app shows them after the next write (collect, import, seed)", file=sys.stderr)  # fmt: skip
    chosen = checks if args.verdict is None else checks[checks["verdict"].isin(args.verdict)]
    rows = chosen.sort_values(["verdict", "claim_id"])[["verdict", "claim_id", "explanation"]].itertuples(index=False)
    for verdict, claim_id, explanation in rows:
        print(f"{verdict:<13} {claim_id}\n{'':<14}{explanation}")
    return EXIT_OK


def extract(db: Database, args: argparse.Namespace) -> int:
    """Candidates of one article as register TOML on stdout; with --check, their verdicts (nothing is stored)."""
    from collectors import catalogue, claims, inputs, store
    from collectors.claims import proposals
    from collectors.claims.extraction import Extractor
    from collectors.errors import InputFileError
    from collectors.projects import load_projects

    content, name = proposals.read_article(args.article)
    named = []
    if store.exists(db):  # any catalogue or tracked project is recognised too
        with store.connect(db, read_only=True) as conn:
            named = catalogue.named_projects(conn)
    proposal = proposals.propose(Extractor(load_projects(), named), content, name, args.article_id)
    candidates = proposal.candidates
    register = proposals.register_toml(proposal.article, proposal.entries, [c.confidence for c in candidates])
    undated = sum(not c.period_start for c in candidates)
    print(f"{len(candidates)} candidate claim(s) from {args.article}: "
          f"{sum(c.kind == 'uncheckable' for c in candidates)} uncheckable, {undated} without a period "
          f"(written commented out)", file=sys.stderr)  # fmt: skip
    if not args.check:
        print(register, end="")
        return EXIT_OK
    if not store.exists(db):
        raise InputFileError(f"{db}: no database to check against; create it with: ecotrends seed")
    articles, dated = claims.parse_register(register, f"the candidates of {args.article}")
    inputs.prepare_if_free(db)  # the views as this checkout defines them, where that costs no wait; nothing is stored
    with store.connect(db, read_only=True) as conn:
        checks = inputs.judge_unregistered(conn, articles, dated)
    for row in checks.itertuples():
        print(f"{row.verdict:<16} {row.claim_id}\n{'':<17}{row.statement}\n{'':<17}{row.explanation}")
    return EXIT_OK
