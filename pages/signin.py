"""Sign in: Email, Password, Sign in. app.py shows this form at every URL until someone signs
in, then opens the page that URL names."""

import streamlit as st

from ui import auth
from ui.context import route_through_app

route_through_app()
user = auth.current_user()
if user is None:
    auth.sign_in_form()
else:
    st.title("Sign in")
    st.info(f"You are signed in as {user.display_name} ({user.email}).")
