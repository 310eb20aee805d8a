"""How big a sheet is, from the file's own structure, before any reader builds it.

python-calamine builds a sheet as one block from its first to its last used cell: a sheet
holding only A1 and XFD1048576 is 17 billion cells (about 550 GB), which aborts the process
before any size check on the built sheet can run. So the used range is measured here first,
from the XML the reader is about to read (already inflated within its limits by
:mod:`analytics.ingest.zipguard`), following the reader's own rules for placing cells:

- **xlsx**: a cell is where its ``r`` says (``<c r="XFD1048576">``); a cell without ``r``
  comes after the previous cell of its row, and a row without ``r`` after the previous row.
  The ``<dimension ref>`` is only a claim (the reader does not build from it). Most files
  write every cell as ``<c r="B7" ...>``: for them a few regular-expression passes over the
  bytes bound the size (C speed); anything else (cells or rows without ``r``, namespace
  prefixes, comments) is walked tag by tag, as the reader does.
- **ods**: ``table:number-rows-repeated`` and ``table:number-columns-repeated`` multiply
  rows and cells; repeated *empty* rows and cells after the last value (which LibreOffice
  writes to the edge of every sheet) are not part of the used range, as in the reader.
- **shared strings**: the count an xlsx declares is what the reader reserves room for, so it
  must fit the part that holds them.

Limits come from :class:`~analytics.ingest.grid.ReadLimits`; a sheet past them is refused
with its size, naming the sheet. A file built to make this measure differ from the reader's
is still contained: the reader runs in a child process with a memory limit
(:mod:`analytics.ingest.sandbox`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analytics.ingest.errors import CorruptFile, FileTooLarge
from analytics.ingest.zipguard import SAVE_AS, CheckedZip
from analytics.messages import column_letter

# Any markup token: comment, CDATA, processing instruction, declaration, or a tag (with its
# attributes; quoted values may hold ">"). The reader skips the first four.
_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>"
    rb"|<(/?)([^\s<>/!?\"']+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_ATTR = re.compile(rb"\s*([^=\s]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")
_SPACE = b" \t\r\n"
DAMAGED_FIX = f"we did not open it; {SAVE_AS}"


@dataclass(frozen=True)
class Span:
    """The block a reader builds for a sheet: ``rows`` x ``cols`` from A1 (0 x 0 if empty)."""

    rows: int
    cols: int

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    @property
    def ref(self) -> str:
        if not self.rows or not self.cols:
            return "empty"
        return f"A1:{column_letter(self.cols - 1)}{self.rows}"


def check_span(span: Span, limits, file: str, sheet: str) -> None:
    """Refuse a sheet past the row, column or cell limits, saying how big it is."""
    size = f"sheet {sheet!r} spans {span.rows:,} rows x {span.cols:,} columns ({span.ref})"
    if span.rows > limits.max_rows:
        raise FileTooLarge(
            f"{size}, over the {limits.max_rows:,}-row limit",
            fix="delete unused rows below the return (or split it) and re-send it",
            file=file,
            sheet=sheet,
        )
    if span.cols > limits.max_columns:
        raise FileTooLarge(
            f"{size}, over the {limits.max_columns:,}-column limit",
            fix="delete unused columns to the right of the return and re-send it",
            file=file,
            sheet=sheet,
        )
    if span.cells > limits.max_cells:
        raise FileTooLarge(
            f"{size}: {span.cells:,} cells, over the {limits.max_cells:,}-cell limit",
            fix="delete unused rows and columns (or split the sheet) and re-send it",
            file=file,
            sheet=sheet,
        )


def _damaged(what: str, file: str, sheet: str | None = None) -> CorruptFile:
    return CorruptFile(f"the workbook is damaged: {what}", fix=DAMAGED_FIX, file=file, sheet=sheet)


# ---------------------------------------------------------------------------------------
# Tags and attributes, read the way the reader (quick-xml, as calamine uses it) reads them


def _local(name: bytes) -> bytes:
    """quick-xml's local name: after the first colon."""
    return name.partition(b":")[2] or name


def attributes(raw: bytes) -> list[tuple[bytes, bytes]]:
    """(key, raw value) pairs of a start tag's attribute text, in order."""
    out = []
    pos = 0
    body = raw.rstrip(_SPACE)
    if body.endswith(b"/"):
        body = body[:-1]
    while pos < len(body):
        m = _ATTR.match(body, pos)
        if m is None:
            if body[pos:].strip(_SPACE):
                raise ValueError("malformed attribute")
            break
        value = m.group(2) if m.group(2) is not None else m.group(3)
        out.append((m.group(1), value))
        pos = m.end()
    return out


