"""Quarterly returns into the warehouse: template out, preview, commit (one transaction),
withdraw, remembered mappings.

The original file is kept under ``raw/<year>/<quarter>/`` beside the warehouse with its
SHA-256. Loading the same file twice changes nothing; a corrected return supersedes the earlier
one and every earlier value stays in ``actual`` with ``is_current = false``; withdrawing a
return brings the values it replaced back. Statuses are recomputed in the same transaction as
every commit and withdrawal, and every one is in the audit log.

Items to commit are :class:`~analytics.ingest.intake.Intake` results (any layout); the
``(TemplateReturn, path)`` pairs of the demo builder are turned into the same thing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analytics import periods
from analytics.access import PermissionDenied, User
from analytics.collection import calendar
from analytics.ingest.intake import (
    NEW_INDICATOR_COLUMNS,
    TARGET_COLUMNS,
    VALUE_COLUMNS,
    Intake,
)
from analytics.ingest.names import stored_name
from analytics.ingest.template import ReturnMeta, TemplateReturn, write_return_template
from analytics.ingest.values import lookup
from analytics.messages import FileRejected, Message
from analytics.status import compute_statuses
from analytics.warehouse.collection_state import Locks, refuse_locked, settings
from analytics.warehouse.connection import first_row, frame, reader, warehouse_path
from analytics.warehouse.keyed import HeldRows, same_numbers
from analytics.warehouse.queries import template_rows
from analytics.warehouse.status_store import engine_inputs, store_statuses
from analytics.warehouse.write import SOMEWHERE, Transaction, write


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
    indicators_added: int = 0
    targets_added: int = 0


def from_template_return(tr: TemplateReturn, source: str | Path) -> Intake:
    """A return of the demo builder (a :class:`~analytics.ingest.template.TemplateReturn`)
    as an intake."""
    values = tr.values.assign(target_value=np.nan)
    return Intake(
        file=tr.file_name,
        path=Path(source),
        partnership_code=tr.partnership_code,
        source="template",
        theme=tr.theme,
        period=tr.period,
        values=values.reindex(columns=VALUE_COLUMNS),
        activities=tr.activities,
        messages=list(tr.messages),
    )


def _as_intake(item: Intake | tuple[TemplateReturn, Path]) -> Intake:
    if isinstance(item, Intake):
        return item
    tr, source = item
    return from_template_return(tr, source)


def _reject(intake: Intake, text: str, fix: str, sheet=None, value=None) -> FileRejected:
    return FileRejected([Message("error", intake.file, sheet, None, value, text, fix)])


def _partnership_id(con, intake: Intake, known: dict | None = None) -> int:
    """The partnership the return was made for (``known``: those found already in this
    commit, by code)."""
    if known is not None and intake.partnership_code in known:
        return known[intake.partnership_code]
    found = first_row(
        con.execute(
            "SELECT partnership_id FROM partnership WHERE partnership_code = ?",
            [intake.partnership_code],
        )
    )
    if not found:
        raise _reject(
            intake,
            "this return was made for a partnership that is not in the warehouse",
            "use a template downloaded from this warehouse (lsp template)",
            "_meta",
            intake.partnership_code,
        )
    if known is not None:
        known[intake.partnership_code] = found[0]
    return found[0]


def _theme_id(intake: Intake, names: dict[str, int]) -> int:
    """The theme group the return names, among its partnership's (``names``: id by name)."""
    if intake.theme not in names:
        raise _reject(
            intake,
            f"this return names a theme group that is not in the framework ({intake.theme!r})",
            "add the theme group to the framework, or choose the theme group that sent it",
            None,
            intake.theme,
        )
    return names[intake.theme]


def _require_theme(tx: Transaction, intake: Intake, partnership_id: int, theme_id: int) -> None:
    """Refuse a return this user may not send; a theme lead is told whose return it is."""
    if tx.may("returns.submit", partnership_id, theme_id):
        tx.require("returns.submit", partnership_id, theme_id)  # passes: recorded as checked
        return
    own = tx.user.theme_ids(partnership_id)
    if not own:
        tx.require("returns.submit", partnership_id)  # the role's own refusal
    con = tx.con
    lead = first_row(con.execute("SELECT lead_officer FROM theme WHERE theme_id = ?", [theme_id]))
    names = [r[0] for r in con.execute(
        "SELECT name FROM theme WHERE theme_id IN (SELECT unnest(?)) ORDER BY name", [sorted(own)]
    ).fetchall()]  # fmt: skip
    whose = f" (lead officer: {lead[0]})" if lead and lead[0] else ""
    raise PermissionDenied(
        f"{intake.file} is the return of {intake.theme}{whose}, not of a theme group you "
        f"lead ({'; '.join(names)}). Nothing was loaded: send it to the performance officer "
        "or that theme group's lead."
    )


