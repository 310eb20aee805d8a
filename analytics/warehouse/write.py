"""The one way to write for a person: check, write in one transaction, audit as that person.

Every write made for someone (a signed-in account in the app, or ``lsp`` on the server acting
as :func:`analytics.access.cli_user`) is one block::

    with write(warehouse, user, "scrutiny.respond", partnership_id) as tx:
        tx.con.execute("UPDATE recommendation SET ...", [...])
        tx.audit("respond", "recommendation", reference, {"partnership_id": partnership_id})

:func:`write` asks :func:`analytics.access.require` before it opens anything (a refusal is
:class:`~analytics.access.PermissionDenied` and the warehouse is untouched), then opens the
one writer's transaction (:func:`analytics.warehouse.connection.writer`: writers take turns,
everything in the block commits together or not at all). :meth:`Transaction.audit` records the
user's :attr:`~analytics.access.User.actor` (their email, or ``cli:<os user>``); nobody passes
an actor by hand, so no write can record the operating-system account by forgetting to.

A write whose partnership is known only once its data is read (a return names its own
partnership and theme group; a framework workbook may bring a new partnership) opens with
:data:`SOMEWHERE`: the user must be allowed the action in at least one partnership to start,
and the block calls :meth:`Transaction.require` for each partnership (and theme group) it turns
out to write, before it audits. A block opened with :data:`SOMEWHERE` that ends without
such a check is a programming error (:class:`UncheckedWrite`) and is rolled back.

Model: datasette's ``execute_write_fn`` (every write is one function run by the one writer)
and notifications-api's ``@autocommit`` (the transaction belongs to the write function, not
to its callers).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

from analytics.access import User, may, require, require_somewhere
from analytics.warehouse.audit import audit_rows
from analytics.warehouse.connection import writer


class _Somewhere:
    def __repr__(self) -> str:
        return "SOMEWHERE"


SOMEWHERE = _Somewhere()
"""``partnership_id`` of a write whose partnership is known only inside the transaction."""


class UncheckedWrite(RuntimeError):
    """A write opened with :data:`SOMEWHERE` audited or ended without checking the permission
    for the partnership it wrote (a programming error, not a data problem)."""


class Transaction:
    """What a :func:`write` block works with: the connection, the acting user, the checks
    still to make and the audit log."""

    def __init__(self, con: duckdb.DuckDBPyConnection, user: User, *, checked: bool) -> None:
        self.con = con
        self.user = user
        self._checked = checked

    @property
    def actor(self) -> str:
        """Who this write is for, as ``recorded_by`` columns and the audit log keep it."""
        return self.user.actor

    def may(self, action: str, partnership_id: int | None, theme_id: int | None = None) -> bool:
        """Whether the user may take ``action`` there (to choose a clearer refusal)."""
        return may(self.user, action, partnership_id, theme_id)

    def require(self, action: str, partnership_id: int | None, theme_id: int | None = None) -> None:
        """Refuse (:class:`~analytics.access.PermissionDenied`, the transaction is rolled
        back) unless the user may take ``action`` in the partnership the data belongs to."""
        require(self.user, action, partnership_id, theme_id)
        self._checked = True

    def audit(
        self, event: str, entity: str, key: str | None = None, detail: dict | None = None
    ) -> None:
        """One audit-log row for this write, with the acting user as its actor."""
        self.audit_all([(event, entity, key, detail)])

    def audit_all(self, entries: list[tuple[str, str, str | None, dict | None]]) -> None:
        """Audit-log rows for this write, in order, by one statement: each entry is
        (event, entity, key, detail), as for :meth:`audit`."""
        if not entries:
            return
        if not self._checked:
            event, entity = entries[0][:2]
            raise UncheckedWrite(
                f"{event} {entity}: a write opened for SOMEWHERE must call tx.require(...) "
                "for the partnership it writes before it audits."
            )
        audit_rows(self.con, entries, actor=self.user.actor)


@contextmanager
def write(
    warehouse: str | os.PathLike | None,
    user: User | None,  # None (nobody signed in) is refused
    action: str,
    partnership_id: int | None | _Somewhere,
    theme_id: int | None = None,
    *,
    wait: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Transaction]:
    """Check that ``user`` may take ``action`` in ``partnership_id`` (``None``: in every
    partnership; :data:`SOMEWHERE`: in at least one, checked again inside), then yield a
    :class:`Transaction` on the one writer. ``theme_id``: the theme group, for actions a theme
    lead may take only for their own. ``wait``, ``on_wait``: as for
    :func:`~analytics.warehouse.connection.writer`."""
    somewhere = partnership_id is SOMEWHERE
    if somewhere:
        if theme_id is not None:
            raise TypeError("check a theme group with tx.require once its partnership is known")
        require_somewhere(user, action)
    else:
        require(user, action, partnership_id, theme_id)
    with writer(warehouse, wait=wait, on_wait=on_wait) as con:
        tx = Transaction(con, user, checked=not somewhere)
        yield tx
        if not tx._checked:
            raise UncheckedWrite(
                f"{action}: a write opened for SOMEWHERE ended without tx.require(...) for the "
                "partnership it wrote; nothing was committed."
            )
