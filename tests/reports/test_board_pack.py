"""The Board pack: its data against the stored statuses, and each export opened and read
back (openpyxl, python-docx, html.parser) with its figures compared with the statuses."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from analytics import board, periods
from analytics.labels import STATUS, STATUS_COLOUR
from analytics.reports import board as bp
from analytics.reports.board import INDICATOR_HEADERS
from analytics.status import status_changes
from analytics.vocabulary import EXCEPTION_STATUSES, STATUS_ORDER
from analytics.warehouse import views
from tests.reports.conftest import execute

WORD_TO_STATUS = {word: status for status, word in STATUS.items()}
INJECTIONS = [
    '=HYPERLINK("http://evil.example","click me")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def statuses(demo_warehouse, demo_pid, demo_period) -> pd.DataFrame:
    return views.statuses_as_at(demo_warehouse, demo_pid, demo_period)


def expected_counts(statuses: pd.DataFrame, by: str) -> dict[tuple[str, str], int]:
    counts = statuses.groupby([by, "rag_status"]).size()
    return {key: int(n) for key, n in counts.items()}


# --- the data -------------------------------------------------------------------------------


def test__pack__counts_per_theme_equal_the_stored_statuses(demo_pack, statuses):
    counts = demo_pack.counts.drop(index="Total")
    found = {
        (theme, status): int(counts.loc[theme, status])
        for theme in counts.index
        for status in STATUS_ORDER
        if counts.loc[theme, status]
    }
    assert found == expected_counts(statuses, "theme")
    assert demo_pack.counts.loc["Total", "total"] == len(statuses) == 45


def test__pack__laa_counts_only_count_laa_indicators(demo_pack, statuses):
    assert demo_pack.laa_counts.loc["Total", "total"] == int(statuses["is_laa"].sum())


def test__pack__exceptions_are_red_amber_and_missing_only(demo_pack, statuses):
    expected = set(statuses.loc[statuses["rag_status"].isin(EXCEPTION_STATUSES), "code"])
    assert set(demo_pack.exceptions["code"]) == expected
    assert len(demo_pack.exceptions) == len(expected) > 0


def test__pack__changes_are_against_the_quarter_the_last_board_saw(
    demo_warehouse, demo_pid, demo_period, demo_pack, statuses
):
    meetings = views.board_dates(demo_warehouse, demo_pid)
    assert (demo_pack.last_board_date, demo_pack.last_board_period) == board.last_board(
        meetings, demo_period
    )
    before = views.statuses_as_at(demo_warehouse, demo_pid, demo_pack.last_board_period)
    expected = status_changes(before, statuses)
    assert len(demo_pack.changes) == len(expected) > 0
    assert set(demo_pack.changes["change"]) <= {
        "new_exception",
        "recovered",
        "worsened",
        "improved",
    }


def test__pack__action_exceptions_are_milestones_behind_at_the_quarter_end(demo_pack):
    late = demo_pack.action_exceptions
    assert len(late) > 0
    assert set(late["milestone_status"].astype(str)) <= {"amber", "red"}
    end = pd.Timestamp(periods.parse_code(demo_pack.period).end)
    assert (pd.to_datetime(late["due_date"]) < end).all()


def test__pack__trends_stop_at_the_period_and_cover_every_exception(demo_pack):
    end = pd.Timestamp(periods.parse_code(demo_pack.period).end)
    assert (pd.to_datetime(demo_pack.trends["period_end"]) <= end).all()
    assert set(demo_pack.trends["code"]) == set(demo_pack.exceptions["code"])


def test__pack__missing_return_theme_is_named(demo_pack):
    assert demo_pack.missing_returns == ["Improving health and well-being"]


def test__render__refuses_an_unknown_format(demo_pack):
    with pytest.raises(ValueError, match="xlsx, docx, html"):
        bp.render(demo_pack, "pdf")


# --- Excel ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(demo_pack):
    return openpyxl.load_workbook(io.BytesIO(bp.to_xlsx(demo_pack)))


def sheet_records(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test__xlsx__has_summary_a_sheet_per_theme_actions_and_activities(workbook, statuses):
    themes = statuses.drop_duplicates("theme")["theme_short"].tolist()
    assert workbook.sheetnames == ["Summary", *themes, "Actions", "Positive activities"]


def test__xlsx__theme_sheets_count_each_status_as_the_statuses_do(workbook, statuses):
    found: dict[tuple[str, str], int] = {}
    for theme in statuses["theme_short"].unique():
        for record in sheet_records(workbook[theme]):
            key = (theme, WORD_TO_STATUS[record["Status"]])
            found[key] = found.get(key, 0) + 1
    assert found == expected_counts(statuses, "theme_short")


def test__xlsx__summary_counts_equal_the_statuses(workbook, statuses):
    ws = workbook["Summary"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Theme" and r[1] == STATUS["red"])
    table = {}
    for row in rows[header + 1 :]:
        if row[0] is None:
            break
        table[row[0]] = dict(zip(STATUS_ORDER, row[1:7], strict=True)) | {"total": row[7]}
    for (theme, status), n in expected_counts(statuses, "theme").items():
        assert table[theme][status] == n
    assert table["Total"]["total"] == len(statuses)


def test__xlsx__every_exception_with_its_status_word_and_colour(workbook, demo_pack):
    cells = {}
    for theme in demo_pack.themes:
        ws = workbook[demo_pack.theme_short(theme)]
        status_col = INDICATOR_HEADERS.index("Status") + 1
        for row in range(2, ws.max_row + 1):
            cells[ws.cell(row, 2).value] = ws.cell(row, status_col)
    for _, exc in demo_pack.exceptions.iterrows():
        cell = cells[exc["code"]]
        assert cell.value == STATUS[exc["rag_status"]]
        assert cell.fill.fgColor.rgb[-6:] == STATUS_COLOUR[exc["rag_status"]].lstrip("#").upper()


def test__xlsx__exceptions_come_first_on_each_theme_sheet(workbook, demo_pack):
    for theme in demo_pack.themes:
        words = [r["Status"] for r in sheet_records(workbook[demo_pack.theme_short(theme)])]
        exceptional = [WORD_TO_STATUS[w] in EXCEPTION_STATUSES for w in words]
        assert exceptional == sorted(exceptional, reverse=True)


def test__xlsx__numbers_are_numbers_formatted_with_the_indicator_decimals(workbook, statuses):
    ws = workbook["Safer communities"]
    target_col = INDICATOR_HEADERS.index("Period target") + 1
    by_code = statuses.set_index("code")
    for row in range(2, ws.max_row + 1):
        code = ws.cell(row, 2).value
        cell = ws.cell(row, target_col)
        expected = by_code.loc[code, "target_value"]
        if pd.isna(expected):
            assert cell.value is None
            continue
        assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
        assert cell.value == pytest.approx(expected)
        decimals = int(by_code.loc[code, "decimals"])
        places = cell.number_format.split(".")[1].rstrip('"%') if decimals else ""
        assert places.count("0") == decimals, (code, cell.number_format)


def test__xlsx__filters_on_and_header_frozen_on_every_table_sheet(workbook):
    for name in workbook.sheetnames[1:]:
        ws = workbook[name]
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert ws.freeze_panes in ("A2", "C2"), name


def test__xlsx__actions_and_activities_sheets_list_them(workbook, demo_pack):
    actions = sheet_records(workbook["Actions"])
    assert len(actions) == len(demo_pack.action_exceptions)
    assert {r["Action"] for r in actions} == set(demo_pack.action_exceptions["action_code"])
    activities = sheet_records(workbook["Positive activities"])
    assert [r["Activity"] for r in activities] == demo_pack.activities["title"].tolist()


def _exception_in_quarter(path, pid: int, period: str) -> str:
    exc = board.exceptions(views.statuses_as_at(path, pid, period))
    return str(exc.loc[exc["period"] == period, "code"].iloc[0])


def test__xlsx__text_from_returns_never_becomes_a_formula(demo_copy, demo_pid, demo_period):
    code = _exception_in_quarter(demo_copy, demo_pid, demo_period)
    commentary, remedial = INJECTIONS[0], INJECTIONS[1]
    execute(
        demo_copy,
        """UPDATE actual SET commentary = ?, remedial_action = ?
           WHERE is_current AND period = ? AND indicator_id =
                 (SELECT indicator_id FROM indicator WHERE code = ? AND partnership_id = ?)""",
        [commentary, remedial, demo_period, code, demo_pid],
    )
    execute(
        demo_copy,
        "UPDATE positive_activity SET description = ? WHERE partnership_id = ? AND period = ?",
        ["-2+3", demo_pid, demo_period],
    )
    execute(demo_copy, "UPDATE milestone SET progress_note = ?", ["@SUM(A1:A2)"])
    pack = bp.board_pack_data(demo_copy, demo_pid, demo_period)
    data = bp.to_xlsx(pack)

    wb = openpyxl.load_workbook(io.BytesIO(data))
    theme = pack.statuses.set_index("code").loc[code, "theme_short"]
    record = next(r for r in sheet_records(wb[theme]) if r["Code"] == code)
    assert record["Commentary"] == commentary
    assert record["Remedial action"] == remedial
    assert {r["Description"] for r in sheet_records(wb["Positive activities"])} == {"-2+3"}
    assert {r["Progress note"] for r in sheet_records(wb["Actions"])} == {"@SUM(A1:A2)"}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


@pytest.mark.parametrize("text", INJECTIONS)
def test__xlsx__put_writes_formula_like_text_as_a_literal_string(text):
    from openpyxl import Workbook

    from analytics.reports.writers.xlsx import put

    wb = Workbook()
    put(wb.active, 1, 1, text)
    out = io.BytesIO()
    wb.save(out)
    cell = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active["A1"]
    assert cell.data_type == "s"
    assert cell.value == text


def test__xlsx__control_characters_from_a_return_do_not_break_the_workbook(
    demo_copy, demo_pid, demo_period
):
    code = _exception_in_quarter(demo_copy, demo_pid, demo_period)
    execute(
        demo_copy,
        """UPDATE actual SET commentary = ? WHERE is_current AND period = ? AND indicator_id =
           (SELECT indicator_id FROM indicator WHERE code = ? AND partnership_id = ?)""",
        ["Bell\x07 and form feed\x0c here", demo_period, code, demo_pid],
    )
    pack = bp.board_pack_data(demo_copy, demo_pid, demo_period)
    wb = openpyxl.load_workbook(io.BytesIO(bp.to_xlsx(pack)))
    assert wb.sheetnames[0] == "Summary"
    Document(io.BytesIO(bp.to_docx(pack)))  # opens


# --- Word -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document(demo_pack):
    return Document(io.BytesIO(bp.to_docx(demo_pack)))


def cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def test__docx__is_a_landscape_a4_appendix(document, demo_pack):
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == f"Appendix 1: Partnership performance by exception, {demo_pack.period}"
    for theme in demo_pack.themes:
        assert theme in headings


def test__docx__summary_counts_equal_the_statuses(document, statuses):
    table = document.tables[0]  # all indicators
    header = [c.text for c in table.rows[0].cells]
    assert header[1:7] == [STATUS[s] for s in STATUS_ORDER]
    found = {}
    for row in table.rows[1:]:
        texts = [c.text for c in row.cells]
        for status, n in zip(STATUS_ORDER, texts[1:7], strict=True):
            if texts[0] != "Total" and int(n):
                found[(texts[0], status)] = int(n)
    assert found == expected_counts(statuses, "theme")


def test__docx__every_exception_code_with_its_status_word(document, demo_pack):
    seen = {}
    for table in document.tables:
        if table.rows[0].cells[0].text != "Indicator" or len(table.columns) != 12:
            continue
        assert table.rows[0].cells[6].text == "Is it real?"
        for row in table.rows[1:]:
            code = cell_lines(row.cells[0])[0].split(" (")[0]
            seen[code] = cell_lines(row.cells[5])[0]
            verdict = cell_lines(row.cells[6])[0]
            assert verdict == "–" or any(
                w in verdict for w in ("Real:", "Noise:", "No real change", "Common-cause")
            )
    expected = dict(
        zip(demo_pack.exceptions["code"], demo_pack.exceptions["rag_status"], strict=True)
    )
    assert seen == {code: STATUS[status] for code, status in expected.items()}


def test__docx__lists_positive_activities_and_action_exceptions(document, demo_pack):
    text = "\n".join(p.text for p in document.paragraphs)
    for title in demo_pack.activities["title"]:
        assert f"{title}: " in text
    all_cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    for code in demo_pack.action_exceptions["action_code"]:
        assert any(cell.startswith(code) for cell in all_cells)


# --- HTML -----------------------------------------------------------------------------------


class PackParser(HTMLParser):
    """Collects exception rows (code -> status), count cells and scripts from the page."""

    def __init__(self):
        super().__init__()
        self.row_code: str | None = None
        self.exceptions: dict[str, str] = {}
        self.table: str | None = None
        self.theme: str | None = None
        self.counts: dict[tuple[str, str], int] = {}
        self.count_status: str | None = None
        self.scripts: list[dict] = []
        self.in_script = False
        self.script_text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
            self.in_script = True
        elif tag == "table":
            self.table = a.get("data-table")
        elif tag == "tr":
            self.row_code = a.get("data-code")
            self.theme = a.get("data-theme")
        elif tag == "td" and self.row_code and "data-status" in a and self.table is None:
            self.exceptions.setdefault(self.row_code, a["data-status"])
        elif tag == "td" and self.table == "All indicators" and "data-status" in a:
            self.count_status = a["data-status"]

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.in_script:
            self.script_text.append(data)
            return
        self.text.append(data)
        status, self.count_status = self.count_status, None
        if status and self.theme and self.theme != "Total" and int(data):
            self.counts[(self.theme, status)] = int(data)


def parse(data: bytes) -> PackParser:
    parser = PackParser()
    parser.feed(data.decode("utf-8"))
    return parser


@pytest.fixture(scope="module")
def page(demo_pack) -> bytes:
    return bp.to_html(demo_pack)


def test__html__counts_per_theme_equal_the_statuses(page, statuses):
    found = {k: v for k, v in parse(page).counts.items() if k[1] != "total"}
    assert found == expected_counts(statuses, "theme")


def test__html__every_exception_code_with_its_status(page, demo_pack):
    expected = dict(
        zip(demo_pack.exceptions["code"], demo_pack.exceptions["rag_status"], strict=True)
    )
    assert parse(page).exceptions == expected


def test__html__is_self_contained_with_charts_as_inline_svg_and_no_script(page, demo_pack):
    parsed = parse(page)
    assert parsed.scripts == []
    assert b'id="status-by-theme"' in page
    assert page.count(b"<svg") == len(demo_pack.exceptions) + 1  # a trend each, the counts
    for code in demo_pack.exceptions["code"]:
        assert f'class="card" data-code="{code}"'.encode() in page
    assert b"<link" not in page


def test__html__text_from_returns_is_escaped(demo_copy, demo_pid, demo_period):
    code = _exception_in_quarter(demo_copy, demo_pid, demo_period)
    execute(
        demo_copy,
        """UPDATE actual SET commentary = ?, remedial_action = ?
           WHERE is_current AND period = ? AND indicator_id =
                 (SELECT indicator_id FROM indicator WHERE code = ? AND partnership_id = ?)""",
        [SCRIPT, '"><img src=x onerror=alert(2)>', demo_period, code, demo_pid],
    )
    execute(
        demo_copy,
        "UPDATE positive_activity SET title = ? WHERE partnership_id = ? AND period = ?",
        [SCRIPT, demo_pid, demo_period],
    )
    execute(demo_copy, "UPDATE milestone SET progress_note = ?", [SCRIPT])
    pack = bp.board_pack_data(demo_copy, demo_pid, demo_period)
    page = bp.to_html(pack)

    assert b"<script>alert" not in page
    assert b"<img src=x" not in page
    parsed = parse(page)
    text = "".join(parsed.text)
    assert text.count(SCRIPT) >= 3  # shown as text: commentary, activity, progress note
    assert '"><img src=x onerror=alert(2)>' in text
    assert "alert(1)" not in "".join(parsed.script_text)  # nothing from returns in a script


def test__xlsx__every_status_and_figure_matches_lsp_status(workbook, demo_warehouse, capsys):
    """The pack and `lsp status` tell the same story, indicator by indicator."""
    from analytics.cli import main

    assert main(["--warehouse", str(demo_warehouse), "status", "--format", "csv",
                 "--partnership", "WVP"]) == 0  # fmt: skip
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("indicator_code")
    pack = {}
    for name in workbook.sheetnames[1:-2]:
        for record in sheet_records(workbook[name]):
            pack[record["Code"]] = record
    assert set(pack) == set(cli.index)
    for code, record in pack.items():
        row = cli.loc[code]
        assert WORD_TO_STATUS[record["Status"]] == row["rag_status"], code
        for column, figure in (
            ("Actual (period)", "period_value"),
            ("Actual (year to date)", "ytd_value"),
        ):
            if pd.isna(row[figure]):
                assert record[column] in (None, "", "–"), code
            else:
                assert record[column] == pytest.approx(row[figure]), code


def test__board_pack__says_whether_each_exception_is_real_and_lists_early_warnings(demo_pack):
    from analytics.reports.board import layout
    from analytics.reports.document import Table

    doc = layout(demo_pack)
    tables = [b for part in doc.parts for b in part.blocks if isinstance(b, Table)]
    warnings = [t for t in tables if t.name == "Early warnings"]
    assert warnings and warnings[0].empty_text.startswith("No green indicator")
    sheet = next(t for t in tables if any(c.header == "Is it real? (SPC)" for c in t.columns))
    headers = [c.header for c in sheet.columns]
    verdicts = {row[headers.index("Is it real? (SPC)")] for row in sheet.rows}
    assert any(v.startswith(("Noise", "No real change", "Real", "Common")) for v in verdicts)
    html = bp.render(demo_pack, "html").decode()
    assert "Early warnings: green, but a special cause of concern" in html
    assert "Is it real?" in html
