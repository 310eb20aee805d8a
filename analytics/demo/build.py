"""Build the demo partnership: generate it, write its workbooks, load them like a user's.

Deterministic: the same seed gives the same numbers, text and files. The framework workbook
and the theme groups' return workbooks are written under ``raw/demo/`` beside the warehouse
and loaded through the same import code as any user's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import periods
from analytics.access import cli_user
from analytics.demo import scrutiny as demo_scrutiny
from analytics.demo import spec
from analytics.demo.county import build_county, wyvern_vale_ratios
from analytics.demo.text import (
    ACTIONS,
    ACTIVITIES,
    COMMENT_DATA,
    COMMENT_OFF,
    COMMENT_ON,
    COMMENT_SURVEY,
    REMEDIAL,
)
from analytics.framework.read import read_framework
from analytics.framework.workbook import write_framework
from analytics.ingest.intake import intake_file
from analytics.ingest.template import ReturnMeta, write_return_template
from analytics.vocabulary import POLARITY_BY_CODE
from analytics.warehouse import queries
from analytics.warehouse.connection import close_readers, warehouse_path
from analytics.warehouse.load import catalogue_frame, import_framework, init_warehouse
from analytics.warehouse.returns import commit_returns

SEED = 2008
THEME_NAME = {key: name for key, name, *_ in spec.THEMES}
THEME_SHORT = {key: short for key, _, short, *_ in spec.THEMES}


@dataclass
class Demo:
    indicators: pd.DataFrame
    targets: pd.DataFrame
    values: pd.DataFrame  # indicator code, period, actual_value, commentary, remedial_action
    comparators: pd.DataFrame
    actions: pd.DataFrame
    milestones: pd.DataFrame
    activities: pd.DataFrame  # theme key, period, title, description
    board_dates: pd.DataFrame


def _catalogue() -> tuple[dict[str, str], dict[str, str]]:
    """Polarity and title of every National Indicator."""
    cat = catalogue_frame()
    return (
        dict(zip(cat["code"], cat["polarity"], strict=True)),
        dict(zip(cat["code"], cat["title"], strict=True)),
    )


def _years() -> list[str]:
    return [periods.fy_code(spec.FIRST_YEAR + y) for y in range(spec.YEARS)]


def _indicator_frame() -> pd.DataFrame:
    polarity_of, title_of = _catalogue()
    rows = []
    for ind in spec.INDICATORS:
        base = ind.code.rstrip("abc") if ind.code.startswith("NI ") else None
        polarity = ind.polarity or polarity_of.get(ind.code) or polarity_of.get(base) or "none"
        full_title = ind.title or title_of.get(ind.code) or f"{title_of[base]} ({ind.code[-1]})"
        rows.append({
            "code": ind.code, "title": ind.title, "theme": THEME_NAME[ind.theme],
            "polarity": ind.polarity, "unit": ind.unit, "decimals": ind.decimals,
            "frequency": ind.frequency, "measure_type": ind.measure_type,
            "status_rule": ind.status_rule, "amber_tolerance_pct": ind.amber_tolerance_pct,
            "amber_tolerance_abs": ind.amber_tolerance_abs,
            "minimum_standard": ind.minimum_standard, "dot_threshold": ind.dot_threshold,
            "is_laa": ind.laa_status != "local", "laa_status": ind.laa_status, "lead": ind.lead,
            "lead_officer": None, "data_source": ind.data_source or None,
            "baseline_value": None if ind.code == spec.PLACEHOLDER[0] else ind.baseline,
            "baseline_period": None if ind.code == spec.PLACEHOLDER[0] else "2007/08",
            "survey_years": spec.SURVEY_YEARS if ind.frequency == "biennial" else None,
            "notes": None, "_polarity": polarity, "_title": full_title,
        })  # fmt: skip
    return pd.DataFrame(rows)


def _sign(polarity: str) -> int:
    found = POLARITY_BY_CODE.get(polarity)
    return found.sign if found else 0


def _round(value: float, ind: spec.DemoIndicator) -> float:
    value = max(value, 0.0)
    if ind.cap is not None:
        value = min(value, ind.cap)
    return round(value, ind.decimals)


def _targets(indicators: pd.DataFrame) -> pd.DataFrame:
    rows = []
    refreshed = {(code, year): (set_on, f, why) for code, year, set_on, f, why in spec.REFRESHED}
    for ind, polarity in zip(spec.INDICATORS, indicators["_polarity"], strict=True):
        sign = _sign(polarity)
        if sign == 0:
            continue
        for y, fy in enumerate(_years()):
            annual = _round(ind.baseline + sign * ind.step * (y + 1), ind)
            if ind.frequency == "biennial" and fy not in spec.SURVEY_YEARS:
                continue
            profile = spec.PROFILES.get(ind.code)
            quarters = [None] * 4
            if profile and ind.measure_type == "cumulative":
                quarters = [_round(annual * share, ind) for share in profile]
            placeholder = (ind.code, fy) == spec.PLACEHOLDER
            share = spec.STRETCH_SHARE.get(ind.code)
            without = (
                None
                if share is None
                else _round(ind.baseline + sign * ind.step * (y + 1) * (1 - share), ind)
            )
            rows.append({
                "code": ind.code, "year": fy, "target_value": annual, "q1": quarters[0],
                "q2": quarters[1], "q3": quarters[2], "q4": quarters[3],
                "is_placeholder": placeholder, "target_without_stretch": without,
                "set_on": date(spec.FIRST_YEAR + y, 4, 1) if y else date(2008, 6, 30),
                "reason": "placeholder until a baseline is available" if placeholder
                else ("LAA 2008-11 as agreed" if ind.laa_status != "local" else "agreed by Board"),
            })  # fmt: skip
            if (ind.code, fy) in refreshed:
                set_on, factor, why = refreshed[(ind.code, fy)]
                new = _round(ind.baseline + sign * ind.step * (y + 1) * factor, ind)
                if profile and ind.measure_type == "cumulative":
                    quarters = [_round(new * share, ind) for share in profile]
                rows.append(
                    {
                        **rows[-1],
                        "target_value": new,
                        "q1": quarters[0],
                        "q2": quarters[1],
                        "q3": quarters[2],
                        "q4": quarters[3],
                        "set_on": date.fromisoformat(set_on),
                        "reason": why,
                    }
                )
    return pd.DataFrame(rows)


def _values(indicators: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for ind, polarity in zip(spec.INDICATORS, indicators["_polarity"], strict=True):
        sign = _sign(polarity) or 1
        previous = ind.baseline
        for y, fy in enumerate(_years()):
            level = ind.baseline + sign * ind.step * ind.skill * (y + 1)
            level += rng.normal(0, max(ind.step, abs(ind.baseline) * 0.01) * 0.25)
            if ind.frequency in {"annual", "biennial"}:
                if ind.frequency == "biennial" and fy not in spec.SURVEY_YEARS:
                    continue
                rows.append({"code": ind.code, "period": fy, "actual_value": _round(level, ind)})
            elif ind.measure_type == "cumulative":
                weights = np.array([0.24, 0.26, 0.25, 0.25]) + rng.normal(0, 0.015, 4)
                ytd = np.cumsum(level * weights / weights.sum())
                for q in range(4):
                    rows.append(
                        {
                            "code": ind.code,
                            "period": periods.quarters_of_year(fy)[q],
                            "actual_value": _round(ytd[q] + rng.normal(0, ind.noise), ind),
                        }
                    )
            else:
                for q in range(4):
                    trend = previous + (level - previous) * (q + 1) / 4
                    rows.append(
                        {
                            "code": ind.code,
                            "period": periods.quarters_of_year(fy)[q],
                            "actual_value": _round(trend + rng.normal(0, ind.noise), ind),
                        }
                    )
            previous = level
    values = pd.DataFrame(rows)
    # cumulative measures never go down within a year, whatever the noise did
    cumulative = {i.code for i in spec.INDICATORS if i.measure_type == "cumulative"}
    is_cum = values["code"].isin(cumulative)
    year = values["period"].map(periods.year_of)
    values.loc[is_cum, "actual_value"] = (
        values[is_cum].groupby([values["code"], year])["actual_value"].cummax()
    )
    return values


def _period_target(targets: pd.DataFrame, ind: spec.DemoIndicator, period: str) -> float | None:
    p = periods.parse_code(period)
    rows = targets[(targets["code"] == ind.code) & (targets["year"] == p.financial_year)]
    if rows.empty:
        return None
    row = rows.sort_values("set_on").iloc[-1]
    if p.grain == "quarter" and ind.measure_type == "cumulative":
        profiled = row[f"q{p.number}"]
        return profiled if pd.notna(profiled) else row["target_value"] * p.number / 4
    return row["target_value"]


def _commentary(
    values: pd.DataFrame, targets: pd.DataFrame, indicators: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    by_code = {
        i.code: (i, pol) for i, pol in zip(spec.INDICATORS, indicators["_polarity"], strict=True)
    }
    comments, remedies = [], []
    for code, period, value in values[["code", "period", "actual_value"]].itertuples(index=False):
        ind, polarity = by_code[code]
        target = _period_target(targets, ind, period)
        sign = _sign(polarity)
        if ind.frequency == "biennial":
            comments.append(COMMENT_SURVEY[rng.integers(len(COMMENT_SURVEY))])
            remedies.append(None)
            continue
        if sign == 0:
            comments.append(COMMENT_DATA[rng.integers(len(COMMENT_DATA))])
            remedies.append(None)
        elif target is None or (value - target) * sign >= 0:
            comments.append(COMMENT_ON[rng.integers(len(COMMENT_ON))])
            remedies.append(None)
        else:
            comments.append(COMMENT_OFF[rng.integers(len(COMMENT_OFF))])
            remedies.append(REMEDIAL[rng.integers(len(REMEDIAL))])
    return values.assign(commentary=comments, remedial_action=remedies)


def _comparators(values: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    decimals = {i.code: i.decimals for i in spec.INDICATORS}
    for code in spec.COMPARATOR_CODES:
        own = values[values["code"] == code]
        for fy in _years():
            year_rows = own[own["period"].str.startswith(fy)]
            if year_rows.empty:
                continue
            level = year_rows["actual_value"].iloc[-1]
            for comparator, spread, source in (
                ("county", 0.04, "Wyvernshire Partnership"),
                ("england", 0.08, "CLG / Audit Commission"),
            ):
                value = round(level * (1 + rng.normal(0.01, spread)), decimals[code])
                rows.append(
                    {
                        "code": code,
                        "period": fy,
                        "comparator": comparator,
                        "value": value,
                        "source": source,
                    }
                )
    return pd.DataFrame(rows)


def _actions(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    actions, milestones = [], []
    report_date = date(2011, 3, 31)
    reprogrammed_done = False
    for theme_key, items in ACTIONS.items():
        for n, (title, indicator_code, lead, steps) in enumerate(items, start=1):
            code = f"A-{theme_key.upper()}-{n:02d}"
            start = date(2008, 4, 1) + timedelta(days=int(rng.integers(0, 400)))
            due_dates = [
                start + timedelta(days=int(d)) for d in np.cumsum(rng.integers(90, 260, len(steps)))
            ]
            # a live plan: some last milestones fall due after the latest quarter, and some
            # have only just slipped (up to a month behind)
            n_action = len(actions)
            if n_action % 3 == 0:
                due_dates[-1] = report_date + timedelta(days=int(rng.integers(30, 240)))
            elif n_action % 5 == 1:
                due_dates[-1] = report_date - timedelta(days=int(rng.integers(5, 28)))
            actions.append(
                {
                    "action_code": code,
                    "theme": THEME_NAME[theme_key],
                    "title": title,
                    "indicator_code": indicator_code,
                    "lead_partner": lead,
                    "lead_officer": None,
                    "start_date": start,
                    "due_date": due_dates[-1],
                }
            )
            for m, (step, due) in enumerate(zip(steps, due_dates, strict=True), start=1):
                roll = rng.random()
                completed, percent, reprogrammed, revised, note = None, None, False, None, None
                just_slipped = report_date - timedelta(days=31) < due <= report_date
                if due <= report_date and roll < 0.7 and not just_slipped:
                    completed = due + timedelta(days=int(rng.integers(-20, 45)))
                    percent, note = 100.0, "Completed."
                elif due <= report_date and not reprogrammed_done and roll > 0.9:
                    reprogrammed, reprogrammed_done = True, True
                    revised = due + timedelta(days=180)
                    percent = 40.0
                    note = "Reprogrammed with Board approval pending the county funding decision."
                else:
                    elapsed = (report_date - start).days / max((due - start).days, 1)
                    percent = float(min(95, max(5, round(elapsed * 80 + rng.normal(0, 10)))))
                    note = "In progress." if due > report_date else "Behind schedule."
                milestones.append({
                    "action_code": code, "milestone_code": f"M{m}", "title": step,
                    "due_date": due, "revised_due_date": revised, "completed_on": completed,
                    "percent_complete": percent, "reprogrammed": reprogrammed,
                    "progress_note": note,
                })  # fmt: skip
    return pd.DataFrame(actions), pd.DataFrame(milestones)


def _activities(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for fy in _years():
        for quarter in periods.quarters_of_year(fy):
            for theme_key, bank in ACTIVITIES.items():
                picks = rng.choice(len(bank), size=2, replace=False)
                for i in picks:
                    title, description = bank[i]
                    rows.append(
                        {
                            "theme": theme_key,
                            "period": quarter,
                            "title": title,
                            "description": description,
                        }
                    )
    return pd.DataFrame(rows)


def _board_dates() -> pd.DataFrame:
    day, rows = date(2008, 4, 3), []
    while day <= date(2011, 6, 30):
        rows.append({"meeting_date": day, "title": "Partnership Board"})
        day += timedelta(weeks=8)
    return pd.DataFrame(rows)


def generate(seed: int = SEED) -> Demo:
    """The demo partnership's data, in memory."""
    rng = np.random.default_rng(seed)
    indicators = _indicator_frame()
    targets = _targets(indicators)
    values = _commentary(_values(indicators, rng), targets, indicators, rng)
    actions, milestones = _actions(rng)
    return Demo(
        indicators,
        targets,
        values,
        _comparators(values, rng),
        actions,
        milestones,
        _activities(rng),
        _board_dates(),
    )


