"""The public site's content, gathered from a :class:`~analytics.warehouse.published.Published`
(pure: no I/O, no HTML). Each function returns plain dicts and lists that the templates show
and the CSV writer writes; numbers are formatted here once, in the indicator's unit and
decimals.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from analytics import labels, periods
from analytics import vocabulary as V
from analytics.formatting import as_date, format_number
from analytics.warehouse.published import Published

STATUS_EXPLAINED = {
    "green": "The figure met or beat its target.",
    "amber": "The figure missed its target, but only by a little (within the tolerance set "
    "for the indicator, usually 5% of the target).",
    "red": "The figure missed its target by more than the tolerance.",
    "missing": "A figure was due but has not been reported.",
    "no_target": "There is no target for this period, so no judgement is made. An indicator "
    "without a target is never shown as on target.",
    "no_new_data": "The figure comes from a survey that is not run every year; there is no "
    "new figure until the next survey.",
}


def slug(text: str) -> str:
    """``NI 191`` -> ``ni-191``; ``Safer communities`` -> ``safer-communities``."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "item"


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def fmt(value, indicator: dict) -> str:
    if _nan(value):
        return "–"
    return format_number(float(value), indicator["unit"], int(indicator["decimals"]))


def short(value, indicator: dict) -> str:
    """A figure for a table cell whose header names the unit: '45.0%', '£2,000', '13.48'."""
    if _nan(value):
        return "–"
    unit = indicator["unit"] if (indicator["unit"] or "").strip() in ("%", "£") else ""
    return format_number(float(value), unit, int(indicator["decimals"]))


def unit_header(unit: str | None) -> str:
    """The unit for a column header ('' for % and £, which the figures carry)."""
    unit = (unit or "").strip()
    return "" if unit in ("", "%", "£") else f" ({unit})"


def status(code) -> dict:
    code = str(code) if not _nan(code) else "missing"
    found = V.STATUS_BY_CODE.get(code)
    if found is None:
        return {"code": code, "symbol": "–", "words": "Not judged", "tag": "govuk-tag--grey"}
    return {"code": code, "symbol": found.symbol, "words": found.public_word,
            "tag": found.govuk_tag}  # fmt: skip


def direction(code) -> dict | None:
    found = None if _nan(code) else V.DIRECTION_BY_CODE.get(str(code))
    if found is None:
        return None
    return {"code": found.code, "symbol": found.symbol, "words": found.public_word}


def _public_sentence(polarity) -> str:
    found = V.POLARITY_BY_CODE.get(polarity)
    return found.public_sentence if found else ""


def _frequency_phrase(frequency) -> str:
    found = V.FREQUENCY_BY_CODE.get(frequency)
    return found.public_phrase if found else frequency


def unit_words(unit: str | None) -> str:
    unit = (unit or "").strip()
    if not unit:
        return "a number"
    return {"%": "a percentage", "£": "pounds (£)", "days": "days"}.get(unit, unit)


@dataclass
class Site:
    """Everything the templates need, by page."""

    partnership: dict
    profile: dict
    members: list[dict]
    themes: list[dict]
    indicators: list[dict]  # each with its history, targets, comparators
    publications: list[dict]
    annual_years: list[str]
    latest_period: str | None
    published_end: object


def gather(pub: Published) -> Site:
    ind = pub.indicators.to_dict("records")
    # plain records grouped once: far cheaper than a frame per indicator
    by_indicator: dict[int, list[dict]] = {}
    for r in pub.values.to_dict("records"):
        by_indicator.setdefault(r["indicator_id"], []).append(r)
    comps: dict[int, list[dict]] = {}
    for r in pub.comparators.to_dict("records"):
        comps.setdefault(r["indicator_id"], []).append(r)
    themes = []
    theme_index = {}
    for row in pub.themes.to_dict("records"):
        t = {
            "theme_id": int(row["theme_id"]),
            "name": row["name"],
            "short_name": row["short_name"],
            "chair": None if _nan(row["chair"]) else row["chair"],
            "lead_officer": None if _nan(row["lead_officer"]) else row["lead_officer"],
            "slug": slug(row["short_name"]),
            "indicators": [],
            "activities": [],
            "completed": [],
        }
        themes.append(t)
        theme_index[t["theme_id"]] = t
    indicators = []
    for meta in ind:
        hist = by_indicator.get(meta["indicator_id"])
        if not hist:
            continue
        item = _indicator(meta, hist, comps.get(meta["indicator_id"]))
        theme = theme_index.get(int(meta["theme_id"]))
        if theme is None:
            continue
        item["theme"] = {"name": theme["name"], "slug": theme["slug"]}
        theme["indicators"].append(item)
        indicators.append(item)
    for row in pub.activities.to_dict("records"):
        theme = theme_index.get(int(row["theme_id"]))
        if theme is not None:
            theme["activities"].append(
                {
                    "period": row["period"],
                    "title": row["title"],
                    "description": None if _nan(row["description"]) else row["description"],
                }
            )
    for row in pub.milestones.to_dict("records"):
        theme = theme_index.get(int(row["theme_id"]))
        if theme is not None:
            theme["completed"].append(
                {
                    "action": row["action_title"],
                    "milestone": row["milestone_title"],
                    "completed_on": pd.Timestamp(row["completed_on"]).date(),
                    "lead_partner": None if _nan(row["lead_partner"]) else row["lead_partner"],
                }
            )
    for theme in themes:
        theme["activities"].sort(key=lambda a: periods.sort_key(a["period"]), reverse=True)
        counts = {}
        for item in theme["indicators"]:
            counts[item["latest"]["status"]["code"]] = (
                counts.get(item["latest"]["status"]["code"], 0) + 1
            )
        theme["counts"] = [
            {**status(code), "count": counts[code]} for code in V.STATUS_ORDER if counts.get(code)
        ]
    pubs = [
        {
            "kind": r["kind"],
            "period": r["period"],
            "published_on": pd.Timestamp(r["published_on"]).date(),
        }
        for r in pub.publications.to_dict("records")
    ]
    years = sorted({p["period"] for p in pubs if p["kind"] == "year"}, key=periods.sort_key)
    quarters = [p["period"] for p in pubs if p["kind"] == "quarter"]
    latest_period = max(quarters + years, key=periods.sort_key) if pubs else None
    members = [
        {"name": r["name"], "sector": None if _nan(r["sector"]) else r["sector"]}
        for r in pub.members.to_dict("records")
    ]
    return Site(
        partnership=pub.partnership,
        profile=pub.profile,
        members=members,
        themes=[t for t in themes],
        indicators=indicators,
        publications=pubs,
        annual_years=years,
        latest_period=latest_period,
        published_end=pub.published_end,
    )


