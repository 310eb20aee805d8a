"""Hostile spreadsheets, built as bytes by the tests themselves (nothing stored).

A zip is written by hand here (not with :mod:`zipfile`) so that a part can declare one size
in its headers and inflate to another, as an attacker's file does.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

Content = bytes | tuple[bytes, int]  # the bytes, or (chunk, times) for big repetitive parts


def _chunks(content: Content) -> Iterable[bytes]:
    if isinstance(content, bytes):
        yield content
    else:
        chunk, times = content
        for _ in range(times):
            yield chunk


def zip_bytes(parts: list[tuple[str, Content]], *, declared: dict[str, int] | None = None) -> bytes:
    """A deflated zip of ``parts``; ``declared`` overrides the size a part claims (in both
    its local header and the central directory), whatever it really inflates to."""
    out = io.BytesIO()
    central = []
    for name, content in parts:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        compressed, crc, size = [], 0, 0
        for chunk in _chunks(content):
            compressed.append(packer.compress(chunk))
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
        compressed.append(packer.flush())
        data = b"".join(compressed)
        claimed = (declared or {}).get(name, size)
        raw = name.encode()
        offset = out.tell()
        out.write(
            struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), claimed,
                        len(raw), 0) + raw + data
        )  # fmt: skip
        central.append(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data),
                        claimed, len(raw), 0, 0, 0, 0, 0, offset) + raw
        )  # fmt: skip
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts),
                          len(directory), start, 0))  # fmt: skip
    return out.getvalue()


def sheet_xml(cells: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN_NS}">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


def xlsx(
    sheet: Content,
    *,
    workbook_prolog: str = "",
    shared_strings: bytes | None = None,
    declared: dict[str, int] | None = None,
    name: str = "Return",
) -> bytes:
    """A minimal workbook with one sheet (``name``) whose XML is ``sheet``."""
    parts: list[tuple[str, Content]] = [
        ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
        ("_rels/.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode()),
        ("xl/workbook.xml", (
            f'<?xml version="1.0"?>{workbook_prolog}<workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ).encode()),
        ("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" '
               'Target="sharedStrings.xml"/>' if shared_strings is not None else "")
            + "</Relationships>"
        ).encode()),
        ("xl/worksheets/sheet1.xml", sheet),
    ]  # fmt: skip
    if shared_strings is not None:
        parts.append(("xl/sharedStrings.xml", shared_strings))
    return zip_bytes(parts, declared=declared)


def number(ref: str, value: float = 1) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def far_cell_xlsx(name: str = "Return") -> bytes:
    """The red team's file: a sheet holding only A1 and XFD1048576 (the reader would build
    17 billion cells)."""
    cells = f'<row r="1">{number("A1")}</row><row r="1048576">{number("XFD1048576")}</row>'
    return xlsx(sheet_xml(cells), name=name)


def lying_xlsx(inflated_mb: int = 40, declared: int = 2_000) -> bytes:
    """A sheet that declares ``declared`` bytes and inflates to ``inflated_mb`` MB."""
    head = sheet_xml(number("A1")).split(b"</sheetData>")[0]
    filler = b"<row/>" * (1024 * 1024 // 6)
    sheet = (head + filler, inflated_mb)
    return xlsx(sheet, declared={"xl/worksheets/sheet1.xml": declared})


def honest_bomb_xlsx(megabytes: int) -> bytes:
    """A sheet that truthfully declares ``megabytes`` MB of blank space."""
    return xlsx((b" " * (1024 * 1024), megabytes))


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def external_entity(path: str) -> str:
    return f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{path}">]>'


def ods(table_rows: str, prolog: str = "", table_end: str = "</table:table>") -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Return">'
        f"{table_rows}{table_end}</office:spreadsheet></office:body>"
        "</office:document-content>"
    ).encode()
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return out.getvalue()


def ods_cell(value: object) -> str:
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")  # fmt: skip
    return (f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
            "</table:table-cell>")  # fmt: skip


def libreoffice_ods(rows: list[list[object]]) -> bytes:
    """As LibreOffice writes a sheet: each row padded with a repeated empty cell to column
    AMJ, and repeated empty rows to the last row of the sheet."""
    body = "".join(
        "<table:table-row>"
        + "".join(ods_cell(v) for v in row)
        + f'<table:table-cell table:number-columns-repeated="{1024 - len(row)}"/>'
        "</table:table-row>"
        for row in rows
    )
    body += (
        f'<table:table-row table:number-rows-repeated="{1048576 - len(rows)}">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    return ods(body)


# --------------------------------------------------------------------------- .xls (BIFF8)


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<2H", kind, len(data)) + data


def xls(cells: list[tuple[int, int, float]], dimensions: tuple[int, int, int, int]) -> bytes:
    """A compound file whose Workbook stream holds one sheet, Return, with NUMBER records at
    (row, column) and a DIMENSIONS record (first row, last row + 1, first column, last
    column + 1) saying whatever it is told to."""
    bof_globals = _record(0x0809, struct.pack("<4H2I", 0x0600, 0x0005, 0, 0, 0, 0))
    bof_sheet = _record(0x0809, struct.pack("<4H2I", 0x0600, 0x0010, 0, 0, 0, 0))
    name = b"Return"
    sheet = bof_sheet + _record(0x0200, struct.pack("<2I3H", *dimensions, 0))
    for row, col, value in cells:
        sheet += _record(0x0203, struct.pack("<3Hd", row, col, 15, value))
    sheet += _record(0x000A, b"")
    bound = lambda pos: _record(  # noqa: E731 - the position is only known at the end
        0x0085, struct.pack("<I2B2B", pos, 0, 0, len(name), 0) + name
    )
    globals_part = bof_globals + _record(0x0042, struct.pack("<H", 1200))
    head_length = len(globals_part) + len(bound(0)) + len(_record(0x000A, b""))
    stream = globals_part + bound(head_length) + _record(0x000A, b"") + sheet
    stream += b"\0" * (4096 - len(stream) % 4096 if len(stream) < 4096 else 0)
    return _compound(stream)


def _compound(stream: bytes) -> bytes:
    """A version-3 compound file (512-byte sectors): FAT in sector 0, directory in sector 1,
    the stream from sector 2 (at least 4,096 bytes, so it is not in the mini stream)."""
    sectors = (len(stream) + 511) // 512
    stream = stream.ljust(sectors * 512, b"\0")
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i for i in range(sectors - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108))
    )  # fmt: skip

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        links = struct.pack("<H2B3I", len(raw), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child)
        return (
            raw.ljust(64, b"\0") + links + b"\0" * 36 + struct.pack("<2I", start, size) + b"\0" * 4
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + entry(
        "Workbook", 2, 2, len(stream)
    )
    directory = directory.ljust(512, b"\0")
    return header + struct.pack("<128I", *fat) + directory + stream
