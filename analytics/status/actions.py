"""Status of action-plan milestones and of the actions they belong to.

Milestone categories, in order of severity: ``completed``, ``reprogrammed`` (reprogrammed or
suspended with approval: ``is_reprogrammed``), ``green`` (on schedule), ``amber`` (behind by
up to ``amber_days``, default 31: "up to one month"), ``red`` (further behind).

- A milestone is completed when ``completed_on`` is on or before ``as_of``, or when it has no
  completion date but ``percent_complete`` is 100 or more.
- Days behind are counted from the **original** ``due_date``. A ``revised_due_date`` without
  approval does not move it: it is mentioned in the reason, but the milestone is still late.
  An approved change is recorded with ``is_reprogrammed``.
- ``rule="percent"``: judge by progress instead: the percent expected by ``as_of`` runs in a
  straight line from 0 at ``start_date`` to 100 at ``due_date``; green when no more than
  ``amber_margin_pct`` points behind that, amber up to ``red_margin_pct`` points behind, red
  beyond. Rows without a start date or a percent complete fall back to days behind.
- An action takes the status of its worst milestone; it is completed only when all its
  milestones are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.vocabulary import ACTION_STATUSES as ACTION_STATUSES

# positions in the vocabulary's table (its stored order; tests/test_vocabulary.py)
COMPLETED, REPROGRAMMED, GREEN, AMBER, RED = range(5)


def _days(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A date column as float days since 1970 (NaN where empty or absent)."""
    if name not in frame:
        return np.full(len(frame), np.nan)
    stamps = pd.to_datetime(frame[name]).to_numpy("datetime64[D]")
    out = stamps.astype(np.int64).astype(np.float64)
    out[np.isnat(stamps)] = np.nan
    return out


def milestone_statuses(
    milestones: pd.DataFrame,
    as_of: object,
    *,
    rule: str = "days_behind",
    amber_days: int = 31,
    amber_margin_pct: float = 10.0,
    red_margin_pct: float = 25.0,
) -> pd.DataFrame:
    """``milestones`` plus ``days_behind``, ``expected_percent``, ``milestone_status`` and
    ``milestone_reason``, judged on ``as_of``."""
    if rule not in ("days_behind", "percent"):
        raise ValueError(f"rule must be 'days_behind' or 'percent', not {rule!r}")
    out = milestones.copy()
    n = len(out)
    today = float(pd.Timestamp(as_of).normalize().value // 86_400_000_000_000)
    due = _days(out, "due_date")
    revised = _days(out, "revised_due_date")
    done_on = _days(out, "completed_on")
    start = _days(out, "start_date")
    pct = (
        out["percent_complete"].to_numpy(dtype=np.float64, na_value=np.nan)
        if "percent_complete" in out
        else np.full(n, np.nan)
    )
    approved = (
        out["is_reprogrammed"].fillna(False).to_numpy(dtype=bool)
        if "is_reprogrammed" in out
        else np.zeros(n, dtype=bool)
    )
    completed = (done_on <= today) | (np.isnan(done_on) & (pct >= 100))
    behind = today - due  # > 0: days past the original due date
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.clip((today - start) / (due - start) * 100.0, 0.0, 100.0)
        expected = np.where(due <= start, np.where(today >= due, 100.0, 0.0), expected)
    shortfall = expected - pct
    by_percent = (rule == "percent") & ~np.isnan(shortfall)
    by_days = np.where(behind <= 0, GREEN, np.where(behind <= amber_days, AMBER, RED))
    by_pct = np.where(
        shortfall <= amber_margin_pct, GREEN, np.where(shortfall <= red_margin_pct, AMBER, RED)
    )
    status = np.select(
        [completed, approved, by_percent],
        [COMPLETED, REPROGRAMMED, by_pct],
        default=by_days,
    ).astype(np.int8)
    out["days_behind"] = pd.array(
        np.where(completed | approved | np.isnan(behind), np.nan, np.maximum(behind, 0)),
        dtype="Float64",
    ).astype("Int64")
    out["expected_percent"] = np.where(np.isnan(start), np.nan, expected)
    out["milestone_status"] = pd.Categorical.from_codes(status, ACTION_STATUSES)
    out["milestone_reason"] = _reasons(
        status, behind, revised, due, pct, expected, by_percent, amber_days
    )
    return out


def _date_text(days: np.ndarray) -> np.ndarray:
    safe = np.where(np.isnan(days), 0, days).astype("int64").astype("datetime64[D]")
    return np.where(np.isnan(days), "", pd.DatetimeIndex(safe).strftime("%-d %b %Y"))


def _reasons(status, behind, revised, due, pct, expected, by_percent, amber_days) -> np.ndarray:
    days = np.nan_to_num(np.maximum(behind, 0)).astype(np.int64).astype(str)
    unit = np.where(np.nan_to_num(behind) == 1, " day", " days")
    due_text = _date_text(due)
    revised_note = np.where(
        np.isnan(revised), "", " (revised date " + _date_text(revised) + " not approved)"
    )
    late = days + unit + " behind the due date " + due_text + revised_note
    pct_text = (
        np.char.mod("%.0f", np.nan_to_num(pct))
        + "% complete, "
        + np.char.mod("%.0f", np.nan_to_num(expected))
        + "% expected by now"
    )
    return np.select(
        [
            status == COMPLETED,
            status == REPROGRAMMED,
            by_percent,
            status == GREEN,
            status == AMBER,
        ],
        [
            "completed",
            "reprogrammed or suspended with approval",
            pct_text,
            np.where(np.isnan(due), "no due date", "on schedule (due " + due_text + ")"),
            late + f", within {amber_days} days",
        ],
        default=late + f", more than {amber_days} days",
    ).astype(object)


def action_statuses(milestone_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per ``action_id``: ``action_status`` (worst milestone; completed only when
    all are), ``milestones``, a count per status, ``max_days_behind`` and ``action_reason``."""
    codes = pd.Categorical(
        milestone_frame["milestone_status"].astype(object), categories=ACTION_STATUSES
    ).codes
    keyed = pd.DataFrame({"action_id": milestone_frame["action_id"].to_numpy(), "code": codes})
    counts = pd.crosstab(keyed["action_id"], keyed["code"]).reindex(
        columns=range(len(ACTION_STATUSES)), fill_value=0
    )
    counts.columns = list(ACTION_STATUSES)
    worst = keyed.groupby("action_id")["code"].max()
    out = counts.reset_index()
    out["milestones"] = counts.sum(axis=1).to_numpy()
    out["action_status"] = pd.Categorical.from_codes(
        worst.reindex(counts.index).to_numpy().astype(np.int8), ACTION_STATUSES
    )
    if "days_behind" in milestone_frame:
        days = milestone_frame.groupby("action_id")["days_behind"].max()
        out["max_days_behind"] = days.reindex(counts.index).to_numpy()
    late = (out["amber"] + out["red"]).astype(str)
    out["action_reason"] = np.where(
        out["action_status"].astype(object) == "completed",
        "all " + out["milestones"].astype(str) + " milestones completed",
        late + " of " + out["milestones"].astype(str) + " milestones behind schedule",
    )
    return out
