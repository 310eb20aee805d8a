"""The real app in headless Chromium: a Streamlit server on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    """Poll the server's health endpoint until it answers (bounded), or fail."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling interval of a bounded wait, not a stand-in for one
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout_s} s")


@contextmanager
def serve(warehouse: Path, env: dict[str, str] | None = None):
    """The app as `make run` serves it (serve.py: app.py and the sign-in cookie routes) on a
    free loopback port, serving ``warehouse`` (``env``: more settings, e.g. ``LSP_TODAY``);
    yields its base URL."""
    port = _free_port()
    env = {**os.environ, "LSP_WAREHOUSE": str(warehouse), **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def app_server(demo_warehouse, tmp_path_factory):
    """Base URL of the app serving a copy of the demo warehouse and its accounts store
    (signing in writes sessions there; tests must not commit returns)."""
    import shutil

    from analytics.authstore import copy_store

    copy = tmp_path_factory.mktemp("served") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    copy_store(demo_warehouse, copy)
    with serve(copy) as url:
        yield url


DEMO_PASSWORD = "wyvern-vale-demo"
OFFICER_EMAIL = "officer@wyvernvale.example"


def sign_in(tab, email: str = OFFICER_EMAIL, password: str = DEMO_PASSWORD) -> None:
    """Sign in on the sign-in form the tab shows (it then goes on to the page it was
    opened at) and wait until the sidebar says who is signed in."""
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password", exact=True).fill(password)
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_role("button", name="Sign out").wait_for(timeout=90_000)  # argon2 under load


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    # A wait for an element, not a sleep: generous, so a machine busy with other work (a
    # page's first run reads the warehouse and warms the caches) fails nothing that works.
    tab.set_default_timeout(90_000)
    yield tab
    context.close()
