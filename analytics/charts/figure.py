"""The charts' specs as plotly figures, for the pages (pure: a dict, no plotly import).

Every chart is defined once, as a spec in Vega-Lite's vocabulary of data and encodings
(:mod:`analytics.charts.spec`): the pages draw it interactively with plotly.js
(``ui.components.plotly_chart(figure(spec), ...)``), every static medium draws the same spec
as SVG with :mod:`analytics.charts.svg` (the packs, Word's images through resvg, the public
site). Both readers cover the same part of Vega-Lite, and refuse the rest
(:class:`Unsupported`):

- a ``layer`` of views (or one view), or rows of panels (``vconcat`` of ``hconcat``: a
  theme's small multiples), each view with its own inline ``data`` or its panel's;
- marks ``line`` (``interpolate`` step-after, ``strokeDash``, ``point``), ``point``
  (``size`` in square pixels, ``filled``), ``area`` (``y`` to ``y2``), ``rule`` (a
  horizontal line), ``bar`` (horizontal, stacked) and ``text`` (the bars' counts);
- one discrete axis with an explicit ``sort`` and one quantitative axis;
- ``color`` and ``shape`` with explicit ``scale.domain`` and ``scale.range``: a trace per
  legend entry, named in words, with its symbol as well as its colour;
- ``tooltip``: the hover label, field by field in words (escaped: text from returns is
  shown as typed, never as markup).

A figure is a plain dict ({"data": [...], "layout": {...}}), which the pages validate once
as a ``go.Figure`` (``ui.data``); building one takes a fraction of a millisecond and loads no
plotly module.
"""

from __future__ import annotations

import math
from html import escape

from analytics import periods
from analytics.charts.svg import Unsupported, scale_map

FONT = "Source Sans Pro, Liberation Sans, Arial, sans-serif"
TEXT = "#222222"
GRID = "#e0e0e0"
_SYMBOLS = {"circle": "circle", "square": "square", "diamond": "diamond", "cross": "cross",
            "triangle-up": "triangle-up", "triangle-down": "triangle-down",
            "triangle": "triangle-up"}  # fmt: skip
_DASH = {(6, 4): "dash", (2, 2): "dot", (2, 3): "dot"}


def _symbol(shape: str, filled: bool) -> str:
    base = _SYMBOLS.get(shape)
    if base is None:
        if not str(shape).lstrip().upper().startswith("M"):
            raise Unsupported(f"shape {shape!r}")
        base = "x-thin" if not filled else "x"  # the custom cross drawn for red
    return base if filled else f"{base}-open"


def _number(value) -> float | None:
    if value is None or isinstance(value, str | bool):
        return None
    x = float(value)
    return None if math.isnan(x) else x


def _hover(tooltip: list[dict] | None, rows: list[dict]) -> tuple[list | None, str | None]:
    """(customdata, hovertemplate): each tooltip field as 'Title: value', escaped."""
    if not tooltip:
        return None, None
    fields = [t["field"] for t in tooltip]
    titles = [t.get("title") or t["field"].title() for t in tooltip]
    data = [[escape(str(r.get(f, "") if r.get(f) is not None else "")) for f in fields]
            for r in rows]  # fmt: skip
    template = "<br>".join(f"<b>{escape(t)}</b>: %{{customdata[{i}]}}"
                           for i, t in enumerate(titles))  # fmt: skip
    return data, template + "<extra></extra>"


def _groups(rows: list[dict], fields: list[str]) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for row in rows:
        out.setdefault(tuple(str(row.get(f)) for f in fields), []).append(row)
    return out


