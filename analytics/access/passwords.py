"""Passwords as the National Cyber Security Centre advises: at least 10 characters, none of
the commonest passwords, no composition rules, no forced expiry; kept only as argon2id
hashes (``argon2-cffi``, its RFC 9106 low-memory profile).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
_HASHER = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4
# What a check of an address with no password (no account, or single sign-on only) is
# verified against, so it does exactly the work of a real check: the hash of a random
# password made once and thrown away (with _HASHER's parameters: a test keeps them equal).
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$p6BREhiX4chTRSckDguV7w$Y431gFPn72+WxzetDrb6x0xrjTTXg5pAChc33YzeGaM"  # noqa: E501


class PasswordRejected(ValueError):
    """The password does not meet the rules; the message says which and what to do."""


@cache
def common_passwords() -> frozenset[str]:
    """The shipped deny list (lower-case)."""
    text = (resources.files("analytics.access") / "data" / "common-passwords.txt").read_text(
        "utf-8"
    )
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("#")
    )


def check_password(password: str, *, email: str = "", display_name: str = "") -> None:
    """Refuse (:class:`PasswordRejected`) a password that is too short, common, or the
    account's own email or name. Nothing else is asked of it: length beats symbols."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(
            f"The password has {len(password)} characters; it needs at least {MIN_LENGTH}. "
            "Three random words make a long password that is easy to remember."
        )
    folded = password.strip().lower()
    if folded in common_passwords():
        raise PasswordRejected(
            "That password is on the list of the commonest passwords, which are guessed "
            "first. Choose another (three random words work well)."
        )
    own = {email.strip().lower(), email.strip().lower().split("@")[0], display_name.lower()}
    if folded in own - {""}:
        raise PasswordRejected(
            "The password must not be the account's own email address or name. Choose another."
        )


def hash_password(password: str) -> str:
    """The argon2id hash to store (salted: the same password hashes differently each time)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash (False for no hash or a damaged one).
    Always exactly one argon2id verification, hash or no hash: no hint whether an account
    exists."""
    try:
        return _HASHER.verify(stored_hash or DUMMY_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
