"""Find a return's header row, map its headings to our fields, and turn it into a long frame.

Which heading means which field is data (``header_synonyms.csv``), matched ignoring case,
spaces and punctuation. A :class:`ColumnMapping` says what each column holds; it round-trips
through a JSON-able dict so the app can show it, let the officer correct it, and remember it per
theme group (pass it back as ``remembered`` next quarter: its heading choices win).

Layouts:

- **long**: one row per indicator and period; the period is in a column or, when no column
  holds it, given for the whole file (argument, title rows or file name).
- **wide**: a column per period (``Q1 08/09``, ``Apr-Jun 2008``, ``Qtr 1`` ...). A heading's
  words besides the period say which value it holds (``Q1 Target`` -> target_value; none ->
  actual_value). A year missing from ``Qtr 1`` is taken from a (merged) cell above the heading,
  the title rows, the file name or ``default_year``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.ingest.read import SheetGrid
from analytics.ingest.spelling import FIELDS, header_synonyms, normalise_code, normalise_header
from analytics.ingest.values import (
    Distinct,
    distinct,
    filled,
    map_unique,
    parse_cells,
    parse_dq_flag,
)
from analytics.messages import cell_ref, column_letter
from analytics.periods import (
    PeriodError,
    _year_from_text,
    fy_code,
    looks_like_period,
    parse_period,
    strip_period_words,
    year_of,
)

VALUE_FIELDS = ("actual_value", "target_value")
# A value's numerator and denominator (a survey's respondents, events and population): read
# as numbers like the value, for confidence intervals and county figures.
COUNT_FIELDS = ("numerator_value", "denominator_value")
TEXT_FIELDS = ("indicator_title", "commentary", "remedial_action", "unit", "polarity")
HEADER_SCAN_ROWS = 30

FRAME_COLUMNS = [
    "file", "sheet", "row_number", *FIELDS,
    "period_raw", "period_problem", "actual_value_raw", "actual_value_kind", "actual_is_percent",
    "target_value_raw", "target_value_kind", "dq_flag_raw",
    "actual_value_unit", "target_value_unit",
    *(f"{f}_{part}" for f in COUNT_FIELDS for part in ("raw", "kind", "unit")),
    *(f"{f}_cell" for f in FIELDS),
]  # fmt: skip


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FRAME_COLUMNS})


@dataclass
class ColumnRule:
    """Column ``column`` (0-based), headed ``header``, holds ``field`` (None: not read),
    for ``period`` in a wide layout (None: the row's period)."""

    column: int
    header: str
    field: str | None
    period: str | None = None
    problem: str | None = None

    @property
    def letter(self) -> str:
        return column_letter(self.column)


@dataclass
class ColumnMapping:
    sheet: str
    header_row: int  # 0-based row index of the headings
    layout: str  # 'long' or 'wide'
    columns: list[ColumnRule] = field(default_factory=list)
    period: str | None = None  # the whole file's period, when no column holds it
    default_year: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ColumnMapping:
        rules = [ColumnRule(**rule) for rule in data.get("columns", [])]
        return cls(**{**data, "columns": rules})

    def fields(self) -> set[str]:
        return {r.field for r in self.columns if r.field}

    def missing_fields(self) -> list[str]:
        """Required fields with no column (and, for the period, no whole-file period)."""
        have = self.fields()
        missing = []
        if not have & {"indicator_code", "indicator_title"}:
            missing.append("indicator_code")
        if "actual_value" not in have:
            missing.append("actual_value")
        if self.layout == "long" and "period" not in have and self.period is None:
            missing.append("period")
        return missing

    def unmapped(self) -> list[ColumnRule]:
        """Columns with a heading that we do not read."""
        return [r for r in self.columns if r.field is None and r.header.strip()]

    def header_cell(self, rule: ColumnRule) -> str:
        return cell_ref(self.header_row, rule.column)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _field_of(header: str, synonyms: dict[str, str]) -> str | None:
    return synonyms.get(normalise_header(header))


def score_header_row(cells: list[object], synonyms: dict[str, str]) -> int:
    """How much a row looks like headings: matched fields (distinct) plus period headings."""
    fields, periods = set(), 0
    for value in cells:
        text = _cell_text(value)
        if not text or len(text) > 80:
            continue
        found = _field_of(text, synonyms)
        if found:
            fields.add(found)
        elif looks_like_period(value) or _field_of(strip_period_words(text), synonyms):
            periods += 1
    return len(fields) + min(periods, 3)


def find_header_row(grid: SheetGrid, synonyms: dict[str, str] | None = None) -> tuple[int, int]:
    """(row index, score) of the best heading row in the first rows; score 0 if none."""
    synonyms = synonyms or header_synonyms()
    best = (0, 0)
    for index, cells in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        score = score_header_row(cells, synonyms)
        if score > best[1]:
            best = (index, score)
    return best


def headings_match(grid: SheetGrid, mapping: ColumnMapping) -> bool:
    """Whether the mapping's row of headings still holds most of its headings (a remembered
    mapping whose sheet has gained or lost a title row no longer does)."""
    wanted = {normalise_header(r.header) for r in mapping.columns if r.header.strip()}
    if not wanted or not 0 <= mapping.header_row < grid.n_rows:
        return False
    found = {normalise_header(_cell_text(v)) for v in grid.rows[mapping.header_row]}
    return len(wanted & found) * 2 >= len(wanted)


def _merged_value(grid: SheetGrid, row: int, col: int) -> object:
    for (r0, c0), (r1, c1) in grid.merged:
        if r0 <= row <= r1 and c0 <= col <= c1:
            return grid.value(r0, c0)
    return grid.value(row, col)


def file_context(grid: SheetGrid, header_row: int) -> tuple[str | None, str | None]:
    """(period, financial year) named in the title rows above the headings or the file name."""
    texts = [_cell_text(v) for r in grid.rows[:header_row] for v in r if _cell_text(v)]
    texts.append(re.sub(r"[_.]+", " ", Path(grid.file).stem))
    for text in texts:
        if len(text) > 200:
            continue
        for candidate in (text, *re.split(r"[:,;|]| - ", text)):
            try:
                code = parse_period(candidate.strip())
            except PeriodError:
                continue
            year = year_of(code)
            return (None if code == year else code), year
    for text in texts:
        start = _year_from_text(text.lower())
        if start is not None:
            return None, fy_code(start)
    return None, None


def propose_mapping(
    grid: SheetGrid,
    *,
    period: str | None = None,
    default_year: str | None = None,
    remembered: ColumnMapping | None = None,
    synonyms: dict[str, str] | None = None,
    header_row: int | None = None,
) -> ColumnMapping:
    """Our best reading of a sheet's layout; ``remembered`` headings override the synonyms.

    ``header_row`` (0-based): the row of headings, when the officer has said which it is;
    otherwise the best-scoring of the first rows."""
    synonyms = synonyms or header_synonyms()
    if remembered is not None:
        overrides = {normalise_header(r.header): r for r in remembered.columns if r.header}
    else:
        overrides = {}
    if header_row is None or not 0 <= header_row < grid.n_rows:
        header_row, _score = find_header_row(grid, synonyms)
    title_period, title_year = file_context(grid, header_row)
    whole_period = period or title_period
    year = default_year or (year_of(whole_period) if whole_period else None) or title_year
    rules = []
    for col, value in enumerate(grid.rows[header_row] if grid.rows else []):
        header = _cell_text(value)
        if not header and not isinstance(value, int | float):
            continue
        known = overrides.get(normalise_header(header))
        if known is not None:
            rules.append(ColumnRule(col, header, known.field, known.period))
            continue
        rules.append(_rule_for(grid, header_row, col, value, header, year, synonyms))
    has_period_columns = any(r.period for r in rules if r.field in VALUE_FIELDS)
    layout = "wide" if has_period_columns else "long"
    return ColumnMapping(grid.name, header_row, layout, rules, whole_period, year)


def _rule_for(
    grid: SheetGrid,
    header_row: int,
    col: int,
    value: object,
    header: str,
    year: str | None,
    synonyms: dict[str, str],
) -> ColumnRule:
    found = _field_of(header, synonyms)
    if found:
        return ColumnRule(col, header, found)
    if not looks_like_period(value):
        return ColumnRule(col, header, _field_of(strip_period_words(header), synonyms))
    # A period heading: its year may sit in a (merged) cell above it.
    column_year = year
    for above in range(header_row - 1, max(header_row - 4, -1), -1):
        start = _year_from_text(_cell_text(_merged_value(grid, above, col)).lower())
        if start is not None:
            column_year = fy_code(start)
            break
    rest = strip_period_words(header)
    value_field = _field_of(rest, synonyms) if rest else "actual_value"
    try:
        code = parse_period(value, default_year=column_year)
    except PeriodError as exc:
        return ColumnRule(col, header, value_field, None, problem=str(exc))
    return ColumnRule(col, header, value_field, code)


def apply_mapping(grid: SheetGrid, mapping: ColumnMapping) -> pd.DataFrame:
    """The sheet as a long frame (``FRAME_COLUMNS``): one row per indicator and period."""
    body = grid.rows[mapping.header_row + 1 :]
    lengths = np.fromiter(map(len, body), int, len(body))  # one pass (grid.n_cols is another)
    n_cols = max([int(lengths.max(initial=0)), *map(len, grid.rows[: mapping.header_row + 1])])
    width = max([n_cols, *(r.column + 1 for r in mapping.columns)])
    if not body or width == 0:
        return empty_frame()
    if lengths.min() != width:  # every row as wide as the widest
        body = [row + [""] * (width - len(row)) for row in body]
    row_index = np.arange(len(body)) + mapping.header_row + 1
    row_rules = [r for r in mapping.columns if r.field and r.period is None and not r.problem]
    by_field = {}
    for rule in row_rules:
        by_field.setdefault(rule.field, rule)
    mapped_cols = [r.column for r in mapping.columns if r.field]
    cells = _columns(body, width, list(dict.fromkeys(mapped_cols)))
    # each column factorised once, for every way it is read below
    columns = {c: distinct(values) for c, values in cells.items()}
    # Section headings and footnotes fill one cell; a data row fills at least two.
    filled_cells = np.zeros(len(body), dtype=int)
    for col in mapped_cols:
        blank = np.flatnonzero(columns[col].uniques == "")  # the code of a blank cell, if any
        filled_cells += ~np.isin(columns[col].codes, blank)
    keep = filled_cells >= 2
    if not keep.all():
        columns = {c: column.take(keep) for c, column in columns.items()}
        row_index = row_index[keep]
    excel_rows = np.array(list(map(str, (row_index + 1).tolist())), dtype=object)
    if mapping.layout == "wide":
        blocks = []
        for rule in mapping.columns:
            if rule.field != "actual_value" or not rule.period:
                continue
            target = next(
                (
                    r
                    for r in mapping.columns
                    if r.field == "target_value" and r.period == rule.period
                ),
                by_field.get("target_value"),
            )
            cols = {**by_field, "actual_value": rule, "target_value": target}
            cols = {k: v for k, v in cols.items() if v}
            block = _build(grid, columns, row_index, excel_rows, cols)
            block["period"] = filled(len(block), rule.period)
            block["period_raw"] = filled(len(block), rule.header)
            block["period_cell"] = filled(len(block), mapping.header_cell(rule))
            blocks.append(block)
        if blocks:
            frame = pd.concat(blocks, ignore_index=True)
        else:
            frame = _build(grid, columns, row_index, excel_rows, {})
        frame = frame.sort_values(["row_number", "period"], kind="stable", ignore_index=True)
    else:
        frame = _build(grid, columns, row_index, excel_rows, by_field)
        if "period" not in by_field and mapping.period:
            frame["period"] = filled(len(frame), mapping.period)
            frame["period_raw"] = filled(len(frame), mapping.period)
    if list(frame.columns) != FRAME_COLUMNS:
        frame = frame[FRAME_COLUMNS]
    return _as_objects(frame.copy(deep=False))  # copy-on-write


def _columns(body: list[list], width: int, wanted: list[int]) -> dict[int, np.ndarray]:
    """The ``wanted`` columns of ``body`` (rows ``width`` cells long) as arrays of objects.

    Each row visited once when most columns are wanted (a pass over every cell), else a pass
    per wanted column: a pass costs about a visit to every row, wherever their cells are."""
    n = len(body)
    if len(wanted) * 3 >= width:
        every = np.fromiter(chain.from_iterable(body), object, n * width).reshape(n, width)
        return {c: every[:, c] for c in wanted}
    return {c: np.fromiter(map(itemgetter(c), body), object, n) for c in wanted}


NUMERIC_COLUMNS = ("row_number", "actual_value", "target_value", "actual_is_percent",
                   *COUNT_FIELDS)  # fmt: skip


def _as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects with None for missing (not NaN): simple to test on."""
    for column, dtype in frame.dtypes.items():
        if column not in NUMERIC_COLUMNS and dtype != np.dtype("O"):
            values = frame[column].to_numpy(dtype=object)
            frame[column] = pd.Series(
                np.where(pd.isna(values), None, values), index=frame.index, dtype=object
            )
    return frame


def _build(
    grid: SheetGrid,
    columns: dict[int, Distinct],
    row_index: np.ndarray,
    excel_rows: np.ndarray,
    rules: dict[str, ColumnRule],
) -> pd.DataFrame:
    """The frame of ``rules``' columns (by field) for rows ``row_index`` (0-based);
    ``excel_rows``: their row numbers as Excel writes them, as text."""
    n = len(row_index)
    cols: dict[str, object] = {}
    cols.update(file=filled(n, grid.file), sheet=filled(n, grid.name))
    cols.update(row_number=row_index + 1, actual_is_percent=np.zeros(n, dtype=bool))
    cols.update(dq_flag=filled(n, "ok"))
    for name in (*VALUE_FIELDS, *COUNT_FIELDS):
        cols[name], cols[f"{name}_kind"] = np.full(n, np.nan), filled(n, "missing")
    for name, rule in rules.items():
        cells = columns[rule.column]
        cols[f"{name}_cell"] = rule.letter + excel_rows
        if name in VALUE_FIELDS or name in COUNT_FIELDS:
            pct_rows = [r for (r, c) in grid.percent_cells if c == rule.column]
            pct = np.isin(row_index, pct_rows) if pct_rows else None
            parsed = parse_cells(cells.cells, pct)
            cols[name] = parsed.number
            kinds = parsed.kind
            # a formula with no saved result reads as blank: say so, not "no value"
            never = [r for (r, c) in grid.uncalculated if c == rule.column]
            if never:
                kinds = np.where(np.isin(row_index, never) & (kinds == "missing"),
                                 "uncalculated", kinds)  # fmt: skip
            cols[f"{name}_kind"] = kinds
            cols[f"{name}_unit"] = parsed.unit
            cols[f"{name}_raw"] = map_unique(cells, _cell_text)
            if name == "actual_value":
                cols["actual_is_percent"] = parsed.is_percent
        elif name == "indicator_code":
            cols[name] = map_unique(cells, normalise_code)
        elif name == "period":
            parsed = map_unique(cells, _try_period)
            cols["period"] = [p[0] for p in parsed]
            cols["period_problem"] = [p[1] for p in parsed]
            cols["period_raw"] = map_unique(cells, _cell_text)
        elif name == "dq_flag":
            cols["dq_flag"] = map_unique(cells, lambda v: parse_dq_flag(_cell_text(v)) or "ok")
            cols["dq_flag_raw"] = map_unique(cells, _cell_text)
        else:
            cols[name] = map_unique(cells, lambda v: _cell_text(v) or None)
    return _frame(cols, n)


# the columns of FRAME_COLUMNS that are not Python objects
_NUMERIC_DTYPES = {"row_number": np.int64, "actual_value": np.float64, "target_value": np.float64,
                   "numerator_value": np.float64, "denominator_value": np.float64,
                   "actual_is_percent": bool}  # fmt: skip
_OBJECT_COLUMNS = [c for c in FRAME_COLUMNS if c not in _NUMERIC_DTYPES]


def _frame(cols: dict[str, object], n: int) -> pd.DataFrame:
    """``cols`` (by name: arrays or lists of ``n``) as a frame of FRAME_COLUMNS: the text
    columns as Python objects, None where no rule fills one, in one block (not inferred as
    pandas text, and one block is much quicker to make than forty columns)."""
    grid = np.empty((n, len(_OBJECT_COLUMNS)), dtype=object)  # all None
    for j, name in enumerate(_OBJECT_COLUMNS):
        if name in cols:
            grid[:, j] = cols[name]
    texts = pd.DataFrame(grid, columns=_OBJECT_COLUMNS, dtype=object, copy=False)
    numbers = pd.DataFrame(
        {name: np.asarray(cols[name], dtype=dtype) for name, dtype in _NUMERIC_DTYPES.items()},
        copy=False,
    )
    return pd.concat([texts, numbers], axis=1)[FRAME_COLUMNS]


def _try_period(value: object) -> tuple[str | None, str | None]:
    if _cell_text(value) == "":
        return None, "the period is blank"
    try:
        return parse_period(value), None
    except PeriodError as exc:
        return None, str(exc)
