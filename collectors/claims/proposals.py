"""An article's candidates as the register's claims: reading the article from a file or a URL, writing the
candidates in data/claims.toml's format, and scoring them against registered claims (bench/extractor.py)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from collectors.claims import Article, Claim
from collectors.claims.extraction import Candidate, Extractor, describe_article
from collectors.errors import InputFileError
from collectors.http import connection_failure

DEFAULT_TOLERANCE = 0.10  # value and share claims: the register's usual ±10%
MAX_ARTICLE_BYTES = 2_000_000  # a long article's HTML is a few hundred KB; beyond this it is not an article
FETCH_TIMEOUT = (5.0, 15.0)  # seconds to connect, and between bytes
FETCH_DEADLINE_SECONDS = 15.0  # the whole article, however slowly it arrives


def read_article(location: str) -> tuple[str, str]:
    """(content, name) of an article given as a file path or an http(s) URL, fetched once with a time limit and
    a size cap; what fails is named with its cause (offline: the host that does not resolve)."""
    if not re.match(r"https?://", location, re.I):
        path = Path(location)
        try:
            if path.stat().st_size > MAX_ARTICLE_BYTES:
                raise InputFileError(f"{path}: larger than {MAX_ARTICLE_BYTES // 1_000_000} MB, not an article")
            return path.read_text(encoding="utf-8"), path.name
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(f"{path}: cannot read as UTF-8 text ({exc})") from None
    try:
        with requests.get(location, timeout=FETCH_TIMEOUT, stream=True,
                          headers={"User-Agent": "ecotrends (checking an article's claims)"}) as response:  # fmt: skip
            if response.status_code != 200:
                raise InputFileError(f"{location}: HTTP {response.status_code} {response.reason or ''}".rstrip())
            kind = response.headers.get("Content-Type", "text/html").split(";")[0].strip().lower()
            if not (kind.startswith("text/") or kind in ("application/xhtml+xml", "application/xml")):
                raise InputFileError(f"{location}: a {kind} document, not an article's text or HTML")
            body, deadline = b"", time.monotonic() + FETCH_DEADLINE_SECONDS
            for chunk in response.iter_content(64 * 1024):
                if time.monotonic() > deadline:  # a server that trickles bytes is still given up on
                    raise InputFileError(f"{location}: not fetched within {FETCH_DEADLINE_SECONDS:.0f} s; save its "
                                         "text and give the file")  # fmt: skip
                body += chunk
                if len(body) > MAX_ARTICLE_BYTES:
                    raise InputFileError(f"{location}: larger than {MAX_ARTICLE_BYTES // 1_000_000} MB, "
                                         "not an article; save its text and give the file")  # fmt: skip
            encoding = response.encoding if "charset" in response.headers.get("Content-Type", "") else "utf-8"
    except requests.RequestException as exc:
        cause, _ = connection_failure(exc)
        raise InputFileError(f"{location}: {cause}. Without network, paste the text or give a saved file") from None
    name = location.rstrip("/").rsplit("/", 1)[-1] or location
    return body.decode(encoding or "utf-8", errors="replace"), name if "." in name else f"{name}.html"


@dataclass(frozen=True)
class Proposal:
    """An article's [[article]] entry, its candidates, and each candidate as a [[claim]] entry, in order."""

    article: Article
    candidates: list[Candidate]
    entries: list[dict]


def propose(extractor: Extractor, content: str, name: str, article_id: str | None = None) -> Proposal:
    """Everything the command, the page and the tests show of an article: read once, in the register's terms."""
    candidates = extractor.extract(content, name)
    article = describe_article(content, name, article_id)
    entries = [as_entry(candidate, article.id, number) for number, candidate in enumerate(candidates, start=1)]
    return Proposal(article, candidates, entries)


