"""Static SVG for the charts' Vega-Lite specs, drawn in Python (no browser, no JavaScript).

Every chart is defined once, as a Vega-Lite spec (:mod:`analytics.charts.spec`). The app hands that
spec to Streamlit, which draws it with Vega in the browser; every static medium (the HTML
packs, Word's images, the public site's inline SVG) renders the same spec here. vl-convert,
which runs Vega itself, took 130 ms for each trend chart, most of it a fixed cost of each
call; the public site of a national warehouse has 69,300 of them. This renderer takes about
a millisecond.

It draws the part of Vega-Lite the charts use, and refuses anything else
(:class:`Unsupported`), so a new kind of chart fails loudly in the tests instead of being
drawn wrong:

- a single view or a ``layer`` of views, each with its own ``data`` or the top-level data;
- marks ``line`` (``interpolate`` linear or step-after, ``strokeDash``, ``point``),
  ``point`` (``size``, ``filled``, ``stroke``), ``area`` (``y`` to ``y2``), ``rule``
  (horizontal, at ``y``), ``bar`` (stacked, ``stack: zero``, ``order``) and ``text``;
- one discrete axis (ordinal or nominal, with an explicit ``sort``) and one quantitative
  axis, shared by every layer (``scale.zero``, nice ticks, ``axis.format: d``,
  ``axis.tickMinStep``, ``axis.labelAngle``, ``axis.labelLimit``, ``axis.values``);
- ``color`` and ``shape`` on a field with an explicit ``scale.domain`` and ``scale.range``;
  legends at the bottom, each entry with its shape as well as its colour; a ``title``.

A missing value breaks a line instead of joining its neighbours across the gap.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from html import escape

DEFAULT_FONT = "Liberation Sans, Arial, sans-serif"
LABEL_SIZE = 11
TITLE_SIZE = 11
CHART_TITLE_SIZE = 13
TEXT = "#222222"  # 15.9:1 on white
AXIS = "#6b6b6b"  # the axis line
GRID = "#e0e0e0"
PAD = 5

# Helvetica/Arial advance widths (per 1,000 em) for ASCII, to lay text out without a font
# engine; other characters count as 0.6 em.
_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278]
    + [556] * 10
    + [278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500,
       667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278,
       278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222,
       833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334,
       584],
    strict=True,
))  # fmt: skip


class Unsupported(ValueError):
    """The spec uses a part of Vega-Lite this renderer does not draw."""


def text_width(text: str, size: float, bold: bool = False) -> float:
    em = sum(_WIDTHS.get(ch, 600) for ch in text) / 1000
    return em * size * (1.06 if bold else 1.0)


def _fit(text: str, limit: float, size: float) -> str:
    """``text`` shortened with an ellipsis to fit ``limit`` pixels."""
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + "…", size) > limit:
        text = text[:-1]
    return text + "…"


_n = "{:.1f}".format  # a coordinate, to one decimal


def _number(value) -> float | None:
    if value is None or isinstance(value, str | bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


# --- the spec, read ------------------------------------------------------------------------

_MARKS = {"line", "point", "area", "rule", "bar", "text"}
_CHANNELS = {"x", "y", "y2", "x2", "detail", "color", "shape", "tooltip", "order", "text"}


@dataclass
class _Layer:
    mark: dict
    enc: dict
    rows: list[dict]

    @property
    def type(self) -> str:
        return self.mark["type"]


def _layers(spec: dict) -> list[_Layer]:
    unknown = set(spec) - {"data", "layer", "mark", "encoding", "resolve", "height", "width",
                           "title", "config", "$schema", "autosize", "padding"}  # fmt: skip
    if unknown:
        raise Unsupported(f"top-level {sorted(unknown)}")
    base = (spec.get("data") or {}).get("values", [])
    views = spec.get("layer", [spec])
    out = []
    for view in views:
        if "layer" in view:
            raise Unsupported("nested layers")
        mark = view.get("mark", "point")
        mark = {"type": mark} if isinstance(mark, str) else dict(mark)
        if mark["type"] not in _MARKS:
            raise Unsupported(f"mark {mark['type']!r}")
        enc = view.get("encoding", {})
        if set(enc) - _CHANNELS:
            raise Unsupported(f"channels {sorted(set(enc) - _CHANNELS)}")
        if "data" in view and "values" not in view["data"]:
            raise Unsupported("data other than inline values")
        rows = view["data"]["values"] if "data" in view else base
        out.append(_Layer(mark, enc, list(rows)))
    return out


def _discrete(channel: dict | None) -> bool:
    return bool(channel) and channel.get("type") in ("ordinal", "nominal")


# --- scales ----------------------------------------------------------------------------------


def _tick_step(span: float, count: float) -> float:
    """d3's tick step: 1, 2 or 5 times a power of ten."""
    raw = span / max(count, 1)
    step = 10 ** math.floor(math.log10(raw))
    error = raw / step
    if error >= math.sqrt(50):
        step *= 10
    elif error >= math.sqrt(10):
        step *= 5
    elif error >= math.sqrt(2):
        step *= 2
    return step


