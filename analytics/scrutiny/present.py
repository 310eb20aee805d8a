"""The review and the tracker as tables a councillor reads (pure): plain columns with
readable headings; status columns hold codes, named in :data:`STATUS_COLUMNS` with their
scheme, so the page shows their words and the reports shade them."""

from __future__ import annotations

import pandas as pd

from analytics import labels
from analytics import vocabulary as V
from analytics.formatting import format_day, format_number
from analytics.scrutiny.review import Review, beyond_normal_variation, remedial_action_followed

# column heading -> status scheme (rag, action, recommendation, response)
STATUS_COLUMNS = {
    "Status": "rag", "Status then": "rag", "Status now": "rag", "Forecast status": "rag",
    "Milestone status": "action", "RAG": "recommendation", "Response": "response",
}  # fmt: skip
SCHEME_WORDS = {
    "rag": labels.STATUS,
    "action": labels.ACTION_STATUS,
    "recommendation": labels.RECOMMENDATION_RAG,
    "response": labels.RESPONSE,
}


def words(frame: pd.DataFrame) -> pd.DataFrame:
    """Status codes replaced by their words and symbols (for the page)."""
    out = frame.copy()
    for column, scheme in STATUS_COLUMNS.items():
        if column in out:
            out[column] = out[column].map(
                lambda v, w=SCHEME_WORDS[scheme]: w.get(v, "–") if isinstance(v, str) else "–"
            )
    return out


def _fig(value, row) -> str:
    decimals = 1 if pd.isna(row.get("decimals")) else int(row["decimals"])
    return format_number(value, row.get("unit"), decimals)


def picture_table(review: Review) -> pd.DataFrame:
    """One row per theme: each status's count at the end, the start and a year earlier
    ('5 · 3 · 4'), the total."""
    pic = review.picture
    if pic.empty:
        return pd.DataFrame(columns=["Theme group"])
    first, second, third = review.snapshot_labels
    rows = []
    for theme, part in pic.groupby("theme", sort=False):
        by = part.set_index("snapshot")
        row = {"Theme group": theme}
        for status in V.STATUS_ORDER:
            for label, name in ((first, "now"), (second, "start"), (third, "year ago")):
                row[f"{labels.STATUS[status]} ({name})"] = (
                    int(by.at[label, status]) if label in by.index else None
                )
        row["Indicators"] = int(part["total"].max())
        rows.append(row)
    out = pd.DataFrame(rows)
    keep = ["Theme group"] + [c for c in out.columns[1:-1] if out[c].fillna(0).any()]
    return out[[*keep, "Indicators"]]


def movers_table(review: Review) -> pd.DataFrame:
    m = review.movers
    return pd.DataFrame({
        "Moved": m["direction"].map({"improved": "▲ Improved", "worsened": "▼ Worsened"}),
        "Theme group": m["theme"], "Code": m["code"], "Indicator": m["title"],
        "Then": m["period_before"], "Status then": m["rag_status_before"].astype(object),
        "Now": m["period_after"], "Status now": m["rag_status_after"].astype(object),
        "Why then": m["reason_before"], "Why now": m["rag_reason"],
        "Beyond normal variation?": [beyond_normal_variation(p, v) for p, v in
                                     zip(m["spc_point"], m["spc_variation"], strict=True)],
        "SPC reading": m["spc_reason"].fillna(""),
    })  # fmt: skip


def persistent_table(review: Review) -> pd.DataFrame:
    p = review.persistent
    runs = review.runs
    return pd.DataFrame({
        "Code": p["code"], "Indicator": p["title"], "Theme group": p["theme"],
        "Status": p["rag_status"].astype(object),
        "Quarters off target": p["persistence_periods"].astype(int),
        "Since": [runs[c]["period"].iloc[0] if c in runs else "–" for c in p["code"]],
        "Remedial action": [remedial_action_followed(runs[c]) if c in runs
                            else remedial_action_followed(review.persistent_history.head(0))
                            for c in p["code"]],
    })  # fmt: skip


def run_table(review: Review, code: str, last: int | None = None) -> pd.DataFrame:
    """One persistent exception's run, quarter by quarter (the last ``last`` quarters)."""
    run = review.runs.get(code, review.persistent_history.head(0))
    if last:
        run = run.tail(last)
    row = review.end_by_code.loc[code]
    return pd.DataFrame({
        "Quarter": run["period"], "Status": run["rag_status"].astype(object),
        "Actual": [_fig(v, row) for v in run["actual_value"]],
        "Target": [_fig(v, row) for v in run["target_value"]],
        "Commentary": run["commentary"].fillna("–"),
        "Remedial action": run["remedial_action"].fillna("– none reported"),
    })  # fmt: skip


