"""Rebuild data/seed/catalogue/ (thousands of real projects with history) from snapshots of public archives.

    .venv/bin/python data/seed/build_catalogue.py MIRRORS_DIR

MIRRORS_DIR holds bare git mirrors named owner+name/repo (as the search tool's `fetch` leaves them):
EvanLi+Github-Ranking, hugovk+top-pypi-packages and ml-tooling+best-of-{python,ml-python,web-python,python-dev}.
Only numbers and identifiers are read, never code or prose. What is taken from each archive, how it is thinned
and how identities are linked: data/seed/PROVENANCE.md ("The catalogue").

The curated projects (data/projects.toml) keep their own daily series in observations.parquet (build.py): their
repositories and packages are left out here, so the two files never hold the same point.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

SEED = Path(__file__).resolve().parent
OUT = SEED / "catalogue"
EVANLI = "EvanLi/Github-Ranking"
TOP_PYPI = "hugovk/top-pypi-packages"
TOP_PYPI_FILE = "top-pypi-packages-30-days.json"
BEST_OF = ("ml-tooling/best-of-python", "ml-tooling/best-of-ml-python", "ml-tooling/best-of-web-python",
           "ml-tooling/best-of-python-dev")  # fmt: skip
# What the best-of history files carry beyond stars and forks, stored as series of their own (source bestof).
BEST_OF_METRICS = {
    "contributor_count": "contributors",
    "dependent_project_count": "dependents",
    "pypi_monthly_downloads": "pypi_downloads_month",
    "conda_total_downloads": "conda_downloads_total",
}
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_PACKAGE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


def pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --- reading git mirrors ----------------------------------------------------------------------------------


def mirror(root: Path, repo: str) -> Path:
    return root / repo.replace("/", "+") / "repo"


def git(repo_dir: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo_dir), *args], check=True, capture_output=True, text=True).stdout


def read_blobs(repo_dir: Path, specs: list[str]) -> dict[str, bytes]:
    """Many `rev:path` blobs through one `git cat-file --batch`: thousands of files in seconds."""
    process = subprocess.run(
        ["git", "-C", str(repo_dir), "cat-file", "--batch"],
        input="".join(spec + "\n" for spec in specs).encode(),
        capture_output=True,
        check=True,
    )
    out, blobs, at = process.stdout, {}, 0
    for spec in specs:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        blobs[spec] = out[at : at + size]
        at += size + 1
    return blobs


def newest_commit_per_path(repo_dir: Path, under: str) -> dict[str, str]:
    """The newest commit (on any branch) that touched each path: a figure's origin names it."""
    found: dict[str, str] = {}
    commit = ""
    for line in git(repo_dir, "log", "--all", "--name-only", "--format=@%H", "--", under).splitlines():
        if line.startswith("@"):
            commit = line[1:]
        elif line and line not in found:
            found[line] = commit
    return found


# --- EvanLi/Github-Ranking: daily top-100 lists --------------------------------------------------------------


