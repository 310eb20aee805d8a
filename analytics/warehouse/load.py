"""The National Indicator catalogue and framework workbooks into the warehouse.

Both writes go through :func:`analytics.warehouse.write.write`: one transaction, so a failure
anywhere rolls the whole load back and the warehouse is either as it was before or fully
updated, checked against the acting user's permission and audited as them.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from analytics import periods
from analytics.access import User
from analytics.framework.read import Framework, normalise_code
from analytics.framework.spec import INDICATOR_DEFAULTS, SHEETS_BY_NAME
from analytics.messages import FileRejected, Message, cell_ref
from analytics.warehouse import county_framework
from analytics.warehouse.connection import first_row
from analytics.warehouse.scrutiny import save_review_dates
from analytics.warehouse.status_store import store_statuses
from analytics.warehouse.write import SOMEWHERE, write

# --- Catalogue ---------------------------------------------------------------------------


def catalogue_frame(csv_path: str | Path | None = None) -> pd.DataFrame:
    """The National Indicator catalogue shipped with the package (analytics/reference/)."""
    if csv_path is None:
        csv_path = reference_path("national_indicators.csv")
    raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "code": raw["code"].map(normalise_code),
            "parent_code": None,
            "title": raw["title"].str.strip(),
            "polarity": raw["polarity"].replace("", "none"),
            "unit": raw["unit"].replace("", None),
            "in_final_set": raw["in_final_set"].eq("yes"),
            "title_checked": raw["title_checked"].eq("yes"),
        }
    )


def reference_path(name: str) -> Path:
    """A reference file shipped inside the package (``analytics/reference/``): found the same
    from a checkout, an editable install or a wheel installed anywhere."""
    return Path(str(resources.files("analytics") / "reference" / name))


def _load_catalogue(con: duckdb.DuckDBPyConnection) -> int:
    if first_row(con.execute("SELECT count(*) FROM catalogue_indicator"))[0]:
        return 0
    frame = catalogue_frame()
    con.register("catalogue_in", frame)
    con.execute(
        "INSERT INTO catalogue_indicator (code, parent_code, title, polarity, unit, "
        "in_final_set, title_checked) SELECT code, parent_code, title, polarity, unit, "
        "in_final_set, title_checked FROM catalogue_in"
    )
    con.unregister("catalogue_in")
    return len(frame)


def init_warehouse(path: str | Path | None = None, *, user: User) -> int:
    """Create (or upgrade) the warehouse and load the catalogue; return indicators loaded.

    Only someone who may load frameworks for every partnership (``lsp`` on the server)."""
    with write(path, user, "framework.import", None) as tx:
        loaded = _load_catalogue(tx.con)
        if loaded:
            tx.audit("load", "catalogue", None, {"indicators": loaded})
    return loaded


# --- Framework ---------------------------------------------------------------------------


def _error(fw: Framework, sheet: str, row: int, column: str, value, text: str, fix: str):
    col = [c.name for c in SHEETS_BY_NAME[sheet].columns].index(column)
    return Message("error", fw.file_name, sheet, cell_ref(row - 1, col), value, text, fix)


DEFAULT_PARTNERSHIP = ("LSP", "Local Strategic Partnership", "district")


def _default_partnership(con: duckdb.DuckDBPyConnection, fw: Framework) -> int:
    """A workbook with no Partnership sheet loaded into a new warehouse: a default
    partnership, and a warning on the framework saying so."""
    code, name, tier = DEFAULT_PARTNERSHIP
    fw.messages.append(
        Message(
            "warning",
            fw.file_name,
            "Partnership",
            None,
            None,
            f"the workbook has no Partnership sheet; the framework was loaded for a default "
            f"partnership {name!r} (code {code}, {tier})",
            "To name it, add a Partnership sheet (partnership_code, name, tier) with the code "
            f"{code} and load the workbook again.",
        )
    )
    return first_row(
        con.execute(
            "INSERT INTO partnership (partnership_code, name, tier) VALUES (?, ?, ?)"
            " RETURNING partnership_id",
            [code, name, tier],
        )
    )[0]


def _partnership_id(con: duckdb.DuckDBPyConnection, fw: Framework) -> int:
    sheet = fw.get("Partnership")
    if sheet is None or sheet.empty:
        rows = con.execute(
            "SELECT partnership_id FROM partnership WHERE partnership_id NOT IN "
            "(SELECT parent_id FROM partnership WHERE parent_id IS NOT NULL)"
        ).fetchall()
        if len(rows) == 1:
            return rows[0][0]
        if not rows:  # a new warehouse: the framework is the first partnership's
            return _default_partnership(con, fw)
        raise FileRejected(
            [
                Message(
                    "error",
                    fw.file_name,
                    "Partnership",
                    "A2",
                    None,
                    "the workbook does not say which partnership it belongs to",
                    "Fill in the Partnership sheet (code, name, tier).",
                )
            ]
        )
    row = sheet.iloc[0]
    existing_id = county_framework.existing_partnership(con, fw, row)
    parent_id = county_framework.resolve_parent(con, fw, row, existing_id)
    existing = None if existing_id is None else (existing_id,)
    _check_spc_settings(fw, "Partnership", [row.to_dict()])
    values = [
        row["name"],
        row["tier"],
        parent_id,
        row["area_name"],
        _py(row.get("reward_grant_total")),
        _py(row.get("spc_run_length")),
        _py(row.get("spc_screening")),
        _py(row.get("spc_fix_after_points")),
        _py(row.get("reward_threshold_pct")),
        _py(row.get("reward_capital_pct")),
    ]
    if existing:
        con.execute(
            "UPDATE partnership SET name = ?, tier = ?, parent_id = ?, area_name = ?, "
            "reward_grant_total = ?, spc_run_length = ?, spc_screen_outliers = ?, "
            "spc_fix_after_points = ?, reward_threshold_pct = ?, reward_capital_pct = ? "
            "WHERE partnership_id = ?",
            [*values, existing[0]],
        )
        partnership_id = existing[0]
    else:
        partnership_id = first_row(
            con.execute(
                "INSERT INTO partnership (partnership_code, name, tier, parent_id, area_name, "
                "reward_grant_total, spc_run_length, spc_screen_outliers, spc_fix_after_points,"
                " reward_threshold_pct, reward_capital_pct) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING partnership_id",
                [row["partnership_code"], *values],
            )
        )[0]
    county_framework.record_parent(con, partnership_id, parent_id, bool(row["parent_name"]))
    return partnership_id


def _check_spc_settings(fw: Framework, sheet: str, records: list[dict]) -> None:
    """SPC settings a row gives: a run of 6 or 7; limits fixed after at least 12 points."""
    problems = []
    for rec in records:
        run, fix = rec.get("spc_run_length"), rec.get("spc_fix_after_points")
        row = int(rec.get("_row") or 2)
        if run is not None and not pd.isna(run) and int(run) not in (6, 7):
            problems.append(
                _error(fw, sheet, row, "spc_run_length", run,
                       "a trend or shift is a run of 6 or 7 points",
                       "Type 7 (Making Data Count's rule) or 6 (its Excel tool's), or leave "
                       "it blank.")
            )  # fmt: skip
        if fix is not None and not pd.isna(fix) and int(fix) < 12:
            problems.append(
                _error(fw, sheet, row, "spc_fix_after_points", fix,
                       "limits from fewer than 12 points are only trial limits",
                       "Type 12 or more, or leave it blank to use every point.")
            )  # fmt: skip
    if problems:
        raise FileRejected(problems)


def _upsert_themes(con, partnership_id: int, themes: pd.DataFrame) -> dict[str, int]:
    for order, row in enumerate(themes.itertuples(index=False)):
        con.execute(
            "INSERT INTO theme (partnership_id, name, short_name, chair, lead_officer, "
            "contact_email, chair_email, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (partnership_id, name) DO UPDATE SET short_name = excluded.short_name, "
            "chair = excluded.chair, lead_officer = excluded.lead_officer, "
            "contact_email = excluded.contact_email, chair_email = excluded.chair_email, "
            "sort_order = excluded.sort_order",
            [
                partnership_id,
                row.theme,
                row.short_name,
                row.chair,
                row.lead_officer,
                row.contact_email,
                getattr(row, "chair_email", None),
                order,
            ],
        )
    return dict(
        con.execute(
            "SELECT name, theme_id FROM theme WHERE partnership_id = ?", [partnership_id]
        ).fetchall()
    )


def _resolve_indicators(con, fw: Framework, indicators: pd.DataFrame) -> pd.DataFrame:
    """Fill catalogue titles and polarity, defaults; reject local codes without a title."""
    catalogue = con.execute("SELECT code, title, polarity, unit FROM catalogue_indicator").df()
    by_code = catalogue.set_index("code")
    problems: list[Message] = []
    rows = []
    for rec in indicators.to_dict("records"):
        code = rec["code"]
        base = code.rstrip("abcdefghijklmnopqrstuvwxyz") if code.startswith("NI ") else None
        cat_code = code if code in by_code.index else (base if base in by_code.index else None)
        if code.startswith("NI ") and cat_code is None:
            problems.append(
                _error(
                    fw,
                    "Indicators",
                    rec["_row"],
                    "code",
                    code,
                    "this NI code is not in the National Indicator Set",
                    "Check the number (NI 1 to NI 199), or use a local code.",
                )
            )
            continue
        if cat_code is not None:
            cat = by_code.loc[cat_code]
            if not rec["title"]:
                rec["title"] = (
                    cat["title"]
                    if cat_code == code
                    else (f"{cat['title']} ({code[len(cat_code) :]})")
                )
            if not rec["polarity"]:
                rec["polarity"] = cat["polarity"] or "none"
            if not rec["unit"] and isinstance(cat["unit"], str):
                rec["unit"] = cat["unit"]
        if not rec["title"]:
            problems.append(
                _error(
                    fw,
                    "Indicators",
                    rec["_row"],
                    "title",
                    None,
                    "a local indicator needs a title",
                    "Type the indicator's title.",
                )
            )
            continue
        if not rec["polarity"]:
            problems.append(
                _error(
                    fw,
                    "Indicators",
                    rec["_row"],
                    "polarity",
                    None,
                    "a local indicator needs a polarity",
                    "Choose higher, lower or none (data only).",
                )
            )
            continue
        for key, default in INDICATOR_DEFAULTS.items():
            if rec.get(key) is None:
                rec[key] = default
        if rec["polarity"] == "none":
            rec["status_rule"] = "data_only"
        if rec["status_rule"] == "ideal_minimum" and rec["minimum_standard"] is None:
            problems.append(
                _error(
                    fw,
                    "Indicators",
                    rec["_row"],
                    "minimum_standard",
                    None,
                    "the ideal_minimum rule needs a minimum standard",
                    "Fill in minimum_standard, or choose another status_rule.",
                )
            )
        if rec["status_rule"] == "abs_tolerance" and rec["amber_tolerance_abs"] is None:
            problems.append(
                _error(
                    fw,
                    "Indicators",
                    rec["_row"],
                    "amber_tolerance_abs",
                    None,
                    "the abs_tolerance rule needs an amber band in units",
                    "Fill in amber_tolerance_abs, or choose another status_rule.",
                )
            )
        if rec["laa_status"] in {"designated", "statutory", "reward"}:
            rec["is_laa"] = True
        elif rec["is_laa"] and rec["laa_status"] == "local":
            rec["laa_status"] = "designated"
        if rec["survey_years"]:
            try:
                for fy in str(rec["survey_years"]).split(","):
                    periods.fy_start_year(fy.strip())
            except periods.PeriodError:
                problems.append(
                    _error(
                        fw,
                        "Indicators",
                        rec["_row"],
                        "survey_years",
                        rec["survey_years"],
                        "survey years are not years",
                        "List financial years, e.g. 2008/09,2010/11.",
                    )
                )
        rec["catalogue_code"] = cat_code
        rec["spc_screen_outliers"] = rec.get("spc_screening")
        rows.append(rec)
    if problems:
        raise FileRejected(problems)
    _check_spc_settings(fw, "Indicators", rows)
    return pd.DataFrame.from_records(rows)


_INDICATOR_COLUMNS = (
    "code",
    "catalogue_code",
    "title",
    "theme_id",
    "polarity",
    "unit",
    "decimals",
    "frequency",
    "measure_type",
    "laa_status",
    "is_laa",
    "is_reward",
    "data_source",
    "lead_partner",
    "lead_officer",
    "baseline_value",
    "baseline_period",
    "status_rule",
    "green_tolerance_pct",
    "amber_tolerance_pct",
    "amber_tolerance_abs",
    "minimum_standard",
    "dot_threshold",
    "survey_years",
    "spc_run_length",
    "spc_screen_outliers",
    "spc_fix_after_points",
    "ratio_type",
    "ratio_multiplier",
    "aggregation_rule",
    "reward_share_pct",
    "notes",
)


def _upsert_indicators(con, partnership_id: int, frame: pd.DataFrame, theme_ids) -> dict:
    frame = frame.assign(
        theme_id=frame["theme"].map(theme_ids),
        lead_partner=frame["lead"],
        is_reward=frame["laa_status"].eq("reward"),
    )
    cols = ", ".join(_INDICATOR_COLUMNS)
    marks = ", ".join("?" for _ in _INDICATOR_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in _INDICATOR_COLUMNS if c != "code")
    # column names come from the constant above; values go in as parameters
    sql = (
        f"INSERT INTO indicator (partnership_id, {cols}) VALUES (?, {marks}) "  # noqa: S608
        f"ON CONFLICT (partnership_id, code) DO UPDATE SET {updates}"
    )
    for rec in frame.to_dict("records"):
        con.execute(sql, [partnership_id, *[_py(rec[c]) for c in _INDICATOR_COLUMNS]])
    return dict(
        con.execute(
            "SELECT code, indicator_id FROM indicator WHERE partnership_id = ?", [partnership_id]
        ).fetchall()
    )


def _py(value):
    """pandas scalars to plain Python for DuckDB parameters (NaN -> None)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def _load_targets(con, targets: pd.DataFrame, indicator_ids: dict) -> int:
    added = 0
    value_cols = ["target_value", "q1", "q2", "q3", "q4", "is_placeholder",
                  "target_without_stretch"]  # fmt: skip
    targets = targets.assign(
        _set_on=targets["set_on"].map(lambda d: d or date.today()),
        is_placeholder=targets["is_placeholder"].fillna(False).astype(bool),
    ).sort_values(["code", "year", "_set_on", "_row"])
    for rec in targets.to_dict("records"):
        indicator_id = indicator_ids[rec["code"]]
        existing = con.execute(
            "SELECT version, target_value, q1_value, q2_value, q3_value, q4_value, "
            "is_placeholder, target_without_stretch, set_on FROM target WHERE indicator_id = ?"
            " AND financial_year = ? ORDER BY version",
            [indicator_id, rec["year"]],
        ).fetchall()
        new_values = tuple(_py(rec.get(c)) for c in value_cols)
        same = [
            row
            for row in existing
            if tuple(row[1:8]) == new_values and (rec["set_on"] is None or row[8] == rec["set_on"])
        ]
        if same:
            continue
        version = (existing[-1][0] + 1) if existing else 1
        reason = rec["reason"] or ("agreed" if version == 1 else "refreshed")
        con.execute(
            "INSERT INTO target (indicator_id, financial_year, version, target_value, q1_value, "
            "q2_value, q3_value, q4_value, is_placeholder, target_without_stretch, provenance, "
            "set_on, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                indicator_id,
                rec["year"],
                version,
                *new_values,
                "framework" if version == 1 else "refresh",
                rec["_set_on"],
                reason,
            ],
        )
        added += 1
    return added


