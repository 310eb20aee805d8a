"""The user guide as the app serves it: serve.py serves the built MkDocs site at /docs, the
sidebar's help link opens the page's section of it, and its pages pass axe-core."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import ROOT, serve, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def docs_server(demo_warehouse, tmp_path_factory):
    """The app serving a copy of the demo, with the guide built (strictly) into a tmp folder."""
    from analytics.authstore import copy_store

    site = tmp_path_factory.mktemp("guide")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300,
    )  # fmt: skip
    copy = tmp_path_factory.mktemp("served-docs") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    copy_store(demo_warehouse, copy)
    with serve(copy, env={"LSP_DOCS_DIR": str(site)}) as url:
        yield url


def _get(url: str):
    """Status, body and headers (looked up in any case)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), error.headers


def test__docs__served_at_docs_with_the_security_headers(docs_server):
    status, html, headers = _get(f"{docs_server}/docs")  # redirected to /docs/
    assert status == 200
    assert "<title>lsp-performance</title>" in html and "Who reads what" in html
    assert headers.get("X-Content-Type-Options") == "nosniff"
    status, html, _ = _get(f"{docs_server}/docs/guide/board/")
    assert status == 200 and 'id="exceptions"' in html
    status, _, _ = _get(f"{docs_server}/docs/assets/stylesheets/")
    assert status == 404
    status, _, _ = _get(f"{docs_server}/docs/no-such-page/")
    assert status == 404


def test__docs__the_help_link_opens_the_pages_guide_section(docs_server, page):
    page.goto(f"{docs_server}/exceptions")
    sign_in(page, "board@wyvernvale.example")
    link = page.get_by_role("link", name="Help with this page (user guide)")
    assert link.get_attribute("href") == "/docs/guide/board/#exceptions"
    with page.context.expect_page() as opened:
        link.click()
    guide = opened.value
    guide.wait_for_load_state()
    assert guide.url.endswith("/docs/guide/board/#exceptions")
    assert guide.get_by_role("heading", name="Exceptions").first.is_visible()


def test__docs__sign_in_page_links_to_signing_in(docs_server, page):
    page.goto(docs_server)
    link = page.get_by_role("link", name="Help with this page (user guide)")
    assert link.get_attribute("href") == "/docs/guide/#signing-in"


@pytest.mark.parametrize(
    "path", ["", "guide/board/", "accessibility/", "operations/configuration/"]
)
def test__docs__pages_pass_axe_wcag_a_and_aa(docs_server, page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{docs_server}/docs/{path}")
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                        "wcag21aa", "wcag22aa"]}},
    )  # fmt: skip
    assert results.violations_count == 0, results.generate_report()