def evanli(root: Path, skip_repos: set[str], renamed: dict[str, str]) -> pd.DataFrame:
    """Stars and forks of every repository in any of the daily top-100 lists, thinned to the last listed day of
    each ISO week (the thinning is stated in each origin). A repository is filed under its newest spelling, and
    under its new name where a best-of list records the rename."""
    repo_dir = mirror(root, EVANLI)
    paths = [p for p in git(repo_dir, "ls-tree", "-r", "--name-only", "HEAD", "Data/").split() if p.endswith(".csv")]
    commits = newest_commit_per_path(repo_dir, "Data/")
    blobs = read_blobs(repo_dir, [f"HEAD:{p}" for p in paths])
    frames = []
    for path in paths:
        day = re.search(r"(\d{4}-\d{2}-\d{2})", path).group(1)
        frame = pd.read_csv(io.BytesIO(blobs[f"HEAD:{path}"]), usecols=["stars", "forks", "repo_url"], dtype=str)
        frame["date"] = day
        frame["origin"] = f"{EVANLI} {path}@{commits.get(path, '')[:10]}"
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True)
    rows["repo"] = rows["repo_url"].str.removeprefix("https://github.com/")
    rows = rows[rows["repo"].str.match(_REPO.pattern, na=False)]
    rows["repo"] = rows["repo"].map(lambda r: renamed.get(r.lower(), r))
    spelling = rows.sort_values("date").groupby(rows["repo"].str.lower())["repo"].last()
    rows["repo"] = rows["repo"].str.lower().map(spelling)
    rows = rows[~rows["repo"].str.lower().isin(skip_repos)]
    rows["stars"] = pd.to_numeric(rows["stars"], errors="coerce")
    rows["forks"] = pd.to_numeric(rows["forks"], errors="coerce")
    rows["date"] = pd.to_datetime(rows["date"])
    # a repository listed twice in a day's file (several lists) keeps its largest counts, as in build.py
    daily = rows.groupby(["repo", "date"], as_index=False).agg(stars=("stars", "max"), forks=("forks", "max"),
                                                                origin=("origin", "first"))  # fmt: skip
    daily["week"] = daily["date"].dt.to_period("W-SUN")
    weekly = daily.sort_values("date").groupby(["repo", "week"], as_index=False).last()
    weekly["origin"] = weekly["origin"] + " (weekly: last listed day of the week)"
    return weekly[["repo", "date", "stars", "forks", "origin"]]


# --- hugovk/top-pypi-packages: monthly top-N downloads --------------------------------------------------------


def snapshot_windows(seed_observations: Path) -> dict[str, tuple[str, int, str]]:
    """Date, window and basis of each top-PyPI snapshot commit, as build.py's snapshot established them (the
    generator's flags at each commit): commit prefix -> (last day of the window, its length, origin)."""
    frame = pd.read_parquet(seed_observations)
    frame = frame[frame["source"] == "pypi"]
    windows = {}
    for row in frame.itertuples():
        commit = re.search(r"@(\w+)", row.origin).group(1)
        windows[commit] = (str(row.date), int(row.window_days), row.origin)
    return windows


def top_pypi(root: Path, windows: dict[str, tuple[str, int, str]], skip_packages: set[str]) -> pd.DataFrame:
    """Every package of every top-PyPI snapshot whose window is known, as downloads over that window."""
    repo_dir = mirror(root, TOP_PYPI)
    commits = git(repo_dir, "log", "--format=%H", "--", TOP_PYPI_FILE).split()
    known = {c: windows[c[:10]] for c in commits if c[:10] in windows}
    blobs = read_blobs(repo_dir, [f"{c}:{TOP_PYPI_FILE}" for c in known])
    frames = []
    for commit, (day, window_days, origin) in known.items():
        payload = json.loads(blobs[f"{commit}:{TOP_PYPI_FILE}"])
        rows = payload["rows"] if isinstance(payload, dict) else payload
        frame = pd.DataFrame(rows)[["project", "download_count"]]
        frame["date"], frame["window_days"], frame["origin"] = day, window_days, origin
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True).rename(columns={"project": "package", "download_count": "value"})
    rows["package"] = rows["package"].map(pep503)
    rows = rows[~rows["package"].isin(skip_packages)]
    return rows.groupby(["package", "date", "window_days"], as_index=False).agg(value=("value", "max"),
                                                                                origin=("origin", "first"))  # fmt: skip


# --- the best-of lists: weekly project metrics and the identities that link them ----------------------------


def best_of(root: Path) -> pd.DataFrame:
    """Every row of every history/*_projects.csv of the best-of lists, every branch, with its origin."""
    frames = []
    for list_repo in BEST_OF:
        repo_dir = mirror(root, list_repo)
        commits = newest_commit_per_path(repo_dir, "history/")
        paths = sorted(p for p in commits if p.endswith("_projects.csv"))
        blobs = read_blobs(repo_dir, [f"{commits[p]}:{p}" for p in paths])
        for path in paths:
            blob = blobs.get(f"{commits[path]}:{path}")
            if not blob:
                continue
            frame = pd.read_csv(io.BytesIO(blob), dtype=str, keep_default_na=False)
            if "github_id" not in frame:
                continue
            frame["date"] = re.search(r"(\d{4}-\d{2}-\d{2})", path).group(1)
            frame["list"] = list_repo
            frame["origin"] = f"{list_repo} {path}@{commits[path][:10]}"
            frames.append(frame)
    rows = pd.concat(frames, ignore_index=True).fillna("")
    rows = rows[rows.get("resource", pd.Series("", index=rows.index)).str.lower() != "true"]  # list headers
    return rows


