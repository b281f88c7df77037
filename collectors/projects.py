"""Tracked projects from data/projects.toml, validated on load with errors naming file, entry and field.

Besides the keys every project has, an entry may carry keys that sources declare for themselves
(Source.project_fields): they are checked against those declarations.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from collectors import config, sources
from collectors.config import REPO_ROOT, Project
from collectors.errors import ConfigError
from collectors.toml_lines import EntryLines

DEFAULT_PROJECTS_FILE = REPO_ROOT / "data" / "projects.toml"

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_PACKAGE = re.compile(r"^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def projects_path() -> Path:
    return config.projects_file()


def load_projects(path: Path | None = None) -> list[Project]:
    """Read and validate the tracked projects; a malformed file raises ConfigError."""
    path = path or projects_path()
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (it lists the tracked projects)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None

    unknown_top = set(raw) - {"project"}
    if unknown_top:
        raise ConfigError(f"{path}: unknown top-level key(s) {sorted(unknown_top)}; expected [[project]] entries")
    entries = raw.get("project")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: no [[project]] entries")

    lines = EntryLines(text, "project")
    projects = [_parse_entry(path, lines, index, entry) for index, entry in enumerate(entries, start=1)]
    _check_unique(path, lines, projects)
    return projects


def _label(index: int, project_id: object) -> str:
    return f"project #{index}" + (f" ({project_id})" if isinstance(project_id, str) else "")


def _parse_entry(path: Path, lines: EntryLines, index: int, entry: object) -> Project:
    where = lines.where(path, index, _label(index, None))
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table")
    label = _label(index, entry.get("id"))

    def at(field: str) -> str:
        """The error prefix naming the file, the line of this entry's field and the entry."""
        return lines.where(path, index, label, field)

    where = lines.where(path, index, label)

    declared = {field.key: field for source in sources.registry().values() for field in source.project_fields}
    allowed = {"id", "name", "github", "github_former_names", "pypi", "color", "archived", *declared}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ConfigError(f"{at(unknown[0])}: unknown field(s) {unknown}; allowed: {sorted(allowed)}")

    def text(field: str, pattern: re.Pattern[str] | None = None, hint: str = "") -> str:
        value = entry.get(field)
        if value is None:
            raise ConfigError(f"{where}: field '{field}' is missing")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{at(field)}: field '{field}' must be a non-empty string, got {value!r}")
        if pattern and not pattern.match(value):
            raise ConfigError(f"{at(field)}: field '{field}' = {value!r} is not {hint}")
        return value.strip()

    packages = entry.get("pypi")
    if packages is None:
        raise ConfigError(f"{where}: field 'pypi' is missing")
    if not isinstance(packages, list) or not packages:
        raise ConfigError(f"{at('pypi')}: field 'pypi' must be a non-empty list of package names")
    for package in packages:
        if not isinstance(package, str) or not _PACKAGE.match(package):
            raise ConfigError(
                f"{at('pypi')}: field 'pypi' has {package!r}, which is not a lower-case PEP 503 package name"
            )

    color = entry.get("color")
    if color is not None and (not isinstance(color, str) or not _COLOR.match(color)):
        raise ConfigError(f"{at('color')}: field 'color' = {color!r} is not a #RRGGBB colour")

    archived = entry.get("archived", False)
    if not isinstance(archived, bool):
        raise ConfigError(f"{at('archived')}: field 'archived' must be true or false, got {archived!r}")

    former = entry.get("github_former_names", [])
    if not isinstance(former, list) or not all(isinstance(n, str) and _REPO.match(n) for n in former):
        raise ConfigError(f"{at('github_former_names')}: field 'github_former_names' must be a list of owner/name "
                          "repositories")  # fmt: skip

    missing = [key for key, field in sorted(declared.items()) if field.required and key not in entry]
    if missing:
        raise ConfigError(f"{where}: field '{missing[0]}' is missing")
    source_fields = tuple(
        (key, field.validate(at(key), entry[key])) for key, field in sorted(declared.items()) if key in entry
    )

    return Project(
        id=text("id", _ID, "a lower-case id (letters, digits, - and _)"),
        name=text("name"),
        github=text("github", _REPO, "a repository owner/name"),
        pypi=tuple(packages),
        color=color,
        github_former_names=tuple(former),
        archived=archived,
        source_fields=source_fields,
    )


def _check_unique(path: Path, lines: EntryLines, projects: list[Project]) -> None:
    """A second entry naming what an earlier one names is refused at its own line, with the first one's."""

    def earlier(index: int) -> str:
        line = lines.entry(index)
        return f"project #{index} ({projects[index - 1].id}" + (f", line {line})" if line else ")")

    unique = [field.key for source in sources.registry().values() for field in source.project_fields if field.unique]
    for field in ("id", "github", *unique):
        seen: dict[str, int] = {}
        for index, project in enumerate(projects, start=1):
            for value in (getattr(project, field),) if field in ("id", "github") else project.names(field):
                if value.lower() in seen:
                    raise ConfigError(
                        f"{lines.where(path, index, _label(index, project.id), field)}: field '{field}' = "
                        f"{value!r} is already used by {earlier(seen[value.lower()])}"
                    )
                seen[value.lower()] = index
    owners: dict[str, int] = {}
    for index, project in enumerate(projects, start=1):
        for package in project.pypi:
            if package in owners:
                raise ConfigError(
                    f"{lines.where(path, index, _label(index, project.id), 'pypi')}: package {package!r} is already "
                    f"counted for {earlier(owners[package])}"
                )
            owners[package] = index
