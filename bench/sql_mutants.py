"""Mutation testing of the claims SQL: does tests/test_claims.py fail when a threshold or a comparison changes?

Run: .venv/bin/python bench/sql_mutants.py [--files 65_verdicts.sql ...] [--limit N] [--timeout 300] [--show]
                                           [--tests-from REV] [--only KEYS]
Each mutant changes one place of sql/views/6*.sql, in a copy of the checkout (the checkout is never written):
a number becomes one more (an integer) or twice as much (a decimal: 0.5 -> 1.0), a comparison loses or gains its
equality (< and <=, > and >=), min() and max() swap. Comments, `comment on` statements and quoted text are left
alone. --tests-from REV runs the test file as it was at a git revision (a kill rate before new tests); --only
runs the mutants a file lists by key (file:line:column, as the progress lines print them). Each
mutant runs `pytest tests/test_claims.py -x` on its own, one after another (one core); it is killed
when a test fails, and survives when all pass. Prints a table per file and, with --show, every survivor.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEWS = ROOT / "sql" / "views"
COPIED = ("app", "collectors", "data", "sql", "tests", "pyproject.toml")
QUOTED = re.compile(r"'(?:[^']|'')*'")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
COMPARISON = re.compile(r"<=|>=|(?<![<>=!-])[<>](?![=>])")
MIN_MAX = re.compile(r"\b(min|max)\(")
SWAPPED = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "min": "max", "max": "min"}


@dataclass(frozen=True)
class Mutant:
    file: str
    line: int  # 1-based
    start: int  # column range in the line
    end: int
    replacement: str

    @property
    def key(self) -> str:
        return f"{self.file}:{self.line}:{self.start + 1}"

    def describe(self, original: str) -> str:
        return f"{self.key}: {original[self.start:self.end]} -> {self.replacement}"


def code_spans(line: str) -> list[tuple[int, int]]:
    """The parts of a line that are SQL code: not a comment, not quoted text."""
    if line.lstrip().startswith("--") or line.lower().startswith("comment on"):
        return []
    end = len(line)
    spans, position = [], 0
    for match in QUOTED.finditer(line):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, end))
    cut = []
    for start, stop in spans:
        comment = line.find("--", start, stop)
        cut.append((start, comment if comment >= 0 else stop))
        if comment >= 0:
            break
    return cut


def mutants_of(path: Path) -> list[Mutant]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for start, stop in code_spans(line):
            part = line[start:stop]
            for match in NUMBER.finditer(part):
                text = match.group(0)
                changed = str(int(text) + 1) if text.isdigit() else repr(float(text) * 2)
                found.append(Mutant(path.name, number, start + match.start(), start + match.end(), changed))
            for match in COMPARISON.finditer(part):
                found.append(Mutant(path.name, number, start + match.start(), start + match.end(),
                                    SWAPPED[match.group(0)]))  # fmt: skip
            for match in MIN_MAX.finditer(part):
                found.append(Mutant(path.name, number, start + match.start(1), start + match.end(1),
                                    SWAPPED[match.group(1)]))  # fmt: skip
    return found


def run_tests(copy: Path, timeout: float) -> str:
    """'killed', 'survived' or 'timeout' for the copy as it is now."""
    env = {**os.environ, "PYTHONPATH": str(copy)}  # the copy's packages (and so its sql/) before the checkout's
    command = [sys.executable, "-m", "pytest", "tests/test_claims.py", "-x", "-q", "-n", "0", "-p", "no:cacheprovider"]
    try:
        done = subprocess.run(command, cwd=copy, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if done.returncode == 0 else "killed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="*", help="only these files of sql/views (default: every 6*.sql)")
    parser.add_argument("--limit", type=int, help="at most this many mutants (the first ones, file by file)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a mutant's test run may take")
    parser.add_argument("--show", action="store_true", help="list every surviving mutant")
    parser.add_argument("--tests-from", metavar="REV", help="tests/test_claims.py as it was at this git revision")
    parser.add_argument("--only", type=Path, help="a file of mutant keys (file:line:column, one a line) to run")
    args = parser.parse_args()
    files = [VIEWS / name for name in args.files] if args.files else sorted(VIEWS.glob("6*.sql"))
    mutants = [mutant for path in files for mutant in mutants_of(path)][: args.limit]
    if args.only:
        wanted = {line.split(": ")[0].strip() for line in args.only.read_text().splitlines() if line.strip()}
        mutants = [mutant for mutant in mutants if mutant.key in wanted]

    with tempfile.TemporaryDirectory(prefix="sql-mutants-") as folder:
        copy = Path(folder)
        for name in COPIED:
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, copy / name)
        if args.tests_from:
            for test_file in ("tests/test_claims.py", "tests/conftest.py"):
                old = subprocess.run(["git", "show", f"{args.tests_from}:{test_file}"], cwd=ROOT, capture_output=True,
                                     check=True).stdout  # fmt: skip
                (copy / test_file).write_bytes(old)
        if run_tests(copy, args.timeout) != "survived":
            print("tests/test_claims.py fails on the unmutated SQL: fix that first", file=sys.stderr)
            return 1
        outcomes: dict[str, list[str]] = {}
        survivors = []
        started = time.monotonic()
        for mutant in mutants:
            target = copy / "sql" / "views" / mutant.file
            original = target.read_text(encoding="utf-8")
            lines = original.splitlines(keepends=True)
            line = lines[mutant.line - 1]
            lines[mutant.line - 1] = line[: mutant.start] + mutant.replacement + line[mutant.end :]
            target.write_text("".join(lines), encoding="utf-8")
            try:
                outcome = run_tests(copy, args.timeout)
            finally:
                target.write_text(original, encoding="utf-8")
            outcomes.setdefault(mutant.file, []).append(outcome)
            if outcome != "killed":
                survivors.append(f"{mutant.describe(line)}   [{outcome}]")
            print(f"{mutant.describe(line).strip()}: {outcome}", file=sys.stderr)
        minutes = (time.monotonic() - started) / 60

    print("| file | mutants | killed | survived | timeout | kill rate |")
    print("|---|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0]
    for name, results in outcomes.items():
        counts = [len(results), results.count("killed"), results.count("survived"), results.count("timeout")]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        print(f"| {name} | {counts[0]} | {counts[1]} | {counts[2]} | {counts[3]} | {rate(counts[1], counts[0])} |")
    print(f"| **all** | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} | **{rate(totals[1], totals[0])}** |")
    print(f"\n{minutes:.1f} min")
    if args.show:
        print("\nSurvivors:\n" + "\n".join(f"- `{s.strip()}`" for s in survivors))
    return 0


def rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


if __name__ == "__main__":
    raise SystemExit(main())