@dataclass
class _Linear:
    low: float
    high: float
    start: float  # pixel of low
    end: float  # pixel of high
    ticks: list[float]
    step: float
    integer: bool

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)

    def label(self, value: float) -> str:
        if self.integer:
            return f"{round(value):,}"
        decimals = max(0, -math.floor(math.log10(self.step))) if self.step < 1 else 0
        return f"{value:,.{decimals}f}"


def _linear(values: list[float], zero: bool, pixels: tuple[float, float], length: float,
            min_step: float | None, integer: bool) -> _Linear:  # fmt: skip
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    step = _tick_step(high - low, math.ceil(length / 40))
    if min_step:
        step = max(step, min_step)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    count = round((high - low) / step)
    ticks = [low + i * step for i in range(count + 1)]
    return _Linear(low, high, pixels[0], pixels[1], ticks, step, integer)


@dataclass
class _Points:
    """A discrete scale: categories at the centres of equal steps (Vega's point and band
    scales with their default padding)."""

    domain: list[str]
    start: float
    length: float
    index: dict = field(init=False)

    def __post_init__(self):
        self.index = {v: i for i, v in enumerate(self.domain)}

    @property
    def step(self) -> float:
        return self.length / max(len(self.domain), 1)

    def __call__(self, value) -> float | None:
        i = self.index.get(str(value))
        return None if i is None else self.start + self.step * (i + 0.5)


def _domain(layers: list[_Layer], channel: str) -> list[str]:
    order: list[str] = []
    for layer in layers:
        enc = layer.enc.get(channel)
        if enc and isinstance(enc.get("sort"), list):
            order = [str(v) for v in enc["sort"]]
            break
    seen = dict.fromkeys(order)
    for layer in layers:
        enc = layer.enc.get(channel)
        if enc:
            for row in layer.rows:
                if row.get(enc["field"]) is not None:
                    seen.setdefault(str(row[enc["field"]]))
    return list(seen)


def _stacks(layer: _Layer, discrete: str, value: str) -> list[tuple[dict, float, float]]:
    """Each row with its stacked start and end (``stack: zero``, in ``order``)."""
    enc = layer.enc
    key, field_ = enc[discrete]["field"], enc[value]["field"]
    order = enc.get("order", {}).get("field")
    rows = sorted(layer.rows, key=lambda r: (r.get(order) or 0) if order else 0)
    running: dict[str, float] = {}
    out = []
    for row in rows:
        x = _number(row.get(field_))
        if x is None:
            continue
        start = running.get(str(row[key]), 0.0)
        running[str(row[key])] = start + x
        out.append((row, start, start + x))
    return out


# --- symbols ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def symbol_path(shape: str, size: float) -> str:
    """A symbol of area ``size`` (square pixels) centred on 0,0, as path data: Vega's
    named shapes, or a custom path drawn within -1..1 (scaled like Vega's)."""
    r = math.sqrt(size) / 2
    if shape == "circle":
        c = math.sqrt(size / math.pi)
        return f"M{_n(-c)},0A{_n(c)},{_n(c)} 0 1,0 {_n(c)},0A{_n(c)},{_n(c)} 0 1,0 {_n(-c)},0Z"
    if shape == "square":
        return f"M{_n(-r)},{_n(-r)}h{_n(2 * r)}v{_n(2 * r)}h{_n(-2 * r)}Z"
    if shape == "diamond":
        d = math.sqrt(size / 2)
        return f"M0,{_n(-d)}L{_n(d)},0L0,{_n(d)}L{_n(-d)},0Z"
    if shape == "cross":
        a = math.sqrt(size / 5) / 2
        pts = [(-3, -1), (-1, -1), (-1, -3), (1, -3), (1, -1), (3, -1), (3, 1), (1, 1), (1, 3),
               (-1, 3), (-1, 1), (-3, 1)]  # fmt: skip
        return "M" + "L".join(f"{_n(x * a)},{_n(y * a)}" for x, y in pts) + "Z"
    if shape in ("triangle-up", "triangle-down", "triangle"):
        s = -1 if shape == "triangle-down" else 1
        return f"M0,{_n(-s * r)}L{_n(r)},{_n(s * r)}L{_n(-r)},{_n(s * r)}Z"
    if shape.lstrip().upper().startswith("M"):
        return _scaled_path(shape, r)
    raise Unsupported(f"shape {shape!r}")


def _scaled_path(path: str, r: float) -> str:
    """A custom symbol path (absolute M/L/Z commands within -1..1) scaled by ``r``."""
    out, number = [], ""
    for ch in path + " ":
        if ch in "0123456789.-" and not (ch == "-" and number):
            number += ch
            continue
        if number:
            out.append(_n(float(number) * r))
            number = ""
        if ch in "MLZmlz":
            if ch in "ml":
                raise Unsupported("relative commands in a custom shape")
            out.append(ch)
        elif ch == ",":
            out.append(",")
        elif ch == "-":
            number = "-"
        elif ch not in " \t\n":
            raise Unsupported(f"path command {ch!r} in a custom shape")
    return "".join(out).replace(",L", "L")


# --- the renderer ----------------------------------------------------------------------------


@dataclass
class _Legend:
    title: str
    entries: list[tuple[str, str, str]]  # label, colour, shape
    filled: bool
    columns: int | None


def scale_map(channel: dict | None) -> dict[str, str]:
    """A colour or shape channel's scale as domain value -> range value (both renderers)."""
    if not channel:
        return {}
    scale = channel.get("scale") or {}
    if "domain" not in scale or "range" not in scale:
        raise Unsupported(f"{channel.get('field')}: a colour or shape scale needs domain and range")
    return {str(d): r for d, r in zip(scale["domain"], scale["range"], strict=False)}


def _legends(layers: list[_Layer]) -> list[_Legend]:
    out: list[_Legend] = []
    seen = set()
    for layer in layers:
        colour = layer.enc.get("color")
        if not colour or colour.get("legend", {}) is None:
            continue
        shape = layer.enc.get("shape")
        shapes = scale_map(shape) if shape and shape.get("field") == colour["field"] else {}
        colours = scale_map(colour)
        default = "circle" if layer.type in ("point", "line") else "square"
        entries = [(label, c, shapes.get(label, default)) for label, c in colours.items()]
        key = (colour.get("title"), tuple(entries))
        if key in seen or not entries:
            continue
        seen.add(key)
        legend = colour.get("legend") or {}
        filled = (
            layer.mark.get("point", False)
            if layer.type == "line"
            else layer.mark.get("filled", True)
        )
        title = colour.get("title", colour["field"])
        out.append(_Legend(title or "", entries, filled, legend.get("columns")))
    return out


