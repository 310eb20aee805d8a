"""The bad-files corpus: odd and broken returns, each with the message it must get.

Generated at test time (``make_corpus(directory)``) so the repository stays small; run it by
hand to look at the files: ``python tests/corpus/make_corpus.py /tmp/corpus``.
No .xls files: nothing in the venv writes BIFF. ODS files are written by hand (a zip of XML).
"""

from __future__ import annotations

import os
import random
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

RETURN_PERIOD = "2008/09 Q1"
TODAY = date(2008, 8, 15)
HEADERS = ["Ref", "Indicator", "Actual", "Target", "Comments"]
GOOD_ROWS = [
    ["NI 1", "People from different backgrounds get on", 78, 80, "Place Survey"],
    ["NI 20", "Assault with injury crime rate", 1.9, 2.1, "On track"],
    ["LOC 7", "Affordable homes delivered", 35, 40, "Two schemes slipped"],
]


@dataclass
class Case:
    name: str  # file name, extension included
    build: Callable[[Path], None]
    expected: str | None  # substring of a message it must get; None: loads with no errors
    severity: str = "error"
    options: dict = field(default_factory=dict)  # overrides of check_return arguments


def _xlsx(rows: list[list], title: str = "Return", after=None) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = title
        for row in rows:
            ws.append(row)
        if after:
            after(wb)
        wb.save(path)

    return build


def _csv(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(text.encode(encoding))


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _ods(rows: list[list], sheet: str = "Return") -> Callable[[Path], None]:
    def cell(value) -> str:
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )

    def build(path: Path) -> None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(
                "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
            )
            z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
            z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)

    return build


def _zip_bomb(member_mb: int, members: int = 1) -> Callable[[Path], None]:
    """A workbook-looking zip whose sheets expand to ``member_mb`` MB of zeros each."""

    def build(path: Path) -> None:
        chunk = b"\0" * (1 << 20)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            for i in range(members):
                with z.open(f"xl/worksheets/sheet{i + 1}.xml", "w", force_zip64=True) as f:
                    for _ in range(member_mb):
                        f.write(chunk)

    return build


