"""Tables as the Board reads them: words for codes, numbers in their units (pure pandas)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics import board, labels
from analytics.formatting import format_number
from analytics.status.spc_words import spc_assurance_text, spc_variation_text, spc_verdict
from analytics.vocabulary import LAA_STATUS_TABLE


def _fmt(values: pd.Series, units: pd.Series, decimals: pd.Series) -> list[str]:
    return [format_number(v, u, d) for v, u, d in zip(values, units, decimals, strict=True)]


def laa_flag(frame: pd.DataFrame) -> pd.Series:
    """'LAA', 'LAA reward', 'LAA statutory' or '' beside the code."""
    words = {s.code: s.flag for s in LAA_STATUS_TABLE}
    return frame["laa_status"].map(words).fillna("")


def exception_report(statuses: pd.DataFrame) -> pd.DataFrame:
    """The columns of a real exception report, one row per indicator given."""
    if statuses.empty:
        return pd.DataFrame(columns=list(EXCEPTION_COLUMNS))
    s = statuses
    baseline = [
        format_number(v, u, d) + (f" ({p})" if isinstance(p, str) and p else "")
        for v, u, d, p in zip(
            s["baseline_value"], s["unit"], s["decimals"], s["baseline_period"], strict=True
        )
    ]
    return (
        pd.DataFrame(
            {
                "Theme": s["theme_short"],
                "Code": s["code"],
                "LAA": laa_flag(s),
                "Indicator": s["title"],
                "Lead": s["lead_partner"].fillna(""),
                "Baseline": baseline,
                "Period": s["period"].astype(str),
                "Target (period)": _fmt(s["target_value"], s["unit"], s["decimals"]),
                "Actual (period)": _fmt(s["actual_value"], s["unit"], s["decimals"]),
                "Year to date": _fmt(s["ytd_value"], s["unit"], s["decimals"]),
                "Annual target": _fmt(s["annual_target_value"], s["unit"], s["decimals"]),
                "Status": s["rag_status"].astype(str).map(labels.status_label),
                "Why": s["rag_reason"],
                "vs last period": s["dot_previous"].map(labels.direction_label),
                "vs last year": s["dot_last_year"].map(labels.direction_label),
                "Periods off target": s["persistence_periods"].fillna(0).astype(int),
                "County": _fmt(s["county_value"], s["unit"], s["decimals"]),
                "England": _fmt(s["england_value"], s["unit"], s["decimals"]),
                "Commentary": s["commentary"].fillna(""),
                "Remedial action": s["remedial_action"].fillna(""),
                "Data quality": s["dq_flag"].fillna("").replace("ok", ""),
                **spc_columns(s),
            }
        )
        .reindex(columns=list(EXCEPTION_COLUMNS))
        .reset_index(drop=True)
    )


def spc_columns(s: pd.DataFrame) -> dict[str, list[str]]:
    """The SPC reading as the Board reads it: is the change real (a verdict), the variation
    and assurance as symbol and words, and the sentence."""
    variation = s["spc_variation"] if "spc_variation" in s else pd.Series("", index=s.index)
    assurance = s["spc_assurance"] if "spc_assurance" in s else pd.Series("", index=s.index)
    reason = s["spc_reason"] if "spc_reason" in s else pd.Series("", index=s.index)
    return {
        "Is it real?": [spc_verdict(v, a) for v, a in zip(variation, assurance, strict=True)],
        "Variation": [spc_variation_text(v) for v in variation],
        "Assurance": [spc_assurance_text(a) for a in assurance],
        "SPC reading": reason.fillna("").astype(str).tolist(),
    }


# Commentary and remedial action straight after the status, so they start within the first
# screen width (at 1280 px) instead of off the right edge (figures with their units, such as
# "0.76 rate per 1,000 population", take a column as wide as the title); the rest follows.
EXCEPTION_COLUMNS = (
    "Theme", "Code", "LAA", "Indicator", "Status", "Commentary", "Remedial action",
    "Actual (period)", "Target (period)", "Why", "Is it real?", "Variation", "Assurance",
    "SPC reading", "vs last period", "vs last year",
    "Periods off target", "Period", "Year to date", "Annual target", "Lead", "Baseline",
    "County", "England", "Data quality",
)  # fmt: skip


def counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Status counts with the status words as column headings."""
    renamed = counts.rename(columns={**labels.STATUS, "total": "Total"})
    return renamed.reset_index().rename(columns={"theme": "Theme group"})


