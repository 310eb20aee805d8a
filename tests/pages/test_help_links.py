"""AppTest: every page's help link goes to its section of the user guide (PageSpec.guide),
the sign-in page's to "Signing in", and LSP_DOCS_URL moves them all to where a council
hosts the guide."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ADMIN
from ui.docs_site import DOCS_URL_ENV
from ui.navigation import PAGES, SIGN_IN

LINK = re.compile(r"\[:material/help: Help with this page \(user guide\)\]\(([^)]*)\)")


def _help_hrefs(elements) -> list[str]:
    return [m.group(1) for e in elements if (m := LINK.search(e.value))]


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test__help_link__each_page_links_to_its_own_guide_section(app, demo_warehouse, spec):
    at = app(demo_warehouse, page=spec.file, user=ADMIN)
    assert not at.exception
    assert _help_hrefs(at.sidebar.markdown) == [f"/docs/{spec.guide}"]


def test__help_link__sign_in_page_links_to_signing_in(app, demo_warehouse):
    at = app(demo_warehouse, user=None)
    assert not at.exception
    assert at.title[0].value == "Sign in"
    assert SIGN_IN.guide == "guide/#signing-in"
    assert _help_hrefs(at.main.markdown) == [f"/docs/{SIGN_IN.guide}"]


def test__help_link__follows_LSP_DOCS_URL(app, demo_warehouse, monkeypatch):
    monkeypatch.setenv(DOCS_URL_ENV, "https://intranet.council.example/lsp-guide/")
    at = app(demo_warehouse, page="pages/exceptions.py", user=ADMIN)
    assert not at.exception
    assert _help_hrefs(at.sidebar.markdown) == [
        "https://intranet.council.example/lsp-guide/guide/board/#exceptions"
    ]
