"""The Indicator page's trend as a Vega-Lite chart (Altair).

Vega-Lite's script is a fraction of plotly's, so a Board member following a link to an
indicator sees its story sooner. Same content as ``charts.trend``: actuals with points marked
by status (shape and colour, the status word in the legend), the target (profiled and drawn
year by year for cumulative measures), the amber band, the baseline, county and England
comparators, commentary in the tooltip.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analytics import labels, periods
from analytics.charts import _align_comparators, _amber_band
from analytics.status import format_value

COMPARATOR_COLOUR = {"County": "#CC79A7", "England": "#56B4E9", "Neighbours": "#999999"}
SHAPES = {"green": "circle", "amber": "diamond", "red": "cross", "missing": "circle",
          "no_target": "square", "no_new_data": "circle"}  # fmt: skip


def trend(
    values: pd.DataFrame, comparators: pd.DataFrame | None = None, height: int = 380
) -> alt.LayerChart:
    v = values.reset_index(drop=True).copy()
    if v.empty:
        return alt.LayerChart()
    meta = v.iloc[0]
    unit, decimals = meta["unit"], int(meta["decimals"])
    cumulative = meta.get("measure_type") == "cumulative"

    def fmt(value) -> str:
        return "–" if pd.isna(value) else format_value(float(value), decimals, unit)

    v["period"] = v["period"].astype(str)
    v["segment"] = v["period"].str[:7] if cumulative else "all"
    v["status"] = v["rag_status"].astype(str).map(labels.STATUS)
    v["actual"] = v["actual_value"].map(fmt)
    v["target"] = v["target_value"].map(fmt)
    v["why"] = v["rag_reason"].fillna("")
    v["commentary"] = v["commentary"].fillna("")
    band = _amber_band(v)
    if band is not None:
        v["band_low"], v["band_high"] = band[0].to_numpy(), band[1].to_numpy()
    comp = None
    if comparators is not None and not comparators.empty:
        comp = _align_comparators(comparators, set(v["period"]))
        comp = comp.assign(
            period=comp["period"].astype(str),
            who=comp["comparator"].str.title(),
            shown=comp["comparator_value"].map(fmt),
        )
    order = sorted(
        set(v["period"]) | (set(comp["period"]) if comp is not None else set()),
        key=periods.sort_key,
    )
    x = alt.X("period:O", sort=order, title=None, axis=alt.Axis(labelAngle=-45))
    y_title = unit or None
    base = alt.Chart(v).encode(x=x)
    layers = []
    if band is not None:
        layers.append(
            base.mark_area(opacity=0.2, color=labels.STATUS_COLOUR["amber"]).encode(
                y=alt.Y("band_low:Q", title=y_title, scale=alt.Scale(zero=False)),
                y2="band_high:Q",
                detail="segment:N",
            )
        )
    if v["target_value"].notna().any():
        layers.append(
            base.mark_line(
                color="#444444",
                strokeDash=[6, 4],
                interpolate="linear" if cumulative else "step-after",
            ).encode(
                y=alt.Y("target_value:Q", title=y_title, scale=alt.Scale(zero=False)),
                detail="segment:N",
            )
        )
    layers.append(
        base.mark_line(color="#0072B2").encode(
            y=alt.Y("actual_value:Q", title=y_title, scale=alt.Scale(zero=False)),
            detail="segment:N",
        )
    )
    present = [s for s in labels.STATUS_ORDER if s in set(v["rag_status"].astype(str))]
    layers.append(base.mark_point(size=110, filled=True, stroke="#333333", strokeWidth=1)
                  .encode(
        y=alt.Y("actual_value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("status:N", title="Status",
                        scale=alt.Scale(domain=[labels.STATUS[s] for s in present],
                                        range=[labels.STATUS_COLOUR[s] for s in present]),
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("status:N", title="Status",
                        scale=alt.Scale(domain=[labels.STATUS[s] for s in present],
                                        range=[SHAPES[s] for s in present]), legend=None),
        tooltip=[alt.Tooltip("period:N", title="Period"), alt.Tooltip("actual:N", title="Actual"),
                 alt.Tooltip("target:N", title="Target"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("why:N", title="Why"),
                 alt.Tooltip("commentary:N", title="Commentary")],
    ))  # fmt: skip
    if pd.notna(meta.get("baseline_value")) and not cumulative:
        line = pd.DataFrame(
            {
                "baseline": [meta["baseline_value"]],
                "label": [f"Baseline {fmt(meta['baseline_value'])}"],
            }
        )
        layers.append(alt.Chart(line).mark_rule(color="#999999", strokeDash=[2, 3])
                      .encode(y="baseline:Q", tooltip=["label:N"]))  # fmt: skip
    if comp is not None:
        who = sorted(comp["who"].unique())
        layers.append(alt.Chart(comp).mark_line(point=True, strokeDash=[2, 2]).encode(
            x=x, y=alt.Y("comparator_value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color("who:N", title="Comparator",
                            scale=alt.Scale(domain=who, range=[COMPARATOR_COLOUR[w] for w in who]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("who:N", title="Comparator"),
                     alt.Tooltip("period:N", title="Period"),
                     alt.Tooltip("shown:N", title="Value")],
        ))  # fmt: skip
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent", shape="independent")
        .properties(height=height)
    )
