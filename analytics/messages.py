"""Messages about a file a person gave us: where, what was found, what to do."""

from __future__ import annotations

from dataclasses import dataclass


def column_letter(col: int) -> str:
    """0 -> ``A``, 25 -> ``Z``, 26 -> ``AA``."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based (row, column) -> ``'D14'``."""
    return f"{column_letter(col)}{row + 1}"


@dataclass(frozen=True)
class Message:
    """One problem in a file. ``severity`` is 'error' (cannot be loaded) or 'warning'."""

    severity: str
    file: str
    sheet: str | None
    cell: str | None
    value: object
    text: str
    fix: str

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.cell:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        found = "" if self.value in (None, "") else f" (found {self.value!r})"
        return f"{self.severity.upper()}: {self.where()}: {self.text}{found}. {self.fix}"

    def __str__(self) -> str:
        return self.format()


class FileRejected(Exception):
    """A file that cannot be loaded as it is; nothing was written."""

    def __init__(self, messages: list[Message]):
        self.messages = messages
        errors = [m for m in messages if m.severity == "error"]
        super().__init__("\n".join(m.format() for m in errors or messages))


class MessageCheck:
    """For results that carry ``messages``: which are errors, which warnings, and whether
    the file can be loaded as it is (warnings allowed)."""

    messages: list[Message]

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.is_error]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if not m.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors
