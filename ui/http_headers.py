"""The HTTP headers a council's security review asks for, on every response ``serve.py``
sends (pages, static files, the cookie routes, downloads).

- ``Content-Security-Policy: frame-ancestors 'self'`` (and ``X-Frame-Options: SAMEORIGIN``
  for older browsers): no other site can frame the app (clickjacking). The policy names no
  script sources: Streamlit's own front end needs its scripts and styles as they are.
  ``object-src 'none'`` and ``base-uri 'self'`` close plugins and base-tag tricks.
- ``X-Content-Type-Options: nosniff``: a download is never run as another type.
- ``Referrer-Policy: strict-origin-when-cross-origin``: a link out never carries a page's
  address with its query string.
- ``Permissions-Policy``: no camera, microphone or location for the app.

The reverse proxy in front (``lsp serve``, docs/operations) sets the same, plus
``Strict-Transport-Security`` once TLS is on.
"""

from __future__ import annotations

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "frame-ancestors 'self'; object-src 'none'; base-uri 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """ASGI middleware: adds :data:`SECURITY_HEADERS` to every HTTP response that does not
    set them itself (websockets pass through untouched)."""

    def __init__(self, app) -> None:
        self.app = app
        self._encoded = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in self._encoded if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