def _layout_legends(legends: list[_Legend], width: float) -> tuple[list[list], float]:
    """Legend rows: (x, y, kind, ...) items, and the height they take."""
    items: list[list] = []
    y = 0.0
    row_h = LABEL_SIZE + 7
    for legend in legends:
        if legend.title:
            items.append([0.0, y + TITLE_SIZE, "title", legend.title])
            y += TITLE_SIZE + 6
        widths = [18 + text_width(label, LABEL_SIZE) + 14 for label, _, _ in legend.entries]
        if legend.columns:
            col_w = max(widths)
            per_row = max(1, min(legend.columns, int(width // col_w) or 1))
            for i, (entry, _) in enumerate(zip(legend.entries, widths, strict=True)):
                items.append([(i % per_row) * col_w, y + (i // per_row) * row_h, "entry",
                              entry, legend.filled])  # fmt: skip
            y += math.ceil(len(widths) / per_row) * row_h
        else:
            x = 0.0
            for entry, w in zip(legend.entries, widths, strict=True):
                if x and x + w > width:
                    x, y = 0.0, y + row_h
                items.append([x, y, "entry", entry, legend.filled])
                x += w
            y += row_h
        y += 6
    return items, y


def render(spec: dict, width: int = 640, height: int | None = None) -> str:
    """``spec`` (Vega-Lite) as an SVG document, ``width`` pixels across its plot."""
    font = (spec.get("config") or {}).get("font", DEFAULT_FONT)
    plot_w = float(spec.get("width", width) if width is None else width)
    plot_h = float(height or spec.get("height") or 300)
    layers = _layers(spec)
    encoded = [layer for layer in layers if layer.enc]
    if not encoded or not any(layer.rows for layer in encoded):  # nothing to draw yet
        return _empty(plot_w, plot_h, font)
    discrete_x = any(_discrete(layer.enc.get("x")) for layer in encoded)
    discrete_y = any(_discrete(layer.enc.get("y")) for layer in encoded)
    if discrete_x == discrete_y:
        raise Unsupported("charts need one discrete axis and one quantitative axis")
    d_ch, q_ch = ("x", "y") if discrete_x else ("y", "x")

    # the quantitative scale: every value any layer puts on it (stacked where stacked)
    q_values: list[float] = []
    zero = True
    min_step = None
    integer = False
    q_title = None
    for layer in encoded:
        enc = layer.enc.get(q_ch)
        if not enc:
            continue
        if (enc.get("scale") or {}).get("zero") is False:
            zero = False
        axis = enc.get("axis") or {}
        min_step = axis.get("tickMinStep", min_step)
        integer = integer or axis.get("format") == "d"
        if q_title is None and enc.get("title"):
            q_title = enc["title"]
        if enc.get("stack") == "zero" or layer.type == "bar":
            q_values += [end for _, _, end in _stacks(layer, d_ch, q_ch)]
            continue
        for name in (enc["field"], (layer.enc.get(q_ch + "2") or {}).get("field")):
            if name:
                q_values += [x for r in layer.rows if (x := _number(r.get(name))) is not None]
    domain = _domain(encoded, d_ch)
    d_enc = next(layer.enc[d_ch] for layer in encoded if layer.enc.get(d_ch))
    d_axis = d_enc.get("axis") or {}

    # margins: the discrete axis' labels, the quantitative axis' labels and title
    angle = d_axis.get("labelAngle", 0)
    limit = d_axis.get("labelLimit", 180)
    # axis.values: label only these categories (a small chart of 40 quarters)
    labelled = {str(v) for v in d_axis["values"]} if "values" in d_axis else None
    shown_labels = [
        _fit(v, limit, LABEL_SIZE) if labelled is None or v in labelled else "" for v in domain
    ]
    widest = max((text_width(v, LABEL_SIZE) for v in shown_labels), default=0)
    provisional = _linear(q_values, zero, (0, 1), plot_h if q_ch == "y" else plot_w, min_step,
                          integer)  # fmt: skip
    q_labels = [provisional.label(t) for t in provisional.ticks]
    q_widest = max((text_width(t, LABEL_SIZE) for t in q_labels), default=0)
    title = spec.get("title")
    top = PAD + 6 + (CHART_TITLE_SIZE + 10 if title else 0)
    if d_ch == "x":
        left = PAD + q_widest + 8 + (TITLE_SIZE + 8 if q_title else 0)
        rad = math.radians(abs(angle))
        below = 8 + (widest * math.sin(rad) + LABEL_SIZE * math.cos(rad) if angle else LABEL_SIZE)
    else:
        left = PAD + widest + 8
        below = 8 + LABEL_SIZE + (TITLE_SIZE + 10 if q_title else 0)
    legends = _legends(encoded)
    legend_items, legend_h = _layout_legends(legends, plot_w)
    total_w = left + plot_w + PAD + 10
    total_h = top + plot_h + below + (12 + legend_h if legends else 0) + PAD

    if q_ch == "y":
        q = _linear(q_values, zero, (top + plot_h, top), plot_h, min_step, integer)
        d = _Points(domain, left, plot_w)
    else:
        q = _linear(q_values, zero, (left, left + plot_w), plot_w, min_step, integer)
        d = _Points(domain, top, plot_h)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(total_w)}" height="{_n(total_h)}" '
        f'viewBox="0 0 {_n(total_w)} {_n(total_h)}" font-family="{escape(font)}">',
        f'<rect width="{_n(total_w)}" height="{_n(total_h)}" fill="#ffffff"/>',
    ]
    if title:
        out.append(
            f'<text x="{_n(left + plot_w / 2)}" y="{_n(PAD + CHART_TITLE_SIZE)}" '
            f'text-anchor="middle" font-size="{CHART_TITLE_SIZE}" font-weight="bold" '
            f'fill="{TEXT}">{escape(str(title))}</text>'
        )
    out += _axes(q, d, q_ch, q_title, shown_labels, angle, left, top, plot_w, plot_h)
    for layer in layers:
        out += _draw(layer, q, d, q_ch, d_ch, left, top, plot_w, plot_h)
    if legends:
        out += _draw_legend(legend_items, left, top + plot_h + below + 12)
    out.append("</svg>")
    return "\n".join(out)


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str) -> str:
    return (f'<line x1="{_n(x1)}" x2="{_n(x2)}" y1="{_n(y1)}" y2="{_n(y2)}" '
            f'stroke="{stroke}"/>')  # fmt: skip


def _label(x: float, y: float, text: str, anchor: str, *, size: int = LABEL_SIZE,
           bold: bool = False, transform: str = "") -> str:  # fmt: skip
    """Text at x, y (or placed by ``transform``), escaped."""
    where = f'transform="{transform}"' if transform else f'x="{_n(x)}" y="{_n(y)}"'
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text {where} text-anchor="{anchor}" font-size="{size}"{weight} '
            f'fill="{TEXT}">{escape(str(text))}</text>')  # fmt: skip


