"""Fingertips' interval methods as published by PHEindicatormethods, reproduced.

Source: UKHSA's PHEindicatormethods (github.com/ukhsa-collaboration/PHEindicatormethods,
commit 093fd28): its tests tests/testthat/testByars.R, testWilson.R, testRates.R and
testProportions.R, which read their expected values from tests/testthat/
testdata_Byars_Wilson.xlsx, testdata_Rate.xlsx and testdata_Proportion.xlsx. The values
below are copied from those sheets (full precision, as stored); the tests compare with
testthat's default tolerance (relative 1.5e-8).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.status.intervals import (
    byar_interval,
    confidence_intervals,
    rate_interval,
    wilson_interval,
)

TOL = 1.5e-8  # testthat::expect_equal's default tolerance


def close(expected):
    return pytest.approx(expected, rel=TOL, nan_ok=True)


# -- testByars.R, "byars_lower calculate correctly" (testdata_B_W rows 1-6 and 13) ---------------


def test__byars__95_percent():
    lower, upper = byar_interval([65, 1045, 1], 0.95)
    assert lower.tolist() == close([50.163187710459454, 982.5932018073325, 0.01307213290150435])
    assert upper.tolist() == close([82.84913854593984, 1110.33121298565, 5.5637555824752605])


def test__byars__99_8_percent():
    lower, upper = byar_interval([65, 1045, 10], 0.998)
    assert lower.tolist() == close([42.8802614714802, 947.9407035610374, 2.916318374695686])
    assert upper.tolist() == close([94.00029084431802, 1148.806160988033, 24.193724927880535])


def test__byars__a_negative_lower_limit_is_missing():
    lower, upper = byar_interval([1], 0.998)  # testdata_B_W row 13: lowercl empty
    assert np.isnan(lower[0])
    assert upper.tolist() == close([9.362180217908362])


# -- testWilson.R, "wilson_lower calculate correctly" (testdata_B_W rows 7-12) -------------------


@pytest.mark.parametrize(
    ("confidence", "lower", "upper"),
    [
        (
            0.95,
            [0.5525444329688797, 0.19795549880013297, 0.04381744772058822],
            [0.7363575175690247, 0.22049130373189027, 0.9334621276979156],
        ),
        (
            0.998,
            [0.4954946574070431, 0.19179381799015244, 0.019347006132900975],
            [0.7783540614089697, 0.22731562902525818, 0.9702259947019541],
        ),
    ],
)
def test__wilson(confidence, lower, upper):
    got_lower, got_upper = wilson_interval([65, 1045, 0.445], [100, 5000, 1], confidence)
    assert got_lower.tolist() == close(lower)
    assert got_upper.tolist() == close(upper)


# -- testRates.R, "rates and CIs calculate correctly" (testdata_Rate) ----------------------------

RATE_ROWS = [
    # Numerator, Denominator, lower95_0cl, upper95_0cl, lower99_8cl, upper99_8cl, method
    # (per 100,000: testdata_Rate rows 9-16; the rows 1-8 are the same per 100)
    (1, 100, 25.317807984289896, 5571.643390938898, 1.0005003335835343, 9233.413476451586,
     "exact_poisson"),
    (5, 100, 1623.4863901184199, 11668.332079322669, 739.3717319178389, 16454.745203680104,
     "exact_poisson"),
    (20, 100, 12211.428834875936, 30889.880369197064, 8922.802365144193, 38085.03562504191,
     "byar"),
    (65, 100, 50163.18771045945, 82849.13854593984, 42880.261471480204, 94000.290844318,
     "byar"),
    (9856, 12345, 78269.49058976758, 81430.01654272141, 77375.90543271053, 82354.47277095431,
     "byar"),
    (7776456, 7564336677, 102.73196005302074, 102.87648334092832, 102.690317308454,
     102.91817639509068, "byar"),
    (222, 3215, 6026.574877652674, 7875.729370871851, 5560.737695259853, 8461.04668173341,
     "byar"),
    (999, 3456, 27141.30493609052, 30755.833237378414, 26162.147596445768, 31845.604819822653,
     "byar"),
    # Area12: a numerator above its denominator ("test num > denom")
    (250, 220, 99984.94738532876, 128631.14487455782, 92710.00554438953, 137651.23772147458,
     "byar"),
]  # fmt: skip


@pytest.mark.parametrize("multiplier", [100_000, 100])
def test__rates__both_levels_and_the_method_by_numerator(multiplier):
    rows = pd.DataFrame(
        RATE_ROWS, columns=["numerator", "denominator", "l95", "u95", "l998", "u998", "method"]
    )
    out = confidence_intervals(rows.assign(measure="rate", multiplier=multiplier))
    scale = multiplier / 100_000
    assert out["ci_value"].tolist() == close(
        (rows["numerator"] / rows["denominator"] * multiplier).tolist()
    )
    assert out["ci_lower_95"].tolist() == close((rows["l95"] * scale).tolist())
    assert out["ci_upper_95"].tolist() == close((rows["u95"] * scale).tolist())
    assert out["ci_lower_99_8"].tolist() == close((rows["l998"] * scale).tolist())
    assert out["ci_upper_99_8"].tolist() == close((rows["u998"] * scale).tolist())
    assert out["ci_method"].tolist() == rows["method"].tolist()


def test__rates__grouped_sums_testdata_rate_g():
    # "test grouped": each area twice, so 2/200 (exact) and 10/200 (Byar's, the first count)
    lower, upper = rate_interval([2, 10, 40, 444], [200, 200, 200, 6430], 0.95)
    assert (lower * 100_000).tolist() == close(
        [121.10463927198258, 2393.7249569837822, 14286.649933218456, 6277.68811414578]
    )
    assert (upper * 100_000).tolist() == close(
        [3612.3438338619794, 9195.729302878237, 27235.04966001213, 7578.304458634362]
    )


def test__rates__missing_numerator_or_denominator_gives_no_interval():
    # "test NAs": Area09 (no numerator), Area10 (no denominator), Area11 (neither)
    rows = pd.DataFrame(
        {"numerator": [np.nan, 10, np.nan], "denominator": [100, np.nan, np.nan]}
    ).assign(measure="rate", multiplier=100_000)
    out = confidence_intervals(rows)
    assert out[["ci_value", "ci_lower_95", "ci_upper_99_8"]].isna().all().all()
    assert out["ci_method"].tolist() == ["", "", ""]


# -- testProportions.R, "proportions and CIs calculate correctly" (testdata_Prop) -----------------

PROPORTION_ROWS = [
    # Numerator, Denominator, lower95_0cl, upper95_0cl, lower99_8cl, upper99_8cl (rows 1-8)
    (1, 100, 0.0017674320641406511, 0.054486196178705294, 0.000873065697299977,
     0.1045544528370582),
    (5, 100, 0.02154367915436798, 0.11175046923191911, 0.013865320725997183,
     0.16458852282596442),
    (20, 100, 0.1333669333310325, 0.28882916559315885, 0.10519162066711432, 0.3471109417008601),
    (65, 100, 0.5525444329688797, 0.7363575175690247, 0.4954946574070431, 0.7783540614089697),
    (9856, 12345, 0.7912101752909069, 0.8053640073614909, 0.7869924108419063,
     0.8093061412589626),
    (7776456, 7564336677, 0.0010273201001641094, 0.0010287644578977231, 0.0010269040118442213,
     0.0010291812992698397),
    (222, 3215, 0.060791690363636595, 0.07833956681383633, 0.05647101964624248,
     0.08418414185270134),
    (999, 3456, 0.27418951080009873, 0.30440389662818057, 0.26583995768074953,
     0.3134475449279985),
]  # fmt: skip


@pytest.mark.parametrize("multiplier", [1, 100])  # "test default" and "test full, percentage"
def test__proportions__both_levels(multiplier):
    rows = pd.DataFrame(
        PROPORTION_ROWS, columns=["numerator", "denominator", "l95", "u95", "l998", "u998"]
    )
    out = confidence_intervals(rows.assign(measure="proportion", multiplier=multiplier))
    assert out["ci_lower_95"].tolist() == close((rows["l95"] * multiplier).tolist())
    assert out["ci_upper_95"].tolist() == close((rows["u95"] * multiplier).tolist())
    assert out["ci_lower_99_8"].tolist() == close((rows["l998"] * multiplier).tolist())
    assert out["ci_upper_99_8"].tolist() == close((rows["u998"] * multiplier).tolist())
    assert set(out["ci_method"]) == {"wilson"}


def test__proportions__grouped_sums_testdata_prop_g():
    lower, upper = wilson_interval([2, 10, 130, 1998], [200, 200, 200, 6912], 0.95)
    assert lower.tolist() == close(
        [0.002746658133544438, 0.027382645600763925, 0.5816346433604008, 0.2784949436323704]
    )
    assert upper.tolist() == close(
        [0.035721761716176796, 0.08957814813877597, 0.7127117587264192, 0.2998643901720741]
    )
