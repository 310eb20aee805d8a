"""A framework workbook's county and reward sheets into the warehouse, inside the import's
transaction (called by :func:`analytics.warehouse.load.import_framework`).

- **The parent** (Partnership sheet ``parent_name``) and **the districts** (a county's
  Districts sheet): refused when the parent chain would loop back on itself, when a district
  would be in two counties, or when a district is named as a parent. A county named before
  its own workbook is loaded is a stub (a name, no framework); its workbook takes the stub
  over by name. A district named on a Districts sheet before its own workbook is loaded is a
  stub the same way.
- **Populations**, **Contributions**, **Reward allocations** and **Reward adjustments**: each
  replaced whole for what the workbook covers.

Every refusal is a :class:`~analytics.messages.FileRejected` naming the sheet and cell; the
import's transaction then rolls back, so nothing partial loads.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.framework import spec
from analytics.framework.read import Framework
from analytics.messages import FileRejected, Message, cell_ref
from analytics.warehouse.connection import first_row


def _error(fw: Framework, sheet: spec.SheetSpec, row: int, column: str, value, text, fix):
    col = [c.name for c in sheet.columns].index(column)
    return Message("error", fw.file_name, sheet.name, cell_ref(int(row) - 1, col), value, text,
                   fix)  # fmt: skip


def _has_framework(con, partnership_id: int) -> bool:
    return bool(
        first_row(
            con.execute("SELECT count(*) FROM indicator WHERE partnership_id = ?", [partnership_id])
        )[0]
    )


def _row(con, sql: str, params: list) -> tuple | None:
    return first_row(con.execute(sql, params))


def stub_code(name: str) -> str:
    """The code given to a partnership known only by name (a county named as a parent)."""
    return name.upper().replace(" ", "-")[:24]


# --- The partnership itself, and its parent -------------------------------------------------


def existing_partnership(con, fw: Framework, row: pd.Series) -> int | None:
    """The partnership the Partnership sheet describes: by code; else a stub of the same name
    (named as a county or a district before its own workbook came), which this workbook takes
    over, code and all. A partnership of that name with a framework and another code is
    refused (two partnerships of one name)."""
    found = _row(
        con,
        "SELECT partnership_id FROM partnership WHERE partnership_code = ?",
        [row["partnership_code"]],
    )
    if found:
        return found[0]
    named = _row(
        con,
        "SELECT partnership_id, partnership_code FROM partnership WHERE name = ?",
        [row["name"]],
    )
    if named is None:
        return None
    if _has_framework(con, named[0]):
        raise FileRejected(
            [_error(fw, spec.PARTNERSHIP, row["_row"], "partnership_code",
                    row["partnership_code"],
                    f"{row['name']!r} already has a framework under the code {named[1]}",
                    f"Use the code {named[1]}, or give this partnership another name.")]
        )  # fmt: skip
    con.execute(
        "UPDATE partnership SET partnership_code = ? WHERE partnership_id = ?",
        [row["partnership_code"], named[0]],
    )
    return named[0]


def _chain(con, start: int) -> list[tuple[int, str, int | None]]:
    """(id, name, parent id) from ``start`` up its parents, stopping before a repeat."""
    out, seen, at = [], set(), start
    while at is not None and at not in seen:
        seen.add(at)
        found = _row(con, "SELECT name, parent_id FROM partnership WHERE partnership_id = ?", [at])
        if found is None:
            break
        out.append((at, found[0], found[1]))
        at = found[1]
    return out


def resolve_parent(con, fw: Framework, row: pd.Series, self_id: int | None) -> int | None:
    """The parent the Partnership sheet names (created as a county stub when it is new), after
    the checks: not the partnership itself, not a district, no loop in the chain above it, and
    not a second county for a district another county lists. ``self_id``: the partnership's
    id when it exists already. None when no parent is named (a parent a county's Districts
    sheet gave is then kept)."""
    name = row.get("parent_name")
    current = (
        None
        if self_id is None
        else _row(
            con,
            "SELECT parent_id, parent_set_by_id FROM partnership WHERE partnership_id = ?",
            [self_id],
        )  # fmt: skip
    )
    if not name:
        if current and current[0] is not None and current[1] not in (None, self_id):
            return current[0]  # listed by its county: the county's sheet decides
        return None

    def refuse(text: str, fix: str):
        return FileRejected(
            [_error(fw, spec.PARTNERSHIP, row["_row"], "parent_name", name, text, fix)]
        )

    if name == row["name"]:
        raise refuse(
            "a partnership cannot be its own parent: the parent chain would be a cycle",
            "Name the county this partnership is in, or leave it blank.",
        )
    if current and current[0] is not None and current[1] not in (None, self_id):
        other = _row(con, "SELECT name FROM partnership WHERE partnership_id = ?",
                     [current[0]])[0]  # fmt: skip
        if other != name:
            raise refuse(
                f"{row['name']} is already a district of {other} (its Districts sheet lists "
                f"it): a district is in one county",
                f"If it has moved, take it off {other}'s Districts sheet and load that "
                f"workbook first; or name {other} here.",
            )
    found = _row(con, "SELECT partnership_id, tier FROM partnership WHERE name = ?", [name])
    if found is None:
        return first_row(
            con.execute(
                "INSERT INTO partnership (partnership_code, name, tier) VALUES (?, ?, 'county')"
                " RETURNING partnership_id",
                [stub_code(name), name],
            )
        )[0]
    parent_id, tier = found
    if tier == "district":
        raise refuse(
            f"{name} is a district partnership: a district's parent is its county",
            "Name the county partnership, or correct the parent's tier first.",
        )
    if self_id is not None:
        chain = _chain(con, parent_id)
        if any(pid == self_id for pid, _, _ in chain):
            names = [n for _, n, _ in chain[: [p for p, _, _ in chain].index(self_id) + 1]]
            loop = " → ".join([row["name"], *names])
            raise refuse(
                f"the parent chain would be a cycle ({loop})",
                "Name a parent that is not below this partnership, or take this "
                "partnership out of the other's parent chain first.",
            )
    return parent_id


def record_parent(con, partnership_id: int, parent_id: int | None, named: bool) -> None:
    """Who set the parent (after the partnership row is written): the partnership itself when
    its sheet named one, unless its county's Districts sheet already lists it there (then
    the county's list still decides); none when it has no parent."""
    con.execute(
        "UPDATE partnership SET parent_set_by_id = CASE"
        " WHEN parent_id IS NULL THEN NULL"
        " WHEN parent_set_by_id = parent_id THEN parent_set_by_id"
        " WHEN ? THEN partnership_id ELSE parent_set_by_id END"
        " WHERE partnership_id = ?",
        [named, partnership_id],
    )


