"""The 7 KB file that used to abort the app, uploaded by a theme lead on the Returns page:
the page says what is wrong with it, the app goes on serving, and nothing is written."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import Grant, User
from analytics.warehouse.connection import ENV_VAR, close_readers
from tests.conftest import fingerprint
from tests.pages.returns_app import app_script
from tests.security import hostile
from tests.security.conftest import SAFER, demo_pid, theme_id


@pytest.fixture
def lead_page(monkeypatch, tmp_path, demo_copy):
    monkeypatch.setenv(ENV_VAR, str(demo_copy))
    close_readers()
    grant = Grant("theme_lead", demo_pid(demo_copy), frozenset({theme_id(demo_copy, SAFER)}))
    at = AppTest.from_file(str(app_script(tmp_path)), default_timeout=90)
    at.session_state["user"] = User("lead@test.example", "Test lead", (grant,))
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("Safer Q2.xlsx", hostile.far_cell_xlsx(), "spans 1,048,576 rows x 16,384 columns"),
        ("../../etc/cron.d/x.xlsx", hostile.lying_xlsx(inflated_mb=40, declared=2_000),
         "disguised zip bomb"),
    ],
)  # fmt: skip
def test__returns_page__a_hostile_upload_is_refused_on_the_page_and_the_app_goes_on(
    lead_page, demo_copy, name, content, said
):
    before = fingerprint(demo_copy)
    at = lead_page
    at.file_uploader[0].set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception
    assert at.expander[0].label.startswith("✖ cannot load")
    messages = [d.value for d in at.dataframe if "what to do" in d.value.columns][0]
    assert messages["message"].str.contains(said, regex=False).any()
    assert at.button(key="returns_commit").disabled
    assert fingerprint(demo_copy) == before
    at.file_uploader[0].set_value(None)  # the same session goes on working
    at.run()
    assert not at.exception and at.title[0].value == "Returns"
