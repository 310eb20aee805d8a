"""Open a zip-based workbook (.xlsx, .ods) without trusting what its headers claim.

A zip's central directory says how big each part is, but nothing makes a part keep to it: a
part that declares 900 KB can inflate to 2 GB, and a reader that believes the header (or
never asks) inflates all of it. So before any reader (python-calamine included) opens the
file, every part is inflated here through a bounded stream: zlib with ``max_length``, which
stops one byte past the size the part declared, whatever is in the data. A part that inflates
to more than it declared is refused as a disguised zip bomb; the declared sizes themselves
are checked against :class:`~analytics.ingest.grid.ReadLimits` first (an honest zip bomb), so
no part ever inflates past the limits, and the reader that runs next is never asked to
inflate more than was measured here.

The parts are kept (verified, in memory): the checks and cell facts read them, and the
reader is handed a copy of them stored uncompressed, so it reads exactly what was measured
here. XML parts are refused if they carry a document type declaration (``<!DOCTYPE``/``<!ENTITY``:
no spreadsheet has one; it is how entity-expansion and external-entity attacks start) or are
not UTF-8 text.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from analytics.ingest.errors import CorruptFile, FileTooLarge, PasswordProtected

SAVE_AS = "open it in Excel and use File › Save As › Excel Workbook (.xlsx), then upload that"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_LOCAL_MAGIC = b"PK\x03\x04"
_CENTRAL_HEADER = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass
class CheckedZip:
    """A zip whose every part has been inflated within its declared size and the limits.

    ``parts``: every part, inflated; ``names``: every part's name in central-directory order;
    ``crcs``: the checksum each part declares.
    """

    names: list[str]
    parts: dict[str, bytes] = field(default_factory=dict)
    crcs: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # How python-calamine finds a part for a path: case-insensitively, "\" read as "/"
        # (two names that differ only so are refused in open_checked_zip).
        self._lower = {n.replace("\\", "/").lower(): n for n in self.names}

    def find(self, path: str) -> str | None:
        """The part a reader looking for ``path`` opens (calamine's lookup), or None."""
        name = self._lower.get(path.lower(), path)
        return name if name in self.parts or name in self.names else None

    def part(self, path: str) -> bytes | None:
        name = self.find(path)
        return None if name is None else self.parts.get(name)

    def stored_copy(self) -> list[bytes]:
        """The parts as a zip of stored (uncompressed) parts, in pieces to write one after
        the other, for the reader to open instead of the file: it then reads exactly the
        bytes measured here and inflates nothing itself. Each part keeps the checksum the
        file gave it (a part that does not match is the reader's error to report)."""
        out, index, offset = [], [], 0
        for name, data in self.parts.items():
            raw = name.encode("utf-8")
            crc = self.crcs[name]
            local = _LOCAL_HEADER.pack(_LOCAL_MAGIC, 20, 0x800, 0, 0, 0, crc, len(data),
                                       len(data), len(raw), 0)  # fmt: skip
            out += [local + raw, data]
            index.append(
                _CENTRAL_HEADER.pack(b"PK\x01\x02", 20, 20, 0x800, 0, 0, 0, crc, len(data),
                                     len(data), len(raw), 0, 0, 0, 0, 0, offset) + raw
            )  # fmt: skip
            offset += len(local) + len(raw) + len(data)
        directory = b"".join(index)
        end = _END.pack(b"PK\x05\x06", 0, 0, len(index), len(index), len(directory), offset, 0)
        return [*out, directory + end]


def _is_xml(name: str, data: bytes) -> bool:
    return name.lower().endswith((".xml", ".rels")) or data.lstrip()[:5] == b"<?xml"


def open_checked_zip(path: Path, limits, file: str) -> CheckedZip:
    """Check the declared sizes, then inflate every part through the bounded stream; raise
    :class:`FileTooLarge` / :class:`CorruptFile` naming ``file`` (the name the user gave)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            check_declared(members, limits, file)
            checked = CheckedZip([m.filename for m in members])
            with path.open("rb") as raw:
                for member in members:
                    data = inflate_member(raw, member, file)
                    if _is_xml(member.filename, data):
                        _check_xml_part(data, member.filename, file)
                    checked.parts[member.filename] = data
                    checked.crcs[member.filename] = member.CRC
            return checked
    except zipfile.BadZipFile as exc:
        raise CorruptFile(
            f"the file is damaged: it starts like a workbook but is not complete ({exc})",
            fix=f"re-send the file; if it will not open in Excel either, {SAVE_AS}",
            file=file,
        ) from exc


def check_declared(members: list[zipfile.ZipInfo], limits, file: str) -> None:
    """What the central directory claims: part count, total, each part's ratio, duplicates,
    encryption and compression methods a reader could not inflate the same way."""
    if len(members) > limits.max_zip_parts:
        raise FileTooLarge(
            f"the file holds {len(members):,} parts, over the {limits.max_zip_parts:,} limit",
            fix=f"we did not open it; {SAVE_AS}",
            file=file,
        )
    total = sum(max(m.file_size, m.compress_size) for m in members)
    if total > limits.max_uncompressed_bytes:
        raise FileTooLarge(
            f"the workbook would expand to {total / 1e6:.0f} MB, over the "
            f"{limits.max_uncompressed_bytes / 1e6:.0f} MB limit (possible zip bomb)",
            fix="send only the return sheet, without pictures or other sheets",
            file=file,
        )
    seen: set[str] = set()
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > 1_000_000 and ratio > limits.max_compression_ratio:
            raise FileTooLarge(
                f"part {m.filename!r} expands {ratio:.0f} times, over the "
                f"{limits.max_compression_ratio:.0f}x limit (possible zip bomb)",
                fix=f"we did not open it; {SAVE_AS}",
                file=file,
            )
        key = m.filename.replace("\\", "/").lower()
        if key in seen:
            raise CorruptFile(
                f"the file is damaged: it holds two parts named {m.filename!r}",
                fix=f"we did not open it; {SAVE_AS}",
                file=file,
            )
        seen.add(key)
        if m.flag_bits & 0x1:
            raise PasswordProtected(
                f"part {m.filename!r} of the workbook is encrypted",
                fix="remove the password and re-send it",
                file=file,
            )
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise CorruptFile(
                f"part {m.filename!r} is compressed in a way spreadsheets never use "
                f"(method {m.compress_type})",
                fix=f"we did not open it; {SAVE_AS}",
                file=file,
            )


def inflate_member(raw, member: zipfile.ZipInfo, file: str) -> bytes:
    """Inflate one part from its compressed bytes, never producing more than it declared.

    Reads the same bytes a zip reader does (the local header says where the data starts; the
    central directory how much compressed data there is) and feeds them to zlib with
    ``max_length`` so the output stops at the declared size + 1 byte, which means it lied."""
    if member.header_offset < 0:
        header = b""
    else:
        raw.seek(member.header_offset)
        header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_MAGIC:
        raise CorruptFile(
            f"the file is damaged: part {member.filename!r} is not where the index says",
            fix=f"re-send the file; if it will not open in Excel either, {SAVE_AS}",
            file=file,
        )
    fields = _LOCAL_HEADER.unpack(header)
    flags, method, compressed, size, name_length, extra_length = (
        fields[2],
        fields[3],
        fields[7],
        fields[8],
        fields[9],
        fields[10],
    )
    name = raw.read(name_length)
    sizes_differ = (
        not flags & 0x8
        and 0xFFFFFFFF not in (compressed, size)
        and ((compressed, size) != (member.compress_size, member.file_size))
    )
    if method != member.compress_type or sizes_differ or name != _encoded_name(member):
        raise CorruptFile(
            f"the file is damaged: part {member.filename!r} is described two different ways "
            "(its header and the zip's index disagree)",
            fix=f"we did not open it; {SAVE_AS}",
            file=file,
        )
    raw.seek(member.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    packed = raw.read(member.compress_size)  # at most the file's size
    if member.compress_type == zipfile.ZIP_STORED:
        return packed  # what a reader reads of it is these bytes, whatever the header says
    try:
        # One call; zlib stops at the declared size + 1 byte, whatever the data holds.
        data = zlib.decompressobj(-15).decompress(packed, member.file_size + 1)
    except zlib.error as exc:
        raise CorruptFile(
            f"the file is damaged: part {member.filename!r} cannot be inflated ({exc})",
            fix=f"re-send the file; if it will not open in Excel either, {SAVE_AS}",
            file=file,
        ) from exc
    if len(data) > member.file_size:
        raise FileTooLarge(
            f"part {member.filename!r} declares {member.file_size:,} bytes but inflates to "
            "more (a disguised zip bomb); we stopped reading it there",
            fix=f"we did not open it; {SAVE_AS}",
            file=file,
        )
    return data


def _encoded_name(member: zipfile.ZipInfo) -> bytes:
    return member.orig_filename.encode("utf-8" if member.flag_bits & 0x800 else "cp437")


def _declares(data: bytes) -> bool:
    """Is there a <!DOCTYPE or <!ENTITY anywhere? (A memchr scan for "!", which is rare.)"""
    at = data.find(b"!")
    while at >= 0:
        if data[at - 1 : at] == b"<" and data[at + 1 : at + 7] in (b"DOCTYP", b"ENTITY"):
            return True
        at = data.find(b"!", at + 1)
    return False


def _check_xml_part(data: bytes, part: str, file: str) -> None:
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise CorruptFile(
            f"part {part!r} is XML in UTF-16, which spreadsheet programs never write",
            fix=f"we did not open it; {SAVE_AS}",
            file=file,
        )
    if _declares(data):
        raise CorruptFile(
            f"part {part!r} carries an XML document type declaration (<!DOCTYPE or "
            "<!ENTITY), which spreadsheets never have; it is how XML entity attacks start",
            fix=f"we did not open it; {SAVE_AS}",
            file=file,
        )
