"""The annual report's chart: targets met by year over the strategy period (Vega-Lite),
rendered to PNG for Word and SVG for HTML by vl-convert."""

from __future__ import annotations

from analytics.reports.annual.data import AnnualReport

# GOV.UK tag fills (readable beside their words in the legend)
_COLOURS = {"On target": "#00703c", "Just off target": "#ffdd00", "Off target": "#aa2a16"}


def targets_met_spec(report: AnnualReport) -> dict:
    rows = []
    for y in report.by_year:
        for label, n in (("On target", y["met"]), ("Just off target", y["amber"]),
                         ("Off target", y["red"])):  # fmt: skip
            rows.append({"year": y["year"], "status": label, "indicators": n})
    return {
        "data": {"values": rows},
        "width": 480,
        "height": 220,
        "mark": {"type": "bar", "stroke": "#0b0c0c", "strokeWidth": 0.5},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": "Financial year",
                  "axis": {"labelAngle": 0}},
            "y": {"field": "indicators", "type": "quantitative", "title": "Indicators"},
            "color": {"field": "status", "type": "nominal", "title": "Year-end status",
                      "scale": {"domain": list(_COLOURS), "range": list(_COLOURS.values())},
                      "legend": {"orient": "bottom"}},
            "order": {"field": "status", "sort": "descending"},
        },
        "config": {"font": "Arial", "view": {"stroke": None}},
    }  # fmt: skip


def targets_met_png(report: AnnualReport) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(targets_met_spec(report), scale=2)
