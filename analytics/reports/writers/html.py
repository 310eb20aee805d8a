"""A document as one self-contained HTML page: inline CSS, charts as inline SVG rendered
from their Vega-Lite spec, no script at all, so it opens offline and can be e-mailed or
published as it is.

Every piece of text goes through ``html.escape`` (:func:`esc`); the SVG comes from
vl-convert, which escapes the text it draws.
"""

from __future__ import annotations

import html

from analytics import charts
from analytics.reports.document import (
    Bullets,
    Chart,
    ChartGrid,
    Document,
    Facts,
    Heading,
    Lines,
    Number,
    Paragraph,
    Status,
    Table,
)
from analytics.reports.text import clean
from analytics.reports.writers.common import HEADER_SHADE, cell_lines, status_fill

CSS = f"""
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 14px; color: #1a1a1a;
       margin: 24px auto; max-width: 1400px; padding: 0 16px; line-height: 1.4; }}
h1 {{ font-size: 24px; margin: 0 0 4px; }}
h2 {{ font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid {HEADER_SHADE}; }}
h3 {{ font-size: 17px; margin: 24px 0 8px; color: {HEADER_SHADE}; }}
h4 {{ font-size: 15px; margin: 16px 0 6px; }}
p.meta {{ color: #444; margin: 0 0 16px; }}
p.note {{ color: #444; font-size: 13px; }}
table {{ border-collapse: collapse; margin: 8px 0 16px; }}
th, td {{ border: 1px solid #bfbfbf; padding: 4px 6px; vertical-align: top; text-align: left;
         font-size: 13px; overflow-wrap: normal; word-break: normal; hyphens: manual; }}
th {{ background: {HEADER_SHADE}; color: #fff; font-weight: bold; }}
td.right {{ text-align: right; white-space: nowrap; }}
td.center {{ text-align: center; }}
td.status, th.status {{ font-weight: bold; }}
td.status small {{ display: block; font-weight: normal; }}
tr.total td {{ font-weight: bold; border-top: 2px solid #1a1a1a; }}
dl.facts {{ display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }}
dl.facts dt {{ font-weight: bold; }} dl.facts dd {{ margin: 0; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr));
         gap: 12px; }}
.card {{ border: 1px solid #d9d9d9; border-radius: 4px; padding: 4px; }}
.card h4 {{ font-size: 13px; margin: 2px 4px; }}
figure {{ margin: 8px 0; }} figure svg {{ max-width: 100%; height: auto; }}
figcaption {{ font-size: 12px; color: #444; }}
footer {{ margin-top: 32px; color: #555; font-size: 12px; }}
@media print {{ .card {{ break-inside: avoid; }} h2 {{ break-before: page; }} }}
"""


def esc(value: object) -> str:
    """Text as HTML: cleaned, escaped (quotes too), newlines kept."""
    return html.escape(clean(value), quote=True).replace("\n", "<br>")


def _status_td(cell: Status) -> str:
    fill, text = status_fill(cell)
    lines = cell_lines(cell)
    small = "".join(f"<small>{esc(x)}</small>" for x in lines[1:])
    style = f' style="background:{fill};color:{text}"' if fill else ""
    return f'<td class="status"{style} data-status="{esc(cell.status)}">{esc(lines[0])}{small}</td>'


def _td(value: object, col) -> str:
    if isinstance(value, Status):
        return _status_td(value)
    lines = cell_lines(value)
    if isinstance(value, Lines) and value.bold_first and lines:
        body = f"<strong>{esc(lines[0])}</strong>" + "".join(f"<br>{esc(x)}" for x in lines[1:])
    else:
        body = "<br>".join(esc(x) for x in lines) or "–"
    classes = [col.align] if col.align != "left" else []
    attrs = f' data-status="{esc(col.status)}"' if col.status else ""
    if isinstance(value, Number) or col.kind in ("number", "int"):
        classes.append("num")
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{cls}{attrs}>{body}</td>"


