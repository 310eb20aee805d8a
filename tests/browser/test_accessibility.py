"""WCAG 2.2 AA in a real browser: axe-core's A and AA rules over every page (and every tab
and expander on it), a keyboard-only walk Overview -> Exceptions -> Indicator, and every
page at 1280 px with each exception's commentary and remedial action in view."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import sign_in
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTH = 1280

# The script has finished its run and every element has been drawn (no loading placeholders),
# every chart too (plotly.js draws it after its bundle has loaded: ui/plotly_chart.js).
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && [...document.querySelectorAll('.lsp-plotly-chart')]
         .every(chart => chart.querySelector('svg.main-svg'));
}"""


def settle(page) -> None:
    page.locator("h1").first.wait_for()
    page.wait_for_function(SETTLED)


def open_page(page, url: str) -> None:
    """Go to ``url``; sign in as the demo officer first if the app asks (the sign-in form
    is checked by axe too, by the page it leads to: every page's URL shows it first)."""
    page.goto(url)
    # the app has answered either way before deciding (counting a button that has not been
    # drawn yet skipped the sign-in and then waited for a page that never came)
    sign_in_button = page.get_by_role("button", name="Sign in")
    sign_in_button.or_(page.get_by_role("button", name="Sign out")).first.wait_for()
    settle(page)
    if sign_in_button.count():
        assert violations(page) == [], "the sign-in form"
        sign_in(page)
        page.goto(url)
        settle(page)


def page_url(base: str, spec) -> str:
    deep = {"indicator": "?indicator=NI%20191"}
    return f"{base}/{'' if spec.default else spec.url_path}{deep.get(spec.url_path, '')}"


def violations(page) -> list[str]:
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(n["html"][:120] for n in v["nodes"][:3])
        for v in result.response["violations"]
    ]


def open_every_expander(page) -> None:
    # visible ones: an expander on a tab not chosen (the Returns page's tracker) stays shut
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary:visible")
    for _ in range(closed.count()):
        closed.first.click()
    page.wait_for_function(SETTLED)


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 2400})
    tab = context.new_page()
    tab.set_default_timeout(120_000)
    yield tab
    context.close()


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test__accessibility__every_page_passes_axe_wcag_a_and_aa(app_server, wide_page, spec):
    page = wide_page
    open_page(page, page_url(app_server, spec))
    open_every_expander(page)
    found = {"first view": violations(page)}
    tabs = page.get_by_role("tab")
    for i in range(1, tabs.count()):
        name = tabs.nth(i).inner_text()
        tabs.nth(i).click()
        page.wait_for_function(SETTLED)
        open_every_expander(page)
        found[f"tab {name!r}"] = violations(page)
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def tab_to(page, test: str, limit: int = 400) -> None:
    """Press Tab until the focused element passes ``test`` (a JS predicate on it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return {test}; }}"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def focus_ring(page) -> str:
    """The focused element's outline: visible focus is a solid ring, not just a tint."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return `${s.outlineStyle} ${s.outlineWidth}`; }"
    )


def test__keyboard__overview_to_exceptions_to_indicator_with_tab_and_enter(app_server, page):
    open_page(page, app_server)
    page.get_by_role("heading", name="Overview", exact=True).wait_for()
    tab_to(page, "e.tagName === 'A' && e.textContent.trim().endsWith('Exceptions')")
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Exceptions", exact=True).wait_for()
    settle(page)
    # the first exception's own link, reached and followed by keyboard alone
    tab_to(page, "e.tagName === 'A' && (e.getAttribute('href') || '').includes('indicator=')")
    assert focus_ring(page) == "solid 3px"
    code = re.search(r"Open (.+?): ", page.evaluate("document.activeElement.textContent"))
    assert code, "the exception's link names its indicator"
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name=re.compile(rf"^{re.escape(code.group(1))}: "))
    heading.wait_for()
    settle(page)
    # the chart's data, one keypress away
    tab_to(page, "e.tagName === 'SUMMARY' && e.textContent.includes('Chart data as a table')")
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    opened = page.locator("details[open]").filter(has_text="Chart data as a table")
    opened.get_by_test_id("stDataFrame").wait_for()


def shots_dir(tmp_path: Path) -> Path:
    """Where the screenshots go: ``LSP_SCREENSHOTS`` to keep them, else the test's tmp."""
    folder = Path(os.environ.get("LSP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def full_height_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its own container: make the viewport as tall as the page."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": min(max(int(height) + 100, 800), 30000)})
    page.wait_for_function(SETTLED)
    page.screenshot(path=str(path))


def test__screenshots__every_page_at_1280_and_every_exception_readable(
    app_server, wide_page, tmp_path
):
    page, folder = wide_page, shots_dir(tmp_path)
    for spec in PAGES:
        open_page(page, page_url(app_server, spec))
        full_height_screenshot(page, folder / f"{spec.url_path}.png")
        page.set_viewport_size({"width": WIDTH, "height": 2400})
        if spec.url_path != "exceptions":
            continue
        report = page.get_by_role("tabpanel").first
        summary = page.get_by_text(re.compile(r"^\d+ exceptions of \d+ indicators")).inner_text()
        count = int(summary.split()[0])
        assert count > 0
        texts = report.get_by_test_id("stText")
        assert texts.count() == 2 * count  # commentary and remedial action for each
        main_width = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return [m.scrollWidth, m.clientWidth]; }"
        )
        assert main_width[0] <= main_width[1], "the page scrolls sideways"
        for i in range(texts.count()):
            box = texts.nth(i).bounding_box()
            overflow = texts.nth(i).evaluate("e => e.scrollWidth - e.clientWidth")
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, i
            assert overflow <= 0, f"text {i} is cut off"


def test__accessibility__returns_with_a_file_loaded_passes_axe(app_server, wide_page, tmp_path):
    """The Returns page with a file read and previewed (not committed): its mapping editor,
    messages and preview pass too; the screenshot shows the preview at 1280 px."""
    page, folder = wide_page, shots_dir(tmp_path)
    file = tmp_path / "health_q4.csv"
    file.write_text(
        "Improving health and well-being\nQuarterly performance return, Q4 2010/11\n\n"
        "PI ref,Measure,Result,Commentary\nNI 8,Adult participation in sport,23.5,Up\n"
        "NI 39,Alcohol-harm related hospital admissions,1610,Below profile\n"
    )
    open_page(page, f"{app_server}/returns")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(file))
    page.get_by_role("heading", name="Preview").wait_for()
    page.get_by_role("button", name="Commit 1 return").wait_for()
    settle(page)
    open_every_expander(page)
    assert violations(page) == []
    full_height_screenshot(page, folder / "returns-preview.png")
