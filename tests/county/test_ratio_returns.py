"""A district's return for an indicator its county makes by the ratio rule must give the
numerator and the denominator: a percentage alone is refused, naming the file, the sheet, the
cell and what to add, and nothing loads."""

from __future__ import annotations

import openpyxl
import pytest

from analytics.cli import main
from analytics.ingest.intake import intake_file
from analytics.messages import FileRejected
from analytics.warehouse import queries
from analytics.warehouse.connection import close_readers
from analytics.warehouse.returns import commit_returns
from tests.conftest import fingerprint
from tests.county.build import ACTING, pid_of, write_return

Q3 = "2009/10 Q3"


def _intake(path, file, theme="Place"):
    context = queries.intake_context(path, pid_of(path, "AYF"))
    close_readers(path)
    return intake_file(file, context, theme=theme, period=Q3)


def test__a_percentage_alone_is_refused_naming_the_cell_and_what_to_add(county_copy, tmp_path):
    file = write_return(tmp_path / "ayford-q3.csv", [("NI 154", Q3, 120, None, None),
                                                    ("NI 192", Q3, 31.5, None, None)])  # fmt: skip
    intake = _intake(county_copy, file)
    [error] = intake.errors
    assert (error.file, error.sheet, error.cell) == ("ayford-q3.csv", "ayford-q3", "D3")
    assert "NI 192's county figure is a ratio" in error.text
    assert "the numerator and the denominator are missing" in error.text
    assert "Add the numerator and the denominator" in error.fix
    before = fingerprint(county_copy)
    with pytest.raises(FileRejected):
        commit_returns([intake], county_copy, user=ACTING)
    assert fingerprint(county_copy) == before  # nothing partial loads


def test__with_the_numerator_and_denominator_it_loads_and_the_value_can_be_left_to_them(
    county_copy, tmp_path
):
    file = write_return(tmp_path / "ayford-q3.csv", [("NI 154", Q3, 120, None, None),
                                                    ("NI 192", Q3, None, 315, 1000)])  # fmt: skip
    intake = _intake(county_copy, file)
    assert intake.ok, [m.format() for m in intake.errors]
    row = intake.values.set_index("indicator_code").loc["NI 192"]
    assert (row["actual_value"], row["numerator_value"], row["denominator_value"]) == (
        31.5, 315, 1000)  # fmt: skip
    commit_returns([intake], county_copy, user=ACTING)


def test__the_districts_template_has_the_columns_and_refuses_a_percentage_alone(
    county_copy, tmp_path
):
    out = tmp_path / "template.xlsx"
    w = ["--warehouse", str(county_copy)]
    assert main([*w, "template", "--partnership", "AYF", "--theme", "Place", "--period", Q3,
                 "-o", str(out)]) == 0  # fmt: skip
    book = openpyxl.load_workbook(out)
    sheet = book["Return"]
    headers = [c.value for c in sheet[4]]
    assert headers[-2:] == ["numerator", "denominator"]
    rows = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1)}
    numerator = headers.index("numerator") + 1
    assert not sheet.cell(rows["NI 192"], numerator).protection.locked  # a ratio: input
    assert sheet.cell(rows["NI 154"], numerator).protection.locked  # a count: locked
    sheet.cell(rows["NI 154"], headers.index("value") + 1, 120)
    sheet.cell(rows["NI 192"], headers.index("value") + 1, 31.5)
    book.save(out)
    intake = _intake(county_copy, out)
    [error] = intake.errors
    assert error.sheet == "Return" and error.cell == f"O{rows['NI 192']}"  # the numerator
    assert f"in the columns 'numerator' and 'denominator' of row {rows['NI 192']}" in error.fix


def test__the_countys_own_return_needs_no_numerator(county_copy, tmp_path):
    file = write_return(tmp_path / "county-q3.csv", [("NI 192", Q3, 37.9, None, None)])
    context = queries.intake_context(county_copy, pid_of(county_copy, "TSC"))
    close_readers(county_copy)
    assert intake_file(file, context, theme="Place", period=Q3).ok
