"""The Board pack as one self-contained HTML page: inline CSS, plotly.js inline once, so it
opens offline and can be e-mailed or published as it is.

Every piece of text that came from a return or the framework goes through ``html.escape``
(``esc``), and into charts only escaped; plotly's own JSON escapes ``<`` as well.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from analytics.labels import STATUS, STATUS_COLOUR, STATUS_ORDER, STATUS_TEXT_COLOUR
from analytics.reports import board_pack as bp
from analytics.reports.text import clean

ACTION_COLOURS = {"red": STATUS_COLOUR["red"], "amber": STATUS_COLOUR["amber"]}
CHART_CONFIG = {"displayModeBar": False, "responsive": True}

CSS = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 14px; color: #1a1a1a;
       margin: 24px auto; max-width: 1400px; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid #1f3864; }
h3 { font-size: 17px; margin: 24px 0 8px; color: #1f3864; }
p.meta { color: #444; margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border: 1px solid #bfbfbf; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #1f3864; color: #fff; font-weight: bold; }
td.num { text-align: right; white-space: nowrap; }
td.status, th.status { font-weight: bold; white-space: nowrap; }
td.status small { display: block; font-weight: normal; white-space: normal; }
tr.total td { font-weight: bold; border-top: 2px solid #1a1a1a; }
table.counts { width: auto; }
table.counts td.num { min-width: 56px; }
table.exceptions td { font-size: 12px; }
table.exceptions td.status { min-width: 130px; white-space: normal; }
table.exceptions td.text { min-width: 160px; }
table.exceptions td.dir { min-width: 95px; }
table.exceptions td.title { min-width: 110px; }
table.exceptions td.num { white-space: normal; min-width: 56px; }
.code { font-weight: bold; white-space: nowrap; }
.flag { display: inline-block; white-space: normal; font-size: 11px; color: #1f3864;
        border: 1px solid #1f3864; border-radius: 3px; padding: 0 3px; margin-top: 2px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.card { border: 1px solid #d9d9d9; border-radius: 4px; padding: 4px; }
.card h4 { font-size: 13px; margin: 2px 4px; }
ul.activities li { margin-bottom: 4px; }
footer { margin-top: 32px; color: #666; font-size: 12px; }
@media print { .card { break-inside: avoid; } h2 { break-before: page; } }
"""


def esc(value: object) -> str:
    """Text as HTML: cleaned, escaped (quotes too), newlines kept."""
    return html.escape(clean(value), quote=True).replace("\n", "<br>")


def status_td(status: object, extra: object = "", colours=STATUS_COLOUR, words=STATUS) -> str:
    key = clean(status)
    word = words.get(key, key) if key else "– Not reported"
    background = colours.get(key, "#ffffff")
    text = STATUS_TEXT_COLOUR.get(key, "#000000")
    small = f"<small>{esc(extra)}</small>" if clean(extra) else ""
    style = f"background:{background};color:{text}"
    return f'<td class="status" style="{style}" data-status="{esc(key)}">{esc(word)}{small}</td>'


