"""Read a return as received into grids of cell values (no mapping, no database).

An uploaded or imported file is untrusted: it is never parsed in the app's process. Every
read goes to a reader process (:mod:`analytics.ingest.sandbox`) with a memory and a time
limit, which checks the file's structure before building anything
(:mod:`analytics.ingest.parse`) and sends back plain values. A file that crashes the reader,
or makes it run out of memory or time, is refused (:class:`~analytics.ingest.errors.UnsafeToRead`)
and costs nobody else anything. Every limit is in :class:`ReadLimits`.
"""

from __future__ import annotations

from pathlib import Path

from analytics.ingest import sandbox
from analytics.ingest.errors import EmptyWorkbook
from analytics.ingest.grid import DEFAULT_LIMITS, ReadLimits, SheetGrid, WorkbookRead

__all__ = [
    "DEFAULT_LIMITS",
    "ReadLimits",
    "SheetGrid",
    "WorkbookRead",
    "read_return",
    "read_sheets",
    "read_workbook",
]


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
