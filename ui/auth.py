"""The signed-in user of this browser session: sign-in, the session cookie, single sign-on,
sign-out.

The user is an :class:`analytics.access.User` kept in ``st.session_state["user"]``; pages and
write calls take it from :func:`current_user`. (AppTests sign in by setting that key.)

:func:`signed_in_user` runs at the top of every rerun (app.py). It keeps a session going,
or ends it (signed out elsewhere, idle too long, account disabled), reading the accounts
store at most every few seconds; a session's last use is written at most every few minutes
(analytics.access.sessions). A new tab or a reload finds the session from its HttpOnly
cookie; with single sign-on configured, the identity provider's email is matched to an
account, whose role is the accounts store's. Nothing here writes to the warehouse.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from analytics.access import User, clients, sessions, signin, with_tiers
from analytics.authstore import StoreError
from analytics.warehouse import accounts
from ui import auth_routes
from ui.components import help_link
from ui.data import current_path
from ui.navigation import SIGN_IN

SESSION_KEY = "session_sha256"
_NOTE = "signin_note"
ENDED = {
    "idle": "Your session ended after {hours:g} hours without use. Sign in again.",
    "disabled": "This account has been disabled. Ask an administrator if that is a mistake.",
    "signed out": "You have signed out.",
}


def current_user() -> User | None:
    """The signed-in user, with the reads their roles reach across the tiers (a county's
    officer in its districts, a district's in its county's LAA: analytics.access.with_tiers)."""
    return tiered(st.session_state.get("user"))


def tiered(user: User | None) -> User | None:
    if user is None or all(g.partnership_id is None for g in user.grants):
        return user
    from ui.data import query

    return with_tiers(user, query("parent_map"))


def _forget(note: str | None = None) -> None:
    for key in ("user", SESSION_KEY):
        st.session_state.pop(key, None)
    if note:
        st.session_state[_NOTE] = note


def _ended(reason: str) -> str:
    hours = sessions.idle_limit().total_seconds() / 3600
    return ENDED.get(reason, ENDED["signed out"]).format(hours=hours)


def _cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser connection (bare script runs)
        return None
    return value if isinstance(value, str) and value else None


def sso_configured() -> bool:
    """Single sign-on is on when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file
        return False


def sso_provider() -> str | None:
    """The named provider to pass to ``st.login`` (the first [auth.NAME] table), if any."""
    try:
        section = st.secrets["auth"]
        return next((k for k, v in section.items() if hasattr(v, "keys")), None)
    except Exception:
        return None


def sso_email() -> str | None:
    """The email the identity provider vouched for in this browser, if any."""
    if not sso_configured() or not st.user.is_logged_in:
        return None
    return st.user.get("email")


def signed_in_user(now: datetime | None = None) -> User | None:
    """The user of this rerun, or None (sign-in needed). When the accounts store cannot be
    reached the page says so, plainly, and stops."""
    try:
        return tiered(_signed_in_user(now))
    except StoreError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()


def _signed_in_user(now: datetime | None) -> User | None:
    path = current_path()
    accounts.store_for(path)
    now = now or datetime.now()
    user = current_user()
    if user is not None:
        digest = st.session_state.get(SESSION_KEY)
        if digest:
            state = signin.session_state(path, digest, now)
            if state is None or not state.active:
                reason = state.reason if state else "signed out"
                if reason in ("idle", "disabled"):
                    signin.end_session(path, digest, reason, now)
                _forget(_ended(reason))
                return None
            signin.seen_session(path, digest, state, now)
        elif (
            user.source == "sso"
            and user.user_id is not None
            and not signin.account_active(path, user.user_id, now)
        ):
            _forget(_ended("disabled"))
            return None
        return user
    token = _cookie(sessions.COOKIE_NAME)
    if token and not st.session_state.get("signed_out"):
        resumed = signin.resume_session(path, token, now)
        if resumed is not None:
            st.session_state["user"] = resumed
            st.session_state[SESSION_KEY] = sessions.token_hash(token)
            return resumed
    email = sso_email()
    if email and st.session_state.get("sso_refused") != email:
        matched = signin.sso_sign_in(path, email, now)
        if matched is not None:
            st.session_state["user"] = matched
            return matched
        st.session_state["sso_refused"] = email
    return None


def client_address() -> str:
    """The address this browser connects from (through a trusted proxy's X-Forwarded-For
    when ``LSP_TRUSTED_PROXIES`` names the proxy it came through)."""
    try:
        remote = st.context.ip_address
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # no browser connection (bare script runs)
        remote, forwarded = None, []
    remote = remote if isinstance(remote, str) else None  # AppTest has no real connection
    forwarded = [v for v in forwarded if isinstance(v, str)] if isinstance(forwarded, list) else []
    return clients.client_address(remote, forwarded, clients.trusted_proxies())


