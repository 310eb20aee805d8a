"""Every attack on the readers the red team tried (issue 18), each refused or contained:
the file gets a message naming it, the app carries on, the next file reads."""

from __future__ import annotations

import hashlib
import threading
import zipfile
import zlib

import openpyxl
import pytest

from analytics.cli import main
from analytics.framework.read import read_framework
from analytics.ingest import sandbox
from analytics.ingest.errors import (
    CorruptFile,
    FileTooLarge,
    IngestError,
    UnsafeToRead,
)
from analytics.ingest.intake import intake_file
from analytics.ingest.read import ReadLimits, read_sheets, read_workbook
from analytics.ingest.sandbox import PoolSettings, ReaderPool
from analytics.ingest.template import template_meta
from analytics.messages import FileRejected
from tests.security import hostile, reader_hooks

HEADERS = ["Ref", "Indicator", "Actual", "Target"]
ROWS = [["NI 1", "People get on", 78, 80], ["NI 20", "Assault rate", 1.9, 2.1]]


@pytest.fixture
def pool():
    """A pool of its own (so a test can count its reads), with the test entry point: the
    real reader, plus the misbehaviour a file named for it asks for."""
    pool = ReaderPool(PoolSettings(workers=2, memory_mb=768), entry=reader_hooks.ENTRY)
    with sandbox.using(pool):
        yield pool
    pool.close()


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _honest(tmp_path, name="honest.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in [HEADERS, *ROWS]:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _still_reads(tmp_path) -> None:
    """After a refusal, an honest return reads (a reader was there for it)."""
    [grid] = read_workbook(_honest(tmp_path, "after.xlsx"))
    assert grid.rows[1] == ["NI 1", "People get on", 78, 80]


def _refusal(path, error=IngestError, **options) -> IngestError:
    with pytest.raises(error) as caught:
        read_workbook(path, display_name=options.pop("display_name", path.name), **options)
    return caught.value


# ------------------------------------------------------------------- the used range first


def test__far_cell__refused_with_its_size_before_the_grid_is_built(pool, tmp_path):
    path = _write(tmp_path, "stored-0001", hostile.far_cell_xlsx())
    assert path.stat().st_size < 8_000
    error = _refusal(path, FileTooLarge, display_name="Safer Q2.xlsx")
    assert error.message == (
        "sheet 'Return' spans 1,048,576 rows x 16,384 columns (A1:XFD1048576), over the "
        "250,000-row limit"
    )
    assert (error.file, error.sheet) == ("Safer Q2.xlsx", "Return")
    assert str(tmp_path) not in str(error)  # the display name, never the stored path
    assert pool.started == 1  # measured, refused, and the reader kept: nothing crashed
    _still_reads(tmp_path)
    assert pool.started == 1


@pytest.mark.parametrize(
    ("cells", "span"),
    [
        # a row placed by r, its cell by the cursor (no r): row 1,048,576
        (f'<row r="1">{hostile.number("A1")}</row><row r="1048576"><c><v>1</v></c></row>',
         "1,048,576 rows x 1 columns"),
        # rows with no r at all count from the top
        ("<row><c><v>1</v></c></row>" * 3 + '<row><c r="ZZZ3"><v>1</v></c></row>',
         "3 rows x 18,278 columns"),
        # a spaced r (XML allows spaces around =), alone or second in a tag
        ('<row r="1"><c r = "XFD1048576"><v>1</v></c></row>', "1,048,576 rows x 16,384 columns"),
        ('<row r="2"><c r="B2" r = "XFD1048576"><v>1</v></c></row>',
         "1,048,576 rows x 16,384 columns"),
        ('<row r="2"><c r="B2" r=  "XFD1048576"><v>1</v></c></row>',
         "1,048,576 rows x 16,384 columns"),
        ('<row r="2"><c r="B2"  r  ="XFD1048576"><v>1</v></c></row>',
         "1,048,576 rows x 16,384 columns"),
        # a second r in a tag: the reader keeps the last
        ('<row r="2"><c r="B2" r="XFD1048576"><v>1</v></c></row>', None),
        # namespace prefixes mean nothing to the reader
        ('<x:row r="1"><x:c r="A1048576"><x:v>1</x:v></x:c></x:row>',
         "1,048,576 rows x 1 columns"),
    ],
)  # fmt: skip
def test__far_cells_however_written__refused_with_their_size(pool, tmp_path, cells, span):
    path = _write(tmp_path, "far.xlsx", hostile.xlsx(hostile.sheet_xml(cells)))
    error = _refusal(path)
    assert isinstance(error, FileTooLarge | CorruptFile), error
    if span is not None:
        assert span in error.message
    _still_reads(tmp_path)


def test__styled_empty_cells_far_out_do_not_count(pool, tmp_path):
    cells = f'<row r="1">{hostile.number("A1")}<c r="XFD1048576" s="1"/></row>'
    path = _write(tmp_path, "styled.xlsx", hostile.xlsx(hostile.sheet_xml(cells)))
    [grid] = read_workbook(path)
    assert grid.rows == [[1.0]]


def test__a_lying_shared_strings_count_is_refused(pool, tmp_path):
    strings = (f'<sst xmlns="{hostile.MAIN_NS}" count="1" uniqueCount="4000000000">'
               "<si><t>x</t></si></sst>").encode()  # fmt: skip
    sheet = hostile.sheet_xml(hostile.number("A1"))
    path = _write(tmp_path, "sst.xlsx", hostile.xlsx(sheet, shared_strings=strings))
    error = _refusal(path, CorruptFile)
    assert "claim 4,000,000,000 strings" in error.message


# ------------------------------------------------------------------------------- zip parts


def test__lying_zip_part__refused_in_the_reader_without_the_app_inflating_anything(
    pool, tmp_path, monkeypatch
):
    path = _write(tmp_path, "lying.xlsx", hostile.lying_xlsx(inflated_mb=40, declared=2_000))
    assert path.stat().st_size < 1_000_000

    def never(*args, **kwargs):
        raise AssertionError("the app itself opened the zip")

    monkeypatch.setattr(zipfile, "ZipFile", never)  # the app's own process, not the reader's
    monkeypatch.setattr(zlib, "decompressobj", never)
    before = pool.reads
    error = _refusal(path, FileTooLarge)
    assert error.message == (
        "part 'xl/worksheets/sheet1.xml' declares 2,000 bytes but inflates to more (a "
        "disguised zip bomb); we stopped reading it there"
    )
    assert pool.reads == before + 1  # answered by a reader process
    monkeypatch.undo()
    _still_reads(tmp_path)


def test__honest_zip_bomb__refused_from_its_declared_sizes(pool, tmp_path):
    path = _write(tmp_path, "bomb.xlsx", hostile.honest_bomb_xlsx(210))
    assert "possible zip bomb" in _refusal(path, FileTooLarge).message
    path = _write(tmp_path, "ratio.xlsx", hostile.honest_bomb_xlsx(20))
    assert "expands" in _refusal(path, FileTooLarge).message


def test__two_parts_of_one_name__refused(pool, tmp_path):
    sheet = hostile.sheet_xml(hostile.number("A1"))
    data = hostile.zip_bytes([("a.xml", sheet), ("A.xml", sheet)])
    path = _write(tmp_path, "twins.xlsx", data)
    with pytest.raises(IngestError):
        read_workbook(path)


# --------------------------------------------------------------------------- XML entities


@pytest.mark.parametrize("where", ["sheet", "shared strings", "workbook"])
@pytest.mark.parametrize("attack", ["billion laughs", "external entity"])
def test__xml_entities__refused_in_every_part(pool, tmp_path, where, attack):
    secret = tmp_path / "secret.txt"
    secret.write_text("the service account's password")
    prolog = hostile.LAUGHS if attack == "billion laughs" else hostile.external_entity(secret)
    value = "&lol9;" if attack == "billion laughs" else "&xxe;"
    strings = f'<sst xmlns="{hostile.MAIN_NS}"><si><t>{value}</t></si></sst>'
    sheet = hostile.sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{value}</t></is></c>'
                              '<c r="B1" t="s"><v>0</v></c></row>',
                              prolog if where == "sheet" else "")  # fmt: skip
    data = hostile.xlsx(
        sheet,
        workbook_prolog=prolog if where == "workbook" else "",
        shared_strings=((prolog if where == "shared strings" else "") + strings).encode(),
    )
    error = _refusal(_write(tmp_path, "entities.xlsx", data), CorruptFile)
    assert "document type declaration" in error.message
    assert "password" not in str(error)
    _still_reads(tmp_path)


