"""The page list: every page once, with the action a user needs to open it.

``app.py`` builds ``st.navigation`` from :data:`PAGES`, keeping the pages the signed-in
user's role allows (:func:`analytics.access.may`). A new page is one entry here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    url_path: str
    section: str
    action: str  # see analytics.access.roles.ACTIONS
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", "Board",
             "board.read", default=True),
    PageSpec("pages/exceptions.py", "Exceptions", ":material/report:", "exceptions", "Board",
             "board.read"),
    PageSpec("pages/trends.py", "Trends", ":material/show_chart:", "trends", "Board",
             "board.read"),
    PageSpec("pages/theme.py", "Theme group", ":material/groups:", "theme", "Board",
             "board.read"),
    PageSpec("pages/indicator.py", "Indicator", ":material/query_stats:", "indicator", "Board",
             "board.read"),
    PageSpec("pages/actions.py", "Actions", ":material/checklist:", "actions", "Board",
             "board.read"),
    PageSpec("pages/returns.py", "Returns", ":material/upload_file:", "returns",
             "Performance officer", "returns.submit"),
    PageSpec("pages/framework.py", "Framework", ":material/account_tree:", "framework",
             "Performance officer", "framework.read"),
)  # fmt: skip


def sidebar_navigation(specs: Iterable[PageSpec]) -> None:
    """The page list in the sidebar as links, under a heading per section, in the order given.

    Streamlit's own list puts its section headings as ``<div>`` inside its ``<ul>``, which
    fails WCAG 1.3.1 (axe-core rules ``list`` and ``listitem``); ``app.py`` hides it
    (``st.navigation(..., position="hidden")``) and draws this instead. Each link is a real
    link: Tab reaches it, Enter follows it, and the current page is marked for screen readers
    (``aria-current="page"``)."""
    from ui.components import keyboard_focus_styles

    keyboard_focus_styles()
    sections: dict[str, list[PageSpec]] = {}
    for spec in specs:
        sections.setdefault(spec.section, []).append(spec)
    with st.sidebar:
        for section, items in sections.items():
            st.markdown(f"**{section}**")
            for spec in items:
                st.page_link(spec.file, label=spec.title, icon=spec.icon)
        st.divider()
