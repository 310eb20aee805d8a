"""Read a return as received into grids of cell values (no mapping, no database).

The kind of file is decided by its content (magic bytes), never by its extension: a CSV
renamed to ``.xlsx`` is read as a CSV. Workbooks are read with python-calamine (macros in
``.xlsm`` are never run: calamine only reads cell values). Before a zip-based workbook is
opened, the sizes its members claim are checked against :class:`ReadLimits`, so a zip bomb is
refused without being expanded.
"""

from __future__ import annotations

import csv
import io
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from analytics.ingest.errors import (
    CorruptFile,
    EmptyWorkbook,
    FileTooLarge,
    IngestError,
    PasswordProtected,
    UnsupportedFile,
)
from analytics.ingest.xlsx_cells import SheetCellFacts, read_cell_facts
from analytics.messages import cell_ref

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
SAVE_AS = "open it in Excel and use File › Save As › Excel Workbook (.xlsx), then upload that"


@dataclass(frozen=True)
class ReadLimits:
    """Refuse files beyond these sizes (all configurable; defaults suit quarterly returns)."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 100.0
    max_rows: int = 250_000
    max_columns: int = 500


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


def detect_format(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """``'xlsx'``, ``'ods'``, ``'xls'`` or ``'csv'`` from the file's content, or raise why not."""
    name = path.name
    if not path.is_file():
        raise UnsupportedFile("the file was not found", fix="choose the file again", file=name)
    size = path.stat().st_size
    if size == 0:
        raise UnsupportedFile(
            "the file is empty (0 bytes)", fix="save the return again and re-send it", file=name
        )
    if size > limits.max_file_bytes:
        raise FileTooLarge(
            f"the file is {size / 1e6:.0f} MB, over the {limits.max_file_bytes / 1e6:.0f} MB limit",
            fix="send only the return sheet, or split it into smaller files",
            file=name,
        )
    with path.open("rb") as f:
        head = f.read(65536)
    if head.startswith(ZIP_MAGICS):
        return _zip_format(path, limits)
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise PasswordProtected(
                "the workbook is password-protected (encrypted)",
                fix="remove the password (File › Info › Protect Workbook) and re-send it",
                file=name,
            )
        return "xls"
    return _text_format(head, name)


def _zip_format(path: Path, limits: ReadLimits) -> str:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_zip_sizes(members, limits, name)
            names = {m.filename for m in members}
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsx"
            if "mimetype" in names:
                mimetype = archive.open("mimetype").read(200).decode("ascii", "replace")
                if mimetype.strip() == ODS_MIMETYPE:
                    return "ods"
    except zipfile.BadZipFile as exc:
        raise CorruptFile(
            f"the file is damaged: it starts like a workbook but is not complete ({exc})",
            fix=f"re-send the file; if it will not open in Excel either, {SAVE_AS}",
            file=name,
        ) from exc
    kind = "a Word document" if any(n.startswith("word/") for n in names) else "a zip archive"
    raise UnsupportedFile(
        f"this is {kind}, not a spreadsheet",
        fix="send the return as .xlsx, .ods or .csv",
        file=name,
    )


def _check_zip_sizes(members: list[zipfile.ZipInfo], limits: ReadLimits, name: str) -> None:
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_bytes:
        raise FileTooLarge(
            f"the workbook would expand to {total / 1e6:.0f} MB, over the "
            f"{limits.max_uncompressed_bytes / 1e6:.0f} MB limit (possible zip bomb)",
            fix="send only the return sheet, without pictures or other sheets",
            file=name,
        )
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > 1_000_000 and ratio > limits.max_compression_ratio:
            raise FileTooLarge(
                f"part {m.filename!r} expands {ratio:.0f} times, over the "
                f"{limits.max_compression_ratio:.0f}x limit (possible zip bomb)",
                fix=f"we did not open it; {SAVE_AS}",
                file=name,
            )


def _text_format(head: bytes, name: str) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    if b"\x00" in head or control > len(head) // 100:
        raise UnsupportedFile(
            "this is not a spreadsheet (the content is binary, not a workbook or text)",
            fix="send the return as .xlsx, .ods or .csv",
            file=name,
        )
    lowered = head[:2048].lower()
    if b"<html" in lowered or b"<table" in lowered or b"urn:schemas-microsoft-com" in lowered:
        raise UnsupportedFile(
            "this is a web page or XML saved with a spreadsheet name, not a workbook",
            fix=SAVE_AS,
            file=name,
        )
    return "csv"


