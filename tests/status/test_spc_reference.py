"""Published XmR results of NHSRplotthedots, reproduced by analytics.status.spc.

Source: the NHS-R community's NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots,
release 0.2.2, commit 050b07d), its tests (tests/testthat/*.R and their snapshots in
tests/testthat/_snaps/*.md) and vignettes. Each test names the file and ``test_that`` block
it reproduces; the expected numbers are copied from there, at the precision printed there.

Their tests draw data with R's ``set.seed(123); rnorm(...)``. The values are written out below
(R 4: Mersenne-Twister, inversion); the snapshot prints the first of them to 8 decimals
(-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.1...), which these match.

The window functions (trend, shift, two in three) are tested through the row-by-row rules
(analytics.status.spc_rowwise), written as NHSRplotthedots writes them; the vectorised rules
are checked against those in test_spc.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.status import spc_rowwise as rowwise
from analytics.status.spc import SpcSettings, assurance_codes, spc_points, spc_summary

# set.seed(123); rnorm(24)
RNORM_123 = [
    -0.560475646552213, -0.230177489483280, 1.558708314149124, 0.070508391424576,
    0.129287735160946, 1.715064986883281, 0.460916205989202, -1.265061234606534,
    -0.686852851893526, -0.445661970099958, 1.224081797439462, 0.359813827057364,
    0.400771450594052, 0.110682715945120, -0.555841134754075, 1.786913136803078,
    0.497850478229239, -1.966617156629638, 0.701355901563686, -0.472791407727934,
    -1.067823705986845, -0.217974914658295, -1.026004448307240, -0.728891229291140,
]  # fmt: skip
# ...then rnorm(12, 5) (test-geom_ptd_icon.R replaces the second facet's values with these)
RNORM_123_NEXT_12_MEAN_5 = [
    4.374960732150743, 3.313306689257587, 5.837787044494525, 5.153373117836515,
    3.861863062988053, 6.253814921069926, 5.426464221476814, 4.704928517007729,
    5.895125661045022, 5.878133487533042, 5.821581081637487, 5.688640254100091,
]  # fmt: skip


def series(values, series_id=1, **columns) -> pd.DataFrame:
    return pd.DataFrame(
        {"series_id": series_id, "period_order": range(len(values)), "value": values, **columns}
    )


def printed(x: float, digits: int):
    """Equal to ``x`` as printed with ``digits`` significant figures."""
    from math import floor, log10

    return pytest.approx(x, abs=0.5 * 10 ** (floor(log10(abs(x))) - digits + 1))


# -- tests/testthat/test-ptd_spc_standard.R, "it returns expected values" ----------------------
# (snapshot tests/testthat/_snaps/ptd_spc_standard.md, r1 / r2 / r3)


def test__ptd_spc_standard__limits_of_twenty_normal_values():
    out = spc_points(series(RNORM_123[:20]))
    first = out.iloc[0]
    assert first["spc_mean"] == printed(0.1416238, 7)
    assert first["spc_lower_limit"] == printed(-3.01138, 6)
    assert first["spc_upper_limit"] == printed(3.294627, 7)
    assert out["spc_mean"].nunique() == 1 and out["spc_upper_limit"].nunique() == 1
    side = [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]  # relative_to_mean, as shown
    assert ((out["value"] - out["spc_mean"]).gt(0) * 2 - 1).tolist()[:15] == side
    assert not (
        (out["value"] > out["spc_upper_limit"]) | (out["value"] < out["spc_lower_limit"])
    ).any()


def test__ptd_spc_standard__an_outlier_screened_then_not():
    values = list(RNORM_123[:20])
    values[14] = 10  # data$y[15] <- 10
    screened = spc_points(series(values)).iloc[0]
    assert screened["spc_mean"] == printed(0.6694159, 7)
    assert screened["spc_lower_limit"] == printed(-2.383666, 7)
    assert screened["spc_upper_limit"] == printed(3.722497, 7)
    unscreened = spc_points(series(values), SpcSettings(screen_outliers=False)).iloc[0]
    assert unscreened["spc_mean"] == printed(0.6694159, 7)
    assert unscreened["spc_lower_limit"] == printed(-4.596625, 7)
    assert unscreened["spc_upper_limit"] == printed(5.935457, 7)
    side = [-1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1]  # r2's relative_to_mean
    out = spc_points(series(values))
    assert ((out["value"] - out["spc_mean"]).gt(0) * 2 - 1).tolist()[:14] == side
    # "the range ... when screen_outliers = FALSE is larger"
    assert (
        unscreened["spc_upper_limit"] - unscreened["spc_lower_limit"]
        > screened["spc_upper_limit"] - screened["spc_lower_limit"]
    )


def test__ptd_spc_standard__rebase_group_restarts_at_the_rebase():
    # "it sets the rebase_group field": rebase = c(rep(0, 10), 1, rep(0, 9))
    out = spc_points(
        series(RNORM_123[:20]), rebases=pd.DataFrame({"series_id": [1], "period_order": [10]})
    )
    assert out["spc_baseline"].tolist() == [0] * 10 + [1] * 10


def test__ptd_spc_standard__fixing_after_12_points_changes_the_limits():
    # "setting fix_after_n_points changes the calculations"
    free = spc_points(series(RNORM_123[:20])).iloc[0]
    fixed = spc_points(series(RNORM_123[:20]), SpcSettings(fix_after_points=12)).iloc[0]
    assert fixed["spc_lower_limit"] != free["spc_lower_limit"]
    assert fixed["spc_upper_limit"] != free["spc_upper_limit"]
    first_12 = spc_points(series(RNORM_123[:12])).iloc[0]
    assert fixed["spc_upper_limit"] == first_12["spc_upper_limit"]


def test__ptd_spc_standard__two_of_three_only_on_the_same_side_of_the_mean():
    # "it only reports special cause for 2of3 points close to limits when they are on the
    # same side of the mean"
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    out = spc_points(series(values, polarity="higher"))
    assert out["spc_point"].tail(2).tolist() == ["common_cause", "common_cause"]
    assert out["spc_variation"].tail(2).tolist() == ["common_cause", "common_cause"]


# -- tests/testthat/test-ptd_spc.R, "it outputs expected content" (snapshot _snaps/ptd_spc.md) --


def test__ptd_spc_summary__whole_series_by_facet_and_rebased_before_the_data():
    whole = spc_summary(series(RNORM_123[:20], polarity="higher"))
    assert whole.loc[0, "spc_mean"] == printed(0.142, 3)
    assert whole.loc[0, "spc_lower_limit"] == printed(-3.01, 3)
    assert whole.loc[0, "spc_upper_limit"] == printed(3.29, 3)
    points = spc_points(series(RNORM_123[:20], polarity="higher"))
    assert (points["spc_point"] == "common_cause").sum() == 20  # common_cause 20, 0 and 0

    # facet = rep(c(0, 1), each = 10)
    facets = pd.concat([series(RNORM_123[:10], 0), series(RNORM_123[10:20], 1)])
    by_facet = spc_summary(facets)
    assert by_facet["spc_mean"].tolist() == [printed(0.0746, 3), printed(0.209, 3)]
    assert by_facet["spc_lower_limit"].tolist() == [printed(-2.60, 3), printed(-3.28, 3)]
    assert by_facet["spc_upper_limit"].tolist() == [printed(2.75, 3), printed(3.70, 3)]
    assert (spc_points(facets)["spc_point"] == "common_cause").sum() == 20
    assert by_facet["spc_trial_limits"].tolist() == [True, True]  # "n < 12": trial limits

    # rebase = as.Date("2020-01-01"), before the first point: nothing changes
    rebased = spc_summary(
        series(RNORM_123[:20]), rebases=pd.DataFrame({"series_id": [1], "period_order": [-1]})
    )
    assert rebased.loc[0, "spc_baseline"] == 0
    assert rebased.loc[0, "spc_upper_limit"] == whole.loc[0, "spc_upper_limit"]


# -- tests/testthat/test-geom_ptd_icon.R, "ptd_get_icons transforms the data correctly" --------


def test__ptd_get_icons__common_cause_and_hit_and_miss():
    one = spc_summary(series(RNORM_123, polarity="higher"))  # s1: no target
    assert one[["spc_variation", "spc_assurance"]].values.tolist() == [["common_cause", ""]]
    s2 = spc_summary(series(RNORM_123, polarity="higher", target_value=0.5))
    assert s2[["spc_variation", "spc_assurance"]].values.tolist() == [
        ["common_cause", "hit_and_miss"]  # assurance/inconsistent.svg
    ]
    facets = pd.concat(  # s3, s4: f = rep(0:1, each = 12)
        [series(RNORM_123[:12], 0), series(RNORM_123[12:], 1)]
    ).assign(polarity="higher", target_value=0.5)
    s4 = spc_summary(facets)
    assert s4[["spc_variation", "spc_assurance"]].values.tolist() == [
        ["common_cause", "hit_and_miss"],
        ["common_cause", "hit_and_miss"],
    ]


@pytest.mark.parametrize(
    ("polarity", "variation", "assurance"),
    [
        ("higher", "improvement_high", "consistent_pass"),  # s5: variation/improvement_high.svg
        ("lower", "concern_high", "consistent_fail"),  # s6: variation/concern_high.svg, fail.svg
    ],
)
def test__ptd_get_icons__a_step_up_against_target_minus_3(polarity, variation, assurance):
    values = RNORM_123[:12] + RNORM_123_NEXT_12_MEAN_5  # d$y[d$f == 1] <- rnorm(12, 5)
    out = spc_summary(series(values, polarity=polarity, target_value=-3.0))
    assert out[["spc_variation", "spc_assurance"]].values.tolist() == [[variation, assurance]]


# -- tests/testthat/test-ptd_calculate_assurance_type.R ----------------------------------------


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("higher", ["consistent_fail", "consistent_pass", "hit_and_miss"]),  # "increase"
        ("lower", ["consistent_pass", "consistent_fail", "hit_and_miss"]),  # "decrease"
        ("none", ["", "", ""]),  # "neutral": NA
    ],
)
def test__ptd_calculate_assurance_type__target_4_against_three_sets_of_limits(polarity, expected):
    lower, upper = [1, 5, 1], [3, 7, 5]
    assert assurance_codes([4, 4, 4], lower, upper, polarity).tolist() == expected


def test__ptd_calculate_assurance_type__no_target_gives_no_assurance():
    assert assurance_codes([float("nan")], [1], [3], "higher").tolist() == [""]


# -- vignettes/deviations.Rmd, "1. Treatment of outlying points" -------------------------------


@pytest.mark.parametrize(
    ("screen", "upper", "mean", "lower"),
    [(True, 4.6, 1.94, -0.72), (False, 6.95, 1.94, -3.06)],  # the captions' values
)
def test__deviations_vignette__outlier_screening(screen, upper, mean, lower):
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    out = spc_points(series(data, polarity="higher"), SpcSettings(screen_outliers=screen))
    first = out.iloc[0]
    assert round(first["spc_upper_limit"], 2) == upper
    assert round(first["spc_mean"], 2) == mean
    assert round(first["spc_lower_limit"], 2) == lower
    # "four grey common cause points followed by a single blue special cause improvement point"
    assert out["spc_variation"].tolist()[:5] == ["common_cause"] * 4 + ["improvement_high"]
    assert (out["spc_variation"] == "improvement_high").sum() == 1


# -- tests/testthat/test-ptd_calculate_point_type.R (the window functions) ---------------------


def test__ptd_seven_point_one_side_mean():
    assert rowwise._side_ends([], 7) == []
    assert rowwise._side_ends([1] * 6, 7) == [0] * 6
    assert rowwise._side_ends([1] * 6 + [-1], 7) == [0] * 7
    assert rowwise._side_ends([1] * 8 + [-1], 7) == [0] * 6 + [1, 1, 0]
    assert [abs(x) for x in rowwise._side_ends([-1] * 8 + [1], 7)] == [0] * 6 + [1, 1, 0]


def test__ptd_part_of_seven_trend():
    assert rowwise._part_of([], 7) == []
    assert rowwise._part_of([0] * 6, 7) == [False] * 6
    assert rowwise._part_of([0] * 6 + [1, 0], 7) == [True] * 7 + [False]
    assert rowwise._part_of([0] * 7 + [1, 0], 7) == [False] + [True] * 7 + [False]
    assert rowwise._part_of([0] * 6 + [-1, 0], 7) == [True] * 7 + [False]
    assert rowwise._part_of([0] * 7 + [-1, 0], 7) == [False] + [True] * 7 + [False]


def test__ptd_seven_point_trend():
    assert rowwise._trend_ends([], 7) == []
    assert rowwise._trend_ends([1, 2, 3, 4, 5, 6], 7) == [0] * 6
    assert rowwise._trend_ends([1, 2, 3, 3, 4, 5, 6], 7) == [0] * 7  # c(1:3, 3:6)
    assert rowwise._trend_ends([1, 2, 3, 4, 5, 6, 7], 7) == [0] * 6 + [1]
    assert rowwise._trend_ends([2, 1, 2, 3, 4, 5, 6, 7, 3], 7) == [0] * 7 + [1, 0]
    assert rowwise._trend_ends([7, 6, 5, 4, 3, 2, 1], 7) == [0] * 6 + [-1]
    assert rowwise._trend_ends([2, 7, 6, 5, 4, 3, 2, 1, 3], 7) == [0] * 7 + [-1, 0]


def _b(*xs):
    return [bool(x) for x in xs]


def test__ptd_two_in_three():
    assert rowwise._two_in_three([], []) == []
    assert rowwise._two_in_three(_b(0, 0, 0), [0, 0, 0]) == _b(0, 0, 0)
    for near in (_b(1, 0, 1), _b(0, 1, 1), _b(1, 1, 0)):
        assert rowwise._two_in_three(near, [1, 1, 1]) == _b(1, 1, 1)
    assert rowwise._two_in_three(_b(0, 0, 1, 0, 1, 0, 0), [1] * 7) == _b(0, 0, 1, 1, 1, 0, 0)
    assert rowwise._two_in_three(_b(0, 0, 1, 1, 0, 0, 0), [1] * 7) == _b(0, 1, 1, 1, 1, 0, 0)


def test__ptd_two_in_three__opposite_sides_of_the_mean():
    for near in (_b(1, 0, 1), _b(0, 1, 1), _b(1, 1, 0)):
        assert rowwise._two_in_three(near, [1, -1, 1]) == _b(0, 0, 0)
    assert rowwise._two_in_three(_b(0, 0, 1, 0, 1, 0, 0), [1, -1] * 3 + [1]) == [False] * 7
    assert rowwise._two_in_three(_b(0, 0, 1, 1, 0, 0, 0), [-1, 1] * 3 + [-1]) == [False] * 7


def test__ptd_part_of_two_in_three():
    def part(near, side):
        return rowwise._part_of_two_in_three(rowwise._two_in_three(near, side), near)

    assert part([], []) == []
    for near in (_b(1, 0, 1), _b(0, 1, 1), _b(1, 1, 0)):
        assert part(near, [1, 1, 1]) == near
    assert part(_b(0, 0, 1, 0, 1, 0, 0), [1] * 7) == _b(0, 0, 1, 0, 1, 0, 0)
    assert part(_b(1, 0, 0, 1), [1] * 4) == _b(0, 0, 0, 0)
    assert part(_b(1, 0, 0, 1, 1), [1] * 5) == _b(0, 0, 0, 1, 1)
