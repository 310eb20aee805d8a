"""What `make run` serves: the app (app.py) with the routes that set and clear the sign-in
cookie (ui/auth_routes.py). `streamlit run serve.py` finds ``app`` and serves it with
Streamlit's ASGI server; XSRF protection stays on."""

import streamlit as st

from ui.auth_routes import routes

app = st.App("app.py", routes=routes())