class _Builder:
    """Traces for one panel (axes ``x``/``y`` + suffix), sharing legend entries across panels."""

    def __init__(self) -> None:
        self.traces: list[dict] = []
        self.legend_seen: set[str] = set()
        self.groups_seen: set[str] = set()
        self.legend_title: str | None = None  # bars: one legend, titled

    def _legend(self, name: str, group_title: str | None) -> dict:
        """A legend entry, once per name across panels; entries of one legend (Status,
        Comparator...) grouped under its title, given once."""
        first = name not in self.legend_seen
        self.legend_seen.add(name)
        group = group_title or name
        out = {"name": name, "legendgroup": group, "showlegend": first}
        if group_title and group not in self.groups_seen:
            self.groups_seen.add(group)
            out["legendgrouptitle"] = {"text": group_title}
        return out

    def panel(self, spec: dict, axis: str, base_rows: list[dict]) -> tuple[list[str], str | None]:
        """Add a layered view's traces; return its category order and its value-axis title."""
        layers = spec.get("layer", [spec])
        x_order: list[str] = []
        y_title = None
        horizontal = False
        for view in layers:
            if "layer" in view:
                raise Unsupported("nested layers")
            enc = view.get("encoding", {})
            x = enc.get("x") or {}
            y = enc.get("y") or {}
            if isinstance(x.get("sort"), list) and not x_order:
                x_order = [str(v) for v in x["sort"]]
            if isinstance(y.get("sort"), list) and not x_order:
                x_order, horizontal = [str(v) for v in y["sort"]], True
            quantity = x if horizontal else y
            if y_title is None and quantity.get("title"):
                y_title = quantity["title"]
        for view in layers:
            rows = view["data"]["values"] if "data" in view else base_rows
            self._view(view, rows, axis, x_order)
        return x_order, y_title

    def _view(self, view: dict, rows: list[dict], axis: str, order: list[str]) -> None:
        mark = view.get("mark", "point")
        mark = {"type": mark} if isinstance(mark, str) else dict(mark)
        kind = mark["type"]
        enc = view.get("encoding", {})
        axes = {"xaxis": "x" + axis, "yaxis": "y" + axis}
        if kind == "text":
            return  # the bars carry their counts
        if kind == "rule":
            field = enc["y"]["field"]
            tip, template = _hover(enc.get("tooltip"), rows)
            for i, row in enumerate(rows):
                value = _number(row.get(field))
                if value is None or not order:
                    continue
                self.traces.append({
                    "type": "scatter", "mode": "lines", "x": [order[0], order[-1]],
                    "y": [value, value], "showlegend": False, "hoverinfo": "skip"
                    if template is None else None, "customdata": [tip[i]] * 2 if tip else None,
                    "hovertemplate": template,
                    "line": {"color": mark.get("color", "#999999"), "width": 1.5,
                             "dash": _DASH.get(tuple(mark.get("strokeDash", ())), "solid")},
                    **axes,
                })  # fmt: skip
            return
        if kind == "bar":
            self._bars(enc, rows, axes, mark)
            return
        if kind not in ("line", "point", "area"):
            raise Unsupported(f"mark {kind!r}")
        xf, yf = enc["x"]["field"], enc["y"]["field"]
        index = {p: i for i, p in enumerate(order)}
        if kind == "area":
            y2f = enc["y2"]["field"]
            shape = "hv" if mark.get("interpolate") == "step-after" else "linear"
            colour = mark.get("color", "#4c78a8")
            for part in _groups(rows, [enc["detail"]["field"]] if "detail" in enc else []).values():
                part = sorted(part, key=lambda r: index.get(str(r.get(xf)), -1))
                xs = [str(r.get(xf)) for r in part]
                common = {
                    "type": "scatter",
                    "mode": "lines",
                    "x": xs,
                    "showlegend": False,
                    "hoverinfo": "skip",
                    "line": {"width": 0, "shape": shape},
                    **axes,
                }
                self.traces.append({**common, "y": [_number(r.get(yf)) for r in part]})
                self.traces.append({**common, "y": [_number(r.get(y2f)) for r in part],
                                    "fill": "tonexty", "fillcolor": _alpha(colour,
                                    mark.get("opacity", 0.2))})  # fmt: skip
            return
        colour_enc = enc.get("color")
        colours = scale_map(colour_enc)
        shape_enc = enc.get("shape")
        shapes = scale_map(shape_enc) if shape_enc else {}
        split = [colour_enc["field"]] if colour_enc else []
        if kind == "line" and "detail" in enc:
            split.append(enc["detail"]["field"])
        legend_on = bool(colour_enc) and colour_enc.get("legend", {}) is not None
        group_title = colour_enc.get("title") if colour_enc else None
        for key, part in _groups(rows, split).items():
            part = sorted(part, key=lambda r: index.get(str(r.get(xf)), -1))
            label = key[0] if colour_enc else view.get("name", "")
            colour = colours.get(label, mark.get("color", "#4c78a8"))
            tip, template = _hover(enc.get("tooltip"), part)
            trace = {
                "type": "scatter", "x": [str(r.get(xf)) for r in part],
                "y": [_number(r.get(yf)) for r in part], "customdata": tip,
                "hovertemplate": template, "hoverinfo": None if template else "skip", **axes,
            }  # fmt: skip
            if legend_on:
                trace.update(self._legend(label, group_title))
            elif view.get("name"):
                trace.update(self._legend(view["name"], "Process limits"
                                          if "limit" in view["name"] or view["name"] == "Mean"
                                          else None))  # fmt: skip
            else:
                trace["showlegend"] = False
            if kind == "line":
                trace["mode"] = "lines+markers" if mark.get("point") else "lines"
                trace["line"] = {
                    "color": colour, "width": mark.get("strokeWidth", 2),
                    "shape": "hv" if mark.get("interpolate") == "step-after" else "linear",
                    "dash": _DASH.get(tuple(mark.get("strokeDash", ())), "solid"),
                }  # fmt: skip
                trace["marker"] = {"color": colour, "size": 6}
            else:
                filled = mark.get("filled", False)
                symbol = _symbol(shapes.get(label, "circle"), filled)
                trace["mode"] = "markers"
                trace["marker"] = {
                    "symbol": symbol, "size": round(math.sqrt(mark.get("size", 30)), 1),
                    "color": colour,
                    "line": {"color": mark.get("stroke", colour) if filled else colour,
                             "width": mark.get("strokeWidth", 1) if filled else 2.5},
                }  # fmt: skip
            self.traces.append(trace)

    def _bars(self, enc: dict, rows: list[dict], axes: dict, mark: dict) -> None:
        if not isinstance((enc.get("y") or {}).get("sort"), list):
            raise Unsupported("bars other than horizontal stacked bars")
        yf, xf = enc["y"]["field"], enc["x"]["field"]
        colour_enc = enc.get("color")
        colours = scale_map(colour_enc)
        order = enc.get("order", {}).get("field")
        ranked = sorted(rows, key=lambda r: (r.get(order) or 0) if order else 0)
        for key, part in _groups(ranked, [colour_enc["field"]] if colour_enc else []).items():
            label = key[0] if key else ""
            tip, template = _hover(enc.get("tooltip"), part)
            self.traces.append({
                "type": "bar", "orientation": "h", "y": [str(r.get(yf)) for r in part],
                "x": [_number(r.get(xf)) for r in part], "text": [str(r.get(xf)) for r in part],
                "textposition": "inside", "insidetextanchor": "end", "textangle": 0,
                "constraintext": "none",
                "textfont": {"color": "#000000"},
                "marker": {"color": colours.get(label, mark.get("color", "#4c78a8")),
                           "line": {"color": "#333333", "width": 0.5}},
                "customdata": tip, "hovertemplate": template,
                "name": label, "showlegend": True, **axes,
            })  # fmt: skip
        if colour_enc and colour_enc.get("title"):
            self.legend_title = colour_enc["title"]


