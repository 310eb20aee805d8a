"""The six-monthly review's pure parts: windows, persistence, movers, flags, forecasts."""

from datetime import date

import pandas as pd
import pytest

from analytics.scrutiny import review as rv


@pytest.mark.parametrize(
    ("code", "quarters", "baseline", "last_year"),
    [
        ("2010/11 H1", ("2010/11 Q1", "2010/11 Q2"), "2009/10 Q4", "2009/10 Q2"),
        ("2010/11 H2", ("2010/11 Q3", "2010/11 Q4"), "2010/11 Q2", "2009/10 Q4"),
        ("2008/09 H1", ("2008/09 Q1", "2008/09 Q2"), "2007/08 Q4", "2007/08 Q2"),
    ],
)
def test__half_window__quarters_baseline_and_last_year(code, quarters, baseline, last_year):
    w = rv.half_window(code)
    assert (w.quarters, w.baseline_quarter, w.last_year_quarter) == (quarters, baseline, last_year)
    assert w.end_quarter == quarters[-1]


def test__half_window__refuses_a_quarter():
    with pytest.raises(ValueError, match="half-year"):
        rv.half_window("2010/11 Q2")


@pytest.mark.parametrize(
    ("meeting", "latest", "baseline", "quarters"),
    [
        (date(2010, 11, 16), "2010/11 Q4", "2010/11 Q2", ("2010/11 Q3", "2010/11 Q4")),
        (date(2011, 6, 14), "2010/11 Q4", "2010/11 Q4", ()),  # nothing new yet
        (date(2010, 8, 1), "2010/11 Q2", "2009/10 Q4", ("2010/11 Q1", "2010/11 Q2")),
    ],
)
def test__since_window__the_quarters_after_what_the_last_review_saw(
    meeting, latest, baseline, quarters
):
    w = rv.since_window(meeting, latest)
    assert (w.baseline_quarter, w.quarters) == (baseline, quarters)
    assert w.is_empty == (not quarters)


def test__review_meeting_for__first_meeting_after_the_half_and_its_lag():
    meetings = [date(2010, 6, 15), date(2010, 11, 16), date(2011, 6, 14)]
    assert rv.review_meeting_for(meetings, rv.half_window("2010/11 H1")) == date(2010, 11, 16)
    assert rv.review_meeting_for(meetings, rv.half_window("2010/11 H2")) == date(2011, 6, 14)
    assert rv.review_meeting_for(meetings, rv.half_window("2011/12 H1")) is None
    assert rv.previous_meeting(meetings, date(2010, 11, 16)) == date(2010, 6, 15)


def statuses(rows):
    frame = pd.DataFrame(
        rows, columns=["indicator_id", "code", "rag_status", "persistence_periods"]
    )
    return frame.assign(
        theme="T", theme_order=1, title=frame["code"] + " title", period="2010/11 Q2",
        period_end=date(2010, 9, 30), rag_reason="why " + frame["rag_status"],
        forecast_status=frame["rag_status"],
    )  # fmt: skip


def history(code, statuses_in_order, notes=None):
    quarters = ["2009/10 Q3", "2009/10 Q4", "2010/11 Q1", "2010/11 Q2"][-len(statuses_in_order) :]
    ends = {"2009/10 Q3": date(2009, 12, 31), "2009/10 Q4": date(2010, 3, 31),
            "2010/11 Q1": date(2010, 6, 30), "2010/11 Q2": date(2010, 9, 30)}  # fmt: skip
    return pd.DataFrame({
        "code": code, "period": quarters, "period_end": [ends[q] for q in quarters],
        "rag_status": statuses_in_order, "actual_value": 1.0, "target_value": 2.0,
        "rag_reason": "r", "commentary": "c",
        "remedial_action": notes or ["action"] * len(quarters),
    })  # fmt: skip


@pytest.mark.parametrize(
    ("persistence", "status", "threshold", "listed"),
    [
        (0, "green", 2, False),
        (1, "red", 2, False),  # red this quarter only
        (2, "red", 2, True),  # exactly on the threshold
        (2, "amber", 2, True),
        (3, "amber", 4, False),  # threshold configurable
        (4, "red", 4, True),
        (1, "red", 1, True),
        (5, "missing", 2, False),  # missing is not red or amber
    ],
)
def test__persistent__red_or_amber_for_threshold_quarters_running(
    persistence, status, threshold, listed
):
    end = statuses([(1, "NI 1", status, persistence)])
    on, _ = rv.persistent(end, history("NI 1", ["red", "red", "red", status]), threshold)
    assert (len(on) == 1) == listed


