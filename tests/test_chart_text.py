"""Charts in words: the sentence and the table behind each chart (analytics.charts.text)."""

from io import StringIO

import pandas as pd

from analytics.charts import text as chart_text

HEAD = "code,unit,decimals,polarity,measure_type,period,actual_value,target_value,rag_status"
SNAPSHOT = f"""{HEAD},rag_reason,commentary
NI 16,%,1,lower,snapshot,2009/10 Q3,12.0,11.0,red,over,Burglary up
NI 16,%,1,lower,snapshot,2009/10 Q4,11.5,11.0,amber,over a little,
NI 16,%,1,lower,snapshot,2010/11 Q1,10.9,11.0,green,met,Back on track
NI 16,%,1,lower,snapshot,2010/11 Q2,10.4,11.0,green,met,
"""

CUMULATIVE = f"""{HEAD}
NI 191,kg,0,lower,cumulative,2008/09 Q3,470,460,amber
NI 191,kg,0,lower,cumulative,2008/09 Q4,640,610,red
NI 191,kg,0,lower,cumulative,2009/10 Q1,150,152,green
NI 191,kg,0,lower,cumulative,2009/10 Q4,598,610,green
"""


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(StringIO(text))


def test__trend_sentence__snapshot_says_direction_latest_against_target_and_spread():
    text = chart_text.trend_sentence(frame(SNAPSHOT))
    assert text == (
        "NI 16 (lower is better) fell from 12.0% in 2009/10 Q3 to 10.4% in 2010/11 Q2; "
        "latest, 2010/11 Q2: 10.4% against a target of 11.0% (✔ Green); "
        "green in 2 of 4 quarters, amber in 1, red in 1."
    )


def test__trend_sentence__cumulative_compares_full_year_totals():
    text = chart_text.trend_sentence(frame(CUMULATIVE))
    assert "the full-year total fell from 640 kg in 2008/09 to 598 kg in 2009/10" in text
    assert "latest, 2009/10 Q4: 598 kg against a target of 610 kg (✔ Green)" in text


def test__trend_sentence__one_value_no_target_and_no_values():
    one = frame(SNAPSHOT).iloc[[0]].assign(target_value=float("nan"), rag_status="no_target")
    text = chart_text.trend_sentence(one)
    assert "one value so far, 12.0% in 2009/10 Q3" in text
    assert "with no target (– No target)" in text
    assert "no target in 1 of 1 quarters" in text
    blank = frame(SNAPSHOT).assign(actual_value=float("nan"), rag_status="missing")
    assert (
        chart_text.trend_sentence(blank) == "NI 16 (lower is better): no values yet for 4 quarters."
    )
    assert chart_text.trend_sentence(frame(SNAPSHOT).iloc[0:0]) == "No values yet."


def test__trend_sentence__level_when_equal_at_the_indicators_decimals():
    flat = frame(SNAPSHOT).assign(actual_value=[10.01, 10.0, 10.02, 10.04])
    assert chart_text.trend_sentence(flat).startswith(
        "NI 16 (lower is better) stayed the same from 10.0% in 2009/10 Q3 to 10.0% in 2010/11 Q2"
    )


def test__small_multiples_sentence__latest_status_per_indicator():
    both = pd.concat([frame(SNAPSHOT), frame(CUMULATIVE)], ignore_index=True)
    text = chart_text.small_multiples_sentence(both)
    assert text.startswith("2 indicators, each its actual values against its target")
    assert "green 2 (NI 16, NI 191)" in text
    assert len(chart_text.trend_sentences(both)) == 2


def test__status_bars_sentence__counts_per_theme_and_overall():
    counts = pd.DataFrame(
        {"red": [2, 0], "amber": [1, 0], "green": [3, 4], "missing": [0, 2], "total": [6, 6]},
        index=pd.Index(["Safer", "Healthier"], name="theme"),
    )
    assert chart_text.status_bars_sentence(counts, "2010/11 Q4") == (
        "Indicators by status for each theme group as at 2010/11 Q4: Safer 2 red, 1 amber, "
        "3 green; Healthier 2 missing, 4 green. In all 12 indicators: 2 red, 1 amber, "
        "2 missing, 7 green."
    )


def test__trend_table__words_units_commentary_and_comparators_at_q4():
    comparators = pd.DataFrame(
        {"code": ["NI 191"], "period": ["2008/09"], "comparator": ["england"],
         "comparator_value": [650.0]}
    )  # fmt: skip
    table = chart_text.trend_table(frame(CUMULATIVE), comparators)
    assert list(table.columns) == [
        "Code", "Period", "Actual", "Target", "Status", "Why", "Commentary", "England",
    ]  # fmt: skip
    assert table.loc[1, "Actual"] == "640 kg" and table.loc[1, "Status"] == "✖ Red"
    assert table.loc[1, "England"] == "650 kg" and table.loc[0, "England"] == ""
    snapshot = chart_text.trend_table(frame(SNAPSHOT))
    assert snapshot.loc[0, "Commentary"] == "Burglary up" and snapshot.loc[1, "Commentary"] == ""