def _alpha(colour: str, opacity: float) -> str:
    c = colour.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{opacity})"


def _axis(order: list[str], spec_axis: dict) -> dict:
    axis = {"type": "category", "categoryorder": "array", "categoryarray": order,
            "tickangle": spec_axis.get("labelAngle", 0) or 0, "showgrid": False,
            "linecolor": "#6b6b6b", "tickfont": {"color": TEXT}}  # fmt: skip
    if "values" in spec_axis:
        axis["tickvals"] = [str(v) for v in spec_axis["values"]]
    return axis


def _value_axis(title: str | None, integer: bool = False) -> dict:
    axis = {"title": {"text": title or ""}, "gridcolor": GRID, "zeroline": False,
            "tickfont": {"color": TEXT}, "automargin": True}  # fmt: skip
    if integer:
        axis["tickformat"] = "d"
    return axis


def _x_axis_spec(spec: dict) -> dict:
    for view in spec.get("layer", [spec]):
        x = view.get("encoding", {}).get("x") or {}
        if isinstance(x.get("sort"), list):
            return x.get("axis") or {}
    return {}


def figure(spec: dict, height: int | None = None, title: str | None = None) -> dict:
    """``spec`` as a plotly figure (a dict): hover labels in words, legends in words with
    their symbols, the same colours and shapes as the static SVG."""
    if "vconcat" in spec:
        return _grid(spec, title)
    builder = _Builder()
    base = (spec.get("data") or {}).get("values", [])
    order, y_title = builder.panel(spec, "", base)
    marks = [view.get("mark") for view in spec.get("layer", [spec])]
    horizontal = any((m if isinstance(m, str) else (m or {}).get("type")) == "bar" for m in marks)
    if horizontal:  # bars: a row per category, the legend under the axis title
        area = 36 * max(len(order), 1)
        legend_y = -70 / area
        margin_b = 140
    else:
        area = spec.get("height", 380)
        legend_y = -110 / area
        margin_b = 150
    layout = {
        "height": height or area + margin_b + 20,
        "margin": {"l": 10, "r": 10, "t": 40 if (title or spec.get("title")) else 10,
                   "b": margin_b},
        "font": {"family": FONT, "color": TEXT, "size": 13},
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "yanchor": "top", "y": legend_y, "x": 0,
                   "groupclick": "toggleitem", "traceorder": "grouped"},
        "hovermode": "closest", "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": TEXT}},
    }  # fmt: skip
    if title or spec.get("title"):
        layout["title"] = {"text": escape(str(title or spec.get("title"))), "x": 0}
    if horizontal:
        layout["barmode"] = "stack"
        layout["legend"]["traceorder"] = "normal"
        if builder.legend_title:
            layout["legend"]["title"] = {"text": builder.legend_title, "side": "top"}
        layout["yaxis"] = {
            **_axis(order, {}),
            "autorange": "reversed",
            "automargin": True,
            "tickmode": "array",
            "tickvals": order,
            "ticktext": order,
        }
        layout["xaxis"] = {**_value_axis("Indicators", integer=True), "dtick": 1 if
                           len(order) and max(_bar_totals(builder.traces) or [0]) <= 12
                           else None}  # fmt: skip
    else:
        layout["xaxis"] = {**_axis(order, _x_axis_spec(spec)), "automargin": True}
        layout["yaxis"] = _value_axis(y_title)
    return {"data": _clean(builder.traces), "layout": layout}


