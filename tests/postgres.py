"""A throwaway PostgreSQL server for the DuckLake tests: initdb + pg_ctl into a temp directory on a free port.

Debian's `postgresql` package provides the binaries (.ci/run installs it when missing). initdb refuses to run
as root, so as root the server runs as the package's `postgres` user. The server trusts local connections
and skips fsync: it holds test data only.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "ecotrends"


def binaries() -> Path | None:
    """The directory of initdb and pg_ctl: PATH first, else the newest Debian install."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(installed[-1]).parent if installed else None


@dataclass(frozen=True)
class Server:
    port: int
    bindir: Path
    run_as: tuple[str, ...]

    def dsn(self, dbname: str) -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user={USER}"

    def create_database(self, dbname: str) -> str:
        """A new empty database; returns its libpq connection string."""
        subprocess.run(
            [str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, dbname],
            check=True, capture_output=True,
        )  # fmt: skip
        return self.dsn(dbname)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_server() -> Iterator[Server]:
    bindir = binaries()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    home = Path(tempfile.mkdtemp(prefix="ecotrends-pg-"))
    run_as: tuple[str, ...] = ()
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
        run_as = ("runuser", "-u", "postgres", "--")
    data, port = home / "data", _free_port()
    try:
        subprocess.run(
            [*run_as, str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"],
            check=True, capture_output=True,
        )  # fmt: skip
        options = (
            f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(home / "server.log"), "-w", "-o", options,
             "start"],
            check=True, capture_output=True,
        )  # fmt: skip
        yield Server(port, bindir, run_as)
    finally:
        subprocess.run(
            [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True
        )
        shutil.rmtree(home, ignore_errors=True)
