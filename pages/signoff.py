"""Sign-off: the performance officer accepts each return or sends it back with a note, sets
the date the quarter locks, reopens a locked quarter for one theme group (with a reason), and
sets the collection's due dates and the Board's accepted-only view. Deep link:
?period=2011/12%20Q1"""

import streamlit as st

from analytics.access import may
from ui import signoff
from ui.auth import current_user
from ui.context import partnership_id, period

pid, user = partnership_id(), current_user()
st.title("Sign-off")
st.caption(
    "Check each return that has come in, then accept it or send it back with a note (the "
    "theme lead sees it on the form and is e-mailed). Lock the quarter once the Board has "
    "seen it; only a locked quarter of accepted returns can be published."
)
done_note = st.container()  # always drawn: the tabs below keep their place between runs
if done := st.session_state.pop("so_done", None):
    done_note.success(done, icon=":material/check_circle:")
quarter = signoff.choose_quarter(pid, period())
tab_review, tab_lock, tab_settings = st.tabs(["Returns", "Lock and reopen", "Settings"])
with tab_review:
    signoff.review(pid, user, quarter)
with tab_lock:
    signoff.lock(pid, user, quarter)
with tab_settings:
    if may(user, "collection.manage", pid):
        signoff.settings_form(pid, user)
    else:
        st.info("Only the performance officer changes the collection's settings.")
