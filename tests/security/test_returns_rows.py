"""Roles on every row, and a blank return: attempts an ordinary account can make with its own
template, each refused where the write happens with the warehouse unchanged.

- A theme lead's own template with two rows of another theme group's indicators appended
  (the red team's attempt: it committed them as that group's current values).
- The same rows in an intake whose messages were stripped (as if a page or script skipped
  the checks): the write path refuses them by itself.
- An untouched template sent back (it superseded the return in force with nothing).
"""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest

from analytics.access import PermissionDenied
from analytics.cli import main
from analytics.ingest.intake import intake_file
from analytics.messages import FileRejected
from analytics.warehouse import queries, returns
from analytics.warehouse.returns import commit_returns, withdraw_return, write_template
from tests.conftest import OFFICER, fingerprint
from tests.security.conftest import HEALTH, SAFER, demo_pid

PERIOD = "2011/12 Q1"


def _template_with_health_rows(warehouse, tmp_path):
    """The safer-communities template for 2011/12 Q1, filled in, with NI 39 and NI 123 (Health
    and well-being's) appended as rows of its own."""
    out = write_template(demo_pid(warehouse), SAFER, PERIOD, tmp_path / "safer.xlsx", warehouse)
    book = openpyxl.load_workbook(out)
    sheet = book["Return"]
    last = sheet.max_row
    for row in range(5, last + 1):
        sheet.cell(row, 11, 12.5)
    for offset, code in enumerate(("NI 39", "NI 123"), start=1):
        sheet.cell(last + offset, 1, code)
        sheet.cell(last + offset, 5, PERIOD)
        sheet.cell(last + offset, 11, 99.0)
    book.save(out)
    return out, [f"A{last + 1}", f"A{last + 2}"]


def test__lead_template_with_another_themes_rows__is_an_error_on_each_of_their_cells(
    demo_copy, tmp_path, safer_lead
):
    file, cells = _template_with_health_rows(demo_copy, tmp_path)
    intake = intake_file(file, queries.intake_context(demo_copy, demo_pid(demo_copy)))
    stray = [m for m in intake.errors if "is an indicator of" in m.text]
    assert [(m.sheet, m.cell) for m in stray] == [("Return", c) for c in cells]
    assert all(HEALTH in m.text and SAFER in m.text for m in stray)
    before = fingerprint(demo_copy)
    with pytest.raises(FileRejected):
        commit_returns([intake], demo_copy, user=safer_lead)
    assert fingerprint(demo_copy) == before


def test__rows_of_another_theme__refused_in_the_write_path_even_without_the_intakes_errors(
    demo_copy, tmp_path, safer_lead
):
    file, cells = _template_with_health_rows(demo_copy, tmp_path)
    intake = intake_file(file, queries.intake_context(demo_copy, demo_pid(demo_copy)))
    crafted = replace(intake, messages=[m for m in intake.messages if not m.is_error])
    assert crafted.ok and len(crafted.values) > len(cells)
    before = fingerprint(demo_copy)
    with pytest.raises(PermissionDenied, match=f"holds values of {HEALTH}.*NI 123, NI 39"):
        commit_returns([crafted], demo_copy, user=safer_lead)
    assert fingerprint(demo_copy) == before
    # the officer may send Health's return, but not inside Safer's: an error on each cell
    with pytest.raises(FileRejected) as refused:
        commit_returns([crafted], demo_copy, user=OFFICER)
    assert sorted(m.cell for m in refused.value.messages) == sorted(
        crafted.values.loc[crafted.values["indicator_code"].isin(["NI 39", "NI 123"]), "cell"]
    )
    assert fingerprint(demo_copy) == before


def test__rows_of_another_theme__refused_when_loaded_with_another_return_of_the_lead(
    demo_copy, tmp_path, safer_lead
):
    """The same crafted return loaded together with a clean one of the lead's own (a quarter's
    returns are compared and written together): still refused where it is written."""
    file, _ = _template_with_health_rows(demo_copy, tmp_path)
    context = queries.intake_context(demo_copy, demo_pid(demo_copy))
    intake = intake_file(file, context)
    crafted = replace(intake, messages=[m for m in intake.messages if not m.is_error])
    own = write_template(demo_pid(demo_copy), SAFER, "2011/12 Q2", tmp_path / "q2.xlsx",
                         demo_copy)  # fmt: skip
    book = openpyxl.load_workbook(own)
    for row in range(5, book["Return"].max_row + 1):
        book["Return"].cell(row, 11, 7.0)
    book.save(own)
    clean = intake_file(own, context)
    assert returns._apart([crafted, clean])  # the path that writes several returns at once
    before = fingerprint(demo_copy)
    with pytest.raises(PermissionDenied, match=f"holds values of {HEALTH}.*NI 123, NI 39"):
        commit_returns([crafted, clean], demo_copy, user=safer_lead)
    assert fingerprint(demo_copy) == before
    with pytest.raises(FileRejected) as refused:
        commit_returns([clean, crafted], demo_copy, user=OFFICER)
    assert sorted(m.cell for m in refused.value.messages) == sorted(
        crafted.values.loc[crafted.values["indicator_code"].isin(["NI 39", "NI 123"]), "cell"]
    )
    assert fingerprint(demo_copy) == before


def test__lsp_import_with_theme__refuses_another_themes_rows_and_changes_nothing(
    demo_copy, tmp_path, capsys
):
    file, cells = _template_with_health_rows(demo_copy, tmp_path)
    before = fingerprint(demo_copy)
    code = main(["--warehouse", str(demo_copy), "import", str(file), "--theme", SAFER])
    assert code == 1
    err = capsys.readouterr().err
    assert all(f"cell {c}" in err for c in cells) and "is an indicator of" in err
    assert fingerprint(demo_copy) == before


def test__untouched_template__is_an_error_and_the_return_in_force_stays_withdrawable(
    demo_copy, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("LSP_TODAY", "2011-02-01")  # before 2010/11 Q3 locks (after its Board)
    pid = demo_pid(demo_copy)
    in_force = queries.return_files(demo_copy, pid, "2010/11 Q3")
    safer = in_force[(in_force["theme"] == SAFER) & (in_force["state"] == "loaded")]
    [return_id] = safer["return_id"].tolist()
    blank = write_template(pid, SAFER, "2010/11 Q3", tmp_path / "blank.xlsx", demo_copy)
    before = fingerprint(demo_copy)
    assert main(["--warehouse", str(demo_copy), "import", str(blank)]) == 1
    err = capsys.readouterr().err
    assert "blank.xlsx, sheet 'Return', cell K5" in err and "has no values" in err
    assert fingerprint(demo_copy) == before
    intake = intake_file(blank, queries.intake_context(demo_copy, pid))
    with pytest.raises(FileRejected, match="has no values"):
        commit_returns([replace(intake, messages=[])], demo_copy, user=OFFICER)
    assert fingerprint(demo_copy) == before
    counts = withdraw_return(return_id, demo_copy, user=OFFICER, reason="test")
    assert counts["values_withdrawn"] > 0
