"""Read one untrusted file into plain values. This runs in a reader process, never in the app
(:mod:`analytics.ingest.sandbox` starts those processes and is the only caller).

The kind of file is decided by its content (magic bytes), never by its name: a CSV renamed
to ``.xlsx`` is read as a CSV. Workbooks are read with python-calamine (macros in ``.xlsm``
are never run: it only reads cell values), and only after their structure has been checked:

1. a zip's parts are inflated through a bounded stream (:mod:`analytics.ingest.zipguard`);
2. each sheet the reader will build is measured from the file's own XML or records
   (:mod:`analytics.ingest.prescan`, :mod:`analytics.ingest.xls_scan`) and refused with its
   size if it is past :class:`~analytics.ingest.grid.ReadLimits`;
3. then calamine builds the sheets asked for; for .xlsx the cell facts it does not give
   (error values, percent formats) are read from the same XML in a second thread meanwhile
   (calamine parses without holding the GIL).

What comes back is plain data (lists, tuples, sets, str, numbers, datetimes): see
:func:`read_request`.
"""

from __future__ import annotations

import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import python_calamine

from analytics.ingest.errors import (
    CorruptFile,
    FileTooLarge,
    IngestError,
    PasswordProtected,
    UnsupportedFile,
)
from analytics.ingest.grid import ReadLimits
from analytics.ingest.prescan import (
    check_shared_strings,
    check_span,
    ods_spans,
    sheet_span,
    xlsx_layout,
)
from analytics.ingest.xls_scan import xls_spans
from analytics.ingest.xlsx_cells import read_cell_facts
from analytics.ingest.zipguard import SAVE_AS, CheckedZip, open_checked_zip

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
CSV_CELL_LIMIT = 131_072  # Python's csv default: a longer cell is refused, not read
DAMAGED_FIX = f"re-send the file; if it will not open in Excel either, {SAVE_AS}"


def read_request(request: dict) -> tuple[str, list[tuple]]:
    """``(file format, sheets)`` for a request from the app:

    ``path`` (the stored file), ``file`` (the name to give in messages), ``limits`` (a
    :class:`ReadLimits` as a dict), ``visible`` (read every visible worksheet), ``named``
    (also read these sheets, hidden or not), ``workbooks_only`` (refuse CSV).

    Each sheet is ``(name, shown, rows, merged, percent_cells, uncalculated)``: ``shown`` a
    visible worksheet; ``rows`` the cells as lists (None for sheets not asked for). A CSV is
    one sheet named None (the app names it). Raises :class:`IngestError`."""
    file = request["file"]
    try:
        return _read(Path(request["path"]), file, ReadLimits(**request["limits"]), request)
    except (IngestError, MemoryError):
        raise
    except Exception as exc:  # a file no check foresaw: its damage, said plainly
        raise CorruptFile(
            f"the workbook is damaged and cannot be read ({type(exc).__name__}: {exc})",
            fix=DAMAGED_FIX,
            file=file,
        ) from exc


def _read(path: Path, file: str, limits: ReadLimits, request: dict) -> tuple[str, list[tuple]]:
    file_format, checked = detect_format(path, limits, file)
    if file_format == "csv":
        if request["workbooks_only"]:
            raise UnsupportedFile(
                "this is text (such as CSV), not a workbook", fix=SAVE_AS, file=file
            )
        return "csv", [(None, True, _read_csv(path, limits, file), [], set(), set())]
    wanted = (bool(request["visible"]), frozenset(request["named"]))
    return file_format, _read_workbook(path, file_format, checked, limits, file, wanted)


def detect_format(
    path: Path, limits: ReadLimits, file: str
) -> tuple[str, CheckedZip | bytes | None]:
    """``('xlsx' | 'ods' | 'xls' | 'csv', what was read to decide)`` from the file's
    content (a zip comes back checked and inflated), or raise why not."""
    if not path.is_file():
        raise UnsupportedFile("the file was not found", fix="choose the file again", file=file)
    size = path.stat().st_size
    if size == 0:
        raise UnsupportedFile(
            "the file is empty (0 bytes)", fix="save the return again and re-send it", file=file
        )
    if size > limits.max_file_bytes:
        raise FileTooLarge(
            f"the file is {size / 1e6:.0f} MB, over the {limits.max_file_bytes / 1e6:.0f} MB limit",
            fix="send only the return sheet, or split it into smaller files",
            file=file,
        )
    with path.open("rb") as f:
        head = f.read(65536)
    if head.startswith(ZIP_MAGICS):
        checked = open_checked_zip(path, limits, file)
        return _zip_format(checked, file), checked
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise PasswordProtected(
                "the workbook is password-protected (encrypted)",
                fix="remove the password (File › Info › Protect Workbook) and re-send it",
                file=file,
            )
        return "xls", data
    return _text_format(head, file), None


