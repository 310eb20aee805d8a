"""Recommendations: the committee's tracker. Each recommendation with its response (due
two months after it was sent, with a countdown), implementation and RAG; its progress
updates; and the forms to record, respond, update and close (for those who may)."""

from datetime import date

import pandas as pd
import streamlit as st

from analytics.access import may
from analytics.scrutiny import present
from analytics.scrutiny.tracker import tracker
from ui.auth import current_user
from ui.context import partnership_id
from ui.data import query
from ui.scrutiny import committee_form, done_note, progress_form, record_form, response_form

pid, user = partnership_id(), current_user()
st.title("Recommendations")
if not may(user, "scrutiny.read", pid):
    st.warning("The scrutiny pages are for the committee, officers and the Board. Sign in.")
    st.stop()
done_note()
meetings = [pd.Timestamp(d).date() for d in query("review_dates", pid)["meeting_date"]]
recs = query("recommendations", pid)
# default: the latest thing that happened (a review meeting or a tracker entry), not later
# than today, so an old review's tracker reads as the committee saw it
events = [d for d in meetings if d <= date.today()]
for column in ("made_on", "response_on", "closed_on", "progress_on"):
    events += [pd.Timestamp(d).date() for d in recs[column].dropna()]
latest = min(max(events), date.today()) if events else date.today()
as_of = st.date_input(
    "As at",
    latest,
    key="rec_as_of",
    format="DD/MM/YYYY",
    help="Countdowns and RAG as on this date; default: the latest review meeting or entry.",
)
table = tracker(recs, as_of)
if may(user, "scrutiny.recommend", pid):
    with st.expander("Record a recommendation", expanded=table.empty):
        record_form(pid, user)
if table.empty:
    st.info("No recommendations recorded yet.")
    st.stop()
counts = table["rag"].value_counts()
st.markdown(
    " · ".join(
        f"**{counts.get(k, 0)}** {w}" for k, w in present.SCHEME_WORDS["recommendation"].items()
    )
    + f" · **{int(table['response_overdue'].sum())}** responses overdue"
)
shown = present.tracker_table(table)
st.dataframe(present.words(shown), hide_index=True, key="rec_table")
st.caption(
    "The response is due two months after the recommendation was sent (Local "
    "Government Act 2000, s.9FE). Green: implemented and closed by the committee; "
    "amber: progress acceptable; red: overdue or progress unacceptable."
)

refs = table["reference"].tolist()
if st.session_state.get("rec_new_ref") in refs:
    st.session_state["rec_pick"] = st.session_state.pop("rec_new_ref")
reference = st.selectbox("Open a recommendation", refs, key="rec_pick")
rec = table.set_index("reference").loc[reference]
st.subheader(f"{reference}: {rec['review']}")
st.markdown(rec["text"])
rag = present.words(shown).set_index("Reference").at[reference, "RAG"]
st.markdown(f"Addressed to **{rec['addressed_to']}** · RAG: **{rag}** ({rec['rag_reason']})")
if isinstance(rec["response_text"], str):
    st.markdown(
        f"Response ({rec['response_by']}, {rec['response_on']:%-d %b %Y}): {rec['response_text']}"
    )
updates = query("progress_updates", pid)
mine = updates[updates["reference"] == reference]
if not mine.empty:
    st.dataframe(
        mine.drop(columns="reference").rename(
            columns={
                "noted_on": "Dated",
                "note": "Progress",
                "status": "Implementation",
                "recorded_by": "By",
            }
        ),
        hide_index=True,
        key="rec_progress",
    )
closed = rec["closed_on"] is not None and str(rec["closed_on"]) not in ("NaT", "None", "nan")
if closed:
    st.info(f"Closed by the committee on {rec['closed_on']:%-d %b %Y}: {rec['closure_evidence']}")
elif may(user, "scrutiny.respond", pid):
    response_form(pid, user, reference, rec)
    progress_form(pid, user, reference)
if not closed and may(user, "scrutiny.recommend", pid) and isinstance(rec["response"], str):
    committee_form(pid, user, reference)
