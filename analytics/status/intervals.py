"""Confidence intervals for survey percentages and rates, and Fingertips' comparison (pure).

Where a return gives a numerator and a denominator, the value is a sample or a rate and has
an interval; the methods are those of Fingertips (OHID, formerly Public Health England) as
implemented in UKHSA's PHEindicatormethods:

- proportions (``measure = "proportion"``): Wilson's score interval,
  ``(2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))``;
- rates and counts (``measure = "rate"``): Byar's approximation for numerators of 10 or more,
  ``lower = x (1 - 1/(9x) - z/(3 sqrt x))^3`` and ``upper = (x+1) (1 - 1/(9(x+1)) +
  z/(3 sqrt(x+1)))^3``, and exact Poisson limits below 10 (``chi2(a/2, 2x)/2`` and
  ``chi2(1 - a/2, 2x + 2)/2``), divided by the denominator;

at 95% and 99.8% (``z`` the standard normal quantile at ``1 - a/2``), times ``multiplier``
(100 for a percentage, 1,000 or 100,000 for a rate per so many).

:func:`compare_with_interval` is the Fingertips rule: a comparator (the target, the county,
England) below the interval means the value is significantly higher, above it lower; read
through the polarity that is ``better`` or ``worse``; a comparator inside the interval (or on
its edge) is ``similar``. Without an interval, a comparator or a polarity: ``not_compared``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

LEVELS = (0.95, 0.998)  # Fingertips' two levels
BYAR_FROM = 10  # numerators below this get exact Poisson limits
MEASURES = ("proportion", "rate")
METHODS = ("wilson", "byar", "exact_poisson")
COMPARISONS: dict[str, tuple[str, str]] = {  # code: (label, symbol)
    "better": ("Better", "▲"),
    "similar": ("Similar", "●"),
    "worse": ("Worse", "▼"),
    "not_compared": ("Not compared", "–"),
}
_SIGN = {"higher": 1, "lower": -1, "none": 0}


def _check_level(confidence: float) -> float:
    if not 0.5 <= confidence < 1:
        raise ValueError(f"confidence must be a level such as 0.95 or 0.998, not {confidence!r}")
    return confidence


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile: 1.959964 at 95%, 3.090232 at 99.8%."""
    return NormalDist().inv_cdf(_check_level(confidence) + (1 - confidence) / 2)


def level_name(confidence: float) -> str:
    """Column suffix of a level: 0.95 -> ``95``, 0.998 -> ``99_8``."""
    return f"{confidence * 100:g}".replace(".", "_")


def wilson_interval(numerator, denominator, confidence: float = 0.95):
    """Wilson score limits of the proportion ``numerator / denominator`` (0 to 1), element by
    element; NaN where either is missing, the denominator is not positive, or the numerator is
    negative or above the denominator."""
    x = np.asarray(numerator, dtype=np.float64)
    n = np.asarray(denominator, dtype=np.float64)
    z = z_value(confidence)
    ok = (n > 0) & (x >= 0) & (x <= n)
    with np.errstate(invalid="ignore", divide="ignore"):
        root = z * np.sqrt(z * z + 4 * x * (1 - x / n))
        lower = (2 * x + z * z - root) / 2 / (n + z * z)
        upper = (2 * x + z * z + root) / 2 / (n + z * z)
    return np.where(ok, lower, np.nan), np.where(ok, upper, np.nan)


def byar_interval(count, confidence: float = 0.95):
    """Byar's limits of an observed count of events (NaN for a negative or missing count, and
    for a lower limit that would be negative, as PHEindicatormethods does)."""
    x = np.asarray(count, dtype=np.float64)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    lower = np.where((x >= 0) & (lower >= 0), lower, np.nan)
    return lower, np.where(x >= 0, upper, np.nan)


def _gamma_p(a: float, z: float) -> float:
    """Regularised lower incomplete gamma P(a, z), by its series (fine for the small shapes
    used here)."""
    if z <= 0:
        return 0.0
    term = total = 1.0
    k = a
    while term > 1e-17 * total:
        k += 1
        term *= z / k
        total += term
    return math.exp(-z + a * math.log(z) - math.lgamma(a + 1)) * total


