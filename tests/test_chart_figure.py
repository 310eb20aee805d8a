"""One chart definition, two renderers: the plotly figure (pages) and the static SVG (packs,
public site) draw the same points, limits and words."""

import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import charts, labels
from analytics.charts.figure import figure
from analytics.charts.spec import SPC_LINE_COLOUR, spc_marker_label
from analytics.status.spc_readings import chart_points

PERIODS = [f"{y}/{str(y + 1)[2:]} Q{q}" for y in range(2007, 2011) for q in range(1, 5)]


def series(values, polarity="lower", measure="snapshot"):
    n = len(values)
    return pd.DataFrame({
        "code": "NI 9", "title": "Test", "unit": "%", "decimals": 1, "polarity": polarity,
        "measure_type": measure, "frequency": "quarterly", "baseline_value": None,
        "status_rule": "pct_tolerance", "amber_tolerance_pct": 5.0, "amber_tolerance_abs": None,
        "minimum_standard": None, "period": PERIODS[:n], "actual_value": values,
        "period_value": values, "ytd_value": None, "target_value": [10.0] * n,
        "rag_status": ["green"] * (n - 1) + ["red"], "rag_reason": "why",
        "commentary": ["<script>alert(1)</script>"] + [None] * (n - 1),
    })  # fmt: skip


def one_special():
    values = series([10.1, 9.9, 10.0, 10.2, 9.8, 10.0, 10.1, 9.9, 10.0, 10.1, 9.9, 10.0, 13.0])
    points = chart_points(values, values.iloc[0].to_dict())
    return values, points


def test__figure__plotly_and_svg_draw_the_same_mean_limits_and_special_causes():
    values, points = one_special()
    assert points["spc_point"].astype(str).iloc[-1] == "beyond_limits"
    spec = charts.trend(values, spc=points)
    drawn = figure(spec)
    go.Figure(drawn)  # a valid plotly figure
    by_name = {t.get("name"): t for t in drawn["data"] if t.get("name")}
    assert np.allclose(by_name["Mean"]["y"], points["spc_mean"])
    assert np.allclose(by_name["Upper process limit"]["y"], points["spc_upper_limit"])
    assert np.allclose(by_name["Lower process limit"]["y"], points["spc_lower_limit"])
    label = spc_marker_label("beyond_limits", "concern_high")
    marker = by_name[label]
    assert marker["x"] == [PERIODS[12]] and marker["y"] == [13.0]
    assert marker["marker"]["symbol"] == "square-open"
    svg = charts.to_svg(spec)
    # the same three lines (one path each for the one baseline) and the ringed point, and
    # the same legend words
    assert len(re.findall(f'stroke="{SPC_LINE_COLOUR}"', svg)) == 3
    assert label in svg
    assert svg.count('fill="none" stroke="#D55E00" stroke-width="2"') == 2  # mark + legend


def test__figure__hover_in_words_and_text_from_returns_escaped():
    values, points = one_special()
    drawn = figure(charts.trend(values, spc=points))
    text = json.dumps(drawn)
    assert "<script>" not in text and "&lt;script&gt;" in text
    status = next(t for t in drawn["data"] if t.get("name") == labels.STATUS["green"])
    assert "<b>Status</b>" in status["hovertemplate"]
    assert "<b>Commentary</b>" in status["hovertemplate"]


def test__figure__status_bars_stacked_with_their_counts_and_words():
    counts = pd.DataFrame({"red": [2, 0], "amber": [1, 3], "green": [0, 4]},
                          index=["Safer", "Health"])  # fmt: skip
    drawn = figure(charts.status_by_theme(counts, title=""))
    go.Figure(drawn)
    assert drawn["layout"]["barmode"] == "stack"
    names = [t["name"] for t in drawn["data"]]
    assert names == [labels.STATUS[s] for s in ("red", "amber", "green")]
    red = drawn["data"][0]
    assert dict(zip(red["y"], red["x"], strict=True)) == {"Safer": 2}
    assert red["marker"]["color"] == labels.STATUS_COLOUR["red"]


def test__process_chart__cumulative_indicator_on_its_quarterly_increments():
    ytd = [10.0, 20.0, 31.0, 40.0, 9.0, 21.0, 30.0, 41.0, 10.0, 20.0, 30.0, 40.0]
    values = series(ytd, measure="cumulative").assign(period_value=np.nan)
    values["period_value"] = [ytd[0]] + [
        b - a if i % 4 else b for i, (a, b) in enumerate(zip(ytd, ytd[1:], strict=False), start=1)
    ]
    points = chart_points(values, values.iloc[0].to_dict())
    assert points["is_increment"].all()
    assert points["value"].tolist()[:4] == [10.0, 10.0, 11.0, 9.0]
    spec = charts.process_chart(points, values.iloc[0].to_dict())
    assert "Added in the quarter" in json.dumps(spec)
    drawn = figure(spec)
    assert np.allclose(next(t for t in drawn["data"] if t.get("name") == "Mean")["y"],
                       points["spc_mean"])  # fmt: skip
    assert charts.to_svg(spec).lstrip().startswith("<svg")
