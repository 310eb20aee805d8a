"""The chart specs: each chart defined once, as data and encodings in Vega-Lite's vocabulary
(a plain ``dict``; no Streamlit, no I/O). Two renderers of ours read a spec: the pages draw
it with plotly (:func:`analytics.charts.figure.figure`), every static medium as SVG
(:mod:`analytics.charts.svg`; PNG for Word through resvg), offline, without a browser.

- :func:`trend`: one indicator over time, with its statistical process control layers
  (:func:`spc_layers`) when given its chart points; :func:`process_chart` the XmR chart of a
  cumulative indicator's quarterly increments. The Indicator and Trends pages draw them;
  reports and the public site render the same spec to SVG (:func:`to_svg`,
  :func:`trend_svg`) or PNG (:func:`to_png`).
- :func:`status_by_theme`: status counts per theme group as stacked bars, for the packs and
  the Overview.
- :func:`small_multiples`: a whole theme's trends as one spec (rows of panels), a compact
  :func:`trend` per indicator (the Theme page, one plotly figure).

Every status colour comes with its word or symbol: in the legend, on the bar, in the tooltip.
"""

from __future__ import annotations

import copy
import re

import pandas as pd

from analytics import labels, periods
from analytics import vocabulary as V
from analytics.charts.svg import render
from analytics.charts.text import at_year_end, trend_sentence
from analytics.formatting import format_number

# red is an X like its symbol ✖ (a custom Vega shape, drawn within -1..1)
CROSS_X = "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z"
SHAPES = {"green": "circle", "amber": "diamond", "red": CROSS_X, "missing": "circle",
          "no_target": "square", "no_new_data": "circle"}  # fmt: skip
COMPARATOR_COLOUR = {"County": "#CC79A7", "England": "#56B4E9", "Neighbours": "#999999"}
ACTUAL_COLOUR = "#0072B2"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in SVG text
_DROP_CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


TARGET_COLOUR = "#444444"


# --- the indicator trend (Vega-Lite) ------------------------------------------------------


