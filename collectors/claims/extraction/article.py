"""An article's entry in the register: its title line, byline, publication date and an id."""

from __future__ import annotations

import re

from collectors.claims import Article
from collectors.claims.extraction.text import (
    DATE_LINE,
    article_date,
    latest_heading_year,
    text_of,  # fmt: skip
)

# What an HTML page says of itself: <meta name="author">, JSON-LD "author" / "datePublished", <meta
# property="article:published_time">, <time datetime>.
_META_AUTHOR = re.compile(
    r"""<meta\s+(?:name|property)=["'](?:author|article:author)["']\s+content=["']([^"'<]{2,80})["']"""
    r"""|"author"\s*:\s*(?:\[\s*)?\{[^}]*?"name"\s*:\s*"([^"]{2,80})"|"author"\s*:\s*"([^"]{2,80})["]""",
    re.I,
)
_META_DATE = re.compile(
    r"""(?:article:published_time["']\s+content=["']|"datePublished"\s*:\s*"|<time[^>]*\sdatetime=["'])"""
    r"(20[0-4]\d)-(\d{2})",
    re.I,
)
_ISO_DATE = re.compile(r"\b(20[0-4]\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_BYLINE = re.compile(r"(?:^\W*|\|\s*)(?i:by|written by|author:)\s+([A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})")


def describe_article(content: str, name: str, article_id: str | None = None) -> Article:
    """The register's [[article]] entry for a text: its title line, byline, date line and an id."""
    lines = [line.strip().lstrip("#").strip() for line in text_of(content, name).splitlines() if line.strip()]
    title = re.split(r"\s+\|\s+", lines[0])[0][:200] if lines else name
    meta = _META_AUTHOR.search(content) if name.lower().endswith((".html", ".htm")) or "<meta" in content else None
    author = next((group for group in meta.groups() if group), None) if meta else None
    author = author or next((m.group(1) for line in lines[:10] if (m := _BYLINE.search(line))), None)
    if author is None:  # "Sam Writer | Nov 2021": a name before the date
        author = next((line.split("|")[0].strip() for line in lines[1:10] if "|" in line and DATE_LINE.search(line)
                       and len(line.split("|")[0].split()) <= 4), "unknown")  # fmt: skip
    published, basis = "unknown", "no date line found"
    dated = _META_DATE.search(content)
    for line in [] if dated else lines[:15]:
        iso = _ISO_DATE.search(line)
        if iso:
            published, basis = f"{iso.group(1)}-{iso.group(2)}", f"date line {line[:80]!r}"
            break
        found = article_date([line])
        if found:
            year, month = found
            published, basis = (f"{year}-{month:02d}" if month else str(year)), f"date line {line[:80]!r}"
            break
    else:
        if dated:
            published, basis = f"{dated.group(1)}-{dated.group(2)}", "the page's own publication date (HTML metadata)"
        latest = None if dated else latest_heading_year(lines)
        if latest:
            published, basis = str(latest), f"no date line; the latest year its headings name is {latest}"
    return Article(article_id or _slug(title), name or "pasted text", title, author, published, basis)


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:5]) or "article"