def _zip_format(checked: CheckedZip, file: str) -> str:
    names = set(checked.names)
    if "xl/workbook.bin" in names:
        raise UnsupportedFile(
            "this is an Excel binary workbook (.xlsb), which we do not read", fix=SAVE_AS, file=file
        )
    if "xl/workbook.xml" in names:
        return "xlsx"
    mimetype = checked.parts.get("mimetype")
    if mimetype is not None and mimetype[:200].decode("ascii", "replace").strip() == ODS_MIMETYPE:
        return "ods"
    kind = "a Word document" if any(n.startswith("word/") for n in names) else "a zip archive"
    raise UnsupportedFile(
        f"this is {kind}, not a spreadsheet",
        fix="send the return as .xlsx, .ods or .csv",
        file=file,
    )


def _text_format(head: bytes, file: str) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    if b"\x00" in head or control > len(head) // 100:
        raise UnsupportedFile(
            "this is not a spreadsheet (the content is binary, not a workbook or text)",
            fix="send the return as .xlsx, .ods or .csv",
            file=file,
        )
    lowered = head[:2048].lower()
    if b"<html" in lowered or b"<table" in lowered or b"urn:schemas-microsoft-com" in lowered:
        raise UnsupportedFile(
            "this is a web page or XML saved with a spreadsheet name, not a workbook",
            fix=SAVE_AS,
            file=file,
        )
    return "csv"


def _read_workbook(path, file_format, checked, limits, file, wanted) -> list[tuple]:
    """Measure, then build with calamine; every calamine failure is the file's damage."""
    try:
        if file_format == "xlsx":
            return _read_xlsx(path, checked, limits, file, wanted)
        _measure(file_format, checked, limits, file)
        with _open_calamine(path, file_format, checked) as workbook:
            return _build(workbook, file_format, limits, file, wanted, parts={})
    except IngestError:
        raise
    except python_calamine.PasswordError as exc:
        raise PasswordProtected(
            "the workbook is password-protected", fix="remove the password and re-send it",
            file=file,
        ) from exc  # fmt: skip
    except BaseException as exc:  # calamine raises its own errors and, rarely, Rust panics
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError):
            raise
        raise CorruptFile(
            f"the workbook is damaged and cannot be read ({type(exc).__name__}: {exc})",
            fix=DAMAGED_FIX,
            file=file,
        ) from exc


def _measure(file_format: str, checked, limits: ReadLimits, file: str) -> None:
    """.ods and .xls: the reader builds every sheet on opening, so every sheet is measured."""
    if file_format == "ods":
        content = checked.part("content.xml") if checked is not None else None
        for sheet, span in ods_spans(content or b"", limits, file):
            check_span(span, limits, file, sheet)
    elif file_format == "xls":
        for sheet, span, reserved in xls_spans(checked, file):
            check_span(span, limits, file, sheet)
            if reserved is not None:
                check_span(reserved, limits, file, sheet)


def _read_xlsx(path, checked: CheckedZip, limits, file, wanted) -> list[tuple]:
    folder, layout = xlsx_layout(checked, file)
    check_shared_strings(checked, folder, file)
    parts = {sheet.name: sheet.part for sheet in layout}
    with _open_calamine(path, "xlsx", checked) as workbook:
        if list(workbook.sheet_names) != [sheet.name for sheet in layout]:
            raise CorruptFile(
                "the workbook is damaged: its list of sheets does not match its parts",
                fix=DAMAGED_FIX,
                file=file,
            )
        return _build(workbook, "xlsx", limits, file, wanted, parts=parts, checked=checked,
                      folder=folder)  # fmt: skip


