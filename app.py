"""lsp-performance: routes only. Who is signed in (ui/auth.py), the pages their role may open
(ui/navigation.py), st.navigation. `make run` serves it through serve.py (the sign-in cookie)."""

import streamlit as st

from ui import auth
from ui.components import help_link
from ui.context import NO_FRAMEWORK, partnership_in_view, sidebar
from ui.data import warehouse_ready
from ui.errors import plain_errors
from ui.navigation import (
    PAGES,
    SIGN_IN,
    nav_page,
    page_allowed,
    pages_for,
    sidebar_navigation,
)

st.set_page_config(page_title="lsp-performance", page_icon=":material/monitoring:", layout="wide")


def main() -> None:
    """Who is signed in, the pages their role may open, the chosen page."""
    if not warehouse_ready():
        return
    user = auth.signed_in_user()
    if user is None:
        # Every page's URL leads to the sign-in form, which then goes on to that page.
        sign_in = nav_page(SIGN_IN, default=True)
        chosen = st.navigation(
            [sign_in, *(nav_page(spec, visible=False) for spec in PAGES)], position="hidden"
        )
        auth.sign_in_form("/" if chosen is sign_in else f"/{chosen.url_path}")
        return

    pid = partnership_in_view(user)
    allowed = pages_for(user, pid)
    default = next((s for s in allowed if s.default), allowed[0] if allowed else None)
    if pid is None:  # no framework yet: open on the note saying how to load one
        default = None
    menu: dict[str, list] = {}
    spec_of: dict[int, object] = {}
    for spec in PAGES:
        page = nav_page(spec, visible=spec in allowed, default=spec is default)
        spec_of[id(page)] = spec
        menu.setdefault(spec.section if spec in allowed else "", []).append(page)
    if default is None:  # no framework yet, or no page for this role: a page to say so
        menu.setdefault("", []).insert(0, nav_page(SIGN_IN, visible=False, default=True))
    chosen = st.navigation(menu, position="hidden")
    spec = spec_of.get(id(chosen))
    # Streamlit's own list fails axe's list rules: see docs/accessibility.md
    sidebar_navigation(allowed)
    help_link(spec.guide if spec is not None else "guide/")
    sidebar(user)
    auth.hand_over_cookie()
    auth.who_box(user, pid)
    if spec is not None and page_allowed(user, spec, pid):
        chosen.run()
    elif pid is None and (spec is None or spec.needs_framework):
        st.title(spec.title if spec is not None else "lsp-performance")
        st.info(st.session_state.get("no_framework_note", NO_FRAMEWORK))
    else:
        title = spec.title if spec is not None else "This page"
        st.title(title)
        st.warning(
            f"{title} is not available to your role ({auth.role_words(user, pid)}). "
            "Ask an administrator if you need it.",
            icon=":material/block:",
        )


with plain_errors():  # a failure anywhere shows a plain message, never a traceback
    main()
