"""`lsp report county` (the county LAA pack in three formats) and `lsp status`'s county
columns: the aggregation rule, numerator and denominator, and the county's computed figure
beside the one it reported."""

from __future__ import annotations

import csv
import io

import docx
import openpyxl
import pytest

from analytics.cli import main
from tests.county.build import Q2


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test__report_county__writes_the_pack(county_warehouse, tmp_path, capsys, fmt):
    out = tmp_path / f"pack.{fmt}"
    status = main(["--warehouse", str(county_warehouse), "report", "county", "--period", Q2,
                   "--format", fmt, "-o", str(out)])  # fmt: skip
    assert status == 0
    said = capsys.readouterr().out
    assert "county LAA pack for Testshire Partnership, 2009/10 Q2" in said
    assert "4 LAA indicators, 3 districts" in said
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == ["Summary", "LAA indicators", "Districts", "Reward"]
        rows = list(book["LAA indicators"].iter_rows(values_only=True))
        header, by_code = rows[0], {r[1]: r for r in rows[1:]}
        figure = by_code["NI 192"][header.index("County figure")]
        assert figure == pytest.approx(100 * 1150 / 3100)
        assert by_code["NI 192"][header.index("Reported by the county")] == 37.5
    elif fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(out).paragraphs)
        assert "Performance Reward Grant forecast" in text
        assert "nothing below 60%" in text
    else:
        page = out.read_text(encoding="utf-8")
        assert "Bexmoor Partnership holds 100% of the districts" in page
        assert "37.1%" in page and "Calder Partnership" in page


def test__report_county__a_district_names_its_county(county_warehouse, tmp_path, capsys):
    out = tmp_path / "pack.html"
    assert main(["--warehouse", str(county_warehouse), "report", "county", "--partnership",
                 "Bexmoor", "-o", str(out)]) == 0  # fmt: skip
    assert "Testshire Partnership, 2009/10 Q2" in capsys.readouterr().out


def test__report_county__a_partnership_with_no_county_is_refused(empty_warehouse, tmp_path,
                                                                 capsys):  # fmt: skip
    out = tmp_path / "pack.html"
    assert main(["--warehouse", str(empty_warehouse), "report", "county", "-o", str(out)]) == 1
    assert "No county with districts yet" in capsys.readouterr().err
    assert not out.exists()


def _status(path, code, capsys) -> dict:
    capsys.readouterr()
    assert main(["--warehouse", str(path), "status", "--partnership", code, "--period", Q2,
                 "--format", "csv"]) == 0  # fmt: skip
    return {r["indicator_code"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}


def test__status__a_county_has_its_computed_figure_beside_the_one_it_reported(
    county_warehouse, capsys
):
    rows = _status(county_warehouse, "TSC", capsys)
    ratio = rows["NI 192"]
    assert ratio["aggregation_rule"] == "ratio"
    assert (ratio["numerator"], ratio["denominator"]) == ("1150.0", "3100.0")
    assert float(ratio["county_computed_value"]) == pytest.approx(37.0967742)
    assert ratio["actual_value"] == "37.5"  # what it reported
    homes = rows["NI 154"]
    assert (homes["aggregation_rule"], homes["numerator"], homes["county_computed_value"]) == (
        "sum", "", "245.0")  # fmt: skip
    assert rows["NI 1"]["aggregation_rule"] == "county_only"
    assert rows["NI 1"]["county_computed_value"] == ""


def test__status__a_district_has_its_countys_rule_and_its_own_numerator(county_warehouse, capsys):
    rows = _status(county_warehouse, "CLD", capsys)
    assert (rows["NI 192"]["aggregation_rule"], rows["NI 192"]["numerator"],
            rows["NI 192"]["denominator"]) == ("ratio", "800.0", "2000.0")  # fmt: skip
    assert rows["NI 154"]["numerator"] == ""  # a sum uses none
    assert rows["NI 192"]["county_computed_value"] == ""
