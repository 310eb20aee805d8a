"""The annual report's content, gathered once (pure: no I/O, no file format).

From a :class:`~analytics.warehouse.published.Published` (the published picture for the
public site, or :func:`analytics.warehouse.published.current` for the officer's draft): the
foreword, the partnership and its structure, and per theme group its narrative, the year's
achievements, every indicator's year-end outturn against target with its status and the
change on the year before, the actions completed in the year and what comes next (amber or
red at the year end, or forecast to miss next year's target: the status engine's forecast,
judged by :func:`analytics.status.outlook.next_year_statuses`); the Local Area Agreement's
designated targets, and its reward targets with the share of the stretch achieved and of
the Performance Reward Grant it earns (money only where the framework records the grant);
and targets met by year over the strategy period. Figures are text in the indicator's unit and
decimals; the words each format shows (``next_words``, ``reward_words``, the grant's
``explained`` and ``total_words``) are written here once, so Word and HTML say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics import periods
from analytics.formatting import format_number
from analytics.site import model
from analytics.status.outlook import (
    REWARD_THRESHOLD,
    next_year_statuses,
    reward_paid_share,
    stretch_achieved,
)
from analytics.vocabulary import JUDGED_STATUSES, OFF_TARGET_STATUSES, STATUSES
from analytics.warehouse.published import Published


@dataclass
class ThemeYear:
    name: str
    slug: str
    chair: str | None
    lead_officer: str | None
    narrative: str | None
    achievements: list[dict]
    outturns: list[dict]
    completed: list[dict]
    next_steps: list[dict]
    counts: list[dict]


@dataclass
class AnnualReport:
    year: str
    partnership: dict
    profile: dict
    members: list[dict]
    foreword: str | None
    themes: list[ThemeYear]
    laa_designated: list[dict]
    laa_reward: list[dict]  # each reward target's stretch achieved and grant share
    by_year: list[dict]  # targets met by year over the strategy period
    counts: list[dict]
    published_on: object = None
    years: list[str] = field(default_factory=list)
    reward_grant: dict = field(default_factory=dict)  # the grant, in total (None: no amount)
    next_year: str = ""
    next_year_targets: int = 0  # indicators with a target for the next year


def year_end(history: list[dict], year: str) -> dict | None:
    """The year's outturn: the annual figure, else Q4, else the latest quarter of the year."""
    in_year = [h for h in history if periods.year_of(h["period"]) == year]
    for wanted in (year, periods.year_end_quarter(year)):
        for h in in_year:
            if h["period"] == wanted and h["actual_value"] is not None:
                return h
    with_value = [h for h in in_year if h["actual_value"] is not None]
    if with_value:
        return max(with_value, key=lambda h: periods.sort_key(h["period"]))
    return in_year[-1] if in_year else None


