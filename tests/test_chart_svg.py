"""The static renderer draws the charts' own Vega-Lite specs: every point, line, band and
legend entry the spec asks for, text escaped, and nothing it cannot draw."""

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from analytics import charts, labels
from analytics.charts import svg as chart_svg
from tests.test_charts import values

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{NS}text")]


def test__trend__one_symbol_per_figure_shaped_by_status_and_a_legend_with_shapes():
    spec = charts.trend(values())
    svg = charts.to_svg(spec, width=500)
    root = parse(svg)
    # symbols are outlined in dark grey: three figures and two legend entries
    fills = [p.get("fill") for p in root.iter(f"{NS}path") if p.get("stroke") == "#333333"]
    assert fills.count(labels.STATUS_COLOUR["green"]) == 3  # two points, one legend symbol
    assert fills.count(labels.STATUS_COLOUR["amber"]) == 2
    assert labels.STATUS["amber"] in texts(svg) and labels.STATUS["green"] in texts(svg)
    assert "Status" in texts(svg)
    # periods on the axis in the spec's order
    axis = [t for t in texts(svg) if t.startswith("2009/10")]
    assert axis == ["2009/10 Q1", "2009/10 Q2", "2009/10 Q3"]


def test__trend__a_missing_figure_breaks_the_line_instead_of_joining_across_it():
    gap = values().copy()
    gap = pd.concat([gap, gap.assign(period=["2010/11 Q1", "2010/11 Q2", "2010/11 Q3"])])
    gap["actual_value"] = [44.0, None, 50.0, 51.0, 52.0, 53.0]
    gap = gap.reset_index(drop=True)
    spec = charts.trend(gap)
    svg = charts.to_svg(spec, width=500)
    actual = [p.get("d") for p in parse(svg).iter(f"{NS}path")
              if p.get("stroke") == charts.ACTUAL_COLOUR]  # fmt: skip
    assert len(actual) == 1 and actual[0].count("M") == 2  # two runs: Q1, then Q3 onwards


def test__trend__step_target_and_its_amber_band_hold_each_value_until_the_next():
    spec = charts.trend(values())
    svg = charts.to_svg(spec, width=500)
    target = [p.get("d") for p in parse(svg).iter(f"{NS}path")
              if p.get("stroke") == charts.TARGET_COLOUR]  # fmt: skip
    assert len(target) == 1 and "H" in target[0] and "V" in target[0]
    band = [p for p in parse(svg).iter(f"{NS}path") if p.get("opacity") == "0.2"]
    assert len(band) == 1


def test__status_by_theme__a_bar_per_count_stacked_with_its_number():
    counts = pd.DataFrame({"red": [2, 0], "amber": [1, 3], "green": [0, 4]}, index=["A", "B"])
    svg = charts.to_svg(charts.status_by_theme(counts), width=400)
    bars = list(parse(svg).iter(f"{NS}rect"))[1:]  # after the background
    assert len(bars) == 4  # A: red, amber; B: amber, green
    a_red, a_amber = bars[0], bars[1]
    assert float(a_red.get("width")) == pytest.approx(2 * float(a_amber.get("width")), rel=0.01)
    assert float(a_amber.get("x")) == pytest.approx(
        float(a_red.get("x")) + float(a_red.get("width")), abs=0.2
    )
    assert {"1", "2", "3", "4"} <= set(texts(svg))


def test__text_is_escaped_and_control_characters_never_reach_the_svg():
    counts = pd.DataFrame({"red": [1]}, index=["<script>alert(1)</script> & co\x07"])
    svg = charts.to_svg(charts.status_by_theme(counts, title="<b>x</b>"), width=400)
    parse(svg)  # well-formed
    assert "<script>" not in svg and "<b>" not in svg and "\x07" not in svg
    assert "&lt;script&gt;" in svg


def test__long_category_labels_are_cut_to_the_axis_label_limit_with_an_ellipsis():
    counts = pd.DataFrame({"green": [1]}, index=["A theme group with a very long name " * 4])
    svg = charts.to_svg(charts.status_by_theme(counts), width=400)
    label = next(t for t in texts(svg) if t.startswith("A theme"))
    assert label.endswith("…") and chart_svg.text_width(label, chart_svg.LABEL_SIZE) <= 260


@pytest.mark.parametrize(
    "spec",
    [
        {"mark": "arc", "encoding": {"theta": {"field": "a", "type": "quantitative"}}},
        {"data": {"url": "https://example.org/x.csv"}, "mark": "point"},
        {"mark": "point", "facet": {"field": "a"}},
        {"data": {"values": [{"a": 1, "b": 2}]}, "mark": "point",
         "encoding": {"x": {"field": "a", "type": "quantitative"},
                      "y": {"field": "b", "type": "quantitative"}}},
    ],
)  # fmt: skip
def test__a_spec_it_cannot_draw_is_refused_not_drawn_wrong(spec):
    with pytest.raises(chart_svg.Unsupported):
        chart_svg.render(spec)


def test__ticks_are_round_numbers_covering_the_data():
    spec = charts.trend(values())
    svg = charts.to_svg(spec, width=500)
    ticks = [float(t.replace(",", "")) for t in texts(svg) if re.fullmatch(r"[\d,.]+", t)]
    assert min(ticks) <= 40.0 and max(ticks) >= 50.0  # the baseline 40 and the top figure 50
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and next(iter(steps)) in (1, 2, 2.5, 5, 10)


def test__custom_symbol_paths_scale_like_vega_shapes():
    path = chart_svg.symbol_path(charts.CROSS_X, 100)  # within -1..1, scaled by sqrt(100)/2
    numbers = [abs(float(n)) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    assert max(numbers) == pytest.approx(5.0)


def test__a_chart_with_no_figures_says_so_instead_of_failing():
    empty = values().iloc[0:0]
    svg = charts.to_svg(charts.trend(empty), width=300)
    assert texts(svg) == ["No figures to show yet"]
    counts = pd.DataFrame({"red": [0], "green": [0]}, index=["A"])
    assert "No figures" in charts.to_svg(charts.status_by_theme(counts), width=300)


def test__a_card_labels_a_few_periods_the_latest_always_and_keeps_every_point():
    long = pd.concat(
        [values().assign(period=[f"{y}/{str(y + 1)[2:]} Q{q}" for q in (1, 2, 3)])
         for y in range(2001, 2011)], ignore_index=True,
    )  # fmt: skip
    spec = charts.card(charts.trend(long, height=160), most_labels=6)
    svg = charts.to_svg(spec, width=330)
    labelled = [t for t in texts(svg) if re.fullmatch(r"\d{4}/\d\d Q\d", t)]
    assert 3 <= len(labelled) <= 6 and labelled[-1] == "2010/11 Q3"
    points = [p for p in parse(svg).iter(f"{NS}path") if p.get("stroke") == "#333333"]
    assert len(points) >= 30  # every figure still drawn (30, and the legend's)
    full = charts.trend(long)
    assert all(
        "values" not in layer["encoding"].get("x", {}).get("axis", {}) for layer in full["layer"]
    )
