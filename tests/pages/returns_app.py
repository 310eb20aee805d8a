"""A router for the Returns page's tests: app.py's sidebar and navigation, from a folder with no
``pages/`` beside it.

Why not app.py itself: AppTest resets ``PagesManager.uses_pages_directory`` before every run,
so with app.py (whose folder has ``pages/``) ``ui.context.route_through_app`` reruns
the script at the start of every AppTest run, and a button click is spent on the run it
abandons. Pages are given by absolute path, so the page under test is the real one.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUTER = """
import streamlit as st
from ui.context import sidebar

st.set_page_config(page_title="lsp-performance", layout="wide")
pages = [
    st.Page({returns!r}, title="Returns", url_path="returns", default=True),
    st.Page({framework!r}, title="Framework", url_path="framework"),
]
navigation = st.navigation(pages)
if sidebar():
    navigation.run()
"""


def app_script(folder: Path) -> Path:
    """A main script whose navigation includes pages/returns.py at url path ``returns``."""
    script = folder / "router_app.py"
    script.write_text(
        ROUTER.format(
            framework=str(ROOT / "pages" / "framework.py"),
            returns=str(ROOT / "pages" / "returns.py"),
        )
    )
    return script