def annual_report(pub: Published, year: str) -> AnnualReport:
    year = periods.parse_code(year).code
    site = model.gather(pub)
    texts = pub.annual_texts[pub.annual_texts["financial_year"] == year]
    foreword = texts.loc[texts["section"] == "foreword", "body"]
    narratives = {
        int(r["theme_id"]): r["body"] for r in texts[texts["section"] == "theme"].to_dict("records")
    }
    published_on = texts["published_on"].max() if not texts.empty else None
    last_year = periods.shift(year, -1)
    start = periods.parse_code(year).start
    end = periods.parse_code(year).end
    themes = []
    all_outturns = []
    for theme in site.themes:
        outturns = []
        for item in theme["indicators"]:
            now = year_end(item["history"], year)
            if now is None:
                continue
            before = year_end(item["history"], last_year)
            row = {
                "indicator_id": item["indicator_id"],
                "code": item["code"],
                "slug": item["slug"],
                "title": item["title"],
                "laa": item["laa"],
                "is_reward": item["is_reward"],
                "period": now["period"],
                "outturn": now["actual"],
                "target": now["annual_target"] if now["annual_target"] != "–" else now["target"],
                # for tables: the figures without their unit, which the label carries
                "label": f"{item['code']} {item['title']}{item['unit_header']}",
                "outturn_figure": now["actual_short"],
                "target_figure": model.short(
                    now["annual_target_value"]
                    if now["annual_target_value"] is not None
                    else now["target_value"],
                    item,
                ),
                "last_year_figure": before["actual_short"] if before else "–",
                "status": now["status"],
                "last_year": before["actual"] if before else "–",
                "change": now["direction_last_year"],
                "remedial_action": now["remedial_action"],
                "commentary": now["commentary"],
                "polarity_words": item["polarity_words"],
                "_item": item,
                "_now": now,
            }
            outturns.append(row)
        all_outturns.extend(outturns)
        achievements, titles = [], set()
        for a in theme["activities"]:  # latest first; an activity reported twice once
            if periods.year_of(a["period"]) == year and a["title"] not in titles:
                titles.add(a["title"])
                achievements.append(a)
        completed = [c for c in theme["completed"] if start <= c["completed_on"] <= end]
        themes.append(
            ThemeYear(
                name=theme["name"],
                slug=theme["slug"],
                chair=theme["chair"],
                lead_officer=theme["lead_officer"],
                narrative=narratives.get(theme["theme_id"]),
                achievements=achievements,
                outturns=outturns,
                completed=completed,
                next_steps=[],
                counts=_counts(outturns),
            )
        )
    next_year = periods.shift(year, 1)
    ahead = _forecasts(pub, all_outturns, year, next_year)
    for theme in themes:
        theme.next_steps = [
            o for o in theme.outturns
            if o["status"]["code"] in OFF_TARGET_STATUSES or o["forecast_misses"]
        ]  # fmt: skip
    reward_rows, reward_grant = _rewards(pub, [o for o in all_outturns if o["is_reward"]], year)
    years = sorted(
        {periods.year_of(h["period"]) for item in site.indicators for h in item["history"]},
        key=periods.sort_key,
    )
    years = [y for y in years if periods.sort_key(y) <= periods.sort_key(year)]
    by_year = []
    for y in years:
        statuses = [
            e["status"]["code"]
            for item in site.indicators
            if (e := year_end(item["history"], y)) is not None
        ]
        judged = [s for s in statuses if s in JUDGED_STATUSES]
        met = statuses.count("green")
        by_year.append(
            {
                "year": y,
                "met": met,
                "amber": statuses.count("amber"),
                "red": statuses.count("red"),
                "judged": len(judged),
                "share_met": f"{100 * met / len(judged):.0f}%" if judged else "–",
                "share_met_value": (met / len(judged)) if judged else None,
            }
        )
    return AnnualReport(
        year=year,
        partnership=site.partnership,
        profile=site.profile,
        members=site.members,
        foreword=None if foreword.empty else str(foreword.iloc[0]),
        themes=themes,
        laa_designated=[o for o in all_outturns if o["laa"] and not o["is_reward"]],
        laa_reward=reward_rows,
        by_year=by_year,
        counts=_counts(all_outturns),
        published_on=published_on,
        years=years,
        reward_grant=reward_grant,
        next_year=next_year,
        next_year_targets=ahead,
    )


def _forecasts(pub: Published, outturns: list[dict], year: str, next_year: str) -> int:
    """Give each outturn row its forecast against the next year's target (in place):
    ``forecast`` / ``next_target`` (figures as text), ``forecast_status`` (public status),
    ``forecast_misses`` and ``forecast_words``. Returns how many have a next-year target."""
    targets = pub.targets
    if not targets.empty:
        targets = targets[targets["financial_year"] == next_year]
    by_id = {int(r["indicator_id"]): r for r in targets.to_dict("records")}
    rows = []
    for o in outturns:
        now, item = o["_now"], o["_item"]
        forecast = now.get("forecast_value")
        if forecast is None and now["period"] in (year, periods.year_end_quarter(year)):
            forecast = now["actual_value"]  # published before forecasts were: the year end
        target = by_id.get(o["indicator_id"], {})
        rows.append(
            {
                "indicator_id": o["indicator_id"],
                "forecast_value": forecast,
                "target_value": target.get("target_value"),
                "is_placeholder": bool(target.get("is_placeholder") or False),
            }
        )
        o["forecast"] = model.fmt(forecast, item)
        o["next_target"] = model.fmt(target.get("target_value"), item)
    judged = next_year_statuses(pub.indicators, pd.DataFrame(rows)) if rows else None
    with_target = 0
    for n, o in enumerate(outturns):
        code = str(judged["forecast_status"].iloc[n]) if judged is not None else "missing"
        has_target = o["next_target"] != "–"
        with_target += has_target
        o["forecast_status"] = model.status(code) if has_target else None
        o["forecast_misses"] = code in OFF_TARGET_STATUSES and has_target
        o["forecast_words"] = _forecast_words(o, code, next_year, has_target)
        o["year_end_words"] = f"{o['status']['words']} at the year end: {o['outturn']}" + (
            f" against a target of {o['target']}." if o["target"] != "–" else "."
        )
    for o in outturns:
        o["next_words"] = next_step_text(o)
    return with_target


