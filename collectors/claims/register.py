"""The claims register (data/claims.toml): load, validate with errors naming file, claim and field, and
mirror it into DuckDB, where the claim_checks view computes the verdicts."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from collectors import sources
from collectors.config import REPO_ROOT
from collectors.errors import ConfigError
from collectors.toml_lines import EntryLines

CLAIMS_FILE = REPO_ROOT / "data" / "claims.toml"
VERDICTS = ("supported", "partly_supported", "inaccurate", "contradicted", "uncheckable", "no_data")
KINDS = ("value", "share", "comparison", "rank", "growth", "crossover", "release_date", "uncheckable")
DIRECTIONS = {"growth": ("up", "down", "flat"), "comparison": ("greater",)}
ARTICLE_FIELDS = ("id", "file", "title", "author", "published", "published_basis")
CLAIM_FIELDS = {
    "id", "article", "location", "statement", "kind", "subjects", "alternatives", "top", "relative_to", "source",
    "metric", "period_start", "period_end", "claimed_value", "claimed_month", "unit", "tolerance", "direction",
    "unmeasured", "check", "reason", "proxy", "contradicts",
}  # fmt: skip
REQUIRED = ("id", "article", "location", "statement", "kind", "subjects", "source", "metric", "period_start",
            "period_end", "check")  # fmt: skip


@dataclass(frozen=True)
class Article:
    id: str
    file: str
    title: str
    author: str
    published: str
    published_basis: str


@dataclass(frozen=True)
class Claim:
    id: str
    article: str
    location: str
    statement: str
    kind: str
    subjects: tuple[str, ...]
    source: str
    metric: str
    period_start: date
    period_end: date
    check: str
    claimed_value: float | None = None
    claimed_month: int | None = None
    unit: str | None = None
    tolerance: float | None = None
    direction: str | None = None
    reason: str | None = None
    proxy: str | None = None
    contradicts: tuple[str, ...] = field(default_factory=tuple)
    alternatives: tuple[str, ...] = field(default_factory=tuple)
    top: int | None = None
    relative_to: tuple[str, ...] = field(default_factory=tuple)
    unmeasured: str | None = None


def load_register(path: Path = CLAIMS_FILE) -> tuple[list[Article], list[Claim]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (the claims register)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 TOML: {exc}") from None
    return parse_register(text, path)


def parse_register(text: str, path: Path | str) -> tuple[list[Article], list[Claim]]:
    """Articles and claims of a register's text, validated; `path` names it in errors (a file, "the page")."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 TOML: {exc}") from None
    article_lines, claim_lines = EntryLines(text, "article"), EntryLines(text, "claim")
    articles = [_article(path, article_lines, i, entry) for i, entry in enumerate(raw.get("article", []), start=1)]
    _refuse_duplicates(path, article_lines, "article", [a.id for a in articles])
    known = {a.id for a in articles}
    claims = [_claim(path, claim_lines, i, entry, known) for i, entry in enumerate(raw.get("claim", []), start=1)]
    ids = [c.id for c in claims]
    _refuse_duplicates(path, claim_lines, "claim", ids)
    for index, claim in enumerate(claims, start=1):
        for other in claim.contradicts:
            if other not in ids:
                where = claim_lines.where(path, index, _label("claim", index, claim.id), "contradicts")
                raise ConfigError(f"{where}: field 'contradicts' names unknown claim {other!r}")
    return articles, claims


def _label(table: str, index: int, entry_id: object) -> str:
    return f"{table} #{index}" + (f" ({entry_id})" if isinstance(entry_id, str) else "")


def _refuse_duplicates(path: Path | str, lines: EntryLines, table: str, ids: list[str]) -> None:
    """The second entry with an id already used is named with its line, and the first one with its own."""
    first: dict[str, int] = {}
    for index, entry_id in enumerate(ids, start=1):
        if entry_id in first:
            earlier = first[entry_id]
            line = lines.entry(earlier)
            raise ConfigError(
                f"{lines.where(path, index, _label(table, index, entry_id), 'id')}: field 'id' is already used by "
                f"{table} #{earlier}" + (f" (line {line})" if line else "")
            )
        first[entry_id] = index


def _article(path: Path | str, lines: EntryLines, index: int, entry: dict) -> Article:
    label = _label("article", index, entry.get("id"))
    for name in ARTICLE_FIELDS:
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise ConfigError(f"{lines.where(path, index, label, name)}: field '{name}' is missing or empty")
    unknown = sorted(set(entry) - set(ARTICLE_FIELDS))
    if unknown:
        raise ConfigError(f"{lines.where(path, index, label, unknown[0])}: unknown field(s) {unknown}")
    return Article(**{name: entry[name] for name in ARTICLE_FIELDS})


