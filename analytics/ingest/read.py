"""Read a return as received into grids of cell values (no mapping, no database).

An uploaded or imported file is untrusted: it is never parsed in the app's process. Every
read goes to a reader process (:mod:`analytics.ingest.sandbox`) with a memory and a time
limit, which checks the file's structure before building anything
(:mod:`analytics.ingest.parse`) and sends back plain values. A file that crashes the reader,
or makes it run out of memory or time, is refused (:class:`~analytics.ingest.errors.UnsafeToRead`)
and costs nobody else anything. Every limit is in :class:`ReadLimits`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from analytics.ingest.errors import EmptyWorkbook
from analytics.messages import cell_ref


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else default
    except ValueError:
        return default


@dataclass(frozen=True)
class ReadLimits:
    """Refuse files beyond these sizes (all configurable; defaults suit quarterly returns).

    The last two bound the reader process: ``reader_memory_mb`` (its address space,
    ``RLIMIT_AS``; environment ``LSP_READER_MEMORY_MB``, default 2048) and ``read_timeout_s``
    (wall clock for one file; ``LSP_READER_TIMEOUT_S``, default 60; ``RLIMIT_CPU`` backs it
    up). The rest are checked from the file's own structure before anything is built.
    """

    max_file_bytes: int = 50 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 100.0
    max_rows: int = 250_000
    max_columns: int = 500
    # rows x columns of a sheet as built (a sparse sheet is built whole, blanks included)
    max_cells: int = 10_000_000
    max_zip_parts: int = 10_000
    reader_memory_mb: int = field(
        default_factory=lambda: int(_env_number("LSP_READER_MEMORY_MB", 2048))
    )
    read_timeout_s: float = field(default_factory=lambda: _env_number("LSP_READER_TIMEOUT_S", 60))


DEFAULT_LIMITS = ReadLimits()


@dataclass
class SheetGrid:
    """One sheet's cells as read: ``rows[r][c]`` is the cell at ``cell_ref(r, c)``.

    Blank cells are ``''``. Numbers come as float/int, dates as ``datetime``; csv cells are
    always text. ``percent_cells`` holds (row, col) of numbers shown with a % format (xlsx only).
    """

    file: str
    name: str
    visible: bool
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    file_format: str = "xlsx"
    # (row, col) of formulas with no saved result (a file written by a program, never
    # calculated): they read as blank (xlsx only)
    uncalculated: set[tuple[int, int]] = field(default_factory=set)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max(map(len, self.rows), default=0)

    def value(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def cell_ref(self, row: int, col: int) -> str:
        return cell_ref(row, col)

    @property
    def is_empty(self) -> bool:
        return not any(_filled(v) for r in self.rows for v in r)  # stops at the first cell


def _filled(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


@dataclass
class WorkbookRead:
    """One file as read: every sheet as a grid (visible worksheets with their rows, when
    asked for), and the rows of the sheets asked for by name (hidden or not) that exist."""

    file: str
    file_format: str
    grids: list[SheetGrid]
    named: dict[str, list[list[object]]] = field(default_factory=dict)


def read_sheets(
    path: str | Path,
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    display_name: str | None = None,
    visible: bool = True,
    named: tuple[str, ...] = (),
    workbooks_only: bool = False,
) -> WorkbookRead:
    """Read ``path`` in a reader process. ``display_name`` is the name the user knows the
    file by (the name it was uploaded with: never a path), used in every message; the grids
    carry it too. ``visible``: read every visible worksheet; ``named``: also these sheets;
    ``workbooks_only``: refuse a CSV. Raises an
    :class:`~analytics.ingest.errors.IngestError` subclass with what to do."""
    from analytics.ingest import sandbox

    path = Path(path)
    name = display_name or path.name
    return sandbox.read(path, name, limits, visible=visible, named=tuple(named),
                        workbooks_only=workbooks_only)  # fmt: skip


def read_workbook(
    path: str | Path,
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    display_name: str | None = None,
    named: tuple[str, ...] = (),
) -> list[SheetGrid]:
    """Every sheet of the file, visible or not (hidden sheets come with no rows); raises
    :class:`~analytics.ingest.errors.EmptyWorkbook` if no visible sheet holds a cell."""
    return read_return(path, limits, display_name=display_name, named=named).grids


def read_return(
    path: str | Path,
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    display_name: str | None = None,
    named: tuple[str, ...] = (),
) -> WorkbookRead:
    """:func:`read_workbook` with the sheets asked for by ``named`` (a template's hidden
    ``_meta``) read in the same pass."""
    read = read_sheets(path, limits, display_name=display_name, named=named)
    if not any(g.visible and not g.is_empty for g in read.grids):
        hidden = [g.name for g in read.grids if not g.visible]
        extra = f" (hidden sheets not read: {', '.join(hidden)})" if hidden else ""
        raise EmptyWorkbook(
            f"the workbook has no visible cells{extra}",
            fix="fill in the return sheet (and unhide it if it is hidden), then re-send it",
            file=read.file,
        )
    return read