def _attr(pairs: list[tuple[bytes, bytes]], key: bytes) -> bytes | None:
    return next((v for k, v in pairs if k == key), None)


_ENTITIES = {b"lt": "<", b"gt": ">", b"amp": "&", b"apos": "'", b"quot": '"'}


def unescape(value: bytes) -> str:
    """An attribute value as text (the five XML entities and character references)."""

    def one(m: re.Match) -> str:
        name = m.group(1)
        if name.startswith(b"#x"):
            return chr(int(name[2:], 16))
        if name.startswith(b"#"):
            return chr(int(name[1:]))
        return _ENTITIES.get(name, m.group(0).decode("utf-8", "replace"))

    try:
        return re.sub(rb"&([^;&]{1,10});", lambda m: one(m).encode("utf-8"), value).decode(
            "utf-8", "replace"
        )
    except (ValueError, OverflowError):
        return value.decode("utf-8", "replace")


def _tags(data: bytes, start: int = 0):
    """(is_end, qualified name, attribute text, self_closing) for every tag from ``start``;
    comments, CDATA and the like are skipped as the reader skips them."""
    for m in _TOKEN.finditer(data, start):
        name = m.group(2)
        if name is None:
            continue
        raw = m.group(3)
        closing = bool(m.group(1))
        yield closing, name, raw, (not closing and raw.rstrip(_SPACE).endswith(b"/"))


# ---------------------------------------------------------------------------------------
# xlsx: which part holds which sheet (the reader's own lookup), and the shared strings


@dataclass(frozen=True)
class SheetPart:
    name: str
    state: str  # 'visible', 'hidden' or 'veryHidden'
    kind: str  # 'worksheet', 'chartsheet', 'dialogsheet'
    part: str | None  # the zip part the reader opens for it (None: missing)

    @property
    def visible(self) -> bool:
        return self.state == "visible"


def _relationships(xml: bytes) -> list[list[tuple[bytes, bytes]]]:
    return [
        attributes(raw)
        for closing, name, raw, _ in _tags(xml)
        if not closing and _local(name) == b"Relationship"
    ]


def xlsx_layout(book: CheckedZip, file: str) -> tuple[str, list[SheetPart]]:
    """(folder of the workbook part, every sheet in workbook order with its part), found as
    python-calamine finds them: ``_rels/.rels`` names the workbook, its relationships the
    sheets' parts, looked up case-insensitively."""
    try:
        package = book.part("_rels/.rels")
        if package is None:
            raise _damaged("it has no _rels/.rels part", file)
        target = None
        for attrs in _relationships(package):
            kind = _attr(attrs, b"Type") or b""
            if kind.endswith(b"/relationships/officeDocument") and _attr(attrs, b"Target"):
                target = unescape(_attr(attrs, b"Target"))
        if target is None:
            raise _damaged("it does not say which part is the workbook", file)
        folder = target[: target.rfind("/") + 1].removeprefix("/") if "/" in target else ""
        rels_xml = book.part(f"{folder}_rels/workbook.xml.rels")
        if rels_xml is None:
            raise _damaged("the workbook's relationships part is missing", file)
        rels: dict[bytes, tuple[str, str]] = {}
        for attrs in _relationships(rels_xml):
            rel_id = _attr(attrs, b"Id")
            if rel_id is not None:
                target_raw = _attr(attrs, b"Target") or b""
                kind_raw = _attr(attrs, b"Type") or b""
                rels[rel_id] = (
                    target_raw.decode("utf-8", "replace"),
                    kind_raw.decode("utf-8", "replace"),
                )
        workbook = book.part(f"{folder}workbook.xml")
        sheets = []
        for closing, name, raw, _ in _tags(workbook or b""):
            if closing or _local(name) != b"sheet":
                continue
            attrs = attributes(raw)
            rel_id = b""
            for key, value in attrs:
                if _local(key) == b"id":
                    rel_id = value
            if rel_id not in rels:
                raise _damaged("a sheet's relationship is missing", file)
            target, kind = rels[rel_id]
            path = target[1:] if target.startswith("/") else f"{folder}{target}"
            state = (_attr(attrs, b"state") or b"visible").decode("ascii", "replace")
            sheets.append(
                SheetPart(
                    unescape(_attr(attrs, b"name") or b""),
                    state,
                    kind.rsplit("/", 1)[-1],
                    book.find(path),
                )
            )
        return folder, sheets
    except ValueError as exc:  # malformed attributes
        raise _damaged(f"its workbook parts are not well-formed XML ({exc})", file) from exc


