"""A router for the Publish and Annual report pages' click tests (see ``returns_app``: with
app.py, AppTest spends a button click on a run it abandons)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.warehouse.connection import ENV_VAR, close_readers

ROOT = Path(__file__).resolve().parents[2]
ROUTER = """
import streamlit as st
from ui.context import sidebar

st.set_page_config(page_title="lsp-performance", layout="wide")
pages = [
    st.Page({page!r}, title="Page", url_path="page", default=True),
]
navigation = st.navigation(pages)
if sidebar():
    navigation.run()
"""


@pytest.fixture
def page_app(monkeypatch, tmp_path):
    """``page_app(warehouse, "pages/publish.py", user)``: that page alone, run, signed in."""

    def run(warehouse, page: str, user) -> AppTest:
        monkeypatch.setenv(ENV_VAR, str(warehouse))
        close_readers()
        script = tmp_path / "router_app.py"
        script.write_text(ROUTER.format(page=str(ROOT / page)))
        at = AppTest.from_file(str(script), default_timeout=90)
        at.session_state["user"] = user
        at.run()
        assert not at.exception
        return at

    return run
