"""How big an .xls workbook's sheets are, from its records, before the reader opens it.

An .xls file is a compound file (a small file system of sectors) holding a ``Workbook``
stream of BIFF records. python-calamine builds *every* sheet when it opens the file, and
trusts two numbers an attacker writes: each sheet's ``DIMENSIONS`` record (it reserves room
for rows x columns cells before reading any) and the row and column of each cell record (the
sheet is built as one block up to the furthest cell: columns go to 65,535 in a record). The
compound file's header also sizes two tables the reader reserves up front.

So this module walks the same sectors and records the reader walks, the same way (the first
directory entry named Workbook, Book, WORKBOOK or BOOK; each sheet from the position its
BoundSheet record gives; a nested substream skipped), and measures what the reader would
reserve and build. Loops in sector chains and sizes the file cannot hold are refused as damage.
"""

from __future__ import annotations

import struct

from analytics.ingest.errors import CorruptFile
from analytics.ingest.prescan import DAMAGED_FIX, Span

_END_OF_CHAIN = 0xFFFFFFFE
_RESERVED = 0xFFFFFFFA
_DIFAT_SECTOR = 0xFFFFFFFC
_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The reader reserves a table of 4-byte entries from two header fields before reading any
# sector: refuse a header that asks for more than this (honest files ask for a few KB).
_MAX_TABLE_ENTRIES = 16 * 1024 * 1024
_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")
# BIFF records that put a cell at (row u16, column u16) in their first four bytes.
_CELL_RECORDS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}
_MUL_RK, _DIMENSIONS, _BOF, _EOF, _CONTINUE, _BOUND_SHEET = (
    0x00BD, 0x0200, 0x0809, 0x000A, 0x003C, 0x0085
)  # fmt: skip


class _Damaged(Exception):
    pass


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from("<H", data, at)[0]


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]