@dataclass
class Entry:
    """One catalogue project while it is being assembled."""

    repo: str = ""
    packages: set[str] = field(default_factory=set)
    conda: set[str] = field(default_factory=set)
    names: Counter = field(default_factory=Counter)
    former: set[str] = field(default_factory=set)
    created: str = ""
    lists: set[str] = field(default_factory=set)
    basis: str = ""


def identities(rows: pd.DataFrame) -> tuple[dict[str, Entry], list[dict]]:
    """Repository <-> package links the best-of curators made, keyed by today's repository name.

    The rule: a repository and a package are one project when a best-of list names them together (github_id or
    updated_github_id with pypi_id); a renamed repository is filed under its newest name. A package that the lists
    tie to two repositories is listed as ambiguous (data/seed/catalogue/ambiguous.csv) and linked to neither. Name
    matches alone never link anything."""
    rename: dict[str, str] = {}
    for row in rows.sort_values("date").itertuples():
        new = getattr(row, "updated_github_id", "") or ""
        if new and _REPO.match(new) and new.lower() != row.github_id.lower():
            rename[row.github_id.lower()] = new
    entries: dict[str, Entry] = {}
    package_repos: dict[str, set[str]] = defaultdict(set)
    for row in rows.itertuples():
        repo = _current(row.github_id, rename)
        if not _REPO.match(repo):
            continue
        entry = entries.setdefault(repo.lower(), Entry(repo=repo, basis="best-of"))
        entry.names[row.name] += 1
        entry.lists.add(row.list)
        if repo.lower() != row.github_id.lower():
            entry.former.add(row.github_id)
        created = (getattr(row, "created_at", "") or "")[:10]
        if created and (not entry.created or created < entry.created):
            entry.created = created
        package = (getattr(row, "pypi_id", "") or "").strip()
        if package and _PACKAGE.match(package):
            entry.packages.add(pep503(package))
            package_repos[pep503(package)].add(repo.lower())
        conda = (getattr(row, "conda_id", "") or "").strip()
        if conda:
            entry.conda.add(conda.split("/")[-1].lower())
    ambiguous = []
    for package, repos in sorted(package_repos.items()):
        if len(repos) > 1:
            ambiguous.append({"name": package, "kind": "pypi package",
                              "candidates": ";".join(sorted(entries[r].repo for r in repos)),
                              "why": "best-of lists tie this package to more than one repository"})  # fmt: skip
            for repo in repos:
                entries[repo].packages.discard(package)
    return entries, ambiguous


def _current(repo: str, rename: dict[str, str]) -> str:
    seen = set()
    while repo.lower() in rename and repo.lower() not in seen:
        seen.add(repo.lower())
        repo = rename[repo.lower()]
    return repo


# --- assembling -------------------------------------------------------------------------------------------


def curated(projects_toml: Path) -> tuple[set[str], set[str]]:
    """Repositories (lower case, former names included) and packages of the curated projects: left out here."""
    import tomllib

    raw = tomllib.loads(projects_toml.read_text(encoding="utf-8"))["project"]
    repos = {r.lower() for p in raw for r in [p["github"], *p.get("github_former_names", [])]}
    return repos, {pep503(pkg) for p in raw for pkg in p["pypi"]}


def project_id(entry: Entry) -> str:
    """A package's PEP 503 name when it has one (what people type), else the repository in lower case."""
    return sorted(entry.packages)[0] if entry.packages else entry.repo.lower()


