"""Who a project is, from what a user typed (`ecotrends track NAME|OWNER/REPO|pypi:PACKAGE`), before anything is stored.

The shipped catalogue answers first (an exact, unambiguous match only); else PyPI's JSON names a package's repository
(`info.project_urls`, then `info.home_page`). GitHub confirms every repository and says its name today (renames
followed, 404 = unknown or private). A repository is linked to the package of its name only when that package's
metadata names the repository: a repository and a package that name each other, never a name match alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import duckdb

from collectors import catalogue, tracked
from collectors.config import Project
from collectors.errors import NotFoundError, SourceError
from collectors.http import HttpClient
from collectors.tracked import Tracked

_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_PACKAGE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ +-]*$")
# GitHub paths that are not repositories: sponsors/x, orgs/x ...
_NOT_OWNERS = frozenset({"sponsors", "orgs", "topics", "features", "marketplace", "apps", "settings", "login"})
# project_urls labels in the order they name a repository: a source link before a homepage before the rest
_LABEL_RANK = (("source", "repo", "code", "github"), ("home",))
SUGGESTIONS = 3
MAX_TYPO_DISTANCE = 2


class Refused(Exception):
    """An argument that cannot be resolved: the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class Argument:
    text: str  # as typed
    kind: str  # name, repo or package
    value: str  # the name, owner/name or PEP 503 package


@dataclass(frozen=True)
class Clients:
    """The HTTP clients resolution asks: GitHub (token from GITHUB_TOKEN), PyPI JSON, Stack Exchange."""

    github: HttpClient
    pypi: HttpClient
    stackexchange: HttpClient

    @classmethod
    def make(cls) -> Clients:
        from collectors.sources import github, stackoverflow

        return cls(github.make_client(), HttpClient(headers={"Accept": "application/json"}, max_attempts=3),
                   stackoverflow.make_client())  # fmt: skip

    @property
    def requests_made(self) -> int:
        return self.github.requests_made + self.pypi.requests_made + self.stackexchange.requests_made


def parse(text: str) -> Argument:
    """NAME, OWNER/REPO (or a github.com URL) or pypi:PACKAGE; anything else is refused as malformed."""
    stripped = text.strip()
    if stripped.lower().startswith("pypi:"):
        package = stripped[5:].strip()
        if not _PACKAGE.match(package):
            raise Refused(f"{text!r}: pypi:{package} is not a PyPI package name")
        return Argument(text, "package", catalogue.pep503(package))
    repo = github_repo_of(stripped) if "github.com" in stripped.lower() else None
    if repo or _REPO.match(stripped):
        return Argument(text, "repo", repo or stripped)
    if _NAME.match(stripped):
        return Argument(text, "name", stripped)
    raise Refused(f"{text!r}: malformed; give a project NAME, OWNER/REPO or pypi:PACKAGE")


def github_repo_of(url: str) -> str | None:
    """owner/name of a github.com URL (a repository or any page under it), else None."""
    parsed = urlparse(url if "://" in url else f"https://{url}")
    if parsed.hostname not in ("github.com", "www.github.com"):
        return None
    parts = [part for part in parsed.path.split("/") if part]
    if len(parts) < 2 or parts[0].lower() in _NOT_OWNERS:
        return None
    repo = f"{parts[0]}/{parts[1].removesuffix('.git')}"
    return repo if _REPO.match(repo) else None


def repository_named_by(info_payload: dict) -> str | None:
    """The GitHub repository a PyPI JSON answer names: in info.project_urls (source links first), else home_page."""
    info = info_payload.get("info") if isinstance(info_payload, dict) else None
    if not isinstance(info, dict):
        return None
    urls = info.get("project_urls") if isinstance(info.get("project_urls"), dict) else {}

    def rank(label: str) -> int:
        return next((i for i, words in enumerate(_LABEL_RANK) if any(w in label.lower() for w in words)), 9)

    for _, url in sorted(urls.items(), key=lambda item: rank(str(item[0]))):
        repo = github_repo_of(str(url)) if url else None
        if repo:
            return repo
    home = info.get("home_page")
    return github_repo_of(str(home)) if home else None