def _fake_encrypted(path: Path) -> None:
    """An OLE compound file header and a directory entry named EncryptedPackage: enough."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0")
    path.write_bytes(header + entry + b"\0" * 1024)


def _truncated_xlsx(path: Path) -> None:
    _xlsx([HEADERS, *GOOD_ROWS])(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _word_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")


def _hidden(state: str, data_on_hidden_only: bool = False):
    def after(wb) -> None:
        ws = wb.create_sheet("Workings")
        ws.sheet_state = state
        for row in [HEADERS, *GOOD_ROWS]:
            ws.append(row)
        if data_on_hidden_only:
            wb["Return"].delete_rows(1, 100)

    return after


def _merge_title(wb) -> None:
    ws = wb.active
    ws.merge_cells("A1:E1")
    ws.merge_cells("A2:E2")


def _percent_format(wb) -> None:
    for row in wb.active.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "0.0%"


def _with_period(rows: list[list], period: str) -> list[list]:
    return [["Period", *HEADERS]] + [[period, *r] for r in rows]


PREVIOUS_STABLE = [("NI 20", p, v) for p, v in zip(
    ["2007/08 Q1", "2007/08 Q2", "2007/08 Q3", "2007/08 Q4", "2008/09 Q1"],
    [2.0, 2.1, 2.0, 2.1, 2.0], strict=True)]  # fmt: skip

WIDE_HEADERS = ["Ref", "Indicator", "Q1 08/09", "Q2 08/09", "Q3 08/09", "Q4 08/09", "Target"]
TITLE_ROWS = [["Safer Communities Partnership"], ["Performance return, Q1 2008/09"], []]

CASES = [
    Case("wrong_headers.xlsx", _xlsx([["Foo", "Bar", "Baz"], ["NI 1", 3, 4]]),
         "no sheet has a header row we recognise"),
    Case("missing_actual_column.xlsx", _xlsx([["Ref", "Indicator", "Target"], ["NI 1", "x", 80]]),
         "no column for the actual value"),
    Case("title_rows_merged.xlsx", _xlsx([*TITLE_ROWS, HEADERS, *GOOD_ROWS], after=_merge_title),
         None),
    Case("text_in_numbers.xlsx", _xlsx([HEADERS, ["NI 1", "x", "about 78", 80, ""]]),
         "text where a number belongs"),
    Case("text_in_target.csv", _csv("Ref,Actual,Target\nNI 1,78,eighty\n"),
         "target not read: text where a number belongs", "warning"),
    Case("units_as_typed.csv", _csv(
        "Ref,Actual,Target\nNI 1,78 per cent,80 pc\nNI 20,\"1.9 per 1,000\",2.1 per 1000\n"
        "LOC 7,35 homes,40 dwellings\n"), None),
    Case("unit_contradicts.csv", _csv("Ref,Actual\nNI 1,78 days\n"),
         "typed in days, but NI 1 is measured in %"),
    Case("unit_contradicts_target.csv", _csv("Ref,Actual,Target\nNI 20,1.9,2 days\n"),
         "target not read: typed in days, but NI 20 is measured in rate per 1,000", "warning"),
    Case("wide_target_with_unit.xlsx", _xlsx([WIDE_HEADERS, ["NI 1", "x", 78, "", "", "",
                                                             "80 per cent"]]), None),
    Case("wide_target_unreadable.xlsx", _xlsx([WIDE_HEADERS, ["NI 1", "x", 78, "", "", "",
                                                              "eighty"]]),
         "target not read", "warning"),
    Case("formula_never_calculated.xlsx", _xlsx([HEADERS, ["NI 1", "x", "=70+8", 80, ""]]),
         "a formula that was never calculated", "warning"),
    Case("polarity_differs.csv", _csv("Ref,Actual,Good is\nNI 20,1.9,High\nNI 1,78,↑\n"),
         "the framework says lower is better", "warning"),
    Case("hidden_sheet.xlsx", _xlsx([HEADERS, *GOOD_ROWS], after=_hidden("hidden")),
         "is hidden and was not read", "warning"),
    Case("very_hidden_sheet.xlsx", _xlsx([HEADERS, *GOOD_ROWS], after=_hidden("veryHidden")),
         "is hidden and was not read", "warning"),
    Case("data_only_on_hidden_sheet.xlsx", _xlsx([["x"]], after=_hidden("hidden", True)),
         "no visible cells"),
    Case("empty_workbook.xlsx", _xlsx([]), "no visible cells"),
    Case("csv_renamed.xlsx", _csv("Ref,Indicator,Actual,Target\nNI 1,x,78,80\n"), None),
    Case("password_protected.xlsx", _fake_encrypted, "password-protected"),
    Case("huge_rows.xlsx", _xlsx([HEADERS] + [["NI 1", "x", i, 1, ""] for i in range(1200)]),
         "row limit", options={"limits_max_rows": 1000}),
    Case("huge_rows.csv", _csv("Ref,Actual\n" + "NI 1,1\n" * 1200),
         "more than 1,000 rows", options={"limits_max_rows": 1000}),
    Case("zip_bomb_total.xlsx", _zip_bomb(210), "possible zip bomb"),
    Case("zip_bomb_ratio.xlsx", _zip_bomb(20), "expands"),
    Case("corrupt_zip.xlsx", _truncated_xlsx, "damaged"),
    Case("zip_magic_then_garbage.xlsx",
         _bytes(b"PK\x03\x04" + random.Random(1).randbytes(4000)), "damaged"),
    Case("ole_garbage.xls",
         _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(2).randbytes(4000)),
         "damaged"),
    Case("binary_garbage.xlsx", _bytes(random.Random(3).randbytes(5000)), "not a spreadsheet"),
    Case("zero_bytes.xlsx", _bytes(b""), "empty (0 bytes)"),
    Case("web_page.xls", _csv("<html><body><table><tr><td>Ref</td></tr></table></body></html>"),
         "web page"),
    Case("word_document.xlsx", _word_document, "Word document"),
    Case("unknown_codes.xlsx", _xlsx([HEADERS, ["NI 999", "x", 5, 6, ""], *GOOD_ROWS]),
         "unknown indicator 'NI 999'"),
    Case("unknown_title.csv", _csv("Indicator,Actual\nSomething nobody measures,5\n"),
         "unknown indicator 'Something nobody measures'"),
    Case("duplicates.xlsx", _xlsx([HEADERS, *GOOD_ROWS, GOOD_ROWS[0]]), "appears more than once"),
    Case("wrong_period.xlsx", _xlsx(_with_period(GOOD_ROWS, "2008/09 Q2")),
         "does not match this return's period"),
    Case("future_period.csv", _csv("Period,Ref,Actual\n2009/10 Q1,NI 1,78\n"), "in the future"),
    Case("quarter_in_progress.csv", _csv("Ref,Actual\nNI 1,78\n"), "has not ended yet",
         "warning", {"today": date(2008, 6, 1)}),
    Case("period_unreadable.csv", _csv("Period,Ref,Actual\nsometime soon,NI 1,78\n"),
         "period not understood"),
    Case("percent_over_100.xlsx", _xlsx([HEADERS, ["NI 1", "x", 130, 80, ""]]),
         "percentage over 100", "warning"),
    Case("percent_typed_over_100.csv", _csv("Ref,Actual\nNI 1,112%\n"),
         "percentage over 100", "warning"),
    Case("percent_as_fractions.xlsx",
         _xlsx([HEADERS, ["NI 1", "x", 0.78, 0.8, ""], ["NI 4", "y", 0.31, 0.3, ""]]),
         "look like fractions", "warning"),
    Case("percent_formatted.xlsx", _xlsx([HEADERS, ["NI 1", "x", 0.78, 80, ""]],
                                         after=_percent_format), None),
    Case("excel_errors.xlsx", _xlsx([HEADERS, ["NI 1", "x", "#N/A", 80, ""], *GOOD_ROWS[1:]]),
         "Excel error value"),
    Case("no_indicator.xlsx", _xlsx([HEADERS, ["", "", 5, 6, ""], *GOOD_ROWS]),
         "has a value but no indicator"),
    Case("missing_value.xlsx", _xlsx([HEADERS, ["NI 1", "x", "n/a", 80, "survey not run"]]),
         "no value for NI 1", "warning"),
    Case("headers_only.xlsx", _xlsx([HEADERS]), "no indicator rows found"),
    Case("extra_column.xlsx", _xlsx([[*HEADERS, "RAG"], [*GOOD_ROWS[0], "G"]]),
         "column F is not read", "warning"),
    Case("dq_unclear.csv", _csv("Ref,Actual,DQ\nNI 1,78,maybe\n"),
         "data-quality note not understood", "warning"),
    Case("big_move.csv", _csv("Ref,Actual\nNI 20,9.5\n"), "far more than usual", "warning"),
    Case("cumulative_went_down.csv", _csv("Period,Ref,Actual\n2008/09 Q2,LOC 7,20\n"),
         "cumulative but went down", "warning", {"return_period": "2008/09 Q2",
                                                  "today": date(2008, 11, 15)}),
    Case("wide_layout.xlsx", _xlsx([WIDE_HEADERS, ["NI 1", "x", 78, "", "", "", 80]]), None),
    Case("wide_later_quarter_filled.xlsx", _xlsx([WIDE_HEADERS, ["NI 1", "x", 78, 79, "", "", 80]]),
         "does not match this return's period"),
    Case("wide_year_in_merged_cell.xlsx",
         _xlsx([["", "", "2008/09"], ["Ref", "Indicator", "Qtr 1", "Qtr 2", "Qtr 3", "Qtr 4"],
                ["NI 1", "x", 78]], after=lambda wb: wb.active.merge_cells("C1:F1")), None,
         options={"return_period": None}),
    Case("wide_quarter_without_year.xlsx",
         _xlsx([["Ref", "Indicator", "Qtr 1", "Qtr 2"], ["NI 1", "x", 78, ""]]),
         "names a quarter but no year", options={"return_period": None}),
    Case("numbers_as_typed.csv", _csv(
        "Ref,Actual,Target\nNI 1,\u00a078 ,\"80\"\nNI 20,\u22121.9,(2.1)\nLOC 7,\"1,035\",£40\n"),
         None),
    Case("semicolons.csv", _csv("Ref;Indicator;Actual\nNI 1;x;78\nNI 20;y;1,9\n"),
         "text where a number belongs"),
    Case("unicode_text.csv", _csv("Ref\tActual\r\nNI 1\t78\r\n", "utf-16"), None),
    Case("titles_only.csv", _csv("Indicator,Actual\nAffordable homes delivered,35\n"), None),
    Case("macro_workbook.xlsm", _xlsx([HEADERS, *GOOD_ROWS]), None),
    Case("return.ods", _ods([HEADERS, *GOOD_ROWS]), None),
    Case("text_in_numbers.ods", _ods([HEADERS, ["NI 1", "x", "78 approx", 80, ""]]),
         "text where a number belongs"),
]  # fmt: skip


def make_corpus(directory: Path) -> dict[str, Path]:
    """Write every case into ``directory``; returns name -> path."""
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for case in CASES:
        path = directory / case.name
        case.build(path)
        out[case.name] = path
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus_out")
    for name, path in make_corpus(target).items():
        print(f"{os.path.getsize(path):>10,}  {name}")