def curated_links(path: Path) -> list[dict[str, str]]:
    """Package <-> repository links curated by hand (data/catalogue_links.csv), each with the public record that
    shows the two belong together: for projects no best-of list carries."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["package"].strip() and _REPO.match(row["github"])]


def build(root: Path, projects_toml: Path, links: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    skip_repos, skip_packages = curated(projects_toml)
    rows = best_of(root)
    entries, ambiguous = identities(rows)
    for link in curated_links(links):
        package, repo = pep503(link["package"]), link["github"]
        if any(package in e.packages for e in entries.values()) or repo.lower() in entries:
            continue  # a best-of list links them already
        entries[repo.lower()] = Entry(repo=repo, packages={package}, basis=f"curated link: {link['reference']}")
        entries[repo.lower()].names[package] += 1
        entries[repo.lower()].lists.add("data/catalogue_links.csv")
    listed = dict(entries)  # the curated repositories too: their best-of series (contributors...) are kept
    for key in [k for k in entries if k in skip_repos or entries[k].packages & skip_packages]:
        del entries[key]
    renamed = {former.lower(): e.repo for e in entries.values() for former in e.former}
    stars = evanli(root, skip_repos, renamed)
    downloads = top_pypi(root, snapshot_windows(SEED / "observations.parquet"), skip_packages)

    by_repo = {k: e for k, e in entries.items()}
    for repo in stars["repo"].unique():
        if repo.lower() not in by_repo:
            by_repo[repo.lower()] = Entry(repo=repo, basis="repository only (EvanLi/Github-Ranking)")
            by_repo[repo.lower()].lists.add(EVANLI)
    linked_packages = {p for e in by_repo.values() for p in e.packages}
    catalogue = list(by_repo.values())
    for package in sorted(set(downloads["package"]) - linked_packages):
        entry = Entry(basis="package only (hugovk/top-pypi-packages)")
        entry.packages.add(package)
        entry.lists.add(TOP_PYPI)
        catalogue.append(entry)

    projects = []
    seen_ids: set[str] = set()
    for entry in catalogue:
        pid = project_id(entry)
        if pid in seen_ids:  # two entries would share an id: keep the first, list the other
            ambiguous.append({"name": pid, "kind": "project id", "candidates": entry.repo or pid,
                              "why": "another catalogue project already has this id"})  # fmt: skip
            continue
        seen_ids.add(pid)
        fallback = pid if entry.packages else entry.repo.split("/")[1]
        name = entry.names.most_common(1)[0][0] if entry.names else fallback
        projects.append({
            "project_id": pid, "name": name, "github_repo": entry.repo or None, "pypi": sorted(entry.packages),
            "conda": sorted(entry.conda), "github_former_names": sorted(entry.former),
            "created": pd.to_datetime(entry.created).date() if entry.created else None,
            "lists": sorted(entry.lists), "basis": entry.basis,
        })  # fmt: skip
    projects_frame = pd.DataFrame(projects).sort_values("project_id", ignore_index=True)

    observations = pd.concat([
        _github_rows(stars, rows, entries, skip_repos),
        _pypi_rows(downloads),
        _best_of_rows(rows, listed),
    ], ignore_index=True)  # fmt: skip
    observations = _not_in_seed(observations, SEED / "observations.parquet")
    observations = observations.sort_values(["source", "subject", "metric", "date", "window_days"], ignore_index=True)
    return projects_frame, observations, pd.DataFrame(ambiguous, columns=["name", "kind", "candidates", "why"])


def _not_in_seed(observations: pd.DataFrame, seed_file: Path) -> pd.DataFrame:
    """Leave out the points observations.parquet already ships (repositories and packages of ML projects that are
    not curated, such as scikit-learn): the two files never hold the same point."""
    key = ["source", "subject", "metric", "date"]
    shipped = pd.read_parquet(seed_file, columns=key)
    shipped["date"] = pd.to_datetime(shipped["date"]).dt.date
    marked = observations.merge(shipped.drop_duplicates().assign(shipped=True), on=key, how="left")
    return marked[marked["shipped"].isna()][list(observations.columns)]


def _github_rows(stars: pd.DataFrame, rows: pd.DataFrame, entries: dict[str, Entry], skip: set[str]) -> pd.DataFrame:
    """EvanLi's weekly counts, and best-of's weekly stars in the weeks EvanLi did not list the repository (its
    forks alternate between two levels in 2023-2024, so only stars are taken from it)."""
    evan = pd.concat([
        pd.DataFrame({"subject": stars["repo"], "metric": metric, "date": stars["date"], "value": stars[metric],
                      "origin": stars["origin"]})
        for metric in ("stars", "forks")
    ])  # fmt: skip
    listed = set(zip(stars["repo"].str.lower(), stars["date"].dt.to_period("W-SUN"), strict=True))
    best = _best_of_current(rows, entries)
    best = best[~best["repo"].str.lower().isin(skip)]
    best["date"] = pd.to_datetime(best["date"])
    best = best[[(r.lower(), d.to_period("W-SUN")) not in listed for r, d in zip(best["repo"], best["date"],
                                                                                   strict=True)]]  # fmt: skip
    best["value"] = pd.to_numeric(best["star_count"], errors="coerce")
    best_rows = pd.DataFrame({"subject": best["repo"], "metric": "stars", "date": best["date"], "value": best["value"],
                              "origin": best["origin"]})  # fmt: skip
    frame = pd.concat([evan, best_rows], ignore_index=True).dropna(subset=["value"])
    frame = frame.drop_duplicates(["subject", "metric", "date"])
    frame["source"], frame["window_days"] = "github", pd.NA
    frame["date"] = frame["date"].dt.date
    return frame


def _best_of_current(rows: pd.DataFrame, entries: dict[str, Entry]) -> pd.DataFrame:
    """best-of rows under today's repository name; a project in several lists keeps one row a day."""
    current = {former.lower(): e.repo for e in entries.values() for former in e.former}
    rows = rows.copy()
    rows["repo"] = rows["github_id"].map(lambda r: current.get(r.lower(), r))
    rows = rows[rows["repo"].str.lower().isin(entries)]
    return rows.sort_values(["date", "list"]).drop_duplicates(["repo", "date"])


