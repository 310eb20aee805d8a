"""The Performance Reward Grant, forecast each quarter from the year's forecast outturn (pure).

For each reward (stretch) target: the baseline, W (the level expected without the stretch),
S (the stretch target) and the target's share of the pot. The share of the stretch achieved
is p = (outturn - W) / (S - W), which reads the same for either polarity (both differences
change sign together), capped at 100%; nothing is paid below the threshold (60% in the Local
PSA agreements, the partnership's ``reward_threshold_pct``); the target earns its pot x p
(:func:`analytics.status.outlook.stretch_achieved` and
:func:`~analytics.status.outlook.reward_paid_share`, which the annual report uses too).

The outturn is the status engine's year-end forecast as at the quarter ("if nothing
changes"; the year's figure once it is in). The forecast says, per target, what it would take
to reach the threshold ("2.3 more percentage points to reach 60% of the stretch"), splits a
target's grant between the partners responsible (the framework's allocations) and the
whole between capital and revenue (30/70 by default), and applies the government's
adjustments decided by the quarter's end (a withdrawal: nothing paid; a reduction: paid that
much less), saying so in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics import periods
from analytics.formatting import format_day, format_value, unit_affixes
from analytics.status.outlook import REWARD_THRESHOLD, reward_paid_share, stretch_achieved

DEFAULT_CAPITAL = 0.3  # the 2010/11 determination: 30% capital, 70% revenue


@dataclass(frozen=True)
class RewardSettings:
    """The agreement's reward rules: the pot (None: not recorded), the threshold and the
    capital share (fractions), and the adjustments (decided_on, adjustment, reduction_pct,
    note)."""

    pot: float | None = None
    threshold: float = REWARD_THRESHOLD
    capital_share: float = DEFAULT_CAPITAL
    adjustments: tuple[tuple[date, str, float | None, str | None], ...] = ()

    @classmethod
    def from_percentages(cls, pot, threshold_pct, capital_pct, adjustments=()) -> RewardSettings:
        """From the framework's columns (percentages; blank: the defaults)."""
        return cls(
            pot=None if _blank(pot) else float(pot),
            threshold=REWARD_THRESHOLD if _blank(threshold_pct) else float(threshold_pct) / 100,
            capital_share=DEFAULT_CAPITAL if _blank(capital_pct) else float(capital_pct) / 100,
            adjustments=tuple(adjustments),
        )


@dataclass
class RewardForecast:
    """The forecast as at a quarter: a row per reward target, the totals and the words."""

    period: str
    year: str
    targets: pd.DataFrame  # see TARGET_COLUMNS
    allocations: pd.DataFrame  # code, partner, share_pct, grant_forecast
    at_stake: float | None  # the pot the reward targets can earn in full (None: no amount)
    forecast: float | None  # what the forecast outturns would earn, after adjustments
    before_adjustment: float | None  # the same before them
    capital: float | None
    revenue: float | None
    threshold: float
    capital_share: float
    adjustment_words: list[str] = field(default_factory=list)
    summary: str = ""


TARGET_COLUMNS = ("code", "title", "unit", "decimals", "polarity", "baseline_value",
                  "without_stretch", "stretch_target", "forecast_value", "achieved", "paid",
                  "pot", "grant_forecast", "to_threshold", "words")  # fmt: skip


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def _f(value) -> float | None:
    return None if _blank(value) else float(value)


def money(value: float | None) -> str:
    return "–" if value is None else format_value(round(value), 0, "£")


def pots(shares: pd.Series, pot: float | None) -> pd.Series:
    """Each target's share of the pot in pounds: its own share where given (a percentage),
    the rest split equally between the targets without one."""
    if pot is None or shares.empty:
        return pd.Series([None] * len(shares), index=shares.index, dtype=object)
    given = shares.astype(float)
    rest = max(pot - float(given.sum(skipna=True)) / 100 * pot, 0.0)
    n_rest = int(given.isna().sum())
    each = rest / n_rest if n_rest else 0.0
    return given.map(lambda s: each if _blank(s) else pot * s / 100)


