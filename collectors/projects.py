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
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
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

    projects = [_parse_entry(path, index, entry) for index, entry in enumerate(entries, start=1)]
    _check_unique(path, projects)
    return projects


def _parse_entry(path: Path, index: int, entry: object) -> Project:
    where = f"{path}: project #{index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table")
    if isinstance(entry.get("id"), str):
        where = f"{path}: project #{index} ({entry['id']})"

    declared = {field.key: field for source in sources.registry().values() for field in source.project_fields}
    allowed = {
        "id", "name", "github", "github_former_names", "pypi", "arxiv_phrase", "trends_term", "color", "archived",
        *declared,
    }  # fmt: skip
    unknown = set(entry) - allowed
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(allowed)}")

    def text(field: str, pattern: re.Pattern[str] | None = None, hint: str = "") -> str:
        value = entry.get(field)
        if value is None:
            raise ConfigError(f"{where}: field '{field}' is missing")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: field '{field}' must be a non-empty string, got {value!r}")
        if pattern and not pattern.match(value):
            raise ConfigError(f"{where}: field '{field}' = {value!r} is not {hint}")
        return value.strip()

    packages = entry.get("pypi")
    if packages is None:
        raise ConfigError(f"{where}: field 'pypi' is missing")
    if not isinstance(packages, list) or not packages:
        raise ConfigError(f"{where}: field 'pypi' must be a non-empty list of package names")
    for package in packages:
        if not isinstance(package, str) or not _PACKAGE.match(package):
            raise ConfigError(f"{where}: field 'pypi' has {package!r}, which is not a lower-case PEP 503 package name")

    color = entry.get("color")
    if color is not None and (not isinstance(color, str) or not _COLOR.match(color)):
        raise ConfigError(f"{where}: field 'color' = {color!r} is not a #RRGGBB colour")

    archived = entry.get("archived", False)
    if not isinstance(archived, bool):
        raise ConfigError(f"{where}: field 'archived' must be true or false, got {archived!r}")

    former = entry.get("github_former_names", [])
    if not isinstance(former, list) or not all(isinstance(n, str) and _REPO.match(n) for n in former):
        raise ConfigError(f"{where}: field 'github_former_names' must be a list of owner/name repositories")

    source_fields = tuple(
        (key, field.validate(where, entry[key])) for key, field in sorted(declared.items()) if key in entry
    )

    return Project(
        id=text("id", _ID, "a lower-case id (letters, digits, - and _)"),
        name=text("name"),
        github=text("github", _REPO, "a repository owner/name"),
        pypi=tuple(packages),
        arxiv_phrase=text("arxiv_phrase"),
        trends_term=text("trends_term"),
        color=color,
        github_former_names=tuple(former),
        archived=archived,
        source_fields=source_fields,
    )


def _check_unique(path: Path, projects: list[Project]) -> None:
    for field in ("id", "github", "trends_term"):
        seen: dict[str, str] = {}
        for project in projects:
            key = str(getattr(project, field)).lower()
            if key in seen:
                raise ConfigError(
                    f"{path}: project {project.id}: field '{field}' = {getattr(project, field)!r} "
                    f"is already used by project {seen[key]}"
                )
            seen[key] = project.id
    owners: dict[str, str] = {}
    for project in projects:
        for package in project.pypi:
            if package in owners:
                raise ConfigError(
                    f"{path}: project {project.id}: package {package!r} is already counted for {owners[package]}"
                )
            owners[package] = project.id