# --- A county's districts -------------------------------------------------------------------


def load_districts(con, fw: Framework, county_id: int) -> int:
    """The Districts sheet: the county's districts become exactly those listed (stubs made
    for new ones); refused for a district of another county, a county, or the county's own
    parents."""
    sheet = fw.get("Districts")
    if sheet is None or sheet.empty:  # an empty sheet (a blank template's) changes nothing
        return 0
    above = {pid for pid, _, _ in _chain(con, county_id)}
    problems, ids = [], []
    for rec in sheet.to_dict("records"):
        code, name = rec["district_code"], rec["name"]
        found = _row(
            con,
            "SELECT partnership_id, tier, parent_id, parent_set_by_id, name FROM partnership"
            " WHERE partnership_code = ?",
            [code],
        )
        if found is None:
            same_name = _row(con, "SELECT partnership_code FROM partnership WHERE name = ?",
                             [name])  # fmt: skip
            if same_name:
                problems.append(
                    _error(fw, spec.DISTRICTS, rec["_row"], "district_code", code,
                           f"{name!r} is already a partnership, with the code {same_name[0]}",
                           f"Use the code {same_name[0]}.")
                )  # fmt: skip
                continue
            ids.append(
                first_row(
                    con.execute(
                        "INSERT INTO partnership (partnership_code, name, tier) VALUES "
                        "(?, ?, 'district') RETURNING partnership_id",
                        [code, name],
                    )
                )[0]
            )
            continue
        pid, tier, parent_id, set_by, known_name = found
        if pid in above:
            problems.append(
                _error(fw, spec.DISTRICTS, rec["_row"], "district_code", code,
                       f"{known_name} is this county or above it: the parent chain would be "
                       "a cycle", "Delete the row.")
            )  # fmt: skip
        elif tier == "county":
            problems.append(
                _error(fw, spec.DISTRICTS, rec["_row"], "district_code", code,
                       f"{known_name} is a county partnership, not a district",
                       "List district partnerships only.")
            )  # fmt: skip
        elif parent_id not in (None, county_id) and _has_framework(con, parent_id):
            other = _row(con, "SELECT name FROM partnership WHERE partnership_id = ?",
                         [parent_id])[0]  # fmt: skip
            problems.append(
                _error(fw, spec.DISTRICTS, rec["_row"], "district_code", code,
                       f"{known_name} is a district of {other}: a district is in one county",
                       f"Take it off {other}'s Districts sheet (or change its own parent_name) "
                       "first, or delete the row.")
            )  # fmt: skip
        else:
            ids.append(pid)
    if problems:
        raise FileRejected(problems)
    con.execute(
        "UPDATE partnership SET parent_id = NULL, parent_set_by_id = NULL WHERE parent_id = ?"
        " AND NOT list_contains(?, partnership_id)",
        [county_id, ids],
    )
    for pid in ids:
        con.execute(
            "UPDATE partnership SET parent_id = ?, parent_set_by_id = ? WHERE partnership_id = ?",
            [county_id, county_id, pid],
        )
    return len(ids)


