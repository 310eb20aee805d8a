"""The app's charts: a plotly figure drawn by plotly.js's basic bundle in a Streamlit component.

``st.plotly_chart`` makes the browser fetch and compile Streamlit's plotly chunk (4.7 MB, all
of plotly.js) before the first chart draws, more than a second of a first visit
(docs/benchmarks.md). Our figures use scatter and bar traces, shapes and annotations only,
which the basic bundle draws (``plotly.js-basic-dist-min``, 1.2 MB, pinned in package.json).
``make setup`` copies it from node_modules to ``static/``, which Streamlit serves at
``/app/static/`` (``server.enableStaticServing`` in .streamlit/config.toml); the component's
script (``plotly_chart.js``) loads it once per page and draws each figure with
``Plotly.react``, so a changed figure redraws in place.

The figure goes to the browser as plotly's own JSON (what ``st.plotly_chart`` sends), made
once per figure object: the pages' figures are kept per data version (``ui.data``), so a
rerun sends the same text without encoding it again.
"""

from __future__ import annotations

import weakref
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = "plotly-basic.min.js"
STATIC_DIR = ROOT / "static"  # served at /app/static/; git-ignored, made by `make setup`
COMPONENT = "lsp_plotly_chart"
# No mode bar (its icon buttons have no names a screen reader can read), no zooming by the
# scroll wheel (the page scrolls instead); the chart follows its container's width
# (plotly_chart.js watches it).
CONFIG = {"displayModeBar": False, "scrollZoom": False}

_draw = st.components.v2.component(
    COMPONENT,
    js=(Path(__file__).with_name("plotly_chart.js")).read_text(encoding="utf-8"),
    # in the page's own DOM, not a shadow root: plotly.js puts its styles (hover labels,
    # cursors) in the document's head
    isolate_styles=False,
)

_JSON: dict[int, tuple[weakref.ref, str]] = {}


def figure_json(figure) -> str:
    """``figure`` (a ``go.Figure`` or a figure dict) as plotly's JSON, encoded once per Figure
    object (a theme's grid takes 8 ms to encode)."""
    import plotly.io as pio

    if isinstance(figure, dict):
        return pio.to_json(figure, validate=False)
    kept = _JSON.get(id(figure))
    if kept is not None and kept[0]() is figure:
        return kept[1]
    text = pio.to_json(figure, validate=False)
    key = id(figure)
    _JSON[key] = (weakref.ref(figure, lambda _ref: _JSON.pop(key, None)), text)
    return text


def bundle_url() -> str:
    """Where the browser fetches the bundle: ``/app/static/``, under the server's base path."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/app/static/{BUNDLE}"


def plotly_chart(figure, *, alt: str, key: str) -> None:
    """Draw ``figure`` (its own layout and colours) at the container's width, ``alt`` its
    accessible name (``role="img"`` and ``aria-label`` on the chart)."""
    _draw(
        key=key,
        data={"figure": figure_json(figure), "alt": alt, "config": CONFIG, "bundle": bundle_url()},
        width="stretch",
        height="content",
    )
