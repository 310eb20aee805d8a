"""AppTest: the County LAA page, as the county's officer (every district's data, links to
each district's Indicator page), as a district's officer (the county's figures and its own
district's; the others only as published), filtered and sorted; and the page's deep link to
a district."""

from __future__ import annotations

from analytics.access import Grant, User
from tests.conftest import ADMIN
from tests.county.build import pid_of


def _user(path, role: str, code: str) -> User:
    return User(f"{role}@{code}.example", f"{role} of {code}", (Grant(role, pid_of(path, code)),))


def _table(at) -> str:
    return next(m.value for m in at.markdown if 'data-table="county-view"' in str(m.value))


def test__county_page__the_county_officer_sees_every_district_and_links_to_them(
    app, county_warehouse
):
    at = app(county_warehouse, page="pages/county.py", user=_user(county_warehouse, "officer",
                                                                  "TSC"))  # fmt: skip
    assert not at.exception
    assert at.title[0].value == "Testshire Partnership: Local Area Agreement"
    table = _table(at)
    for name in ("Ayford Partnership", "Bexmoor Partnership", "Calder Partnership"):
        assert name in table
    assert 'href="indicator?indicator=NI+192&amp;partnership=CLD"' in table
    assert "37.1%" in table and "reported 37.5%: 0.4 percentage points above" in table
    assert "Bexmoor Partnership holds 100% of the districts&#39; gap" in table
    assert "County figure (measured at county level)" in table
    assert "◆ Amber" in table  # a status is a word and a symbol, never colour alone
    assert "published figures only" not in table
    texts = " ".join(str(m.value) for m in at.markdown)
    assert "Performance Reward Grant forecast" in " ".join(s.value for s in at.subheader)
    assert "At stake: £1,000,000" in texts
    assert [b.label for b in at.get("download_button")] == ["Excel workbook", "Word paper",
                                                            "Web page"]  # fmt: skip


def test__county_page__a_district_officer_sees_the_county_and_only_its_own_districts_data(
    app, county_warehouse
):
    at = app(county_warehouse, page="pages/county.py", user=_user(county_warehouse, "officer",
                                                                  "BXM"))  # fmt: skip
    assert not at.exception
    table = _table(at)
    assert table.count("published figures only") == 2  # Ayford and Calder
    assert "Not published yet" in table
    assert "partnership=AYF" not in table and "partnership=BXM" in table
    assert "37.1%" in table  # the county's figure


def test__county_page__filters_by_theme_and_status_and_sorts(app, county_warehouse):
    at = app(county_warehouse, page="pages/county.py", user=_user(county_warehouse, "board",
                                                                  "TSC"))  # fmt: skip
    at.multiselect(key="cv_themes").select("Safety").run()
    table = _table(at)
    assert "NI 16" in table and "NI 192" not in table
    assert "2 of 4 LAA indicators" in table
    at.multiselect(key="cv_themes").unselect("Safety").run()
    at.multiselect(key="cv_status").select("green").run()
    assert not at.exception
    table = _table(at)
    assert "NI 154" in table and "NI 16" not in table  # homes green; the crime rate amber
    at.selectbox(key="cv_sort").select("gap").run()
    assert not at.exception


def test__county_page__not_listed_for_a_partnership_outside_any_county(app, empty_warehouse):
    from tests.county.build import district_sheets, load
    from ui.navigation import PAGES, pages_for

    load(empty_warehouse, district_sheets("AYF", parent=None), "ayford.xlsx")
    at = app(empty_warehouse, page="pages/county.py")
    assert not at.exception
    assert "not available" in at.warning[0].value
    county = next(p for p in PAGES if p.url_path == "county")
    assert county not in pages_for(ADMIN, pid_of(empty_warehouse, "AYF"))


def test__deep_link__a_district_cell_opens_that_districts_indicator_page(app, county_warehouse):
    user = _user(county_warehouse, "officer", "TSC")
    at = app(county_warehouse, page="pages/indicator.py",
             query={"indicator": "NI 192", "partnership": "CLD"}, user=user)  # fmt: skip
    assert not at.exception
    assert at.title[0].value.startswith("NI 192")
    assert at.sidebar.selectbox(key="partnership_picker").value == pid_of(county_warehouse, "CLD")
    assert "partnership" not in at.query_params  # dropped: the sidebar rules again
