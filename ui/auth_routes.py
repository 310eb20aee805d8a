"""The two HTTP routes that set and clear the sign-in cookie (mounted by ``serve.py``).

A page script cannot set an HttpOnly cookie: only an HTTP response can. So after the
sign-in page has checked a password and started a session, it hands the browser a one-time
code, and a few lines of JavaScript on the page POST it to ``/lsp-auth/session``; the
response sets the session token as an HttpOnly, SameSite=Lax cookie that page scripts can
never read. Both routes are POSTs that must carry Streamlit's XSRF token (the same
double-submit check Streamlit's own upload route makes), and a code is honoured only for
the browser whose XSRF token it was issued to, once, within a minute.

Served without these routes (``streamlit run app.py``, or AppTest), sign-in still works
but lasts only as long as the browser tab's connection.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from analytics.access import sessions

SESSION_PATH = "/lsp-auth/session"
SIGNOUT_PATH = "/lsp-auth/signout"
XSRF_COOKIE = "_streamlit_xsrf"
_state = {"mounted": False}


def mounted() -> bool:
    """Whether this process serves the cookie routes (so the page should hand over)."""
    return _state["mounted"]


def xsrf_binding(xsrf_cookie: str | None) -> str:
    """A hash of the token inside Streamlit's XSRF cookie (stable for the browser, though the
    cookie's masked text changes)."""
    if not xsrf_cookie:
        return ""
    from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

    token, _ = decode_xsrf_token_string(xsrf_cookie)
    return hashlib.sha256(token).hexdigest() if token else ""


def _xsrf_ok(request) -> bool:
    from streamlit.web.server.server_util import is_xsrf_enabled
    from streamlit.web.server.starlette.starlette_app_utils import validate_xsrf_token

    if not is_xsrf_enabled():
        return True
    return validate_xsrf_token(request.headers.get("X-Xsrftoken"), request.cookies.get(XSRF_COOKIE))


def _secure(request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


async def _session(request):
    from starlette.responses import PlainTextResponse, Response

    if not _xsrf_ok(request):
        return PlainTextResponse("XSRF token missing or invalid", status_code=403)
    try:
        code = str((await request.json()).get("code", ""))
    except ValueError:
        return PlainTextResponse("expected JSON with a code", status_code=400)
    found = sessions.redeem_handover(
        code, xsrf_binding(request.cookies.get(XSRF_COOKIE)), datetime.now()
    )
    if found is None:
        return PlainTextResponse("unknown or expired code", status_code=400)
    token, _next = found
    response = Response(status_code=204)
    response.set_cookie(
        sessions.COOKIE_NAME, token, max_age=int(sessions.COOKIE_MAX_AGE.total_seconds()),
        path="/", httponly=True, samesite="lax", secure=_secure(request),
    )  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response


async def _signout(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse, Response

    from analytics.access import signin

    if not _xsrf_ok(request):
        return PlainTextResponse("XSRF token missing or invalid", status_code=403)
    token = request.cookies.get(sessions.COOKIE_NAME)
    if token:
        await run_in_threadpool(signin.end_session, None, sessions.token_hash(token))
    response = Response(status_code=204)
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=_secure(request))  # fmt: skip
    return response


def routes() -> list:
    """The routes for ``st.App(..., routes=routes())``."""
    from starlette.routing import Route

    _state["mounted"] = True
    return [
        Route(SESSION_PATH, _session, methods=["POST"]),
        Route(SIGNOUT_PATH, _signout, methods=["POST"]),
    ]


_FETCH = """<script>
(function () {{
  var m = document.cookie.match(/(?:^|;\\s*)_streamlit_xsrf=([^;]*)/);
  fetch({path!r}, {{method: "POST", credentials: "same-origin",
    headers: {{"Content-Type": "application/json", "X-Xsrftoken": m ? m[1] : ""}},
    body: JSON.stringify({body})}});
}})();
</script>"""


def handover_script(code: str) -> str:
    """The page's JavaScript that exchanges a one-time code for the cookie."""
    import json

    return _FETCH.format(path=SESSION_PATH, body=json.dumps({"code": code}))


def signout_script() -> str:
    return _FETCH.format(path=SIGNOUT_PATH, body="{}")
