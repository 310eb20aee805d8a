"""Roles and the actions they allow, held per partnership (pure: no I/O).

Every write function takes the acting :class:`User` and calls :func:`require` before it
writes; pages ask :func:`may` to decide what to show. The table :data:`ACTIONS` is the one
place that says which role may do what.

**Across the tiers** (a county and its districts): a role held in a county reaches each of
its districts for the reads in :data:`DOWN_THE_TIERS` (a county officer reads and reports on
its districts; never writes there); a role held in a district reaches its county for the
reads in :data:`UP_THE_TIERS` (the county's LAA figures; not another district's unpublished
data, which no grant reaches). :func:`with_tiers` adds those reaching grants to a user, given
who is whose county; whoever reads across the tiers calls it (the pages' signed-in user, the
county view's read).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

ROLES: dict[str, str] = {
    "admin": "Administrator: manages accounts; everything an officer can do",
    "officer": "Performance officer: returns, framework, reports, publication",
    "theme_lead": "Theme-group lead: their own theme group's returns; reads everything else",
    "board": "Board member: every Board page and the Board pack",
    "scrutiny": "Scrutiny councillor: what a Board member reads, plus the scrutiny pages",
}

_STAFF = frozenset({"admin", "officer"})
_READERS = frozenset(ROLES)

ACTIONS: dict[str, frozenset[str]] = {
    # Board pages, trend charts, exceptions and the Board pack.
    "board.read": _READERS,
    # Returns: template, upload, preview, commit (theme leads for their own theme groups).
    "returns.submit": _STAFF | {"theme_lead"},
    "returns.withdraw": _STAFF,
    # Sign-off: accept a return, or send it back with a note.
    "returns.review": _STAFF,
    # The collection: due dates, reminders, the Board's accepted-only setting, period locks
    # and reopenings.
    "collection.manage": _STAFF,
    # The framework: read its page; load a workbook.
    "framework.read": _STAFF | {"theme_lead"},
    "framework.import": _STAFF,
    # Accounts and the audit log.
    "users.manage": frozenset({"admin"}),
    "audit.read": _STAFF,
    # Scrutiny: the six-monthly review and the recommendation tracker.
    "scrutiny.read": _STAFF | {"scrutiny", "board"},
    "scrutiny.recommend": frozenset({"admin", "scrutiny"}),  # record and close recommendations
    "scrutiny.respond": _STAFF,  # record responses and progress
    "scrutiny.manage": _STAFF,  # red flags, review meeting dates
    # The annual report and publication.
    "annual.write": _STAFF,
    "publish": _STAFF,
    # The county's LAA: its view (figures made from its districts'), its pack, the reward.
    "county.read": _READERS,
}

# Reads a role held in a county also allows in each of its districts.
DOWN_THE_TIERS = frozenset({"board.read", "county.read"})
# Reads a role held in a district also allows in its county (the county's LAA figures).
UP_THE_TIERS = frozenset({"county.read"})
REACHES = ("own", "down", "up")

# Actions a theme lead may take only for the theme groups named in their grant.
THEME_SCOPED = frozenset({"returns.submit"})


class PermissionDenied(PermissionError):
    """The acting user's role does not allow this."""


@dataclass(frozen=True)
class Grant:
    """A role in one partnership (``partnership_id`` None: every partnership).

    ``reach``: ``own`` (the role as given), or a role given in another partnership reaching
    this one across the tiers (:func:`with_tiers`): ``down`` from its county, ``up`` from one
    of its districts; those allow only the reads of :data:`DOWN_THE_TIERS` and
    :data:`UP_THE_TIERS`."""

    role: str
    partnership_id: int | None = None
    theme_ids: frozenset[int] = field(default_factory=frozenset)
    reach: str = "own"

    def covers(self, partnership_id: int | None) -> bool:
        return self.partnership_id is None or self.partnership_id == partnership_id

    def allows(self, action: str) -> bool:
        """Whether this grant's reach takes ``action`` (its role still has to allow it)."""
        if self.reach == "own":
            return True
        return action in (DOWN_THE_TIERS if self.reach == "down" else UP_THE_TIERS)


