"""The page list: every page once, with the action a user needs to open it.

``app.py`` builds ``st.navigation`` from :data:`PAGES`: the pages the signed-in user's role
allows (:func:`pages_for`) are listed; the others are registered hidden, so their URL says
"not available to your role" instead of showing the page. A new page is one entry here.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from analytics.access import User, may

ROOT = Path(__file__).resolve().parents[1]  # PageSpec.file is relative to it


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    url_path: str
    section: str
    action: str  # see analytics.access.roles.ACTIONS
    # The page's section of the user guide, as a path of the built site (docs/guide/board.md's
    # "Exceptions" heading: "guide/board/#exceptions"); the help link goes there.
    guide: str
    default: bool = False
    # False: the page works before any framework is loaded (accounts, audit).
    needs_framework: bool = True
    # True: about the whole warehouse, so the role must hold in every partnership.
    warehouse_wide: bool = False
    # True: about the county's LAA, so listed only for a county or one of its districts (the
    # action is checked against that county).
    county: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", "Board",
             "board.read", "guide/board/#overview", default=True),
    PageSpec("pages/exceptions.py", "Exceptions", ":material/report:", "exceptions", "Board",
             "board.read", "guide/board/#exceptions"),
    PageSpec("pages/trends.py", "Trends", ":material/show_chart:", "trends", "Board",
             "board.read", "guide/board/#trends"),
    PageSpec("pages/theme.py", "Theme group", ":material/groups:", "theme", "Board",
             "board.read", "guide/board/#theme-group"),
    PageSpec("pages/indicator.py", "Indicator", ":material/query_stats:", "indicator", "Board",
             "board.read", "guide/board/#indicator"),
    PageSpec("pages/actions.py", "Actions", ":material/checklist:", "actions", "Board",
             "board.read", "guide/board/#actions"),
    PageSpec("pages/county.py", "County LAA", ":material/hub:", "county", "Board",
             "county.read", "guide/board/#county-laa", county=True),
    PageSpec("pages/returns.py", "Returns", ":material/upload_file:", "returns",
             "Performance officer", "returns.submit", "guide/officer/#quarterly-returns"),
    PageSpec("pages/form.py", "Return form", ":material/edit_note:", "form",
             "Performance officer", "returns.submit",
             "collection/#for-theme-leads-the-return-form"),
    PageSpec("pages/signoff.py", "Sign-off", ":material/fact_check:", "signoff",
             "Performance officer", "returns.review",
             "collection/#for-the-officer-the-tracker-sign-off-and-locks"),
    PageSpec("pages/framework.py", "Framework", ":material/account_tree:", "framework",
             "Performance officer", "framework.read", "guide/officer/#the-framework-page"),
    PageSpec("pages/annual.py", "Annual report", ":material/auto_stories:", "annual-report",
             "Performance officer", "annual.write", "guide/officer/#the-annual-report"),
    PageSpec("pages/publish.py", "Publish", ":material/public:", "publish",
             "Performance officer", "publish", "guide/officer/#publishing"),
    PageSpec("pages/audit.py", "Audit", ":material/history:", "audit", "Administration",
             "audit.read", "guide/administrator/#the-audit-trail", needs_framework=False),
    PageSpec("pages/users.py", "Users", ":material/manage_accounts:", "users",
             "Administration", "users.manage", "guide/administrator/#users-and-roles",
             needs_framework=False, warehouse_wide=True),
    PageSpec("pages/scrutiny.py", "Six-monthly review", ":material/gavel:", "scrutiny",
             "Scrutiny", "scrutiny.read", "guide/scrutiny/#six-monthly-review"),
    PageSpec("pages/recommendations.py", "Recommendations", ":material/task_alt:",
             "recommendations", "Scrutiny", "scrutiny.read", "guide/scrutiny/#recommendations"),
)  # fmt: skip


def sidebar_navigation(specs: Iterable[PageSpec]) -> None:
    """The page list in the sidebar as links, under a heading per section, in the order given.

    Streamlit's own list puts its section headings as ``<div>`` inside its ``<ul>``, which
    fails WCAG 1.3.1 (axe-core rules ``list`` and ``listitem``); ``app.py`` hides it
    (``st.navigation(..., position="hidden")``) and draws this instead. Each link is a real
    link: Tab reaches it, Enter follows it, and the current page is marked for screen readers
    (``aria-current="page"``)."""
    from ui.components import keyboard_focus_styles

    keyboard_focus_styles()
    sections: dict[str, list[PageSpec]] = {}
    for spec in specs:
        sections.setdefault(spec.section, []).append(spec)
    with st.sidebar:
        for section, items in sections.items():
            st.markdown(f"**{section}**")
            for spec in items:
                st.page_link(link(spec.file), label=spec.title, icon=spec.icon)
        st.divider()


SIGN_IN = PageSpec("pages/signin.py", "Sign in", ":material/login:", "signin", "", "",
                   "guide/#signing-in")  # fmt: skip


@functools.cache
def link(file: str) -> st.Page:
    """The page at ``file`` (``"pages/indicator.py"``) as ``st.page_link`` takes it, made once
    per process. Given a path instead, ``st.page_link`` finds the file on disk again for every
    link on every page view (a system call per folder), and under load each system call hands
    the interpreter to another session's script for up to the switch interval. Used only for
    links: ``st.navigation`` marks the pages it is given, so those are made per run."""
    spec = next(s for s in (*PAGES, SIGN_IN) if s.file == file)
    return st.Page(str(ROOT / spec.file), title=spec.title, icon=spec.icon, url_path=spec.url_path)


_MADE: dict[tuple, st.Page] = {}


def nav_page(spec: PageSpec, *, visible: bool = True, default: bool = False) -> st.Page:
    """The page of ``spec`` as ``st.navigation`` takes it: a copy, for this run, of a page
    object made once per process. ``st.navigation`` marks the page it returns as runnable
    (once), so each run needs objects of its own; making one from scratch finds its file on
    disk (system calls, each a chance for another session to take the interpreter) for
    every page of the list on every view."""
    key = (spec, visible, default)
    made = _MADE.get(key)
    if made is None:
        made = st.Page(str(ROOT / spec.file), title=spec.title, icon=spec.icon,
                       url_path=spec.url_path, default=default,
                       visibility="visible" if visible else "hidden")  # fmt: skip
        if not hasattr(made, "_page"):  # made outside a script run: incomplete, not kept
            return made
        _MADE[key] = made
    return copy.copy(made)


def page_allowed(user: User | None, spec: PageSpec, partnership_id: int | None) -> bool:
    """Whether ``user`` may open the page for the partnership in view (None: no framework);
    a county page, for the county of the partnership in view (none: not listed)."""
    if user is None or (spec.needs_framework and partnership_id is None):
        return False
    if spec.county:
        from ui.data import query

        county_id = query("county_for", partnership_id)
        return county_id is not None and may(user, spec.action, county_id)
    return may(user, spec.action, None if spec.warehouse_wide else partnership_id)


def pages_for(user: User | None, partnership_id: int | None) -> list[PageSpec]:
    """The pages ``user`` may open, in menu order."""
    return [spec for spec in PAGES if page_allowed(user, spec, partnership_id)]