def sign_in(email: str, password: str, next_path: str = "/") -> str | None:
    """Check the password; on success sign this session in (and hand the browser its
    cookie). Returns the message to show when it failed."""
    result = signin.sign_in(current_path(), email, password, client=client_address())
    if result.user is None:
        return result.message
    st.session_state.pop("signed_out", None)
    st.session_state["user"] = result.user
    st.session_state[SESSION_KEY] = sessions.token_hash(result.token)
    if auth_routes.mounted():
        binding = auth_routes.xsrf_binding(_cookie(auth_routes.XSRF_COOKIE))
        st.session_state["cookie_handover"] = sessions.issue_handover(
            result.token, binding, datetime.now(), next_path
        )
    return None


def hand_over_cookie() -> None:
    """After a sign-in, once: the script that asks the server for the session cookie."""
    code = st.session_state.pop("cookie_handover", None)
    if code:
        st.html(auth_routes.handover_script(code), unsafe_allow_javascript=True)


def sign_out() -> None:
    """End the session here and in the accounts store; the browser's cookie is cleared next."""
    user = current_user()
    digest = st.session_state.get(SESSION_KEY)
    if digest:
        signin.end_session(current_path(), digest)
    _forget(_ended("signed out"))
    st.session_state["signed_out"] = True
    st.session_state["clear_cookie"] = auth_routes.mounted()
    if user is not None and user.source == "sso":
        st.logout()


def clear_cookie() -> None:
    if st.session_state.pop("clear_cookie", False):
        st.html(auth_routes.signout_script(), unsafe_allow_javascript=True)


def who_box(user: User, partnership_id: int | None) -> None:
    """The sidebar: who is signed in, their role here, and Sign out."""
    with st.sidebar:
        st.divider()
        st.markdown(f"Signed in as **{user.display_name}**")
        st.caption(f"{user.email} · {role_words(user, partnership_id)}")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            sign_out()
            st.rerun()


ROLE_WORDS = {
    "admin": "administrator",
    "officer": "performance officer",
    "theme_lead": "theme-group lead",
    "board": "Board member",
    "scrutiny": "scrutiny councillor",
}


def role_words(user: User, partnership_id: int | None) -> str:
    roles = user.roles(partnership_id) or user.roles(None)
    order = list(ROLE_WORDS)
    words = [ROLE_WORDS[r] for r in sorted(roles, key=order.index)]
    return ", ".join(words) or "no role here"


def sign_in_form(next_path: str = "/") -> None:
    """The sign-in page: Email, Password, Sign in (and single sign-on when configured).
    Shows nothing about any partnership."""
    st.title("Sign in")
    st.caption("lsp-performance: the partnership's performance dashboard.")
    help_link(SIGN_IN.guide, sidebar=False)
    clear_cookie()
    if note := st.session_state.pop(_NOTE, None):
        st.info(note, icon=":material/info:")
    if refused := st.session_state.get("sso_refused"):
        st.error(
            f"{refused} has no account here. Ask an administrator to add you "
            "(`lsp user add`), then sign in again."
        )
        if st.button("Sign out of single sign-on", key="sso_logout"):
            st.session_state.pop("sso_refused", None)
            st.logout()
    path = current_path()
    if accounts.account_count(path) == 0:
        st.warning(
            "This warehouse has no accounts yet, so nobody can sign in. On the server, add "
            "the first administrator:\n\n"
            '`lsp user add you@example.org --name "Your Name" --role admin --password-stdin`',
            icon=":material/person_add:",
        )
        return
    if next_path not in ("/", ""):
        st.caption(f"Sign in to open {next_path}.")
    with st.form("sign_in", enter_to_submit=True, border=True):
        email = st.text_input("Email", key="signin_email", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="signin_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        failed = sign_in(email, password, next_path)
        if failed:
            # keyed per attempt, so each answer is a new element (a browser test waits on it)
            attempt = st.session_state["signin_attempts"] = (
                st.session_state.get("signin_attempts", 0) + 1
            )
            with st.container(key=f"signin_failed_{attempt}"):
                st.error(failed, icon=":material/error:")
        else:
            st.rerun()
    if sso_configured():
        provider = sso_provider()
        if st.button("Sign in with your organisation's account", key="sso_login",
                     icon=":material/badge:"):  # fmt: skip
            st.login(provider) if provider else st.login()
    demo = accounts.demo_accounts(path)
    if demo:
        from analytics.demo.spec import DEMO_PASSWORD

        with st.expander("Demo accounts", expanded=True):
            st.markdown(
                f"This is the demo warehouse. Every demo account's password is "
                f"`{DEMO_PASSWORD}`.\n\n"
                + "\n".join(f"- `{email}`: {ROLE_WORDS[role]}" for email, role in demo)
            )
