"""The app processes `lsp serve` starts: their command line and what they share.

Each is ``streamlit run serve.py`` (the app with its sign-in cookie routes and security
headers, as ``make run`` serves it) on its own loopback port, never reachable except through
the proxy. They share, through the environment:

- **Streamlit's cookie secret** (``STREAMLIT_SERVER_COOKIE_SECRET``): Streamlit signs its
  XSRF cookie and the single sign-on state with it, so a browser moved to another process
  (its own died) still passes the XSRF check on an upload or the sign-in cookie hand-over.
  Taken from the environment when set (a deployment keeps one in its env file, so tokens
  also survive a restart), else made for this run.
- **the warehouse** (``LSP_WAREHOUSE``, made absolute) and so its accounts store (the SQLite
  file beside it, or ``LSP_AUTH_DATABASE_URL`` passed on as it is);
- **``LSP_TRUSTED_PROXIES``**: whatever it was, plus the loopback addresses the proxy
  connects from, so sign-in throttling counts the client's address from Caddy's
  ``X-Forwarded-For``, not the proxy's.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import analytics

COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
TRUSTED_ENV = "LSP_TRUSTED_PROXIES"  # analytics.access.clients reads it
LOOPBACK = ("127.0.0.1", "::1")


def serve_script() -> Path:
    """``serve.py`` of this checkout (the project is installed editable, as `make` does)."""
    script = Path(analytics.__file__).resolve().parents[1] / "serve.py"
    if not script.is_file():
        raise FileNotFoundError(
            f"{script} is missing: `lsp serve` runs the app from the project's checkout "
            "(install it with `make setup`, which installs it editable)."
        )
    return script


def command(port: int, script: Path) -> list[str]:
    """One app process on ``127.0.0.1:port``: headless, no file watcher (nothing reloads in
    production), XSRF protection on (Streamlit's default), and no full garbage collection
    after every page run (``runner.postScriptGC``): with pandas, DuckDB and the page caches in
    memory a full collection took more than half of the CPU a page view costs (215 ms of CPU
    a view with it, 97 ms without, on the demo; benchmarks/results/load.md), and it holds the
    interpreter while it runs, so every other session waits. Python's own collector still
    runs as objects accumulate."""
    return [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--server.fileWatcherType", "none",
        "--server.runOnSave", "false", "--browser.gatherUsageStats", "false",
        "--runner.postScriptGC", "false",
    ]  # fmt: skip


def trusted_proxies(current: str | None) -> str:
    """``LSP_TRUSTED_PROXIES`` with the proxy's loopback addresses added."""
    listed = (current or "").replace(",", " ").split()
    return " ".join([*listed, *(a for a in LOOPBACK if a not in listed)])


def environment(base: dict[str, str], warehouse: Path) -> tuple[dict[str, str], str]:
    """The app processes' environment, and where their cookie secret came from."""
    env = dict(base)
    if env.get(COOKIE_SECRET_ENV):
        source = f"from {COOKIE_SECRET_ENV}"
    else:
        env[COOKIE_SECRET_ENV] = secrets.token_hex(32)
        source = (
            f"made for this run (set {COOKIE_SECRET_ENV} to keep browsers' tokens valid "
            "across restarts)"
        )
    env["LSP_WAREHOUSE"] = str(warehouse.resolve())
    env[TRUSTED_ENV] = trusted_proxies(env.get(TRUSTED_ENV))
    return env, source