def next_step_text(o: dict) -> str:
    """One indicator's 'what comes next': the year end, the forecast, the action."""
    words = [o["year_end_words"]]
    if o.get("forecast_words"):
        words.append(o["forecast_words"])
    if o.get("remedial_action"):
        words.append(f"What is being done: {o['remedial_action']}")
    return " ".join(words)


def _forecast_words(o: dict, code: str, next_year: str, has_target: bool) -> str:
    """'Forecast for 2011/12 if nothing changes: 41.0% against a target of 47.0% (off
    target).'"""
    if not has_target or o["forecast"] == "–":
        return ""
    verdict = {
        "green": "on target",
        "amber": "just off target",
        "red": "off target",
    }.get(code)
    if verdict is None:
        return ""
    return (
        f"Forecast for {next_year} if nothing changes: {o['forecast']} against a target of "
        f"{o['next_target']} ({verdict})."
    )


def _rewards(pub: Published, rows: list[dict], year: str) -> tuple[list[dict], dict]:
    """Each reward target's baseline, target without and with the stretch, outturn, the share
    of the stretch achieved and the share of its grant that earns; and the grant in total
    (amounts only where the framework records the grant)."""
    targets = pub.targets
    if not targets.empty:
        targets = targets[targets["financial_year"] == year]
    without_of = {
        int(r["indicator_id"]): r["target_without_stretch"] for r in targets.to_dict("records")
    }
    total = pub.partnership.get("reward_grant_total")
    total = None if total is None or pd.isna(total) else float(total)
    n_targets = int(pub.indicators["is_reward"].fillna(False).astype(bool).sum())
    each = total / n_targets if total is not None and n_targets else None
    out, earned_total, known = [], 0.0, 0
    for o in rows:
        item, now = o["_item"], o["_now"]
        meta = item["meta"]
        without = without_of.get(o["indicator_id"])
        without = None if without is None or pd.isna(without) else float(without)
        achieved = stretch_achieved(now["actual_value"], now["annual_target_value"], without)
        paid = reward_paid_share(achieved)
        earned = None if each is None or paid is None else each * paid
        if earned is not None:
            earned_total += earned
            known += 1
        out.append(
            {
                **o,
                "baseline": model.short(meta["baseline_value"], item),
                "baseline_period": meta["baseline_period"] or "",
                "without_stretch": model.short(without, item),
                "achieved": "–" if achieved is None else f"{100 * max(achieved, 0):.0f}%",
                "achieved_value": achieved,
                "paid": "–" if paid is None else f"{100 * paid:.0f}%",
                "paid_value": paid,
                "grant_available": None if each is None else _money(each),
                "grant_earned": None if earned is None else _money(earned),
                "reward_words": _reward_words(achieved, paid),
            }
        )
    grant = {
        "total": None if total is None else _money(total),
        "each": None if each is None else _money(each),
        "earned": _money(earned_total) if known else None,
        "targets": n_targets,
        "threshold": f"{100 * REWARD_THRESHOLD:.0f}%",
    }
    grant["explained"] = (
        "A reward target is a stretch beyond the improvement expected without it. Performance "
        "Reward Grant is paid in proportion to the share of the stretch achieved (the "
        "improvement on the level expected without the stretch), up to 100%, and nothing is "
        f"paid for less than {grant['threshold']} of it."
    )
    if total is None:
        grant["total_words"] = (
            "No reward grant amount is recorded in the framework, so the table gives each "
            "target's share of its grant, not a sum of money."
        )
    else:
        grant["total_words"] = (
            f"The reward grant is {grant['total']}, {grant['each']} for each of the "
            f"{n_targets} reward targets; on these figures the targets earn "
            f"{grant['earned'] or '£0'} in all."
        )
    return out, grant


def _money(value: float) -> str:
    return format_number(round(value), "£", 0)


def _reward_words(achieved: float | None, paid: float | None) -> str:
    if achieved is None:
        return "No level without the stretch is recorded, so the share achieved is not known."
    if achieved >= 1:
        return "The stretch target was met in full: all of its grant."
    if paid:
        return f"{100 * achieved:.0f}% of the stretch achieved: {100 * paid:.0f}% of its grant."
    if achieved <= 0:
        return "No better than the level expected without the stretch: no grant."
    return (
        f"{100 * achieved:.0f}% of the stretch achieved, below the "
        f"{100 * REWARD_THRESHOLD:.0f}% needed: no grant."
    )


def _counts(rows: list[dict]) -> list[dict]:
    found: dict[str, int] = {}
    for r in rows:
        found[r["status"]["code"]] = found.get(r["status"]["code"], 0) + 1
    return [{**model.status(c), "count": found[c]} for c in STATUSES if found.get(c)]