class Resolver:
    """Resolves arguments against the catalogue (conn, read-only) and the network (clients)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, curated: Sequence[Project], clients: Clients) -> None:
        self.conn = conn
        self.curated = curated
        self.clients = clients

    def resolve(self, text: str) -> Tracked:
        """The project `text` names, or Refused with the reason."""
        argument = parse(text)
        self._refuse_curated(argument)
        entry = self._catalogue_entry(argument)
        if entry is not None:
            return self._from_catalogue(entry, "the catalogue")
        if argument.kind == "repo":
            return self._from_repository(argument)
        return self._from_package(argument)

    # --- the three ways in ----------------------------------------------------------------------------------

    def _from_catalogue(
        self, entry: dict, how: str, extra_packages: Sequence[str] = (), confirmed: str | None = None
    ) -> Tracked:
        """From a catalogue entry; `confirmed`: GitHub has already confirmed its repository under that name."""
        repo, packages = entry["github_repo"], [*entry["pypi"], *(p for p in extra_packages if p not in entry["pypi"])]
        if not repo:
            if not packages:
                raise Refused(f"{entry['project_id']}: the catalogue knows no repository or package of it")
            repo = self._repository_of_package(packages[0], entry["project_id"])
        renamed = ""
        if confirmed is None:
            confirmed, renamed = self._confirm(repo)
        how = f"{how} ({entry['basis']})" + renamed
        return self._tracked(entry["project_id"], entry["name"], confirmed, packages, entry["conda"], how)

    def _from_package(self, argument: Argument) -> Tracked:
        package = catalogue.pep503(argument.value)
        payload = self._pypi_json(package, argument)
        repo = repository_named_by(payload)
        if repo is None:
            raise Refused(f"{argument.text!r}: PyPI package {package} names no GitHub repository (info.project_urls, "
                          "info.home_page); ecotrends tracks a project by its repository")  # fmt: skip
        confirmed, renamed = self._confirm(repo)
        how = f"PyPI JSON of {package} (names {repo}), repository confirmed by GitHub" + renamed
        entry = self._catalogue_by_repo(confirmed)
        if entry is not None:  # the catalogue knows the repository: keep its id, packages and conda
            return self._from_catalogue(entry, f"{how}, then the catalogue", [package], confirmed)
        name = str(payload["info"].get("name") or package)
        return self._tracked(package, name, confirmed, [package], [], how)

    def _from_repository(self, argument: Argument) -> Tracked:
        confirmed, renamed = self._confirm(argument.value, argument)
        how = "GitHub" + renamed
        entry = self._catalogue_by_repo(confirmed)
        if entry is not None:
            return self._from_catalogue(entry, f"{how}, then the catalogue", confirmed=confirmed)
        candidate = catalogue.pep503(confirmed.split("/")[1])
        linked = self._package_naming(candidate, {argument.value.lower(), confirmed.lower()})
        if linked:
            how += f"; PyPI package {candidate} names the repository"
            return self._tracked(candidate, linked, confirmed, [candidate], [], how)
        how += f"; no PyPI package of that name names the repository ({candidate})"
        return self._tracked(confirmed.lower(), confirmed.split("/")[1], confirmed, [], [], how)

    # --- steps ----------------------------------------------------------------------------------------------

    def _tracked(self, project_id: str, name: str, repo: str, pypi: Sequence[str], conda: Sequence[str],
                 how: str) -> Tracked:  # fmt: skip
        for project in self.curated:  # the network may have led to a curated project under another name
            if project.github.lower() == repo.lower() or set(project.pypi) & set(pypi):
                raise Refused(f"{repo}: already curated as {project.id} in data/projects.toml; "
                              "ecotrends collect keeps it current")  # fmt: skip
        from collectors.sources import conda as conda_source
        from collectors.sources import stackoverflow

        tag = self._stackoverflow_tag([catalogue.pep503(name), *pypi])
        fields = {conda_source.PACKAGES_FIELD.key: list(conda), stackoverflow.TAG_FIELD.key: [tag] if tag else []}
        return Tracked(tracked.project_of(project_id, name, repo, pypi, fields), how)

    def _refuse_curated(self, argument: Argument) -> None:
        value = argument.value.lower()
        for project in self.curated:
            if value in {project.id, project.name.lower(), project.github.lower(), *project.pypi}:
                raise Refused(f"{argument.text!r}: already curated as {project.id} in data/projects.toml; "
                              "ecotrends collect keeps it current")  # fmt: skip

    def _catalogue_entry(self, argument: Argument) -> dict | None:
        """The one catalogue or tracked project `argument` names exactly; several are refused as ambiguous."""
        if not _has(self.conn, "project_directory"):
            return None
        found = catalogue.search(self.conn, argument.value, limit=50)
        value, package = argument.value.lower(), catalogue.pep503(argument.value)

        def exact(row: dict) -> bool:
            repo = (row["github_repo"] or "").lower()
            if argument.kind == "repo":
                return repo == value
            if argument.kind == "package":
                return package in list(row["pypi"])
            names = {row["project_id"], row["name"].lower(), repo.split("/")[-1]}
            return value in names or package in list(row["pypi"])

        rows = [row for row in found.to_dict("records") if not row["curated"] and exact(row)]
        if len(rows) > 1:
            names = ", ".join(f"{row['project_id']} ({row['github_repo'] or 'no repository'})" for row in rows[:5])
            raise Refused(f"{argument.text!r} is ambiguous in the catalogue: {names}; name it as OWNER/REPO or "
                          "pypi:PACKAGE")  # fmt: skip
        return self._with_conda(rows[0]) if rows else None

    def _catalogue_by_repo(self, repo: str) -> dict | None:
        return self._catalogue_entry(Argument(repo, "repo", repo))

    def _with_conda(self, row: dict) -> dict:
        conda: list[str] = []
        if _has(self.conn, "catalogue_project"):
            found = self.conn.execute(
                "select conda from catalogue_project where project_id = ?", [row["project_id"]]
            ).fetchone()
            conda = list(found[0]) if found else []
        if not conda:
            from collectors.sources import conda as conda_source

            conda = tracked.names_under(self.conn, row["project_id"], conda_source.PACKAGES_FIELD.key)
        return {**row, "pypi": list(row["pypi"]), "conda": conda}

    def _confirm(self, repo: str, argument: Argument | None = None) -> tuple[str, str]:
        """GitHub's name of the repository today (renames followed) and a note when it changed."""
        from collectors.sources import github

        try:
            payload = github.fetch_repo(self.clients.github, repo)
        except NotFoundError:
            hint = self._did_you_mean(repo) if argument is not None else ""
            raise Refused(
                f"{repo}: GitHub knows no such public repository (HTTP 404: unknown or private){hint}"
            ) from None
        except SourceError as exc:
            raise Refused(f"{repo}: GitHub did not confirm the repository: {exc}") from None
        if payload.get("private"):
            raise Refused(f"{repo}: the repository is private; ecotrends tracks public projects")
        full_name = payload.get("full_name")
        if not isinstance(full_name, str) or not _REPO.match(full_name):
            raise Refused(f"{repo}: GitHub's answer has no full_name")
        renamed = f"; GitHub renamed {repo} to {full_name}" if full_name.lower() != repo.lower() else ""
        return full_name, renamed

    def _pypi_json(self, package: str, argument: Argument) -> dict:
        from collectors.sources import pypi

        try:
            return pypi.fetch_release_info(self.clients.pypi, package)
        except NotFoundError:
            raise Refused(f"{argument.text!r}: not in the catalogue and PyPI knows no package {package} (HTTP 404)"
                          + self._did_you_mean(argument.value)) from None  # fmt: skip
        except SourceError as exc:
            raise Refused(f"{argument.text!r}: PyPI did not answer for {package}: {exc}") from None

    def _repository_of_package(self, package: str, what: str) -> str:
        from collectors.sources import pypi

        try:
            repo = repository_named_by(pypi.fetch_release_info(self.clients.pypi, package))
        except SourceError as exc:
            raise Refused(f"{what}: PyPI did not say the repository of {package}: {exc}") from None
        if repo is None:
            raise Refused(f"{what}: PyPI package {package} names no GitHub repository; ecotrends tracks a project by "
                          "its repository")  # fmt: skip
        return repo

    def _package_naming(self, package: str, repos: set[str]) -> str | None:
        """The package's display name when its metadata names one of `repos`; None otherwise (or when absent)."""
        from collectors.sources import pypi

        try:
            payload = pypi.fetch_release_info(self.clients.pypi, package)
        except SourceError:
            return None
        named = repository_named_by(payload)
        if named is None or named.lower() not in repos:
            return None
        return str(payload["info"].get("name") or package)

    def _stackoverflow_tag(self, candidates: Sequence[str]) -> str | None:
        """The first candidate that is a Stack Overflow tag (one request); None when none is or the API fails."""
        from collectors.sources import stackoverflow

        tags = [c for c in dict.fromkeys(candidates) if re.fullmatch(stackoverflow.TAG_FIELD.pattern, c)]
        if not tags:
            return None
        try:
            counts = stackoverflow.Api(self.clients.stackexchange).tag_counts(tags)
        except SourceError:
            return None
        return next((tag for tag in tags if counts.get(tag)), None)

    def _did_you_mean(self, text: str) -> str:
        """ "; did you mean ...?" with the closest catalogue names, for a typo; empty when none is close."""
        if not _has(self.conn, "project_directory"):
            return ""
        value = text.lower()
        rows = self.conn.execute(
            """
            with distances as (
                select name, github_repo, stars,
                    least(damerau_levenshtein(lower(name), $v), damerau_levenshtein(project_id, $v),
                          damerau_levenshtein(lower(coalesce(github_repo, '')), $v)) as distance
                from project_directory
            )
            select name, github_repo from distances where distance between 1 and $max
            order by distance, stars desc nulls last, name limit $n
            """,
            {"v": value, "max": MAX_TYPO_DISTANCE, "n": SUGGESTIONS},
        ).fetchall()
        if not rows:
            return ""
        return "; did you mean " + " or ".join(f"{name} ({repo})" if repo else name for name, repo in rows) + "?"


def _has(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() and table_name = ?",
            [table],
        ).fetchone()[0]
    )
