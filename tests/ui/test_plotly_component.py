"""The app's chart component (ui/plotly_component.py): the figure it sends, where the browser
finds plotly.js, and that the bundle served is the one package.json pins."""

from __future__ import annotations

import gc
import json
import re
import tomllib

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit import config

from ui import plotly_component
from ui.plotly_component import BUNDLE, ROOT, STATIC_DIR, bundle_url, figure_json


def test__figure_json__is_plotlys_own_json_encoded_once_per_figure():
    figure = go.Figure(go.Scatter(x=["2010/11 Q1", "2010/11 Q2"], y=[1, 2], name="Actual"))
    text = figure_json(figure)
    assert json.loads(text) == json.loads(pio.to_json(figure, validate=False))
    assert figure_json(figure) is text  # the same figure object: not encoded again
    other = go.Figure(go.Bar(x=[3], y=["Red"], orientation="h"))
    assert json.loads(figure_json(other))["data"][0]["type"] == "bar"
    kept = len(plotly_component._JSON)
    del figure, other
    gc.collect()
    assert len(plotly_component._JSON) == kept - 2  # forgotten with the figures


def test__figure_json__takes_a_figure_dict_too():
    drawn = {"data": [{"type": "scatter", "y": [1, 3, 2]}], "layout": {"height": 300}}
    assert json.loads(figure_json(drawn))["layout"]["height"] == 300


@pytest.mark.parametrize(("base", "url"), [("", "/app/static/"), ("/lsp/", "/lsp/app/static/")])
def test__bundle_url__under_the_servers_base_path(base, url):
    before = config.get_option("server.baseUrlPath")
    config.set_option("server.baseUrlPath", base)
    try:
        assert bundle_url() == url + BUNDLE
    finally:
        config.set_option("server.baseUrlPath", before)


def test__the_app_serves_static_and_the_bundle_there_is_the_pinned_basic_bundle():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["enableStaticServing"] is True
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"][
        "plotly.js-basic-dist-min"
    ]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "an exact version"
    bundle = STATIC_DIR / BUNDLE
    assert bundle.is_file(), "make setup copies it from node_modules"
    head = bundle.read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{pinned}" in head
