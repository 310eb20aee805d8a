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


# --- Across the tiers: county 1 with districts 2 and 3; 4 stands alone -----------------------

PARENTS = {1: None, 2: 1, 3: 1, 4: None}


def test__tiers__a_county_officer_reads_and_reports_on_its_districts_but_never_writes_there():
    from analytics.access import with_tiers

    county = with_tiers(User("c@example.org", "County", (Grant("officer", 1),)), PARENTS)
    assert may(county, "board.read", 2) and may(county, "county.read", 3)
    assert not may(county, "returns.submit", 2)
    assert not may(county, "framework.import", 3)
    assert not may(county, "publish", 2)
    assert not may(county, "board.read", 4)  # not one of its districts
    assert may(county, "framework.import", 1)  # its own partnership: everything it had


def test__tiers__a_district_officer_sees_the_countys_laa_not_another_districts_data():
    from analytics.access import with_tiers

    district = with_tiers(User("d@example.org", "District", (Grant("officer", 2),)), PARENTS)
    assert may(district, "county.read", 1)
    assert not may(district, "board.read", 1)  # the county's own pages: no
    assert not may(district, "board.read", 3) and not may(district, "county.read", 3)
    assert may(district, "returns.submit", 2)
    assert district.reaches(1) == {"up"} and district.reaches(2) == {"own"}


def test__tiers__reaching_grants_add_nothing_twice_and_leave_global_roles_alone():
    from analytics.access import with_tiers

    once = with_tiers(User("c@example.org", "County", (Grant("board", 1),)), PARENTS)
    assert with_tiers(once, PARENTS) == once
    admin = User("a@example.org", "Admin", (Grant("admin"),))
    assert with_tiers(admin, PARENTS) is admin
    lead = with_tiers(User("l@example.org", "Lead", (Grant("theme_lead", 1, frozenset({7})),)),
                      PARENTS)  # fmt: skip
    assert lead.theme_ids(2) == frozenset()  # a county lead leads no district's theme group
    assert not may(lead, "returns.submit", 2, theme_id=7)