def check_shared_strings(book: CheckedZip, folder: str, file: str) -> None:
    """The reader reserves room for the ``uniqueCount`` the shared strings declare: a count
    the part could not hold (each string takes at least ``<si/>``) is a lie."""
    xml = book.part(f"{folder}sharedStrings.xml")
    if xml is None:
        return
    for closing, name, raw, _ in _tags(xml):
        if closing or _local(name) != b"sst":
            continue
        try:
            count = _attr(attributes(raw), b"uniqueCount")
        except ValueError:
            return  # the reader fails on it the same way, reserving nothing
        if count is not None and count.isdigit() and int(count) > len(xml) // 5:
            raise _damaged(
                f"its shared strings claim {int(count):,} strings in {len(xml):,} bytes", file
            )
        return


# ---------------------------------------------------------------------------------------
# xlsx: a sheet's used range

# Plain markup: every cell starts <c r=" and every attribute is written  name="value"  (or
# name = "value") with spaces, no tabs or line breaks and no single quotes: then every r
# attribute in the sheet (a second one in a tag included) reads  r="  or  r = "  and one
# search finds all those that matter.
_CELL_WITHOUT_R_FIRST = re.compile(rb'<c(?! r=")[ \t\r\n/>]')
_SHEET_DATA = re.compile(rb"<(?:[^\s<>/!?\"':]+:)?sheetData(?=[ \t\r\n/>])")
_PREFIXED_TAG = re.compile(rb"</?[^\s<>/!?\"':]+:")
_R_ATTR = rb' r *= *"([A-Za-z]+)([0-9]+)" *(?: (?!r[ =])[a-z]+ *= *"[^"]*" *)*(/?)>'
_ANY_R = re.compile(_R_ATTR)


def _far_refs(digits: int, spaced: bool) -> re.Pattern:
    """r values worth a look: two letters or more, or as many digits as the row limit.
    ``spaced``: the markup may put spaces around an attribute's = (about a third slower to
    scan for, so only looked for once one is seen)."""
    if spaced:
        return re.compile(rb' r *= *"(?=[A-Za-z]{2}|[A-Za-z]+[0-9]{%d})' % digits)
    # unspaced, the same pass also stops at the first r written with a space around its =
    return re.compile(rb' r(?:="(?=[A-Za-z]{2}|[A-Za-z]+[0-9]{%d})| +=|= +)' % digits)


def _letters_value(letters: bytes) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


def _follows(xml: bytes, first: int, second: bytes, start: int, end: int) -> bool:
    """Is the byte ``second`` ever right after the byte ``first`` (e.g. ``<!``)? A memchr
    scan when ``second`` is rare."""
    i = xml.find(second, start, end)
    while i >= 0:
        if xml[i - 1] == first:
            return True
        i = xml.find(second, i + 1, end)
    return False


def _plain_markup(xml: bytes, start: re.Match, end: int) -> bool:
    """One sheetData start and end, both plain, and between them nothing that could hide or
    fake a cell or an r attribute (each test a memchr or a literal search)."""
    begin = start.end()
    return (
        start.group(0) == b"<sheetData"
        and end >= 0
        and xml.count(b"sheetData") == 2
        and not any(xml.find(ch, begin, end) >= 0 for ch in (b"\t", b"\n", b"\r"))
        and not _follows(xml, ord("<"), b"!", begin, end)
        and not _follows(xml, ord("<"), b"?", begin, end)
        and not _follows(xml, ord("="), b"'", begin, end)
        and not _follows(xml, ord(" "), b"'", begin, end)
        and (xml.find(b":", begin, end) < 0 or not _PREFIXED_TAG.search(xml, begin, end))
        and not _CELL_WITHOUT_R_FIRST.search(xml, begin, end)
    )


