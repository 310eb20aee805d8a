"""Every link between the documentation's pages (and from the README) resolves, anchors
included; every page of the app has a section of the user guide to link to. Offline and
quick: the pages are read as text, the anchors made as MkDocs makes them."""

from __future__ import annotations

import pytest

from tests.docs.links import DOCS, ROOT, anchors, broken, guide_page, links, pages
from ui.navigation import PAGES, SIGN_IN

SOURCES = [*pages(), ROOT / "README.md"]


@pytest.mark.parametrize("page", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test__links__every_link_in_the_page_resolves(page):
    problems = [why for target in links(page) if (why := broken(page, target))]
    assert not problems, f"{page.relative_to(ROOT)}:\n" + "\n".join(problems)


def test__links__the_checker_finds_a_missing_page_and_a_missing_anchor():
    page = DOCS / "guide" / "board.md"
    assert broken(page, "officer.md#publishing") is None
    assert broken(page, "#exceptions") is None
    assert broken(page, "../status-rules.md") is None
    assert "no file" in broken(page, "nowhere.md")
    assert "no heading" in broken(page, "officer.md#no-such-section")
    assert broken(page, "https://example.org/elsewhere") is None


def test__links__anchors_are_made_as_mkdocs_makes_them():
    ids = anchors(DOCS / "security.md")
    assert "every-row-of-a-return-is-its-theme-groups" in ids  # apostrophe dropped
    assert "http-headers" in ids
    assert "single-sign-on-microsoft-entra-id" in anchors(DOCS / "operations" / "sign-in.md")


@pytest.mark.parametrize("spec", [*PAGES, SIGN_IN], ids=lambda spec: spec.url_path)
def test__links__each_app_page_has_its_guide_section(spec):
    page, anchor = guide_page(spec.guide)
    assert page.exists(), f"{spec.title}: {spec.guide} has no page under docs/"
    assert anchor, f"{spec.title}: {spec.guide} names no section"
    assert anchor in anchors(page), f"{spec.title}: {page.relative_to(ROOT)} has no '#{anchor}'"


def test__links__the_readme_stays_short_and_keeps_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    assert "make run" in text and "make test" in text