def _empty(width: float, height: float, font: str) -> str:
    w, h = width + 2 * PAD, height + 2 * PAD
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(w)}" height="{_n(h)}" '
        f'viewBox="0 0 {_n(w)} {_n(h)}" font-family="{escape(font)}">'
        f'<rect width="{_n(w)}" height="{_n(h)}" fill="#ffffff"/>'
        + _label(w / 2, h / 2, "No figures to show yet", "middle")
        + "</svg>"
    )


def _axes(q, d, q_ch, q_title, labels, angle, left, top, plot_w, plot_h) -> list[str]:
    """Grid lines and tick labels of the quantitative axis, the discrete axis' labels, the
    axis lines and the quantitative axis' title."""
    out = ['<g class="axes">']
    bottom = top + plot_h
    if q_ch == "y":
        for tick in q.ticks:
            y = q(tick)
            out.append(_line(left, y, left + plot_w, y, GRID))
            out.append(_label(left - 6, y + 4, q.label(tick), "end"))
        out.append(_line(left, bottom, left + plot_w, bottom, AXIS))
        out.append(_line(left, top, left, bottom, AXIS))
        for value, text in zip(d.domain, labels, strict=True):
            if not text:
                continue
            x = d(value)
            out.append(_line(x, bottom, x, bottom + 5, AXIS))
            if angle:
                turn = f"translate({_n(x)},{_n(bottom + 8 + LABEL_SIZE * 0.7)}) rotate({angle})"
                out.append(_label(0, 0, text, "end", transform=turn))
            else:
                out.append(_label(x, bottom + 8 + LABEL_SIZE, text, "middle"))
        if q_title:
            turn = f"translate({_n(PAD + TITLE_SIZE)},{_n(top + plot_h / 2)}) rotate(-90)"
            out.append(_label(0, 0, q_title, "middle", size=TITLE_SIZE, bold=True,
                              transform=turn))  # fmt: skip
    else:
        for tick in q.ticks:
            x = q(tick)
            out.append(_line(x, top, x, bottom, GRID))
            out.append(_label(x, bottom + 8 + LABEL_SIZE, q.label(tick), "middle"))
        out.append(_line(left, top, left, bottom, AXIS))
        for value, text in zip(d.domain, labels, strict=True):
            if text:
                out.append(_label(left - 6, d(value) + 4, text, "end"))
        if q_title:
            out.append(_label(left + plot_w / 2, bottom + 16 + LABEL_SIZE + TITLE_SIZE, q_title,
                              "middle", size=TITLE_SIZE, bold=True))  # fmt: skip
    out.append("</g>")
    return out


