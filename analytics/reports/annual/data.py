"""The annual report's content, gathered once (pure: no I/O, no file format).

From a :class:`~analytics.warehouse.published.Published` (the published picture for the
public site, or :func:`analytics.warehouse.published.current` for the officer's draft): the
foreword, the partnership and its structure, and per theme group its narrative, the year's
achievements, every indicator's year-end outturn against target with its status and the
change on the year before, the actions completed in the year and what comes next; the Local
Area Agreement's designated and reward targets; and targets met by year over the strategy
period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics import periods
from analytics.site import model
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
    laa_reward: list[dict]
    by_year: list[dict]  # targets met by year over the strategy period
    counts: list[dict]
    published_on: object = None
    years: list[str] = field(default_factory=list)


def year_end(history: list[dict], year: str) -> dict | None:
    """The year's outturn: the annual figure, else Q4, else the latest quarter of the year."""
    in_year = [h for h in history if h["period"][:7] == year]
    for wanted in (year, f"{year} Q4"):
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
                "code": item["code"],
                "slug": item["slug"],
                "title": item["title"],
                "laa": item["laa"],
                "is_reward": item["is_reward"],
                "period": now["period"],
                "outturn": now["actual"],
                "target": now["annual_target"] if now["annual_target"] != "–" else now["target"],
                "status": now["status"],
                "last_year": before["actual"] if before else "–",
                "change": now["direction_last_year"],
                "remedial_action": now["remedial_action"],
                "commentary": now["commentary"],
                "polarity_words": item["polarity_words"],
            }
            outturns.append(row)
        all_outturns.extend(outturns)
        achievements, titles = [], set()
        for a in theme["activities"]:  # latest first; an activity reported twice once
            if a["period"][:7] == year and a["title"] not in titles:
                titles.add(a["title"])
                achievements.append(a)
        completed = [c for c in theme["completed"] if start <= c["completed_on"] <= end]
        next_steps = [o for o in outturns if o["status"]["code"] in ("red", "amber")]
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
                next_steps=next_steps,
                counts=_counts(outturns),
            )
        )
    years = sorted(
        {h["period"][:7] for item in site.indicators for h in item["history"]},
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
        judged = [s for s in statuses if s in ("green", "amber", "red")]
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
        laa_reward=[o for o in all_outturns if o["is_reward"]],
        by_year=by_year,
        counts=_counts(all_outturns),
        published_on=published_on,
        years=years,
    )


def _counts(rows: list[dict]) -> list[dict]:
    found: dict[str, int] = {}
    for r in rows:
        found[r["status"]["code"]] = found.get(r["status"]["code"], 0) + 1
    order = ("green", "amber", "red", "missing", "no_target", "no_new_data")
    return [{**model.status(c), "count": found[c]} for c in order if found.get(c)]