def _load_actions(con, partnership_id, actions, milestones, theme_ids) -> tuple[int, int]:
    for rec in actions.to_dict("records"):
        con.execute(
            "INSERT INTO action (partnership_id, theme_id, action_code, title, indicator_code, "
            "lead_partner, lead_officer, start_date, due_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (partnership_id, action_code) DO UPDATE SET theme_id = excluded.theme_id,"
            " title = excluded.title, indicator_code = excluded.indicator_code, "
            "lead_partner = excluded.lead_partner, lead_officer = excluded.lead_officer, "
            "start_date = excluded.start_date, due_date = excluded.due_date",
            [
                partnership_id,
                theme_ids[rec["theme"]],
                rec["action_code"],
                rec["title"],
                rec["indicator_code"],
                rec["lead_partner"],
                rec["lead_officer"],
                rec["start_date"],
                rec["due_date"],
            ],
        )
    action_ids = dict(
        con.execute(
            "SELECT action_code, action_id FROM action WHERE partnership_id = ?", [partnership_id]
        ).fetchall()
    )
    count = 0
    if milestones is not None:
        for rec in milestones.to_dict("records"):
            con.execute(
                "INSERT INTO milestone (action_id, milestone_code, title, due_date, "
                "revised_due_date, completed_on, percent_complete, is_reprogrammed, "
                "progress_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (action_id, milestone_code) DO UPDATE SET title = excluded.title, "
                "due_date = excluded.due_date, revised_due_date = excluded.revised_due_date, "
                "completed_on = excluded.completed_on, "
                "percent_complete = excluded.percent_complete, "
                "is_reprogrammed = excluded.is_reprogrammed, "
                "progress_note = excluded.progress_note",
                [
                    action_ids[rec["action_code"]],
                    rec["milestone_code"],
                    rec["title"],
                    rec["due_date"],
                    rec["revised_due_date"],
                    rec["completed_on"],
                    _py(rec["percent_complete"]),
                    bool(rec["reprogrammed"]),
                    rec["progress_note"],
                ],
            )
            count += 1
    return len(actions), count