def _pypi_rows(downloads: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "source": "pypi", "subject": downloads["package"], "metric": "downloads",
        "date": pd.to_datetime(downloads["date"]).dt.date, "window_days": downloads["window_days"].astype("Int64"),
        "value": downloads["value"].astype(float), "origin": downloads["origin"],
    })  # fmt: skip


def _best_of_rows(rows: pd.DataFrame, entries: dict[str, Entry]) -> pd.DataFrame:
    best = _best_of_current(rows, entries)
    frames = []
    for column, metric in BEST_OF_METRICS.items():
        if column not in best:
            continue
        values = pd.to_numeric(best[column], errors="coerce")
        keep = values.notna() & (values > 0)
        frames.append(pd.DataFrame({
            "source": "bestof", "subject": best["repo"][keep], "metric": metric,
            "date": pd.to_datetime(best["date"][keep]).dt.date, "window_days": pd.NA, "value": values[keep],
            "origin": best["origin"][keep],
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    projects, observations, ambiguous = build(Path(argv[0]), SEED.parent / "projects.toml",
                                              SEED.parent / "catalogue_links.csv")
    OUT.mkdir(exist_ok=True)
    projects.to_parquet(OUT / "projects.parquet", index=False, compression="zstd")
    observations = observations[["source", "subject", "metric", "date", "window_days", "value", "origin"]]
    observations["window_days"] = observations["window_days"].astype("Int64")
    observations.to_parquet(OUT / "observations.parquet", index=False, compression="zstd", row_group_size=500_000)
    ambiguous.to_csv(OUT / "ambiguous.csv", index=False, quoting=csv.QUOTE_MINIMAL)
    counts = observations.groupby(["source", "metric"]).size().to_dict()
    print(f"wrote {len(projects):,} projects, {len(observations):,} observations {counts}, "
          f"{len(ambiguous)} ambiguous names to {OUT}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
