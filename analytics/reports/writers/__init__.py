"""The shared writers: a :class:`analytics.reports.document.Document` as xlsx, docx or html
bytes. They know formats, never reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the formats below are read by `lsp --help`: importing stays cheap
    from analytics.reports.document import Document

# Every format the shared writers write; the reports read as prose (the annual report, what
# changed) have no workbook: their formats are PROSE_FORMATS.
FORMATS = ("xlsx", "docx", "html")
PROSE_FORMATS = ("docx", "html")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}


def check_format(fmt: str, formats: tuple[str, ...] = FORMATS) -> None:
    """Raise ValueError unless ``fmt`` is one of ``formats``."""
    if fmt not in formats:
        raise ValueError(f"format must be one of {', '.join(formats)}, not {fmt!r}")


def render(document: Document, fmt: str) -> bytes:
    """The document in ``fmt`` (xlsx, docx or html)."""
    check_format(fmt)
    if fmt == "xlsx":
        from analytics.reports.writers.xlsx import write_xlsx

        return write_xlsx(document)
    if fmt == "docx":
        from analytics.reports.writers.docx import write_docx

        return write_docx(document)
    if fmt == "html":
        from analytics.reports.writers.html import write_html

        return write_html(document)
    raise AssertionError(fmt)  # every format of FORMATS has a writer above