def _stroke(mark: dict, colour: str) -> str:
    dash = mark.get("strokeDash")
    parts = [f'stroke="{escape(colour)}"', f'stroke-width="{mark.get("strokeWidth", 2)}"',
             'fill="none"']  # fmt: skip
    if dash:
        parts.append(f'stroke-dasharray="{",".join(str(v) for v in dash)}"')
    return " ".join(parts)


def _groups(layer: _Layer) -> dict[tuple, list[dict]]:
    """Rows by every nominal field that splits a line or area (detail, colour)."""
    keys = [layer.enc[c]["field"] for c in ("detail", "color") if c in layer.enc]
    groups: dict[tuple, list[dict]] = {}
    for row in layer.rows:
        groups.setdefault(tuple(str(row.get(k)) for k in keys), []).append(row)
    return groups


def _colour(layer: _Layer, row: dict, fallback: str = "#4c78a8") -> str:
    enc = layer.enc.get("color")
    if enc:
        return scale_map(enc).get(str(row.get(enc["field"])), fallback)
    return layer.mark.get("color", fallback)


def _path(points: list[tuple[float, float] | None], step_after: bool) -> str:
    """Path data through ``points``; ``None`` breaks the line."""
    out, pen = [], False
    for point in points:
        if point is None:
            pen = False
            continue
        x, y = point
        if not pen:
            out.append(f"M{_n(x)},{_n(y)}")
            pen = True
        elif step_after:
            out.append(f"H{_n(x)}V{_n(y)}")
        else:
            out.append(f"L{_n(x)},{_n(y)}")
    return "".join(out)


def _stepped(points: list[tuple[float, float]], step_after: bool) -> list[tuple[float, float]]:
    """The corners of a line through ``points``: each value held until the next (step-after)
    or straight from one to the next."""
    if not step_after:
        return points
    out = [points[0]]
    for (_, y0), (x1, y1) in zip(points, points[1:], strict=False):
        out += [(x1, y0), (x1, y1)]
    return out


