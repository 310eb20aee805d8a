"""AppTest: who sees what. Every page under every role (allowed: it renders; refused: it
says so), the sign-in page before sign-in, sign-in and its deep link, sign-out, a disabled
account, single sign-on with the identity faked, and the Users and Audit pages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import Grant, User, may
from analytics.demo.spec import DEMO_PASSWORD, PARTNERSHIP, THEMES
from analytics.warehouse import accounts, queries
from analytics.warehouse.connection import ENV_VAR, close_readers
from tests.conftest import ADMIN, BOARD, OFFICER, SCRUTINY, store_rows
from tests.pages.signin_app import ROOT, app_script
from ui.navigation import PAGES

REFUSED = "not available to your role"
THEME_NAMES = [name for _key, name, *_ in THEMES]


def _lead(path) -> User:
    themes = queries.themes(path, _pid(path))
    safer = int(themes.loc[themes["theme"] == THEME_NAMES[0], "theme_id"].iloc[0])
    return User("lead@test.example", "Test lead", (Grant("theme_lead", None, frozenset({safer})),))


def _pid(path) -> int:
    found = queries.partnerships(path)
    return int(found[found["indicators"] > 0]["partnership_id"].iloc[0])


def _texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "markdown", "caption", "info", "warning", "error", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.value) for e in at.sidebar.markdown]
    parts += [str(e.label) for e in at.selectbox]
    return "\n".join(parts)


ROLES = {"admin": ADMIN, "officer": OFFICER, "board": BOARD, "scrutiny": SCRUTINY,
         "theme_lead": None}  # fmt: skip


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test__page__renders_for_a_role_that_may_use_it_and_refuses_the_others(
    app, demo_warehouse, spec, role
):
    user = ROLES[role] or _lead(demo_warehouse)
    query = {"indicator": "NI 32"} if spec.url_path == "indicator" else None
    at = app(demo_warehouse, page=spec.file, query=query, user=user)
    assert not at.exception
    allowed = may(user, spec.action, None if spec.warehouse_wide else _pid(demo_warehouse))
    warnings = [w.value for w in at.warning]
    if allowed:
        assert not any(REFUSED in w for w in warnings)
        assert at.title, "the page shows its title"
    else:
        assert at.title[0].value == spec.title
        assert any(REFUSED in w for w in warnings)
        assert not at.dataframe  # nothing of the page itself


def test__sign_in_page__before_sign_in_shows_the_form_and_nothing_of_the_partnership(
    app, demo_warehouse
):
    at = app(demo_warehouse, user=None)
    assert not at.exception
    assert at.title[0].value == "Sign in"
    assert [t.label for t in at.text_input] == ["Email", "Password"]
    assert [b.label for b in at.button] == ["Sign in"]
    text = _texts(at)
    assert PARTNERSHIP["name"] not in text and not any(t in text for t in THEME_NAMES)
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox
    assert "officer@wyvernvale.example" in text and DEMO_PASSWORD in text  # the demo's list


def test__sign_in_page__a_deep_link_before_sign_in_shows_the_form(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/returns.py", user=None)
    assert at.title[0].value == "Sign in" and "/returns" in _texts(at)
    assert not at.file_uploader


def test__sign_in_page__a_warehouse_without_accounts_says_how_to_add_one(app, empty_warehouse):
    at = app(empty_warehouse, user=None)
    assert not at.exception
    assert "no accounts yet" in at.warning[0].value
    assert "lsp user add" in at.warning[0].value and not at.text_input


def test__sidebar__shows_who_is_signed_in_their_role_and_sign_out(app, demo_warehouse):
    at = app(demo_warehouse, user=BOARD)
    text = _texts(at)
    assert "Test Board member" in text and "Board member" in text
    assert [b.label for b in at.sidebar.button if b.label == "Sign out"] == ["Sign out"]


@pytest.fixture
def router(monkeypatch, tmp_path):
    def run(warehouse, page: str | None = None) -> AppTest:
        monkeypatch.setenv(ENV_VAR, str(warehouse))
        close_readers()
        at = AppTest.from_file(str(app_script(tmp_path)), default_timeout=90)
        at.run()
        if page:
            at.switch_page(str(ROOT / page)).run()
        assert not at.exception
        return at

    return run


def _sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input(key="signin_email").input(email)
    at.text_input(key="signin_password").input(password)
    at.button[0].click().run()
    assert not at.exception
    return at


def test__sign_in__wrong_password_says_not_recognised(router, demo_copy):
    at = _sign_in(router(demo_copy), "board@wyvernvale.example", "not my password")
    assert at.error[0].value == "Email or password not recognised."
    assert "user" not in at.session_state


def test__sign_in__goes_on_to_the_deep_linked_page_then_sign_out_ends_it(router, demo_copy):
    at = router(demo_copy, page="pages/framework.py")
    at = _sign_in(at, "officer@wyvernvale.example", DEMO_PASSWORD)
    assert at.session_state["user"].email == "officer@wyvernvale.example"
    assert at.title[0].value == "Framework"
    [sign_out] = [b for b in at.sidebar.button if b.label == "Sign out"]
    sign_out.click().run()
    assert at.title[0].value == "Sign in" and "user" not in at.session_state
    assert "signed out" in at.info[0].value
    assert store_rows(demo_copy, "SELECT ended_reason FROM account_session") == [("signed out",)]


def test__session__a_disabled_account_is_signed_out_at_its_next_rerun(router, demo_copy):
    at = _sign_in(router(demo_copy, page="pages/framework.py"), "officer@wyvernvale.example",
                  DEMO_PASSWORD)  # fmt: skip
    assert at.title[0].value == "Framework"
    accounts.set_disabled(demo_copy, "officer@wyvernvale.example", user=ADMIN)
    close_readers()
    at.run()
    assert at.title[0].value == "Sign in" and "disabled" in at.info[0].value


def test__sso__the_providers_email_is_matched_to_an_account_and_its_role(
    app, demo_copy, monkeypatch
):
    import ui.auth

    monkeypatch.setattr(ui.auth, "sso_email", lambda: "board@wyvernvale.example")
    at = app(demo_copy, page="pages/returns.py", user=None)
    assert at.session_state["user"].source == "sso"
    assert at.title[0].value == "Returns" and any(REFUSED in w.value for w in at.warning)


def test__sso__an_unknown_email_is_refused(app, demo_copy, monkeypatch):
    import ui.auth

    monkeypatch.setattr(ui.auth, "sso_email", lambda: "stranger@council.example")
    at = app(demo_copy, user=None)
    assert at.title[0].value == "Sign in"
    assert "stranger@council.example has no account" in at.error[0].value


def test__users_page__admin_adds_an_account(router, demo_copy):
    at = _sign_in(router(demo_copy, page="pages/users.py"), "admin@wyvernvale.example",
                  DEMO_PASSWORD)  # fmt: skip
    assert at.title[0].value == "Users"
    at.text_input(key="ua_email").input("new.member@wyvernvale.example")
    at.text_input(key="ua_name").input("New Member")
    at.selectbox(key="ua_role").select("board")
    at.text_input(key="ua_password").input("a long enough passphrase")
    at.button(key="ua_go").click().run()
    assert not at.exception
    assert "Added new.member@wyvernvale.example" in at.success[0].value
    listed = accounts.list_accounts(demo_copy)
    assert "new.member@wyvernvale.example" in set(listed["email"])


def test__audit_page__shows_who_did_what_filterable_by_user(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/audit.py", user=OFFICER)
    assert not at.exception
    [table] = at.dataframe
    assert {"When", "User", "Kind", "What"} <= set(table.value.columns)
    assert "return commit" in set(table.value["Kind"])
    at.selectbox(key="audit_user").select(table.value["User"].iloc[0])
    at.run()
    assert not at.exception


def test__returns_page__a_theme_lead_gets_only_their_template_and_no_withdraw(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/returns.py", user=_lead(demo_warehouse))
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert len(labels) == 1 and labels[0].startswith(THEME_NAMES[0])
    assert not [b for b in at.button if b.label == "Withdraw return"]
    officer = app(demo_warehouse, page="pages/returns.py", user=OFFICER)
    assert len(officer.download_button) == 6
    assert [b for b in officer.button if b.label == "Withdraw return"]