@pytest.mark.parametrize("attack", ["billion laughs", "external entity"])
def test__xml_entities__refused_in_ods_content(pool, tmp_path, attack):
    prolog = (
        hostile.LAUGHS if attack == "billion laughs" else hostile.external_entity("/etc/passwd")
    )
    value = "&lol9;" if attack == "billion laughs" else "&xxe;"
    data = hostile.ods(f"<table:table-row>{hostile.ods_cell(value)}</table:table-row>", prolog)
    error = _refusal(_write(tmp_path, "entities.ods", data), CorruptFile)
    assert "document type declaration" in error.message


# ------------------------------------------------------------------------------------ ods


def test__ods_repeated_rows_and_cells__refused_with_their_size(pool, tmp_path):
    rows = (
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="16384"/></table:table-row>'
    )
    error = _refusal(_write(tmp_path, "repeated.ods", hostile.ods(rows)), FileTooLarge)
    assert error.message.startswith(
        "sheet 'Return' spans 1,048,576 rows x 16,384 columns (A1:XFD1048576)"
    )
    _still_reads(tmp_path)


def test__libreoffice_trailing_empty_rows_and_cells__read_as_the_used_range(pool, tmp_path):
    path = _write(tmp_path, "return.ods", hostile.libreoffice_ods([HEADERS, *ROWS]))
    [grid] = read_workbook(path)
    assert grid.rows == [HEADERS, ["NI 1", "People get on", 78.0, 80.0],
                         ["NI 20", "Assault rate", 1.9, 2.1]]  # fmt: skip