def _indicator(meta: dict, hist: list[dict], comps: list[dict] | None) -> dict:
    hist = sorted(hist, key=lambda r: periods.sort_key(r["period"]))
    rows = []
    for r in hist:
        rows.append(
            {
                "period": r["period"],
                "actual": fmt(r["actual_value"], meta),
                "actual_value": None if _nan(r["actual_value"]) else float(r["actual_value"]),
                "target": fmt(r["target_value"], meta),
                "actual_short": short(r["actual_value"], meta),
                "target_short": short(r["target_value"], meta),
                "target_value": None if _nan(r["target_value"]) else float(r["target_value"]),
                "annual_target": fmt(r["annual_target_value"], meta),
                "annual_target_value": None
                if _nan(r["annual_target_value"])
                else float(r["annual_target_value"]),
                "status": status(r["rag_status"]),
                "reason": r["rag_reason"],
                "direction": direction(r["dot_previous"]),
                "direction_last_year": direction(r["dot_last_year"]),
                "commentary": None if _nan(r["commentary"]) else r["commentary"],
                "remedial_action": None if _nan(r["remedial_action"]) else r["remedial_action"],
                "first_published_on": as_date(r["first_published_on"]),
                "revised_on": as_date(r["revised_on"]),
                "revised_from": fmt(r["revised_from"], meta)
                if not _nan(r["revised_from"])
                else None,
                "revised_from_value": None if _nan(r["revised_from"]) else float(r["revised_from"]),
                "rag_status": str(r["rag_status"]),
                "forecast_value": None
                if _nan(r.get("forecast_value"))
                else float(r["forecast_value"]),
            }
        )
    with_value = [r for r in rows if r["actual_value"] is not None]
    latest = with_value[-1] if with_value else rows[-1]
    targets = {}
    for r in hist:
        year = periods.year_of(r["period"])
        if not _nan(r["annual_target_value"]):
            targets[year] = fmt(r["annual_target_value"], meta)
    comparators = []
    if comps:
        for r in sorted(comps, key=lambda r: periods.sort_key(r["period"])):
            comparators.append(
                {
                    "period": r["period"],
                    "comparator": {"county": "County", "england": "England"}.get(
                        r["comparator"], str(r["comparator"]).title()
                    ),
                    "value": fmt(r["comparator_value"], meta),
                    "comparator_value": float(r["comparator_value"]),
                    "source": None if _nan(r["source"]) else r["source"],
                }
            )
    latest_action = next(
        (r for r in reversed(rows) if r["commentary"] or r["remedial_action"]), None
    )
    definition = meta["catalogue_title"] if not _nan(meta["catalogue_title"]) else meta["title"]
    laa = labels.LAA_STATUS.get(meta["laa_status"], "Local") if meta["is_laa"] else None
    return {
        "indicator_id": int(meta["indicator_id"]),
        "code": meta["code"],
        "slug": slug(meta["code"]),
        "title": meta["title"],
        "definition": definition,
        "is_national": not _nan(meta["catalogue_code"]),
        "polarity": meta["polarity"],
        "polarity_words": _public_sentence(meta["polarity"]),
        "unit": meta["unit"] or "",
        "unit_words": unit_words(meta["unit"]),
        "unit_header": unit_header(meta["unit"]),
        "decimals": int(meta["decimals"]),
        "frequency_words": _frequency_phrase(meta["frequency"]),
        "cumulative": meta["measure_type"] == "cumulative",
        "laa": laa,
        "is_reward": bool(meta["is_reward"]),
        "lead_partner": None if _nan(meta["lead_partner"]) else meta["lead_partner"],
        "data_source": None if _nan(meta["data_source"]) else meta["data_source"],
        "baseline": None
        if _nan(meta["baseline_value"])
        else {"value": fmt(meta["baseline_value"], meta), "period": meta["baseline_period"]},
        "rule": labels.rule_text(
            meta["status_rule"],
            meta["amber_tolerance_pct"],
            meta["amber_tolerance_abs"],
            meta["minimum_standard"],
        ),
        "history": rows,
        "latest": latest,
        "targets": [{"year": y, "target": t} for y, t in sorted(targets.items())],
        "comparators": comparators,
        "latest_action": latest_action,
        "meta": meta,
    }


def headline(site: Site) -> list[dict]:
    """Status counts over every indicator's latest published figure."""
    counts: dict[str, int] = {}
    for item in site.indicators:
        code = item["latest"]["status"]["code"]
        counts[code] = counts.get(code, 0) + 1
    return [{**status(code), "count": counts[code]} for code in V.STATUS_ORDER if counts.get(code)]
