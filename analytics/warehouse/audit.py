"""The audit log's one insert: who did what to which record, inside the writer's transaction.

A write made for a person audits through :meth:`analytics.warehouse.write.Transaction.audit`,
which passes that person's :attr:`~analytics.access.User.actor`; nobody names the actor by
hand there. This function is the layer beneath it, for the few writers that are not made for
a signed-in person through :func:`~analytics.warehouse.write.write` (the accounts store and
the benchmark builder). ``actor`` has no default: a write that does not say who made it does
not run, rather than record the operating-system account.
"""

from __future__ import annotations

import json

import duckdb


def audit(
    con: duckdb.DuckDBPyConnection,
    event: str,
    entity: str,
    entity_key: str | None = None,
    detail: dict | None = None,
    *,
    actor: str,
) -> None:
    """One row of ``audit_log`` (``detail`` as sorted JSON), in the caller's transaction."""
    audit_rows(con, [(event, entity, entity_key, detail)], actor=actor)


def audit_rows(
    con: duckdb.DuckDBPyConnection,
    rows: list[tuple[str, str, str | None, dict | None]],
    *,
    actor: str,
) -> None:
    """Rows of ``audit_log`` of one actor, in order, by one statement: each row is
    (event, entity, entity_key, detail), ``detail`` kept as sorted JSON."""
    if not actor:
        raise ValueError("an audit entry needs its actor (who made the change)")
    if not rows:
        return
    events, entities, keys, details = (list(c) for c in zip(*rows, strict=True))
    con.execute(
        "INSERT INTO audit_log (actor, event, entity, entity_key, detail)"
        " SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),"
        " unnest(?::VARCHAR[])",
        [actor, events, entities, keys,
         [json.dumps(d or {}, default=str, sort_keys=True) for d in details]],
    )  # fmt: skip