def _due(ind: spec.DemoIndicator, quarter: str) -> str | None:
    """The period an indicator reports in a quarter's return, if any."""
    p = periods.parse_code(quarter)
    if ind.frequency in {"quarterly", "monthly"}:
        return quarter
    if p.number != 4:
        return None
    if ind.frequency == "biennial" and p.financial_year not in spec.SURVEY_YEARS:
        return None
    return p.financial_year


def write_files(demo: Demo, out_dir: Path) -> tuple[Path, list[Path]]:
    """The framework workbook and every theme group's return, as the officer would get them.
    A theme group with an indicator the county makes by the ratio rule returns numerators
    and denominators too (:func:`analytics.demo.county.wyvern_vale_ratios`)."""
    ratios = wyvern_vale_ratios(demo.values)
    out_dir.mkdir(parents=True, exist_ok=True)
    framework = write_framework(out_dir / "framework.xlsx", {
        "Partnership": pd.DataFrame([spec.PARTNERSHIP]),
        "Themes": pd.DataFrame([{"theme": n, "short_name": s, "chair": c, "lead_officer": o,
                                 "contact_email": spec.THEME_EMAILS[k][0],
                                 "chair_email": spec.THEME_EMAILS[k][1]}
                                for k, n, s, c, o in spec.THEMES]),
        "Indicators": demo.indicators, "Targets": demo.targets, "Actions": demo.actions,
        "Milestones": demo.milestones, "Comparators": demo.comparators,
        "Board dates": demo.board_dates, "Review dates": demo_scrutiny.review_dates(),
    })  # fmt: skip
    values = demo.values.set_index(["code", "period"])
    returns = []
    quarters = [q for fy in _years() for q in periods.quarters_of_year(fy)]
    for theme_key, theme_name, short, *_ in spec.THEMES:
        theme_inds = [i for i in spec.INDICATORS if i.theme == theme_key]
        for quarter in quarters:
            if (theme_key, quarter) == spec.MISSING_RETURN:
                continue
            rows = []
            for ind in theme_inds:
                period = _due(ind, quarter)
                if period is None:
                    continue
                step_back = [periods.shift(period, -k) for k in range(4, 0, -1)]
                hist = [values["actual_value"].get((ind.code, p)) for p in step_back]
                value = (
                    values.loc[(ind.code, period)] if (ind.code, period) in values.index else None
                )
                rows.append({
                    "code": ind.code,
                    "title": demo.indicators.set_index("code").at[ind.code, "_title"],
                    "unit": ind.unit, "polarity": demo.indicators.set_index("code").at[
                        ind.code, "_polarity"], "period": period,
                    "target_value": _period_target(demo.targets, ind, period),
                    **{f"hist_{k + 1}": hist[k] for k in range(4)},
                    "actual_value": None if value is None else value["actual_value"],
                    "dq_flag": "ok", "commentary": None if value is None else value["commentary"],
                    "remedial_action": None if value is None else value["remedial_action"],
                })  # fmt: skip
            frame = pd.DataFrame(rows)
            parts = [ratios.get((r["code"], r["period"])) for r in rows]
            if any(parts):
                frame["numerator_value"] = [p[0] if p else None for p in parts]
                frame["denominator_value"] = [p[1] if p else None for p in parts]
            acts = demo.activities[
                (demo.activities["theme"] == theme_key) & (demo.activities["period"] == quarter)
            ]
            meta = ReturnMeta(
                spec.PARTNERSHIP["partnership_code"], spec.PARTNERSHIP["name"], theme_name, quarter
            )
            slug = short.lower().replace(" ", "-")
            name = f"{quarter.replace('/', '-').replace(' ', '_')}_{slug}.xlsx"
            history = [periods.shift(quarter, -k) for k in range(4, 0, -1)]
            returns.append(
                write_return_template(out_dir / "returns" / name, meta, frame, history, acts)
            )
            if (theme_key, quarter) == spec.CORRECTED_RETURN:
                first = frame.copy()
                # the first version went out with a typing slip, corrected a week later
                first.loc[0, "actual_value"] = first.loc[0, "actual_value"] * 10
                first.loc[0, "dq_flag"] = "provisional"
                early = out_dir / "returns" / name.replace(".xlsx", "_first-submission.xlsx")
                write_return_template(early, meta, first, history, acts)
                returns.insert(len(returns) - 1, early)
    return framework, returns


