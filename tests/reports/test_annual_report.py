"""The annual report: reward targets and the Performance Reward Grant, and what comes next
with the forecast against next year's target; the same figures in Word and HTML."""

from __future__ import annotations

import html as html_lib
import io
import re

import pytest
from docx import Document

from analytics import periods
from analytics.reports.annual import render
from analytics.reports.annual.data import annual_report
from analytics.warehouse import published
from tests.reports.conftest import demo_partnership_id, execute


def _draft(path, pid, year):
    return annual_report(published.current(path, pid, periods.parse_code(year).end), year)


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def _html_text(data: bytes) -> str:
    text = re.sub(r"<[^>]+>", " ", data.decode("utf-8"))
    return re.sub(r"\s+", " ", html_lib.unescape(text))


@pytest.fixture(scope="module")
def report_2009(demo_warehouse, demo_pid):
    return _draft(demo_warehouse, demo_pid, "2009/10")


def test__reward__every_reward_target_with_baseline_stretch_outturn_and_share(report_2009):
    rewards = {o["code"]: o for o in report_2009.laa_reward}
    assert set(rewards) == {"NI 32", "NI 192", "NI 186", "NI 123"}
    for o in rewards.values():
        assert o["baseline"] != "–" and o["without_stretch"] != "–" and o["target"] != "–"
        assert o["achieved_value"] is not None and o["paid"].endswith("%")
        assert o["grant_earned"] is None  # the demo records no amount
    # NI 192: baseline 36.0%, 38.4% without the stretch, 40.0% with it (2009/10)
    ni192 = rewards["NI 192"]
    assert (ni192["baseline"], ni192["without_stretch"], ni192["target"]) == (
        "36.0%", "38.4%", "40.0%",
    )  # fmt: skip
    outturn = float(ni192["outturn"].rstrip("%"))
    share = (outturn - 38.4) / (40.0 - 38.4)
    assert ni192["achieved"] == f"{100 * max(share, 0):.0f}%"
    paid = 0.0 if share < 0.6 else min(share, 1.0)
    assert ni192["paid"] == f"{100 * paid:.0f}%"
    assert "No reward grant amount is recorded" in report_2009.reward_grant["total_words"]


def test__reward__same_figures_in_word_and_html(report_2009):
    word = _docx_text(render(report_2009, "docx"))
    page = _html_text(render(report_2009, "html"))
    for text in (word, page):
        assert "Reward targets and the Performance Reward Grant" in text
        assert "Target without stretch" in text and "Stretch achieved" in text
        assert "No reward grant amount is recorded in the framework" in text
        assert "Grant earned" not in text  # no amount: no money column
        for o in report_2009.laa_reward:
            assert o["reward_words"] in text
    rows = [line for line in word.splitlines() if line.startswith("NI 192 ")]
    ni192 = next(o for o in report_2009.laa_reward if o["code"] == "NI 192")
    expected = [ni192["baseline"], ni192["without_stretch"], ni192["target_figure"],
                ni192["outturn_figure"], ni192["achieved"], ni192["paid"]]  # fmt: skip
    assert any(line.split(" | ")[1:7] == expected for line in rows)
    assert " ".join(expected) in page


def test__reward__grant_amount_in_the_framework_gives_each_targets_money(demo_copy):
    pid = demo_partnership_id(demo_copy)
    execute(demo_copy, "UPDATE partnership SET reward_grant_total = 2000000 WHERE partnership_id"
            " = ?", [pid])  # fmt: skip
    report = _draft(demo_copy, pid, "2009/10")
    grant = report.reward_grant
    assert (grant["total"], grant["each"], grant["targets"]) == ("£2,000,000", "£500,000", 4)
    earned = 0.0
    for o in report.laa_reward:
        assert o["grant_earned"] == f"£{round(500_000 * o['paid_value']):,}"
        earned += 500_000 * o["paid_value"]
    assert grant["earned"] == f"£{round(earned):,}"
    assert f"on these figures the targets earn {grant['earned']} in all" in grant["total_words"]
    word = _docx_text(render(report, "docx"))
    page = _html_text(render(report, "html"))
    for text in (word, page):
        assert "Grant earned" in text and grant["total_words"] in text


def test__next_steps__forecast_against_next_years_target_in_words_and_figures(report_2009):
    assert report_2009.next_year == "2010/11" and report_2009.next_year_targets > 20
    steps = [o for t in report_2009.themes for o in t.next_steps]
    red = [o for o in steps if o["status"]["code"] == "red"]
    assert red  # every indicator red at the year end is there
    every_red = [o for t in report_2009.themes for o in t.outturns if o["status"]["code"] == "red"]
    assert {o["code"] for o in every_red} <= {o["code"] for o in steps}
    # on target at the year end but forecast to miss next year's (higher) target
    ahead = [o for o in steps if o["status"]["code"] == "green"]
    assert ahead and all(o["forecast_misses"] for o in ahead)
    o = ahead[0]
    assert o["forecast"] != "–" and o["next_target"] != "–"
    assert (
        f"Forecast for 2010/11 if nothing changes: {o['forecast']} against a target of "
        f"{o['next_target']} (" in o["next_words"]
    )
    assert o["next_words"].startswith(f"On target at the year end: {o['outturn']}")
    word = _docx_text(render(report_2009, "docx"))
    page = _html_text(render(report_2009, "html"))
    for text in (word, page):
        assert o["next_words"] in text


def test__next_steps__no_targets_next_year_is_said(demo_warehouse, demo_pid):
    report = _draft(demo_warehouse, demo_pid, "2010/11")
    assert report.next_year == "2011/12" and report.next_year_targets == 0
    assert all(not o["forecast_misses"] for t in report.themes for o in t.outturns)
    for text in (_docx_text(render(report, "docx")), _html_text(render(report, "html"))):
        assert "No targets are set for 2011/12 yet, so nothing is forecast against them." in text


def test__published_report__uses_the_forecast_frozen_at_publication(demo_warehouse, demo_pid):
    pub = published.published(demo_warehouse, demo_pid)
    assert pub.values["forecast_value"].notna().any()
    report = annual_report(pub, "2009/10")
    assert report.next_year_targets > 20
    assert any(o["forecast_misses"] for t in report.themes for o in t.next_steps)


def test__published_report__next_years_target_as_it_stood_when_published(demo_copy):
    pid = demo_partnership_id(demo_copy)
    before = annual_report(published.published(demo_copy, pid), "2009/10")
    o = next(o for t in before.themes for o in t.outturns if o["code"] == "NI 20")
    # a refresh of next year's target after the year was published
    execute(
        demo_copy,
        "INSERT INTO target (indicator_id, financial_year, version, target_value, set_on,"
        " provenance, reason) SELECT indicator_id, '2010/11', 9, 1.23, DATE '2011-01-05',"
        " 'refresh', 'later' FROM indicator WHERE code = 'NI 20' AND partnership_id = ?",
        [pid],
    )
    after = annual_report(published.published(demo_copy, pid), "2009/10")
    same = next(x for t in after.themes for x in t.outturns if x["code"] == "NI 20")
    assert same["next_target"] == o["next_target"] != "–"
    draft = _draft(demo_copy, pid, "2009/10")
    new = next(x for t in draft.themes for x in t.outturns if x["code"] == "NI 20")
    assert new["next_target"].startswith("1.23")
