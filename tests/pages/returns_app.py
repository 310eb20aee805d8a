"""The app with the Returns page routed, for tests: app.py itself once it routes the page,
else a copy of its router with the page added (the lead adds it to app.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
ROUTER = """
import streamlit as st
from ui.context import sidebar

st.set_page_config(page_title="lsp-performance", layout="wide")
pages = [
    st.Page({framework!r}, title="Framework", url_path="framework", default=True),
    st.Page({returns!r}, title="Returns", url_path="returns"),
]
navigation = st.navigation(pages)
if sidebar():
    navigation.run()
"""


def app_script(folder: Path) -> Path:
    """A main script whose navigation includes pages/returns.py at url path ``returns``."""
    if "pages/returns.py" in APP.read_text():
        return APP
    script = folder / "router_app.py"
    script.write_text(
        ROUTER.format(
            framework=str(ROOT / "pages" / "framework.py"),
            returns=str(ROOT / "pages" / "returns.py"),
        )
    )
    return script
