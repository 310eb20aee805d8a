"""A real PostgreSQL server for the tests: Debian's binaries, a throw-away cluster in a
temporary folder, reached only through a unix socket in that folder (no TCP port), stopped
and deleted afterwards. PostgreSQL refuses to run as root, so under root (CI) the cluster
belongs to the ``postgres`` system user the Debian package creates and its commands run
through ``runuser``.

``scripts/ensure-system.sh`` installs the ``postgresql`` package (``make test`` runs it).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "lsp_test"


def binaries() -> Path:
    """The newest installed PostgreSQL's bin folder (``/usr/lib/postgresql/<major>/bin``)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        raise RuntimeError(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the accounts "
            "store's tests run against a real server. Install Debian's package: "
            "`bash scripts/ensure-system.sh` (or apt-get install postgresql)."
        )
    return Path(found[-1]).parent


class Server:
    """A running throw-away cluster; :meth:`new_database` gives each test its own database."""

    def __init__(self) -> None:
        self.bin = binaries()
        self.as_root = os.geteuid() == 0
        # Not under pytest's own temporary folder: that is private to root, and the server
        # runs as another user under CI.
        self.folder = Path(tempfile.mkdtemp(prefix="lsp-pg-"))
        self.data = self.folder / "data"
        self._names = itertools.count(1)
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            [
                self.bin / "initdb",
                "-D",
                self.data,
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]  # fmt: skip
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.folder}' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            [
                self.bin / "pg_ctl",
                "-D",
                self.data,
                "-l",
                self.folder / "server.log",
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ]  # fmt: skip
        )

    def _run(self, argv: list) -> None:
        argv = [str(a) for a in argv]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.folder / "server.log"
            raise RuntimeError(
                f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                + (log.read_text() if log.exists() else "")
            )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.folder}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        name = f"lsp_test_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run([self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