def test__ods_table_that_never_ends__refused_not_read_for_ever(pool, tmp_path):
    """Found by the fuzzer: python-calamine looks for the end of an unterminated table for
    ever (the reader's time limit would end it; the measure refuses it first)."""
    rows = f"<table:table-row>{hostile.ods_cell(1)}</table:table-row>"
    data = hostile.ods(rows, table_end="</table:tabler>")
    error = _refusal(_write(tmp_path, "endless.ods", data), CorruptFile)
    assert "never ends" in error.message
    _still_reads(tmp_path)


def test__ods_spaces_asked_for_by_the_billion__refused(pool, tmp_path):
    cell = ('<table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/>'
            "</text:p></table:table-cell>")  # fmt: skip
    data = hostile.ods(f"<table:table-row>{cell}</table:table-row>")
    assert "repeated spaces" in _refusal(_write(tmp_path, "spaces.ods", data), CorruptFile).message


# ------------------------------------------------------------------------------------ xls


def test__xls_honest__reads(pool, tmp_path):
    data = hostile.xls([(0, 0, 78.0), (1, 1, 80.0)], (0, 2, 0, 2))
    [grid] = read_workbook(_write(tmp_path, "honest.xls", data))
    assert grid.rows == [[78.0, ""], ["", 80.0]]


@pytest.mark.parametrize(
    ("cells", "dimensions", "span"),
    [
        ([(0, 0, 1.0)], (0, 1048576, 0, 16384), "1,048,576 rows x 16,384 columns"),
        ([(0, 0, 1.0), (65535, 65535, 1.0)], (0, 1, 0, 1), "65,536 rows x 65,536 columns"),
        ([(0, 0, 1.0)], (5, 1, 0, 1), "4,294,967,292 rows"),  # a last row before the first
    ],
)
def test__xls_dimensions_and_far_cells__refused_with_their_size(
    pool, tmp_path, cells, dimensions, span
):
    error = _refusal(_write(tmp_path, "far.xls", hostile.xls(cells, dimensions)), FileTooLarge)
    assert span in error.message
    _still_reads(tmp_path)