def to_threshold(row: dict, threshold: float) -> str:
    """What it would take to reach the threshold, in the indicator's unit and direction."""
    s, w, outturn = row["stretch_target"], row["without_stretch"], row["forecast_value"]
    if s is None or w is None or s == w:
        return ""
    if outturn is None:
        return "No forecast yet: no value this year."
    needed = w + threshold * (s - w)
    decimals, unit = int(row["decimals"]), row["unit"]
    pct = f"{100 * threshold:g}%"
    short = (needed - outturn) * (1 if s > w else -1)  # > 0: still short, after polarity
    if row["achieved"] is not None and row["achieved"] >= 1:
        return "The stretch target is forecast to be met in full."
    if short <= 0.5 * 10**-decimals:
        full = abs(s - outturn)
        return (f"Above the {pct} threshold; {_amount(full, decimals, unit, s > w)} to meet the "
                "stretch target in full.")  # fmt: skip
    needed_words = _amount(short, decimals, unit, s > w)
    return f"{needed_words[0].upper()}{needed_words[1:]} to reach {pct} of the stretch."


def _amount(change: float, decimals: int, unit, upward: bool) -> str:
    """'2.3 more percentage points' (a rise needed), 'a further fall of 12 incidents'."""
    prefix, suffix = unit_affixes(unit, gap=True)
    number = format_value(abs(change), decimals, "")
    if upward:
        return f"{prefix}{number} more{suffix}".strip()
    return f"a further fall of {prefix}{number}{suffix}".strip()


def _words(row: dict, threshold: float) -> str:
    achieved, paid = row["achieved"], row["paid"]
    if row["without_stretch"] is None or row["stretch_target"] is None:
        return "No level without the stretch is recorded, so the share achieved is not known."
    if achieved is None:
        return "No forecast yet."
    pct = f"{100 * threshold:g}%"
    if achieved >= 1:
        return "Forecast to meet the stretch target in full: all of its grant."
    if paid:
        return f"{100 * achieved:.0f}% of the stretch forecast: {100 * paid:.0f}% of its grant."
    if achieved <= 0:
        return "Forecast no better than the level expected without the stretch: no grant."
    return f"{100 * achieved:.0f}% of the stretch forecast, below the {pct} needed: no grant."


def reward_forecast(
    targets: pd.DataFrame,
    settings: RewardSettings,
    period: str,
    as_of: date,
    allocations: pd.DataFrame | None = None,
) -> RewardForecast:
    """The forecast as at ``period`` (a quarter; ``as_of`` its end: the adjustments decided by
    then apply). ``targets``: one row per reward target of the year: code, title, unit,
    decimals, polarity, baseline_value, target_value (S), target_without_stretch (W),
    reward_share_pct, forecast_value, and optionally forecast_note (why there is no
    forecast). ``allocations``: code, partner, share_pct."""
    year = periods.year_of(period)
    rows = []
    pot_of = pots(targets.get("reward_share_pct", pd.Series(dtype=float)), settings.pot)
    for i, rec in enumerate(targets.to_dict("records")):
        s, w = _f(rec.get("target_value")), _f(rec.get("target_without_stretch"))
        outturn = _f(rec.get("forecast_value"))
        achieved = stretch_achieved(outturn, s, w)
        paid = reward_paid_share(achieved, settings.threshold)
        pot = pot_of.iloc[i] if len(pot_of) else None
        row = {
            "code": rec["code"],
            "title": rec.get("title"),
            "unit": rec.get("unit") or "",
            "decimals": int(rec.get("decimals") or 0),
            "polarity": rec.get("polarity"),
            "baseline_value": _f(rec.get("baseline_value")),
            "without_stretch": w,
            "stretch_target": s,
            "forecast_value": outturn,
            "achieved": achieved,
            "paid": paid,
            "pot": pot,
            "grant_forecast": None if pot is None or paid is None else pot * paid,
        }
        row["to_threshold"] = to_threshold(row, settings.threshold)
        note = rec.get("forecast_note")
        if outturn is None and isinstance(note, str) and note:
            row["to_threshold"] = note
        row["words"] = _words(row, settings.threshold)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
    at_stake = settings.pot if len(frame) else None
    earned = [g for g in frame["grant_forecast"] if g is not None and not _blank(g)]
    before = float(sum(earned)) if earned and settings.pot is not None else None
    factor, adjustment_words = _adjustments(settings, as_of, before)
    forecast = None if before is None else before * factor
    if forecast is not None and factor != 1:
        frame["grant_forecast"] = frame["grant_forecast"].map(
            lambda g: None if _blank(g) else g * factor
        )
    shared = _allocate(frame, allocations)
    capital = None if forecast is None else forecast * settings.capital_share
    out = RewardForecast(
        period=period,
        year=year,
        targets=frame,
        allocations=shared,
        at_stake=at_stake,
        forecast=forecast,
        before_adjustment=before,
        capital=capital,
        revenue=None if forecast is None else forecast - capital,
        threshold=settings.threshold,
        capital_share=settings.capital_share,
        adjustment_words=adjustment_words,
    )
    out.summary = _summary(out, len(frame))
    return out


