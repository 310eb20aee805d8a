"""`lsp status` carries the SPC reading as at the period, from the values up to it."""

import io
import json

import duckdb
import pandas as pd

from analytics.cli import main
from analytics.status.spc import period_orders, spc_summary

SPC = ("spc_mean", "spc_lower_limit", "spc_upper_limit", "spc_trial_limits", "spc_point",
       "spc_variation", "spc_assurance")  # fmt: skip


def run(capsys, *args):
    code = main(list(args))
    return code, capsys.readouterr().out


def test__status__csv_has_the_spc_columns_with_their_codes(demo_warehouse, capsys):
    code, out = run(capsys, "--warehouse", str(demo_warehouse), "status", "--period",
                    "2010/11 Q3", "--format", "csv", "--partnership", "WVP")  # fmt: skip
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert set(SPC) <= set(frame.columns)
    assert set(frame["spc_trial_limits"]) <= {"true", "false", ""}
    assert set(frame["spc_point"]) <= {"", "common_cause", "beyond_limits", "trend",
                                       "two_of_three", "shift"}  # fmt: skip
    assert set(frame["spc_variation"]) <= {"", "common_cause", "improvement_high",
                                           "improvement_low", "concern_high", "concern_low",
                                           "neutral_high", "neutral_low"}  # fmt: skip
    assert set(frame["spc_assurance"]) <= {"", "consistent_pass", "consistent_fail",
                                           "hit_and_miss"}  # fmt: skip
    data_only = frame[frame["rag_status"] == "no_target"]
    assert (data_only["spc_assurance"] == "").all()


def test__status__spc_reading_is_as_at_the_period_from_values_up_to_it(demo_warehouse, capsys):
    period = "2009/10 Q4"
    code, out = run(capsys, "--warehouse", str(demo_warehouse), "status", "--period", period,
                    "--format", "json", "--partnership", "WVP")  # fmt: skip
    assert code == 0
    rows = {r["indicator_code"]: r for r in json.loads(out)}
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    values = con.execute(
        "SELECT i.code, i.polarity, s.period, s.actual_value, s.target_value"
        " FROM indicator_status s JOIN indicator i USING (indicator_id)"
        " JOIN partnership p USING (partnership_id) WHERE p.partnership_code = 'WVP'"
        " AND i.measure_type = 'snapshot' AND i.frequency = 'quarterly'"
        " AND s.period LIKE '%Q_' ORDER BY i.code, s.period_end"
    ).df()
    con.close()
    checked = 0
    for code_, part in values.groupby("code"):
        if code_ not in rows or rows[code_]["period"] != period:
            continue
        frame = pd.DataFrame({"series_id": code_, "period_order": period_orders(part["period"]),
                              "value": part["actual_value"], "polarity": part["polarity"],
                              "target_value": part["target_value"]})  # fmt: skip
        want = spc_summary(frame, as_of=int(period_orders([period])[0])).iloc[0]
        got = rows[code_]
        if pd.isna(part.loc[part["period"] == period, "actual_value"]).all():
            assert got["spc_point"] == ""
            continue
        assert abs(got["spc_mean"] - want["spc_mean"]) < 1e-9
        if pd.notna(want["spc_upper_limit"]):
            assert abs(got["spc_upper_limit"] - want["spc_upper_limit"]) < 1e-9
            assert abs(got["spc_lower_limit"] - want["spc_lower_limit"]) < 1e-9
        assert got["spc_trial_limits"] == bool(want["spc_trial_limits"])
        assert got["spc_point"] == want["spc_point"]
        assert got["spc_variation"] == want["spc_variation"]
        assert got["spc_assurance"] == want["spc_assurance"]
        checked += 1
    assert checked >= 10