def _require_rows_of_theme(
    tx: Transaction,
    intake: Intake,
    partnership_id: int,
    theme_id: int,
    compared: pd.DataFrame,
    theme_of: dict[int, float | int] | None = None,
) -> None:
    """Every row of a return is its own theme group's: checked here, where it is written,
    whatever the page or the intake said. Another theme group's row is refused as a
    permission when the user may not send that group's return (a theme lead), and as an
    error on its cell for everyone else (the officer loads that group's return as its own).
    ``theme_of``: each indicator's theme group as read in this transaction (else asked)."""
    ids = compared["indicator_id"].dropna().astype("int64").unique().tolist()
    if theme_of is not None and all(i in theme_of for i in ids):
        stray = [(i,) for i in ids if not pd.isna(theme_of[i]) and theme_of[i] != theme_id]
    else:
        stray = tx.con.execute(
            "SELECT indicator_id FROM indicator WHERE list_contains(?, indicator_id)"
            " AND theme_id <> ?",
            [ids, theme_id],
        ).fetchall()
    if not stray:  # every row is the theme group's own: the usual return
        return
    others = frame(
        tx.con,
        "SELECT i.indicator_id, i.code, i.theme_id, t.name AS theme FROM indicator i"
        " JOIN theme t USING (theme_id) WHERE list_contains(?, i.indicator_id)",
        [[row[0] for row in stray]],
    )
    for owner_id, rows in others.groupby("theme_id"):
        if not tx.may("returns.submit", partnership_id, int(owner_id)):
            codes = ", ".join(sorted(rows["code"]))
            raise PermissionDenied(
                f"{intake.file} holds values of {rows['theme'].iloc[0]} ({codes}), a theme "
                f"group you do not lead. Nothing was loaded: a return holds only its own "
                f"theme group's indicators ({intake.theme})."
            )
    theme_of = dict(zip(others["indicator_id"], others["theme"], strict=True))
    stray = compared[compared["indicator_id"].isin(list(theme_of))]
    raise FileRejected(
        [
            Message(
                "error",
                intake.file,
                row.sheet,
                row.cell,
                row.indicator_code,
                f"{row.indicator_code} is an indicator of {theme_of[row.indicator_id]!r}, "
                f"not of {intake.theme!r} whose return this is",
                f"delete the row, or send the value in {theme_of[row.indicator_id]}'s own return",
            )
            for row in stray.itertuples()
        ]
    )


def held_values(
    con: duckdb.DuckDBPyConnection, partnership_id: int
) -> tuple[pd.DataFrame, HeldRows]:
    """(the partnership's indicator ids and theme groups by code, its current values found
    by (indicator, period)) as :func:`compare_with_current` compares with them."""
    ids = frame(
        con,
        "SELECT code AS indicator_code, indicator_id, theme_id FROM indicator"
        " WHERE partnership_id = ?",
        [partnership_id],
    )
    current = frame(
        con,
        "SELECT a.indicator_id, a.period, a.actual_value AS old_value,"
        " a.commentary AS old_commentary, a.remedial_action AS old_remedial_action,"
        " a.dq_flag AS old_dq_flag, a.numerator_value AS old_numerator,"
        " a.denominator_value AS old_denominator FROM actual a JOIN indicator i"
        " USING (indicator_id)"
        " WHERE i.partnership_id = ? AND a.is_current",
        [partnership_id],
    )
    return ids, HeldRows(current)


def compare_with_current(
    con: duckdb.DuckDBPyConnection,
    partnership_id: int,
    values: pd.DataFrame,
    held: tuple[pd.DataFrame, HeldRows] | None = None,
) -> pd.DataFrame:
    """Each incoming value beside the current one: change is new / changed / unchanged.
    ``held``: :func:`held_values`, when the caller read them already."""
    ids, current = held_values(con, partnership_id) if held is None else held
    by_code = dict(zip(ids["indicator_code"], ids["indicator_id"], strict=True))
    found = lookup(values["indicator_code"], by_code, -1).astype(np.int64)
    indicator_id = pd.arrays.IntegerArray(found, found < 0)  # unknown codes: <NA>
    values = values.assign(indicator_id=indicator_id)
    held_now = current.beside(
        values["indicator_id"].to_numpy(dtype=object, na_value=None).tolist(),
        values["period"].tolist(),
        values.index,
    )
    merged = pd.concat([values, held_now], axis=1).set_axis(pd.RangeIndex(len(values)))
    has_old = merged["old_dq_flag"].notna().to_numpy()
    change = np.where(has_old, "changed", "new").astype(object)
    if has_old.any():  # only rows already held can be unchanged (compared on arrays)
        same = same_numbers(merged["actual_value"], merged["old_value"])
        same &= _same_texts(merged["commentary"], merged["old_commentary"])
        same &= _same_texts(merged["remedial_action"], merged["old_remedial_action"])
        same &= merged["dq_flag"].to_numpy(dtype=object) == merged["old_dq_flag"].to_numpy(
            dtype=object
        )
        for new, old in (("numerator_value", "old_numerator"),
                         ("denominator_value", "old_denominator")):  # fmt: skip
            if new in merged:
                same &= same_numbers(merged[new], merged[old])
        change[has_old & same] = "unchanged"
    merged["change"] = change
    return merged


