"""What the server answers over HTTP, as `make run` serves it (serve.py): the security
headers a council's review asks for on every response, and the cookie routes refusing a
cross-site post (no XSRF token, a forged one, a token from another browser)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import serve
from ui.http_headers import SECURITY_HEADERS

pytestmark = pytest.mark.browser  # a real server on a loopback port


@pytest.fixture(scope="module")
def server(demo_warehouse, tmp_path_factory):
    import shutil

    copy = tmp_path_factory.mktemp("http") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    with serve(copy) as url:
        yield url


def _request(url: str, method: str = "GET", headers: dict | None = None, body: bytes = b""):
    request = urllib.request.Request(url, data=body or None, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize("path", ["/", "/returns", "/_stcore/health", "/lsp-auth/session"])
def test__every_response__carries_the_security_headers(server, path):
    method = "POST" if path.startswith("/lsp-auth") else "GET"
    _status, headers, _ = _request(server + path, method)
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "headers",
    [
        {},  # a cross-site form post: no XSRF header, no cookie
        {"X-Xsrftoken": "2|00000000|" + "0" * 64 + "|1"},  # forged, no matching cookie
        {"X-Xsrftoken": "abc", "Cookie": "_streamlit_xsrf=def", "Origin": "https://evil.example"},
    ],
)
def test__cookie_routes__refuse_a_post_without_this_browsers_xsrf_token(server, headers):
    body = json.dumps({"code": "anything"}).encode()
    for path in ("/lsp-auth/session", "/lsp-auth/signout"):
        status, response_headers, text = _request(
            server + path, "POST", {"Content-Type": "application/json", **headers}, body
        )
        assert status == 403, (path, text)
        assert "set-cookie" not in {k.lower() for k in response_headers}