def read_workbook(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> list[SheetGrid]:
    """Every sheet of the file, visible or not (hidden sheets come with no rows).

    Raises an :class:`~analytics.ingest.errors.IngestError` subclass with what to do.
    """
    path = Path(path)
    file_format = detect_format(path, limits)
    if file_format == "csv":
        grids = [_read_csv(path, limits)]
    else:
        grids = _read_calamine(path, file_format, limits)
    if not any(g.visible and not g.is_empty for g in grids):
        hidden = [g.name for g in grids if not g.visible]
        extra = f" (hidden sheets not read: {', '.join(hidden)})" if hidden else ""
        raise EmptyWorkbook(
            f"the workbook has no visible cells{extra}",
            fix="fill in the return sheet (and unhide it if it is hidden), then re-send it",
            file=path.name,
        )
    return grids


def _read_calamine(path: Path, file_format: str, limits: ReadLimits) -> list[SheetGrid]:
    """Every sheet through calamine. For .xlsx the cell facts calamine does not give (error
    values, percent formats) are read from the sheet XML in a second thread meanwhile:
    calamine parses without holding the GIL, so the two overlap."""
    name = path.name
    with ThreadPoolExecutor(max_workers=1) as pool:
        facts: Future | None = None
        try:
            with _open_calamine(path, file_format) as workbook:
                metas = workbook.sheets_metadata
                shown = [
                    meta.name
                    for meta in metas
                    if meta.visible == python_calamine.SheetVisibleEnum.Visible
                    and meta.typ == python_calamine.SheetTypeEnum.WorkSheet
                ]
                if file_format == "xlsx":
                    facts = pool.submit(_xlsx_cell_facts, path, shown)
                grids = []
                for meta in metas:
                    if meta.name not in shown:
                        grids.append(SheetGrid(name, meta.name, False, [], file_format=file_format))
                        continue
                    sheet = workbook.get_sheet_by_name(meta.name)
                    _check_sheet_size(sheet, limits, name)
                    rows = sheet.to_python(skip_empty_area=False)
                    merged = sheet.merged_cell_ranges or []
                    grids.append(SheetGrid(name, meta.name, True, rows, merged, set(), file_format))
        except IngestError:
            raise
        except python_calamine.PasswordError as exc:
            raise PasswordProtected(
                "the workbook is password-protected",
                fix="remove the password and re-send it",
                file=name,
            ) from exc
        except BaseException as exc:  # calamine raises its own errors and, rarely, Rust panics
            if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError):
                raise
            raise CorruptFile(
                f"the workbook is damaged and cannot be read ({type(exc).__name__}: {exc})",
                fix=f"re-send the file; if it will not open in Excel either, {SAVE_AS}",
                file=name,
            ) from exc
        if facts is not None:
            _add_cell_facts(grids, facts.result())
    return grids


def _open_calamine(path: Path, file_format: str) -> python_calamine.CalamineWorkbook:
    """By path when the extension agrees with the content (fastest), else from the bytes."""
    extensions = {"xlsx": (".xlsx", ".xlsm", ".xlsb"), "xls": (".xls",), "ods": (".ods",)}
    if path.suffix.lower() in extensions[file_format]:
        return python_calamine.CalamineWorkbook.from_path(path)
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))


def _check_sheet_size(sheet: python_calamine.CalamineSheet, limits: ReadLimits, name: str) -> None:
    if sheet.total_height > limits.max_rows:
        raise FileTooLarge(
            f"sheet has {sheet.total_height:,} rows, over the {limits.max_rows:,}-row limit",
            fix="delete unused rows below the return (or split it) and re-send it",
            file=name,
            sheet=sheet.name,
        )
    if sheet.total_width > limits.max_columns:
        raise FileTooLarge(
            f"sheet has {sheet.total_width:,} columns, over the {limits.max_columns:,} limit",
            fix="delete unused columns to the right of the return and re-send it",
            file=name,
            sheet=sheet.name,
        )


def _xlsx_cell_facts(path: Path, sheet_names: list[str]) -> dict[str, SheetCellFacts]:
    with zipfile.ZipFile(path) as archive:
        return read_cell_facts(archive, sheet_names)


def _add_cell_facts(grids: list[SheetGrid], facts: dict[str, SheetCellFacts]) -> None:
    """Put back error values calamine blanks, and note percent-formatted cells."""
    for grid in grids:
        sheet_facts = facts.get(grid.name) if grid.visible else None
        if sheet_facts is None:
            continue
        grid.percent_cells = sheet_facts.percent_cells
        grid.uncalculated = sheet_facts.uncalculated
        for (row, col), error in sheet_facts.error_cells.items():
            if row < len(grid.rows) and col < len(grid.rows[row]):
                grid.rows[row][col] = error


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path, limits: ReadLimits) -> SheetGrid:
    text = _decode(path.read_bytes())
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[object]] = []
    for row in csv.reader(io.StringIO(text), dialect):
        rows.append(list(row))
        if len(rows) > limits.max_rows:
            raise FileTooLarge(
                f"the file has more than {limits.max_rows:,} rows",
                fix="delete unused rows (or split the file) and re-send it",
                file=path.name,
            )
    return SheetGrid(path.name, path.stem, True, rows, file_format="csv")
