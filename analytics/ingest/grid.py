"""The shapes a read file comes back in, and the limits it is read within: plain data, shared
by the app's side (:mod:`analytics.ingest.read`, :mod:`analytics.ingest.sandbox`) and the
reader process (:mod:`analytics.ingest.parse`), which must not import the app's side."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

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
