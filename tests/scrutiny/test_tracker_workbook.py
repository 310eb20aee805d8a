"""The tracker workbook: template out, import in, all or nothing, updates by reference."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from analytics.cli import main
from analytics.scrutiny.workbook import COLUMNS
from analytics.warehouse import scrutiny
from tests.conftest import table_counts
from tests.reports.conftest import demo_partnership_id


def run(capsys, *argv) -> tuple[int, str, str]:
    # the demo warehouse holds its county and three more districts: name the partnership
    code = main([*argv, "--partnership", "WVP"])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def filled(demo_copy, tmp_path, capsys):
    target = tmp_path / "tracker.xlsx"
    code, _, _ = run(capsys, "--warehouse", str(demo_copy), "recommendations", "template",
                     "--filled", "-o", str(target))  # fmt: skip
    assert code == 0
    return target


def edit(path, cells: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    ws = book["Recommendations"]
    for ref, value in cells.items():
        ws[ref] = value
    book.save(path)


def col(name: str) -> str:
    return openpyxl.utils.get_column_letter(COLUMNS.index(name) + 1)


def test__template__blank_has_every_column_with_help(tmp_path, capsys, demo_copy):
    target = tmp_path / "blank.xlsx"
    assert run(capsys, "--warehouse", str(demo_copy), "recommendations", "template", "-o",
               str(target))[0] == 0  # fmt: skip
    ws = openpyxl.load_workbook(target)["Recommendations"]
    assert [c.value for c in ws[1]] == COLUMNS
    assert ws["A1"].comment is not None
    assert ws.max_row == 1


def test__import__the_filled_template_again_changes_nothing(filled, demo_copy, capsys):
    before = table_counts(demo_copy)
    code, out, _ = run(capsys, "--warehouse", str(demo_copy), "recommendations", "import",
                       str(filled))  # fmt: skip
    assert code == 0
    assert "0 added, 0 updated, 10 unchanged, 0 progress updates" in out
    after = table_counts(demo_copy)
    assert after["recommendation"] == before["recommendation"] == 10
    assert after["audit_log"] == before["audit_log"] + 1


def test__import__updates_by_reference_and_adds_a_dated_progress_note(filled, demo_copy, capsys):
    # row 11 is 2010/11-02, the one with no response yet
    edit(filled, {f"{col('response')}11": "partly accepted", f"{col('response_on')}11":
                  date(2011, 6, 20), f"{col('response_text')}11": "Plan to follow in July.",
                  f"{col('progress_note')}11": "Commissioning plan in draft.",
                  f"{col('progress_on')}11": date(2011, 6, 21)})  # fmt: skip
    code, out, err = run(capsys, "--warehouse", str(demo_copy), "recommendations", "import",
                         str(filled))  # fmt: skip
    assert code == 0, err
    assert "0 added, 1 updated, 9 unchanged, 1 progress updates" in out
    pid = demo_partnership_id(demo_copy)
    recs = scrutiny.recommendations(demo_copy, pid).set_index("reference")
    assert recs.loc["2010/11-02", "response"] == "partly_accepted"
    assert recs.loc["2010/11-02", "response_by"] == "NHS Wyvernshire (Primary Care Trust)"
    notes = scrutiny.progress_updates(demo_copy, pid)
    latest = notes[notes["reference"] == "2010/11-02"].iloc[-1]
    assert (latest["note"], latest["noted_on"]) == ("Commissioning plan in draft.",
                                                    date(2011, 6, 21))  # fmt: skip


def test__import__a_row_without_reference_gets_the_next_number(filled, demo_copy, capsys):
    edit(filled, {"A12": None, "B12": date(2011, 6, 14), "C12": "Six-monthly review",
                  "D12": "Report the Annual Meeting's date.",
                  "E12": "Wyvern Vale Partnership Board"})  # fmt: skip
    code, out, err = run(capsys, "--warehouse", str(demo_copy), "recommendations", "import",
                         str(filled))  # fmt: skip
    assert code == 0, err
    refs = scrutiny.recommendations(demo_copy, demo_partnership_id(demo_copy))["reference"]
    assert "2011/12-01" in set(refs)  # 14 June 2011 is in the municipal year 2011/12


BAD = [
    ({"A2": "2010-3"}, "A2", "is not a municipal year and number"),
    ({f"{col('theme')}2": "Happiness"}, f"{col('theme')}2", "no theme group"),
    ({f"{col('indicator_codes')}2": "NI 191, NI 999"}, f"{col('indicator_codes')}2",
     "not in the framework"),
    ({f"{col('response')}2": "maybe"}, f"{col('response')}2", "response is not one of"),
    ({f"{col('response_on')}11": date(2011, 6, 1)}, f"{col('response')}11",
     "a response date without the response"),
    ({f"{col('made_on')}3": "soon"}, f"{col('made_on')}3", "made_on is not a valid date"),
    ({f"{col('text')}4": None}, f"{col('text')}4", "text is required"),
    ({f"{col('status')}3": "in progress", f"{col('closed_on')}3": date(2011, 1, 1)},
     f"{col('status')}3", "must say how it ended"),
    ({f"{col('response_on')}2": date(2010, 3, 1)}, f"{col('response_on')}2",
     "dated before it was sent"),
    ({"A3": "2009/10-01"}, "row 3", "repeats row 2"),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "where", "text"), BAD)
def test__import__a_bad_cell_is_named_with_its_fix_and_nothing_changes(
    filled, demo_copy, capsys, cells, where, text
):
    edit(filled, cells)
    before = table_counts(demo_copy)
    code, _, err = run(capsys, "--warehouse", str(demo_copy), "recommendations", "import",
                       str(filled))  # fmt: skip
    assert code == 1
    assert f"tracker.xlsx, sheet 'Recommendations', cell {where}: " in err
    assert text in err
    assert "not loaded; the warehouse is unchanged" in err
    assert table_counts(demo_copy) == before


def test__import__a_missing_column_and_a_file_that_is_not_a_workbook(
    filled, demo_copy, capsys, tmp_path
):
    book = openpyxl.load_workbook(filled)
    book["Recommendations"].delete_cols(COLUMNS.index("text") + 1)
    book.save(filled)
    before = table_counts(demo_copy)
    code, _, err = run(capsys, "--warehouse", str(demo_copy), "recommendations", "import",
                       str(filled))  # fmt: skip
    assert code == 1 and "the required column 'text' is missing" in err
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    code, _, err = run(capsys, "--warehouse", str(demo_copy), "recommendations", "import",
                       str(junk))  # fmt: skip
    assert code == 1 and "junk.xlsx: this is not a workbook we can read" in err
    assert table_counts(demo_copy) == before


def test__list__columns_and_figures_as_at_a_date(demo_warehouse, capsys):
    import io

    import pandas as pd

    code, out, _ = run(capsys, "--warehouse", str(demo_warehouse), "recommendations", "list",
                       "--as-of", "2011-06-14", "--format", "csv")  # fmt: skip
    assert code == 0
    table = pd.read_csv(io.StringIO(out)).set_index("reference")
    assert {"response_due_on", "response_overdue", "status", "rag"} <= set(table.columns)
    assert len(table) == 10
    assert table["response_overdue"].sum() == 1
    assert table.loc["2010/11-02", "response_due_on"] == "2011-04-15"
    assert table.loc["2009/10-08", "response"] == "rejected"
    assert (table["rag"] == "green").sum() == 4
    code, _, err = run(capsys, "--warehouse", str(demo_warehouse), "recommendations", "list",
                       "--as-of", "June")  # fmt: skip
    assert code == 2 and "--as-of" in err
