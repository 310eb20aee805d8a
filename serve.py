"""What `make run` serves: the app (app.py) with the routes that set and clear the sign-in
cookie (ui/auth_routes.py), the user guide built by `make docs` at /docs (ui/docs_site.py),
and the security headers on every response (ui/http_headers.py), in a process tuned for many
sessions (ui/process_tuning.py).
`streamlit run serve.py` finds ``app`` and serves it with Streamlit's ASGI server; XSRF
protection stays on."""

import streamlit as st
from starlette.middleware import Middleware

from ui import docs_site, process_tuning
from ui.auth_routes import routes
from ui.http_headers import SecurityHeaders

process_tuning.apply()  # many sessions on one interpreter: see ui/process_tuning.py
app = st.App(
    "app.py", routes=[*routes(), *docs_site.routes()], middleware=[Middleware(SecurityHeaders)]
)
