"""The public site's trend charts: the one trend chart definition, rendered to inline SVG.

The chart is :func:`analytics.charts.trend`, the one the app's Indicator page and the packs
draw, rendered to SVG by :func:`analytics.charts.to_svg` (:mod:`analytics.charts.svg`) at
build time, so the site needs no script. Each SVG is a
single image to assistive technology (``role="img"`` and a sentence saying what it shows);
the same figures are in a table beside it. Element ids are made unique per chart, so several
charts can share a page.
"""

from __future__ import annotations

import math
from html import escape

from markupsafe import Markup

from analytics.charts import to_svg, trend
from analytics.labels import PUBLIC_STATUS

_FLOATS = ("actual_value", "target_value")


def _float(value) -> float | None:
    if value is None:
        return None
    x = float(value)
    return None if math.isnan(x) else x


def _frames(item: dict) -> tuple[dict[str, list], dict[str, list] | None]:
    """The item's published history as the columns :func:`analytics.charts.trend` takes
    (lists, not frames: a frame cost 5 ms a chart)."""
    meta, history = item["meta"], item["history"]
    n = len(history)
    columns = {
        "code": [item["code"]] * n,
        "title": [item["title"]] * n,
        "unit": [meta["unit"] or ""] * n,
        "decimals": [int(meta["decimals"])] * n,
        "polarity": [meta["polarity"]] * n,
        "measure_type": [meta["measure_type"]] * n,
        "baseline_value": [_float(meta["baseline_value"]) if item["baseline"] else None] * n,
        "status_rule": [meta["status_rule"]] * n,
        "amber_tolerance_pct": [_float(meta["amber_tolerance_pct"])] * n,
        "amber_tolerance_abs": [_float(meta["amber_tolerance_abs"])] * n,
        "minimum_standard": [_float(meta["minimum_standard"])] * n,
        "period": [h["period"] for h in history],
        **{name: [_float(h[name]) for h in history] for name in _FLOATS},
        "rag_status": [h["rag_status"] for h in history],
        "rag_reason": [h["reason"] for h in history],
        "commentary": [""] * n,  # shown as text on the page; a static SVG has no tooltips
    }
    comps = None
    if item["comparators"]:
        found = item["comparators"]
        comps = {
            "code": [item["code"]] * len(found),
            "period": [c["period"] for c in found],
            "comparator": [c["comparator"].lower() for c in found],
            "comparator_value": [_float(c["comparator_value"]) for c in found],
        }
    return columns, comps


def alt_text(item: dict) -> str:
    """One sentence saying what the chart shows (the table beside it has every figure)."""
    shown = [h for h in item["history"] if h["actual_value"] is not None]
    if not shown:
        return f"Trend chart of {item['code']}: no figures yet."
    first, last = shown[0], shown[-1]
    return (
        f"Trend chart of {item['code']} {item['title']}: {len(shown)} figures from "
        f"{first['period']} ({first['actual']}) to {last['period']} ({last['actual']}), "
        f"against the target line; the latest figure is {last['status']['words'].lower()}. "
        "The figures are in the table below the chart."
    )


def trend_svg(item: dict, chart_id: str, height: int = 240) -> str:
    """The indicator's trend as inline SVG markup, its statuses in the site's words."""
    values, comps = _frames(item)
    svg = to_svg(trend(values, comps, height=height, status_words=PUBLIC_STATUS), width=840)
    return _accessible(svg, chart_id, alt_text(item))


def _accessible(svg: str, chart_id: str, label: str) -> str:
    """The chart as one image to assistive technology: ``role="img"`` named by a title
    (:mod:`analytics.charts.svg` writes no ids, roles or titles of its own, so several charts
    can share a page as they are)."""
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{chart_id}-title" class="lsp-chart" focusable="false" ',
        1,
    )
    head_end = svg.index(">") + 1
    # charts.svg writes the markup (labels from period codes and status words, escaped by
    # it); the one piece added here is escaped
    return Markup(
        svg[:head_end] + f'<title id="{chart_id}-title">{escape(label)}</title>' + svg[head_end:]
    )
