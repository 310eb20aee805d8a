"""Checks of a framework workbook's county and reward sheets that need no warehouse (pure).

The checks that need the warehouse (a parent chain with a cycle, a district claimed by two
counties, a contribution for a partnership that is not one of the county's districts) are
made at import, in :mod:`analytics.warehouse.hierarchy`.

Every problem names the sheet, the cell, the value found and what to do.
"""

from __future__ import annotations

import math

import pandas as pd

from analytics.framework import spec
from analytics.messages import Message, cell_ref

SHARE_TOLERANCE = 0.01  # percentage points: shares typed to two decimals still add up


def _cell(sheet: spec.SheetSpec, row: int, column: str) -> str:
    return cell_ref(int(row) - 1, [c.name for c in sheet.columns].index(column))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def county_messages(sheets: dict[str, pd.DataFrame | None], file_name: str) -> list[Message]:
    """Every problem of the county and reward sheets, in sheet order."""
    out: list[Message] = []
    out += _stretch_messages(sheets, file_name)
    out += _contribution_messages(sheets, file_name)
    out += _allocation_messages(sheets, file_name)
    out += _adjustment_messages(sheets, file_name)
    out += _partnership_messages(sheets, file_name)
    return out


def _reward_codes(sheets) -> set[str]:
    indicators = sheets.get("Indicators")
    if indicators is None or indicators.empty:
        return set()
    return set(indicators.loc[indicators["laa_status"].eq("reward"), "code"])


def _stretch_messages(sheets, file_name: str) -> list[Message]:
    """A reward target's stretch target (target_value) must differ from the level expected
    without it (target_without_stretch): S = W leaves no stretch to share out."""
    targets = sheets.get("Targets")
    if targets is None or targets.empty:
        return []
    out = []
    for rec in targets.to_dict("records"):
        without, stretched = rec.get("target_without_stretch"), rec.get("target_value")
        if _blank(without) or _blank(stretched) or float(without) != float(stretched):
            continue
        out.append(
            Message(
                "error", file_name, "Targets", _cell(spec.TARGETS, rec["_row"],
                                                      "target_without_stretch"),
                without,
                f"{rec['code']} {rec['year']}: the level expected without the stretch equals "
                f"the stretch target ({stretched:g}), so there is no stretch to reward",
                "Type the level expected without the agreement in target_without_stretch "
                "(it differs from target_value, the stretched target), or leave it blank.",
            )
        )  # fmt: skip
    return out


def _contribution_messages(sheets, file_name: str) -> list[Message]:
    """Contributions name indicators with an aggregation rule that can be shared out, and
    (when the workbook lists its districts) districts on the Districts sheet."""
    contributions = sheets.get("Contributions")
    if contributions is None or contributions.empty:
        return []
    indicators = sheets.get("Indicators")
    rule_of = (
        {}
        if indicators is None
        else dict(zip(indicators["code"], indicators["aggregation_rule"], strict=True))
    )
    districts = sheets.get("Districts")
    listed = None if districts is None else set(districts["district_code"].dropna())
    out = []
    for rec in contributions.to_dict("records"):
        code = rec["code"]
        if code not in rule_of:
            out.append(
                Message(
                    "error", file_name, "Contributions", _cell(spec.CONTRIBUTIONS, rec["_row"],
                                                               "code"), code,
                    "this indicator code is not in the workbook",
                    "Add the indicator to the Indicators sheet, or correct the code.",
                )
            )  # fmt: skip
        elif rule_of[code] in (None, "county_only"):
            said = "county only" if rule_of[code] else "not made from the districts' figures"
            out.append(
                Message(
                    "error", file_name, "Contributions", _cell(spec.CONTRIBUTIONS, rec["_row"],
                                                               "code"), code,
                    f"{code} is {said}: a district cannot contribute to it",
                    "Give the indicator an aggregation_rule (sum, ratio or "
                    "rate_per_population) on the Indicators sheet, or delete the row.",
                )
            )  # fmt: skip
        if listed is not None and rec["district_code"] not in listed:
            out.append(
                Message(
                    "error", file_name, "Contributions",
                    _cell(spec.CONTRIBUTIONS, rec["_row"], "district_code"), rec["district_code"],
                    "this district is not on the Districts sheet",
                    "Add the district to the Districts sheet, or correct the code.",
                )
            )  # fmt: skip
    return out


