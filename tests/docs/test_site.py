"""The documentation builds as a site with MkDocs Material, strictly (a broken link, a
missing anchor or a page left out of the nav fails), offline, and asks nothing of another
host; its colours meet WCAG AA."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.docs.links import DOCS, ROOT
from tests.test_contrast import AA_TEXT, contrast

CSS = (DOCS / "stylesheets" / "extra.css").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs-site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return out


def test__site__builds_strictly_with_every_page(built):
    for page in DOCS.rglob("*.md"):
        rel = page.relative_to(DOCS).with_suffix("")
        folder = rel.parent if rel.name == "index" else rel
        assert (built / folder / "index.html").is_file(), f"{page.relative_to(ROOT)} not built"
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "User guide" in home and "guide/officer/" in home  # the nav


def test__site__the_app_pages_guide_sections_are_in_the_built_pages(built):
    from ui.navigation import PAGES, SIGN_IN

    for spec in (*PAGES, SIGN_IN):
        folder, _, anchor = spec.guide.partition("#")
        html = (built / folder / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, spec.guide


def test__site__asks_nothing_of_another_host(built):
    """No web fonts, scripts or styles from elsewhere: the guide reads offline and tells no
    other site who reads it (Material's theme.font is false)."""
    loads = re.compile(r"<(?:link|script|img)\b[^>]*\b(?:href|src)=\"((?:https?:)?//[^\"]+)\"")
    for page in built.rglob("*.html"):
        found = loads.findall(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(built)} loads {found}"


def _var(name: str) -> str:
    return re.search(rf"{re.escape(name)}:\s*(#[0-9a-fA-F]{{6}})\b", CSS).group(1)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("--md-primary-bg-color", "--md-primary-fg-color"),  # the header's text
        ("--md-primary-bg-color", "--md-primary-fg-color--dark"),
        ("--md-primary-bg-color", "--md-primary-fg-color--light"),
        ("--md-typeset-a-color", None),  # links on white
        ("--md-accent-fg-color", None),  # a link under the pointer
        ("--md-primary-fg-color", None),
    ],
)
def test__site__colours_meet_aa(text, background):
    back = _var(background) if background else "#ffffff"
    ratio = contrast(_var(text), back)
    assert ratio >= AA_TEXT, f"{text} on {background or 'white'}: {ratio:.2f}:1"


@pytest.mark.parametrize(
    "colour", ["--md-code-fg-color", *sorted(set(re.findall(r"--md-code-hl-[a-z]+-color", CSS)))]
)
def test__site__code_colours_meet_aa_on_the_code_background(colour):
    ratio = contrast(_var(colour), _var("--md-code-bg-color"))
    assert ratio >= AA_TEXT, f"{colour}: {ratio:.2f}:1"