def _table(headers: list[str], rows: list[str], css: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return (
        f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def write_html(pack: bp.BoardPack) -> bytes:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(pack.partnership)}: {esc(pack.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{esc(pack.title)}</h1>",
        f'<p class="meta">{esc(pack.partnership)} · Board meeting '
        f"{esc(bp.date_text(pack.board_date))} · {len(pack.statuses)} indicators, "
        f"{len(pack.exceptions)} exceptions (red, amber or missing)</p>",
        "<h2>Summary</h2>",
        _status_chart(pack),
        _counts(pack),
        _changes(pack),
        "<h2>Exceptions by theme</h2>",
    ]
    for theme in pack.themes:
        parts.append(_theme_section(pack, theme))
    parts += ["<h2>Action exceptions</h2>", _actions(pack.action_exceptions)]
    parts.append(
        f"<footer>Produced {esc(pack.generated_at.strftime('%-d %b %Y %H:%M'))} by "
        "lsp-performance from the stored statuses. Status is shown by word and symbol as well "
        "as colour.</footer></body></html>"
    )
    return "\n".join(parts).encode("utf-8")


def _status_chart(pack: bp.BoardPack) -> str:
    counts = pack.counts.drop(index="Total", errors="ignore")
    names = [pack.theme_short(t) for t in counts.index]
    fig = go.Figure()
    for status in STATUS_ORDER:
        fig.add_bar(
            y=[html.escape(n) for n in names],
            x=counts[status].tolist(),
            name=STATUS[status],
            orientation="h",
            marker_color=STATUS_COLOUR[status],
            text=[str(v) if v else "" for v in counts[status]],
            textposition="inside",
            insidetextfont_color=STATUS_TEXT_COLOUR[status],
            hovertemplate="%{y}: %{x} " + STATUS[status] + "<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title="Status by theme",
        height=90 + 42 * max(len(names), 1),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        yaxis={"autorange": "reversed"},
        xaxis={"title": "Indicators", "dtick": 1 if counts["total"].max() <= 12 else None},
        legend={"orientation": "h", "y": -0.15, "traceorder": "normal"},
        plot_bgcolor="#ffffff",
    )
    chart = fig.to_html(
        full_html=False, include_plotlyjs=True, config=CHART_CONFIG, div_id="status-by-theme"
    )
    return f'<div class="chart">{chart}</div>'


def _counts(pack: bp.BoardPack) -> str:
    out = []
    for title, counts in (("All indicators", pack.counts), ("LAA indicators", pack.laa_counts)):
        head = "<th>Theme</th>" + "".join(
            f'<th class="status" style="background:{STATUS_COLOUR[s]};'
            f'color:{STATUS_TEXT_COLOUR[s]}">{esc(STATUS[s])}</th>'
            for s in STATUS_ORDER
        )
        rows = []
        for theme, row in counts.iterrows():
            css = ' class="total"' if theme == "Total" else ""
            cells = "".join(
                f'<td class="num" data-status="{s}">{int(row[s])}</td>' for s in STATUS_ORDER
            )
            rows.append(
                f'<tr{css} data-theme="{esc(theme)}"><td>{esc(theme)}</td>{cells}'
                f'<td class="num" data-status="total">{int(row["total"])}</td></tr>'
            )
        table = (
            f'<table class="counts" data-table="{esc(title)}"><thead><tr>{head}<th>Total</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        out.append(f"<h3>{esc(title)}</h3>{table}")
    if pack.missing_returns:
        out.append(
            f"<p><strong>Returns not received for {esc(pack.period)}:</strong> "
            f"{esc('; '.join(pack.missing_returns))}</p>"
        )
    return "\n".join(out)


def _changes(pack: bp.BoardPack) -> str:
    when = f"{bp.date_text(pack.last_board_date)}, which saw {pack.last_board_period or '–'}"
    title = f"<h3>Changes since the last Board ({esc(when)})</h3>"
    if pack.changes.empty:
        return title + "<p>No indicator changed status since the last Board.</p>"
    rows = [
        f"<tr><td>{esc(c['theme'])}</td><td class='code'>{esc(c['code'])}</td>"
        f"<td>{esc(c['title'])}</td>"
        + status_td(c["rag_status_before"], c["period_before"])
        + status_td(c["rag_status_after"], c["period_after"])
        + f"<td>{esc(bp.change_word(c['change']))}</td><td>{esc(c['rag_reason'])}</td></tr>"
        for _, c in pack.changes.iterrows()
    ]
    headers = ["Theme", "Code", "Indicator", "Then", "Now", "Change", "Why"]
    return title + _table(headers, rows, "changes")


EXCEPTION_HEADERS = [
    "Code",
    "Indicator",
    "Lead",
    "Baseline",
    "Period target",
    "Actual (period)",
    "Actual (year to date)",
    "Annual target",
    "Status",
    "Direction of travel",
    "County / England",
    "Commentary",
    "Remedial action",
    "Data quality",
]


def _exception_row(r: pd.Series, period: str) -> str:
    flag = bp.laa_flag(r)
    flag_html = f'<br><span class="flag">{esc(flag)}</span>' if flag else ""
    when = "" if clean(r["period"]) == period else f"<br><small>({esc(r['period'])})</small>"
    persistence = int(r.get("persistence_periods") or 0)
    direction = (
        f"{esc(bp.direction_word(r.get('dot_previous')))} on previous<br>"
        f"{esc(bp.direction_word(r.get('dot_last_year')))} on last year"
        + (f"<br>Off target {persistence} periods running" if persistence > 1 else "")
    )
    comparators = "<br>".join(esc(c) for c in bp.comparators(r)) or "–"
    note = bp.unit_note(r)
    unit = f"<br><small>{esc(note)}</small>" if note else ""
    return (
        f'<tr data-code="{esc(r["code"])}"><td class="code">{esc(r["code"])}{flag_html}</td>'
        f"<td class='title'>{esc(r['title'])}{unit}</td><td>{esc(bp.lead(r))}</td>"
        f'<td class="num">{esc(bp.baseline(r))}</td>'
        f'<td class="num">{esc(bp.table_number(r["target_value"], r))}</td>'
        f'<td class="num">{esc(bp.table_number(r["period_value"], r))}{when}</td>'
        f'<td class="num">{esc(bp.table_number(r.get("ytd_value"), r))}</td>'
        f'<td class="num">{esc(bp.table_number(r["annual_target_value"], r))}</td>'
        + status_td(r["rag_status"], r.get("rag_reason"))
        + f'<td class="dir">{direction}</td><td>{comparators}</td>'
        f'<td class="text">{esc(r.get("commentary"))}</td>'
        f'<td class="text">{esc(r.get("remedial_action"))}</td>'
        f"<td>{esc(bp.dq_note(r.get('dq_flag')))}</td></tr>"
    )


def _theme_section(pack: bp.BoardPack, theme: str) -> str:
    rows = pack.exceptions[pack.exceptions["theme"] == theme]
    parts = [f"<section><h3>{esc(theme)}</h3>"]
    if rows.empty:
        parts.append("<p>No exceptions: every indicator is on target or has no target.</p>")
    else:
        body = [_exception_row(r, pack.period) for _, r in rows.iterrows()]
        parts.append(_table(EXCEPTION_HEADERS, body, "exceptions"))
        cards = [_trend_card(pack, r) for _, r in rows.iterrows()]
        parts.append(f'<div class="grid">{"".join(cards)}</div>')
    activities = pack.activities[pack.activities["theme"] == theme]
    if not activities.empty:
        items = "".join(
            f"<li><strong>{esc(a['title'])}</strong>: {esc(a.get('description'))}</li>"
            for _, a in activities.iterrows()
        )
        parts.append(f'<h4>Positive activities</h4><ul class="activities">{items}</ul>')
    parts.append("</section>")
    return "\n".join(parts)


def _trend_card(pack: bp.BoardPack, row: pd.Series) -> str:
    code = clean(row["code"])
    history = pack.trends[pack.trends["code"] == code]
    heading = f"<h4>{esc(code)}: {esc(row['title'])}</h4>"
    if history.empty:
        return f'<div class="card">{heading}<p>No values stored.</p></div>'
    x = history["period"].astype(str).tolist()
    unit = clean(row.get("unit"))
    colours = [STATUS_COLOUR.get(clean(s), "#7F7F7F") for s in history["rag_status"]]
    words = [STATUS.get(clean(s), "–") for s in history["rag_status"]]
    fig = go.Figure()
    fig.add_scatter(
        x=x,
        y=history["target_value"].tolist(),
        name="Target",
        mode="lines+markers",
        line={"color": "#555555", "dash": "dash", "width": 1.5},
        marker={"symbol": "line-ew-open", "size": 10, "color": "#555555"},
        hovertemplate="%{x}: target %{y}<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=history["actual_value"].tolist(),
        name="Actual",
        mode="lines+markers",
        connectgaps=True,
        line={"color": "#0072B2", "width": 2},
        marker={"color": colours, "size": 8, "line": {"color": "#1a1a1a", "width": 0.5}},
        customdata=words,
        hovertemplate="%{x}: %{y} (%{customdata})<extra></extra>",
    )
    fig.update_layout(
        height=230,
        margin={"l": 44, "r": 8, "t": 26, "b": 36},
        showlegend=True,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 10}},
        yaxis={
            "title": {"text": html.escape(unit), "font": {"size": 10}},
            "range": _padded_range(history),
        },
        xaxis={"type": "category", "tickfont": {"size": 9}},
        plot_bgcolor="#ffffff",
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e5e5e5")
    div_id = "trend-" + "".join(ch if ch.isalnum() else "-" for ch in code)
    chart = fig.to_html(full_html=False, include_plotlyjs=False, config=CHART_CONFIG, div_id=div_id)
    return f'<div class="card" data-code="{esc(code)}">{heading}{chart}</div>'


def _padded_range(history: pd.DataFrame) -> list[float] | None:
    """The y range of actuals and targets with 10% room, so no marker is cut off."""
    values = pd.concat([history["actual_value"], history["target_value"]]).dropna()
    if values.empty:
        return None
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * 0.1 or abs(high) * 0.05 or 1.0
    return [low - pad, high + pad]


def _actions(late: pd.DataFrame) -> str:
    if late.empty:
        return "<p>No milestone is behind schedule.</p>"
    words = {s: bp.action_word(s) for s in ("red", "amber", "completed", "reprogrammed", "green")}
    rows = [
        f"<tr><td>{esc(m['theme'])}</td><td class='code'>{esc(m['action_code'])}</td>"
        f"<td>{esc(m['action_title'])}</td><td>{esc(bp.lead(m))}</td>"
        + status_td(m["action_status"], "", ACTION_COLOURS, words)
        + f"<td>{esc(m['milestone_code'])}: {esc(m['milestone_title'])}</td>"
        f"<td>{esc(bp.date_text(m.get('due_date')))}</td>"
        + status_td(m["milestone_status"], m.get("milestone_reason"), ACTION_COLOURS, words)
        + f"<td>{esc(m.get('progress_note'))}</td></tr>"
        for _, m in late.iterrows()
    ]
    headers = ["Theme", "Action", "Title", "Lead", "Action status", "Milestone", "Due"]
    headers += ["Milestone status", "Progress note"]
    return _table(headers, rows, "actions")
