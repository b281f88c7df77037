"""Where an entry of a curated TOML file starts, and where one of its fields is: tomllib gives values without
line numbers, and an error found after parsing (an unknown field, a duplicate id) must name the line to edit."""

from __future__ import annotations

import re


class EntryLines:
    """The lines of the `[[table]]` entries of one TOML text, numbered from 1 as editors show them."""

    def __init__(self, text: str, table: str) -> None:
        self._lines = text.splitlines()
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]\s*(#.*)?$")
        any_table = re.compile(r"^\s*\[")
        self._starts = [number for number, line in enumerate(self._lines, start=1) if header.match(line)]
        self._ends = []
        for start in self._starts:
            end = start
            while end < len(self._lines) and not any_table.match(self._lines[end]):
                end += 1
            self._ends.append(end)

    def entry(self, index: int) -> int | None:
        """The line of the header of entry #index (from 1), or None when the text has no such header."""
        return self._starts[index - 1] if 0 < index <= len(self._starts) else None

    def field(self, index: int, name: str) -> int | None:
        """The line where entry #index sets `name`, else the entry's own line."""
        start = self.entry(index)
        if start is None:
            return None
        key = re.compile(rf"^\s*(\"{re.escape(name)}\"|'{re.escape(name)}'|{re.escape(name)})\s*=")
        for number in range(start + 1, self._ends[index - 1] + 1):
            if key.match(self._lines[number - 1]):
                return number
        return start

    def where(self, path: object, index: int, label: str, field: str | None = None) -> str:
        """'path: line N: label', the prefix of an error about entry #index (or one of its fields)."""
        line = self.field(index, field) if field else self.entry(index)
        return f"{path}: line {line}: {label}" if line else f"{path}: {label}"
