"""AppTest: the Annual report page (foreword and narratives with versions, profile)."""

from analytics.warehouse import publication
from tests.conftest import BOARD, OFFICER
from tests.pages.publication_app import page_app  # noqa: F401  (fixture)


def _pid(path) -> int:
    from analytics.warehouse import queries

    return int(queries.partnerships(path).query("indicators > 0")["partnership_id"].iloc[0])


def test__annual_page__shows_the_latest_foreword_with_its_version(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/annual.py", user=OFFICER)
    assert not at.exception
    assert at.title[0].value == "Annual report"
    assert at.selectbox(key="ar_year").value == "2010/11"
    assert at.text_area(key="ar_foreword").value.startswith("The last year of the 2008-11")
    assert any("Version 1, saved by demo" in c.value for c in at.caption)


def test__annual_page__saving_keeps_a_new_version(page_app, demo_copy):  # noqa: F811
    at = page_app(demo_copy, "pages/annual.py", OFFICER)
    at.text_area(key="ar_foreword").input("A new foreword for Cabinet.").run()
    at.button(key="ar_foreword_save").click().run()
    assert not at.exception
    assert "version 2" in at.success[0].value
    texts = publication.annual_texts(demo_copy, _pid(demo_copy), "2010/11")
    foreword = texts[texts["section"] == "foreword"]
    assert foreword["version"].tolist() == [2, 1]
    assert foreword["written_by"].iloc[0] == OFFICER.email


def test__annual_page__draft_files_are_offered(page_app, demo_warehouse):  # noqa: F811
    at = page_app(demo_warehouse, "pages/annual.py", OFFICER)
    at.button(key="ar_draft").click().run()
    assert not at.exception
    assert at.session_state["ar_files"][0] == "2010/11"
    assert at.session_state["ar_files"][1]["docx"][:2] == b"PK"


def test__annual_page__board_member_cannot_edit(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/annual.py", user=BOARD)
    assert not at.exception
    # The app itself refuses the page for a role without annual.write (and the write
    # function refuses too: tests/publication).
    assert "not available to your role" in at.warning[0].value
    assert not at.text_area
    assert not [b for b in at.button if b.label == "Save"]