def _adjustments(settings: RewardSettings, as_of: date, before: float | None):
    """(factor on the grant, sentences) for the adjustments decided by ``as_of``."""
    factor, words = 1.0, []
    for decided_on, kind, pct, note in sorted(settings.adjustments, key=lambda a: a[0]):
        if decided_on > as_of:
            continue
        when = format_day(decided_on, "long")
        because = f" ({note})" if note else ""
        if kind == "withdrawn":
            factor = 0.0
            would = f" On these figures the targets would have earned {money(before)}." if (
                before) else ""  # fmt: skip
            words.append(f"Government withdrew this reward on {when}{because}: nothing will be "
                         f"paid.{would}")  # fmt: skip
        elif kind == "reduced" and pct is not None:
            factor *= 1 - pct / 100
            words.append(f"Government decided on {when} to pay this reward at a {pct:g}% "
                         f"reduction{because}.")  # fmt: skip
    return factor, words


def _allocate(frame: pd.DataFrame, allocations: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["code", "partner", "share_pct", "grant_forecast"]
    if allocations is None or allocations.empty or frame.empty:
        return pd.DataFrame(columns=columns)
    grant = dict(zip(frame["code"], frame["grant_forecast"], strict=True))
    out = allocations[allocations["code"].isin(grant)].copy()
    out["grant_forecast"] = [
        None if _blank(grant[c]) else grant[c] * float(s) / 100
        for c, s in zip(out["code"], out["share_pct"], strict=True)
    ]
    return out[columns].reset_index(drop=True)


def _summary(out: RewardForecast, n: int) -> str:
    if not n:
        return "There are no reward targets in this agreement."
    threshold = f"{100 * out.threshold:g}%"
    rule = (
        f"Each of the {n} reward targets earns its share of the grant in proportion to "
        f"the share of its stretch achieved, up to 100%, and nothing below {threshold}."
    )
    if out.at_stake is None:
        return (f"{rule} No reward grant amount is recorded in the framework, so the forecast "
                "gives each target's share of its grant, not a sum of money.")  # fmt: skip
    earn = money(out.before_adjustment)
    text = (f"{rule} At stake: {money(out.at_stake)}. On the forecast outturns for {out.year} "
            f"as at {out.period} the targets would earn {earn}")  # fmt: skip
    if out.forecast is not None and out.forecast != out.before_adjustment:
        text += f"; after the government's decision, {money(out.forecast)}"
    if out.forecast:
        text += (f" ({money(out.capital)} capital and {money(out.revenue)} revenue, "
                 f"{100 * out.capital_share:g}/{100 - 100 * out.capital_share:g})")  # fmt: skip
    return text + "."