def test__persistent__longest_first_with_the_run_quarter_by_quarter():
    end = statuses([(1, "NI 1", "amber", 2), (2, "NI 2", "red", 4), (3, "NI 3", "red", 3)])
    hist = pd.concat([
        history("NI 1", ["green", "green", "red", "amber"]),
        history("NI 2", ["red"] * 4, notes=["a", "", "b", "c"]),
        history("NI 3", ["green", "red", "red", "red"]),
    ])  # fmt: skip
    on, runs = rv.persistent(end, hist, 2)
    assert on["code"].tolist() == ["NI 2", "NI 3", "NI 1"]
    assert runs[runs["code"] == "NI 1"]["period"].tolist() == ["2010/11 Q1", "2010/11 Q2"]
    run = runs[runs["code"] == "NI 2"]
    assert len(run) == 4
    assert rv.remedial_action_followed(run) == "no remedial action reported in 1 of 4 quarters"
    assert rv.remedial_action_followed(runs[runs["code"] == "NI 3"]) == (
        "remedial action reported in each of the 3 quarters"
    )


def test__persistent__threshold_below_one_is_refused():
    with pytest.raises(ValueError):
        rv.persistent(statuses([]), history("NI 1", ["red"]), 0)


@pytest.mark.parametrize(
    ("before", "after", "change", "direction"),
    [
        ("green", "red", "new_exception", "worsened"),
        ("green", "amber", "new_exception", "worsened"),
        ("amber", "red", "worsened", "worsened"),
        ("red", "amber", "improved", "improved"),
        ("red", "green", "recovered", "improved"),
        ("missing", "green", "recovered", "improved"),
        ("green", "missing", "new_exception", "worsened"),
    ],
)
def test__movers__improved_or_worsened_with_both_reasons(before, after, change, direction):
    moved = rv.movers(statuses([(1, "NI 1", before, 0)]), statuses([(1, "NI 1", after, 1)]))
    assert moved[["change", "direction"]].values.tolist() == [[change, direction]]
    assert moved["reason_before"].iloc[0] == f"why {before}"
    assert moved["rag_reason"].iloc[0] == f"why {after}"


@pytest.mark.parametrize(
    ("before", "after"), [("green", "green"), ("red", "red"), ("amber", "amber")]
)
def test__movers__an_unchanged_status_is_not_a_mover(before, after):
    assert rv.movers(statuses([(1, "NI 1", before, 0)]), statuses([(1, "NI 1", after, 0)])).empty


def test__flags_in_window__in_force_at_end_or_lifted_during_the_window():
    flags = pd.DataFrame({
        "title": ["open", "lifted in", "lifted before", "raised after"],
        "flagged_on": [date(2009, 12, 9), date(2009, 12, 9), date(2009, 12, 9), date(2010, 12, 1)],
        "lifted_on": [None, date(2010, 8, 1), date(2010, 1, 1), None],
    })  # fmt: skip
    out = rv.flags_in_window(flags, rv.half_window("2010/11 H1"))
    assert out["title"].tolist() == ["open", "lifted in"]
    assert out["in_force_at_end"].tolist() == [True, False]


def test__forecast_misses__red_then_amber_forecasts_only():
    end = statuses([(1, "NI 1", "amber", 1), (2, "NI 2", "green", 0), (3, "NI 3", "red", 2)])
    assert rv.forecast_misses(end)["code"].tolist() == ["NI 3", "NI 1"]


def test__picture__counts_per_theme_per_snapshot_with_totals():
    a = statuses([(1, "NI 1", "red", 1), (2, "NI 2", "green", 0)])
    b = statuses([(1, "NI 1", "green", 0), (2, "NI 2", "green", 0)])
    pic = rv.picture({"end": a, "start": b})
    assert pic["theme"].tolist() == ["T", "T", "Total", "Total"]
    assert pic.loc[0, "red"] == 1 and pic.loc[1, "green"] == 2 and pic.loc[2, "total"] == 2


@pytest.mark.parametrize(
    ("point", "variation", "said"),
    [
        ("common_cause", "common_cause", "No: within normal variation (common cause)"),
        ("trend", "concern_low", "Yes: a special cause of concern"),
        ("beyond_limits", "improvement_high", "Yes: a special cause of improvement"),
        ("shift", "neutral_high", "Yes: a special cause"),
        ("", "", ""),
    ],
)
def test__movers__say_whether_the_move_is_beyond_normal_variation(point, variation, said):
    after = statuses([(1, "NI 1", "red", 1)]).assign(
        spc_point=point, spc_variation=variation, spc_reason="sentence"
    )
    moved = rv.movers(statuses([(1, "NI 1", "green", 0)]), after)
    assert moved["spc_point"].iloc[0] == point
    assert rv.beyond_normal_variation(point, variation) == said
