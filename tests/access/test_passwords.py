import pytest

from analytics.access import passwords, sessions
from analytics.access.passwords import PasswordRejected, check_password


def test__check_password__ten_characters_is_enough_and_nine_is_not():
    check_password("riverbankstone")  # no composition rules: lower-case letters are fine
    with pytest.raises(PasswordRejected, match="at least 10"):
        check_password("abcdefghi")


def test__check_password__refuses_the_commonest_passwords_in_any_case():
    assert "1234567890" in passwords.common_passwords()
    with pytest.raises(PasswordRejected, match="commonest"):
        check_password("1234567890")
    with pytest.raises(PasswordRejected, match="commonest"):
        check_password("Qwertyuiop")


def test__check_password__refuses_the_accounts_own_email():
    with pytest.raises(PasswordRejected, match="own email"):
        check_password("jo.bloggs@council.example", email="jo.bloggs@council.example")


def test__hash_password__argon2id_salted_and_verifiable():
    first, second = (
        passwords.hash_password("correct horse"),
        passwords.hash_password("correct horse"),
    )
    assert first.startswith("$argon2id$") and first != second
    assert passwords.verify_password(first, "correct horse")
    assert not passwords.verify_password(first, "correct horsf")
    assert not passwords.verify_password(None, "anything at all")
    assert not passwords.verify_password("not a hash", "anything at all")


def test__sessions__token_kept_only_as_its_hash():
    token = sessions.new_token()
    assert len(token) >= 40 and sessions.token_hash(token) != token
    assert sessions.token_hash(token) == sessions.token_hash(token)


def test__last_seen__written_at_most_once_per_interval():
    from datetime import datetime, timedelta

    seen = sessions.LastSeen()
    t0 = datetime(2026, 12, 1, 9, 0)
    assert not seen.seen("h", t0, stored=t0)  # just written at sign-in
    gap = sessions.TOUCH_INTERVAL
    assert not seen.seen("h", t0 + gap - timedelta(minutes=1), stored=t0)
    assert seen.last("h", t0) == t0 + gap - timedelta(minutes=1)
    assert seen.seen("h", t0 + gap, stored=t0)
    assert not seen.seen("h", t0 + gap + timedelta(minutes=1), stored=t0)


def test__handover__once_within_a_minute_and_only_for_its_browser():
    from datetime import datetime, timedelta

    now = datetime(2026, 12, 1, 9, 0)
    code = sessions.issue_handover("tok", "browser-a", now, "/returns")
    assert sessions.redeem_handover(code, "browser-b", now) is None  # another browser
    code = sessions.issue_handover("tok", "browser-a", now, "/returns")
    assert sessions.redeem_handover(code, "browser-a", now) == ("tok", "/returns")
    assert sessions.redeem_handover(code, "browser-a", now) is None  # used
    late = sessions.issue_handover("tok", "browser-a", now)
    assert sessions.redeem_handover(late, "browser-a", now + timedelta(seconds=61)) is None


def test__safe_next__never_another_site():
    assert sessions.safe_next("/returns") == "/returns"
    for bad in ("https://evil.example/", "//evil.example", "returns", "/\\evil", None):
        assert sessions.safe_next(bad) == "/"
