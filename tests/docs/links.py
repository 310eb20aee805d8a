"""The documentation's pages, headings and links, read as MkDocs reads them (the anchors are
Python-Markdown's toc slugs), for tests that must stay cheap and offline."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from markdown.extensions.toc import slugify, unique

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"(?<!!)\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
_ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _prose(text: str) -> str:
    """The text without fenced code blocks (whose '#' lines are not headings)."""
    return _FENCE.sub("", text)


@cache
def anchors(page: Path) -> frozenset[str]:
    """The ids MkDocs gives the page's headings (duplicates get _1, _2, ...)."""
    seen: set[str] = set()
    ids = []
    for _, title in _HEADING.findall(_prose(page.read_text(encoding="utf-8"))):
        custom = _ATTR_ID.search(title)
        if custom:
            ids.append(custom.group(1))
            continue
        text = re.sub(r"`([^`]*)`", r"\1", title)  # code spans keep their text
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        ids.append(unique(slugify(text, "-"), seen))
    return frozenset(ids)


def links(page: Path) -> list[str]:
    """Every link target written in the page's prose (not in code)."""
    text = _INLINE_CODE.sub("", _prose(page.read_text(encoding="utf-8")))
    return _LINK.findall(text)


def broken(page: Path, target: str) -> str | None:
    """Why a link from ``page`` does not resolve, or None. Links to other sites and mail
    addresses are not followed (the tests stay offline)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target):
        return None
    path, _, anchor = target.partition("#")
    dest = (page.parent / path).resolve() if path else page
    if not dest.exists():
        return f"{target}: no file {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}"
    if anchor:
        if dest.suffix != ".md":
            return f"{target}: an anchor into a file that is not a page"
        if anchor not in anchors(dest):
            return f"{target}: {dest.relative_to(ROOT)} has no heading with id '{anchor}'"
    return None


def guide_page(guide: str) -> tuple[Path, str]:
    """``PageSpec.guide`` ("guide/board/#exceptions": a built page's folder and an anchor) as
    the source page and the anchor."""
    folder, _, anchor = guide.partition("#")
    folder = folder.strip("/")
    page = DOCS / f"{folder}.md"
    if not page.exists():
        page = DOCS / folder / "index.md"
    return page, anchor
