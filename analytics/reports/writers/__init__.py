"""The shared writers: a :class:`analytics.reports.document.Document` as xlsx, docx or html
bytes. They know formats, never reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the formats below are read by `lsp --help`: importing stays cheap
    from analytics.reports.document import Document

FORMATS = ("xlsx", "docx", "html")
PAGE_FORMATS = ("docx", "html")  # the formats laid out as pages (a document's "page" media)
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}


def render(document: Document, fmt: str) -> bytes:
    """The document in ``fmt`` (xlsx, docx or html)."""
    if fmt == "xlsx":
        from analytics.reports.writers.xlsx import write_xlsx

        return write_xlsx(document)
    if fmt == "docx":
        from analytics.reports.writers.docx import write_docx

        return write_docx(document)
    if fmt == "html":
        from analytics.reports.writers.html import write_html

        return write_html(document)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
