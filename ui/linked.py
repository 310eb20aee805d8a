"""The recommendations linked to an indicator or a theme group, at the end of its page."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics.access import may
from analytics.scrutiny import present
from analytics.scrutiny.tracker import linked, tracker
from ui.auth import current_user
from ui.data import query
from ui.navigation import link


def linked_recommendations(pid: int, *, code: str | None = None, theme_id=None) -> None:
    if not may(current_user(), "scrutiny.read", pid):
        return
    st.subheader("Scrutiny recommendations")
    recs = linked(query("recommendations", pid), code=code, theme_id=theme_id)
    if recs.empty:
        st.caption("The Overview and Scrutiny Committee has made no recommendation on this.")
        return
    table = present.words(present.tracker_table(tracker(recs, date.today())))
    st.dataframe(table[["Reference", "Review", "Addressed to", "Response", "Implementation",
                        "RAG", "Why"]], hide_index=True, key="linked_recs")  # fmt: skip
    st.page_link(link("pages/recommendations.py"), label="Open the recommendation tracker", icon="")