def _load_comparators(con, comparators: pd.DataFrame, indicator_ids: dict) -> int:
    for rec in comparators.to_dict("records"):
        con.execute(
            "INSERT INTO comparator (indicator_id, period, period_end, comparator, "
            "comparator_value, source) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (indicator_id, period, comparator) DO UPDATE SET "
            "comparator_value = excluded.comparator_value, source = excluded.source",
            [
                indicator_ids[rec["code"]],
                rec["period"],
                periods.parse_code(rec["period"]).end,
                rec["comparator"],
                rec["value"],
                rec["source"],
            ],
        )
    return len(comparators)


def _load_rebases(con, fw: Framework, rebases: pd.DataFrame, indicator_ids: dict) -> int:
    """The "SPC rebases" sheet: each named indicator's rebases replaced by the sheet's."""
    problems = []
    rows = []
    for rec in rebases.to_dict("records"):
        ind = indicator_ids.get(rec["code"])
        if ind is None:
            problems.append(
                _error(fw, "SPC rebases", rec["_row"], "code", rec["code"],
                       "this indicator code is not in the framework",
                       "Add the indicator to the Indicators sheet, or correct the code.")
            )  # fmt: skip
            continue
        rows.append((ind, rec["period"], periods.parse_code(rec["period"]).end, rec["reason"]))
    if problems:
        raise FileRejected(problems)
    for ind in {r[0] for r in rows}:
        con.execute("DELETE FROM spc_rebase WHERE indicator_id = ?", [ind])
    for row in rows:
        con.execute(
            "INSERT INTO spc_rebase (indicator_id, period, period_end, reason) VALUES (?, ?, ?, ?)",
            list(row),
        )
    return len(rows)


