import io
import json

import pandas as pd

from analytics.cli import main


def run(capsys, *args):
    # the demo warehouse holds its county and three more districts: name the partnership
    code = main([*args, "--partnership", "WVP"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test__status__csv_has_the_documented_columns_for_every_indicator(demo_warehouse, capsys):
    code, out, _ = run(capsys, "--warehouse", str(demo_warehouse), "status", "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    for column in (
        "indicator_code",
        "period",
        "actual_value",
        "target_value",
        "rag_status",
        "rag_reason",
        "dot_previous",
        "dot_last_year",
    ):
        assert column in frame.columns
    assert len(frame) == 45
    assert set(frame["rag_status"]) <= {
        "green",
        "amber",
        "red",
        "missing",
        "no_target",
        "no_new_data",
    }


def test__status__exceptions_for_a_theme_and_period_spelt_as_in_returns(demo_warehouse, capsys):
    code, out, _ = run(
        capsys,
        "--warehouse",
        str(demo_warehouse),
        "status",
        "--period",
        "Q2 09/10",
        "--theme",
        "Economic success",
        "--exceptions",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert rows and {r["rag_status"] for r in rows} <= {"amber", "red", "missing"}
    assert {r["period"] for r in rows} <= {"2009/10 Q2", "2008/09"}


def test__status__table_is_readable_and_bad_theme_is_usage_error(demo_warehouse, capsys):
    code, out, _ = run(capsys, "--warehouse", str(demo_warehouse), "status")
    assert code == 0
    assert out.startswith("Status as at 2010/11 Q4 (45 indicators)")
    assert "NI 191" in out
    code, _, err = run(capsys, "--warehouse", str(demo_warehouse), "status", "--theme", "Zoo")
    assert code == 2 and "no theme group 'Zoo'" in err
