"""Charts carry words as well as colours, escape names, and show what they claim."""

import pandas as pd

from analytics import charts, labels
from analytics.charts import spec


def values(polarity="higher", measure="snapshot"):
    return pd.DataFrame({
        "code": "NI 1", "title": "Test", "unit": "%", "decimals": 1, "polarity": polarity,
        "measure_type": measure, "baseline_value": 40.0, "status_rule": "pct_tolerance",
        "amber_tolerance_pct": 5.0, "amber_tolerance_abs": None, "minimum_standard": None,
        "period": ["2009/10 Q1", "2009/10 Q2", "2009/10 Q3"],
        "actual_value": [44.0, 46.0, 50.0], "ytd_value": None,
        "target_value": [45.0, 45.0, 45.0], "rag_status": ["amber", "green", "green"],
        "rag_reason": ["r1", "r2", "r3"], "commentary": ["<b>c</b>", None, "c3"],
    })  # fmt: skip


def test__status_bars__every_segment_has_its_count_the_legend_its_words_names_escaped():
    counts = pd.DataFrame(
        {"red": [2, 0], "amber": [1, 3], "green": [0, 4]}, index=["<script>x</script>", "Health"]
    )
    svg = charts.to_svg(charts.status_by_theme(counts, title=""), width=520)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    for status in ("red", "amber", "green"):
        assert labels.STATUS[status] in svg  # the legend's words
    assert ">2<" in svg and ">3<" in svg and ">4<" in svg  # each segment's count


def test__trend__has_target_band_status_legend_and_tooltip_commentary():
    spec = charts.trend(values())
    text = str(spec)
    assert "band_low" in text and "target_value" in text
    assert labels.STATUS["amber"] in text and labels.STATUS["green"] in text
    assert "commentary" in text


def test__trend__amber_band_sits_below_target_when_higher_is_better():
    low, high = spec._amber_band(values())
    assert list(high) == [45.0, 45.0, 45.0] and list(low) == [42.75, 42.75, 42.75]
    low, high = spec._amber_band(values("lower"))
    assert list(low) == [45.0, 45.0, 45.0] and list(high) == [47.25, 47.25, 47.25]


def test__small_multiples__a_compact_trend_per_indicator_titled_with_status_one_legend():
    from analytics.charts.figure import figure

    four = pd.concat([values().assign(code=f"NI {n}") for n in (1, 2, 3, 4)], ignore_index=True)
    spec = charts.small_multiples(four, columns=3)
    assert [len(row["hconcat"]) for row in spec["vconcat"]] == [3, 1]
    panels = [panel for row in spec["vconcat"] for panel in row["hconcat"]]
    assert [p["title"]["text"] for p in panels] == [f"NI {n}  ✔ Green" for n in (1, 2, 3, 4)]
    assert {p["title"]["subtitle"] for p in panels} == {"Test"}
    # the same chart as the Indicator page's trend, layer by layer, only smaller
    one = charts.trend(values())
    assert [layer["mark"] for layer in panels[0]["layer"]] == [m["mark"] for m in one["layer"]]
    drawn = figure(spec)  # one plotly figure: an axis pair a panel, one legend for all
    assert {k for k in drawn["layout"] if k.startswith("xaxis")} == {
        "xaxis", "xaxis2", "xaxis3", "xaxis4"}  # fmt: skip
    shown = [t["name"] for t in drawn["data"] if t.get("showlegend")]
    assert shown.count(labels.STATUS["amber"]) == 1 and labels.STATUS["green"] in shown
    assert any("NI 4" in a["text"] for a in drawn["layout"]["annotations"])


def test__small_multiples__no_values_draws_an_empty_chart():
    assert charts.small_multiples(values().iloc[0:0])["data"] == {"values": []}


def test__trend__renders_to_svg_and_png_offline_with_escaped_text():
    spec = charts.trend(values(), title="<script>x</script>")
    svg = charts.to_svg(spec, width=400)
    assert svg.lstrip().startswith("<svg") and "<script>" not in svg
    assert labels.STATUS["amber"] in svg  # the legend's word
    assert charts.trend_svg(values()).lstrip().startswith("<svg")
    png = charts.to_png(spec, width=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test__status_by_theme__labels_every_segment_and_words_the_legend():
    counts = pd.DataFrame({"red": [2, 0], "amber": [1, 3], "green": [0, 4]}, index=["A", "B"])
    spec = charts.status_by_theme(counts)
    svg = charts.to_svg(spec, width=500)
    for status in ("red", "amber", "green"):
        assert labels.STATUS[status] in svg
    values_drawn = spec["data"]["values"]
    assert sorted(v["count"] for v in values_drawn) == [1, 2, 3, 4]


def test__to_png__draws_the_text_of_the_chart_in_a_system_font():
    import io

    from PIL import Image

    spec = charts.trend(values(), title="Title drawn in the PNG")
    image = Image.open(io.BytesIO(charts.to_png(spec, width=400, scale=1))).convert("L")
    band = image.crop((0, 0, image.width, 22))  # the title's band, above the plot
    assert band.getextrema()[0] < 100  # dark glyphs, not an empty white band
