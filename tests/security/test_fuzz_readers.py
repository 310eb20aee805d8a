"""Mutated workbooks and CSV files, read as the app reads an upload: every outcome is a read
within the limits or a refusal with a message naming the file (never another exception, a
crash of the app, a hang past the time limit or memory past the limit: the reader process
holds those).

Start from real small files (a return template written by the project, a sheet as LibreOffice
writes it, a CSV), then flip, insert and delete bytes, or open the zip and mutate one part's
XML (with fragments an attacker would reach for) and zip it again, sometimes declaring the
wrong size. Derandomised under CI=true (tests/conftest.py loads the profile).
"""

from __future__ import annotations

import datetime
import functools
import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analytics.framework.read import read_framework
from analytics.ingest.errors import IngestError
from analytics.ingest.read import ReadLimits, read_workbook
from analytics.ingest.template import ReturnMeta, template_meta, write_return_template
from analytics.messages import FileRejected
from tests.security import hostile

LIMITS = ReadLimits(read_timeout_s=30)
CELL_TYPES = (str, int, float, bool, datetime.date, datetime.time, datetime.timedelta)
FUZZ = settings(
    max_examples=70,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)

XLSX_FRAGMENTS = [
    b'<c r="XFD1048576"><v>1</v></c>', b'<row r="1048576">', b"</row>", b"<row>", b"<c>",
    b"<c><v>7</v></c>", b'<c r="A1" r="ZZ9"><v>1</v></c>', b'<x:c r="AAA1"><x:v>1</x:v></x:c>',
    b'<!DOCTYPE x [<!ENTITY a "b">]>', b"&a;", b"<!-- <c r='XFD1'> -->", b"</sheetData>",
    b'<![CDATA[<c r="A1">]]>', b' uniqueCount="999999999"', b'<dimension ref="A1:XFD1048576"/>',
    b'<mergeCell ref="A1:XFD1048576"/>', b'<c r="a0"><v>1</v></c>',
    b'<c r="B2" t="e"><v>#N/A</v></c>',
    b'<f t="shared" si="99999999" ref="A1:A2">1</f>', b"\x00", b"\xff\xfe", b'"', b"'", b">", b"<",
]  # fmt: skip
ODS_FRAGMENTS = [
    b'<table:table-row table:number-rows-repeated="1048576">', b"</table:table-row>",
    b'<table:table-cell office:value-type="float" office:value="1" '
    b'table:number-columns-repeated="16384"/>',
    b'<text:s text:c="999999999"/>', b'<table:table table:name="X">', b"</table:table>",
    b'<table:table-row table:number-rows-repeated="-1">', b'<!DOCTYPE x [<!ENTITY a "b">]>',
    b'<table:covered-table-cell table:number-columns-repeated="99999"/>', b"\x00", b">",
]  # fmt: skip
CSV_FRAGMENTS = [b",", b";", b"\t", b'"', b"\n", b"\r", b"\x00", b'"' * 3, b",," * 300,
                 b"9" * 200_000, b"\xff\xfe", b"=1+2"]  # fmt: skip


@functools.cache
def template_bytes() -> bytes:
    rows = pd.DataFrame(
        {"code": ["NI 1", "NI 20"], "title": ["People get on", "Assault rate"],
         "unit": ["%", "rate"], "polarity": ["higher", "lower"], "period": "2009/10 Q2",
         "target_value": [80, 2.1], "hist_1": [75, 2.0], "hist_2": [76, 2.0],
         "hist_3": [77, 1.9], "hist_4": [78, 1.9], "actual_value": [79, 1.8]}
    )  # fmt: skip
    meta = ReturnMeta("WVP", "West Vale Partnership", "Safer communities", "2009/10 Q2")
    path = _scratch() / "template.xlsx"
    write_return_template(path, meta, rows, ["2008/09 Q3", "2008/09 Q4", "2009/10 Q1"])
    return path.read_bytes()


@functools.cache
def ods_bytes() -> bytes:
    return hostile.libreoffice_ods([["Ref", "Actual", "Target"], ["NI 1", 78, 80],
                                    ["NI 20", 1.9, 2.1]])  # fmt: skip


CSV_BYTES = b"Period,Ref,Indicator,Actual,Target\n2009/10 Q2,NI 1,People get on,78,80\n"


_SCRATCH = tempfile.TemporaryDirectory(prefix="lsp-fuzz-")  # removed when the run ends


def _scratch() -> Path:
    return Path(_SCRATCH.name)


@st.composite
def flipped(draw, data: bytes, fragments: list[bytes]) -> bytes:
    """Bytes flipped, inserted (random or from ``fragments``), deleted or copied."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(out)))
        kind = draw(st.sampled_from(["flip", "insert", "fragment", "delete", "copy"]))
        if kind == "flip" and at < len(out):
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "fragment":
            out[at:at] = draw(st.sampled_from(fragments))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        else:
            start = draw(st.integers(0, len(out)))
            out[at:at] = out[start : start + draw(st.integers(1, 256))]
    return bytes(out)


@st.composite
def rezipped(draw, data: bytes, fragments: list[bytes]) -> bytes:
    """One part's XML mutated, the zip written again (sometimes claiming a wrong size)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    xml = [i for i, (name, _) in enumerate(parts) if name.endswith((".xml", ".rels"))]
    index = draw(st.sampled_from(xml))
    name, content = parts[index]
    parts[index] = (name, draw(flipped(content, fragments)))
    declared = {}
    if draw(st.booleans()) and draw(st.booleans()):
        declared[name] = draw(st.integers(0, len(parts[index][1]) + 10))
    return hostile.zip_bytes(parts, declared=declared)


def _check(data: bytes, name: str) -> None:
    path = _scratch() / name
    path.write_bytes(data)
    try:
        grids = read_workbook(path, LIMITS)
    except IngestError as error:
        assert error.file == name and error.message and error.fix
        return
    for grid in grids:
        assert grid.n_rows <= LIMITS.max_rows and grid.n_cols <= LIMITS.max_columns
        assert grid.n_rows * grid.n_cols <= LIMITS.max_cells
        assert all(isinstance(v, CELL_TYPES) for row in grid.rows for v in row)


@FUZZ
@given(data=flipped(template_bytes(), XLSX_FRAGMENTS))
def test__fuzz__xlsx_bytes(data):
    _check(data, "return.xlsx")


@settings(FUZZ, max_examples=90)
@given(data=rezipped(template_bytes(), XLSX_FRAGMENTS))
def test__fuzz__xlsx_parts(data):
    _check(data, "return.xlsx")


@FUZZ
@given(data=st.one_of(flipped(ods_bytes(), ODS_FRAGMENTS), rezipped(ods_bytes(), ODS_FRAGMENTS)))
@example(data=hostile.ods("<table:table-row/>", table_end="</table:tabler>"))  # found: a hang
def test__fuzz__ods(data):
    _check(data, "return.ods")


@FUZZ
@given(data=flipped(CSV_BYTES, CSV_FRAGMENTS))
def test__fuzz__csv(data):
    _check(data, "return.csv")


@settings(FUZZ, max_examples=25)
@given(data=rezipped(template_bytes(), XLSX_FRAGMENTS))
def test__fuzz__framework_and_template_readers(data):
    path = _scratch() / "framework.xlsx"
    path.write_bytes(data)
    meta = template_meta(path)
    assert meta is None or isinstance(meta, dict)
    with pytest.raises(FileRejected) as rejected:  # a return is never a framework
        read_framework(path)
    assert all(m.file == "framework.xlsx" and m.text for m in rejected.value.messages)
