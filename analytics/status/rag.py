"""Red / amber / green, direction of travel and persistence on whole arrays (pure numpy).

Every function here takes arrays that broadcast together: 1-D (one value per row) or 2-D
(indicators x periods, with the per-indicator settings shaped ``(n, 1)``). Nothing loops over
rows. Values and targets must already be rounded to the indicator's decimals
(:func:`round_half_up`), so that what is compared is what is printed.
"""

from __future__ import annotations

import numpy as np

from analytics.status.targets import IN_FORCE, NONE_BY_DATE

STATUSES = ("green", "amber", "red", "missing", "no_target", "no_new_data")
GREEN, AMBER, RED, MISSING, NO_TARGET, NO_NEW_DATA = range(6)
EXCEPTIONS = ("amber", "red", "missing")

DIRECTIONS = ("improving", "no_change", "worsening")
NO_COMPARISON, IMPROVING, NO_CHANGE, WORSENING = -1, 0, 1, 2

RULES = ("pct_tolerance", "abs_tolerance", "ideal_minimum", "improved_last_year", "data_only")
PCT, ABS, IDEAL_MIN, IMPROVED_LY, DATA_ONLY = range(5)
DEFAULT_RULE = "pct_tolerance"
DEFAULT_TOLERANCE_PCT = 5.0

# Reason codes: each one names a sentence (see reasons.TEMPLATES) and fixes the status.
(
    R_MET,
    R_PCT_WITHIN,
    R_PCT_BEYOND,
    R_ABS_WITHIN,
    R_ABS_BEYOND,
    R_IM_WITHIN,
    R_IM_BEYOND,
    R_IM_NO_MINIMUM,
    R_LY_IMPROVED,
    R_LY_HELD,
    R_LY_WORSE,
    R_LY_NONE,
    R_MISSING,
    R_NO_TARGET,
    R_NO_TARGET_BY_DATE,
    R_PLACEHOLDER,
    R_DATA_ONLY,
    R_NO_NEW_DATA,
) = range(18)

REASON_STATUS = np.array(
    [GREEN, AMBER, RED, AMBER, RED, AMBER, RED, RED, AMBER, AMBER, RED, RED]
    + [MISSING, NO_TARGET, NO_TARGET, NO_TARGET, NO_TARGET, NO_NEW_DATA],
    dtype=np.int8,
)


def round_half_up(x: np.ndarray, decimals: np.ndarray | int) -> np.ndarray:
    """Round half away from zero, as people do (numpy's round is half-to-even)."""
    factor = 10.0 ** np.asarray(decimals, dtype=np.float64)
    return np.sign(x) * np.floor(np.abs(x) * factor + 0.5 + 1e-9) / factor


def direction(
    current: np.ndarray, previous: np.ndarray, sign: np.ndarray, threshold: np.ndarray
) -> np.ndarray:
    """IMPROVING / NO_CHANGE / WORSENING (int8), NO_COMPARISON where either value is missing
    or the indicator has no polarity. A change of at most ``threshold`` is no change."""
    delta = current - previous
    tiny = 1e-9 * (1.0 + np.abs(previous))
    with np.errstate(invalid="ignore"):
        out = np.where(
            np.abs(delta) <= threshold + tiny,
            NO_CHANGE,
            np.where(sign * delta > 0, IMPROVING, WORSENING),
        ).astype(np.int8)
    out[np.isnan(delta) | np.broadcast_to(sign == 0, out.shape)] = NO_COMPARISON
    return out


def reason_codes(
    value: np.ndarray,
    target: np.ndarray,
    dot_last_year: np.ndarray,
    *,
    rule: np.ndarray,
    sign: np.ndarray,
    tolerance_pct: np.ndarray,
    tolerance_abs: np.ndarray,
    minimum: np.ndarray,
    decimals: np.ndarray,
    target_state: np.ndarray,
    placeholder: np.ndarray,
    no_new_data: np.ndarray,
) -> np.ndarray:
    """The reason code (int8) of every cell; ``REASON_STATUS[code]`` is its status.

    ``value``/``target``/``minimum`` rounded; ``dot_last_year`` from :func:`direction`
    (used by the improved-on-last-year rule only); ``tolerance_pct`` already defaulted.
    """
    with np.errstate(invalid="ignore"):
        gap = sign * (value - target)  # >= 0: met or beaten
        met = gap > -0.5 * 10.0 ** -decimals.astype(np.float64)
        shortfall = -gap
        tiny = 1e-9 * (1.0 + np.abs(target))
        within_pct = shortfall <= tolerance_pct / 100.0 * np.abs(target) + tiny
        within_abs = shortfall <= np.nan_to_num(tolerance_abs) + tiny
        im_band = np.maximum(sign * (target - minimum), 0.0)
        within_im = shortfall <= im_band + tiny
    no_target = (target_state != IN_FORCE) | np.isnan(target)
    conditions = [
        no_new_data,
        np.isnan(value),
        (rule == DATA_ONLY) | (sign == 0),
        target_state == NONE_BY_DATE,
        placeholder & ~no_target,
        no_target,
        met,
        (rule == PCT) & within_pct,
        rule == PCT,
        (rule == ABS) & within_abs,
        rule == ABS,
        (rule == IDEAL_MIN) & np.isnan(minimum),
        (rule == IDEAL_MIN) & within_im,
        rule == IDEAL_MIN,
        (rule == IMPROVED_LY) & (dot_last_year == IMPROVING),
        (rule == IMPROVED_LY) & (dot_last_year == NO_CHANGE),
        (rule == IMPROVED_LY) & (dot_last_year == NO_COMPARISON),
    ]
    choices = [
        R_NO_NEW_DATA,
        R_MISSING,
        R_DATA_ONLY,
        R_NO_TARGET_BY_DATE,
        R_PLACEHOLDER,
        R_NO_TARGET,
        R_MET,
        R_PCT_WITHIN,
        R_PCT_BEYOND,
        R_ABS_WITHIN,
        R_ABS_BEYOND,
        R_IM_NO_MINIMUM,
        R_IM_WITHIN,
        R_IM_BEYOND,
        R_LY_IMPROVED,
        R_LY_HELD,
        R_LY_NONE,
    ]
    shape = np.broadcast_shapes(*(np.shape(c) for c in conditions))
    conditions = [np.broadcast_to(c, shape) for c in conditions]
    return np.select(conditions, choices, default=R_LY_WORSE).astype(np.int8)


def persistence(status: np.ndarray, neutral: np.ndarray) -> np.ndarray:
    """Consecutive amber-or-red periods up to and including each cell, along axis 1.

    ``neutral`` cells (no new data between surveys) neither count nor break the run; every
    other status (green, missing, no target) breaks it. 0 where the cell is not amber or red.
    """
    bad = (status == AMBER) | (status == RED)
    count = np.cumsum(bad, axis=1, dtype=np.int32)
    last_break = np.maximum.accumulate(np.where(bad | neutral, 0, count), axis=1)
    return np.where(bad, count - last_break, 0).astype(np.int32)
