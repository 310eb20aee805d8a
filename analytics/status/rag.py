"""Red / amber / green, direction of travel and persistence on whole arrays (pure numpy).

Every function here takes arrays that broadcast together: 1-D (one value per row) or 2-D
(indicators x periods, with the per-indicator settings shaped ``(n, 1)``). Nothing loops over
rows. Values and targets must already be rounded to the indicator's decimals
(:func:`round_half_up`), so that what is compared is what is printed.
"""

from __future__ import annotations

import numpy as np

from analytics.formatting import ROUND_LIMIT
from analytics.status.targets import IN_FORCE, NONE_BY_DATE

# The codes, in their stored order, are the vocabulary's (named here for the engine's modules).
from analytics.vocabulary import DIRECTIONS as DIRECTIONS
from analytics.vocabulary import STATUSES as STATUSES

# The integer codes are positions in the vocabulary's tables, whose row order is the stored
# order (tests/test_vocabulary.py checks they agree; :func:`direction` counts on it).
GREEN, AMBER, RED, MISSING, NO_TARGET, NO_NEW_DATA = range(6)

NO_COMPARISON, IMPROVING, NO_CHANGE, WORSENING = -1, 0, 1, 2

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
    R_GREEN_BAND,
    R_LY_BAND_IMPROVED,
    R_LY_BAND_HELD,
    R_LY_BAND_WORSE,
    R_LY_BAND_NONE,
) = range(23)

REASON_STATUS = np.array(
    [GREEN, AMBER, RED, AMBER, RED, AMBER, RED, RED, AMBER, AMBER, RED, RED]
    + [MISSING, NO_TARGET, NO_TARGET, NO_TARGET, NO_TARGET, NO_NEW_DATA, GREEN]
    + [AMBER, AMBER, RED, RED],
    dtype=np.int8,
)


def round_half_up(x: np.ndarray, decimals: np.ndarray | int) -> np.ndarray:
    """Round half away from zero, as people do (numpy's round is half-to-even)."""
    return round_with(x, 10.0 ** np.asarray(decimals, dtype=np.float64))


def round_with(x: np.ndarray, factor: np.ndarray | float) -> np.ndarray:
    """:func:`round_half_up` with ``factor = 10.0 ** decimals`` given (same steps, in place).

    Values whose scaled size reaches :data:`~analytics.formatting.ROUND_LIMIT` come back
    unchanged, so rounding is idempotent at every magnitude (what is compared is what
    :func:`analytics.formatting.format_value` writes)."""
    out = np.abs(x)
    with np.errstate(over="ignore"):  # beyond float range: infinite, so kept as it was
        out *= factor
    big = out >= ROUND_LIMIT  # NaN: False
    out += 0.5
    out += 1e-9
    np.floor(out, out=out)
    out /= factor
    if big.any():
        out[big] = np.broadcast_to(np.abs(x), out.shape)[big]
    return np.copysign(out, x, out=out)


def direction(
    current: np.ndarray, previous: np.ndarray, sign: np.ndarray, threshold: np.ndarray
) -> np.ndarray:
    """IMPROVING / NO_CHANGE / WORSENING (int8), NO_COMPARISON where either value is missing
    or the indicator has no polarity. A change of at most ``threshold`` is no change."""
    delta = np.subtract(current, previous)
    limit = np.abs(previous)  # threshold + 1e-9 * (1 + |previous|)
    limit += 1.0
    limit *= 1e-9
    limit += threshold
    with np.errstate(invalid="ignore"):
        better = np.multiply(sign, delta) > 0
        missing = np.isnan(delta)
        np.abs(delta, out=delta)
        changed = delta > limit
    # NO_CHANGE (1); changed: IMPROVING (0) if better, else WORSENING (2)
    out = changed.view(np.int8) + np.int8(1)
    better &= changed
    out -= better.view(np.int8)
    out -= better.view(np.int8)
    np.putmask(out, missing, NO_COMPARISON)
    no_polarity = np.broadcast_to(sign == 0, out.shape)
    if no_polarity.any():
        out[no_polarity] = NO_COMPARISON
    return out