def _received_dates(return_paths: list[Path], seed: int) -> dict[str, date]:
    """When each return arrived: three to seven weeks after its quarter ended (a few late
    against the six-week deadline); a correction a week after the first submission."""
    rng = np.random.default_rng(seed + 1)
    received = {}
    for path in return_paths:
        quarter = path.name[:10].replace("-", "/", 1).replace("_", " ")
        received[path.name] = periods.parse_code(quarter).end + timedelta(
            days=int(rng.integers(21, 50))
        )
    for name in list(received):
        if name.endswith("_first-submission.xlsx"):
            received[name.replace("_first-submission", "")] = received[name] + timedelta(days=7)
    return received


def build_demo(path: str | Path | None = None, seed: int = SEED) -> dict[str, int]:
    """Make the demo warehouse at ``path`` (default: the warehouse) from its own files,
    through the same intake and commit as a user's returns."""
    file = warehouse_path(path)
    out_dir = file.parent / "raw" / "demo"
    user = cli_user()
    init_warehouse(file, user=user)
    demo = generate(seed)
    framework_path, return_paths = write_files(demo, out_dir)
    counts = import_framework(read_framework(framework_path), file, user=user)
    partnership_id = int(queries.partnerships(file).query("indicators > 0")["partnership_id"][0])
    context = queries.intake_context(file, partnership_id)
    close_readers(file)
    intakes = [intake_file(p, context) for p in return_paths]
    results = commit_returns(
        intakes, file, user=user, received_on=_received_dates(return_paths, seed), accept=True
    )
    counts["returns"] = len(results)
    counts["values"] = sum(r.rows_new + r.rows_changed for r in results)
    counts["accounts"] = add_demo_accounts(file, user)
    from analytics.demo.collection import set_up_collection

    counts.update(set_up_collection(file, partnership_id, user))
    counts.update(demo_scrutiny.load_scrutiny(file, partnership_id, out_dir))
    from analytics.demo.publication import publish_demo

    counts.update(publish_demo(file, partnership_id))
    counts.update(build_county(file, out_dir, demo, user))
    counts["accounts"] += add_county_accounts(file, user)
    return counts


