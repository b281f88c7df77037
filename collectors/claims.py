"""The claims register (data/claims.toml): load, validate with errors naming file, claim and field, and
mirror it into DuckDB, where the claim_checks view computes the verdicts."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from collectors import sources
from collectors.config import REPO_ROOT
from collectors.errors import ConfigError

CLAIMS_FILE = REPO_ROOT / "data" / "claims.toml"
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
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (the claims register)") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid UTF-8 TOML: {exc}") from None
    articles = [_article(path, i, entry) for i, entry in enumerate(raw.get("article", []), start=1)]
    known = {a.id for a in articles}
    if len(known) != len(articles):
        raise ConfigError(f"{path}: two [[article]] entries share an id")
    claims = [_claim(path, i, entry, known) for i, entry in enumerate(raw.get("claim", []), start=1)]
    ids = [c.id for c in claims]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{path}: claim {duplicates[0]}: field 'id' is used by more than one claim")
    for claim in claims:
        for other in claim.contradicts:
            if other not in ids:
                raise ConfigError(f"{path}: claim {claim.id}: field 'contradicts' names unknown claim {other!r}")
    return articles, claims


def _article(path: Path, index: int, entry: dict) -> Article:
    where = f"{path}: article #{index}" + (f" ({entry['id']})" if isinstance(entry.get("id"), str) else "")
    for name in ARTICLE_FIELDS:
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise ConfigError(f"{where}: field '{name}' is missing or empty")
    unknown = set(entry) - set(ARTICLE_FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {sorted(unknown)}")
    return Article(**{name: entry[name] for name in ARTICLE_FIELDS})


def _claim(path: Path, index: int, entry: dict, articles: set[str]) -> Claim:
    where = f"{path}: claim #{index}" + (f" ({entry['id']})" if isinstance(entry.get("id"), str) else "")

    def fail(name: str, problem: str) -> ConfigError:
        return ConfigError(f"{where}: field '{name}' {problem}")

    unknown = set(entry) - CLAIM_FIELDS
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {sorted(unknown)}")
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


# --- proposing claims from any article -----------------------------------------------------------------

FRAMEWORK_WORDS = {
    "tensorflow": "tensorflow", "pytorch": "pytorch", "torch": "pytorch", "jax": "jax", "keras": "keras",
    "lightning": "pytorch-lightning",
}  # fmt: skip
METRIC_WORDS = {
    "stars": ("github", "stars"), "star": ("github", "stars"), "github": ("github", "stars"),
    "downloads": ("pypi", "downloads_without_mirrors"), "download": ("pypi", "downloads_without_mirrors"),
    "pypi": ("pypi", "downloads_without_mirrors"), "papers": ("arxiv", "papers_mentioning"),
    "paper": ("arxiv", "papers_mentioning"), "arxiv": ("arxiv", "papers_mentioning"),
    "research": ("arxiv", "papers_mentioning"), "interest": ("trends", "interest"),
    "trends": ("trends", "interest"), "released": ("github", "created"), "release": ("github", "created"),
    "launched": ("github", "created"), "emerged": ("github", "created"), "introduced": ("github", "created"),
    "percent": ("none", "share"), "%": ("none", "share"),
}  # fmt: skip
_SENTENCE = re.compile(r".+?(?:[.!?](?=\s|$)|$)")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([KkMm]\b|%|percent\b)?")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip


def propose_claims(text: str, source_name: str) -> list[dict]:
    """Candidate claims: sentences where a number stands near a framework name and a metric word.

    Where a sentence gives one number per framework ("PyTorch (65K), TensorFlow (170K)"), each framework
    gets its own proposal. Proposals are for a person to review and complete before registering.
    """
    proposals: list[dict] = []
    seen: set[str] = set()
    for line_number, line in enumerate(text.splitlines(), start=1):
        for sentence in _SENTENCE.findall(line):
            statement = " ".join(sentence.split())[:300]
            lower = sentence.lower()
            words = set(re.findall(r"[a-z]+|%", lower))
            metrics = [METRIC_WORDS[w] for w in METRIC_WORDS if w in words]
            mentions = _framework_mentions(lower)
            if not mentions or not metrics or not _NUMBER.search(sentence) or statement in seen:
                continue
            seen.add(statement)
            release = [m for m in metrics if m[1] == "created"]
            source, metric = (release or metrics)[0]
            years = [int(m.group(1)) for m in _NUMBER.finditer(sentence) if re.fullmatch(r"20[0-3]\d", m.group(1))]
            month = next((i for i, name in enumerate(_MONTHS, start=1) if name in words), None)
            is_share = "%" in sentence or "percent" in words
            kind = "release_date" if metric == "created" and years else "share" if is_share else "value"
            for subjects, numbers in _pair_numbers(sentence, lower, mentions):
                value = _claimed_number(numbers, kind, years)
                if kind != "release_date" and value is None:
                    continue
                year = years[0] if years else None
                proposals.append({
                    "id": f"{Path(source_name).stem}-line{line_number}-{len(proposals) + 1}",
                    "location": f"line {line_number}",
                    "statement": statement,
                    "kind": kind,
                    "subjects": subjects,
                    "source": ("arxiv" if {"paper", "papers", "arxiv"} & words else "none") if is_share else source,
                    "metric": "papers_mentioning" if is_share else metric,
                    "period_start": f"{year}-{month or 1:02d}-01" if year else "",
                    "period_end": f"{year}-{month or 12:02d}-28" if year and month else f"{year}-12-31" if year else "",
                    "claimed_value": value,
                    "claimed_month": month if kind == "release_date" else None,
                })  # fmt: skip
    return proposals


def _framework_mentions(lower: str) -> list[tuple[int, str]]:
    found = []
    for word, project in FRAMEWORK_WORDS.items():
        for match in re.finditer(rf"\b{word}\b", lower):
            if project == "pytorch" and lower[match.end() : match.end() + 10].startswith(" lightning"):
                continue
            found.append((match.start(), project))
    return sorted(found)


def _pair_numbers(sentence: str, lower: str, mentions: list[tuple[int, str]]) -> list[tuple[list[str], list]]:
    """One (subjects, numbers) pair per framework when each is followed by its own number, else one for all."""
    numbers = [
        (m.start(), (m.group(1), m.group(2) or ""))
        for m in _NUMBER.finditer(sentence)
        if not re.search(r"(tensorflow|pytorch|torch|jax|keras) v?$", lower[max(0, m.start() - 12) : m.start()])
    ]  # a number right after a framework name is its version ("TensorFlow 2.0"), not a claim
    subjects = sorted({project for _, project in mentions}, key=[p for _, p in mentions].index)
    if len(subjects) > 1:
        pairs = []
        for index, (position, project) in enumerate(mentions):
            stop = mentions[index + 1][0] if index + 1 < len(mentions) else len(sentence)
            own = [n for at, n in numbers if position < at < stop]
            if own and project not in [p[0][0] for p in pairs]:
                pairs.append(([project], own))
        if len(pairs) == len(subjects):
            return pairs
    return [(subjects, [n for _, n in numbers])]


def _claimed_number(numbers: list[tuple[str, str]], kind: str, years: list[int]) -> float | None:
    if kind == "release_date":
        return float(years[0]) if years else None
    for text, suffix in numbers:
        value = float(text.replace(",", ""))
        if kind == "value" and value.is_integer() and 2000 <= value <= 2035 and not suffix:
            continue  # a year, not the claimed number
        scale = {"k": 1e3, "m": 1e6}.get(suffix.lower(), 1)
        return value * scale
    return None


def proposals_as_toml(proposals: list[dict], article_file: str) -> str:
    """The proposals in the register's format, marked for review."""
    lines = [f"# Candidate claims proposed from {article_file}: review, complete and move into data/claims.toml.", ""]
    for p in proposals:
        lines.append("[[claim]]")
        lines.append(f'id = "{p["id"]}"')
        lines.append('article = "TODO"')
        for key in ("location", "statement", "kind", "source", "metric", "period_start", "period_end"):
            lines.append(f"{key} = {json.dumps(p[key])}")
        lines.append("subjects = [" + ", ".join(json.dumps(s) for s in p["subjects"]) + "]")
        if p["claimed_value"] is not None:
            lines.append(f"claimed_value = {p['claimed_value']:g}")
        if p["claimed_month"]:
            lines.append(f"claimed_month = {p['claimed_month']}")
        lines.append('check = "TODO: how to check it"')
        lines.append("")
    return "\n".join(lines)