@lru_cache(maxsize=4096)
def _gamma_quantile(shape: float, p: float) -> float:
    """The p-quantile of Gamma(shape, 1) (= chi-square(2 shape) / 2), by bisection."""
    lo, hi = 0.0, shape + 20 * math.sqrt(shape) + 20
    while hi - lo > 4e-16 * hi:
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if _gamma_p(shape, mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def exact_poisson_interval(count, confidence: float = 0.95):
    """Exact Poisson limits of an observed count (for counts below ``BYAR_FROM``; any count of
    up to about 40 is computed correctly): ``chi2(a/2, 2x)/2`` and ``chi2(1-a/2, 2x+2)/2``,
    through the gamma distribution. Each distinct count is solved once."""
    x = np.asarray(count, dtype=np.float64)
    alpha = 1 - _check_level(confidence)
    ok = np.isfinite(x) & (x >= 0)
    uniq, inverse = np.unique(np.where(ok, x, 0.0), return_inverse=True)
    lower_u = np.array([_gamma_quantile(float(u), alpha / 2) if u > 0 else 0.0 for u in uniq])
    upper_u = np.array([_gamma_quantile(float(u) + 1, 1 - alpha / 2) for u in uniq])
    inverse = inverse.reshape(x.shape)
    return np.where(ok, lower_u[inverse], np.nan), np.where(ok, upper_u[inverse], np.nan)


def rate_interval(numerator, denominator, confidence: float = 0.95):
    """Limits of the rate ``numerator / denominator``: exact Poisson below 10 events, Byar's
    method from 10; NaN where the denominator is not positive."""
    x = np.asarray(numerator, dtype=np.float64)
    n = np.asarray(denominator, dtype=np.float64)
    small = x < BYAR_FROM
    e_lo, e_hi = exact_poisson_interval(np.where(small, x, -1.0), confidence)
    b_lo, b_hi = byar_interval(np.where(small, np.nan, x), confidence)
    ok = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(small, e_lo, b_lo) / n
        upper = np.where(small, e_hi, b_hi) / n
    return np.where(ok, lower, np.nan), np.where(ok, upper, np.nan)


def confidence_intervals(frame: pd.DataFrame, levels=LEVELS) -> pd.DataFrame:
    """``frame`` with ``numerator``, ``denominator``, ``measure`` (``proportion`` or ``rate``)
    and optionally ``multiplier`` (absent = 1) gets ``ci_value`` (numerator / denominator x
    multiplier), ``ci_method`` (``wilson``, ``byar``, ``exact_poisson`` or "" when there is no
    interval) and, per level, ``ci_lower_<level>`` and ``ci_upper_<level>`` (``ci_lower_95``,
    ``ci_upper_99_8``) in the value's units. Rows keep their order and other columns."""
    out = frame.copy()
    x = out["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
    n = out["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
    measure = out["measure"].astype(object).fillna("").str.strip().str.lower().to_numpy()
    bad = sorted({str(m) for m in measure if m not in MEASURES})
    if bad:
        raise ValueError(f"measure must be proportion or rate, not {', '.join(bad)}")
    if "multiplier" in out:
        multiplier = out["multiplier"].to_numpy(dtype=np.float64, na_value=1.0)
    else:
        multiplier = np.ones(len(out))
    is_rate = measure == "rate"
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n > 0, x / n * multiplier, np.nan)
    valid = np.isfinite(value) & (x >= 0) & (is_rate | (x <= n))
    out["ci_value"] = value
    method = np.where(is_rate, np.where(x < BYAR_FROM, "exact_poisson", "byar"), "wilson")
    out["ci_method"] = np.where(valid, method, "").astype(object)
    for level in levels:
        w_lo, w_hi = wilson_interval(x, n, level)
        r_lo, r_hi = rate_interval(x, n, level)
        name = level_name(level)
        lower = np.where(is_rate, r_lo, w_lo) * multiplier
        upper = np.where(is_rate, r_hi, w_hi) * multiplier
        out[f"ci_lower_{name}"] = np.where(valid, lower, np.nan)
        out[f"ci_upper_{name}"] = np.where(valid, upper, np.nan)
    return out


def compare_with_interval(lower, upper, comparator, polarity) -> np.ndarray:
    """Fingertips' comparison of a value (its interval ``lower``-``upper``) with a comparator:
    ``better``, ``similar``, ``worse`` or ``not_compared``, element by element. ``polarity`` is
    ``higher``, ``lower`` or ``none`` (one for all, or one per element). A missing lower limit
    with an upper one (Byar's method below zero) counts as open below."""
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    c = np.asarray(comparator, dtype=np.float64)
    pol = pd.Series(np.broadcast_to(np.asarray(polarity, dtype=object), np.broadcast(lo, c).shape))
    sign = pol.astype(object).fillna("none").str.strip().str.lower().map(_SIGN)
    if sign.isna().any():
        bad = sorted({str(p) for p, s in zip(pol, sign, strict=True) if pd.isna(s)})
        raise ValueError(f"polarity must be higher, lower or none, not {', '.join(bad)}")
    sign = sign.to_numpy(dtype=np.int8).reshape(pol.shape)
    has = np.isfinite(hi) & np.isfinite(c) & (sign != 0)
    value_higher = c < np.where(np.isfinite(lo), lo, -np.inf)  # comparator below the interval
    value_lower = c > hi
    better = (value_higher & (sign > 0)) | (value_lower & (sign < 0))
    worse = (value_higher & (sign < 0)) | (value_lower & (sign > 0))
    code = np.select([better, worse], ["better", "worse"], "similar").astype(object)
    return np.where(has, code, "not_compared").astype(object)