def sheet_span(xml: bytes, limits, file: str, sheet: str) -> Span:
    """The block the reader would build for this sheet's XML: an upper bound when it is
    within the limits, else the exact size (for the refusal)."""
    start = _SHEET_DATA.search(xml)
    if start is None:
        return Span(0, 0)
    end = xml.find(b"</sheetData>", start.end())
    if not _plain_markup(xml, start, end):
        return _walk(xml, file, sheet)
    begin = start.end()
    digits = len(str(limits.max_rows))
    rows = 10 ** (digits - 1) - 1  # no r with as many digits as the limit: below it
    cols = 26  # no r with two letters: at most Z
    found = _far_span(xml, begin, end, _far_refs(digits, False), (rows, cols), spaced=False)
    if found is None:  # an r with a space around its =: the slower scan, from the start
        found = _far_span(xml, begin, end, _far_refs(digits, True), (rows, cols), spaced=True)
    if found == "walk":
        return _walk(xml, file, sheet)
    rows, cols = found
    if rows > limits.max_rows or cols > limits.max_columns or rows * cols > limits.max_cells:
        return _plain_exact(xml, begin, end)
    return Span(rows, cols)


def _far_span(xml: bytes, begin: int, end: int, pattern: re.Pattern, span, *, spaced: bool):
    """``(rows, cols)``: ``span`` grown by the far r values ``pattern`` finds; ``"walk"`` when
    one is not a plain cell reference; None (unspaced only) when an r is written with a
    space around its =, so the spaced scan must look again."""
    rows, cols = span
    for m in pattern.finditer(xml, begin, end):
        if not spaced and not m.group(0).endswith(b'"'):
            return None
        ref = _ANY_R.match(xml, m.start(), end)
        if ref is None:
            return "walk"
        letters, row, closed = ref.groups()
        if not closed:
            rows = max(rows, int(row))
            cols = max(cols, _letters_value(letters))
    return rows, cols


def _plain_exact(xml: bytes, start: int, end: int) -> Span:
    """Exact, for plain markup: the furthest of every cell's r (a second r included)."""
    rows = cols = 0
    for letters, digits, closed in _ANY_R.findall(xml, start, end):
        if not closed:
            rows = max(rows, int(digits))
            cols = max(cols, _letters_value(letters))
    return Span(rows, cols) if rows and cols else Span(0, 0)


def _cell_position(value: bytes, file: str, sheet: str, *, need_column: bool):
    """(0-based row, 0-based column or None) of an ``r`` value, as the reader parses it."""
    m = _REF.fullmatch(value)
    if m is None or not m.group(2) or (need_column and not m.group(1)):
        raise _damaged(f"a cell or row has the reference {value[:20]!r}", file, sheet)
    row = int(m.group(2)) - 1
    if row < 0:
        raise _damaged(f"a cell or row has the reference {value[:20]!r}", file, sheet)
    return row, (_letters_value(m.group(1)) - 1 if m.group(1) else None)


def _walk(xml: bytes, file: str, sheet: str) -> Span:
    """Every tag in order, placing cells as the reader does (exact for what it reads)."""
    tags = _tags(xml)
    for closing, name, _raw, self_closing in tags:
        if not closing and _local(name) == b"sheetData":
            if self_closing:
                return Span(0, 0)
            break
    else:
        return Span(0, 0)
    row_index = col_index = 0
    max_row = max_col = -1
    try:
        for closing, name, raw, self_closing in tags:
            local = _local(name)
            if local == b"sheetData" and closing:
                break
            if local == b"row":
                if not closing:
                    r = _attr(attributes(raw), b"r")
                    if r is not None:
                        row_index = _cell_position(r, file, sheet, need_column=False)[0]
                if closing or self_closing:
                    row_index += 1
                    col_index = 0
                continue
            if local != b"c" or closing:
                continue
            refs = [v for k, v in attributes(raw) if k == b"r"]
            if len(refs) > 1:
                raise _damaged("a cell has two references", file, sheet)
            if refs:
                row, col = _cell_position(refs[0], file, sheet, need_column=True)
                col_index = col
            else:
                row, col = row_index, col_index
            if not self_closing:
                _skip_cell(tags, file, sheet)
                max_row, max_col = max(max_row, row), max(max_col, col)
            col_index += 1
    except ValueError as exc:
        raise _damaged(f"the sheet's XML is not well-formed ({exc})", file, sheet) from exc
    return Span(max_row + 1, max_col + 1) if max_row >= 0 else Span(0, 0)