def _same_texts(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Equal, a missing text counting as blank."""
    x = a.to_numpy(dtype=object, na_value="")
    y = b.to_numpy(dtype=object, na_value="")
    return np.array([u == v for u, v in zip(x.tolist(), y.tolist(), strict=True)], dtype=bool)


def _loadable(compared: pd.DataFrame) -> pd.DataFrame:
    """A blank adds nothing unless it explains itself, and never blanks a value already held."""
    value = compared["actual_value"].notna().to_numpy()
    keep = value | compared["commentary"].notna().to_numpy()
    keep &= value | compared["old_value"].isna().to_numpy()
    return compared if keep.all() else compared[keep]


# --- Preview -------------------------------------------------------------------------------


def preview_returns(items: list[Intake], path: str | Path | None = None) -> pd.DataFrame:
    """Per file and indicator, before anything is written: new / changed (old -> new) /
    unchanged, the status now and the status each value would get once committed.

    Statuses come from :func:`analytics.status.compute_statuses` on the would-be values of
    every file together (as one commit would load them).
    """
    intakes = [_as_intake(i) for i in items]
    columns = ["file", "theme", "indicator_code", "title", "period", "change", "old_value",
               "actual_value", "status_now", "status", "status_reason", "dq_flag",
               "commentary"]  # fmt: skip
    parts = []
    cur = reader(path)
    try:
        by_partnership: dict[int, list[pd.DataFrame]] = {}
        for intake in intakes:
            if not intake.ok or intake.values.empty:
                continue
            pid = _partnership_id(cur, intake)
            digest = sha256_of(intake.path) if intake.path.exists() else ""
            dup = first_row(
                cur.execute(
                    "SELECT return_id FROM return_file WHERE partnership_id = ? AND sha256 = ?"
                    " AND state <> 'withdrawn'",
                    [pid, digest],
                )
            )
            compared = compare_with_current(cur, pid, intake.values)
            compared = _loadable(compared).assign(file=intake.file, theme=intake.theme)
            compared.loc[compared["indicator_id"].isna(), "change"] = "new indicator"
            if dup:
                compared["change"] = "unchanged"
            by_partnership.setdefault(pid, []).append(compared)
        for pid, frames in by_partnership.items():
            if sum(len(f) for f in frames) == 0:
                continue
            parts.append(_with_statuses(cur, pid, pd.concat(frames, ignore_index=True)))
    finally:
        cur.close()
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    return out.reindex(columns=columns)


def _with_statuses(cur, partnership_id: int, incoming: pd.DataFrame) -> pd.DataFrame:
    indicators, targets, actuals = engine_inputs(cur, partnership_id)
    titles = frame(
        cur, "SELECT indicator_id, title FROM indicator WHERE partnership_id = ?", [partnership_id]
    )
    known = incoming[incoming["indicator_id"].notna()].copy()
    known["indicator_id"] = known["indicator_id"].astype("int64")
    changing = known[known["change"] != "unchanged"]
    key = ["indicator_id", "period"]
    replaced = actuals.merge(changing[key].drop_duplicates(), on=key, how="left", indicator=True)
    would_be = pd.concat(
        [
            actuals[(replaced["_merge"] == "left_only").to_numpy()],
            changing[["indicator_id", "period", "actual_value"]],
        ],
        ignore_index=True,
    )
    wanted = sorted(set(known["period"]), key=periods.sort_key)
    statuses = pd.DataFrame(columns=[*key, "rag_status", "rag_reason"])
    now = pd.DataFrame(columns=[*key, "rag_status"])
    if wanted and not indicators.empty:
        statuses = compute_statuses(indicators, targets, would_be, wanted)
        statuses = statuses.assign(period=statuses["period"].astype(str))[
            [*key, "rag_status", "rag_reason"]
        ]
        now = compute_statuses(indicators, targets, actuals, wanted, reasons=False)
        now = now.assign(period=now["period"].astype(str))[[*key, "rag_status"]]
    out = incoming.merge(titles, on="indicator_id", how="left")
    out = out.merge(statuses, on=key, how="left").merge(
        now.rename(columns={"rag_status": "status_now"}), on=key, how="left"
    )
    new_indicator = out["change"] == "new indicator"
    out.loc[new_indicator, "rag_status"] = "no_target"
    out.loc[new_indicator, "rag_reason"] = "new data-only indicator: no status"
    return out.rename(columns={"rag_status": "status", "rag_reason": "status_reason"})


# --- Commit --------------------------------------------------------------------------------


def commit_returns(
    items: list[Intake | tuple[TemplateReturn, Path]],
    path: str | Path | None = None,
    layout: str | None = None,
    *,
    user: User,
    remember_mappings: bool = True,
    received_on: date | dict[str, date] | None = None,
    accept: bool = False,
    also: Callable[[Transaction, list[CommitResult]], None] | None = None,
) -> list[CommitResult]:
    """Load several validated returns in one transaction, then recompute statuses once.

    If any of them cannot be loaded nothing is written and every stored copy is removed.
    ``remember_mappings``: keep the mapping of each non-template file for its theme group.
    ``received_on``: when the returns arrived (default: today, :func:`calendar.today`), for
    the submission tracker;
    one date for all, or a date per file name.

    ``user`` must be allowed ``returns.submit`` for each return's partnership and theme group
    (a theme lead: only their own theme groups'; a file for another is refused, naming it).
    A value for a quarter that has locked is refused (:class:`PeriodLocked`), whoever sends
    it, unless the officer has reopened the quarter for that theme group.

    A return arrives submitted, for the officer's sign-off; ``accept``: the user (who must be
    allowed ``returns.review``) accepts them as they are loaded. ``also(tx, results)``: more
    to write in the same transaction (the web form records its submission so).
    """
    intakes = [_as_intake(item) for item in items]
    if not intakes:  # nothing to load, so no partnership to check a permission in
        return []
    stored: list[Path] = []
    results: list[CommitResult] = []
    try:
        with write(path, user, "returns.submit", SOMEWHERE) as tx:
            rejected = [m for intake in intakes for m in intake.errors]
            if rejected:
                raise FileRejected(rejected)
            touched: set[int] = set()
            batch = _ValuesBatch() if _apart(intakes) else None
            digests = [sha256_of(Path(intake.path)) for intake in intakes]
            found = _Found(digests, [i.period for i in intakes if i.period is not None])
            audits: list[tuple] = []
            for intake, digest in zip(intakes, digests, strict=True):
                day = received_on.get(intake.file) if isinstance(received_on, dict) else received_on
                result, partnership_id = _commit_one(
                    tx, intake, digest, path, layout, stored, remember_mappings, day, found,
                    audits, batch,
                )  # fmt: skip
                results.append(result)
                if not result.already_loaded:
                    touched.add(partnership_id)
                if accept and not result.already_loaded:
                    tx.require("returns.review", partnership_id)
                    tx.con.execute(
                        "UPDATE return_file SET review_state = 'accepted', reviewed_by = ?,"
                        " reviewed_at = now() WHERE return_id = ?",
                        [tx.actor, result.return_id],
                    )
            if batch is not None:
                batch.write(tx.con)
            tx.audit_all(audits)
            if also is not None:
                also(tx, results)
            for partnership_id in sorted(touched):
                store_statuses(tx.con, partnership_id, values_only=True)
    except BaseException:
        for file in stored:
            file.unlink(missing_ok=True)
        raise
    return results


def _commit_one(
    tx: Transaction,
    intake: Intake,
    digest: str,
    path: str | Path | None,
    layout: str | None,
    stored: list[Path],
    remember: bool,
    received_on: date | None,
    found: _Found,
    audits: list[tuple],
    batch: _ValuesBatch | None = None,
) -> tuple[CommitResult, int]:
    """Check and write one return of a commit; its audit entry is added to ``audits``."""
    if intake.period is None or intake.theme is None:
        raise _reject(intake, "the return has no theme group or period", "choose them, then load")
    con = tx.con
    source = Path(intake.path)
    partnership_id = _partnership_id(con, intake, found.partnerships)
    theme_id = _theme_id(intake, found.themes_of(con, partnership_id))
    _require_theme(tx, intake, partnership_id, theme_id)
    loaded = found.loaded_of(con, partnership_id)
    if digest in loaded.by_sha256:
        result = CommitResult(intake.file, loaded.by_sha256[digest], True, 0, 0, 0, None)
        return result, partnership_id
    added = _add_indicators(con, partnership_id, theme_id, intake.new_indicators)
    if batch is not None:
        held = batch.held(con, partnership_id, fresh=added > 0)
    else:
        held = held_values(con, partnership_id)
    compared = compare_with_current(con, partnership_id, intake.values, held)
    not_known = compared["indicator_id"].isna().to_numpy()
    if not_known.any():
        unknown = compared[not_known]
        raise FileRejected(
            [
                Message(
                    "error",
                    intake.file,
                    row.sheet,
                    row.cell,
                    row.indicator_code,
                    "this indicator code is not in the framework",
                    "correct the code, add the indicator to the framework first, or load "
                    "with --add-unknown",
                )  # fmt: skip
                for row in unknown.itertuples()
            ]
        )
    theme_of = dict(zip(held[0]["indicator_id"].tolist(), held[0]["theme_id"].tolist(),
                        strict=True))  # fmt: skip
    _require_rows_of_theme(tx, intake, partnership_id, theme_id, compared, theme_of)
    compared = _loadable(compared)
    if compared.empty:
        raise _reject(
            intake,
            "the return has no values: every value cell is blank, so loading it would replace "
            "the return in force with nothing",
            "fill in the values and send it again; a value not yet available can be left "
            "blank with a commentary saying why",
        )
    changing = compared.loc[compared["change"] != "unchanged", "period"].dropna().unique()
    refuse_locked(con, partnership_id, theme_id, [intake.period, *changing],
                  what=intake.file, theme=intake.theme,
                  locks=found.locks_of(con, partnership_id))  # fmt: skip
    period = periods.parse_code(intake.period)
    folder = (
        raw_dir(path)
        / period.financial_year.replace("/", "-")
        / (f"Q{period.number}" if period.grain == "quarter" else "year")
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / stored_name(intake.file, digest)  # the label is never a path
    if not target.exists():
        shutil.copyfile(source, target)
        stored.append(target)
    previous_id = loaded.in_force.get((theme_id, intake.period))
    change = compared["change"].to_numpy(dtype=object)
    n_new, n_changed = int((change == "new").sum()), int((change == "changed").sum())
    n_unchanged = int((change == "unchanged").sum())
    return_id = first_row(
        con.execute(
            "INSERT INTO return_file (partnership_id, theme_id, period, file_name, stored_path,"
            " sha256, size_bytes, layout, loaded_by, rows_new, rows_changed, rows_unchanged,"
            " supersedes_id, received_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING return_id",
            [
                partnership_id,
                theme_id,
                intake.period,
                intake.file,
                str(target),
                digest,
                source.stat().st_size,
                layout or intake.layout,
                tx.actor,
                n_new,
                n_changed,
                n_unchanged,
                previous_id,
                received_on or calendar.today(),
            ],
        )  # fmt: skip
    )[0]
    if previous_id is not None:
        con.execute(
            "UPDATE return_file SET state = 'superseded' WHERE return_id = ?", [previous_id]
        )
    loaded.added(digest, theme_id, intake.period, return_id)
    changing_rows = change != "unchanged"
    changed = compared if changing_rows.all() else compared[changing_rows]
    if batch is not None:
        batch.add(changed, return_id)
    else:
        _write_values(con, changed, return_id)
    if not intake.activities.empty:
        # kept beside the earlier return's: the latest return in force that has any wins
        activities = batch.activities if batch is not None else _Activities()
        activities.add(intake, partnership_id, theme_id, return_id)
        if batch is None:
            activities.write(con)
    targets_added = _add_targets(con, partnership_id, intake, received_on)
    if remember and intake.source == "mapped" and intake.mappings:
        _save_mapping(con, partnership_id, theme_id, intake.mapping_dict())
    audits.append((
        "commit",
        "return",
        intake.file,
        {
            "return_id": return_id,
            "theme": intake.theme,
            "period": intake.period,
            "sha256": digest,
            "layout": layout or intake.layout,
            "new": n_new,
            "changed": n_changed,
            "unchanged": n_unchanged,
            "superseded": previous_id,
            "indicators_added": added,
            "targets_added": targets_added,
        },
    ))  # fmt: skip
    result = CommitResult(intake.file, return_id, False, n_new, n_changed, n_unchanged,
                          str(target), previous_id, added, targets_added)  # fmt: skip
    return result, partnership_id


def _add_indicators(con, partnership_id: int, theme_id: int, new: pd.DataFrame) -> int:
    """Unknown codes loaded with --add-unknown: local, data-only indicators of the theme."""
    if new is None or new.empty:
        return 0
    rows = new.reindex(columns=NEW_INDICATOR_COLUMNS).assign(
        partnership_id=partnership_id, theme_id=theme_id
    )
    con.register("indicators_in", rows)
    count = first_row(
        con.execute(
            "SELECT count(*) FROM indicators_in n WHERE NOT EXISTS (SELECT 1 FROM indicator i"
            " WHERE i.partnership_id = n.partnership_id AND i.code = n.code)"
        )
    )[0]
    con.execute(
        "INSERT INTO indicator (partnership_id, code, catalogue_code, title, theme_id, polarity,"
        " unit, status_rule, notes) SELECT n.partnership_id, n.code, c.code,"
        " CASE WHEN n.title = n.code AND c.title IS NOT NULL THEN c.title ELSE n.title END,"
        " n.theme_id, 'none', coalesce(n.unit, ''), 'data_only', 'added from a return'"
        " FROM indicators_in n LEFT JOIN catalogue_indicator c ON c.code = n.code"
        " WHERE NOT EXISTS (SELECT 1 FROM indicator i WHERE i.partnership_id = n.partnership_id"
        " AND i.code = n.code)"
    )
    con.unregister("indicators_in")
    return int(count)


def _add_targets(con, partnership_id: int, intake: Intake, received_on: date | None) -> int:
    """Targets a return gave for years the framework has none: provenance 'from return'."""
    new = intake.new_targets
    if new is None or new.empty:
        return 0
    rows = new.reindex(columns=TARGET_COLUMNS).assign(
        partnership_id=partnership_id,
        set_on=received_on or calendar.today(),
        reason=f"from return {intake.file}",
    )
    con.register("targets_in", rows)
    count = first_row(
        con.execute(
            "SELECT count(*) FROM targets_in n JOIN indicator i ON i.partnership_id ="
            " n.partnership_id AND i.code = n.code WHERE NOT EXISTS (SELECT 1 FROM target t"
            " WHERE t.indicator_id = i.indicator_id AND t.financial_year = n.financial_year)"
        )
    )[0]
    con.execute(
        "INSERT INTO target (indicator_id, financial_year, version, target_value, provenance,"
        " set_on, reason) SELECT i.indicator_id, n.financial_year, 1, n.target_value,"
        " 'from return', n.set_on, n.reason FROM targets_in n JOIN indicator i"
        " ON i.partnership_id = n.partnership_id AND i.code = n.code WHERE NOT EXISTS"
        " (SELECT 1 FROM target t WHERE t.indicator_id = i.indicator_id"
        " AND t.financial_year = n.financial_year)"
    )
    con.unregister("targets_in")
    return int(count)


def _texts(column: pd.Series) -> list[str | None]:
    """A text column as a list for a query's parameters (None where blank)."""
    return [None if pd.isna(v) else str(v) for v in column.tolist()]


def _optional(rows: pd.DataFrame, column: str) -> np.ndarray:
    """A numeric column a return may not have (NaN where absent)."""
    if column not in rows:
        return np.full(len(rows), np.nan)
    return rows[column].astype("float64").to_numpy()


def _value_rows(rows: pd.DataFrame, return_id: int | np.ndarray) -> pd.DataFrame:
    """The rows of ``actual`` a return's changed values make (``return_id``: the return's,
    or each row's when several returns' rows are written together)."""
    ends = {p: periods.parse_code(p).end for p in rows["period"].unique()}
    return pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"].astype("int64").to_numpy(),
            "period": rows["period"].to_numpy(dtype=object),
            "period_end": lookup(rows["period"], ends),
            "actual_value": rows["actual_value"].astype("float64").to_numpy(),
            "numerator_value": _optional(rows, "numerator_value"),
            "denominator_value": _optional(rows, "denominator_value"),
            "commentary": rows["commentary"].to_numpy(dtype=object),
            "remedial_action": rows["remedial_action"].to_numpy(dtype=object),
            "dq_flag": rows["dq_flag"].to_numpy(dtype=object),
            "return_id": return_id,
        }
    )


