"""A shields-style badge: the latest value of a project's signal and its date, as a small SVG with its text kept
as text (an <img> in a README, no service to call)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from collectors.sharing.compare import ChartError
from collectors.sharing.frames import day, human
from collectors.sharing.series import Read, sql

CHAR_WIDTH = 6.6  # Verdana 11 px, the width shields.io sizes its badges by, per character on average
PAD = 6


@dataclass(frozen=True)
class Latest:
    label: str  # "GitHub stars"
    message: str  # "102.5K · 2026-08-22"


def latest(read: Read, project_id: str, name: str, signal: str) -> Latest:
    """The newest figure of a project's signal; none stored is a ChartError (a badge never shows a made-up value)."""
    frame = read(sql("badge"), {"project_id": project_id, "signal": signal})
    if frame.empty:
        raise ChartError(f"no {signal} stored for {project_id}")
    row = frame.iloc[0]
    unit = f" {row['unit_label'].strip()}" if isinstance(row["unit_label"], str) and row["unit_label"] else ""
    return Latest(f"{name} {row['title']}", f"{human(row['latest'])}{unit} · {day(row['as_of'])}")


def svg(badge: Latest, color: str = "#007ec6") -> str:
    """The badge as flat shields-style SVG: grey label, coloured message."""
    left = round(len(badge.label) * CHAR_WIDTH + 2 * PAD)
    right = round(len(badge.message) * CHAR_WIDTH + 2 * PAD)
    width = left + right
    label, message = escape(badge.label), escape(badge.message)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{label}: {message}">\n'
        f"  <title>{label}: {message}</title>\n"
        f'  <linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        f'<stop offset="1" stop-opacity=".1"/></linearGradient>\n'
        f'  <clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>\n'
        f'  <g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{color}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>\n'
        f'  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\n'
        f'    <text x="{left / 2}" y="15" fill="#010101" fill-opacity=".3">{label}</text>'
        f'<text x="{left / 2}" y="14">{label}</text>\n'
        f'    <text x="{left + right / 2}" y="15" fill="#010101" fill-opacity=".3">{message}</text>'
        f'<text x="{left + right / 2}" y="14">{message}</text>\n'
        "  </g>\n</svg>\n"
    )
