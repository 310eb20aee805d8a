"""Two cell facts calamine does not give for .xlsx/.xlsm, read straight from the sheet XML.

- **Percent formats.** ``45%`` typed into Excel is stored as ``0.45`` in a cell whose number
  format contains ``%``; calamine returns ``0.45`` and drops the format. We find the style ids
  whose number format has a ``%`` (built-ins 9 and 10 plus custom ``numFmt`` codes) and the
  cells that use them.
- **Error values.** Calamine turns ``#N/A``, ``#DIV/0!`` ... (cells with ``t="e"``) into blanks;
  a blank would read as "no value" and hide a broken formula, so we put the error text back.

One regular-expression pass over each sheet's XML (C speed, no per-cell Python for ordinary
cells). Not available for .xls or .ods: there a fraction in a percent cell stays a fraction,
and :mod:`analytics.ingest.validate` warns when a percentage indicator looks like fractions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BUILTIN_PERCENT_FORMATS = {9, 10}
_ATTR = r"""\b{name}=["']([^"']*)["']"""
_NUMFMT_RE = re.compile(r"<(?:\w+:)?numFmt\b([^>]*)/?>")
_CELLXFS_RE = re.compile(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF_RE = re.compile(r"<(?:\w+:)?xf\b([^>]*?)/?>")
_VALUE_RE = re.compile(r"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REF_RE = re.compile(r"([A-Z]{1,3})(\d+)")


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(_ATTR.format(name=re.escape(name)), attrs)
    return m.group(1) if m else None


def ref_to_index(ref: str) -> tuple[int, int]:
    """``'D14'`` -> ``(13, 3)`` (0-based row, column)."""
    m = _REF_RE.fullmatch(ref)
    if not m:
        raise ValueError(f"{ref!r} is not a cell reference")
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)) - 1, col - 1


@dataclass
class SheetCellFacts:
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    uncalculated: set[tuple[int, int]] = field(default_factory=set)


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _percent_style_ids(styles: str) -> set[str]:
    percent_formats = set(_BUILTIN_PERCENT_FORMATS)
    for m in _NUMFMT_RE.finditer(styles):
        fmt_id, code = _attr(m.group(1), "numFmtId"), _attr(m.group(1), "formatCode") or ""
        # A % inside quotes is a literal, not a percent format; good enough to strip quoted runs.
        if fmt_id and "%" in re.sub(r'"[^"]*"', "", _unescape(code)):
            percent_formats.add(int(fmt_id))
    xfs = _CELLXFS_RE.search(styles)
    if not xfs:
        return set()
    ids = set()
    for index, m in enumerate(_XF_RE.finditer(xfs.group(1))):
        fmt_id = _attr(m.group(1), "numFmtId")
        if fmt_id is not None and int(fmt_id) in percent_formats:
            ids.add(str(index))
    return ids


def _cells_with(xml: str, attribute_re: re.Pattern) -> list[tuple[str, int]]:
    """(attributes, end of start tag) of every ``<c>`` whose start tag matches
    ``attribute_re``; the literal search runs in C, Python only sees the matches."""
    out = []
    for m in attribute_re.finditer(xml):
        tag_start = xml.rfind("<", 0, m.start())
        tag_end = xml.find(">", m.end())
        tag = xml[tag_start + 1 : tag_end]
        name = tag.split(None, 1)[0] if tag else ""
        if name == "c" or name.endswith(":c"):
            out.append((tag, tag_end + 1))
    return out


# A leading literal (" t=") lets the regex engine skip ahead at C speed; \b would not.
_ERROR_TYPE_RE = re.compile(r""" t=["']e["']""")
# A formula: <f>...</f> or <f .../> inside a cell (the literal "<f" first, C speed).
_FORMULA_RE = re.compile(r"<(?:\w+:)?f[\s>/]")
_CELL_END_RE = re.compile(r"</(?:\w+:)?c>")


def _uncalculated_cells(xml: str) -> set[tuple[int, int]]:
    """Cells holding a formula but no saved result (``<v>`` missing or empty): a file written
    by a program and never calculated by a spreadsheet. Python only sees formula cells."""
    out = set()
    for m in _FORMULA_RE.finditer(xml):
        start = xml.rfind("<", 0, m.start())
        while start >= 0:  # the enclosing <c ...> start tag
            name = re.split(r"[\s>/]", xml[start + 1 : start + 16], maxsplit=1)[0]
            if name == "c" or name.endswith(":c"):
                break
            start = xml.rfind("<", 0, start)
        close = _CELL_END_RE.search(xml, m.end())
        if start < 0 or close is None:
            continue
        value = _VALUE_RE.search(xml, m.end(), close.end())
        if value is None or value.group(1) == "":
            ref = _attr(xml[start + 1 : xml.find(">", start)], "r")
            if ref:
                out.add(ref_to_index(ref))
    return out


def read_cell_facts(sheets: dict[str, bytes], styles: bytes | None) -> dict[str, SheetCellFacts]:
    """Percent-formatted cells and error values for each sheet (name -> its XML, already
    inflated within the limits by :mod:`analytics.ingest.zipguard`; ``styles``: the
    workbook's styles part)."""
    percent_ids = _percent_style_ids(styles.decode("utf-8", "replace")) if styles else set()
    percent_re = None
    if percent_ids:
        ids = "|".join(sorted(percent_ids))
        percent_re = re.compile(rf""" s=["'](?:{ids})["']""")
    out = {}
    for name, data in sheets.items():
        xml = data.decode("utf-8", "replace")
        facts = SheetCellFacts()
        if percent_re is not None:
            for tag, _ in _cells_with(xml, percent_re):
                ref = _attr(tag, "r")
                if ref:
                    facts.percent_cells.add(ref_to_index(ref))
        for tag, body_start in _cells_with(xml, _ERROR_TYPE_RE):
            ref = _attr(tag, "r")
            value = _VALUE_RE.search(xml, body_start, xml.find("</", body_start) + 20)
            if ref and value:
                facts.error_cells[ref_to_index(ref)] = _unescape(value.group(1))
        if "<f" in xml:
            facts.uncalculated = _uncalculated_cells(xml)
        out[name] = facts
    return out
