"""The signed-in user of this browser session.

The user is an :class:`analytics.access.User` kept in ``st.session_state["user"]``; pages and
write calls take it from :func:`current_user`. (AppTests sign in by setting that key.)
"""

from __future__ import annotations

import streamlit as st

from analytics.access import User


def current_user() -> User | None:
    return st.session_state.get("user")
