"""The history checks of validation: a value far outside its usual quarterly change, and a
cumulative value that went down within the year, judged on the values already loaded
followed by the file's own (a wide file carries its own history)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.ingest.check import check_return
from analytics.periods import make_code

QUARTERS = [make_code(2006, "quarter", q) for q in range(1, 5)] + [
    make_code(2007, "quarter", q) for q in range(1, 5)
]
HEADINGS = [f"Q{make_code(2006, 'quarter', 1)[-1]} 06/07", "Q2 06/07", "Q3 06/07", "Q4 06/07",
            "Q1 07/08", "Q2 07/08", "Q3 07/08", "Q4 07/08"]  # fmt: skip


def _moved(check) -> list:
    return [m for m in check.warnings if "far more than usual" in m.text]


def _wide(tmp_path, rows: list[list]) -> object:
    path = tmp_path / "wide.csv"
    lines = ["Ref," + ",".join(HEADINGS)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test__history__a_wide_files_own_quarters_are_its_history(tmp_path, known_indicators):
    path = _wide(
        tmp_path,
        [["NI 20", 10, 11, 10, 11, 10, 11, 10, 40],  # steady, then a jump in the last quarter
         ["NI 1", 50, 51, 50, 51, 50, 51, 50, 51]],
    )  # fmt: skip
    check = check_return(
        path, known_indicators=known_indicators, return_period=None, today=date(2009, 1, 1)
    )
    [moved] = _moved(check)
    assert moved.cell == "I2"  # NI 20's row, the Q4 07/08 column
    assert "moved from 10 to 40" in moved.text and "±1 a quarter" in moved.text


def test__history__loaded_values_come_before_the_file(tmp_path, known_indicators):
    previous = pd.DataFrame(
        {
            "indicator_code": ["NI 20"] * 6,
            "period": QUARTERS[:6],
            "actual_value": [10.0, 11.0, 10.0, 11.0, 10.0, 11.0],
        }
    )
    quiet, jump = tmp_path / "quiet.csv", tmp_path / "jump.csv"
    quiet.write_text("Period,Ref,Actual\n2007/08 Q3,NI 20,12\n")
    jump.write_text("Period,Ref,Actual\n2007/08 Q3,NI 20,20\n")
    options = {
        "known_indicators": known_indicators,
        "previous_values": previous,
        "return_period": QUARTERS[6],
        "today": date(2009, 1, 1),
    }
    assert _moved(check_return(quiet, **options)) == []
    [moved] = _moved(check_return(jump, **options))
    assert moved.cell == "C2" and "moved from 11 to 20" in moved.text


def test__history__a_long_history_judges_alike(tmp_path, known_indicators):
    """Over 200 quarters for one indicator takes pandas' expanding median, not the grid."""
    quarters = [make_code(y, "quarter", q) for y in range(1950, 2007) for q in range(1, 5)]
    previous = pd.DataFrame(
        {
            "indicator_code": "NI 20",
            "period": quarters,
            "actual_value": [10.0 + (i % 2) for i in range(len(quarters))],
        }
    )
    jump = tmp_path / "jump.csv"
    jump.write_text("Period,Ref,Actual\n2007/08 Q1,NI 20,20\n")
    quiet = tmp_path / "quiet.csv"
    quiet.write_text("Period,Ref,Actual\n2007/08 Q1,NI 20,12\n")
    options = {
        "known_indicators": known_indicators,
        "previous_values": previous,
        "return_period": "2007/08 Q1",
        "today": date(2009, 1, 1),
    }
    assert len(quarters) > 200
    [moved] = _moved(check_return(jump, **options))
    assert "moved from 11 to 20" in moved.text and "±1 a quarter" in moved.text
    assert _moved(check_return(quiet, **options)) == []


def test__history__cumulative_fall_within_the_year_is_flagged_not_a_restart(
    tmp_path, known_indicators
):
    previous = pd.DataFrame(
        {
            "indicator_code": ["LOC 7"] * 4,
            "period": QUARTERS[:4],
            "actual_value": [10.0, 20.0, 30.0, 40.0],  # a year's running total
        }
    )
    options = {"known_indicators": known_indicators, "previous_values": previous,
               "today": date(2009, 1, 1)}  # fmt: skip
    restart = tmp_path / "restart.csv"  # Q1 starts the year again: no message
    restart.write_text("Period,Ref,Actual\n2007/08 Q1,LOC 7,8\n")
    check = check_return(restart, return_period="2007/08 Q1", **options)
    assert not [m for m in check.warnings if "cumulative" in m.text]
    assert _moved(check) == []  # year-to-date moves are not judged as quarterly changes
    went_down = tmp_path / "down.csv"
    went_down.write_text("Period,Ref,Actual\n2006/07 Q4,LOC 7,25\n")
    check = check_return(went_down, return_period="2006/07 Q4", **options)
    [down] = [m for m in check.warnings if "cumulative but went down" in m.text]
    assert "from 30 in 2006/07 Q3" in down.text