def _claim(path: Path | str, lines: EntryLines, index: int, entry: dict, articles: set[str]) -> Claim:
    label = _label("claim", index, entry.get("id"))

    def fail(name: str, problem: str) -> ConfigError:
        """An error naming the file, the line of the field (else of the entry), the claim and the field."""
        return ConfigError(f"{lines.where(path, index, label, name)}: field '{name}' {problem}")

    unknown = sorted(set(entry) - CLAIM_FIELDS)
    if unknown:
        raise ConfigError(f"{lines.where(path, index, label, unknown[0])}: unknown field(s) {unknown}")
    for name in REQUIRED:
        if name not in entry:
            raise fail(name, "is missing")
    for name in ("id", "article", "location", "statement", "metric", "check"):
        if not isinstance(entry[name], str) or not entry[name].strip():
            raise fail(name, "must be a non-empty string")
    if entry["article"] not in articles:
        raise fail("article", f"names unknown article {entry['article']!r}")
    kind = entry["kind"]
    if kind not in KINDS:
        raise fail("kind", f"is {kind!r}; expected one of {', '.join(KINDS)}")
    known = (*sources.registry(), "none")
    if entry["source"] not in known:
        raise fail("source", f"is {entry['source']!r}; expected one of {', '.join(known)}")
    subjects = entry["subjects"]
    if not isinstance(subjects, list) or not subjects or not all(isinstance(s, str) and s for s in subjects):
        raise fail("subjects", "must be a non-empty list of names")
    try:
        start, end = date.fromisoformat(str(entry["period_start"])), date.fromisoformat(str(entry["period_end"]))
    except ValueError:
        raise fail("period_start", "and period_end must be ISO dates YYYY-MM-DD") from None
    if end < start:
        raise fail("period_end", f"{end} is before period_start {start}")
    value = entry.get("claimed_value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise fail("claimed_value", f"must be a number, got {value!r}")
    tolerance = entry.get("tolerance")
    if tolerance is not None and (not isinstance(tolerance, int | float) or not 0 < tolerance < 1):
        raise fail("tolerance", f"must be a fraction between 0 and 1, got {tolerance!r}")
    direction = entry.get("direction")
    if kind in DIRECTIONS and direction not in DIRECTIONS[kind]:
        raise fail("direction", f"is {direction!r}; a {kind} claim needs one of {', '.join(DIRECTIONS[kind])}")
    if kind in ("value", "share", "release_date") and value is None:
        raise fail("claimed_value", f"is missing; a {kind} claim needs the claimed number")
    if kind in ("value", "share") and tolerance is None:
        raise fail("tolerance", f"is missing; a {kind} claim needs one")
    if kind in ("comparison", "crossover") and len(subjects) != 2:
        raise fail("subjects", f"of a {kind} must name exactly two subjects")
    alternatives = _names(entry, "alternatives", fail)
    relative_to = _names(entry, "relative_to", fail)
    if kind == "rank" and not alternatives:
        raise fail("alternatives", "is missing; a rank claim names what the subjects are ranked against")
    if alternatives and kind != "rank":
        raise fail("alternatives", f"is for rank claims, not {kind}")
    if relative_to and kind != "growth":
        raise fail("relative_to", f"is for growth claims, not {kind}")
    top = entry.get("top")
    if top is not None and (kind != "rank" or isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise fail("top", f"must be a whole number of places >= 1, for rank claims only (got {top!r})")
    unmeasured = entry.get("unmeasured")
    if unmeasured is not None and (not isinstance(unmeasured, str) or not unmeasured.strip()):
        raise fail("unmeasured", "must say in words which part of the claim no series measures")
    if kind == "uncheckable" and not entry.get("reason"):
        raise fail("reason", "is missing; an uncheckable claim says why")
    if kind != "uncheckable" and entry["source"] == "none":
        raise fail("source", "is 'none' but the claim is not marked uncheckable")
    month = entry.get("claimed_month")
    if month is not None and (not isinstance(month, int) or not 1 <= month <= 12):
        raise fail("claimed_month", f"must be 1-12, got {month!r}")
    contradicts = entry.get("contradicts", [])
    if not isinstance(contradicts, list):
        raise fail("contradicts", "must be a list of claim ids")
    return Claim(
        id=entry["id"], article=entry["article"], location=entry["location"], statement=entry["statement"],
        kind=kind, subjects=tuple(subjects), source=entry["source"], metric=entry["metric"], period_start=start,
        period_end=end, check=entry["check"], claimed_value=float(value) if value is not None else None,
        claimed_month=month, unit=entry.get("unit"), tolerance=tolerance, direction=direction,
        reason=entry.get("reason"), proxy=entry.get("proxy"), contradicts=tuple(contradicts),
        alternatives=alternatives, top=top, relative_to=relative_to, unmeasured=unmeasured,
    )  # fmt: skip


def _names(entry: dict, name: str, fail) -> tuple[str, ...]:
    value = entry.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise fail(name, "must be a list of names")
    return tuple(value)