def run_tables(review: Review) -> dict[str, pd.DataFrame]:
    """Every persistent exception's run as :func:`run_table` gives it, made in one pass over
    the history (a frame each cost 5 ms, for a hundred exceptions at national scale)."""
    runs = review.persistent_history
    if runs.empty:
        return {}
    meta = review.end_by_code[["unit", "decimals"]]
    units = [str(u or "") if not pd.isna(u) else "" for u in meta["unit"].reindex(runs["code"])]
    places = [1 if pd.isna(d) else int(d) for d in meta["decimals"].reindex(runs["code"])]

    def figures(column: str) -> list[str]:
        return [format_number(v, u, d)
                for v, d, u in zip(runs[column].tolist(), places, units, strict=True)]  # fmt: skip

    table = pd.DataFrame({
        "code": runs["code"].astype(str).to_numpy(),
        "Quarter": runs["period"].to_numpy(), "Status": runs["rag_status"].astype(object),
        "Actual": figures("actual_value"), "Target": figures("target_value"),
        "Commentary": runs["commentary"].fillna("–").to_numpy(),
        "Remedial action": runs["remedial_action"].fillna("– none reported").to_numpy(),
    })  # fmt: skip
    return {code: part.drop(columns="code").reset_index(drop=True)
            for code, part in table.groupby("code", sort=False)}  # fmt: skip


def forecast_table(review: Review) -> pd.DataFrame:
    f = review.forecast_misses
    return pd.DataFrame({
        "Code": f["code"], "Indicator": f["title"], "Theme group": f["theme"],
        "Status": f["rag_status"].astype(object),
        "Forecast": [_fig(v, r) for v, (_, r) in zip(f["forecast_value"], f.iterrows(),
                                                       strict=True)],
        "Annual target": [_fig(v, r) for v, (_, r) in zip(f["annual_target_value"], f.iterrows(),
                                                            strict=True)],
        "Forecast status": f["forecast_status"].astype(object),
    })  # fmt: skip


def milestones_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Theme group": frame["theme"], "Action": frame["action_code"],
        "Action title": frame["action_title"], "Milestone": frame["milestone_title"],
        "Due": frame["due_date"].map(format_day),
        "Revised due": frame["revised_due_date"].map(format_day),
        "Milestone status": frame["milestone_status"].astype(object),
        "Progress note": frame["progress_note"].fillna("–"),
    })  # fmt: skip


def flags_table(flags: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Red flag": flags["title"], "Theme group": flags["theme"].fillna("–"),
        "Indicators": flags["indicator_codes"].replace("", "–"), "Reason": flags["reason"],
        "Source": flags["source"], "Flagged": flags["flagged_on"].map(format_day),
        "Lifted": flags["lifted_on"].map(format_day),
    })  # fmt: skip


def tracker_table(table: pd.DataFrame) -> pd.DataFrame:
    """The tracker as the committee reads it."""
    countdown = []
    for days, overdue in zip(table["days_to_response"], table["response_overdue"], strict=True):
        if overdue:
            countdown.append(f"⚠ response overdue ({-int(days)} days)")
        elif days is None or pd.isna(days):
            countdown.append("–")
        else:
            countdown.append(f"{int(days)} days left")
    return pd.DataFrame({
        "Reference": table["reference"], "Review": table["review"],
        "Made": table["made_on"].map(format_day), "Addressed to": table["addressed_to"],
        "Sent": table["sent_on"].map(format_day),
        "Response due": table["response_due_on"].map(format_day),
        "Countdown": countdown,
        "Response": table["response"].astype(object),
        "Implementation": table["status"].map(
            lambda s: labels.IMPLEMENTATION.get(s, "–") if isinstance(s, str) else "–"),
        "Lead officer": table["lead_officer"].fillna("–"), "Due": table["due_on"].map(format_day),
        "RAG": table["rag"].astype(object), "Why": table["rag_reason"],
        "Closed": table["closed_on"].map(format_day),
    })  # fmt: skip


def missing_table(review: Review) -> pd.DataFrame:
    m = review.missing_returns
    return pd.DataFrame({"Quarter": m["period"], "Theme group": m["theme"]})


def review_facts(review: Review) -> dict:
    """What the Six-monthly review page says around its tables: the review's title, meeting,
    positions compared and the tracker's date, the counts of its summary line, and the
    persistent exceptions' titles by code (in their order)."""
    summary = review.tracker_summary
    return {
        "title": review.title,
        "meeting": review.meeting,
        "snapshot_labels": list(review.snapshot_labels),
        "tracker_as_of": review.tracker_as_of,
        "indicators": len(review.end_statuses),
        "red": int((review.end_statuses["rag_status"] == "red").sum()),
        "moved": len(review.movers),
        "persistent": len(review.persistent),
        "forecast_misses": len(review.forecast_misses),
        "red_flags": int(review.red_flags["in_force_at_end"].sum()),
        **{name: len(summary[name]) for name in summary},
        "persistent_titles": dict(
            zip(review.persistent["code"], review.persistent["title"], strict=True)
        ),
    }


def review_tables(review: Review) -> dict[str, pd.DataFrame]:
    """Every table of the Six-monthly review page, with the status words (the page shows
    them as they are): ``picture``, ``movers``, ``persistent``, ``forecast``, ``late``,
    ``moved``, ``flags``, ``missing``."""
    tables = {
        "picture": picture_table(review),
        "movers": movers_table(review),
        "persistent": persistent_table(review),
        "forecast": forecast_table(review),
        "late": milestones_table(review.late_milestones),
        "moved": milestones_table(review.reprogrammed),
        "flags": flags_table(review.red_flags),
        "missing": missing_table(review),
    }
    return {name: words(table) for name, table in tables.items()}