def _insert_values(con: duckdb.DuckDBPyConnection, values: pd.DataFrame) -> None:
    """Bulk: one UPDATE and one INSERT through a registered frame, whatever the row count.
    No two rows of ``values`` share an (indicator, period)."""
    con.register("values_in", values)
    con.execute(
        "UPDATE actual SET is_current = false FROM values_in v WHERE actual.is_current"
        " AND actual.indicator_id = v.indicator_id AND actual.period = v.period"
    )
    con.execute(
        "INSERT INTO actual (indicator_id, period, period_end, actual_value, numerator_value,"
        " denominator_value, commentary, remedial_action, dq_flag, return_id)"
        " SELECT indicator_id, period, period_end, actual_value, numerator_value,"
        " denominator_value, commentary, remedial_action, dq_flag, return_id FROM values_in"
    )
    con.unregister("values_in")


def _write_values(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, return_id: int) -> None:
    """A return's changed values, made current."""
    if not rows.empty:
        _insert_values(con, _value_rows(rows, return_id))


def _apart(intakes: list[Intake]) -> bool:
    """Several returns of which no two give a value for the same indicator and period (a
    quarter's returns from its theme groups): each compares with the values held before the
    commit and their values can be written together (:class:`_ValuesBatch`). A return and
    its correction loaded together are not apart: the second compares with the first."""
    if len(intakes) < 2:
        return False
    seen: set[tuple] = set()
    for intake in intakes:
        values = intake.values
        keys = set(zip(values["indicator_code"].tolist(), values["period"].tolist(),
                       strict=True))  # fmt: skip
        keys = {(intake.partnership_code, *key) for key in keys}
        if keys & seen:
            return False
        seen |= keys
    return True


