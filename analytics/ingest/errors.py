"""Why a return could not be read: every error names the file, sheet, cell, what was found,
what went wrong and what the person who sent it should do.
"""

from __future__ import annotations


class IngestError(Exception):
    """A file (or part of it) that cannot be loaded as it is."""

    def __init__(
        self,
        message: str,
        *,
        fix: str,
        file: str = "",
        sheet: str | None = None,
        cell: str | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.value = value

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" › {self.sheet}"
        if self.cell:
            where += f"!{self.cell}"
        found = "" if self.value is None else f" (found {self.value!r})"
        return f"{where}: {self.message}{found}. {self.fix}"


class UnsupportedFile(IngestError):
    """Not a spreadsheet we can read: wrong kind of file, garbage, empty."""


class CorruptFile(IngestError):
    """Looks like a spreadsheet but is damaged."""


class PasswordProtected(IngestError):
    """Encrypted workbook: we cannot read it without the password."""


class FileTooLarge(IngestError):
    """Over a configured limit (bytes, rows, zip expansion)."""


class EmptyWorkbook(IngestError):
    """No visible sheet holds any cells."""


class NoHeaderRow(IngestError):
    """No row in the first rows looks like the header of a return."""


class UnsafeToRead(IngestError):
    """The reader process crashed, ran out of memory or ran out of time on this file.

    Contained: the file is refused and the reader replaced; the app and every other file
    read at the same time are untouched. The message starts "this file could not be read
    safely: ..."."""
