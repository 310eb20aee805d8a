"""Quarterly returns into the warehouse: preview, commit (one transaction), withdraw.

The original file is kept under ``data/raw/<year>/<quarter>/`` with its SHA-256. Loading the
same file twice changes nothing; a corrected return supersedes the earlier one and every
earlier value stays in ``actual`` with ``is_current = false``.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analytics import periods
from analytics.ingest.template import TemplateReturn
from analytics.messages import FileRejected, Message
from analytics.warehouse.connection import first_row, frame, warehouse_path, writer
from analytics.warehouse.load import audit, refresh_statuses


def raw_dir(path: str | Path | None = None) -> Path:
    """Where received files are kept: ``raw/`` beside the warehouse file."""
    return warehouse_path(path).parent / "raw"


def sha256_of(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class CommitResult:
    file_name: str
    return_id: int | None
    already_loaded: bool
    rows_new: int
    rows_changed: int
    rows_unchanged: int
    stored_path: str | None
    superseded_id: int | None = None


def _resolve(con: duckdb.DuckDBPyConnection, tr: TemplateReturn) -> tuple[int, int]:
    found = first_row(
        con.execute(
            "SELECT partnership_id FROM partnership WHERE partnership_code = ?",
            [tr.partnership_code],
        )
    )
    if not found:
        raise FileRejected(
            [
                Message(
                    "error",
                    tr.file_name,
                    "_meta",
                    None,
                    tr.partnership_code,
                    "this return was made for a partnership that is not in the warehouse",
                    "Use a template downloaded from this warehouse (lsp template).",
                )
            ]
        )
    theme = first_row(
        con.execute(
            "SELECT theme_id FROM theme WHERE partnership_id = ? AND name = ?", [found[0], tr.theme]
        )
    )
    if not theme:
        raise FileRejected(
            [
                Message(
                    "error",
                    tr.file_name,
                    "_meta",
                    None,
                    tr.theme,
                    "this return names a theme group that is not in the framework",
                    "Add the theme to the framework, or use a template from this warehouse.",
                )
            ]
        )
    return found[0], theme[0]


def compare_with_current(
    con: duckdb.DuckDBPyConnection, partnership_id: int, values: pd.DataFrame
) -> pd.DataFrame:
    """Each incoming value beside the current one: change is new / changed / unchanged."""
    current = frame(
        con,
        "SELECT i.code AS indicator_code, i.indicator_id, a.period, a.actual_value AS old_value,"
        " a.commentary AS old_commentary, a.remedial_action AS old_remedial_action,"
        " a.dq_flag AS old_dq_flag FROM indicator i LEFT JOIN actual a"
        " ON a.indicator_id = i.indicator_id AND a.is_current WHERE i.partnership_id = ?",
        [partnership_id],
    )
    ids = current.drop_duplicates("indicator_code").set_index("indicator_code")["indicator_id"]
    merged = values.assign(indicator_id=values["indicator_code"].map(ids)).merge(
        current.drop(columns="indicator_code").dropna(subset=["period"]),
        on=["indicator_id", "period"],
        how="left",
    )
    has_old = merged["old_dq_flag"].notna()
    same_value = (merged["actual_value"] == merged["old_value"]) | (
        merged["actual_value"].isna() & merged["old_value"].isna()
    )
    same_text = (
        merged["commentary"].fillna("").eq(merged["old_commentary"].fillna(""))
        & merged["remedial_action"].fillna("").eq(merged["old_remedial_action"].fillna(""))
        & merged["dq_flag"].eq(merged["old_dq_flag"])
    )
    merged["change"] = np.select(
        [~has_old, same_value & same_text], ["new", "unchanged"], "changed"
    )
    return merged


def commit_return(
    tr: TemplateReturn,
    source: str | Path,
    path: str | Path | None = None,
    actor: str | None = None,
    layout: str = "template",
) -> CommitResult:
    """Load one validated return in one transaction; the file is kept under raw/."""
    return commit_returns([(tr, Path(source))], path, actor, layout)[0]


def commit_returns(
    items: list[tuple[TemplateReturn, Path]],
    path: str | Path | None = None,
    actor: str | None = None,
    layout: str = "template",
) -> list[CommitResult]:
    """Load several validated returns in one transaction, then recompute statuses once.

    If any of them cannot be loaded nothing is written and every stored copy is removed.
    """
    rejected = [m for tr, _ in items for m in tr.messages if m.severity == "error"]
    if rejected:
        raise FileRejected(rejected)
    stored: list[Path] = []
    results: list[CommitResult] = []
    try:
        with writer(path) as con:
            touched: set[int] = set()
            for tr, source in items:
                result = _commit_one(con, tr, Path(source), path, actor, layout, stored)
                results.append(result)
                if not result.already_loaded:
                    touched.add(_resolve(con, tr)[0])
            for partnership_id in sorted(touched):
                refresh_statuses(con, partnership_id)
    except BaseException:
        for file in stored:
            file.unlink(missing_ok=True)
        raise
    return results


def _commit_one(
    con: duckdb.DuckDBPyConnection,
    tr: TemplateReturn,
    source: Path,
    path: str | Path | None,
    actor: str | None,
    layout: str,
    stored: list[Path],
) -> CommitResult:
    digest = sha256_of(source)
    partnership_id, theme_id = _resolve(con, tr)
    dup = first_row(
        con.execute(
            "SELECT return_id FROM return_file WHERE partnership_id = ? AND sha256 = ?"
            " AND state <> 'withdrawn'",
            [partnership_id, digest],
        )
    )
    if dup:
        return CommitResult(tr.file_name, dup[0], True, 0, 0, 0, None)
    compared = compare_with_current(con, partnership_id, tr.values)
    unknown = compared[compared["indicator_id"].isna()]
    if not unknown.empty:
        raise FileRejected(
            [
                Message(
                    "error",
                    tr.file_name,
                    row.sheet,
                    row.cell,
                    row.indicator_code,
                    "this indicator code is not in the framework",
                    "Correct the code, or add the indicator to the framework first.",
                )
                for row in unknown.itertuples()
            ]
        )
    # A blank adds nothing unless it explains itself, and never blanks a value already held.
    keep = compared["actual_value"].notna() | compared["commentary"].notna()
    compared = compared[keep & ~(compared["actual_value"].isna() & compared["old_value"].notna())]
    period = periods.parse_code(tr.period)
    folder = (
        raw_dir(path)
        / period.financial_year.replace("/", "-")
        / (f"Q{period.number}" if period.grain == "quarter" else "year")
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest[:12]}_{tr.file_name}"
    if not target.exists():
        shutil.copyfile(source, target)
        stored.append(target)
    previous = first_row(
        con.execute(
            "SELECT return_id FROM return_file WHERE partnership_id = ? AND theme_id = ?"
            " AND period = ? AND state = 'loaded' ORDER BY loaded_at DESC, return_id DESC LIMIT 1",
            [partnership_id, theme_id, tr.period],
        )
    )
    counts = compared["change"].value_counts()
    n_new, n_changed = int(counts.get("new", 0)), int(counts.get("changed", 0))
    n_unchanged = int(counts.get("unchanged", 0))
    return_id = first_row(
        con.execute(
            "INSERT INTO return_file (partnership_id, theme_id, period, file_name, stored_path,"
            " sha256, size_bytes, layout, loaded_by, rows_new, rows_changed, rows_unchanged,"
            " supersedes_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING return_id",
            [
                partnership_id,
                theme_id,
                tr.period,
                tr.file_name,
                str(target),
                digest,
                source.stat().st_size,
                layout,
                actor or _actor(),
                n_new,
                n_changed,
                n_unchanged,
                previous[0] if previous else None,
            ],
        )
    )[0]
    if previous:
        con.execute(
            "UPDATE return_file SET state = 'superseded' WHERE return_id = ?", [previous[0]]
        )
    _write_values(con, compared[compared["change"] != "unchanged"], return_id)
    if not tr.activities.empty or previous:
        con.execute(
            "DELETE FROM positive_activity WHERE partnership_id = ? AND theme_id = ?"
            " AND period = ?",
            [partnership_id, theme_id, tr.period],
        )
        for rec in tr.activities.to_dict("records"):
            con.execute(
                "INSERT INTO positive_activity (partnership_id, theme_id, period, title,"
                " description) VALUES (?, ?, ?, ?, ?)",
                [partnership_id, theme_id, tr.period, rec["title"], rec["description"]],
            )
    audit(
        con,
        "commit",
        "return",
        tr.file_name,
        {
            "return_id": return_id,
            "theme": tr.theme,
            "period": tr.period,
            "sha256": digest,
            "new": n_new,
            "changed": n_changed,
            "unchanged": n_unchanged,
            "superseded": previous[0] if previous else None,
        },
        actor,
    )
    return CommitResult(
        tr.file_name,
        return_id,
        False,
        n_new,
        n_changed,
        n_unchanged,
        str(target),
        previous[0] if previous else None,
    )


def _actor() -> str:
    from analytics.warehouse.load import current_actor

    return current_actor()


def _write_values(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, return_id: int) -> None:
    if rows.empty:
        return
    ends = {p: periods.parse_code(p).end for p in rows["period"].unique()}
    frame = pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"].astype("int64"),
            "period": rows["period"],
            "period_end": rows["period"].map(ends),
            "actual_value": rows["actual_value"].astype("float64"),
            "commentary": rows["commentary"],
            "remedial_action": rows["remedial_action"],
            "dq_flag": rows["dq_flag"],
            "return_id": return_id,
        }
    )
    con.register("values_in", frame)
    con.execute(
        "UPDATE actual SET is_current = false FROM values_in v WHERE actual.is_current"
        " AND actual.indicator_id = v.indicator_id AND actual.period = v.period"
    )
    con.execute(
        "INSERT INTO actual (indicator_id, period, period_end, actual_value, commentary,"
        " remedial_action, dq_flag, return_id) SELECT indicator_id, period, period_end,"
        " actual_value, commentary, remedial_action, dq_flag, return_id FROM values_in"
    )
    con.unregister("values_in")