def _load_board_dates(con, partnership_id: int, meetings: pd.DataFrame) -> int:
    for rec in meetings.to_dict("records"):
        con.execute(
            "INSERT INTO board_meeting (partnership_id, meeting_date, title) VALUES (?, ?, ?) "
            "ON CONFLICT (partnership_id, meeting_date) DO UPDATE SET title = excluded.title",
            [partnership_id, rec["meeting_date"], rec["title"] or "Partnership Board"],
        )
    return len(meetings)


# Counts of the county sheets, reported only when the workbook had any.
_COUNTY_COUNTS = ("districts", "populations", "contributions")


def import_framework(
    fw: Framework, path: str | Path | None = None, *, user: User
) -> dict[str, int]:
    """Load a read framework workbook in one transaction; return counts of what it held.

    ``user`` must be allowed ``framework.import`` in the workbook's partnership (a new
    partnership: in every partnership)."""
    with write(path, user, "framework.import", SOMEWHERE) as tx:
        con = tx.con
        _load_catalogue(con)
        partnership_id = _partnership_id(con, fw)
        tx.require("framework.import", partnership_id)
        themes = fw.get("Themes")
        theme_ids = _upsert_themes(con, partnership_id, themes)
        indicators = _resolve_indicators(con, fw, fw.get("Indicators"))
        indicator_ids = _upsert_indicators(con, partnership_id, indicators, theme_ids)
        counts = {"themes": len(themes), "indicators": len(indicators)}
        targets = fw.get("Targets")
        counts["target_versions_added"] = (
            0 if targets is None else _load_targets(con, targets, indicator_ids)
        )
        actions = fw.get("Actions")
        if actions is not None:
            counts["actions"], counts["milestones"] = _load_actions(
                con, partnership_id, actions, fw.get("Milestones"), theme_ids
            )
        comparators = fw.get("Comparators")
        if comparators is not None:
            counts["comparators"] = _load_comparators(con, comparators, indicator_ids)
        rebases = fw.get("SPC rebases")
        if rebases is not None and not rebases.empty:
            counts["spc_rebases"] = _load_rebases(con, fw, rebases, indicator_ids)
        code = first_row(
            con.execute(
                "SELECT partnership_code FROM partnership WHERE partnership_id = ?",
                [partnership_id],
            )
        )[0]
        counts["districts"] = county_framework.load_districts(con, fw, partnership_id)
        counts["populations"] = county_framework.load_populations(con, fw, partnership_id, code)
        counts["contributions"] = county_framework.load_contributions(
            con, fw, partnership_id, indicator_ids
        )
        counts.update(county_framework.load_reward(con, fw, partnership_id, indicator_ids))
        counts = {k: v for k, v in counts.items() if v or k not in _COUNTY_COUNTS}
        meetings = fw.get("Board dates")
        if meetings is not None:
            counts["board_dates"] = _load_board_dates(con, partnership_id, meetings)
        reviews = fw.get("Review dates")
        if reviews is not None:
            counts["review_dates"] = save_review_dates(
                con, partnership_id, zip(reviews["meeting_date"], reviews["title"], strict=True)
            )
        store_statuses(con, partnership_id)
        tx.audit("import", "framework", fw.file_name, {**counts, "partnership_id": partnership_id})
    return counts
