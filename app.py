"""lsp-performance: routes only. Each page lives in pages/."""

import streamlit as st

from ui.context import sidebar

st.set_page_config(page_title="lsp-performance", page_icon=":material/monitoring:", layout="wide")

pages = {
    "Board": [
        st.Page(
            "pages/overview.py",
            title="Overview",
            icon=":material/dashboard:",
            url_path="overview",
            default=True,
        ),
        st.Page(
            "pages/exceptions.py",
            title="Exceptions",
            icon=":material/report:",
            url_path="exceptions",
        ),
        st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
        st.Page("pages/theme.py", title="Theme group", icon=":material/groups:", url_path="theme"),
        st.Page(
            "pages/indicator.py",
            title="Indicator",
            icon=":material/query_stats:",
            url_path="indicator",
        ),
        st.Page(
            "pages/actions.py", title="Actions", icon=":material/checklist:", url_path="actions"
        ),
    ],
    "Performance officer": [
        st.Page(
            "pages/returns.py", title="Returns", icon=":material/upload_file:", url_path="returns"
        ),
        st.Page(
            "pages/framework.py",
            title="Framework",
            icon=":material/account_tree:",
            url_path="framework",
        ),
    ],
}
navigation = st.navigation(pages)
if sidebar():
    navigation.run()