@dataclass
class _Loaded:
    """A partnership's returns that a commit's files are checked against: the return (not
    withdrawn) holding each file's bytes, and the return in force for each (theme group,
    period) of the files. Kept up to date as the commit adds returns."""

    by_sha256: dict[str, int]
    in_force: dict[tuple[int, str], int]

    @classmethod
    def read(cls, con, partnership_id: int, digests: list[str], period_codes: list[str]):
        by_sha256: dict[str, int] = {}
        for digest, return_id in con.execute(
            "SELECT sha256, return_id FROM return_file WHERE partnership_id = ?"
            " AND state <> 'withdrawn' AND list_contains(?::VARCHAR[], sha256)"
            " ORDER BY return_id",
            [partnership_id, sorted(set(digests))],
        ).fetchall():
            by_sha256.setdefault(digest, return_id)
        in_force = {  # the latest loaded wins, as the commit supersedes it
            (theme_id, period): return_id
            for theme_id, period, return_id in con.execute(
                "SELECT theme_id, period, return_id FROM return_file WHERE partnership_id = ?"
                " AND state = 'loaded' AND list_contains(?::VARCHAR[], period)"
                " ORDER BY loaded_at, return_id",
                [partnership_id, sorted(set(period_codes))],
            ).fetchall()
        }
        return cls(by_sha256, in_force)

    def added(self, digest: str, theme_id: int, period: str, return_id: int) -> None:
        self.by_sha256.setdefault(digest, return_id)
        self.in_force[theme_id, period] = return_id


