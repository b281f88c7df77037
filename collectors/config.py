"""Where things are (the checkout, the database) and what a tracked project is; collectors/projects.py reads them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from collectors.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO_ROOT / "data" / "ecotrends.duckdb"
DEFAULT_CATALOGUE = REPO_ROOT / "data" / "seed" / "catalogue"


# Every environment variable ecotrends reads is read here, once per call, so a test or a process can set it.


def service_url(variable: str, default: str) -> str:
    """A service's scheme and host: ECOTRENDS_*_URL overrides it for mirrors, proxies and local test servers."""
    return os.environ.get(variable, default).rstrip("/")


BUDGET_VARIABLE = "ECOTRENDS_SOURCE_BUDGET"
DEFAULT_BUDGET_SECONDS = 90.0  # a source waiting this long without an answer is given up for the run


def source_budget(given: float | None = None) -> float:
    """Seconds a source may wait for an answer (its retries and their waits included) before its run is given
    up: --budget, else $ECOTRENDS_SOURCE_BUDGET, else 90. A hung service then costs a minute and a half, not
    a quarter of an hour holding the run lock."""
    if given is not None:
        return given
    text = os.environ.get(BUDGET_VARIABLE, "").strip()
    if not text:
        return DEFAULT_BUDGET_SECONDS
    try:
        return positive_seconds(text)
    except ValueError:
        raise ConfigError(f"{BUDGET_VARIABLE}={text!r}: not a positive number of seconds (default 90)") from None


def positive_seconds(text: str) -> float:
    """A finite number of seconds above zero, else ValueError."""
    seconds = float(text)
    if not 0 < seconds < float("inf"):
        raise ValueError(text)
    return seconds


def secret(variable: str) -> str | None:
    """A credential from the environment (GITHUB_TOKEN, STACKEXCHANGE_KEY): never logged, stored or shown."""
    return os.environ.get(variable, "").strip() or None


def s3_settings() -> dict[str, str | None]:
    """The usual AWS variables, for a lake whose data lies on s3:// or an S3-compatible store."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or ""
    return {
        "key_id": os.environ.get("AWS_ACCESS_KEY_ID"),
        "secret": os.environ.get("AWS_SECRET_ACCESS_KEY"),
        "session_token": os.environ.get("AWS_SESSION_TOKEN"),
        "region": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        "endpoint": endpoint.split("://")[-1] or None,
        **({"use_ssl": "false", "url_style": "path"} if endpoint.startswith("http://") else {}),
    }


def projects_file() -> Path:
    """The curated projects: $ECOTRENDS_PROJECTS, else data/projects.toml."""
    return Path(os.environ.get("ECOTRENDS_PROJECTS") or REPO_ROOT / "data" / "projects.toml")


def catalogue_dir() -> Path:
    """Where the shipped catalogue lies: $ECOTRENDS_CATALOGUE (the tests point it at a small real subset), else
    data/seed/catalogue."""
    return Path(os.environ.get("ECOTRENDS_CATALOGUE") or DEFAULT_CATALOGUE)


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    github: str
    pypi: tuple[str, ...]
    color: str | None = None
    github_former_names: tuple[str, ...] = ()
    archived: bool = False  # ended: kept in every view and claim, no longer collected
    # The names under the keys sources declare for themselves (Source.project_fields), as (key, names): an
    # arXiv phrase, a Trends term, a tag. A catalogue project has only those its archive knew.
    source_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    curated: bool = True  # listed in data/projects.toml; False for the shipped catalogue's projects

    def names(self, key: str) -> tuple[str, ...]:
        """The names given under a source's own key (none when the entry leaves it out)."""
        return dict(self.source_fields).get(key, ())

    def name_under(self, key: str) -> str:
        """The one name under a source's own key, or "" when the entry leaves it out."""
        return next(iter(self.names(key)), "")


def not_covered(found: Iterable[Project], curated: Sequence[Project]) -> list[Project]:
    """`found` less the projects a curated one already covers: the same id, repository (or a former name of it) or
    PyPI package. The catalogue and the tracked projects both give way to data/projects.toml this way."""
    taken_ids = {p.id for p in curated}
    taken_repos = {r.lower() for p in curated for r in (p.github, *p.github_former_names) if r}
    taken_packages = {package for p in curated for package in p.pypi}
    return [p for p in found if p.id not in taken_ids and not (p.github and p.github.lower() in taken_repos)
            and not set(p.pypi) & taken_packages]  # fmt: skip


LAKE_PREFIX = "ducklake:postgres:"
_PASSWORD = re.compile(r"(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class DuckLake:
    """A team's shared store: a DuckLake whose catalog lives in PostgreSQL and whose data are Parquet files
    under data_path (a directory every machine mounts, or s3://). Many processes on many machines read and
    write it at once; collectors/lake.py opens it."""

    dsn: str  # libpq connection string of the catalog database, e.g. "dbname=ecotrends host=db1"
    data_path: str | None = None  # needed only when the lake is created; the catalog remembers it

    def __str__(self) -> str:
        """As written in ECOTRENDS_DB, with any password hidden: it shows in messages and logs."""
        return LAKE_PREFIX + _PASSWORD.sub(r"\1***", self.dsn)


Database = Path | DuckLake


def spec(db: Database) -> str:
    """The store as ECOTRENDS_DB names it, password included: for handing to another process, never to show."""
    return LAKE_PREFIX + db.dsn if isinstance(db, DuckLake) else os.fspath(db)


def database(cli_value: str | os.PathLike[str] | None = None, data_path: str | None = None) -> Database:
    """The store: --db, else $ECOTRENDS_DB, else data/ecotrends.duckdb in the checkout. A value starting with
    `ducklake:postgres:` names a DuckLake; its data path comes from --data-path or $ECOTRENDS_DATA_PATH."""
    text = os.fspath(cli_value) if cli_value else os.environ.get("ECOTRENDS_DB", "")
    if not text:
        return DEFAULT_DB
    if text.startswith(LAKE_PREFIX):
        dsn = text.removeprefix(LAKE_PREFIX).strip()
        if not dsn:
            example = f"{LAKE_PREFIX}dbname=ecotrends host=db1"
            raise ConfigError(f"{text!r}: name the catalog database after {LAKE_PREFIX}, e.g. {example}")
        return DuckLake(dsn, data_path or os.environ.get("ECOTRENDS_DATA_PATH") or None)
    if text.startswith("ducklake:"):
        raise ConfigError(
            f"{text!r}: ecotrends keeps a lake's catalog in PostgreSQL ({LAKE_PREFIX}...), where the locks that let "
            "machines share it live; for one machine, use a DuckDB file"
        )
    if text.startswith("md:"):
        raise ConfigError(
            f"{text!r}: MotherDuck is not built in (its extension is downloaded at run time); "
            "docs/deploying.md says how to run ecotrends on it"
        )
    return Path(text)


def collected(projects: list[Project]) -> list[Project]:
    """The projects the collectors ask the sources about: archived ones keep their history, nothing more."""
    return [project for project in projects if not project.archived]
