"""lsp-performance: routes only. Each page lives in pages/; the list is ui/navigation.py."""

import streamlit as st

from ui.context import sidebar
from ui.navigation import PAGES, sidebar_navigation

st.set_page_config(page_title="lsp-performance", page_icon=":material/monitoring:", layout="wide")

pages: dict[str, list] = {}
for spec in PAGES:
    pages.setdefault(spec.section, []).append(
        st.Page(
            spec.file,
            title=spec.title,
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.default,
        )
    )
navigation = st.navigation(pages, position="hidden")
sidebar_navigation(PAGES)  # Streamlit's own list fails axe's list rules: see README
if sidebar():
    navigation.run()