@dataclass
class _Found:
    """What one commit reads once per partnership, not once per file: its id by code, its
    theme groups' ids by name, its locks, and the returns its files are checked against."""

    digests: list[str]  # of every file in the commit
    period_codes: list[str]
    partnerships: dict[str, int] = field(default_factory=dict)
    themes: dict[int, dict[str, int]] = field(default_factory=dict)
    locks: dict[int, Locks] = field(default_factory=dict)
    loaded: dict[int, _Loaded] = field(default_factory=dict)

    def themes_of(self, con, partnership_id: int) -> dict[str, int]:
        if partnership_id not in self.themes:
            self.themes[partnership_id] = dict(
                con.execute(
                    "SELECT name, theme_id FROM theme WHERE partnership_id = ?", [partnership_id]
                ).fetchall()
            )
        return self.themes[partnership_id]

    def locks_of(self, con, partnership_id: int) -> Locks:
        if partnership_id not in self.locks:
            self.locks[partnership_id] = Locks.read(con, partnership_id, calendar.today())
        return self.locks[partnership_id]

    def loaded_of(self, con, partnership_id: int) -> _Loaded:
        if partnership_id not in self.loaded:
            self.loaded[partnership_id] = _Loaded.read(
                con, partnership_id, self.digests, self.period_codes
            )
        return self.loaded[partnership_id]


