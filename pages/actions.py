"""Actions: the action plan's milestones with their status by the action rules."""

import streamlit as st

from analytics import labels, present
from ui.components import status_summary, status_table
from ui.context import partnership_id, period
from ui.data import query

pid, p = partnership_id(), period()
st.title("Action plan")
if p is None:
    st.info("No returns loaded yet.")
    st.stop()
rule = st.radio(
    "Judge milestones by",
    ["days_behind", "percent"],
    format_func={
        "days_behind": "Days behind the due date",
        "percent": "% complete against % expected by now",
    }.get,
    horizontal=True,
    key="ac_rule",
)
actions = query("action_status_as_at", pid, p, rule)
st.caption(
    f"Milestones as at the end of {p}. On schedule; up to one month behind (amber); "
    "more than a month behind (red); completed; reprogrammed or suspended with "
    "approval, a category of its own."
)

f1, f2, f3 = st.columns([2, 3, 2])
overdue_only = f1.toggle("Overdue only", key="ac_overdue")
leads = f2.multiselect(
    "Lead partner", sorted(actions["lead_partner"].dropna().unique()), key="ac_leads"
)
themes = f3.multiselect("Theme group", actions["theme"].unique().tolist(), key="ac_themes")
shown = actions
if overdue_only:
    shown = shown[shown["milestone_status"].astype(str).isin(["red", "amber"])]
if leads:
    shown = shown[shown["lead_partner"].isin(leads)]
if themes:
    shown = shown[shown["theme"].isin(themes)]

counts = actions["milestone_status"].astype(str).value_counts()
status_summary(
    counts, tuple(labels.ACTION_STATUS), labels.ACTION_STATUS, labels.ACTION_BADGE, wrap=True
)
st.markdown(
    f"**{len(shown)}** of {len(actions)} milestones, {shown['action_code'].nunique()} actions."
)
if shown.empty:
    st.success("✔ No milestones match these filters.")
else:
    status_table(present.actions_table(shown), key="ac_table")
