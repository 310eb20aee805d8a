"""The collection's chart, defined once: completeness and timeliness of returns per quarter
(a Vega-Lite spec, like :mod:`analytics.charts.spec`), and the same in words.

Completeness = returns received / expected; timeliness = received by the due date / expected.
Each bar carries its percentage as text, and the legend names the measure: colour is never
the only way to tell them apart.
"""

from __future__ import annotations

import pandas as pd

from analytics.vocabulary import BLUE, ORANGE

MEASURES = {"completeness_pct": "Completeness", "timeliness_pct": "Timeliness"}
COLOURS = {"Completeness": BLUE.fill, "Timeliness": ORANGE.fill}


def collection_rates(rates: pd.DataFrame, title: str = "Returns received and on time") -> dict:
    """Grouped bars per quarter: completeness and timeliness, 0-100%."""
    long = [
        {"period": row["period"], "measure": word, "pct": round(float(row[column]), 1),
         "detail": f"{int(row['received'] if column == 'completeness_pct' else row['on_time'])}"
                   f" of {int(row['expected'])}"}
        for row in rates.to_dict("records")
        for column, word in MEASURES.items()
        if row[column] is not None and not pd.isna(row[column])
    ]  # fmt: skip
    order = list(rates["period"])
    x = {"field": "period", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelAngle": 0}}  # fmt: skip
    y = {"field": "pct", "type": "quantitative", "title": "% of returns expected",
         "scale": {"domain": [0, 100]}}  # fmt: skip
    colour = {"field": "measure", "type": "nominal", "title": None,
              "scale": {"domain": list(COLOURS), "range": list(COLOURS.values())},
              "legend": {"orient": "bottom"}}  # fmt: skip
    return {
        "data": {"values": long},
        "encoding": {"x": x, "xOffset": {"field": "measure", "sort": list(COLOURS)}, "y": y},
        "layer": [
            {
                "mark": "bar",
                "encoding": {
                    "color": colour,
                    "tooltip": [
                        {"field": "period", "title": "Quarter"},
                        {"field": "measure"},
                        {"field": "pct", "title": "%"},
                        {"field": "detail", "title": "Returns"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "dy": -6, "fontSize": 11},
                "encoding": {
                    "text": {"field": "pct", "type": "quantitative", "format": ".0f"},
                    "color": {"value": "#0b0c0c"},
                },
            },
        ],  # fmt: skip
        "height": 200,  # the plot; axes and legend around it (fit the width only)
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "title": title,
    }


def rates_sentence(rates: pd.DataFrame) -> str:
    """The chart in words: the latest quarter's figures and the span shown."""
    shown = rates.dropna(subset=["completeness_pct"])
    if shown.empty:
        return "No quarter with returns expected is shown."
    last = shown.iloc[-1]
    words = (
        f"In {last['period']}, {int(last['received'])} of {int(last['expected'])} returns "
        f"expected have arrived ({last['completeness_pct']:.0f}% complete) and "
        f"{int(last['on_time'])} arrived by the due date ({last['timeliness_pct']:.0f}% on time)."
    )
    if len(shown) > 1:
        mean = shown["timeliness_pct"].mean()
        words += (f" Over the {len(shown)} quarters shown, from {shown.iloc[0]['period']}, "
                  f"{mean:.0f}% of returns arrived on time on average.")  # fmt: skip
    return words
