"""Who may do what: users, roles per partnership, and the one permission check.

- ``roles``: the roles, the actions each may take, :class:`User`, :func:`may` and
  :func:`require` (every write function in ``analytics/warehouse/`` asks it).
- ``passwords``: the password rules (NCSC) and argon2id hashing.
- ``sessions``: session tokens (kept only as hashes), idle limit, lock-out, the cookie
  hand-over.
"""

from analytics.access.roles import (
    ACTIONS,
    ROLES,
    Grant,
    PermissionDenied,
    User,
    cli_user,
    may,
    may_somewhere,
    require,
    require_somewhere,
    with_tiers,
)

__all__ = [
    "ACTIONS",
    "ROLES",
    "Grant",
    "PermissionDenied",
    "User",
    "cli_user",
    "may",
    "may_somewhere",
    "require",
    "require_somewhere",
    "with_tiers",
]