def _draw(layer: _Layer, q, d, q_ch, d_ch, left, top, plot_w, plot_h) -> list[str]:
    mark, enc, kind = layer.mark, layer.enc, layer.type
    out: list[str] = []
    opacity = mark.get("opacity")
    op = f' opacity="{opacity}"' if opacity is not None else ""
    if kind == "rule":
        if q_ch != "y" or "x" in enc:
            raise Unsupported("rules other than horizontal lines across the plot")
        for row in layer.rows:
            value = _number(row.get(enc["y"]["field"]))
            if value is not None:
                y = q(value)
                out.append(f'<line x1="{_n(left)}" x2="{_n(left + plot_w)}" y1="{_n(y)}" '
                           f'y2="{_n(y)}" {_stroke(mark, mark.get("color", "#999999"))}'
                           f'{op}/>')  # fmt: skip
        return out
    if kind in ("bar", "text") and d_ch == "y":
        step = d.step
        for row, start, end in _stacks(layer, "y", "x"):
            y = d(row[enc["y"]["field"]])
            if y is None:
                continue
            colour = _colour(layer, row, mark.get("color", "#4c78a8"))
            if kind == "bar":
                h = step * 0.9
                out.append(f'<rect x="{_n(q(start))}" y="{_n(y - h / 2)}" '
                           f'width="{_n(q(end) - q(start))}" height="{_n(h)}" '
                           f'fill="{escape(colour)}"{op}/>')  # fmt: skip
            else:
                anchor = {"right": "end", "center": "middle"}.get(mark.get("align"), "start")
                weight = ' font-weight="bold"' if mark.get("fontWeight") == "bold" else ""
                text = row.get(enc["text"]["field"])
                out.append(f'<text x="{_n(q(end) + mark.get("dx", 0))}" y="{_n(y + 4)}" '
                           f'text-anchor="{anchor}" font-size="{LABEL_SIZE}"{weight} '
                           f'fill="{escape(colour)}">{escape(str(text))}</text>')  # fmt: skip
        return out
    if kind in ("bar", "text"):
        raise Unsupported(f"{kind} marks on a discrete x axis")
    xf, yf = enc["x"]["field"], enc["y"]["field"]

    def point_of(row: dict, field_: str) -> tuple[float, float] | None:
        x, value = d(row.get(xf)), _number(row.get(field_))
        return None if x is None or value is None else (x, q(value))

    if kind == "area":
        y2f = enc["y2"]["field"]
        step_after = mark.get("interpolate") == "step-after"
        colour = mark.get("color", "#4c78a8")
        for rows in _groups(layer).values():
            rows = sorted(rows, key=lambda r: d.index.get(str(r.get(xf)), -1))
            run: list[tuple[float, float, float]] = []
            for row in [*rows, None]:
                low = point_of(row, yf) if row else None
                high = point_of(row, y2f) if row else None
                if low and high:
                    run.append((low[0], low[1], high[1]))
                    continue
                if len(run) > 1:
                    edge = _stepped([(x, y) for x, y, _ in run], step_after)
                    back = _stepped([(x, y) for x, _, y in run], step_after)[::-1]
                    points = "L".join(f"{_n(x)},{_n(y)}" for x, y in edge + back)
                    out.append(f'<path d="M{points}Z" fill="{escape(colour)}"{op}/>')
                run = []
        return out
    if kind == "line":
        step_after = mark.get("interpolate") == "step-after"
        for rows in _groups(layer).values():
            rows = sorted(rows, key=lambda r: d.index.get(str(r.get(xf)), -1))
            colour = _colour(layer, rows[0], mark.get("color", "#4c78a8"))
            points = [point_of(r, yf) for r in rows]
            path = _path(points, step_after)
            if path:
                out.append(f'<path d="{path}" {_stroke(mark, colour)}{op}/>')
            if mark.get("point"):
                dot = symbol_path("circle", 36)
                for p in points:
                    if p is not None:
                        out.append(f'<path transform="translate({_n(p[0])},{_n(p[1])})" '
                                   f'd="{dot}" fill="{escape(colour)}"/>')  # fmt: skip
        return out
    # points
    shape_enc = enc.get("shape")
    shapes = scale_map(shape_enc) if shape_enc else {}
    size = mark.get("size", 30)
    filled = mark.get("filled", False)
    stroke = mark.get("stroke")
    for row in layer.rows:
        p = point_of(row, yf)
        if p is None:
            continue
        colour = _colour(layer, row)
        shape = shapes.get(str(row.get(shape_enc["field"])), "circle") if shape_enc else "circle"
        paint = (f'fill="{escape(colour)}"' if filled
                 else f'fill="none" stroke="{escape(colour)}" stroke-width="2"')  # fmt: skip
        if filled and stroke:
            paint += f' stroke="{escape(stroke)}" stroke-width="{mark.get("strokeWidth", 1)}"'
        out.append(f'<path transform="translate({_n(p[0])},{_n(p[1])})" '
                   f'd="{symbol_path(shape, size)}" {paint}/>')  # fmt: skip
    return out


def _draw_legend(items: list[list], x0: float, y0: float) -> list[str]:
    out = ['<g class="legend">']
    for item in items:
        x, y, kind = x0 + item[0], y0 + item[1], item[2]
        if kind == "title":
            out.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{TITLE_SIZE}" '
                       f'font-weight="bold" fill="{TEXT}">{escape(item[3])}</text>')  # fmt: skip
            continue
        (label, colour, shape), filled = item[3], item[4]
        cy = y + LABEL_SIZE / 2 + 1
        paint = (f'fill="{escape(colour)}" stroke="#333333" stroke-width="1"' if filled
                 else f'fill="none" stroke="{escape(colour)}" stroke-width="2"')  # fmt: skip
        out.append(f'<path transform="translate({_n(x + 7)},{_n(cy)})" '
                   f'd="{symbol_path(shape, 100)}" {paint}/>')  # fmt: skip
        out.append(f'<text x="{_n(x + 18)}" y="{_n(cy + 4)}" font-size="{LABEL_SIZE}" '
                   f'fill="{TEXT}">{escape(label)}</text>')  # fmt: skip
    out.append("</g>")
    return out