@dataclass
class _Activities:
    """Positive activities of one or more returns, inserted by one statement: a few rows a
    return, as list parameters unnested side by side (no frame to register)."""

    rows: list[tuple] = field(default_factory=list)

    def add(self, intake: Intake, partnership_id: int, theme_id: int, return_id: int) -> None:
        titles = _texts(intake.activities["title"])
        descriptions = _texts(intake.activities["description"])
        for title, description in zip(titles, descriptions, strict=True):
            self.rows.append(
                (partnership_id, theme_id, intake.period, title, description, return_id)
            )

    def write(self, con) -> None:
        if not self.rows:
            return
        columns = [list(c) for c in zip(*self.rows, strict=True)]
        con.execute(
            "INSERT INTO positive_activity (partnership_id, theme_id, period, title, description,"
            " return_id) SELECT unnest(?::INTEGER[]), unnest(?::INTEGER[]), unnest(?::VARCHAR[]),"
            " unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[])",
            columns,
        )
        self.rows = []


class _ValuesBatch:
    """Several returns' values, compared with one read of the values held and written in one
    UPDATE and one INSERT at the end of the loop, for returns that are :func:`_apart` (so
    none changes what another compares with). Same rows as writing them one by one."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[pd.DataFrame, HeldRows]] = {}
        self._rows: list[pd.DataFrame] = []
        self._return_ids: list[np.ndarray] = []
        self.activities = _Activities()  # written after the values, in the returns' order

    def held(self, con, partnership_id: int, *, fresh: bool = False):
        """:func:`held_values` of the partnership, read once (again when ``fresh``: a return
        added indicators)."""
        if fresh or partnership_id not in self._held:
            self._held[partnership_id] = held_values(con, partnership_id)
        return self._held[partnership_id]

    def add(self, rows: pd.DataFrame, return_id: int) -> None:
        if not rows.empty:
            self._rows.append(rows)
            self._return_ids.append(np.full(len(rows), return_id, dtype=np.int64))

    def write(self, con) -> None:
        if self._rows:
            rows = pd.concat(self._rows, ignore_index=True)
            _insert_values(con, _value_rows(rows, np.concatenate(self._return_ids)))
        self._rows, self._return_ids = [], []
        self.activities.write(con)


# --- Withdraw ------------------------------------------------------------------------------


def withdraw_return(
    return_id: int,
    path: str | Path | None = None,
    *,
    user: User,
    reason: str | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Withdraw a loaded return in one transaction: its values stop being current and the
    values they replaced come back; the return it superseded is in force again; its positive
    activities go; statuses are recomputed; the audit log says who, when and why.

    Only the return in force for its theme group and period can be withdrawn (withdraw a
    correction first to reach the return it replaced). The file stays under raw/.
    ``user`` must be allowed ``returns.withdraw`` in the return's partnership. A return of a
    quarter that has locked (``today``: the date to judge it on) cannot be withdrawn unless
    the quarter is reopened for its theme group.
    """
    with write(path, user, "returns.withdraw", SOMEWHERE) as tx:
        con = tx.con
        found = first_row(
            con.execute(
                "SELECT partnership_id, theme_id, period, file_name, state, supersedes_id"
                " FROM return_file WHERE return_id = ?",
                [return_id],
            )
        )
        if not found:
            raise FileRejected(
                [
                    Message(
                        "error",
                        f"return {return_id}",
                        None,
                        None,
                        return_id,
                        "there is no such return",
                        "choose a return from the list",
                    )
                ]  # fmt: skip
            )
        partnership_id, theme_id, period, file_name, state, supersedes_id = found
        tx.require("returns.withdraw", partnership_id)
        value_periods = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT period FROM actual WHERE return_id = ?", [return_id]
            ).fetchall()
        ]
        refuse_locked(con, partnership_id, theme_id, [period, *value_periods], what=file_name,
                      today=today)  # fmt: skip
        if state != "loaded":
            raise FileRejected(
                [Message("error", file_name, None, None, state,
                         f"only the return in force can be withdrawn; this one is {state}",
                         "withdraw the later return for the same theme group and period first")]
            )  # fmt: skip
        affected = frame(
            con,
            "SELECT DISTINCT indicator_id, period FROM actual WHERE return_id = ?",
            [return_id],
        )
        con.execute("UPDATE return_file SET state = 'withdrawn' WHERE return_id = ?", [return_id])
        con.execute(
            "UPDATE actual SET is_current = false WHERE return_id = ? AND is_current", [return_id]
        )
        con.register("affected_in", affected)
        con.execute(
            "UPDATE actual SET is_current = true WHERE actual_id IN (SELECT actual_id FROM"
            " (SELECT a.actual_id, row_number() OVER (PARTITION BY a.indicator_id, a.period"
            " ORDER BY a.actual_id DESC) AS latest FROM actual a"
            " JOIN affected_in f ON f.indicator_id = a.indicator_id AND f.period = a.period"
            " LEFT JOIN return_file r ON r.return_id = a.return_id"
            " WHERE coalesce(r.state, 'loaded') <> 'withdrawn') WHERE latest = 1)"
        )
        con.unregister("affected_in")
        if supersedes_id is not None:
            con.execute(
                "UPDATE return_file SET state = 'loaded' WHERE return_id = ?"
                " AND state = 'superseded'",
                [supersedes_id],
            )
        # its activities stay on record but drop out of view with the return
        activities = first_row(
            con.execute("SELECT count(*) FROM positive_activity WHERE return_id = ?", [return_id])
        )[0]
        store_statuses(con, partnership_id, values_only=True)
        counts = {
            "values_withdrawn": len(affected),
            "values_restored": _count_current(con, affected),
            "activities_removed": int(activities),
        }
        tx.audit(
            "withdraw",
            "return",
            file_name,
            {"return_id": return_id, "period": period, "reason": reason,
             "reinstated": supersedes_id, **counts},
        )  # fmt: skip
    return counts


