"""Plotly figures for the pages and the HTML Board pack (no Streamlit, no I/O).

Every status colour comes with its word or symbol: in the legend, on the bar, in the hover.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics import labels, periods
from analytics.status import format_value

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13)
SYMBOL = {"green": "circle", "amber": "diamond", "red": "x", "missing": "circle-open",
          "no_target": "square-open", "no_new_data": "circle-open"}  # fmt: skip


def trend(
    values: pd.DataFrame,
    comparators: pd.DataFrame | None = None,
    height: int = 380,
    show_legend: bool = True,
) -> go.Figure:
    """One indicator over time: actuals marked by status, the (profiled) target line, the
    amber band, the baseline, county and England comparators, commentary on hover."""
    v = values.reset_index(drop=True)
    meta = v.iloc[0] if len(v) else None
    fig = go.Figure()
    if meta is None:
        return fig
    unit, decimals = meta["unit"], int(meta["decimals"])
    x = v["period"].astype(str)

    def fmt(value) -> str:
        return "–" if pd.isna(value) else format_value(float(value), decimals, unit)

    # a cumulative measure starts again each April: draw each year's lines apart
    cumulative = meta.get("measure_type") == "cumulative"
    years = v["period"].astype(str).str[:7] if cumulative else pd.Series("", index=v.index)
    band = _amber_band(v)
    for n, (_, part) in enumerate(v.groupby(years, sort=False)):
        px = part["period"].astype(str)
        if band is not None:
            low, high = band[0][part.index], band[1][part.index]
            fig.add_scatter(
                x=px,
                y=high,
                mode="lines",
                line=dict(width=0),
                hoverinfo="skip",
                showlegend=False,
                legendgroup="band",
            )
            fig.add_scatter(
                x=px,
                y=low,
                mode="lines",
                line=dict(width=0),
                fill="tonexty",
                fillcolor="rgba(230,159,0,0.18)",
                name="Amber band",
                hoverinfo="skip",
                legendgroup="band",
                showlegend=n == 0,
            )
        if part["target_value"].notna().any():
            fig.add_scatter(
                x=px, y=part["target_value"], mode="lines", name="Target",
                line=dict(color="#444444", dash="dash", width=2,
                          shape="linear" if cumulative else "hv"),
                hovertemplate="Target %{customdata}<extra></extra>",
                customdata=[fmt(t) for t in part["target_value"]],
                legendgroup="target", showlegend=n == 0,
            )  # fmt: skip
        fig.add_scatter(
            x=px,
            y=part["actual_value"],
            mode="lines",
            name="Actual",
            showlegend=False,
            line=dict(color="#0072B2", width=2),
            hoverinfo="skip",
        )
    if pd.notna(meta.get("baseline_value")):
        label = f"Baseline {fmt(meta['baseline_value'])}"
        if cumulative:  # a year's total: comparable with each year's Q4
            q4 = x[x.str.endswith("Q4")]
            fig.add_scatter(
                x=q4,
                y=[meta["baseline_value"]] * len(q4),
                mode="markers",
                name=label + " (full year)",
                marker=dict(symbol="line-ew-open", size=18, color="#777777"),
            )
        else:
            fig.add_scatter(
                x=[x.iloc[0], x.iloc[-1]],
                y=[meta["baseline_value"]] * 2,
                mode="lines",
                name=label,
                line=dict(color="#999999", dash="dot", width=1),
            )
    for status, part in v.groupby(v["rag_status"].astype(str), sort=False):
        fig.add_scatter(
            x=part["period"].astype(str), y=part["actual_value"], mode="markers",
            name=labels.STATUS.get(status, status),
            marker=dict(color=labels.STATUS_COLOUR.get(status, "#333333"), size=11,
                        symbol=SYMBOL.get(status, "circle"),
                        line=dict(color="#333333", width=1)),
            customdata=list(zip(
                [fmt(a) for a in part["actual_value"]], [fmt(t) for t in part["target_value"]],
                part["rag_reason"].fillna(""),
                part["commentary"].fillna("").map(_wrap), strict=True)),
            hovertemplate=("<b>%{x}</b>: %{customdata[0]} (target %{customdata[1]})<br>"
                           + labels.STATUS.get(status, status)
                           + ": %{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>"),
        )  # fmt: skip
    if comparators is not None and not comparators.empty:
        comparators = _align_comparators(comparators, set(x))
        for name, part in comparators.groupby("comparator"):
            fig.add_scatter(
                x=part["period"].astype(str), y=part["comparator_value"],
                mode="markers+lines", name=name.title(),
                line=dict(dash="dot", width=1, color="#CC79A7" if name == "county" else "#56B4E9"),
                marker=dict(symbol="triangle-up" if name == "county" else "square", size=8),
            )  # fmt: skip
    fig.update_layout(
        height=height, font=FONT, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="#FFFFFF",
        showlegend=show_legend, legend=dict(orientation="h", y=-0.2),
        yaxis=dict(title=unit or None, gridcolor="#EEEEEE"),
        xaxis=dict(type="category", categoryorder="array",
                   categoryarray=_period_order(x, comparators)),
        hoverlabel=dict(align="left"),
    )  # fmt: skip
    return fig


def _align_comparators(comparators: pd.DataFrame, shown: set[str]) -> pd.DataFrame:
    """A yearly comparator beside quarterly values is drawn at the year's Q4."""
    moved = (
        comparators["period"]
        .astype(str)
        .map(lambda p: f"{p} Q4" if p not in shown and f"{p} Q4" in shown else p)
    )
    return comparators.assign(period=moved)


