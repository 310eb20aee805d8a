"""The framework workbook's SPC settings (per partnership, per indicator) and rebases."""

import pandas as pd
import pytest

from analytics.framework.read import read_framework
from analytics.framework.workbook import write_framework
from analytics.messages import FileRejected
from analytics.warehouse.connection import reader
from analytics.warehouse.load import import_framework
from tests.conftest import table_counts
from tests.framework.test_framework_workbook import ACTING, small_framework


def with_spc(indicator: dict | None = None, partnership: dict | None = None, rebases=None):
    sheets = small_framework()
    sheets["Partnership"] = sheets["Partnership"].assign(**(partnership or {}))
    frame = sheets["Indicators"].copy().astype(object)
    for column, value in (indicator or {}).items():
        frame.loc[0, column] = value
    sheets["Indicators"] = frame
    if rebases is not None:
        sheets["SPC rebases"] = pd.DataFrame(rebases)
    return sheets


def test__import__spc_settings_per_partnership_and_indicator_and_rebases_are_stored(
    tmp_path, empty_warehouse
):
    sheets = with_spc(
        indicator={"spc_run_length": 6, "spc_screening": "no", "spc_fix_after_points": 12},
        partnership={"spc_run_length": 7, "spc_screening": "yes"},
        rebases=[{"code": "NI 191", "period": "2009/10 Q1", "reason": "New collection"}],
    )
    path = write_framework(tmp_path / "f.xlsx", sheets)
    counts = import_framework(read_framework(path), empty_warehouse, user=ACTING)
    assert counts["spc_rebases"] == 1
    cur = reader(empty_warehouse)
    assert cur.execute(
        "SELECT spc_run_length, spc_screen_outliers, spc_fix_after_points FROM indicator"
        " WHERE code = 'NI 191'"
    ).fetchall() == [(6, False, 12)]
    assert cur.execute(
        "SELECT spc_run_length, spc_screen_outliers, spc_fix_after_points FROM partnership"
        " WHERE partnership_code = 'TST'"
    ).fetchall() == [(7, True, None)]
    assert cur.execute(
        "SELECT i.code, r.period, r.reason FROM spc_rebase r JOIN indicator i USING (indicator_id)"
    ).fetchall() == [("NI 191", "2009/10 Q1", "New collection")]


@pytest.mark.parametrize(
    ("indicator", "rebases", "expected", "where"),
    [
        ({"spc_run_length": 8}, None, "a run of 6 or 7 points", "sheet 'Indicators', cell "),
        ({"spc_fix_after_points": 10}, None, "fewer than 12 points",
         "sheet 'Indicators', cell "),
        ({}, [{"code": "NI 999", "period": "2009/10 Q1", "reason": "x"}],
         "not in the framework", "sheet 'SPC rebases', cell A2"),
    ],
)  # fmt: skip
def test__import__bad_spc_setting_names_its_cell_and_writes_nothing(
    tmp_path, empty_warehouse, indicator, rebases, expected, where
):
    path = write_framework(tmp_path / "bad.xlsx", with_spc(indicator, rebases=rebases))
    before = table_counts(empty_warehouse)
    with pytest.raises(FileRejected) as caught:
        import_framework(read_framework(path), empty_warehouse, user=ACTING)
    assert expected in str(caught.value) and where in str(caught.value)
    assert table_counts(empty_warehouse) == before