# ------------------------------------------------------------------------- size and csv


def test__oversized_file__refused_before_it_is_read(pool, tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as f:
        f.truncate(51 * 1024 * 1024)
    assert "over the 52 MB limit" in _refusal(path, FileTooLarge).message


def test__csv_too_many_rows__refused(pool, tmp_path):
    path = _write(tmp_path, "long.csv", b"Ref,Actual\n" + b"NI 1,1\n" * 1200)
    error = _refusal(path, FileTooLarge, limits=ReadLimits(max_rows=1000))
    assert "more than 1,000 rows" in error.message


def test__csv_one_giant_line__refused(pool, tmp_path):
    path = _write(tmp_path, "line.csv", b"Ref,Actual\nNI 1," + b"9" * 2_000_000 + b"\n")
    assert "longer than 131,072 characters" in _refusal(path, FileTooLarge).message
    path = _write(tmp_path, "wide.csv", b"Ref" + b",1" * 5000 + b"\n")
    assert "5,001 cells, over the 500-column limit" in _refusal(path, FileTooLarge).message
    _still_reads(tmp_path)


# ------------------------------------------------------- a reader that crashes, hangs ...


def test__a_hang__costs_the_file_a_refusal_at_the_time_limit(pool, tmp_path):
    path = _honest(tmp_path)
    started = pool.started
    error = _refusal(path, UnsafeToRead, display_name="hang-return.xlsx",
                     limits=ReadLimits(read_timeout_s=2))  # fmt: skip
    assert str(error).startswith("hang-return.xlsx: this file could not be read safely: ")
    assert "longer than the 2-second limit" in error.message
    _still_reads(tmp_path)
    assert pool.started > started  # the hung reader was replaced


def test__a_crash__costs_the_file_a_refusal(pool, tmp_path):
    error = _refusal(_honest(tmp_path), UnsafeToRead, display_name="abort-return.xlsx")
    assert error.message == "this file could not be read safely: the reader stopped on it (SIGABRT)"
    _still_reads(tmp_path)


def test__runaway_allocation_in_python__costs_the_file_a_refusal(pool, tmp_path):
    error = _refusal(_honest(tmp_path), UnsafeToRead, display_name="exhaust-return.xlsx")
    assert "needed more than the 768 MB memory limit" in error.message
    _still_reads(tmp_path)


def test__unmeasured_far_cell__calamine_aborts_inside_its_memory_limit(pool, tmp_path):
    """The measure switched off (test entry point only): python-calamine really tries to
    allocate 550 GB; the reader process dies of it, the app refuses the file."""
    path = _write(tmp_path, "far.xlsx", hostile.far_cell_xlsx())
    error = _refusal(path, UnsafeToRead, display_name="unmeasured-far.xlsx")
    assert "needed more than the 768 MB memory limit" in error.message
    _still_reads(tmp_path)


def test__a_forged_answer__is_never_unpickled_into_code(pool, tmp_path):
    path = _honest(tmp_path)
    error = _refusal(path, UnsafeToRead, display_name="forged-return.xlsx")
    assert "answer was not plain data" in error.message
    assert not (tmp_path / "honest.xlsx.marker").exists()
    _still_reads(tmp_path)


def test__a_reader_that_died_while_idle__is_replaced_without_blaming_the_file(pool, tmp_path):
    read_workbook(_honest(tmp_path))
    [idle] = pool._idle
    idle.process.kill()
    idle.process.wait()
    [grid] = read_workbook(_honest(tmp_path, "next.xlsx"))
    assert grid.rows[0] == HEADERS


def test__readers_import_only_what_reading_needs(pool):
    status, modules, _ = pool.call({"op": "modules", "file": "-"}, ReadLimits())
    assert status == "ok" and "python_calamine" in modules
    assert not {"pandas", "numpy", "streamlit", "duckdb", "openpyxl"} & set(modules)


def test__sessions_reading_at_once__each_gets_its_answer(pool, tmp_path):
    honest = _honest(tmp_path)
    far = _write(tmp_path, "far.xlsx", hostile.far_cell_xlsx())
    results: dict[int, object] = {}

    def read(n: int) -> None:
        try:
            results[n] = read_workbook(far if n == 2 else honest)[0].rows[1]
        except IngestError as error:
            results[n] = error

    threads = [threading.Thread(target=read, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert isinstance(results.pop(2), FileTooLarge)
    assert all(row == ["NI 1", "People get on", 78, 80] for row in results.values())
    assert pool.started <= 2


# ------------------------------------------------------------------ every way in, all of it


def test__template_meta_of_a_hostile_file__is_none(pool, tmp_path):
    assert template_meta(_write(tmp_path, "far.xlsx", hostile.far_cell_xlsx())) is None


def test__framework_workbook__refused_with_the_size(pool, tmp_path):
    with pytest.raises(FileRejected) as rejected:
        read_framework(_write(tmp_path, "framework.xlsx", hostile.far_cell_xlsx("Indicators")))
    [message] = rejected.value.messages
    assert message.file == "framework.xlsx" and "spans 1,048,576 rows" in message.text


def test__sheets_by_name__read_in_the_same_pass(pool, tmp_path):
    read = read_sheets(_honest(tmp_path), visible=False, named=("Return", "Missing"))
    assert list(read.named) == ["Return"] and read.named["Return"][0] == HEADERS


def _warehouse_fingerprint(path) -> str:
    import duckdb

    from analytics.warehouse.connection import close_readers

    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        digest = hashlib.sha256()
        for table in ("actual", "return_file", "target", "indicator", "audit_log"):
            rows = con.execute(f'SELECT * FROM "{table}"').fetchall()
            digest.update(repr(sorted(map(repr, rows))).encode())
        return digest.hexdigest()
    finally:
        con.close()


@pytest.mark.parametrize(
    ("name", "build", "said"),
    [
        ("far.xlsx", hostile.far_cell_xlsx, "spans 1,048,576 rows x 16,384 columns"),
        ("lying.xlsx", lambda: hostile.lying_xlsx(40), "inflates to more"),
        ("laughs.xlsx", lambda: hostile.xlsx(hostile.sheet_xml("", hostile.LAUGHS)),
         "document type declaration"),
    ],
)  # fmt: skip
def test__lsp_import__refuses_and_leaves_the_warehouse_as_it_was(
    pool, demo_copy, tmp_path, capsys, name, build, said
):
    path = _write(tmp_path, name, build())
    before = _warehouse_fingerprint(demo_copy)
    assert main(["--warehouse", str(demo_copy), "import", "--partnership", "WVP", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"ERROR: {name}" in err and said in err
    assert "the warehouse is unchanged" in err
    assert _warehouse_fingerprint(demo_copy) == before


def test__intake__a_crash_is_a_message_on_the_file(pool, tmp_path):
    import pandas as pd

    from analytics.ingest.intake import IntakeContext

    context = IntakeContext("WVP", [], pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    intake = intake_file(_honest(tmp_path), context, file_name="abort-q2.xlsx")
    [message] = intake.messages
    assert message.file == "abort-q2.xlsx"
    assert message.text.startswith("this file could not be read safely: ")


def test__reader_settings__come_from_the_environment(monkeypatch):
    monkeypatch.setenv("LSP_READER_WORKERS", "3")
    monkeypatch.setenv("LSP_READER_MEMORY_MB", "1024")
    monkeypatch.setenv("LSP_READER_RECYCLE_MB", "256")
    monkeypatch.setenv("LSP_READER_TIMEOUT_S", "12.5")
    assert PoolSettings.from_env() == PoolSettings(workers=3, memory_mb=1024, recycle_mb=256)
    limits = ReadLimits()
    assert (limits.reader_memory_mb, limits.read_timeout_s) == (1024, 12.5)
    monkeypatch.setenv("LSP_READER_WORKERS", "many")  # a setting that is not a number
    assert PoolSettings.from_env().workers == PoolSettings().workers