# --- Populations, contributions, the reward -------------------------------------------------


def _district_codes(con, county_id: int) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT partnership_code FROM partnership WHERE parent_id = ?", [county_id]
        ).fetchall()
    }


def load_populations(con, fw: Framework, partnership_id: int, code: str) -> int:
    """The Populations sheet: rows for this partnership or (a county's) its districts."""
    sheet = fw.get("Populations")
    if sheet is None or sheet.empty:
        return 0
    allowed = _district_codes(con, partnership_id) | {code}
    problems = [
        _error(fw, spec.POPULATIONS, rec["_row"], "partnership_code", rec["partnership_code"],
               "this is neither this partnership nor one of its districts",
               f"Use one of: {', '.join(sorted(allowed))}.")
        for rec in sheet.to_dict("records")
        if rec["partnership_code"] not in allowed
    ]  # fmt: skip
    problems += [
        _error(fw, spec.POPULATIONS, rec["_row"], "population", rec["population"],
               "a population is a number above 0", "Type the population, e.g. 78500.")
        for rec in sheet.to_dict("records")
        if not rec["population"] > 0
    ]  # fmt: skip
    if problems:
        raise FileRejected(problems)
    for rec in sheet.to_dict("records"):
        con.execute(
            "INSERT INTO population (partnership_code, financial_year, population, source,"
            " loaded_by_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (partnership_code, financial_year)"
            " DO UPDATE SET population = excluded.population, source = excluded.source,"
            " loaded_by_id = excluded.loaded_by_id",
            [rec["partnership_code"], rec["year"], float(rec["population"]), rec["source"],
             partnership_id],
        )  # fmt: skip
    return len(sheet)


def load_contributions(con, fw: Framework, county_id: int, indicator_ids: dict) -> int:
    """The Contributions sheet: each named indicator's contributions replaced by the sheet's;
    every district named must be one of the county's."""
    sheet = fw.get("Contributions")
    if sheet is None or sheet.empty:
        return 0
    districts = _district_codes(con, county_id)
    problems = [
        _error(fw, spec.CONTRIBUTIONS, rec["_row"], "district_code", rec["district_code"],
               "this is not one of the county's districts",
               "List it on the Districts sheet (or load its framework naming this county), "
               "or correct the code.")
        for rec in sheet.to_dict("records")
        if rec["district_code"] not in districts
    ]  # fmt: skip
    if problems:
        raise FileRejected(problems)
    for code in sheet["code"].unique():
        con.execute("DELETE FROM contribution_target WHERE indicator_id = ?", [indicator_ids[code]])
    for rec in sheet.to_dict("records"):
        con.execute(
            "INSERT INTO contribution_target (indicator_id, district_code, financial_year,"
            " contribution_value, set_on, reason) VALUES (?, ?, ?, ?, ?, ?)",
            [indicator_ids[rec["code"]], rec["district_code"], rec["year"],
             float(rec["contribution_target"]), rec["set_on"] or date.today(), rec["reason"]],
        )  # fmt: skip
    return len(sheet)


def load_reward(con, fw: Framework, partnership_id: int, indicator_ids: dict) -> dict[str, int]:
    """Reward allocations (each named target's replaced) and adjustments (the partnership's
    replaced by the sheet's, when the sheet is there)."""
    counts = {}
    allocations = fw.get("Reward allocations")
    if allocations is not None and not allocations.empty:
        for code in allocations["code"].unique():
            con.execute(
                "DELETE FROM reward_allocation WHERE indicator_id = ?", [indicator_ids[code]]
            )
        for rec in allocations.to_dict("records"):
            con.execute(
                "INSERT INTO reward_allocation (indicator_id, partner, share_pct) VALUES (?, ?, ?)",
                [indicator_ids[rec["code"]], rec["partner"], float(rec["share_pct"])],
            )
        counts["reward_allocations"] = len(allocations)
    adjustments = fw.get("Reward adjustments")
    if adjustments is not None and not adjustments.empty:
        con.execute("DELETE FROM reward_adjustment WHERE partnership_id = ?", [partnership_id])
        for rec in adjustments.to_dict("records"):
            pct = rec["reduction_pct"]
            con.execute(
                "INSERT INTO reward_adjustment (partnership_id, decided_on, adjustment,"
                " reduction_pct, note) VALUES (?, ?, ?, ?, ?)",
                [partnership_id, rec["decided_on"], rec["adjustment"],
                 None if pct is None or pd.isna(pct) else float(pct), rec["note"]],
            )  # fmt: skip
        counts["reward_adjustments"] = len(adjustments)
    return counts