def _build(workbook, file_format, limits, file, wanted, *, parts, checked=None, folder=""):
    read_visible, named = wanted
    metas = workbook.sheets_metadata
    shown = {
        meta.name
        for meta in metas
        if meta.visible == python_calamine.SheetVisibleEnum.Visible
        and meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    }
    to_read = [m.name for m in metas if (read_visible and m.name in shown) or m.name in named]
    xml = {}
    if file_format == "xlsx":
        for name in dict.fromkeys(to_read):
            data = checked.parts.get(parts.get(name)) if parts.get(name) else None
            if data is None:  # nothing measured, nothing built
                raise CorruptFile(
                    f"the workbook is damaged: sheet {name!r} has no part of its own",
                    fix=DAMAGED_FIX,
                    file=file,
                    sheet=name,
                )
            check_span(sheet_span(data, limits, file, name), limits, file, name)
            xml[name] = data
    with ThreadPoolExecutor(max_workers=1) as pool:
        facts = None
        if file_format == "xlsx" and read_visible:
            visible_xml = {name: data for name, data in xml.items() if name in shown}
            facts = pool.submit(read_cell_facts, visible_xml, checked.part(f"{folder}styles.xml"))
        out = []
        for meta in metas:
            is_shown = meta.name in shown
            if meta.name not in to_read:
                out.append((meta.name, is_shown, None, [], set(), set()))
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            _check_built(sheet, limits, file)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [tuple(map(tuple, pair)) for pair in sheet.merged_cell_ranges or []]
            out.append((meta.name, is_shown, rows, merged, set(), set()))
        if facts is not None:
            try:
                found = facts.result()
            except ValueError as exc:  # a cell reference the facts reader cannot place
                raise CorruptFile(
                    f"the workbook is damaged: {exc}", fix=DAMAGED_FIX, file=file
                ) from exc
            out = [_with_facts(sheet, found.get(sheet[0])) for sheet in out]
    return out


def _with_facts(sheet: tuple, facts) -> tuple:
    """Put back error values calamine blanks, and note percent-formatted cells."""
    name, shown, rows, merged, _, _ = sheet
    if facts is None or rows is None or not shown:
        return sheet
    for (row, col), error in facts.error_cells.items():
        if row < len(rows) and col < len(rows[row]):
            rows[row][col] = error
    return (name, shown, rows, merged, facts.percent_cells, facts.uncalculated)


def _open_calamine(path: Path, file_format: str, checked) -> python_calamine.CalamineWorkbook:
    """A zip-based workbook from the parts measured (stored, so calamine inflates nothing);
    an .xls from the bytes measured. Handed over as an in-memory file (calamine reads a path
    far faster than a Python file object)."""
    if isinstance(checked, CheckedZip):
        pieces = checked.stored_copy()
    else:
        pieces = [checked if isinstance(checked, bytes) else path.read_bytes()]
    if not hasattr(os, "memfd_create"):
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"".join(pieces)))
    fd = os.memfd_create("lsp-reader", os.MFD_CLOEXEC)
    try:
        for piece in pieces:
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view) :]
        return python_calamine.CalamineWorkbook.from_path(f"/proc/self/fd/{fd}")
    finally:
        os.close(fd)


def _check_built(sheet: python_calamine.CalamineSheet, limits: ReadLimits, file: str) -> None:
    """The built sheet against the limits too (the measure before is the one that matters)."""
    if sheet.total_height > limits.max_rows:
        raise FileTooLarge(
            f"sheet has {sheet.total_height:,} rows, over the {limits.max_rows:,}-row limit",
            fix="delete unused rows below the return (or split it) and re-send it",
            file=file,
            sheet=sheet.name,
        )
    if sheet.total_width > limits.max_columns:
        raise FileTooLarge(
            f"sheet has {sheet.total_width:,} columns, over the {limits.max_columns:,} limit",
            fix="delete unused columns to the right of the return and re-send it",
            file=file,
            sheet=sheet.name,
        )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path, limits: ReadLimits, file: str) -> list[list[object]]:
    text = _decode(path.read_bytes())
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(CSV_CELL_LIMIT)
    rows: list[list[object]] = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            if len(row) > limits.max_columns:
                raise FileTooLarge(
                    f"line {reader.line_num:,} has {len(row):,} cells, over the "
                    f"{limits.max_columns:,}-column limit",
                    fix="check the file is the return (one row per line), then re-send it",
                    file=file,
                )
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise FileTooLarge(
                    f"the file has more than {limits.max_rows:,} rows",
                    fix="delete unused rows (or split the file) and re-send it",
                    file=file,
                )
    except csv.Error as exc:
        raise FileTooLarge(
            f"line {reader.line_num:,} holds a cell longer than {CSV_CELL_LIMIT:,} characters "
            f"or is not readable text ({exc})",
            fix="check the file is the return saved as CSV, then re-send it",
            file=file,
        ) from exc
    return rows
