"""`lsp report board`: each format written, opened and checked; defaults and refusals."""

from __future__ import annotations

import io

import openpyxl
import pytest
from docx import Document

from analytics.cli import main
from analytics.labels import STATUS
from analytics.warehouse import queries, views
from tests.reports.conftest import demo_partnership_id, execute


def run(warehouse, *argv: str, partnership: str | None = "WVP") -> int:
    """`lsp report board`; the demo warehouse holds its county and three more districts, so
    the demo partnership is named unless ``argv`` names one (None: none named)."""
    named = partnership is None or "--partnership" in argv
    return main(["--warehouse", str(warehouse), "report", "board",
                 *([] if named else ["--partnership", partnership]), *argv])  # fmt: skip


@pytest.fixture(scope="module")
def latest(demo_warehouse) -> str:
    return queries.periods_with_data(demo_warehouse, demo_partnership_id(demo_warehouse))[0]


def test__report_board__xlsx_for_a_named_quarter_matches_the_statuses(demo_warehouse, tmp_path):
    out = tmp_path / "pack.xlsx"
    assert run(demo_warehouse, "--period", "2009/10 Q2", "--format", "xlsx", "-o", str(out)) == 0
    wb = openpyxl.load_workbook(out)
    statuses = views.statuses_as_at(
        demo_warehouse, demo_partnership_id(demo_warehouse), "2009/10 Q2"
    )
    words = [
        row[13] for ws in wb.worksheets[1:-2] for row in ws.iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(words) == sorted(STATUS[s] for s in statuses["rag_status"])
    assert wb["Summary"]["B4"].value == "2009/10 Q2"


def test__report_board__docx_defaults_to_the_latest_quarter(
    demo_warehouse, tmp_path, latest, capsys
):
    out = tmp_path / "appendix.docx"
    assert run(demo_warehouse, "--format", "docx", "-o", str(out)) == 0
    doc = Document(out)
    assert doc.paragraphs[0].text.endswith(latest)
    assert "Wyvern Vale Partnership" in capsys.readouterr().out


def test__report_board__format_taken_from_the_file_suffix(demo_warehouse, tmp_path):
    out = tmp_path / "sub" / "pack.html"
    assert run(demo_warehouse, "--partnership", "wyvern vale partnership", "-o", str(out)) == 0
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")


def test__report_board__period_spellings_are_understood(demo_warehouse, tmp_path):
    out = tmp_path / "pack.xlsx"
    assert run(demo_warehouse, "--period", "Q3 10/11", "-o", str(out)) == 0
    assert openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Summary"]["B4"].value == (
        "2010/11 Q3"
    )


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        # a partnership not found is a wrong use, as in every command (tests/cli/test_partnership)
        (["--partnership", "Nowhere LSP", "-o", "x.xlsx"], 2, "no partnership called"),
        (["--period", "2001/02 Q1", "-o", "x.xlsx"], 1, "No values loaded for 2001/02 Q1"),
        (["--period", "2009/10", "-o", "x.xlsx"], 2, "must be a quarter"),
        (["--period", "sometime", "-o", "x.xlsx"], 2, "--period"),
        (["-o", "x.pdf"], 2, "--format"),
    ],
)
def test__report_board__refuses_what_it_cannot_report(
    demo_warehouse, tmp_path, monkeypatch, capsys, argv, status, message
):
    monkeypatch.chdir(tmp_path)
    assert run(demo_warehouse, *argv) == status
    assert message in capsys.readouterr().err
    assert not (tmp_path / argv[-1]).exists()


def test__report_board__several_partnerships_need_a_name(demo_copy, tmp_path, capsys):
    county = int(
        queries.partnerships(demo_copy)
        .query("name == 'Wyvernshire Partnership'")["partnership_id"]
        .iloc[0]
    )
    execute(
        demo_copy,
        """INSERT INTO indicator (indicator_id, partnership_id, theme_id, code, title, polarity)
           SELECT (SELECT max(indicator_id) + 1 FROM indicator), ?, theme_id, 'C-1', 'County',
                  'higher' FROM theme LIMIT 1""",
        [county],
    )
    assert run(demo_copy, "-o", str(tmp_path / "x.xlsx"), partnership=None) == 2
    said = capsys.readouterr().err
    assert "--partnership CODE" in said and "WVP" in said  # the codes, not every name
    out = tmp_path / "wvp.xlsx"
    assert run(demo_copy, "--partnership", "Wyvern Vale Partnership", "-o", str(out)) == 0


def test__report_board__missing_warehouse_is_reported(tmp_path, capsys):
    assert run(tmp_path / "none.duckdb", "-o", str(tmp_path / "x.xlsx"), partnership=None) == 1
    assert "lsp init" in capsys.readouterr().err
