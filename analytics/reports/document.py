"""What a report says, as plain blocks: headings, paragraphs, facts, tables, charts.

A report gathers its data once (a dataclass of frames), then lays it out as a
:class:`Document` built from these blocks. The shared writers in
:mod:`analytics.reports.writers` turn a document into xlsx, docx or html, each the same way
for every report: a status cell is always shaded with the status colour and carries its
word and symbol; a number keeps its unit and decimals; a chart is one spec
(:mod:`analytics.charts.spec`).

Nothing here knows a file format, and the writers never import a report.

A document is a list of :class:`Part`. In a workbook each part is a sheet (named
``Part.sheet``); in Word and HTML the parts follow one another, each under its title.
A report may give a part ``media`` ("sheet": only in workbooks; "page": only in Word and
HTML) when the two kinds of reader need different cuts of the same data: a spreadsheet
wants every indicator with every column, a committee appendix only the exceptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Scheme = Literal["rag", "public", "action", "recommendation", "response"]


@dataclass(frozen=True)
class Status:
    """A status cell: ``status`` is a code (``red``, ``amber``...) of ``scheme``; ``note``
    is shown beneath the word (the reason)."""

    status: str
    note: str = ""
    scheme: Scheme = "rag"


@dataclass(frozen=True)
class Number:
    """A figure in its unit: a number in a workbook (formatted with ``decimals``), text
    elsewhere. ``text`` overrides how it reads in Word and HTML."""

    value: float | None
    decimals: int = 1
    unit: str = ""
    text: str | None = None


@dataclass(frozen=True)
class Lines:
    """Several lines in one cell (the first may be bold): a paragraph each in Word, line
    breaks in HTML, one newline-joined text in a workbook."""

    lines: tuple[str, ...]
    bold_first: bool = False


@dataclass(frozen=True)
class Column:
    header: str
    kind: Literal["text", "wrap", "number", "int", "date", "status", "lines"] = "text"
    align: Literal["left", "right", "center"] = "left"
    status: str | None = None  # a count column of this status: header shaded, cells tagged


@dataclass
class Table:
    """Rows of cells under column headers. A cell is text, a number, a date, ``None``, or a
    :class:`Status`, :class:`Number` or :class:`Lines`. ``row_keys`` tag each row (html
    ``data-code``); ``name`` names the table (html ``data-table``); ``total_last`` bolds the
    last row."""

    columns: list[Column]
    rows: list[list[Any]]
    name: str | None = None
    row_keys: list[str] | None = None
    row_key_attr: str = "code"
    total_last: bool = False
    empty_text: str = "None."
    caption: str | None = None


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    style: Literal["normal", "note", "lead"] = "normal"


@dataclass(frozen=True)
class Bullets:
    """A list; each item is (bold lead-in, text)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Facts:
    """Label and value pairs (a two-column list)."""

    items: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Chart:
    """A chart spec (:mod:`analytics.charts.spec`) with its title and a text alternative.
    ``key`` tags it in HTML. ``spec`` may be a function giving the spec, so a workbook
    (which draws no chart) never builds it."""

    spec: dict | Callable[[], dict]
    title: str
    description: str
    key: str = ""
    width_px: int = 640

    def resolved(self) -> dict:
        return self.spec() if callable(self.spec) else self.spec


@dataclass(frozen=True)
class ChartGrid:
    """Small charts side by side (cards in HTML, a grid of images in Word)."""

    charts: tuple[Chart, ...]
    columns: int = 3


Block = Heading | Paragraph | Bullets | Facts | Table | Chart | ChartGrid


@dataclass
class Part:
    title: str | None
    blocks: list[Block]
    sheet: str | None = None  # the sheet name in a workbook
    media: Literal["all", "sheet", "page"] = "all"
    freeze: str | None = None  # a workbook sheet whose first block is a table: 'A2', 'C2'


@dataclass
class Document:
    title: str
    subtitle: str
    parts: list[Part]
    footer: str = ""
    landscape: bool = True
    author: str = "lsp-performance"
    produced: str = ""  # 'Produced 1 Dec 2026 10:00'
    key: list[str] = field(default_factory=list)  # closing notes (the key to symbols)