def add_demo_accounts(path: str | Path, user) -> int:
    """One account per role (:data:`spec.DEMO_ACCOUNTS`), all with :data:`spec.DEMO_PASSWORD`; the
    administrator for every partnership, the others for the demo partnership. They go in the
    warehouse's accounts store (an account it already has is left as it is)."""
    from analytics.warehouse.accounts import add_account, find_account

    for email, name, role, themes in spec.DEMO_ACCOUNTS:
        if find_account(path, email) is not None:
            continue
        add_account(
            path, email, name, role, user=user, themes=themes, password=spec.DEMO_PASSWORD,
            partnership=None if role == "admin" else spec.PARTNERSHIP["partnership_code"],
        )  # fmt: skip
    return len(spec.DEMO_ACCOUNTS)


def add_county_accounts(path: str | Path, user) -> int:
    """The county's and a district's officers (:data:`county_spec.COUNTY_ACCOUNTS`), with
    the demo password."""
    from analytics.demo.county_spec import COUNTY_ACCOUNTS
    from analytics.warehouse.accounts import add_account, find_account

    for email, name, role, code in COUNTY_ACCOUNTS:
        if find_account(path, email) is None:
            add_account(path, email, name, role, user=user, password=spec.DEMO_PASSWORD,
                        partnership=code)  # fmt: skip
    return len(COUNTY_ACCOUNTS)
