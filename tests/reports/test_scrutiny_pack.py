"""The scrutiny pack and the Leader's update: their figures against `lsp status`, each file
opened and read back."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest
from docx import Document

from analytics.cli import main
from analytics.labels import STATUS
from analytics.reports import changes
from analytics.reports.scrutiny import render, scrutiny_pack_data
from analytics.scrutiny.review import half_window

HALF = "2010/11 H1"


@pytest.fixture(scope="module")
def review(demo_warehouse, demo_pid):
    return scrutiny_pack_data(demo_warehouse, demo_pid, half_window(HALF))


@pytest.fixture(scope="module")
def workbook(review):
    return openpyxl.load_workbook(io.BytesIO(render(review, "xlsx")))


def status_csv(path, capsys, period: str) -> pd.DataFrame:
    assert main(["--warehouse", str(path), "status", "--period", period, "--format", "csv",
                 "--partnership", "WVP"]) == 0  # fmt: skip
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def sheet_table(ws, first_header: str) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == first_header)
    out = []
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        out.append(dict(zip(rows[start], row, strict=False)))
    return out


def test__pack__picture_counts_equal_lsp_status_at_each_position(workbook, demo_warehouse, capsys):
    picture = {r["Theme group"]: r for r in sheet_table(workbook["Picture"], "Theme group")}
    for period, name in (
        ("2010/11 Q2", "now"),
        ("2009/10 Q4", "start"),
        ("2009/10 Q2", "year ago"),
    ):
        cli = status_csv(demo_warehouse, capsys, period)
        counts = cli.groupby(["theme", "rag_status"]).size()
        for (theme, status), n in counts.items():
            assert picture[theme][f"{STATUS[status]} ({name})"] == n, (period, theme, status)
        assert picture["Total"]["Indicators"] == len(cli) == 45


def test__pack__persistent_and_forecast_lists_equal_lsp_status(workbook, demo_warehouse, capsys):
    cli = status_csv(demo_warehouse, capsys, "2010/11 Q2")
    persistent = cli[cli["rag_status"].isin(["red", "amber"]) & (cli["persistence_periods"] >= 2)]
    rows = sheet_table(workbook["Persistent"], "Code")
    assert {r["Code"] for r in rows} == set(persistent["indicator_code"])
    quarters = [r["Quarters off target"] for r in rows]
    assert quarters == sorted(quarters, reverse=True)  # longest first
    by_code = persistent.set_index("indicator_code")["persistence_periods"]
    assert all(r["Quarters off target"] == by_code[r["Code"]] for r in rows)
    misses = cli[cli["forecast_status"].isin(["red", "amber"])]
    forecast = sheet_table(workbook["Forecasts"], "Code")
    assert {r["Code"] for r in forecast} == set(misses["indicator_code"])


def test__pack__tracker_sheet_has_every_recommendation_made_by_the_review(workbook, review):
    assert review.meeting == date(2010, 11, 16)
    rows = list(workbook["Tracker"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Every recommendation")
    refs = [r[0] for r in rows[start + 2 :] if r[0]]
    assert refs == review.tracker["reference"].tolist()
    assert len(refs) == 9  # 2010/11-02 was made in February 2011
    words = {r[rows[start + 1].index("RAG")] for r in rows[start + 2 :] if r[0]}
    assert "✔ Green: implemented and closed" in words


def test__docx__a_committee_report_with_its_asks_and_charts_as_images(review):
    doc = Document(io.BytesIO(render(review, "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == f"Wyvern Vale Partnership: Six-monthly performance review, {HALF}"
    for wanted in ("1. Summary", "2. Recommendations", "3. The half-year picture",
                   "10. The recommendation tracker"):  # fmt: skip
        assert wanted in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "The Committee is asked to NOTE" in text and "RECOMMEND" in text
    assert len(doc.inline_shapes) >= 2  # the status chart and trend charts
    described = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert all(d and len(d) > 20 for d in described)


def test__html__self_contained_with_svg_charts(review):
    page = render(review, "html").decode()
    assert "<script" not in page
    assert page.count("<svg") >= 2
    assert 'aria-label="Status by theme group at 2010/11 Q2.' in page


def test__cli__scrutiny_pack_and_its_errors(demo_warehouse, tmp_path, capsys):
    out = tmp_path / "pack.docx"
    args = ["--warehouse", str(demo_warehouse), "report", "scrutiny", "--partnership", "WVP"]
    assert main([*args, "--half", HALF, "-o", str(out)]) == 0
    assert "scrutiny pack for Wyvern Vale Partnership, 2010/11 H1 (docx" in capsys.readouterr().out
    assert main([*args, "--half", "2010/11 Q2", "-o", str(out)]) == 2
    assert "--half" in capsys.readouterr().err
    assert main([*args, "--half", "2012/13 H1", "-o", str(out)]) == 1
    assert "No values loaded for 2012/13 H1" in capsys.readouterr().err
    assert main([*args, "--since", "2011-06-14", "-o", str(tmp_path / "p.html")]) == 1
    assert "No quarter's figures have come in since the review of 14 Jun 2011" in (
        capsys.readouterr().err
    )


def test__changes__new_exceptions_recovered_and_recommendations_since_a_date(
    demo_warehouse, demo_pid, tmp_path, capsys
):
    from analytics.status import status_changes
    from analytics.warehouse import views

    report = changes.changes_data(demo_warehouse, demo_pid, date(2010, 11, 16))
    assert (report.before_quarter, report.after_quarter) == ("2010/11 Q2", "2010/11 Q4")
    expected = status_changes(
        views.statuses_as_at(demo_warehouse, demo_pid, "2010/11 Q2"),
        views.statuses_as_at(demo_warehouse, demo_pid, "2010/11 Q4"),
    )
    assert len(report.changes) == len(expected) > 0
    assert report.new_recommendations["reference"].tolist() == ["2010/11-02"]
    assert report.responses["reference"].tolist() == ["2010/11-01"]
    doc = Document(io.BytesIO(changes.render(report, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "what changed since 16 November 2010" in text
    out = tmp_path / "update.html"
    args = ["--warehouse", str(demo_warehouse), "report", "changes", "--partnership", "WVP",
            "--since", "2010-11-16"]  # fmt: skip
    assert main([*args, "-o", str(out)]) == 0
    assert "New exceptions" in out.read_text()
    assert main([*args, "-o", str(tmp_path / "u.xlsx")]) == 2
