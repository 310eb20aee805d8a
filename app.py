"""lsp-performance: routes only. Each page lives in pages/."""

import streamlit as st

from ui.context import sidebar

st.set_page_config(page_title="lsp-performance", page_icon=":material/monitoring:", layout="wide")

pages = [
    st.Page(
        "pages/framework.py",
        title="Framework",
        icon=":material/account_tree:",
        url_path="framework",
        default=True,
    ),
]
navigation = st.navigation(pages)
if sidebar():
    navigation.run()