def _period_order(x: pd.Series, comparators: pd.DataFrame | None) -> list[str]:
    codes = set(x)
    if comparators is not None and not comparators.empty:
        codes |= set(_align_comparators(comparators, codes)["period"].astype(str))
    return sorted(codes, key=periods.sort_key)


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "<br>".join(textwrap.wrap(str(text), width))


def _amber_band(v: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """The band between the target and the edge of amber, after polarity."""
    rule, polarity = v["status_rule"].iloc[0], v["polarity"].iloc[0]
    target = v["target_value"]
    if polarity not in ("higher", "lower") or target.isna().all():
        return None
    if rule == "pct_tolerance":
        pct = v["amber_tolerance_pct"].iloc[0]
        width = target.abs() * (5.0 if pd.isna(pct) else pct) / 100
    elif rule == "abs_tolerance":
        width = pd.Series(v["amber_tolerance_abs"].iloc[0], index=v.index)
    elif rule == "ideal_minimum":
        edge = pd.Series(v["minimum_standard"].iloc[0], index=v.index)
        return (edge, target) if polarity == "higher" else (target, edge)
    else:
        return None
    return (target - width, target) if polarity == "higher" else (target, target + width)


def status_bars_html(counts: pd.DataFrame) -> str:
    """The status-by-theme chart as plain HTML bars: no chart library to load, so the
    Overview draws as fast as text. Each segment carries its count and symbol; the legend
    gives the words."""
    from html import escape

    statuses = [s for s in labels.STATUS_ORDER if s in counts and counts[s].any()]
    widest = max(int(counts[statuses].sum(axis=1).max()), 1) if statuses else 1
    rows = []
    for theme, row in counts.iterrows():
        segments = []
        for status in statuses:
            n = int(row[status])
            if not n:
                continue
            word = labels.STATUS[status]
            segments.append(
                f'<div title="{escape(word)}: {n}" style="flex:0 0 {100 * n / widest:.2f}%;'
                f"background:{labels.STATUS_COLOUR[status]};"
                f"color:{labels.STATUS_TEXT_COLOUR[status]};text-align:center;"
                f'white-space:nowrap;overflow:hidden">{escape(word.split(" ")[0])} {n}</div>'
            )
        rows.append(
            '<div style="display:flex;align-items:center;margin:4px 0">'
            f'<div style="flex:0 0 34%;padding-right:8px;text-align:right">{escape(str(theme))}'
            '</div><div style="flex:1;display:flex;height:26px;line-height:26px;'
            f'font-weight:600">{"".join(segments)}</div></div>'
        )
    legend = " ".join(
        f'<span style="white-space:nowrap;margin-right:12px"><span style="display:inline-block;'
        f"width:12px;height:12px;background:{labels.STATUS_COLOUR[s]};margin-right:4px;"
        f'vertical-align:middle"></span>{escape(labels.STATUS[s])}</span>'
        for s in statuses
    )
    return (
        f'<div role="img" aria-label="Status by theme group">{"".join(rows)}'
        f'<div style="margin-top:8px;font-size:0.9em">{legend}</div></div>'
    )


def small_multiples(values: pd.DataFrame, columns: int = 3, row_height: int = 190) -> go.Figure:
    """A whole theme's trends in one figure: per indicator its actuals (points marked by
    status, shape and colour), its target line and its latest status in the title. One
    figure draws far faster than one chart per indicator."""
    from plotly.subplots import make_subplots

    codes = list(dict.fromkeys(values["code"]))
    if not codes:
        return go.Figure()
    rows = (len(codes) + columns - 1) // columns
    titles = []
    for code in codes:
        latest = values.loc[values["code"] == code, "rag_status"].iloc[-1]
        titles.append(f"<b>{code}</b> {labels.status_label(str(latest))}")
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        vertical_spacing=min(0.5 / rows, 0.12),
        horizontal_spacing=0.06,
    )
    shown_status: set[str] = set()
    for i, (code, part) in enumerate(values.groupby("code", sort=False)):
        row, col = i // columns + 1, i % columns + 1
        meta = part.iloc[0]
        decimals, unit = int(meta["decimals"]), meta["unit"]
        x = part["period"].astype(str)
        cumulative = meta.get("measure_type") == "cumulative"
        for _, year in part.groupby(
            x.str[:7] if cumulative else pd.Series("", index=part.index), sort=False
        ):
            yx = year["period"].astype(str)
            if year["target_value"].notna().any():
                fig.add_scatter(
                    x=yx,
                    y=year["target_value"],
                    mode="lines",
                    row=row,
                    col=col,
                    line=dict(
                        color="#444444",
                        dash="dash",
                        width=1.5,
                        shape="linear" if cumulative else "hv",
                    ),
                    hoverinfo="skip",
                    showlegend=False,
                )
            fig.add_scatter(
                x=yx,
                y=year["actual_value"],
                mode="lines",
                row=row,
                col=col,
                line=dict(color="#0072B2", width=1.5),
                hoverinfo="skip",
                showlegend=False,
            )
        for status, points in part.groupby(part["rag_status"].astype(str), sort=False):
            word = labels.STATUS.get(status, status)
            fig.add_scatter(
                x=points["period"].astype(str), y=points["actual_value"], mode="markers",
                row=row, col=col, name=word, legendgroup=status,
                showlegend=status not in shown_status,
                marker=dict(color=labels.STATUS_COLOUR.get(status, "#333333"), size=8,
                            symbol=SYMBOL.get(status, "circle"),
                            line=dict(color="#333333", width=1)),
                customdata=[format_value(float(v), decimals, unit) if pd.notna(v) else "–"
                            for v in points["actual_value"]],
                hovertemplate=f"{code} %{{x}}: %{{customdata}}<br>{word}<extra></extra>",
            )  # fmt: skip
            shown_status.add(status)
    fig.update_xaxes(type="category", showticklabels=False, showgrid=False)
    fig.update_yaxes(gridcolor="#EEEEEE", nticks=4)
    fig.update_annotations(font=dict(size=12))
    fig.update_layout(
        height=80 + rows * row_height, font=FONT, plot_bgcolor="#FFFFFF",
        margin=dict(l=10, r=10, t=30, b=50),
        legend=dict(orientation="h", y=0, yanchor="bottom", x=0, yref="container"),
    )  # fmt: skip
    return fig
