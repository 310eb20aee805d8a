"""What the security tests share: the demo's partnership, theme groups and a theme lead
(``fingerprint``, the whole warehouse row by row, is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.access import Grant, User
from analytics.warehouse import queries

SAFER = "Communities that are safe and feel safe"
HEALTH = "Improving health and well-being"


def demo_pid(path: Path) -> int:
    found = queries.partnerships(path)
    return int(found[found["indicators"] > 0]["partnership_id"].iloc[0])


def theme_id(path: Path, name: str) -> int:
    themes = queries.themes(path, demo_pid(path))
    return int(themes.loc[themes["theme"] == name, "theme_id"].iloc[0])


@pytest.fixture
def safer_lead(demo_copy) -> User:
    """A theme lead of the demo's safer-communities theme group only."""
    pid = demo_pid(demo_copy)
    grant = Grant("theme_lead", pid, frozenset({theme_id(demo_copy, SAFER)}))
    return User("lead@test.example", "Test lead", (grant,))
