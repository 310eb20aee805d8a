import pytest

from analytics.access import ACTIONS, Grant, PermissionDenied, User, cli_user, may, require

BOARD = User("b@example.org", "Board member", (Grant("board", 1),))
LEAD = User("l@example.org", "Theme lead", (Grant("theme_lead", 1, frozenset({7})),))
OFFICER = User("o@example.org", "Officer", (Grant("officer", 1),))


def test__may__board_member_reads_but_cannot_load_returns():
    assert may(BOARD, "board.read", 1)
    assert not may(BOARD, "returns.submit", 1)
    with pytest.raises(PermissionDenied, match="board"):
        require(BOARD, "returns.submit", 1)


def test__may__theme_lead_only_for_own_theme():
    assert may(LEAD, "returns.submit", 1, theme_id=7)
    assert not may(LEAD, "returns.submit", 1, theme_id=8)
    assert may(LEAD, "returns.submit", 1)  # the page: some theme of theirs
    assert not may(LEAD, "returns.withdraw", 1, theme_id=7)


def test__may__roles_are_per_partnership():
    assert may(OFFICER, "framework.import", 1)
    assert not may(OFFICER, "framework.import", 2)
    assert not may(None, "board.read", 1)


def test__cli_user__may_do_everything_and_is_audited_as_cli():
    user = cli_user()
    assert user.actor.startswith("cli:")
    assert all(may(user, action, 99, theme_id=3) for action in ACTIONS)


def test__may__unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        may(OFFICER, "reports.burn", 1)