def _bar_totals(traces: list[dict]) -> list[float]:
    """Each category's stacked total (for the tick step of a count axis)."""
    totals: dict[str, float] = {}
    for trace in traces:
        if trace.get("type") == "bar":
            for y, x in zip(trace["y"], trace["x"], strict=True):
                totals[y] = totals.get(y, 0.0) + (x or 0.0)
    return list(totals.values())


def _grid(spec: dict, title: str | None) -> dict:
    """Rows of panels (``vconcat`` of ``hconcat``) as one figure: an x and y axis per panel,
    each panel titled above, one legend for them all."""
    rows = [row.get("hconcat", [row]) for row in spec["vconcat"]]
    columns = max(len(r) for r in rows)
    builder = _Builder()
    layout: dict = {"annotations": []}
    panel_h = max((p.get("height", 120) for r in rows for p in r), default=120)
    head_h, foot_h = 44, 44  # a panel's title above it, its period labels below
    row_h = head_h + panel_h + foot_h
    area = row_h * len(rows)  # the plotting area, in pixels; domains are fractions of it
    legend_h = 120
    gap_x = 0.06
    width = (1 - gap_x * (columns - 1)) / columns
    n = 0
    for r, row in enumerate(rows):
        for c, panel in enumerate(row):
            n += 1
            suffix = "" if n == 1 else str(n)
            base = (panel.get("data") or {}).get("values", [])
            order, y_title = builder.panel(panel, suffix, base)
            x0 = c * (width + gap_x)
            top = 1 - (r * row_h + head_h) / area
            bottom = 1 - (r * row_h + head_h + panel_h) / area
            firsts = [p for p in order if periods.is_first_quarter(p)]
            layout[f"xaxis{suffix}"] = {**_axis(order, _x_axis_spec(panel)),
                                        "domain": [x0, x0 + width], "anchor": f"y{suffix}",
                                        "tickangle": 0}  # fmt: skip
            if firsts:  # the year at its first quarter, as the static chart labels it
                years = [periods.year_of(p) for p in firsts]
                layout[f"xaxis{suffix}"].update(tickvals=firsts, ticktext=years)
            layout[f"yaxis{suffix}"] = {**_value_axis(y_title), "domain": [bottom, top],
                                        "anchor": f"x{suffix}", "nticks": 4,
                                        "title": {"text": y_title or "",
                                                  "font": {"size": 11}}}  # fmt: skip
            head = panel.get("title") or {}
            text = head.get("text", "") if isinstance(head, dict) else str(head)
            sub = head.get("subtitle", "") if isinstance(head, dict) else ""
            layout["annotations"].append({
                "text": f"<b>{escape(text)}</b><br><span style='font-size:11px'>"
                        f"{escape(_short(sub, 38))}</span>",
                "xref": "paper", "yref": "paper", "x": x0, "y": top + 6 / area,
                "xanchor": "left", "yanchor": "bottom", "showarrow": False, "align": "left",
            })  # fmt: skip
    total = area + legend_h
    layout.update({
        "height": total, "margin": {"l": 10, "r": 10, "t": 0, "b": legend_h},
        "font": {"family": FONT, "color": TEXT, "size": 12},
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "yanchor": "top", "y": -20 / area, "x": 0},
        "hovermode": "closest", "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": TEXT}},
    })  # fmt: skip
    if title:
        layout["title"] = {"text": escape(title), "x": 0}
    return {"data": _clean(builder.traces), "layout": layout}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean(traces: list[dict]) -> list[dict]:
    """Traces without the keys left unset (plotly refuses None for some)."""
    return [{k: v for k, v in t.items() if v is not None} for t in traces]
