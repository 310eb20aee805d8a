"""Where the warehouse lives, its one writer and its cached read-only readers.

DuckDB lets one process hold a file read-write or several hold it read-only, and one process
cannot hold both at once. So the writer closes this process's readers before it opens the
file, and readers reopen on their next use.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

DEFAULT_PATH = Path("data/warehouse.duckdb")
ENV_VAR = "LSP_WAREHOUSE"

_readers: dict[Path, duckdb.DuckDBPyConnection] = {}
_lock = threading.RLock()


class WarehouseError(RuntimeError):
    """The warehouse cannot be opened or is not in the state an operation needs."""


def warehouse_path(path: str | os.PathLike | None = None) -> Path:
    """The warehouse file: ``path`` if given, else ``$LSP_WAREHOUSE``, else the default."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


def close_readers(path: str | os.PathLike | None = None) -> None:
    """Close cached readers (all of them, or those of one file)."""
    with _lock:
        targets = list(_readers) if path is None else [warehouse_path(path).resolve()]
        for key in targets:
            con = _readers.pop(key, None)
            if con is not None:
                con.close()


@contextmanager
def writer(
    path: str | os.PathLike | None = None, *, migrate: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one write path: a read-write connection inside one transaction.

    Everything done inside the ``with`` block is committed together, or not at all.
    """
    from analytics.warehouse.migrations import apply_migrations

    file = warehouse_path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        close_readers(file)
        try:
            con = duckdb.connect(str(file))
        except duckdb.IOException as exc:
            raise WarehouseError(
                f"The warehouse {file} is in use by another program (is the app or another "
                f"`lsp` command running?). Close it and try again. ({exc})"
            ) from exc
        try:
            if migrate:
                apply_migrations(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()


def reader(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor on this process's cached read-only connection to the warehouse."""
    file = warehouse_path(path)
    key = file.resolve()
    with _lock:
        con = _readers.get(key)
        if con is None:
            if not file.exists():
                raise WarehouseError(
                    f"There is no warehouse at {file}. Run `lsp init` (empty) or "
                    "`lsp init --demo` (the demo partnership) first."
                )
            con = duckdb.connect(str(file), read_only=True)
            _readers[key] = con
        return con.cursor()


def first_row(result: duckdb.DuckDBPyConnection) -> tuple | None:
    """The first row of a result, reading it to the end (DuckDB wants results finished)."""
    rows = result.fetchall()
    return rows[0] if rows else None


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """A query's result as a pandas DataFrame, through Arrow (much faster than ``.df()`` on
    text columns)."""
    return con.sql(sql, params=params or None).to_arrow_table().to_pandas()