def _skip_cell(tags, file: str, sheet: str) -> None:
    """Past the end of a cell: its value, formula or inline string, each to its own end."""
    for closing, name, _raw, self_closing in tags:
        local = _local(name)
        if closing:
            if local == b"c":
                return
            continue
        if local not in (b"v", b"f", b"is"):
            raise _damaged(f"a cell holds an unexpected <{name.decode(errors='replace')}>",
                           file, sheet)  # fmt: skip
        if self_closing:
            continue
        depth = 1
        for inner_closing, inner, _r, inner_self in tags:
            if inner == name and not inner_self:
                depth += -1 if inner_closing else 1
                if depth == 0:
                    break


# ---------------------------------------------------------------------------------------
# ods: every table's used range (the reader builds every table when it opens the file)

_ODS_VALUE_ATTRS = {
    b"office:value", b"office:string-value", b"office:date-value", b"office:time-value",
    b"office:boolean-value", b"office:value-type", b"table:formula",
}  # fmt: skip
_ODS_CELLS = (b"table:table-cell", b"table:covered-table-cell")
_TEXT_SPACES = re.compile(rb"<text:s\b[^>]*?text:c\s*=\s*[\"']\s*\+?([0-9]+)")


def _repeat(attrs, key: bytes, file: str, sheet: str) -> int:
    value = _attr(attrs, key)
    if value is None:
        return 1
    text = value.strip(_SPACE).removeprefix(b"+")
    if not text.isdigit():
        raise _damaged(f"a repeat count reads {value[:20]!r}", file, sheet)
    return int(text)


def ods_spans(content: bytes, limits, file: str) -> list[tuple[str, Span]]:
    """(table name, used range) of every table in content.xml, as the reader builds them:
    repeated rows and cells count as many times as repeated, up to the last row and cell
    holding something."""
    spaces = sum(int(n) for n in _TEXT_SPACES.findall(content))
    if spaces > limits.max_uncompressed_bytes:
        raise _damaged(f"its cells ask for {spaces:,} repeated spaces", file)
    out = []
    tags = _tags(content)
    try:
        for closing, name, raw, self_closing in tags:
            if closing or name != b"table:table":
                continue
            attrs = attributes(raw)
            sheet = unescape(_attr(attrs, b"table:name") or b"")
            span = Span(0, 0) if self_closing else _ods_table(tags, file, sheet)
            if _attr(attrs, b"table:name") is not None:
                out.append((sheet, span))
    except ValueError as exc:
        raise _damaged(f"its content is not well-formed XML ({exc})", file) from exc
    return out


def _ods_table(tags, file: str, sheet: str) -> Span:
    row_start = 0
    rows = cols = 0
    for closing, name, raw, self_closing in tags:
        if closing:
            if name == b"table:table":
                break
            continue
        if name != b"table:table-row":
            continue
        repeats = _repeat(attributes(raw), b"table:number-rows-repeated", file, sheet)
        width = 0 if self_closing else _ods_row(tags, file, sheet)
        if width:
            rows = row_start + repeats
            cols = max(cols, width)
        row_start += repeats
    else:  # the reader would look for the end of the table for ever
        raise _damaged("a sheet never ends (its </table:table> is missing)", file, sheet)
    return Span(rows, cols) if rows and cols else Span(0, 0)


def _ods_row(tags, file: str, sheet: str) -> int:
    """Columns up to the last cell holding something (0: an empty row)."""
    position = used = 0
    for closing, name, raw, self_closing in tags:
        if closing:
            if name == b"table:table-row":
                break
            continue
        if name not in _ODS_CELLS:
            continue
        attrs = attributes(raw)
        repeats = _repeat(attrs, b"table:number-columns-repeated", file, sheet)
        filled = any(k in _ODS_VALUE_ATTRS for k, _ in attrs)
        if not self_closing:
            filled = _ods_cell_content(tags, name) or filled
        position += repeats
        if filled:
            used = position
    return used


def _ods_cell_content(tags, name: bytes) -> bool:
    """Skip to the end of the cell; True if it holds any element (a paragraph, ...)."""
    depth = 1
    holds = False
    for closing, inner, _raw, inner_self in tags:
        if inner == name and not inner_self:
            depth += -1 if closing else 1
            if depth == 0:
                break
        elif not closing:
            holds = True
    return holds