def _table(table: Table) -> str:
    head = []
    for col in table.columns:
        if col.status:
            fill, text = status_fill(Status(col.status))
            head.append(
                f'<th class="status" scope="col" style="background:{fill};color:{text}">'
                f"{esc(cell_lines(Status(col.status))[0])}</th>"
            )
        else:
            head.append(f'<th scope="col">{esc(col.header)}</th>')
    rows = []
    for i, values in enumerate(table.rows):
        attrs = ""
        if table.row_keys is not None:
            attrs = f' data-{table.row_key_attr}="{esc(table.row_keys[i])}"'
        if table.total_last and i == len(table.rows) - 1:
            attrs += ' class="total"'
        cells = "".join(_td(v, c) for v, c in zip(values, table.columns, strict=False))
        rows.append(f"<tr{attrs}>{cells}</tr>")
    name = f' data-table="{esc(table.name)}"' if table.name else ""
    caption = f"<caption>{esc(table.caption)}</caption>" if table.caption else ""
    if not table.rows:
        return (f"<h4>{esc(table.caption)}</h4>" if table.caption else "") + (
            f"<p>{esc(table.empty_text)}</p>"
        )
    return (
        f"<table{name}>{caption}<thead><tr>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _svg(chart: Chart) -> str:
    svg = charts.to_svg(chart.resolved(), width=chart.width_px)
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    label = esc(f"{chart.title}. {chart.description}")
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
    return svg


def _chart(chart: Chart, card: bool = False) -> str:
    key = f' data-code="{esc(chart.key)}"' if chart.key else ""
    if card:
        return (
            f'<div class="card"{key}><h4>{esc(chart.title)}</h4>{_svg(chart)}'
            f"<p class='note'>{esc(chart.description)}</p></div>"
        )
    return (
        f'<figure id="{esc(chart.key or "chart")}"><figcaption>{esc(chart.title)}</figcaption>'
        f"{_svg(chart)}<p class='note'>{esc(chart.description)}</p></figure>"
    )


def _block(block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 4)
        return f"<h{level}>{esc(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        body = f"<strong>{esc(block.text)}</strong>" if block.bold else esc(block.text)
        cls = ' class="note"' if block.style == "note" else ""
        return f"<p{cls}>{body}</p>"
    if isinstance(block, Bullets):
        items = "".join(
            f"<li><strong>{esc(lead)}</strong>: {esc(text)}</li>"
            if lead
            else f"<li>{esc(text)}</li>"
            for lead, text in block.items
        )
        return f"<ul>{items}</ul>"
    if isinstance(block, Facts):
        items = "".join(
            f"<dt>{esc(label)}</dt><dd>{esc(' '.join(cell_lines(value)) or '–')}</dd>"
            for label, value in block.items
        )
        return f'<dl class="facts">{items}</dl>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block)
    if isinstance(block, ChartGrid):
        return f'<div class="grid">{"".join(_chart(c, card=True) for c in block.charts)}</div>'
    raise TypeError(f"not a block: {block!r}")


def write_html(doc: Document) -> bytes:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(doc.title)}</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>{esc(doc.title)}</h1>",
    ]
    if doc.subtitle:
        parts.append(f'<p class="meta">{esc(doc.subtitle)}</p>')
    for part in doc.parts:
        if part.media == "sheet":
            continue
        parts.append("<section>")
        if part.title:
            parts.append(f"<h2>{esc(part.title)}</h2>")
        parts += [_block(b) for b in part.blocks]
        parts.append("</section>")
    if doc.key:
        parts.append("<h2>Key</h2>" + "".join(f"<p>{esc(line)}</p>" for line in doc.key))
    parts.append(
        f"<footer>{esc(doc.produced)} by {esc(doc.author)}. Status is shown by word and symbol "
        "as well as colour.</footer></main></body></html>"
    )
    return "\n".join(parts).encode("utf-8")