# reason when the target is missed, by rule (+ IM_NO_MINIMUM): (beyond, within) tolerance
_IM_NO_MINIMUM = 5
_MISSED = np.array(
    [
        (R_PCT_BEYOND, R_PCT_WITHIN),
        (R_ABS_BEYOND, R_ABS_WITHIN),
        (R_IM_BEYOND, R_IM_WITHIN),
        (R_LY_WORSE, R_LY_WORSE),  # by direction against last year instead
        (R_DATA_ONLY, R_DATA_ONLY),
        (R_IM_NO_MINIMUM, R_IM_NO_MINIMUM),
    ],
    dtype=np.int8,
)
_LAST_YEAR = np.array([R_LY_NONE, R_LY_IMPROVED, R_LY_HELD, R_LY_WORSE], dtype=np.int8)
# the same, beyond a green band (the sentence says so)
_LAST_YEAR_BAND = np.array(
    [R_LY_BAND_NONE, R_LY_BAND_IMPROVED, R_LY_BAND_HELD, R_LY_BAND_WORSE], dtype=np.int8
)


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
    no_new_data: np.ndarray | None,
    green_pct: np.ndarray | None = None,
) -> np.ndarray:
    """The reason code (int8) of every cell; ``REASON_STATUS[code]`` is its status.

    ``value``/``target``/``minimum`` rounded; ``dot_last_year`` from :func:`direction`
    (used by the improved-on-last-year rule only); ``tolerance_pct`` already defaulted;
    ``green_pct``: the green band, a miss of no more than this % of the target is green
    whatever the rule (NaN or None: the target must be met).
    Per-indicator settings are 1-D (one per cell) or ``(n, 1)`` columns of 2-D cells.

    In order: no new data, missing, data only (or no polarity), no target by the date,
    placeholder, no target, met, within the green band, then the rule's within / beyond
    (or, for improved-on-last-year, the direction against last year).
    """
    shape = np.broadcast_shapes(np.shape(value), np.shape(target))
    cols = lambda a: np.broadcast_to(a, shape[:1] + (1,) * (len(shape) - 1))  # noqa: E731
    rule, sign, minimum = cols(rule), cols(sign), cols(minimum)
    rule_of_row = rule.reshape(shape[0])
    target = np.broadcast_to(target, shape)
    with np.errstate(invalid="ignore"):
        gap = np.subtract(value, target)
        gap *= sign  # >= 0: met or beaten
        met = gap > -0.5 * 10.0 ** -np.asarray(decimals, dtype=np.float64)
        abs_t = np.abs(target)
        # the shortfall allowed, by rule, + 1e-9 * (1 + |target|)
        allowance = abs_t * (cols(tolerance_pct) / 100.0)
        rows = np.flatnonzero(rule_of_row == ABS)
        if len(rows):
            allowance[rows] = np.nan_to_num(cols(tolerance_abs)[rows])
        rows = np.flatnonzero(rule_of_row == IDEAL_MIN)
        if len(rows):
            allowance[rows] = np.maximum(sign[rows] * (target[rows] - minimum[rows]), 0.0)
        band = None
        if green_pct is not None and not np.isnan(green_pct).all():
            band = abs_t * (cols(green_pct) / 100.0)  # NaN: no band
        abs_t += 1.0
        abs_t *= 1e-9
        allowance += abs_t
        np.negative(gap, out=gap)  # the shortfall
        within = gap <= allowance
        in_band = None if band is None else gap <= band + abs_t
    kind = np.where((rule == IDEAL_MIN) & np.isnan(minimum), _IM_NO_MINIMUM, rule).astype(np.intp)
    code = np.where(within, _MISSED[kind, 1], _MISSED[kind, 0])
    last_year = np.broadcast_to(rule == IMPROVED_LY, shape)
    if last_year.any():
        code[last_year] = _LAST_YEAR[np.broadcast_to(dot_last_year, shape)[last_year] + 1]
        if band is not None:
            banded = last_year & np.broadcast_to(~np.isnan(cols(green_pct)), shape)
            if banded.any():
                code[banded] = _LAST_YEAR_BAND[np.broadcast_to(dot_last_year, shape)[banded] + 1]
    if in_band is not None:
        np.putmask(code, in_band, R_GREEN_BAND)
    np.putmask(code, met, R_MET)
    state = np.broadcast_to(target_state, shape)
    no_target = state != IN_FORCE
    no_target |= np.isnan(target)
    np.putmask(code, no_target, R_NO_TARGET)
    np.putmask(code, np.broadcast_to(placeholder, shape) & ~no_target, R_PLACEHOLDER)
    np.putmask(code, state == NONE_BY_DATE, R_NO_TARGET_BY_DATE)
    data_only = np.broadcast_to((rule == DATA_ONLY) | (sign == 0), shape)
    if data_only.any():
        code[data_only] = R_DATA_ONLY
    np.putmask(code, np.isnan(np.broadcast_to(value, shape)), R_MISSING)
    if no_new_data is not None:
        np.putmask(code, np.broadcast_to(no_new_data, shape), R_NO_NEW_DATA)
    return code


def persistence(status: np.ndarray, neutral: np.ndarray | None) -> np.ndarray:
    """Consecutive amber-or-red periods up to and including each cell, along axis 1.

    ``neutral`` cells (no new data between surveys) neither count nor break the run; every
    other status (green, missing, no target) breaks it. 0 where the cell is not amber or red.
    """
    bad = (status == AMBER) | (status == RED)
    count = np.cumsum(bad, axis=1, dtype=np.int32)
    keep = bad if neutral is None else bad | neutral
    last_break = np.maximum.accumulate(np.where(keep, 0, count), axis=1)
    return np.where(bad, count - last_break, 0).astype(np.int32)