def _na(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _columns(values) -> dict[str, list]:
    """Column name to list: a frame's columns, or a mapping of lists as it is (the public
    site hands its published history over as lists; a frame of 40 rows costs 5 ms to make)."""
    if isinstance(values, pd.DataFrame):
        return {name: values[name].tolist() for name in values.columns}
    return values


def _floats(column) -> list[float | None]:
    return [None if _na(x) else float(x) for x in column]


def _texts(cols: dict[str, list], column: str) -> list[str]:
    if column not in cols:
        return [""] * len(cols["period"])
    return ["" if _na(t) else str(t).translate(_DROP_CONTROL) for t in cols[column]]


def _y(field: str, title: str | None) -> dict:
    return {"field": field, "type": "quantitative", "title": title, "scale": {"zero": False}}


def trend(
    values: pd.DataFrame | dict[str, list],
    comparators: pd.DataFrame | dict[str, list] | None = None,
    height: int = 380,
    title: str | None = None,
    status_words: dict[str, str] | None = None,
    spc: pd.DataFrame | None = None,
) -> dict:
    """One indicator over time as a Vega-Lite spec: actuals with points marked by status
    (shape and colour, the status word in the legend), the target (profiled and drawn year by
    year for cumulative measures), the amber band, the baseline, county and England
    comparators, commentary in the tooltip. ``values``: stored statuses of one indicator
    (``views.indicator_values``), oldest first, as a frame or a mapping of column lists.
    ``status_words``: the status labels (code to words), :data:`labels.STATUS` unless given
    (the public site words them for the public). ``spc``: the indicator's XmR chart points
    (:func:`analytics.status.spc_readings.chart_points`) add the mean, the process limits and
    the special-cause points (:func:`spc_layers`); a cumulative indicator is analysed on its
    quarterly increments, which :func:`process_chart` draws on a chart of their own.

    The spec is written as plain Vega-Lite (a dict), not through Altair: building it takes
    a millisecond, where Altair's objects took a tenth of a second per chart."""
    cols = _columns(values)
    period = [str(p) for p in cols.get("period", [])]
    if not period:
        return {"data": {"values": []}, "mark": "point", "height": height}
    meta = {name: column[0] for name, column in cols.items()}
    words = status_words or labels.STATUS
    unit, decimals = meta["unit"], int(meta["decimals"])
    cumulative = meta.get("measure_type") == "cumulative"

    def fmt(value) -> str:
        return format_number(value, unit, decimals)

    actual = _floats(cols["actual_value"])
    target = _floats(cols["target_value"])
    status = [str(x) for x in cols["rag_status"]]
    why = _texts(cols, "rag_reason")
    notes = _texts(cols, "commentary")
    band = _amber_band(cols)
    records = []
    for i, p in enumerate(period):
        rec = {"period": p, "segment": periods.year_of(p) if cumulative else "all",
               "status": words.get(status[i], status[i]), "actual": fmt(actual[i]),
               "target": fmt(target[i]), "why": why[i], "commentary": notes[i],
               "actual_value": actual[i], "target_value": target[i]}  # fmt: skip
        if band is not None:
            rec["band_low"], rec["band_high"] = band[0][i], band[1][i]
        records.append(rec)
    comp = None
    found = _columns(comparators) if comparators is not None else {}
    if found.get("period"):
        moved = _align_comparators(found["period"], set(period))
        comp = [
            {"period": p, "who": str(c).title(), "shown": fmt(x),
             "comparator_value": None if _na(x) else float(x)}
            for p, c, x in zip(moved, found["comparator"], found["comparator_value"],
                               strict=True)
        ]  # fmt: skip
    order = sorted(set(period) | {c["period"] for c in comp or []}, key=periods.sort_key)
    x = {"field": "period", "type": "ordinal", "sort": order, "title": None,
         "axis": {"labelAngle": -45}}  # fmt: skip
    y_title = unit or None
    detail = {"field": "segment", "type": "nominal"}
    layers: list[dict] = []
    if band is not None:
        layers.append({
            "mark": {"type": "area", "opacity": 0.2, "color": labels.STATUS_COLOUR["amber"],
                     "interpolate": "linear" if cumulative else "step-after"},
            "encoding": {"x": x, "y": _y("band_low", y_title), "y2": {"field": "band_high"},
                         "detail": detail},
        })  # fmt: skip
    if any(t is not None for t in target):
        layers.append({
            "mark": {"type": "line", "color": TARGET_COLOUR, "strokeDash": [6, 4],
                     "interpolate": "linear" if cumulative else "step-after"},
            "encoding": {"x": x, "y": _y("target_value", y_title), "detail": detail},
        })  # fmt: skip
    layers.append({
        "mark": {"type": "line", "color": ACTUAL_COLOUR},
        "encoding": {"x": x, "y": _y("actual_value", y_title), "detail": detail},
    })  # fmt: skip
    present = [s for s in V.STATUS_ORDER if s in set(status)]
    domain = [words.get(s, s) for s in present]
    tooltip = [{"field": f, "type": "nominal", "title": t} for f, t in (
        ("period", "Period"), ("actual", "Actual"), ("target", "Target"),
        ("status", "Status"), ("why", "Why"), ("commentary", "Commentary"))]  # fmt: skip
    layers.append({
        "mark": {"type": "point", "size": 110, "filled": True, "stroke": "#333333",
                 "strokeWidth": 1},
        "encoding": {
            "x": x, "y": _y("actual_value", y_title),
            "color": {"field": "status", "type": "nominal", "title": "Status",
                      "scale": {"domain": domain,
                                "range": [labels.STATUS_COLOUR[s] for s in present]},
                      "legend": {"orient": "bottom"}},
            "shape": {"field": "status", "type": "nominal", "title": "Status",
                      "scale": {"domain": domain, "range": [SHAPES[s] for s in present]},
                      "legend": None},
            "tooltip": tooltip,
        },
    })  # fmt: skip
    if not _na(meta.get("baseline_value")) and not cumulative:
        line = [{"baseline": float(meta["baseline_value"]),
                 "label": f"Baseline {fmt(meta['baseline_value'])}"}]  # fmt: skip
        layers.append({
            "data": {"values": line},
            "mark": {"type": "rule", "color": "#999999", "strokeDash": [2, 3]},
            "encoding": {"y": {"field": "baseline", "type": "quantitative"},
                         "tooltip": [{"field": "label", "type": "nominal"}]},
        })  # fmt: skip
    if comp is not None:
        who = sorted({c["who"] for c in comp})
        layers.append({
            "data": {"values": comp},
            "mark": {"type": "line", "point": True, "strokeDash": [2, 2]},
            "encoding": {
                "x": x, "y": _y("comparator_value", y_title),
                "color": {"field": "who", "type": "nominal", "title": "Comparator",
                          "scale": {"domain": who,
                                    "range": [COMPARATOR_COLOUR.get(w, "#999999") for w in who]},
                          "legend": {"orient": "bottom"}},
                "tooltip": [{"field": "who", "type": "nominal", "title": "Comparator"},
                            {"field": "period", "type": "nominal", "title": "Period"},
                            {"field": "shown", "type": "nominal", "title": "Value"}],
            },
        })  # fmt: skip
    if spc is not None and len(spc) and not cumulative:
        layers += spc_layers(spc, fmt, x, y_title)
    spec = {
        "data": {"values": records},
        "layer": layers,
        "resolve": {"scale": {"color": "independent", "shape": "independent"}},
        "height": height,
    }
    if title:
        spec["title"] = _CONTROL.sub("", title)
    return spec


# --- statistical process control: the XmR layers --------------------------------------------

SPC_LINE_COLOUR = "#595959"  # mean and process limits: 7:1 on white
SPC_COLOURS = {"improvement": "#0072B2", "concern": "#D55E00", "neutral": "#7B3294"}
SPC_SHAPES = {"beyond_limits": "square", "trend": "triangle-up", "two_of_three": "diamond",
              "shift": "circle"}  # fmt: skip
SPC_KIND_WORDS = {"beyond_limits": "beyond a process limit", "trend": "a trend",
                  "two_of_three": "two of three near a limit", "shift": "a shift"}  # fmt: skip
SPC_DIRECTION_WORDS = {"improvement": "Special cause, improving", "concern":
                       "Special cause, concerning", "neutral": "Special cause"}  # fmt: skip


def spc_marker_label(point: str, variation: str) -> str:
    """'Special cause, concerning: a trend': the legend's words for a special-cause point."""
    direction = str(variation).split("_")[0]
    return f"{SPC_DIRECTION_WORDS.get(direction, 'Special cause')}: {SPC_KIND_WORDS[point]}"


def spc_layers(points: pd.DataFrame, fmt, x: dict, y_title: str | None) -> list[dict]:
    """The XmR chart's layers over a trend: the mean (solid) and the process limits (dotted),
    stepping where a rebase restarts them, and each special-cause point ringed by a hollow
    symbol, its shape the rule (square: beyond a limit; triangle: a trend; diamond: two of
    three near a limit; circle: a shift) and its colour improving or concerning, with a
    legend in words and the reading in the tooltip."""
    from analytics.status.spc import spc_reasons

    reasons = spc_reasons(points).tolist()
    rows, special = [], []
    for i, r in enumerate(points.to_dict("records")):
        row = {"period": str(r["period"]), "baseline": str(r["spc_baseline"]),
               "spc_mean": _num(r["spc_mean"]), "spc_upper": _num(r["spc_upper_limit"]),
               "spc_lower": _num(r["spc_lower_limit"]), "mean": fmt(r["spc_mean"]),
               "limits": f"{fmt(r['spc_lower_limit'])} to {fmt(r['spc_upper_limit'])}"
               + (" (trial limits)" if r["spc_trial_limits"] else "")}  # fmt: skip
        rows.append(row)
        if str(r["spc_point"]) != "common_cause":
            special.append({"period": row["period"], "value": _num(r["value"]),
                            "shown": fmt(r["value"]), "reading": reasons[i],
                            "kind": spc_marker_label(str(r["spc_point"]),
                                                     str(r["spc_variation"]))})  # fmt: skip
    detail = {"field": "baseline", "type": "nominal"}
    line_tip = [{"field": "period", "type": "nominal", "title": "Period"},
                {"field": "mean", "type": "nominal", "title": "Mean"},
                {"field": "limits", "type": "nominal", "title": "Process limits"}]  # fmt: skip
    layers = [
        {"data": {"values": rows}, "name": "Mean",
         "mark": {"type": "line", "color": SPC_LINE_COLOUR, "strokeWidth": 1.5},
         "encoding": {"x": x, "y": _y("spc_mean", y_title), "detail": detail,
                      "tooltip": line_tip}},
        {"data": {"values": rows}, "name": "Upper process limit",
         "mark": {"type": "line", "color": SPC_LINE_COLOUR, "strokeWidth": 1.5,
                  "strokeDash": [2, 3]},
         "encoding": {"x": x, "y": _y("spc_upper", y_title), "detail": detail,
                      "tooltip": line_tip}},
        {"data": {"values": rows}, "name": "Lower process limit",
         "mark": {"type": "line", "color": SPC_LINE_COLOUR, "strokeWidth": 1.5,
                  "strokeDash": [2, 3]},
         "encoding": {"x": x, "y": _y("spc_lower", y_title), "detail": detail,
                      "tooltip": line_tip}},
    ]  # fmt: skip
    title = "Statistical process control"
    if special:
        present = list(dict.fromkeys(
            spc_marker_label(p, v) for p in SPC_SHAPES for v in SPC_DIRECTION_WORDS
            if any(s["kind"] == spc_marker_label(p, v) for s in special)
        ))  # fmt: skip
        colour = [SPC_COLOURS[_direction_of(k)] for k in present]
        shape = [SPC_SHAPES[_rule_of(k)] for k in present]
        layers.append({
            "data": {"values": special}, "name": "Special cause",
            "mark": {"type": "point", "size": 330, "filled": False, "strokeWidth": 2.5},
            "encoding": {
                "x": x, "y": _y("value", y_title),
                "color": {"field": "kind", "type": "nominal", "title": title,
                          "scale": {"domain": present, "range": colour},
                          "legend": {"orient": "bottom", "columns": 1}},
                "shape": {"field": "kind", "type": "nominal", "title": title,
                          "scale": {"domain": present, "range": shape}, "legend": None},
                "tooltip": [{"field": "period", "type": "nominal", "title": "Period"},
                            {"field": "shown", "type": "nominal", "title": "Value"},
                            {"field": "kind", "type": "nominal", "title": "Special cause"},
                            {"field": "reading", "type": "nominal", "title": "Reading"}],
            },
        })  # fmt: skip
    return layers


def _direction_of(label: str) -> str:
    return next(d for d, w in SPC_DIRECTION_WORDS.items() if label.startswith(w + ":"))


def _rule_of(label: str) -> str:
    return next(p for p, w in SPC_KIND_WORDS.items() if label.endswith(": " + w))


def _num(value) -> float | None:
    return None if _na(value) else float(value)


def process_chart(points: pd.DataFrame, meta: dict, height: int = 300) -> dict:
    """A cumulative indicator's XmR chart, on each quarter's own increment (what it added to
    the year): the increments as a line with points, the mean, the process limits and the
    special-cause points (:func:`spc_layers`)."""
    unit, decimals = meta.get("unit") or "", int(meta.get("decimals") or 1)

    def fmt(value) -> str:
        return format_number(value, unit, decimals)

    order = [str(p) for p in points["period"]]
    x = {"field": "period", "type": "ordinal", "sort": order, "title": None,
         "axis": {"labelAngle": -45}}  # fmt: skip
    rows = [{"period": str(p), "value": _num(v), "shown": fmt(v)}
            for p, v in zip(points["period"], points["value"], strict=True)]  # fmt: skip
    y_title = unit or "Added in the quarter"
    layers = [
        {"mark": {"type": "line", "color": ACTUAL_COLOUR, "point": True},
         "encoding": {"x": x, "y": _y("value", y_title),
                      "tooltip": [{"field": "period", "type": "nominal", "title": "Quarter"},
                                  {"field": "shown", "type": "nominal",
                                   "title": "Added in the quarter"}]}},
        *spc_layers(points, fmt, x, y_title),
    ]  # fmt: skip
    return {"data": {"values": rows}, "layer": layers, "height": height,
            "resolve": {"scale": {"color": "independent", "shape": "independent"}}}  # fmt: skip


def trend_description(values: pd.DataFrame) -> str:
    """The trend in words, for a text alternative (one describer for every medium:
    :func:`analytics.charts.text.trend_sentence`)."""
    return trend_sentence(values)


def _align_comparators(compared: list, shown: set[str]) -> list[str]:
    """A yearly comparator beside quarterly values is drawn at the year's Q4."""
    return [at_year_end(p, shown) for p in map(str, compared)]


def _amber_band(values) -> tuple[list, list] | None:
    """The band between the target and the edge of amber, after polarity (``values``: a
    frame or a mapping of columns); ``None`` where the rule draws no band."""
    v = _columns(values)
    if "status_rule" not in v or "polarity" not in v or not v.get("period"):
        return None
    rule, polarity = v["status_rule"][0], v["polarity"][0]
    target = _floats(v["target_value"])
    if polarity not in ("higher", "lower") or all(t is None for t in target):
        return None

    def edge(value) -> list:
        return [None if t is None else value for t in target]

    if rule == "pct_tolerance":
        pct = v["amber_tolerance_pct"][0]
        pct = 5.0 if _na(pct) else float(pct)
        width = [None if t is None else abs(t) * pct / 100 for t in target]
    elif rule == "abs_tolerance":
        gap = v["amber_tolerance_abs"][0]
        width = [None if t is None or _na(gap) else float(gap) for t in target]
    elif rule == "ideal_minimum":
        minimum = v["minimum_standard"][0]
        low = edge(None if _na(minimum) else float(minimum))
        return (low, target) if polarity == "higher" else (target, low)
    else:
        return None
    if polarity == "higher":
        return [None if w is None else t - w for t, w in zip(target, width, strict=True)], target
    return target, [None if w is None else t + w for t, w in zip(target, width, strict=True)]


def card(spec: dict, most_labels: int = 6) -> dict:
    """A trend for a small card (the packs' grids of trends): the same chart with at most
    ``most_labels`` periods labelled on its axis (every n-th, the latest always), where 40
    quarters would crowd 330 pixels."""
    out = copy.deepcopy(spec)
    for layer in out.get("layer", []):
        x = layer.get("encoding", {}).get("x")
        if not x or not isinstance(x.get("sort"), list):
            continue
        order = x["sort"]
        step = max(1, -(-len(order) // most_labels))
        x.setdefault("axis", {})["values"] = order[::-1][::step][::-1]
    return out


# --- status counts per theme (Vega-Lite) --------------------------------------------------


def status_by_theme(
    counts: pd.DataFrame,
    title: str = "Status by theme group",
    status_words: dict[str, str] | None = None,
) -> dict:
    """Stacked bars of status counts per theme (rows: themes in order; a column per status),
    each segment labelled with its count; the legend gives the status words
    (:data:`labels.STATUS`, or ``status_words``: the public's for the annual report)."""
    words = status_words or labels.STATUS
    statuses = [s for s in V.STATUS_ORDER if s in counts and counts[s].any()]
    long = [
        {"theme": _CONTROL.sub("", str(theme)), "status": words[s],
         "rank": statuses.index(s), "count": int(row[s])}
        for theme, row in counts.iterrows()
        for s in statuses
        if int(row[s])
    ]  # fmt: skip
    domain = [words[s] for s in statuses]
    themes = [_CONTROL.sub("", str(t)) for t in counts.index]
    encoding = {
        "y": {"field": "theme", "type": "nominal", "sort": themes, "title": None,
              "axis": {"labelLimit": 260}},
        "x": {"field": "count", "type": "quantitative", "stack": "zero", "title": "Indicators",
              "axis": {"tickMinStep": 1, "format": "d"}},
        "order": {"field": "rank", "type": "quantitative"},
    }  # fmt: skip
    bars = {
        "mark": "bar",
        "encoding": {**encoding,
                     "color": {"field": "status", "type": "nominal", "title": "Status",
                               "scale": {"domain": domain,
                                         "range": [labels.STATUS_COLOUR[s] for s in statuses]},
                               "legend": {"orient": "bottom", "columns": 3}},
                     "tooltip": [{"field": "theme", "type": "nominal", "title": "Theme group"},
                                 {"field": "status", "type": "nominal"},
                                 {"field": "count", "type": "quantitative"}]},
    }  # fmt: skip
    text = {
        "mark": {"type": "text", "dx": -8, "align": "right", "fontWeight": "bold"},
        "encoding": {**encoding, "text": {"field": "count", "type": "quantitative"},
                     "color": {"field": "status", "type": "nominal", "legend": None,
                               "scale": {"domain": domain,
                                         "range": [labels.STATUS_TEXT_COLOUR[s]
                                                   for s in statuses]}}},
    }  # fmt: skip
    return {
        "data": {"values": long},
        "layer": [bars, text],
        "resolve": {"scale": {"color": "independent"}},
        "height": 28 * max(len(themes), 1),
        "title": title,
    }


# --- rendering a spec without a browser ---------------------------------------------------


def to_svg(spec: dict, width: int = 640, height: int | None = None) -> str:
    """The chart as an SVG document (text), drawn by :mod:`analytics.charts.svg` from the same
    spec the app's pages draw with plotly (a millisecond a chart, where Vega through
    vl-convert took 130 ms)."""
    return render(spec, width=width, height=height)


def to_png(spec: dict, width: int = 640, height: int | None = None, scale: float = 2) -> bytes:
    """The chart as a PNG image (for Word): its SVG rasterised offline by resvg (``resvg_py``,
    no browser), in the sans-serif font the system has (Liberation Sans or DejaVu Sans)."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=to_svg(spec, width, height),
            zoom=scale,
            font_family=PNG_FONT,
            sans_serif_family=PNG_FONT,
        )
    )


PNG_FONT = "DejaVu Sans"  # Debian's fonts-dejavu-core; the SVG asks for Liberation or Arial


def trend_svg(
    values: pd.DataFrame,
    comparators: pd.DataFrame | None = None,
    width: int = 640,
    height: int = 300,
) -> str:
    """An indicator's trend (:func:`trend`) as SVG: for the HTML pack and the public site."""
    return to_svg(trend(values, comparators, height=height), width=width)


# --- small multiples (the Theme page) ----------------------------------------------------


def small_multiples(
    values: pd.DataFrame, columns: int = 3, width: int = 180, height: int = 120
) -> dict:
    """A whole theme's trends as one Vega-Lite spec: per indicator the :func:`trend` chart
    (actuals with points marked by status, the target, the amber band, the baseline), made
    compact (smaller, the years as x labels) and titled with its code, its latest status
    (word and symbol) and its title; ``columns`` panels a row and one status legend shared
    by all. One chart draws far faster than one chart per indicator."""
    if values.empty:
        return {"data": {"values": []}, "mark": "point"}
    present = set(values.loc[values["actual_value"].notna(), "rag_status"].astype(str))
    statuses = [s for s in V.STATUS_ORDER if s in present]
    domain = [labels.STATUS[s] for s in statuses]
    scales = {
        "color": {"domain": domain, "range": [labels.STATUS_COLOUR[s] for s in statuses]},
        "shape": {"domain": domain, "range": [SHAPES[s] for s in statuses]},
    }
    panels = []
    for code, part in values.groupby("code", sort=False):
        panel = trend(part, height=height)
        panel.pop("resolve", None)  # one status legend for every panel
        for layer in panel["layer"]:
            encoding = layer.get("encoding", {})
            if "x" in encoding:  # the year at its first quarter, no slanted labels
                encoding["x"] = {**encoding["x"], "axis": {
                    "labelAngle": 0, "labelOverlap": "greedy", "ticks": False,
                    "labelExpr": "test(/ Q[234]$/, datum.label) ? '' : slice(datum.label, 0, 7)",
                }}  # fmt: skip
            if "y" in encoding and "field" in encoding["y"]:
                encoding["y"] = {
                    **encoding["y"],
                    "axis": {"tickCount": 4, "minExtent": 36, "titleLimit": height},
                }
            for channel, scale in scales.items():
                if channel in encoding:
                    encoding[channel] = {**encoding[channel], "scale": scale}
        latest = str(part["rag_status"].iloc[-1])
        name = "" if _na(part["title"].iloc[0]) else _CONTROL.sub("", str(part["title"].iloc[0]))
        panel["title"] = {"text": f"{code}  {labels.status_label(latest)}", "subtitle": name,
                          "anchor": "start", "fontSize": 13, "subtitleFontSize": 11,
                          "limit": width, "subtitleLimit": width}  # fmt: skip
        panel["width"] = width
        panels.append(panel)
    # rows of hconcat in a vconcat, not a wrapped ``concat``: Streamlit draws nothing for one
    shared = {"scale": {"color": "shared", "shape": "shared"}}
    rows = [
        {"hconcat": panels[i : i + columns], "spacing": 24, "resolve": shared}
        for i in range(0, len(panels), columns)
    ]
    return {"vconcat": rows, "spacing": 16, "resolve": shared,
            "config": {"legend": {"orient": "bottom"}}}  # fmt: skip
