"""The built public site, served by a plain static server on loopback, in headless
Chromium: every link works, every kind of page passes axe-core, the keyboard gets around."""

from __future__ import annotations

import functools
import threading
import urllib.request
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="session")
def demo_site(demo_warehouse, tmp_path_factory):
    from analytics.site.build import build_site

    out = tmp_path_factory.mktemp("demo_site") / "site"
    build_site(demo_warehouse, out)
    return out


@pytest.fixture(scope="session")
def site_url(demo_site):
    handler = functools.partial(_Quiet, directory=str(demo_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "img", "script"):
                self.links.append(attrs[name])


def test__site__crawl_finds_no_broken_link_and_nothing_from_another_host(site_url):
    seen, queue, pages, fragments = set(), [site_url], 0, []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url, timeout=10) as response:  # raises on 404
            assert response.status == 200, url
            body = response.read()
            kind = response.headers.get_content_type()
        if kind != "text/html":
            continue
        pages += 1
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target, fragment = urldefrag(urljoin(url, link))
            assert urlparse(target).netloc == urlparse(site_url).netloc, (url, link)
            if fragment and target == url:
                fragments.append((url, fragment, parser.ids))
            if target not in seen:
                queue.append(target)
    assert pages > 60
    for url, fragment, ids in fragments:
        assert fragment in ids, (url, fragment)
    assert any(u.endswith("/indicators/ni-191/") for u in seen)
    assert any(u.endswith(".csv") for u in seen) and any(u.endswith(".docx") for u in seen)


KINDS = [
    "", "themes/safer-communities/", "themes/safer-communities/trends-2/",
    "indicators/ni-191/", "annual-reports/",
    "annual-reports/2009-10/", "about/", "how-we-judge-status/", "accessibility/",
    "open-data/", "open-data/indicator-history/", "summary/",
]  # fmt: skip


@pytest.mark.parametrize("path", KINDS)
def test__site__every_kind_of_page_passes_axe(page, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag",
                             "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                        "best-practice"]}},
    )  # fmt: skip
    assert results.violations_count == 0, results.generate_report()


def test__site__keyboard_skip_link_then_navigation(page, site_url):
    page.goto(site_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    page.keyboard.press("Tab")  # the next stop is inside the main content
    assert page.evaluate("document.activeElement.closest('main') !== null")
    page.goto(site_url)
    names = []
    for _ in range(8):  # skip link, the council's link, then the menu, in order
        page.keyboard.press("Tab")
        names.append(" ".join(page.evaluate("document.activeElement.textContent").split()))
    assert names.index("Annual reports") < names.index("About the partnership")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none" or (
        page.evaluate("getComputedStyle(document.activeElement).boxShadow") != "none"
    )
    page.goto(site_url)
    link = page.get_by_role("link", name="Communities that are safe and feel safe").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/themes/safer-communities/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Communities")


def test__site__works_without_javascript_and_charts_have_text(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "indicators/ni-191/")
    svg = tab.locator("svg[role=img]").first
    assert "Trend chart of NI 191" in svg.locator("title").text_content()
    assert tab.get_by_role("table").count() >= 2
    assert tab.locator("script").count() == 0
    context.close()
