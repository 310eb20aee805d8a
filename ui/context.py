"""The sidebar: which partnership and which period every page is looking at."""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics.access import User
from analytics.warehouse.queries import data_version
from ui.auth import current_user
from ui.data import current_path, query, warehouse_ready

NO_FRAMEWORK = (
    "This warehouse has no framework yet. Write a template with "
    "`lsp framework template -o framework.xlsx`, fill it in, and load it with "
    "`lsp framework import framework.xlsx`."
)
NO_PARTNERSHIP = (
    "Your account has no role in a partnership with a framework loaded. Ask an "
    "administrator to give you one."
)


class Partnership(NamedTuple):
    """A partnership the sidebar offers (a row of ``queries.partnerships``)."""

    partnership_id: int
    partnership_code: str
    name: str
    tier: str
    parent_name: str | None


class Offered(NamedTuple):
    """The partnerships ``user`` may pick, in the sidebar's order, and whether any partnership
    has a framework at all. Kept per data version and user and shared by every rerun, so made
    of tuples: nothing can change it in place."""

    partnerships: tuple[Partnership, ...]
    any_framework: bool


# functools' cache, not Streamlit's: the key (a User among them) is hashed by Python, which
# takes microseconds where Streamlit's hasher pickles the user on every call
@functools.lru_cache(maxsize=256)
def _offered(path: str, data_version: int, user: User | None) -> Offered:
    from ui.data import cached_query

    partnerships = cached_query("partnerships", path, data_version)
    with_framework = partnerships[partnerships["indicators"] > 0]
    any_framework = not with_framework.empty
    if user is not None:
        mine = with_framework["partnership_id"].map(lambda pid: bool(user.roles(int(pid))))
        with_framework = with_framework[mine.astype(bool)]
        # the partnerships the user's own roles are in first, then those reached across the
        # tiers (a county's districts, a district's county)
        own = with_framework["partnership_id"].map(lambda pid: "own" in user.reaches(int(pid)))
        with_framework = with_framework.iloc[np.argsort(~own.to_numpy(dtype=bool), kind="stable")]
    rows = with_framework[list(Partnership._fields)].itertuples(index=False)
    offered = tuple(Partnership(int(r[0]), *r[1:]) for r in rows)
    return Offered(offered, any_framework)


def _partnerships(user: User | None) -> Offered:
    path = current_path()
    return _offered(path, data_version(path), user)


def partnership_in_view(user: User | None) -> int | None:
    """The partnership the sidebar will show (before it is drawn: app.py builds the page
    list from it first); None when ``user`` has none with a framework.

    A link may name it: ``?partnership=CODE`` (the County page's links to a district's
    Indicator page) opens that partnership when the user may see it, and is then dropped
    from the address, so the sidebar's choice rules again."""
    offered = _partnerships(user).partnerships
    ids = [p.partnership_id for p in offered]
    asked = st.query_params.get("partnership")
    if asked is not None:
        codes = {p.partnership_code: p.partnership_id for p in offered}
        found = codes.get(str(asked).strip().upper())
        if found is not None:
            st.session_state["partnership_picker"] = found
            st.session_state["partnership_id"] = found
        del st.query_params["partnership"]
    chosen = st.session_state.get("partnership_picker", st.session_state.get("partnership_id"))
    return chosen if chosen in ids else (ids[0] if ids else None)


def sidebar(user: User | None = None) -> bool:
    """Draw the partnership and period pickers (the partnerships ``user`` has a role in);
    False when there is nothing to show (``st.session_state["partnership_id"]`` None)."""
    if not warehouse_ready():
        return False
    user = user or current_user()
    offered = _partnerships(user)
    if not offered.partnerships:
        st.session_state["partnership_id"] = None
        st.session_state["no_framework_note"] = (
            NO_PARTNERSHIP if offered.any_framework else NO_FRAMEWORK
        )
        st.sidebar.warning("No framework loaded yet.")
        return False
    by_id = {p.partnership_id: p for p in offered.partnerships}
    labels = {pid: p.name for pid, p in by_id.items()}
    ids = list(labels)
    chosen = partnership_in_view(user)
    partnership_id = st.sidebar.selectbox(
        "Partnership",
        ids,
        index=ids.index(chosen) if chosen in ids else 0,
        format_func=labels.get,
        key="partnership_picker",
    )
    st.session_state["partnership_id"] = partnership_id
    row = by_id[partnership_id]
    if isinstance(row.parent_name, str) and row.parent_name:
        st.sidebar.caption(f"{row.tier.title()} partnership in {row.parent_name}")
    quarters = query("periods_with_data", partnership_id)
    if quarters:
        chosen_period = st.session_state.get("period")
        period = st.sidebar.selectbox(
            "Period in view",
            quarters,
            index=quarters.index(chosen_period) if chosen_period in quarters else 0,
            key="period_picker",
            help="The quarter every page reports on. Latest first.",
        )
        st.session_state["period"] = period
    else:
        st.session_state["period"] = None
        st.sidebar.caption("No returns loaded yet.")
    return True


def route_through_app() -> None:
    """Run this page under app.py's router: every page calls this first (through
    :func:`partnership_id` or :func:`page_guard`; the sign-in page directly).

    **Why.** app.py's folder has ``pages/`` (the product's layout names it), and Streamlit
    still has its first multipage mode for such apps: while no session has called
    ``st.navigation``, a request for ``/indicator`` runs ``pages/indicator.py`` on its own,
    without app.py's sign-in check, sidebar and page list (``_mpa_v1`` in
    streamlit/runtime/scriptrunner/script_runner.py, Streamlit 1.67). On a live server that
    happens once, when a deep link is the first request a fresh server gets; AppTest resets
    the mode before every run, so it happens on every run of app.py after a page switch.
    Here the mode is switched off and the run started again, so app.py routes the same URL
    (widgets keep their identity; a button click made on the abandoned run is spent on it,
    which is why AppTests that click use the routers in tests/pages/returns_app.py).

    **Why a private setting** (``PagesManager.uses_pages_directory``, the flag Streamlit's
    own ``st.navigation`` clears). No public way was found in Streamlit 1.67:

    - ``client.showSidebarNavigation = false`` only hides that mode's page list; the page
      script still runs alone.
    - ``st.navigation`` is documented to switch the mode off for every session once any
      session calls it, which is what happens from app.py's first run on; but the first
      deep link runs a page before app.py has run, and a page has no public way to tell
      that it runs alone.
    - Serving a main script from a folder without ``pages/`` (``st.App`` in serve.py, as the
      test routers do) avoids the mode, but Streamlit resolves ``st.switch_page`` and
      ``st.page_link`` paths (``"pages/indicator.py"``) and AppTest's ``switch_page``
      against the main script's folder, and ``streamlit run app.py`` and AppTests of
      app.py would still start in the mode.

    tests/browser/test_access_browser.py opens a deep link as a fresh server's first request
    (without this, the page stays blank); tests/pages/test_pages_directory_mode.py fails when
    a Streamlit upgrade drops the mode or the flag, so this can then go."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def partnership_id() -> int:
    """The partnership in view; every page asks for it first. (Nothing runs for nobody: a
    page script started on its own, outside app.py, stops here.)"""
    route_through_app()
    if current_user() is None:
        st.stop()
    return st.session_state["partnership_id"]


def page_guard() -> None:
    """What the pages that need no partnership ask first (see :func:`partnership_id`)."""
    route_through_app()
    if current_user() is None:
        st.stop()


def period() -> str | None:
    return st.session_state.get("period")