def _count_current(con, affected: pd.DataFrame) -> int:
    if affected.empty:
        return 0
    con.register("affected_in", affected)
    n = first_row(
        con.execute(
            "SELECT count(*) FROM actual a JOIN affected_in f ON f.indicator_id = a.indicator_id"
            " AND f.period = a.period WHERE a.is_current"
        )
    )[0]
    con.unregister("affected_in")
    return int(n)


# --- Remembered mappings and templates -----------------------------------------------------


def _save_mapping(con, partnership_id: int, theme_id: int, mapping: dict[str, dict]) -> None:
    con.execute(
        "INSERT INTO return_mapping (partnership_id, theme_id, mapping_json) VALUES (?, ?, ?)"
        " ON CONFLICT (partnership_id, theme_id) DO UPDATE SET"
        " mapping_json = excluded.mapping_json, updated_at = excluded.updated_at",
        [partnership_id, theme_id, json.dumps(mapping, sort_keys=True)],
    )


def write_template(
    partnership_id: int,
    theme: str,
    period: str,
    out: str | Path,
    path: str | Path | None = None,
    due_days: int | None = None,
) -> Path:
    """Write a theme group's return template for a quarter (one row per indicator due). Its
    due date is the collection's (``due_days`` working days after the quarter ends: by
    default the partnership's or the theme group's own setting)."""
    rows, history, info = template_rows(path, partnership_id, theme, period)
    due_by = _due_on(path, partnership_id, theme, period, due_days)
    meta = ReturnMeta(
        info["partnership_code"], info["partnership_name"], theme, period, f"{due_by:%d %B %Y}"
    )
    return write_return_template(out, meta, rows, history)


def template_bytes(
    partnership_id: int,
    theme: str,
    period: str,
    path: str | Path | None = None,
    due_days: int | None = None,
) -> bytes:
    """:func:`write_template` as bytes (for a download button)."""
    with tempfile.TemporaryDirectory(prefix="lsp-template-") as folder:
        out = write_template(partnership_id, theme, period, Path(folder) / "return.xlsx", path,
                             due_days)  # fmt: skip
        return out.read_bytes()


def _due_on(path, partnership_id: int, theme: str, period: str, due_days: int | None) -> date:
    from analytics.collection.calendar import quarter_dates
    from analytics.warehouse.queries import _scalar

    chosen = settings(path, partnership_id)
    if due_days is not None:
        return quarter_dates(period, due_days, min(chosen.reminder_working_days,
                                                   due_days - 1)).due_on  # fmt: skip
    theme_id = _scalar(path, "SELECT theme_id FROM theme WHERE partnership_id = ? AND name = ?",
                       [partnership_id, theme])  # fmt: skip
    return chosen.dates(period, theme_id).due_on


def template_file_name(theme: str, period: str) -> str:
    """``2009-10_Q2_stronger-communities_return.xlsx``."""
    slug = "-".join("".join(c if c.isalnum() else " " for c in theme.lower()).split())[:40]
    return f"{period.replace('/', '-').replace(' ', '_')}_{slug}_return.xlsx"