def _allocation_messages(sheets, file_name: str) -> list[Message]:
    """Allocations are of reward targets, each share 0 to 100, a target's shares adding up to
    100; reward shares of the pot 0 to 100, adding up to no more than 100."""
    out = []
    rewards = _reward_codes(sheets)
    allocations = sheets.get("Reward allocations")
    if allocations is not None and not allocations.empty:
        for rec in allocations.to_dict("records"):
            share = rec["share_pct"]
            if rec["code"] not in rewards:
                out.append(
                    Message(
                        "error", file_name, "Reward allocations",
                        _cell(spec.REWARD_ALLOCATIONS, rec["_row"], "code"), rec["code"],
                        "this is not a reward target (laa_status reward on the Indicators "
                        "sheet)",
                        "Allocate only reward targets' grant, or mark the indicator as reward.",
                    )
                )  # fmt: skip
            if not _blank(share) and not 0 < share <= 100:
                out.append(
                    Message(
                        "error", file_name, "Reward allocations",
                        _cell(spec.REWARD_ALLOCATIONS, rec["_row"], "share_pct"), share,
                        "a partner's share is a percentage above 0 and at most 100",
                        "Type the share as a percentage, e.g. 40.",
                    )
                )  # fmt: skip
        for code, rows in allocations.groupby("code", sort=False):
            total = float(rows["share_pct"].astype(float).sum())
            if abs(total - 100) > SHARE_TOLERANCE:
                first = int(rows["_row"].iloc[0])
                out.append(
                    Message(
                        "error", file_name, "Reward allocations",
                        _cell(spec.REWARD_ALLOCATIONS, first, "share_pct"), f"{total:g}",
                        f"the partners' shares of {code} add up to {total:g}%, not 100%",
                        "Make the shares of each target add up to 100.",
                    )
                )  # fmt: skip
    indicators = sheets.get("Indicators")
    if indicators is not None and not indicators.empty:
        shares = indicators[["_row", "code", "reward_share_pct"]].dropna(subset="reward_share_pct")
        for rec in shares.to_dict("records"):
            if not 0 < rec["reward_share_pct"] <= 100:
                out.append(
                    Message(
                        "error", file_name, "Indicators",
                        _cell(spec.INDICATORS, rec["_row"], "reward_share_pct"),
                        rec["reward_share_pct"],
                        "a reward target's share of the grant is a percentage above 0 and at "
                        "most 100",
                        "Type the share as a percentage, or leave it blank for an equal share.",
                    )
                )  # fmt: skip
        total = float(shares["reward_share_pct"].astype(float).sum()) if len(shares) else 0.0
        if total > 100 + SHARE_TOLERANCE:
            out.append(
                Message(
                    "error", file_name, "Indicators",
                    _cell(spec.INDICATORS, int(shares["_row"].iloc[-1]), "reward_share_pct"),
                    f"{total:g}", f"the reward targets' shares of the grant add up to "
                    f"{total:g}%, more than the whole grant",
                    "Make the shares add up to 100 or less.",
                )
            )  # fmt: skip
    return out


def _adjustment_messages(sheets, file_name: str) -> list[Message]:
    adjustments = sheets.get("Reward adjustments")
    if adjustments is None or adjustments.empty:
        return []
    out = []
    for rec in adjustments.to_dict("records"):
        pct = rec.get("reduction_pct")
        if rec["adjustment"] == "reduced" and (_blank(pct) or not 0 < pct < 100):
            out.append(
                Message(
                    "error", file_name, "Reward adjustments",
                    _cell(spec.REWARD_ADJUSTMENTS_SHEET, rec["_row"], "reduction_pct"), pct,
                    "a reduction needs its percentage, above 0 and below 100",
                    "Type the reduction, e.g. 50 for a 50% reduction (withdrawn means nothing "
                    "is paid).",
                )
            )  # fmt: skip
    return out


def _partnership_messages(sheets, file_name: str) -> list[Message]:
    """The reward settings are percentages; a workbook that lists districts is a county's."""
    partnership = sheets.get("Partnership")
    if partnership is None or partnership.empty:
        return []
    rec = partnership.iloc[0].to_dict()
    out = []
    for column, low in (("reward_threshold_pct", 0), ("reward_capital_pct", 0)):
        value = rec.get(column)
        if not _blank(value) and not low <= value <= 100:
            out.append(
                Message(
                    "error", file_name, "Partnership",
                    _cell(spec.PARTNERSHIP, rec["_row"], column), value,
                    f"{column} is a percentage from 0 to 100",
                    "Type a percentage, e.g. 60, or leave it blank for the default.",
                )
            )  # fmt: skip
    districts = sheets.get("Districts")
    if districts is not None and not districts.empty and rec.get("tier") != "county":
        out.append(
            Message(
                "error", file_name, "Partnership", _cell(spec.PARTNERSHIP, rec["_row"], "tier"),
                rec.get("tier"), "only a county partnership has districts (the Districts sheet "
                "is filled in)",
                "Set tier to county, or empty the Districts sheet.",
            )
        )  # fmt: skip
        return out
    if districts is not None and rec.get("partnership_code") in set(districts["district_code"]):
        row = districts.loc[districts["district_code"].eq(rec["partnership_code"]), "_row"]
        out.append(
            Message(
                "error", file_name, "Districts",
                _cell(spec.DISTRICTS, int(row.iloc[0]), "district_code"),
                rec["partnership_code"], "a county cannot be one of its own districts",
                "Delete the row.",
            )
        )  # fmt: skip
    return out