class _Compound:
    """The sectors of a compound file, read as python-calamine's cfb module reads them."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or data[:8] != _SIGNATURE:
            raise _Damaged("it is not a complete compound file")
        shift = _u16(data, 30)
        if shift not in (9, 12):
            raise _Damaged("its sector size is not one Excel writes")
        self.size = 1 << shift
        self.data = data
        self.body = self.size if shift == 12 else 512  # sector 0 starts after the header
        self.max_id = len(data) // self.size
        self.version = _u16(data, 26)
        fat_len, dir_start = _u32(data, 44), _u32(data, 48)
        mini_fat_start, mini_fat_len = _u32(data, 60), _u32(data, 64)
        difat_start = _u32(data, 68)
        # the reader sizes its DIFAT list from bytes 62..66 (a misread it makes on every file)
        for entries in (fat_len, _u32(data, 62)):
            if entries > _MAX_TABLE_ENTRIES:
                raise _Damaged(f"its header asks for a table of {entries:,} entries")
        difat = list(struct.unpack_from("<109I", data, 76))
        sector, seen = difat_start, set()
        while sector < _RESERVED:
            if sector in seen or len(seen) > self.max_id:
                raise _Damaged("its sector tables loop")
            seen.add(sector)
            block = self.sector(sector)
            difat.extend(struct.unpack_from(f"<{len(block) // 4}I", block))
            sector = difat.pop()
        fat: list[int] = []
        for sector in difat:
            if sector < _DIFAT_SECTOR:
                block = self.sector(sector)
                fat.extend(struct.unpack_from(f"<{len(block) // 4}I", block))
        self.fat = fat
        directory = self.chain(dir_start, fat, None, self.sector)
        self.entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
        if not self.entries or (self.version != 3 and _u32(self.entries[0], 116) == _END_OF_CHAIN):
            raise _Damaged("it has no root directory")
        self.mini_fat: list[int] = []
        self.mini_stream = b""
        if mini_fat_len > 0:
            root = self.entries[0]
            self.mini_stream = self.chain(_u32(root, 116), fat, self._length(root), self.sector)
            table = self.chain(mini_fat_start, fat, mini_fat_len * self.size, self.sector)
            self.mini_fat = list(struct.unpack_from(f"<{len(table) // 4}I", table))

    def sector(self, sector: int) -> bytes:
        if sector > self.max_id:
            raise _Damaged("a sector lies past the end of the file")
        start = self.body + sector * self.size
        return self.data[start : start + self.size]

    def mini_sector(self, sector: int) -> bytes:
        return self.mini_stream[sector * 64 : sector * 64 + 64]

    def chain(self, sector: int, table: list[int], length: int | None, read) -> bytes:
        parts, total, seen = [], 0, set()
        while sector != _END_OF_CHAIN:
            if sector in seen:
                raise _Damaged("a stream's sector chain loops")
            seen.add(sector)
            block = read(sector)
            if length is not None:
                block = block[: length - total]
            parts.append(block)
            total += len(block)
            if length is not None and total >= length:
                break
            if sector >= len(table):
                raise _Damaged("a stream's sector chain leaves the file")
            sector = table[sector]
        return b"".join(parts)

    def _length(self, entry: bytes) -> int:
        if self.size == 512:
            return _u32(entry, 120)
        return struct.unpack_from("<Q", entry, 120)[0]

    def stream(self, name: str) -> bytes | None:
        for entry in self.entries:
            entry_name = entry[:64].decode("utf-16-le", "replace").split("\x00", 1)[0]
            if entry_name == name:
                length = self._length(entry)
                if length < 4096:
                    return self.chain(_u32(entry, 116), self.mini_fat, length, self.mini_sector)
                return self.chain(_u32(entry, 116), self.fat, length, self.sector)
        return None


def _records(stream: bytes, start: int):
    """(type, data) of each record from ``start``, CONTINUE records folded in, as the reader
    iterates them; stops where the reader would fail."""
    pos = start
    while pos + 4 <= len(stream):
        kind, length = _u16(stream, pos), _u16(stream, pos + 2)
        if pos + 4 + length > len(stream):
            return
        data = stream[pos + 4 : pos + 4 + length]
        pos += 4 + length
        while pos + 4 < len(stream) and _u16(stream, pos) == _CONTINUE:
            pos += 4 + _u16(stream, pos + 2)
        yield kind, data


def _sheet_name(data: bytes) -> str:
    """A BoundSheet record's name (BIFF8 short unicode string; else 8-bit text)."""
    if len(data) < 8:
        return "?"
    count, wide = data[6], data[7] & 1
    text = data[8 : 8 + count * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


def _dimensions(data: bytes) -> Span | None:
    """What the reader reserves for a DIMENSIONS record: rows x columns cells, computed with
    its own 32-bit arithmetic (a last row before the first wraps to four billion)."""
    if len(data) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<4H", data)
    elif len(data) == 14:
        first_row, last_row = struct.unpack_from("<2I", data)
        first_col, last_col = struct.unpack_from("<2H", data, 8)
    else:
        return None
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row >= 1 and last_col >= 1:
        end_row, end_col = last_row - 1, last_col - 1
    else:
        end_row, end_col = first_row, first_col
    rows = (end_row - first_row + 1) & 0xFFFFFFFF
    cols = (end_col - first_col + 1) & 0xFFFFFFFF
    return Span(rows, cols)


def xls_spans(data: bytes, file: str) -> list[tuple[str, Span, Span | None]]:
    """(sheet name, used range, what its DIMENSIONS record makes the reader reserve) for
    every sheet the reader builds. Raises :class:`CorruptFile` for a compound file or
    record stream built to make the reader loop or reserve more than the file could hold."""
    try:
        compound = _Compound(data)
        stream = next((s for s in map(compound.stream, _STREAMS) if s is not None), None)
    except (_Damaged, struct.error) as exc:
        raise CorruptFile(
            f"the workbook is damaged: {exc}" if isinstance(exc, _Damaged)
            else "the workbook is damaged: it ends in the middle of a table",
            fix=DAMAGED_FIX,
            file=file,
        ) from exc  # fmt: skip
    if stream is None:
        return []
    sheets = []
    for kind, record in _records(stream, 0):
        if kind == _EOF:
            break
        if kind == _BOUND_SHEET and len(record) >= 4:
            sheets.append((_u32(record, 0), _sheet_name(record)))
    out = []
    for position, name in sheets:
        if position > len(stream):
            continue  # the reader fails on it before building anything
        rows = cols = 0
        reserved = None
        depth = 0
        seen_bof = False
        for kind, record in _records(stream, position):
            if depth:
                depth += 1 if kind == _BOF else -1 if kind == _EOF else 0
                continue
            if kind == _BOF:
                depth, seen_bof = (1, seen_bof) if seen_bof else (0, True)
            elif kind == _EOF:
                break
            elif kind == _DIMENSIONS:
                dims = _dimensions(record)
                if dims is not None and (reserved is None or dims.cells > reserved.cells):
                    reserved = dims
            elif kind in _CELL_RECORDS and len(record) >= 4:
                rows, cols = max(rows, _u16(record, 0) + 1), max(cols, _u16(record, 2) + 1)
            elif kind == _MUL_RK and len(record) >= 6:
                last = _u16(record, len(record) - 2)
                rows, cols = max(rows, _u16(record, 0) + 1), max(cols, last + 1)
        out.append((name, Span(rows, cols), reserved))
    return out
