"""The accounts store: accounts, their roles, sign-in sessions, sign-in attempts, the access
log and the audit of account changes, in a transactional database of their own.

Signing in, a failed password, a lock-out, a session's use and signing out are small writes
that must never wait behind (or hold up) the warehouse's writers, nor publish a warehouse
snapshot; so they live here, not in the DuckDB warehouse:

- by default a SQLite file beside the warehouse, ``<warehouse>.accounts.sqlite`` (e.g.
  ``data/warehouse.duckdb.accounts.sqlite``), in WAL mode: nothing to set up;
- or PostgreSQL, when ``$LSP_AUTH_DATABASE_URL`` names one (a libpq URL such as
  ``postgresql://lsp:secret@db.example/lsp_accounts``; psycopg 3). Several app processes or
  machines then share one store.

:func:`open_store` gives the :class:`Store` for a warehouse (one per process, its schema
brought up to date on first use). A store speaks one small interface whatever the back-end:
``with store.read() as tx`` and ``with store.write() as tx``, then ``tx.rows(sql, params)``,
``tx.row(...)`` and ``tx.run(...)``, with the same SQL for both (``?`` parameters, always).
This package knows nothing of the warehouse; moving a warehouse's accounts in is
``analytics.warehouse.accounts``'s job.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from analytics.authstore.backends import PostgresBackend, SQLiteBackend
from analytics.authstore.schema import MIGRATIONS, statements

ENV_VAR = "LSP_AUTH_DATABASE_URL"
SUFFIX = ".accounts.sqlite"
_MAX_IDLE = 8  # connections kept open per store for the next request


class StoreError(RuntimeError):
    """The accounts store cannot be reached or is not set up right; the message says what to
    do."""


class Tx:
    """One connection's work: in a write transaction (``store.write()``) or autocommit
    reads (``store.read()``)."""

    def __init__(self, con, backend) -> None:
        self._con = con
        self._backend = backend

    def _execute(self, sql: str, params):
        return self._con.execute(self._backend.sql(sql), self._backend.params(params or ()))

    def rows(self, sql: str, params=None) -> list[tuple]:
        return [tuple(r) for r in self._execute(sql, params).fetchall()]

    def row(self, sql: str, params=None) -> tuple | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def run(self, sql: str, params=None) -> int:
        """A statement without a result; how many rows it changed."""
        return self._execute(sql, params).rowcount


class Store:
    """One accounts store, with a few pooled connections (each used by one thread at a time)."""

    def __init__(self, backend) -> None:
        self.backend = backend
        self.label = backend.label
        self._idle: list = []
        self._lock = threading.Lock()
        #: Counts this process's writes that may end a session or change an account, so
        #: what was read of a session can be trusted until the next one.
        self.generation = 0
        #: One-off work done on this store in this process (e.g. a warehouse's old accounts
        #: moved in), by name.
        self.done_once: set[str] = set()

    @property
    def kind(self) -> str:
        return self.backend.name

    def _checkout(self):
        with self._lock:
            if self._idle:
                return self._idle.pop()
        try:
            return self.backend.connect()
        except Exception as exc:
            if self.backend.is_connection_error(exc) or isinstance(exc, ImportError):
                raise StoreError(
                    f"The accounts store {self.label} cannot be opened ({exc}). "
                    + (
                        f"Check {ENV_VAR} names a PostgreSQL database that is running and "
                        "that this user may reach, or unset it to use the SQLite file "
                        "beside the warehouse."
                        if self.kind == "postgresql"
                        else "Check that its folder exists and may be written by this user."
                    )
                ) from exc
            raise

    def _checkin(self, con, broken: bool) -> None:
        if not broken:
            with self._lock:
                if len(self._idle) < _MAX_IDLE:
                    self._idle.append(con)
                    return
        with contextlib.suppress(Exception):  # already gone
            con.close()

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """Reads, each statement on its own (they see every committed write)."""
        con = self._checkout()
        broken = False
        try:
            yield Tx(con, self.backend)
        except BaseException as exc:
            broken = self.backend.is_connection_error(exc)
            self._say_plainly(exc)
            raise
        finally:
            self._checkin(con, broken)

    @contextmanager
    def write(self, *, changes_access: bool = True) -> Iterator[Tx]:
        """One write transaction: all of it is committed, or none. Writers take turns.

        ``changes_access`` False for writes that change no one's right to go on (a session's
        last use, a sign-in attempt): what this process has read of sessions stays good."""
        con = self._checkout()
        broken = False
        try:
            self.backend.begin_write(con)
            try:
                yield Tx(con, self.backend)
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
            if changes_access:
                self.generation += 1
        except BaseException as exc:
            broken = self.backend.is_connection_error(exc)
            self._say_plainly(exc)
            raise
        finally:
            self._checkin(con, broken)

    def _say_plainly(self, exc: BaseException) -> None:
        """A lost server, or a store busy past its wait, as a :class:`StoreError` saying what
        to do."""
        if self.backend.is_connection_error(exc):
            raise StoreError(
                f"The accounts store {self.label} stopped answering ({exc}). Try again; if it "
                "goes on, check that the database is running."
            ) from exc
        if self.backend.is_busy(exc):
            raise StoreError(
                f"The accounts store {self.label} was still being written by another process "
                "after the wait. Try again in a moment."
            ) from exc

    def migrate(self) -> list[int]:
        """Bring the schema up to date (each migration in its own transaction, recorded)."""
        applied = []
        with self.write() as tx:
            self.backend.lock_schema(tx._con)
            tx.run(
                "CREATE TABLE IF NOT EXISTS store_migrations (version INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
        for version, name, sql in MIGRATIONS:
            with self.write() as tx:
                self.backend.lock_schema(tx._con)
                if tx.row("SELECT 1 FROM store_migrations WHERE version = ?", [version]):
                    continue
                for statement in statements(sql, self.backend.id_column):
                    tx.run(statement)
                tx.run(
                    "INSERT INTO store_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [version, name, datetime.now().replace(microsecond=0)],
                )
                applied.append(version)
        return applied

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for con in idle:
            self._checkin(con, broken=True)


def store_location(warehouse: str | os.PathLike) -> str:
    """Where the accounts of ``warehouse`` are kept: the PostgreSQL database named by
    ``$LSP_AUTH_DATABASE_URL`` (shown without its password), else the SQLite file beside it."""
    return _backend(Path(warehouse)).label


def _backend(warehouse: Path):
    url = (os.environ.get(ENV_VAR) or "").strip()
    if not url:
        return SQLiteBackend(warehouse.with_name(warehouse.name + SUFFIX))
    if url.startswith(("postgresql://", "postgres://")) or "dbname=" in url or "host=" in url:
        return PostgresBackend(url)
    raise StoreError(
        f"{ENV_VAR} does not name a PostgreSQL database (it should look like "
        "postgresql://USER:PASSWORD@HOST:5432/DBNAME). Set it to one, or unset it to keep "
        f"accounts in the SQLite file beside the warehouse (<warehouse>{SUFFIX})."
    )


_stores: dict[tuple[str, str], Store] = {}
_stores_lock = threading.Lock()


def open_store(warehouse: str | os.PathLike) -> Store:
    """The accounts store for ``warehouse`` (the same object for every call in a process),
    its schema brought up to date the first time."""
    file = Path(warehouse).resolve()
    url = os.environ.get(ENV_VAR) or ""
    key = (str(file), url)
    store = _stores.get(key)
    if store is not None:
        return store
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = Store(_backend(file))
            store.migrate()
            _stores[key] = store
    return store


def forget_stores() -> None:
    """Close every store this process opened (tests; ``lsp init --force``)."""
    with _stores_lock:
        stores = list(_stores.values())
        _stores.clear()
    for store in stores:
        store.close()


def remove_store(warehouse: str | os.PathLike) -> str:
    """Delete the accounts kept for ``warehouse`` (``lsp init --force``): the SQLite file, or
    the store's tables in PostgreSQL. Says what it did."""
    forget_stores()
    return _backend(Path(warehouse)).remove()


def copy_store(warehouse: str | os.PathLike, target_warehouse: str | os.PathLike) -> None:
    """Copy the SQLite store of ``warehouse`` to go with a copy of it at ``target_warehouse``
    (nothing to copy when the store is PostgreSQL, or when there is none yet)."""
    source = _backend(Path(warehouse))
    if isinstance(source, SQLiteBackend) and source.file.exists():
        source.copy_to(_backend(Path(target_warehouse)).file)
