"""What changed between two status tables, and counts of each status by theme or overall."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import periods as P
from analytics.vocabulary import EXCEPTION_STATUSES as EXCEPTIONS
from analytics.vocabulary import STATUS_CHANGES as CHANGES
from analytics.vocabulary import STATUSES

# Severity among exceptions: a missing return counts as seriously as red.
_SEVERITY = {"green": 0, "amber": 1, "red": 2, "missing": 2}


def _latest_per_indicator(frame: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    codes = pd.Series(frame["period"].astype(str).unique())
    rank = dict(zip(sorted(codes, key=P.sort_key), range(len(codes)), strict=True))
    order = frame["period"].astype(str).map(rank).to_numpy()
    ranked = frame.assign(_rank=order).sort_values([*on, "_rank"], kind="stable")
    return ranked.drop_duplicates(on, keep="last").drop(columns="_rank")


def status_changes(
    before: pd.DataFrame, after: pd.DataFrame, on: tuple[str, ...] = ("indicator_id",)
) -> pd.DataFrame:
    """Indicators whose status changed between two status tables (e.g. at the last Board
    and now), one row per change, ``change`` in :data:`CHANGES`:

    - ``new_exception``: now amber, red or missing, and before not an exception (green, no
      target, no new data, or not there at all);
    - ``recovered``: before an exception, now green;
    - ``worsened`` / ``improved``: an exception both times, more / less severe
      (amber < red; a missing return counts as red).

    With ``on=("indicator_id",)`` each table is first cut to each indicator's latest period,
    so the latest position is compared with the latest position; pass
    ``on=("indicator_id", "period")`` to compare the same periods (a corrected value or a
    refreshed target). Other moves (for instance to no target) are not listed.
    """
    on = list(on)
    cols = [*dict.fromkeys([*on, "period", "rag_status", "rag_reason", "persistence_periods"])]
    empty = pd.DataFrame(
        columns=[
            *on,
            "period_before",
            "rag_status_before",
            "period_after",
            "rag_status_after",
            "change",
            "rag_reason",
            "persistence_periods",
        ]
    )
    if len(after) == 0:
        return empty
    if "period" not in on:
        before = _latest_per_indicator(before, on) if len(before) else before
        after = _latest_per_indicator(after, on)
    b = before[[c for c in cols if c in before]].rename(
        columns={"period": "period_before", "rag_status": "rag_status_before"}
    )
    a = after[[c for c in cols if c in after]].rename(
        columns={"period": "period_after", "rag_status": "rag_status_after"}
    )
    b = b[[c for c in b.columns if c in on or c.endswith("_before")]]
    if "period" in on:
        a["period_after"] = a["period"]
        b["period_before"] = b["period"]
    merged = a.merge(b, on=on, how="left")
    was = merged["rag_status_before"].astype(object)
    now = merged["rag_status_after"].astype(object)
    was_exc = was.isin(EXCEPTIONS).to_numpy()
    now_exc = now.isin(EXCEPTIONS).to_numpy()
    sev_was = was.map(_SEVERITY).to_numpy(dtype=float, na_value=np.nan)
    sev_now = now.map(_SEVERITY).to_numpy(dtype=float, na_value=np.nan)
    change = np.select(
        [
            now_exc & ~was_exc,
            was_exc & (now == "green").to_numpy(),
            was_exc & now_exc & (sev_now > sev_was),
            was_exc & now_exc & (sev_now < sev_was),
        ],
        list(CHANGES),
        default="",
    )
    merged = merged[change != ""].copy()
    merged["change"] = pd.Categorical(change[change != ""], categories=CHANGES)
    keep = [c for c in empty.columns if c in merged.columns]
    return merged[keep].reset_index(drop=True)


def rollup_statuses(
    statuses: pd.DataFrame,
    indicators: pd.DataFrame | None = None,
    by: tuple[str, ...] = ("theme_id",),
    total: bool = True,
    column: str = "rag_status",
) -> pd.DataFrame:
    """Counts of each status per period and ``by`` group (theme, partnership...), with a
    ``total`` row per period (``by`` columns empty) for the whole partnership.

    Columns: period, *by, one count column per status, ``indicators`` (all rows),
    ``exceptions`` (amber + red + missing). ``by`` columns missing from ``statuses`` are
    taken from ``indicators`` by ``indicator_id``.
    """
    by = list(by)
    frame = statuses
    needed = [c for c in by if c not in frame]
    if needed:
        if indicators is None:
            raise KeyError(f"columns {needed} are not in the statuses; pass indicators")
        frame = frame.merge(indicators[["indicator_id", *needed]], on="indicator_id", how="left")
    groups = ["period", *by]
    status = pd.Categorical(frame[column].astype(object), categories=STATUSES)
    dummies = pd.get_dummies(status).astype(np.int64)
    dummies.index = frame.index
    keyed = pd.concat([frame[groups], dummies], axis=1)
    parts = [keyed.groupby(groups, observed=True, dropna=False, sort=True)[list(STATUSES)].sum()]
    if total and by:
        overall = keyed.groupby("period", observed=True, sort=True)[list(STATUSES)].sum()
        overall = overall.reset_index()
        for c in by:
            overall[c] = pd.NA
        parts.append(overall.set_index(groups))
    out = pd.concat(parts).reset_index()
    out["indicators"] = out[list(STATUSES)].sum(axis=1)
    out["exceptions"] = out[list(EXCEPTIONS)].sum(axis=1)
    return out.sort_values(["period", *by], na_position="last", kind="stable").reset_index(
        drop=True
    )
