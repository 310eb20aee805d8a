"""The Framework page's tables: filtering and shaping, pure pandas."""

from __future__ import annotations

import pandas as pd

from analytics import labels
from analytics.formatting import format_number


def _green_bands(frame: pd.DataFrame) -> pd.Series:
    """Each indicator's green band (% of target; NaN: none), if the frame has the column."""
    if "green_tolerance_pct" in frame:
        return frame["green_tolerance_pct"]
    return pd.Series(float("nan"), index=frame.index)


def indicator_table(frame: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """One row per indicator, readable columns, one 'Target YYYY/YY' column per year."""
    out = pd.DataFrame({
        "Code": frame["code"],
        "Title": frame["title"],
        "Theme": frame["theme"],
        "LAA": frame["laa_status"].map(labels.LAA_STATUS),
        "Polarity": frame["polarity"].map(labels.POLARITY),
        "Unit": frame["unit"],
        "Frequency": frame["frequency"].map(labels.FREQUENCY),
        "Measure": frame["measure_type"].map(labels.MEASURE_TYPE),
        "Lead": frame["lead_partner"],
        "Baseline": [format_number(v, u, d) + (f" ({p})" if isinstance(p, str) else "")
                     for v, u, d, p in zip(frame["baseline_value"], frame["unit"],
                                           frame["decimals"], frame["baseline_period"],
                                           strict=True)],
        "Status rule": [labels.rule_text(r, p, a, m, g) for r, p, a, m, g in zip(
            frame["status_rule"], frame["amber_tolerance_pct"], frame["amber_tolerance_abs"],
            frame["minimum_standard"], _green_bands(frame), strict=True)],
        "Source": frame["data_source"],
    })  # fmt: skip
    targets = frame["targets"].map(lambda m: dict(m) if isinstance(m, dict | list) else {})
    for year in years:
        out[f"Target {year}"] = [
            format_number(t.get(year), u, d)
            for t, u, d in zip(targets, frame["unit"], frame["decimals"], strict=True)
        ]
    notes = []
    for placeholder, refreshed in zip(
        frame["has_placeholder"], frame["target_refreshed"], strict=True
    ):
        notes.append(
            ", ".join(
                n
                for n, on in (("placeholder target", placeholder), ("target refreshed", refreshed))
                if on
            )
        )
    out["Target notes"] = notes
    return out


def filter_indicators(
    frame: pd.DataFrame,
    search: str = "",
    themes: list[str] | None = None,
    laa_only: bool = False,
    frequencies: list[str] | None = None,
    national: str = "all",
) -> pd.DataFrame:
    """Indicators matching every filter given; ``search`` looks in code, title and lead."""
    keep = pd.Series(True, index=frame.index)
    text = search.strip().lower()
    if text:
        haystack = (
            frame["code"].fillna("")
            + " "
            + frame["title"].fillna("")
            + " "
            + frame["lead_partner"].fillna("")
        ).str.lower()
        keep &= haystack.str.contains(text, regex=False)
    if themes:
        keep &= frame["theme"].isin(themes)
    if laa_only:
        keep &= frame["is_laa"].astype(bool)
    if frequencies:
        keep &= frame["frequency"].isin(frequencies)
    if national == "national":
        keep &= frame["is_national"].astype(bool)
    elif national == "local":
        keep &= ~frame["is_national"].astype(bool)
    return frame[keep]


def filter_catalogue(
    frame: pd.DataFrame, search: str = "", adopted: str = "all", final_set_only: bool = False
) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    text = search.strip().lower()
    if text:
        keep &= (frame["code"] + " " + frame["title"]).str.lower().str.contains(text, regex=False)
    if adopted == "adopted":
        keep &= frame["adopted"]
    elif adopted == "not adopted":
        keep &= ~frame["adopted"]
    if final_set_only:
        keep &= frame["in_final_set"]
    return frame[keep]
