"""Figures as articles write them: "3.4M", "about 150 thousand", "65K+", "12.5%", "4x", "three times"."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAGNITUDES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
MULTIPLIERS = {"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "tenfold": 10, "doubled": 2,
               "tripled": 3, "quadrupled": 4, "twice": 2}  # fmt: skip
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "twenty": 20, "a hundred": 100}  # fmt: skip
_NUMBER = re.compile(
    r"(?<![\w.])(?P<approx>~|about |around |approximately |nearly |almost |over |more than |roughly |some )?"
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:" + "|".join(NUMBER_WORDS) + r")(?= times\b))"
    r"(?:(?P<times>\s*(?:x\b|×|times\b))|\s*(?P<mag>k|m|mn|b|bn|thousand|million|billion)\b\+?|\b\+?)"
    r"(?:\s*(?P<pct>%|percent\b))?",
    re.I,
)
YEAR = re.compile(r"(?<![\d.,$])(19[89]\d|20[0-4]\d)(?![\d%]|\.\d|,\d| ?(?:k|m|million|thousand|%)\b)", re.I)


@dataclass(frozen=True)
class Number:
    start: int
    value: float
    percent: bool
    magnitude: bool
    times: bool
    approx: bool
    is_year: bool

    @property
    def is_figure(self) -> bool:
        """A figure a claim is made of: a share, a magnitude, a factor or a count of a thousand or more."""
        return self.percent or self.magnitude or self.times or (self.value >= 1000 and not self.is_year)


def numbers(text: str) -> list[Number]:
    found = []
    for m in _NUMBER.finditer(text):
        written = m.group("number").lower()
        raw = float(NUMBER_WORDS[written]) if written in NUMBER_WORDS else float(written.replace(",", ""))
        magnitude = (m.group("mag") or "").lower()
        if magnitude in ("m", "b", "k") and re.match(r"[a-z]", text[m.end("mag") : m.end("mag") + 1] or " ", re.I):
            magnitude = ""  # "5 ms", "3 bits": a unit, not a magnitude
        value = raw * MAGNITUDES.get(magnitude, 1)
        is_year = not magnitude and not m.group("pct") and raw.is_integer() and 1980 <= raw <= 2049
        found.append(Number(m.start("number"), value, bool(m.group("pct")), bool(magnitude), bool(m.group("times")),
                            bool(m.group("approx")), is_year))  # fmt: skip
    return found


def first_number(text: str) -> Number | None:
    found = [n for n in numbers(text) if not n.is_year or "%" in text]
    return found[0] if found else None


def multiplier(lower: str) -> float | None:
    """The factor of "doubled", "threefold", "10-fold"."""
    for word, factor in MULTIPLIERS.items():
        if re.search(rf"\b{word}\b", lower):
            return float(factor)
    match = re.search(r"\b(\d+)-?fold\b", lower)
    return float(match.group(1)) if match else None


def rate(lower: str) -> str:
    """" per week" for "3.4M downloads per week" or "weekly downloads"."""
    match = re.search(r"\b(?:per|a|each|every) (day|week|month|year)\b|\b(daily|weekly|monthly|yearly)\b", lower)
    if not match:
        return ""
    unit = match.group(1) or {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}[match.group(2)]
    return f" per {unit}"
