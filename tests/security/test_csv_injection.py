"""Every CSV the product writes neutralises cells a spreadsheet would run as a formula.

The red team's attempt: a return's file name (chosen by whoever sent it) went into
``lsp audit --format csv`` and the Audit page's CSV unescaped, so
``=1+2+cmd|' -C calc'!A0.xlsx`` became a formula in the administrator's Excel. Each CSV
the product writes is tried: the audit trail, ``lsp status``, ``lsp user list``,
``lsp recommendations list`` and the public site's open data.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from analytics.cli import main
from analytics.reports.writers.csv_file import FORMULA_STARTS, frame_to_csv, rows_to_csv
from analytics.site import datasets
from analytics.warehouse.scrutiny import record_recommendation
from tests.conftest import ACTING
from tests.security.conftest import SAFER, demo_pid

HOSTILE = "=1+2+cmd|' -C calc'!A0"
PAYLOADS = [HOSTILE, "+SUM(1)", "-2+3", "@SUM(1)", "\tx", "\rx"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _no_formula(text: str) -> None:
    """No text cell starts like a formula (a number such as -12 is a number)."""
    risky = [c for c in _cells(text) if c.startswith(FORMULA_STARTS) and not _is_number(c)]
    assert not risky, risky


@pytest.mark.parametrize("payload", PAYLOADS)
def test__frame_to_csv__text_starting_like_a_formula_gets_a_leading_apostrophe(payload):
    table = pd.DataFrame({"text": [payload, "plain"], "number": [-12.5, 3.0]})
    text = frame_to_csv(table)
    _no_formula(text)
    assert "'" + payload in _cells(text) and "-12.5" in _cells(text)  # a number stays one


def test__rows_to_csv__and_the_sites_open_data_neutralise_text_but_not_numbers():
    text = rows_to_csv(["=header"], [[HOSTILE], [-4]])
    assert _cells(text) == ["'=header", "'" + HOSTILE, "-4"]
    dataset = datasets.BY_SLUG[next(iter(datasets.BY_SLUG))]
    row = [HOSTILE] + [None] * (len(dataset.columns) - 1)
    _no_formula(datasets.to_csv(dataset, [row]))


def test__audit_csv__a_hostile_file_name_is_text_not_a_formula(demo_copy, tmp_path, capsys):
    hostile = tmp_path / f"{HOSTILE}.csv"
    hostile.write_text(
        f"{SAFER}\nPerformance return 2011/12 Q1\n\n"
        'PI code,Measure,Outturn,Comments\nNI 32,Repeat incidents,14.5,=HYPERLINK("x")\n'
    )
    assert main(["--warehouse", str(demo_copy), "import", "--partnership", "WVP",
                 str(hostile)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["--warehouse", str(demo_copy), "audit", "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert f"'{HOSTILE}.csv" in _cells(text)
    _no_formula(text)


def test__status_user_and_recommendation_csvs__neutralise_text(demo_copy, tmp_path, capsys):
    hostile = tmp_path / "safer.csv"
    hostile.write_text(
        f"{SAFER}\nPerformance return 2011/12 Q1\n\n"
        "PI code,Measure,Outturn,Comments\nNI 32,Repeat incidents,14.5,@SUM(1)\n"
    )
    assert main(["--warehouse", str(demo_copy), "import", "--partnership", "WVP",
                 str(hostile)]) == 0  # fmt: skip
    assert main(["--warehouse", str(demo_copy), "user", "add", "x@example.org",
                 "--name", "=HYPERLINK(\"http://x\")", "--role", "board"]) == 0  # fmt: skip
    record_recommendation(
        demo_copy, demo_pid(demo_copy), user=ACTING, review="+review", made_on=date(2011, 6, 1),
        text="-1+cmd", addressed_to="@board",
    )  # fmt: skip
    capsys.readouterr()
    for command in (["status", "--period", "2011/12 Q1", "--format", "csv", "--partnership",
                     "WVP"],
                    ["user", "list", "--format", "csv"],
                    ["recommendations", "list", "--format", "csv", "--partnership",
                     "WVP"]):  # fmt: skip
        assert main(["--warehouse", str(demo_copy), *command]) == 0
        text = capsys.readouterr().out
        assert text.count("\n") > 1
        _no_formula(text)
    # the hostile display name was written, neutralised
    assert main(["--warehouse", str(demo_copy), "user", "list", "--format", "csv"]) == 0
    assert '\'=HYPERLINK("http://x")' in _cells(capsys.readouterr().out)
