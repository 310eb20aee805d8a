"""The Performance Reward Grant forecast: the share of the stretch, the threshold, the pot,
what it would take, the partners' shares, the split and the government's adjustments."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.county.reward import RewardSettings, pots, reward_forecast

END = date(2010, 9, 30)


def _forecast(outturn, without=40.0, stretch=50.0, *, settings=None, polarity="higher",
              unit="%", allocations=None, period="2010/11 Q2", as_of=END):  # fmt: skip
    targets = pd.DataFrame([{
        "code": "NI 192", "title": "Recycling", "unit": unit, "decimals": 1,
        "polarity": polarity, "baseline_value": 36.0, "target_value": stretch,
        "target_without_stretch": without, "reward_share_pct": None, "forecast_value": outturn,
    }])  # fmt: skip
    settings = settings or RewardSettings(pot=1_000_000)
    return reward_forecast(targets, settings, period, as_of, allocations)


@pytest.mark.parametrize(
    ("outturn", "paid"),
    [(45.99, 0.0),  # 59.9% of the stretch: below the threshold, nothing
     (46.0, 0.6),  # exactly 60%: paid
     (46.01, 0.601),  # 60.1%
     (50.0, 1.0),  # the whole stretch
     (53.0, 1.0)],  # beyond it: capped at 100%
)  # fmt: skip
def test__higher_is_better__around_the_threshold(outturn, paid):
    f = _forecast(outturn)
    row = f.targets.iloc[0]
    assert row["paid"] == pytest.approx(paid)
    assert row["grant_forecast"] == pytest.approx(1_000_000 * paid)
    assert f.forecast == pytest.approx(1_000_000 * paid)


@pytest.mark.parametrize(
    ("outturn", "paid"),
    [(8.0025, 0.0),  # 59.9% of the stretch
     (8.0, 0.6), (7.9975, 0.601), (7.0, 1.0), (6.0, 1.0)],
)  # fmt: skip
def test__lower_is_better__around_the_threshold(outturn, paid):
    # W = 9.5 (expected without the stretch), S = 7.0: 60% of the stretch is 8.0
    f = _forecast(outturn, without=9.5, stretch=7.0, polarity="lower", unit="per 1,000")
    assert f.targets.iloc[0]["paid"] == pytest.approx(paid)


def test__what_it_would_take__in_the_unit_and_direction():
    # 60% of a 10-point stretch over 40 is 46: a forecast of 43.7 is 2.3 points short
    f = _forecast(43.7)
    assert f.targets.iloc[0]["to_threshold"] == (
        "2.3 more percentage points to reach 60% of the stretch."
    )
    lower = _forecast(8.4, without=9.5, stretch=7.0, polarity="lower", unit="incidents")
    assert lower.targets.iloc[0]["to_threshold"] == (
        "A further fall of 0.4 incidents to reach 60% of the stretch."
    )
    assert "to meet the stretch target in full" in _forecast(47.0).targets.iloc[0]["to_threshold"]


def test__threshold_and_split_are_the_agreements_own():
    settings = RewardSettings.from_percentages(1_000_000, 50, 40)
    f = _forecast(45.0, settings=settings)  # 50% of the stretch: paid under a 50% rule
    assert f.targets.iloc[0]["paid"] == pytest.approx(0.5)
    assert (f.capital, f.revenue) == (pytest.approx(200_000), pytest.approx(300_000))
    assert "nothing below 50%" in f.summary
    default = RewardSettings.from_percentages(1_000_000, None, None)
    assert (default.threshold, default.capital_share) == (0.6, 0.3)


def test__pot__a_target_with_a_share_of_its_own_and_the_rest_split_equally():
    shares = pd.Series([50.0, None, None])
    assert pots(shares, 1_000_000).tolist() == [500_000, 250_000, 250_000]
    assert pots(pd.Series([None, None]), None).tolist() == [None, None]


def test__partners_share_a_targets_grant():
    allocations = pd.DataFrame({"code": ["NI 192", "NI 192"], "partner": ["County", "Districts"],
                                "share_pct": [60.0, 40.0]})  # fmt: skip
    f = _forecast(50.0, allocations=allocations)
    assert f.allocations["grant_forecast"].tolist() == [600_000, 400_000]


def test__withdrawn_by_government__nothing_forecast_and_it_says_so():
    withdrawn = RewardSettings(pot=1_000_000, adjustments=(
        (date(2010, 10, 20), "withdrawn", None, "Spending Review"),))  # fmt: skip
    before = _forecast(50.0, settings=withdrawn)  # as at Q2: not decided yet
    assert before.forecast == 1_000_000 and not before.adjustment_words
    after = _forecast(50.0, settings=withdrawn, period="2010/11 Q3", as_of=date(2010, 12, 31))
    assert after.forecast == 0
    assert after.adjustment_words == [
        "Government withdrew this reward on 20 October 2010 (Spending Review): nothing will be "
        "paid. On these figures the targets would have earned £1,000,000."
    ]
    assert "after the government's decision, £0" in after.summary


def test__reduced_by_government__paid_that_much_less():
    halved = RewardSettings(pot=1_000_000, adjustments=(
        (date(2008, 6, 1), "reduced", 50.0, "agreement made before June 2008"),))  # fmt: skip
    f = _forecast(50.0, settings=halved)
    assert f.forecast == 500_000 and f.before_adjustment == 1_000_000
    assert f.targets.iloc[0]["grant_forecast"] == 500_000
    assert "at a 50% reduction" in f.adjustment_words[0]


def test__no_pot_recorded__shares_only_no_money():
    f = _forecast(50.0, settings=RewardSettings(pot=None))
    assert f.forecast is None and f.at_stake is None
    assert "No reward grant amount is recorded" in f.summary


def test__no_county_figure_yet__the_districts_awaited_are_named_and_nothing_forecast():
    targets = pd.DataFrame([{
        "code": "NI 192", "title": "Recycling", "unit": "%", "decimals": 1,
        "polarity": "higher", "baseline_value": 36.0, "target_value": 50.0,
        "target_without_stretch": 40.0, "reward_share_pct": None, "forecast_value": None,
        "forecast_note": "No county figure for 2010/11 Q2 yet: waiting for Bexmoor Partnership.",
    }])  # fmt: skip
    f = reward_forecast(targets, RewardSettings(pot=1_000_000), "2010/11 Q2", END, None)
    row = f.targets.iloc[0]
    assert row["to_threshold"] == (
        "No county figure for 2010/11 Q2 yet: waiting for Bexmoor Partnership."
    )
    assert row["grant_forecast"] is None or pd.isna(row["grant_forecast"])
