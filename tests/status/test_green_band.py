"""The green band: a miss of no more than ``green_tolerance_pct`` % of the target is green,
whatever the rule; the rule decides amber and red beyond it. Havering's published rule
(Cabinet reports 2013/14 to 2014/15): green on or within 10% of the target; amber more than
10% off and improved or maintained on the same quarter last year; red otherwise."""

from __future__ import annotations

import math

import pytest
from status_frames import status_of

from analytics.status import RULES_HELP, RULES_HELP_MARKDOWN
from analytics.status.help import rule_in_words

NOW, LAST_YEAR = "2009/10 Q2", "2008/09 Q2"
HAVERING = dict(status_rule="improved_last_year", green_tolerance_pct=10.0, polarity="lower",
                unit="kg", decimals=0)  # fmt: skip
NAN = math.nan

# rule settings, target, actual, last year -> status, words the reason holds
CASES = [
    ("havering: met", HAVERING, 640, 630, NAN, "green", "met target 640 kg (actual 630 kg)"),
    ("havering: within the band", HAVERING, 640, 653, NAN, "green",
     "2.0% above target 640 kg (lower is better), within the 10% green band (actual 653 kg)"),
    ("havering: exactly on the band", HAVERING, 640, 704, NAN, "green", "10% green band"),
    ("havering: beyond, improved", HAVERING, 640, 705, 720, "amber",
     "65 kg (10.2%) above target 640 kg (lower is better), beyond the 10% green band, but "
     "improved on the same period last year (720 kg; actual 705 kg)"),
    ("havering: beyond, maintained", HAVERING, 640, 705, 705, "amber", "no worse than"),
    ("havering: beyond, worse", HAVERING, 640, 705, 690, "red",
     "beyond the 10% green band, and worse than the same period last year"),
    ("havering: beyond, no last year", HAVERING, 640, 705, NAN, "red", "no value for the same"),
    ("higher is better: in the band", dict(green_tolerance_pct=10.0, amber_tolerance_pct=15.0),
     100, 95, NAN, "green", "5.0% below target 100.0%, within the 10% green band"),
    ("higher is better: amber beyond it", dict(green_tolerance_pct=10.0,
                                              amber_tolerance_pct=15.0),
     100, 88, NAN, "amber", "within the 15% tolerance"),
    ("higher is better: red beyond both", dict(green_tolerance_pct=10.0,
                                              amber_tolerance_pct=15.0),
     100, 80, NAN, "red", "beyond the 15% tolerance"),
    ("blank band: the target must be met", dict(green_tolerance_pct=NAN), 100, 99, NAN, "amber",
     "within the 5% tolerance"),
    ("a band of 0: the target must be met", dict(green_tolerance_pct=0.0), 100, 99.9, NAN,
     "amber", "within the 5% tolerance"),
    ("absolute tolerance with a band", dict(status_rule="abs_tolerance", amber_tolerance_abs=3.0,
                                            green_tolerance_pct=2.0),
     100, 98, NAN, "green", "within the 2% green band"),
    ("absolute tolerance beyond the band", dict(status_rule="abs_tolerance",
                                                amber_tolerance_abs=3.0, green_tolerance_pct=2.0),
     100, 97.5, NAN, "amber", "within the tolerance of 3.0 percentage points"),
    ("ideal and minimum with a band", dict(status_rule="ideal_minimum", minimum_standard=80.0,
                                           green_tolerance_pct=5.0),
     100, 96, NAN, "green", "within the 5% green band"),
    ("data only stays data only", dict(status_rule="data_only", green_tolerance_pct=10.0),
     100, 95, NAN, "no_target", "data only"),
    ("no target is never green", dict(green_tolerance_pct=10.0), None, 95, NAN, "no_target",
     "no target set"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("settings", "target", "actual", "last_year", "status", "says"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test__green_band__status_and_reason(settings, target, actual, last_year, status, says):
    values = {LAST_YEAR: last_year, NOW: actual}
    row = status_of(settings, target, values, NOW)
    assert row["rag_status"] == status, row["rag_reason"]
    assert says in row["rag_reason"]


def test__green_band__forecast_is_judged_with_the_band_too():
    row = status_of(dict(green_tolerance_pct=10.0), 100, {NOW: 95}, NOW)
    assert row["forecast_status"] == "green"


def test__green_band__is_in_the_rules_panel():
    assert "green band" in RULES_HELP["green_band"].lower()
    assert "green_tolerance_pct" in RULES_HELP_MARKDOWN
    assert "within 10%" in rule_in_words("improved_last_year", green=10.0)
    words = rule_in_words("improved_last_year", green=10.0)
    assert "amber" in words.lower() and "improved" in words
    assert "green band" not in rule_in_words("pct_tolerance", pct=5.0)