@dataclass(frozen=True)
class User:
    """Someone acting on the warehouse: a signed-in account, or ``lsp`` on the server."""

    email: str
    display_name: str
    grants: tuple[Grant, ...] = ()
    user_id: int | None = None
    source: str = "password"  # password | sso | cli

    @property
    def actor(self) -> str:
        """What the audit log records: the account's email, or ``cli:<os user>``."""
        return self.email

    def roles(self, partnership_id: int | None) -> frozenset[str]:
        return frozenset(g.role for g in self.grants if g.covers(partnership_id))

    def theme_ids(self, partnership_id: int | None) -> frozenset[int]:
        """The theme groups this user leads in a partnership."""
        return frozenset().union(
            *(
                g.theme_ids
                for g in self.grants
                if g.role == "theme_lead" and g.reach == "own" and g.covers(partnership_id)
            )
        )

    def reaches(self, partnership_id: int | None) -> frozenset[str]:
        """How this user's roles reach a partnership: ``own``, ``down``, ``up``."""
        return frozenset(g.reach for g in self.grants if g.covers(partnership_id))

    def role_label(self, partnership_id: int | None) -> str:
        order = list(ROLES)
        return ", ".join(sorted(self.roles(partnership_id), key=order.index)) or "no role"


def may(
    user: User | None, action: str, partnership_id: int | None, theme_id: int | None = None
) -> bool:
    """Whether ``user`` may take ``action`` in a partnership (and for a theme group).

    A theme lead may take a theme-scoped action only for their own theme groups; with
    ``theme_id`` None the question is whether they may take it for any of them.
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    if user is None:
        return False
    roles = {g.role for g in user.grants if g.covers(partnership_id) and g.allows(action)}
    allowed = roles & ACTIONS[action]
    if not allowed:
        return False
    if action in THEME_SCOPED and allowed == {"theme_lead"} and theme_id is not None:
        return theme_id in user.theme_ids(partnership_id)
    return True


def require(
    user: User | None, action: str, partnership_id: int | None, theme_id: int | None = None
) -> None:
    """Refuse (:class:`PermissionDenied`) unless ``user`` may take ``action``."""
    if not may(user, action, partnership_id, theme_id):
        who = (
            "Nobody is signed in"
            if user is None
            else f"{user.email} ({user.role_label(partnership_id)})"
        )
        raise PermissionDenied(f"{who} may not do this: {action} is not allowed for that role.")


def may_somewhere(user: User | None, action: str) -> bool:
    """Whether ``user`` may take ``action`` in at least one partnership: the check a write
    makes before it opens the warehouse, ahead of :func:`require` for the partnership its
    data turns out to belong to."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return user is not None and any(g.role in ACTIONS[action] for g in user.grants)


def require_somewhere(user: User | None, action: str) -> None:
    """Refuse (:class:`PermissionDenied`) unless ``user`` may take ``action`` somewhere."""
    if not may_somewhere(user, action):
        who = "Nobody is signed in" if user is None else f"{user.email} ({user.role_label(None)})"
        raise PermissionDenied(f"{who} may not do this: {action} is not allowed for that role.")


def with_tiers(user: User | None, parent_of: Mapping[int, int | None]) -> User | None:
    """``user`` with the grants their roles reach across the tiers: a role in a county reaches
    each of its districts (``down``), a role in a district reaches its county (``up``).
    ``parent_of``: partnership id -> its county's id (None: none). Grants for every
    partnership need nothing; calling it again adds nothing."""
    if user is None:
        return None
    own = [g for g in user.grants if g.reach == "own"]
    placed = [g for g in own if g.partnership_id is not None]
    if not placed:
        return user
    children: dict[int, list[int]] = {}
    for pid, parent in parent_of.items():
        if parent is not None:
            children.setdefault(int(parent), []).append(int(pid))
    reached = []
    for g in placed:
        for district in sorted(children.get(g.partnership_id, ())):
            reached.append(Grant(g.role, district, reach="down"))
        county = parent_of.get(g.partnership_id)
        if county is not None:
            reached.append(Grant(g.role, int(county), reach="up"))
    grants = tuple(dict.fromkeys([*own, *reached]))
    if grants == user.grants:
        return user
    return replace(user, grants=grants)


def cli_user() -> User:
    """``lsp`` run on the server by someone with access to its files: every right, audited
    as ``cli:<operating-system user>``."""
    name = os.environ.get("LSP_USER") or getpass.getuser() or "unknown"
    return User(
        email=f"cli:{name}",
        display_name=f"{name} (command line)",
        grants=(Grant("admin"),),
        source="cli",
    )
