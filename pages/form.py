"""Return form: a theme group's quarterly return typed on the page. Checked as it is typed,
as a spreadsheet would be; saved as a draft; submitted as the return. Deep link (the
reminder e-mails' link): ?theme=ID&period=2011/12%20Q1"""

import streamlit as st

from ui import return_form
from ui.auth import current_user
from ui.context import partnership_id

pid, user = partnership_id(), current_user()
st.title("Return form")
st.caption(
    "Type each indicator's value for the quarter (with its unit if you like: 45%, 9.5 days, "
    "£2.3m), the data quality, and for anything off target the commentary and remedial "
    "action. Problems show under their field, with the status each value would get. Save a "
    "draft at any time; submit when it is ready. A spreadsheet can still be uploaded on the "
    "Returns page instead: whichever arrives last is the return."
)
done_note = st.container()  # always drawn: the form below keeps its place between runs
if done := st.session_state.pop("rf_done", None):
    done_note.success(done, icon=":material/check_circle:")
chosen = return_form.choose(pid, user)
if chosen is not None:
    return_form.show(pid, user, *chosen)
