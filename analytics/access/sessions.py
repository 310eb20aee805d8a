"""Sign-in sessions: random tokens, kept in the accounts store only as hashes (pure: no I/O).

A session lives in the browser as a random token in an HttpOnly, SameSite cookie; the
accounts store (``analytics.authstore``) keeps its SHA-256 hash. It ends on sign-out, after
:func:`idle_limit` without use (``$LSP_SESSION_IDLE_HOURS``), and when its account is
disabled.

A page rerun must not cost a store round trip each time: what was read of a session is
trusted for :data:`RECHECK_AFTER` (or until this process changes an account or ends a
session), and the time a session was last seen is kept in this process (:class:`LastSeen`)
and written at most once every :data:`TOUCH_INTERVAL` per session (the idle limit is judged
on the later of the stored time and this process's own note). A change made by another
process (``lsp user disable``, another app process) is seen within :data:`RECHECK_AFTER`.

The cookie is set by an HTTP response (``serve.py``), not by the page script: after a
password is checked the page asks for a one-time hand-over code (:func:`issue_handover`),
and the browser exchanges it at ``/auth/session`` (:func:`redeem_handover`), which sets the
cookie. A code is used once, within :data:`HANDOVER_TTL`, and only by the browser whose
Streamlit XSRF token it was issued to.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

COOKIE_NAME = "lsp_session"
COOKIE_MAX_AGE = timedelta(days=30)  # the browser may keep it; the idle limit ends it sooner
TOUCH_INTERVAL = timedelta(minutes=5)  # a session's last use, written to the store
RECHECK_AFTER = timedelta(seconds=10)  # a session read from the store is trusted this long
HANDOVER_TTL = timedelta(seconds=60)
LOCK_AFTER_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


def idle_limit() -> timedelta:
    """How long a session may go unused before it ends (default 8 hours)."""
    hours = float(os.environ.get("LSP_SESSION_IDLE_HOURS") or 8)
    return timedelta(hours=hours)


def new_token() -> str:
    """A random session token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the accounts store keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_idle(last_seen: datetime, now: datetime, limit: timedelta | None = None) -> bool:
    return now - last_seen > (limit if limit is not None else idle_limit())


class LastSeen:
    """When each session was last used, in process memory, with the time last written."""

    def __init__(self) -> None:
        self._seen: dict[str, datetime] = {}
        self._written: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def seen(self, token_sha256: str, now: datetime, stored: datetime) -> bool:
        """Record a use; True when the store should be told now (first use in this
        process after :data:`TOUCH_INTERVAL`)."""
        with self._lock:
            self._seen[token_sha256] = now
            written = max(self._written.get(token_sha256, stored), stored)
            if now - written >= TOUCH_INTERVAL:
                self._written[token_sha256] = now
                return True
            return False

    def last(self, token_sha256: str, stored: datetime) -> datetime:
        with self._lock:
            return max(self._seen.get(token_sha256, stored), stored)

    def forget(self, token_sha256: str) -> None:
        with self._lock:
            self._seen.pop(token_sha256, None)
            self._written.pop(token_sha256, None)


LAST_SEEN = LastSeen()


@dataclass(frozen=True)
class _Handover:
    token: str
    binding: str
    expires: datetime
    next_path: str


_handovers: dict[str, _Handover] = {}
_handover_lock = threading.Lock()


def safe_next(path: str | None) -> str:
    """A path on this site to go to after sign-in (never another site)."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "://" in path:
        return "/"
    return path


def issue_handover(token: str, binding: str, now: datetime, next_path: str = "/") -> str:
    """A one-time code the browser exchanges for the session cookie."""
    code = secrets.token_urlsafe(24)
    with _handover_lock:
        for key in [k for k, h in _handovers.items() if h.expires < now]:
            del _handovers[key]
        _handovers[code] = _Handover(token, binding, now + HANDOVER_TTL, safe_next(next_path))
    return code


def redeem_handover(code: str, binding: str, now: datetime) -> tuple[str, str] | None:
    """(token, next path) for a valid code from the browser it was issued to, once."""
    with _handover_lock:
        handover = _handovers.pop(code, None)
    if handover is None or handover.expires < now:
        return None
    if not hmac.compare_digest(handover.binding, binding):
        return None
    return handover.token, handover.next_path
