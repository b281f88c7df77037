"""The checking half of ecotrends, beside the collecting half (collectors/ and its sources).

- register: the claims register (data/claims.toml), loaded and validated; its names are exported here
- extraction: reads an article and proposes the claims a careful reader would register
- proposals: judges those proposals on the same SQL as the register

The verdicts themselves are SQL, in steps: sql/views/60_ladder.sql to 67_checks.sql.
"""

from collectors.claims.register import (
    CLAIMS_FILE,
    KINDS,
    VERDICTS,
    Article,
    Claim,
    load_register,
    parse_register,
)

__all__ = ["CLAIMS_FILE", "KINDS", "VERDICTS", "Article", "Claim", "load_register", "parse_register"]
