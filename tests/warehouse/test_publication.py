"""Publication: who may publish, what is frozen, corrections shown as revised, the annual
report's words kept with every version."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.access import PermissionDenied, cli_user
from analytics.warehouse import publication, published
from analytics.warehouse.connection import reader, writer
from analytics.warehouse.status_store import store_statuses
from tests.conftest import BOARD, OFFICER, SCRUTINY
from tests.site.conftest import unpublish


def _pid(path) -> int:
    from analytics.warehouse import queries

    return int(queries.partnerships(path).query("indicators > 0")["partnership_id"].iloc[0])


def _count(path, table: str) -> int:
    return reader(path).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test__publish__demo_is_published_to_2010_11_q3_with_the_2009_10_report(demo_warehouse):
    frame = publication.publications(demo_warehouse, _pid(demo_warehouse))
    assert set(zip(frame["kind"], frame["period"], strict=True)) == {
        ("quarter", "2009/10 Q2"), ("year", "2009/10"), ("quarter", "2010/11 Q3")}  # fmt: skip
    assert str(publication.published_end(demo_warehouse, _pid(demo_warehouse))) == "2010-12-31"


@pytest.mark.parametrize("user", [BOARD, SCRUTINY, None])
def test__publish__refused_for_a_reader_and_nothing_written(demo_copy, user):
    pid = _pid(demo_copy)
    before = _count(demo_copy, "publication")
    with pytest.raises(PermissionDenied):
        publication.publish_period(demo_copy, pid, "2010/11 Q4", user=user)
    with pytest.raises(PermissionDenied):
        publication.publish_year(demo_copy, pid, "2010/11", user=user)
    with pytest.raises(PermissionDenied):
        publication.save_annual_text(demo_copy, pid, "2010/11", "Hello", user=user)
    assert _count(demo_copy, "publication") == before


def test__publish__records_who_and_when_and_audits(demo_copy):
    pid = _pid(demo_copy)
    result = publication.publish_period(demo_copy, pid, "2010/11 Q4", user=OFFICER)
    assert result.values_new > 0 and result.values_revised == 0
    frame = publication.publications(demo_copy, pid)
    latest = frame.iloc[0]
    assert latest["period"] == "2010/11 Q4" and latest["published_by"] == OFFICER.email
    audit = (
        reader(demo_copy)
        .execute(
            "SELECT actor, entity_key FROM audit_log WHERE event = 'publish' ORDER BY audit_id DESC"
        )
        .fetchone()
    )
    assert audit == (OFFICER.email, "2010/11 Q4")


def test__publish__nothing_to_publish_is_refused_and_changes_nothing(demo_copy):
    pid = _pid(demo_copy)
    before = _count(demo_copy, "publication")
    with pytest.raises(publication.PublishError, match="no figures for 2011/12 Q1"):
        publication.publish_period(demo_copy, pid, "2011/12 Q1", user=OFFICER)
    with pytest.raises(publication.PublishError, match="not a quarter"):
        publication.publish_period(demo_copy, pid, "2010/11", user=OFFICER)
    assert _count(demo_copy, "publication") == before


def test__publish_periods__several_partnerships_in_one_transaction_all_or_none(demo_copy):
    pid = _pid(demo_copy)
    before = _count(demo_copy, "publication")
    with pytest.raises(PermissionDenied):
        publication.publish_periods(demo_copy, [pid], "2010/11 Q4", user=BOARD)
    # the second partnership has no figures: the first one's publication is rolled back too
    with pytest.raises(publication.PublishError, match="no figures"):
        publication.publish_periods(demo_copy, [pid, 999], "2010/11 Q4", user=cli_user())
    assert _count(demo_copy, "publication") == before
    [result] = publication.publish_periods(demo_copy, [pid], "2010/11 Q4", user=OFFICER)
    assert result.values_new > 0 and _count(demo_copy, "publication") == before + 1


def test__publish__only_periods_up_to_the_quarter_are_frozen(demo_copy):
    pid = _pid(demo_copy)
    unpublish(demo_copy)
    publication.publish_period(demo_copy, pid, "2008/09 Q3", user=cli_user())
    pub = published.published(demo_copy, pid)
    assert str(pub.published_end) == "2008-12-31"
    assert set(pub.values["period"]) == {"2008/09 Q1", "2008/09 Q2", "2008/09 Q3"}
    assert "dq_flag" not in pub.values.columns
    ends = pd.to_datetime(pub.comparators["period_end"]).dt.date
    assert (ends <= pub.published_end).all()


def test__publish__a_corrected_figure_shows_as_revised_with_its_date(demo_copy):
    pid = _pid(demo_copy)
    unpublish(demo_copy)
    publication.publish_period(demo_copy, pid, "2008/09 Q2", user=OFFICER)
    first = published.published(demo_copy, pid).values
    with writer(demo_copy) as con:
        iid = con.execute("SELECT indicator_id FROM indicator WHERE code = 'NI 16'").fetchone()[0]
        con.execute(
            "UPDATE actual SET actual_value = actual_value + 1 WHERE indicator_id = ?"
            " AND period = '2008/09 Q1' AND is_current",
            [iid],
        )
        store_statuses(con, pid)
    # the correction is not public until it is published again
    assert published.published(demo_copy, pid).values.equals(first)
    preview = publication.publish_preview(demo_copy, pid, first["period_end"].max())
    assert preview["revised"] == 1
    result = publication.publish_period(demo_copy, pid, "2008/09 Q2", user=OFFICER)
    assert result.values_revised == 1 and result.values_new == 0
    values = published.published(demo_copy, pid).values
    row = values[(values["indicator_id"] == iid) & (values["period"] == "2008/09 Q1")].iloc[0]
    before = first[(first["indicator_id"] == iid) & (first["period"] == "2008/09 Q1")].iloc[0]
    assert row["actual_value"] == pytest.approx(before["actual_value"] + 1)
    assert row["revised_from"] == pytest.approx(before["actual_value"])
    assert row["revised_on"] is not None and str(row["revised_on"]) != "NaT"
    others = values[values["indicator_id"] != iid]
    assert others["revised_on"].isna().all()


def test__annual_text__every_version_kept_with_who_and_when(demo_copy):
    pid = _pid(demo_copy)
    v1 = publication.save_annual_text(demo_copy, pid, "2010/11", "First words.", user=OFFICER)
    same = publication.save_annual_text(demo_copy, pid, "2010/11", "First words.", user=OFFICER)
    v2 = publication.save_annual_text(demo_copy, pid, "2010/11", "Second words.", user=OFFICER)
    assert (same, v2) == (v1, v1 + 1)
    texts = publication.annual_texts(demo_copy, pid, "2010/11")
    foreword = texts[texts["section"] == "foreword"]
    assert foreword["body"].iloc[0] == "Second words."
    assert set(foreword["written_by"]) >= {OFFICER.email}
    with pytest.raises(publication.PublishError, match="empty"):
        publication.save_annual_text(demo_copy, pid, "2010/11", "  ", user=OFFICER)


def test__annual_text__published_with_the_year_and_later_edits_stay_unpublished(demo_copy):
    pid = _pid(demo_copy)
    publication.save_annual_text(demo_copy, pid, "2010/11", "As published.", user=OFFICER)
    publication.publish_year(demo_copy, pid, "2010/11", user=OFFICER)
    publication.save_annual_text(demo_copy, pid, "2010/11", "Edited later.", user=OFFICER)
    texts = published.published(demo_copy, pid).annual_texts
    foreword = texts[(texts["financial_year"] == "2010/11") & (texts["section"] == "foreword")]
    assert foreword["body"].tolist() == ["As published."]


def test__profile__saved_with_members_keeping_the_brand(demo_copy):
    pid = _pid(demo_copy)
    before = publication.brand(demo_copy, pid)
    publication.save_profile(
        demo_copy, pid, {"vision": "A better place."}, [("Police", "Police")], user=OFFICER
    )
    assert publication.profile(demo_copy, pid)["vision"] == "A better place."
    assert publication.members(demo_copy, pid)["name"].tolist() == ["Police"]
    after = publication.brand(demo_copy, pid)
    assert after["logo_bytes"] == before["logo_bytes"] and after["brand_colour"] == "#1d5f8a"
    with pytest.raises(publication.PublishError, match="set with the brand"):
        publication.save_profile(demo_copy, pid, {"brand_colour": "#1d5f8a"}, user=OFFICER)
    with pytest.raises(PermissionDenied):
        publication.save_profile(demo_copy, pid, {"vision": "x"}, user=BOARD)
