"""A partnership found by what people call it: its code or its name, in any case.

The one lookup for the whole product: every ``lsp`` command that takes ``--partnership``,
the accounts (a role held in one partnership) and the public site's build. Its rules are
:data:`RULES` (docs/cli.md shows them): :func:`find_partnership` gives a :class:`Partnership`
or raises a :class:`PartnershipError` saying what was not found or what was ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.warehouse.connection import reader

SHOWN_CODES = 10

RULES = """\
A partnership is found by its code or its name, in any case, with spaces trimmed and runs of
spaces made one:

1. a partnership's code (`wvp` finds `WVP`);
2. else a partnership's whole name (`wyvern VALE partnership`);
3. else the start of a partnership's name (`Wyvern Vale`).

The first of these that matches anything decides. One partnership is the answer. Several are
**ambiguous** (two partnerships of the same name, or a start that several names share: in the
demo `Wyvern` begins both Wyvern Vale Partnership and Wyvernshire Partnership), and the
message lists their codes. None is **not found**, and the message lists the codes there are.
A message lists at most ten codes, sorted, and says that `lsp partnerships` lists them all.
A code is unique, so never ambiguous (of two codes that differ only in case, the one spelt as
given)."""


@dataclass(frozen=True)
class Partnership:
    """A partnership as the layers below the command line and the pages take it."""

    id: int
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PartnershipError(LookupError):
    """No partnership, or more than one, answers to the text given. ``candidates`` are the
    codes of the ones it could mean (ambiguous) or empty (not found)."""

    def __init__(self, message: str, text: str, candidates: tuple[str, ...] = ()):
        super().__init__(message)
        self.text = text
        self.candidates = candidates

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)


def some_codes(codes) -> str:
    """At most ten partnership codes, sorted, and how to list them all when there are more."""
    ordered = sorted(str(c) for c in codes)
    shown = ", ".join(ordered[:SHOWN_CODES])
    if len(ordered) <= SHOWN_CODES:
        return shown
    return f"{shown} and {len(ordered) - SHOWN_CODES} more (`lsp partnerships` lists them all)"


def _rows(path, sql: str) -> list[Partnership]:
    cur = reader(path)
    try:
        return [Partnership(int(i), str(c), str(n)) for i, c, n in cur.execute(sql).fetchall()]
    finally:
        cur.close()


def all_partnerships(path=None) -> list[Partnership]:
    """Every partnership, by code."""
    return _rows(path, "SELECT partnership_id, partnership_code, name FROM partnership ORDER BY 2")


def with_framework(path=None) -> list[Partnership]:
    """The partnerships that have a framework (at least one indicator), by code."""
    return _rows(
        path,
        "SELECT partnership_id, partnership_code, name FROM partnership p WHERE EXISTS"
        " (SELECT 1 FROM indicator i WHERE i.partnership_id = p.partnership_id) ORDER BY 2",
    )


def _folded(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def match(partnerships: list[Partnership], text: str) -> Partnership:
    """The partnership ``text`` means among ``partnerships`` (the rules above)."""
    wanted = _folded(text)
    if not wanted:
        raise PartnershipError("No partnership named: give a partnership's code or name.", text)
    codes = [p for p in partnerships if p.code.casefold() == wanted]
    exact = [p for p in codes if p.code == " ".join(str(text).split())]
    hits = (
        exact
        or codes
        or [p for p in partnerships if _folded(p.name) == wanted]
        or [p for p in partnerships if _folded(p.name).startswith(wanted)]
    )
    if len(hits) == 1:
        return hits[0]
    if hits:
        found = tuple(sorted(p.code for p in hits))
        raise PartnershipError(
            f"{text!r} could be any of {len(found)} partnerships ({some_codes(found)}): "
            "give its code.",
            text,
            found,
        )
    there = some_codes(p.code for p in partnerships) if partnerships else "none yet"
    raise PartnershipError(
        f"There is no partnership called {text!r} (by code or name); the codes are: {there}.", text
    )


def find_partnership(path, text: str) -> Partnership:
    """The one partnership ``text`` names, by code or name in any case (module docstring);
    :class:`PartnershipError` saying what was not found or what was ambiguous."""
    return match(all_partnerships(path), text)
