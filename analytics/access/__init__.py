"""Who may do what: users, roles per partnership, and the one permission check.

- ``roles``: the roles, the actions each may take, :class:`User`, :func:`may` and
  :func:`require` (every write function in ``analytics/warehouse/`` asks it).
"""

from analytics.access.roles import (
    ACTIONS,
    ROLES,
    Grant,
    PermissionDenied,
    User,
    cli_user,
    may,
    require,
)

__all__ = ["ACTIONS", "ROLES", "Grant", "PermissionDenied", "User", "cli_user", "may", "require"]