def changes_table(changes: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """What changed since the last Board, in words."""
    if changes.empty:
        return pd.DataFrame(columns=["Change", "Code", "Indicator", "Theme", "Was", "Now"])
    meta = statuses.set_index("indicator_id")[["code", "title", "theme_short"]]
    joined = changes.join(meta, on="indicator_id")
    return pd.DataFrame(
        {
            "Change": joined["change"].astype(str).map(labels.CHANGE),
            "Code": joined["code"],
            "Indicator": joined["title"],
            "Theme": joined["theme_short"],
            "Was": joined["rag_status_before"].astype(str).map(labels.status_label),
            "Now": joined["rag_status_after"].astype(str).map(labels.status_label),
        }
    ).reset_index(drop=True)


def history_table(history: pd.DataFrame, unit: str, decimals: int) -> pd.DataFrame:
    """An indicator's full story, newest first."""
    h = history.iloc[::-1]
    units = pd.Series(unit, index=h.index)
    decs = pd.Series(decimals, index=h.index)
    return pd.DataFrame(
        {
            "Period": h["period"].astype(str),
            "Actual": _fmt(h["actual_value"], units, decs),
            "Target": _fmt(h["target_value"], units, decs),
            "Status": h["rag_status"].astype(str).map(labels.status_label),
            "Commentary": h["commentary"].fillna(""),
            "Remedial action": h["remedial_action"].fillna(""),
            "Why": h["rag_reason"],
            "vs last period": h["dot_previous"].map(labels.direction_label),
            "vs last year": h["dot_last_year"].map(labels.direction_label),
            "Data quality": h["dq_flag"].fillna(""),
            "Return": h["return_file"].fillna(""),
        }
    ).reset_index(drop=True)


TARGET_COLUMNS = {
    "financial_year": "Year",
    "version": "Version",
    "target_value": "Annual target",
    "q1_value": "Q1",
    "q2_value": "Q2",
    "q3_value": "Q3",
    "q4_value": "Q4",
    "is_placeholder": "Placeholder",
    "provenance": "From",
    "set_on": "Set on",
    "reason": "Reason",
}
LOAD_COLUMNS = {
    "period": "Period",
    "actual_value": "Value",
    "is_current": "In force",
    "dq_flag": "DQ",
    "commentary": "Commentary",
    "loaded_at": "Loaded",
    "return_file": "Return",
    "return_state": "Return state",
    "loaded_by": "By",
}


@dataclass
class FrameworkLists:
    """A framework's indicators as the pickers list them, in framework order."""

    codes: list[str]
    titles: dict[str, str]  # code: title
    by_theme: dict[str, list[str]]  # theme group: its codes


def framework_lists(framework: pd.DataFrame) -> FrameworkLists:
    """``framework`` (``queries.framework_indicators``) as codes, titles and codes by theme."""
    codes = framework["code"].tolist()
    by_theme: dict[str, list[str]] = {}
    for theme, code in zip(framework["theme"].tolist(), codes, strict=True):
        by_theme.setdefault(theme, []).append(code)
    titles = dict(zip(codes, framework["title"].tolist(), strict=True))
    return FrameworkLists(codes, titles, by_theme)


INTERVAL_LEVELS = {"95%": "95", "99.8%": "99_8"}  # as the reader picks it: the columns' name
INTERVAL_METHODS = {"wilson": "Wilson score", "byar": "Byar's method",
                    "exact_poisson": "exact Poisson"}  # fmt: skip


def intervals_tables(intervals: pd.DataFrame, unit: str, places: int) -> dict[str, pd.DataFrame]:
    """An indicator's confidence intervals (``status.ratios.interval_table``), newest first, at
    each level of :data:`INTERVAL_LEVELS`: value, interval, numerator and denominator, method,
    and the comparison with the target, the county and England in words; none without
    intervals."""
    from analytics.status.intervals import COMPARISONS

    if intervals is None or intervals.empty:
        return {}

    def word(code: str) -> str:
        label, symbol = COMPARISONS.get(code, ("–", ""))
        return f"{symbol} {label}".strip()

    def table(level: str, name: str) -> pd.DataFrame:
        return pd.DataFrame({
            "Period": intervals["period"],
            "Value": [format_number(v, unit, places) for v in intervals["ci_value"]],
            f"{level} interval": [
                f"{format_number(lo, unit, places)} to {format_number(hi, unit, places)}"
                for lo, hi in zip(intervals[f"ci_lower_{name}"], intervals[f"ci_upper_{name}"],
                                  strict=True)],
            "Numerator / denominator": [f"{n:,.0f} / {d:,.0f}" for n, d in
                                        zip(intervals["numerator"], intervals["denominator"],
                                            strict=True)],
            "Method": intervals["ci_method"].map(INTERVAL_METHODS).fillna("–"),
            "Against target": intervals[f"vs_target_{name}"].map(word),
            "Against county": intervals[f"vs_county_{name}"].map(word),
            "Against England": intervals[f"vs_england_{name}"].map(word),
        }).iloc[::-1]  # fmt: skip

    return {level: table(level, name) for level, name in INTERVAL_LEVELS.items()}


def indicator_tables(data: dict) -> dict:
    """The Indicator page's tables from ``page_data.indicator``: its history in words
    (``history``), its targets and their versions (``targets``: the columns with a value),
    every value loaded with the return it came from (``loads``), and its confidence
    intervals at each level (``intervals``: :func:`intervals_tables`)."""
    meta = data["detail"].iloc[0]
    unit, places = meta["unit"] or "", int(meta["decimals"])
    return {
        "intervals": intervals_tables(data["intervals"], unit, places),
        "history": history_table(data["history"], meta["unit"], int(meta["decimals"])),
        "targets": data["targets"].dropna(axis="columns", how="all").rename(
            columns=TARGET_COLUMNS),
        "loads": data["loads"].rename(columns=LOAD_COLUMNS),
    }  # fmt: skip


def actions_table(actions: pd.DataFrame) -> pd.DataFrame:
    """Milestones with their status in words, worst first."""
    order = {s: i for i, s in enumerate(("red", "amber", "reprogrammed", "green", "completed"))}
    a = actions.assign(_o=actions["milestone_status"].astype(str).map(order)).sort_values(
        ["theme_order", "_o", "action_code", "due_date"]
    )
    return pd.DataFrame(
        {
            "Theme": a["theme"],
            "Action": a["action_code"] + " " + a["action_title"],
            "Milestone": a["milestone_title"],
            "Lead partner": a["lead_partner"].fillna(""),
            "Due": pd.to_datetime(a["due_date"]).dt.strftime("%d %b %Y"),
            "Completed": pd.to_datetime(a["completed_on"]).dt.strftime("%d %b %Y").fillna(""),
            "Status": a["milestone_status"].astype(str).map(labels.ACTION_STATUS),
            "Why": a["milestone_reason"],
            "Progress": a["progress_note"].fillna(""),
        }
    )[ACTION_COLUMNS].reset_index(drop=True)


ACTION_COLUMNS = ["Action", "Milestone", "Status", "Due", "Completed", "Why", "Lead partner",
                  "Progress", "Theme"]  # fmt: skip


@dataclass
class ExceptionsView:
    """The Exceptions page's report for the filters chosen, as the page draws it."""

    indicators: int  # how many indicators the period has (exceptions or not)
    table: pd.DataFrame  # the exception report: a row per exception shown (every column)
    by_theme: list[tuple[str, list[dict]]]  # its rows as dicts, by theme in report order
    warnings: pd.DataFrame  # the early warnings (green, concerning) of the themes chosen
    activities: list[tuple[str, list[tuple]]]  # positive activities of the themes chosen:
    # (theme, [(title, description), ...]) in the order reported


def exceptions_view(
    statuses: pd.DataFrame,
    activities: pd.DataFrame,
    chosen: list[str],
    themes: list[str],
    laa_only: bool,
) -> ExceptionsView:
    """The exceptions among ``statuses`` (every indicator's status) in the statuses
    ``chosen`` (codes), of the ``themes`` picked (none picked: every theme), LAA indicators
    only or not; the early warnings and the positive ``activities`` of the same themes."""
    shown = board.exceptions(statuses)
    shown = shown[shown["rag_status"].isin(chosen)]
    if themes:
        shown = shown[shown["theme"].isin(themes)]
    if laa_only:
        shown = shown[shown["is_laa"]]
    table = exception_report(shown)
    by_theme: dict[str, list[dict]] = {}  # rows as dicts: one conversion, not per row
    for exception in table.to_dict("records"):
        by_theme.setdefault(exception["Theme"], []).append(exception)
    warnings = exception_report(board.early_warnings(statuses))
    if themes:
        short = statuses.loc[statuses["theme"].isin(themes), "theme_short"]
        warnings = warnings[warnings["Theme"].isin(short)]
    acts = activities if not themes else activities[activities["theme"].isin(themes)]
    reported = [(theme, list(zip(part["title"], part["description"], strict=True)))
                for theme, part in acts.groupby("theme", sort=False)]  # fmt: skip
    return ExceptionsView(len(statuses), table, list(by_theme.items()), warnings, reported)


@dataclass
class OverviewView:
    """The Overview page's figures for a period, worked out from ``page_data.Overview``: what
    the page draws, without the statuses of every indicator it was counted from."""

    period: str
    board_date: object  # date | None: the Board that sees the period
    last_board_date: object  # date | None
    last_board_period: str | None
    counts: pd.DataFrame  # a row per theme group, a column per status, and the total
    by_theme: pd.DataFrame  # the same counts by the theme groups' short names (the bars)
    bars_sentence: str  # the bars in words
    laa_counts: pd.DataFrame  # the LAA indicators' counts (empty: none in the framework)
    missing_returns: list[str]  # theme groups without a return for the period
    overdue_red: int  # milestones overdue, red and amber
    overdue_amber: int
    spc_variations: dict[str, int]  # SPC variation code: indicators (present ones only)
    spc_assurances: dict[str, int]
    early_warnings: list[tuple[str, str]]  # (code, title): green, special cause of concern
    counts_table: pd.DataFrame  # ``counts_table``
    theme_ids: dict[str, int]  # theme group: its id, in report order
    changes: pd.DataFrame  # ``changes_table``: what changed since the last Board
    change_labels: dict[str, str]  # a changed indicator's code: "code: title"


def overview_view(data) -> OverviewView:
    """What the Overview page shows for ``data`` (a ``page_data.Overview``)."""
    from analytics.charts import text as chart_text
    from analytics.status.spc_words import SPC_ASSURANCES, SPC_VARIATIONS

    statuses = data.statuses
    themes = statuses.drop_duplicates("theme").set_index("theme")
    by_theme = data.counts.rename(index=themes["theme_short"])
    overdue = data.overdue
    red = int((overdue["milestone_status"].astype(str) == "red").sum())
    variation = statuses["spc_variation"].fillna("").astype(str)
    assurance = statuses["spc_assurance"].fillna("").astype(str)
    warnings = board.early_warnings(statuses)
    changes = changes_table(data.changes, statuses)
    return OverviewView(
        period=data.period,
        board_date=data.board_date,
        last_board_date=data.last_board_date,
        last_board_period=data.last_board_period,
        counts=data.counts,
        by_theme=by_theme,
        bars_sentence=chart_text.status_bars_sentence(by_theme, data.period),
        laa_counts=data.laa_counts,
        missing_returns=data.missing_returns["theme"].tolist(),
        overdue_red=red,
        overdue_amber=len(overdue) - red,
        spc_variations={
            code: int((variation == code).sum())
            for code in SPC_VARIATIONS
            if (variation == code).any()
        },  # fmt: skip
        spc_assurances={
            code: int((assurance == code).sum())
            for code in SPC_ASSURANCES
            if (assurance == code).any()
        },  # fmt: skip
        early_warnings=list(zip(warnings["code"], warnings["title"], strict=True)),
        counts_table=counts_table(data.counts),
        theme_ids={theme: int(i) for theme, i in themes["theme_id"].items()},
        changes=changes,
        change_labels=dict(
            zip(changes["Code"], changes["Code"] + ": " + changes["Indicator"], strict=True)
        ),  # fmt: skip
    )
