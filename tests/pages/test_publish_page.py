"""AppTest: the Publish page (officer publishes; a Board member sees no Publish control)."""

from analytics.warehouse import publication
from tests.conftest import ADMIN, BOARD, OFFICER
from tests.pages.publication_app import page_app  # noqa: F401  (fixture)


def _pid(path) -> int:
    from analytics.warehouse import queries

    return int(queries.partnerships(path).query("indicators > 0")["partnership_id"].iloc[0])


def test__publish_page__officer_sees_what_is_published_and_a_preview(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/publish.py", user=OFFICER)
    assert not at.exception
    assert at.title[0].value == "Publish"
    assert any("31 December 2010" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    assert set(table["period"]) == {"2009/10 Q2", "2009/10", "2010/11 Q3"}
    assert at.selectbox(key="pub_choice").value == "2010/11 Q4"
    assert any(b.label == "Publish 2010/11 Q4" for b in at.button)
    assert any("new" in m.value and "2010/11 Q4" in m.value for m in at.markdown)


def test__publish_page__publishing_a_quarter_records_it(page_app, demo_copy):  # noqa: F811
    at = page_app(demo_copy, "pages/publish.py", ADMIN)
    at.button(key="pub_go").click().run()
    assert not at.exception
    assert "2010/11 Q4 published" in at.success[0].value
    latest = publication.publications(demo_copy, _pid(demo_copy)).iloc[0]
    assert (latest["period"], latest["published_by"]) == ("2010/11 Q4", ADMIN.email)


def test__publish_page__year_choice_publishes_the_annual_report(page_app, demo_copy):  # noqa: F811
    at = page_app(demo_copy, "pages/publish.py", OFFICER)
    at.radio(key="pub_kind").set_value("year").run()
    at.selectbox(key="pub_choice").select("2010/11").run()
    at.button(key="pub_go").click().run()
    assert not at.exception
    latest = publication.publications(demo_copy, _pid(demo_copy)).iloc[0]
    assert (latest["kind"], latest["period"]) == ("year", "2010/11")


def test__publish_page__board_member_sees_no_publish_control(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/publish.py", user=BOARD)
    assert not at.exception
    assert "not available to your role" in at.warning[0].value
    assert not [b for b in at.button if b.label.startswith("Publish")]


def test__publish_page__brand_saved_and_a_pale_colour_refused(page_app, demo_copy):  # noqa: F811
    at = page_app(demo_copy, "pages/publish.py", OFFICER)
    assert at.text_input(key="brand_council").value == "Wyvern Vale District Council"
    assert any("Logo: SVG" in c.value for c in at.caption)
    at.text_input(key="brand_colour").set_value("#ffdd00")
    at.button[[b.label for b in at.button].index("Save the brand")].click().run()
    assert not at.exception
    assert "4.5:1" in at.error[0].value
    assert publication.brand(demo_copy, _pid(demo_copy))["brand_colour"] == "#1d5f8a"
    at.text_input(key="brand_council").set_value("Wyvern Vale Borough Council")
    at.text_input(key="brand_colour").set_value("#0b0c0c")
    at.button[[b.label for b in at.button].index("Save the brand")].click().run()
    assert not at.exception
    assert "Brand saved" in at.success[0].value
    stored = publication.brand(demo_copy, _pid(demo_copy))
    assert (stored["council_name"], stored["brand_colour"]) == (
        "Wyvern Vale Borough Council", "#0b0c0c",
    )  # fmt: skip
    assert stored["logo_type"] == "svg"  # the logo was kept
