"""What `make run` serves: the app (app.py) with the routes that set and clear the sign-in
cookie (ui/auth_routes.py) and the security headers on every response (ui/http_headers.py).
`streamlit run serve.py` finds ``app`` and serves it with Streamlit's ASGI server; XSRF
protection stays on."""

import streamlit as st
from starlette.middleware import Middleware

from ui.auth_routes import routes
from ui.http_headers import SecurityHeaders

app = st.App("app.py", routes=routes(), middleware=[Middleware(SecurityHeaders)])