def as_entry(candidate: Candidate, article_id: str, number: int) -> dict:
    """A candidate as a [[claim]] of the register (data/claims.toml), ready to be validated and judged."""
    subjects = "-".join(candidate.subjects[:2]) or "article"
    entry: dict = {
        "id": f"{article_id}-{number:02d}-{candidate.kind.replace('_', '-')}-{subjects}",
        "article": article_id,
        "location": candidate.location,
        "statement": " ".join(candidate.statement.split())[:300],
        "kind": candidate.kind,
        "subjects": list(candidate.subjects),
        "source": candidate.source,
        "metric": candidate.metric,
        "period_start": candidate.period_start,
        "period_end": candidate.period_end,
    }
    optional = {"claimed_value": candidate.claimed_value, "claimed_month": candidate.claimed_month,
                "unit": candidate.unit or None, "direction": candidate.direction,
                "reason": candidate.reason, "proxy": candidate.proxy, "unmeasured": candidate.unmeasured}  # fmt: skip
    entry.update({key: value for key, value in optional.items() if value is not None})
    if candidate.kind in ("value", "share"):
        entry["tolerance"] = DEFAULT_TOLERANCE
    if candidate.kind in ("comparison", "growth") and candidate.claimed_value:
        entry["unmeasured"] = f"the claimed factor ({candidate.claimed_value:g}x): only the direction is checked"
    period = f"{candidate.period_start}..{candidate.period_end}" if candidate.period_start else "an unknown period"
    entry["check"] = (f"Proposed by the extractor (confidence {candidate.confidence:.2f}, period from the "
                      f"{candidate.period_basis}): {candidate.kind} of {', '.join(candidate.subjects)} on "
                      f"{candidate.source} {candidate.metric} over {period}.")  # fmt: skip
    return entry


def register_toml(article: Article, entries: Sequence[dict], confidences: Sequence[float] = ()) -> str:
    """The article and its claims in the register's TOML; a claim without a period is written commented out,
    so the text always loads and says what is missing."""
    lines = ["# Proposed by `ecotrends claims extract`: review each claim, then move the blocks into data/claims.toml.",
             "", "[[article]]"]  # fmt: skip
    lines += [f"{key} = {_toml_value(value)}" for key, value in asdict(article).items()]
    for index, entry in enumerate(entries):
        block = [f"{key} = {_toml_value(value)}" for key, value in entry.items()]
        lines.append("")
        if index < len(confidences):
            lines.append(f"# confidence {confidences[index]:.2f}")
        if not entry.get("period_start"):
            lines.append("# needs a period (period_start and period_end, YYYY-MM-DD) before it can be registered")
            lines += ["# [[claim]]", *(f"# {line}" for line in block)]
        else:
            lines += ["[[claim]]", *block]
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 else repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


# --- measuring it against the register -------------------------------------------------------------------

QUANTITATIVE_KINDS = ("value", "share", "release_date")


def claim_as_dict(claim: Claim) -> dict:
    """A registered claim in the terms `matches` compares: dates as ISO text, subjects as a list."""
    entry = asdict(claim)
    entry.update(subjects=list(claim.subjects), period_start=claim.period_start.isoformat(),
                 period_end=claim.period_end.isoformat())  # fmt: skip
    return entry


def matches(candidate: Candidate, claim: dict) -> bool:
    """Whether a candidate states a registered claim: same subjects, metric, value (with its magnitude) and a
    period that overlaps the claimed one."""
    if candidate.kind == "uncheckable" or candidate.metric != claim["metric"]:
        return False
    if set(candidate.subjects) != set(claim["subjects"]) and candidate.subjects[:1] != claim["subjects"][:1]:
        return False
    wanted = claim.get("claimed_value")
    if wanted is not None:
        if candidate.claimed_value is None or abs(candidate.claimed_value - wanted) > 0.01 * abs(wanted):
            return False
        if claim.get("claimed_month") and candidate.claimed_month not in (None, claim["claimed_month"]):
            return False
    elif candidate.kind != claim["kind"]:
        return False
    if not candidate.period_start:
        return False
    return candidate.period_start <= claim["period_end"] and claim["period_start"] <= candidate.period_end


CHECKABLE_KINDS = ("value", "share", "release_date", "comparison", "crossover", "growth", "rank")


def score(candidates: list[Candidate], claims: list[dict], kinds: Sequence[str] = QUANTITATIVE_KINDS
          ) -> tuple[int, int, int, int]:  # fmt: skip
    """(register claims found, register claims of `kinds`, proposals correct, checkable proposals)."""
    reference = [c for c in claims if c["kind"] in kinds]
    found = sum(any(matches(candidate, claim) for candidate in candidates) for claim in reference)
    proposed = [c for c in candidates if c.kind != "uncheckable"]
    correct = sum(any(matches(candidate, claim) for claim in claims) for candidate in proposed)
    return found, len(reference), correct, len(proposed)
