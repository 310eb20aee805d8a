"""One returned file in, everything the load path needs out (pure: the framework is passed in).

Per file, :func:`intake_file`:

1. recognises our own template (its very hidden ``_meta`` sheet) and reads it **exactly**,
   through a fixed :class:`ColumnMapping` built from ``template.RETURN_COLUMNS``, plus its
   Positive activities sheet; any other layout is **mapped** (header row, synonyms, long or
   wide), with the theme group's remembered mapping when there is one;
2. settles the theme group and the period: given explicitly, else from ``_meta``, else from
   the indicators' theme group and the periods in the file (title rows, file name, period
   column, wide period headings), and says so when it cannot;
3. validates (:func:`analytics.ingest.validate.validate`); with ``add_unknown`` an unknown code
   becomes a new local data-only indicator in the return's theme group (a warning, not an
   error);
4. turns targets given in the return into target rows with provenance ``from return`` when the
   framework has none for that year, and warns where they differ from the framework's.

Nothing here raises for a bad file and nothing touches the warehouse: every problem is a
:class:`~analytics.messages.Message` on the :class:`Intake`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import periods
from analytics.ingest.check import map_grids, message_from_error
from analytics.ingest.errors import IngestError
from analytics.ingest.known import known_indicators
from analytics.ingest.mapping import ColumnMapping, ColumnRule, apply_mapping
from analytics.ingest.ratios import ratio_messages, ratio_values
from analytics.ingest.read import DEFAULT_LIMITS, ReadLimits, SheetGrid, read_return
from analytics.ingest.spelling import code_key, code_keys
from analytics.ingest.template import (
    ACTIVITY_SHEET,
    HEADER_ROW,
    META_SHEET,
    RETURN_COLUMNS,
    RETURN_SHEET,
    meta_from_rows,
)
from analytics.ingest.units import apply_units
from analytics.ingest.validate import (
    NO_VALUE_KINDS,
    once_per_cell,
    records,
    resolve_codes,
    return_periods,
    validate,
)
from analytics.ingest.values import lookup, map_unique
from analytics.messages import Message, MessageCheck, cell_ref

VALUE_COLUMNS = [
    "indicator_code",
    "period",
    "actual_value",
    "numerator_value",
    "denominator_value",
    "dq_flag",
    "commentary",
    "remedial_action",
    "target_value",
    "sheet",
    "cell",
]
TARGET_COLUMNS = ["code", "financial_year", "target_value", "sheet", "cell"]
NEW_INDICATOR_COLUMNS = ["code", "title", "unit", "theme"]

# Our template's columns -> mapping fields; the four history columns are never read.
TEMPLATE_FIELDS = {
    "code": "indicator_code",
    "title": "indicator_title",
    "unit": "unit",
    "better": "polarity",
    "period": "period",
    "target": "target_value",
    "value": "actual_value",
    "dq_flag": "dq_flag",
    "commentary": "commentary",
    "remedial_action": "remedial_action",
    "numerator": "numerator_value",
    "denominator": "denominator_value",
}
# Headings that must still be where the template put them (the history headings are periods).
TEMPLATE_CHECKED = ("code", "period", "value", "dq_flag", "commentary", "remedial_action")


def _target_key(code: object, financial_year: object) -> str:
    return f"{code}\x1f{financial_year}"


@dataclass(frozen=True)
class HeldTargets:
    """The framework's targets as look-up arrays: ``index`` of (code, year) keys, and
    ``columns`` (target_value, q1_value..q4_value) aligned with it."""

    index: pd.Index
    columns: dict[str, np.ndarray]

    def take(self, codes, financial_years) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(found, columns) for each (code, year): NaN where the framework has no row."""
        keys = [_target_key(c, y) for c, y in zip(codes, financial_years, strict=True)]
        at = self.index.get_indexer(keys)
        found = at >= 0
        return found, {
            name: np.where(found, values[at] if len(values) else np.nan, np.nan)
            for name, values in self.columns.items()
        }


@dataclass
class IntakeContext:
    """What intake needs to know about one partnership's framework (frames, no connection).

    ``indicators``: code, title, theme, unit, measure_type, polarity, frequency, and
    (optionally) aggregation_rule (for a district: its county's rule for the code, which may
    need a numerator and denominator) and ratio_multiplier.
    ``targets``: code, financial_year, target_value, q1_value..q4_value (the version in force).
    ``previous_values``: indicator_code, period, actual_value (current values).
    ``mappings``: theme group -> sheet name -> :meth:`ColumnMapping.to_dict`.
    """

    partnership_code: str
    themes: list[str]
    indicators: pd.DataFrame
    targets: pd.DataFrame
    previous_values: pd.DataFrame
    mappings: dict[str, dict[str, dict]] = field(default_factory=dict)
    today: date | None = None

    # Worked out once per context (a quarter's files share one), not once per file.
    @cached_property
    def held_targets(self) -> HeldTargets:
        """The targets in force, one per indicator and year, keyed as a return's rows."""
        held = self.targets.drop_duplicates(["code", "financial_year"])
        keys = [_target_key(c, y) for c, y in zip(held["code"], held["financial_year"],
                                                  strict=True)]  # fmt: skip
        columns = {
            name: held[name].to_numpy(dtype=float, na_value=np.nan)
            if name in held
            else np.full(len(held), np.nan)
            for name in ("target_value", *(f"q{q}_value" for q in range(1, 5)))
        }
        return HeldTargets(pd.Index(keys, dtype=object), columns)

    @cached_property
    def previous_keyed(self) -> pd.DataFrame:
        """``previous_values`` with each row's code key (``indicator_key``), for the checks
        against history."""
        previous = self.previous_values
        return previous.assign(
            indicator_key=code_keys(previous["indicator_code"]).to_numpy(dtype=object)
        )

    @cached_property
    def measure_types(self) -> dict[str, str]:
        return dict(zip(self.indicators["code"], self.indicators["measure_type"], strict=True))


@dataclass
class Intake(MessageCheck):
    """One file read, mapped and checked; ``values`` are what a commit would load."""

    file: str
    path: Path
    partnership_code: str
    source: str  # 'template' (read exactly) or 'mapped'
    theme: str | None
    period: str | None
    values: pd.DataFrame
    activities: pd.DataFrame
    mappings: list[ColumnMapping] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_indicators: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=NEW_INDICATOR_COLUMNS)
    )
    new_targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TARGET_COLUMNS))
    # The period was taken as the latest of several in the file: earlier ones are restated.
    several_periods: bool = False

    @property
    def layout(self) -> str:
        """How the file was read: 'template', 'long' or 'wide' (stored with the return)."""
        if self.source == "template":
            return "template"
        return "wide" if any(m.layout == "wide" for m in self.mappings) else "long"

    def mapping_dict(self) -> dict[str, dict]:
        """The mapping used, per sheet, as remembered for the theme group."""
        return {m.sheet: m.to_dict() for m in self.mappings}


def _empty_values() -> pd.DataFrame:
    """No values yet, in :data:`VALUE_COLUMNS` (a copy: the intake may fill its own)."""
    return _EMPTY_VALUES.copy()


_EMPTY_VALUES = pd.DataFrame({c: pd.Series(dtype=object) for c in VALUE_COLUMNS}).astype(
    {"actual_value": float, "target_value": float, "numerator_value": float,
     "denominator_value": float}
)  # fmt: skip


def _error(file: str, text: str, fix: str, sheet=None, cell=None, value=None) -> Message:
    return Message("error", file, sheet, cell, value, text, fix)


def template_mapping(grid: SheetGrid, period: str | None) -> ColumnMapping:
    """The fixed mapping of our template's Return sheet (no guessing)."""
    rules = [
        ColumnRule(col, str(grid.value(HEADER_ROW - 1, col)), TEMPLATE_FIELDS.get(name))
        for col, (name, _, _) in enumerate(RETURN_COLUMNS)
        if col < grid.n_cols  # a template sent before the numerator and denominator columns
    ]
    return ColumnMapping(grid.name, HEADER_ROW - 1, "long", rules, period, None)


def _template_header_messages(grid: SheetGrid, file: str) -> list[Message]:
    out = []
    names = [name for name, _, _ in RETURN_COLUMNS]
    for name in TEMPLATE_CHECKED:
        col = names.index(name)
        found = str(grid.value(HEADER_ROW - 1, col)).strip()
        if found != name:
            out.append(
                _error(
                    file,
                    f"the column '{name}' has been moved or renamed",
                    "put the columns back as they were sent, or use a fresh template",
                    RETURN_SHEET,
                    cell_ref(HEADER_ROW - 1, col),
                    found or None,
                )
            )
    return out


def read_activities(grids: list[SheetGrid]) -> pd.DataFrame:
    """Title and description rows of the template's Positive activities sheet."""
    titles, descriptions = [], []
    sheet = next((g for g in grids if g.name == ACTIVITY_SHEET and g.visible), None)
    if sheet is not None:
        for r in range(1, sheet.n_rows):
            title = str(sheet.value(r, 0)).strip()
            if title:
                titles.append(title)
                descriptions.append(str(sheet.value(r, 1)).strip() or None)
    if not titles:  # no rows: text columns of no type yet, as the frame of records gives
        return pd.DataFrame({"title": [], "description": []}, dtype=object)
    return pd.DataFrame({"title": titles, "description": descriptions})


def intake_file(
    path: str | Path,
    context: IntakeContext,
    *,
    theme: str | None = None,
    period: str | None = None,
    add_unknown: bool = False,
    mappings: dict[str, ColumnMapping] | None = None,
    header_rows: dict[str, int] | None = None,
    file_name: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Intake:
    """Read, map and check one returned file. ``mappings`` (sheet -> mapping) overrides the
    theme group's remembered mapping (the officer's correction in the app), header rows
    included; ``header_rows`` (sheet -> 0-based row) says where a sheet's headings are."""
    path = Path(path)
    name = file_name or path.name
    intake = Intake(name, path, context.partnership_code, "mapped", theme, period, _empty_values(),
                    read_activities([]))  # fmt: skip
    if period is not None:
        try:
            intake.period = periods.parse_period(period)
        except periods.PeriodError as exc:
            intake.messages.append(
                _error(name, f"the period given is not understood: {exc}", "write it as 2009/10 Q2")
            )
            return intake
    if theme is not None and theme not in context.themes:
        intake.messages.append(
            _error(
                name,
                f"there is no theme group called {theme!r}",
                f"use one of: {', '.join(context.themes)}",
            )
        )
        return intake
    try:  # one read of the file: its sheets, and our template's hidden _meta if it has one
        read = read_return(path, limits, display_name=name, named=(META_SHEET,))
    except IngestError as error:
        intake.messages.append(message_from_error(error))
        return intake
    grids = read.grids
    meta = meta_from_rows(read.named.get(META_SHEET)) if read.file_format == "xlsx" else None
    if meta is not None:
        frame = _read_template(intake, grids, meta, context)
    else:
        frame = _read_mapped(intake, grids, context, mappings, header_rows)
    if frame is not None:
        _finish(intake, frame, context, add_unknown)
    return intake


def _read_template(
    intake: Intake, grids: list[SheetGrid], meta: dict[str, str], context: IntakeContext
) -> pd.DataFrame | None:
    intake.source = "template"
    name = intake.file
    code = meta.get("partnership_code", "")
    if code != context.partnership_code:
        intake.messages.append(
            _error(
                name,
                f"this template was made for another partnership ({code})",
                "send the template downloaded for this partnership (lsp template)",
                "_meta",
            )
        )
        return None
    for key, given in (("theme", intake.theme), ("period", intake.period)):
        if given is None:
            setattr(intake, key, meta.get(key) or None)
            intake.notes.append(f"{key} {meta.get(key)!r} read from the template")
        elif meta.get(key) and given != meta.get(key):
            intake.messages.append(
                Message(
                    "warning",
                    name,
                    "_meta",
                    None,
                    meta.get(key),
                    f"the template was sent for {key} {meta.get(key)!r}; loading it as {given!r}",
                    f"check the {key}; leave it out to use the template's own",
                )
            )
    if intake.theme not in context.themes:
        intake.messages.append(
            _error(
                name,
                f"this template names a theme group that is not in the framework "
                f"({intake.theme!r})",
                "add the theme group to the framework, or use a template from this warehouse",
                "_meta",
            )
        )
        return None
    grid = next((g for g in grids if g.name == RETURN_SHEET and g.visible), None)
    if grid is None:
        intake.messages.append(
            _error(
                name,
                "the Return sheet is missing (or hidden)",
                "send the workbook as it was sent out, with its Return sheet",
                RETURN_SHEET,
            )
        )
        return None
    header_problems = _template_header_messages(grid, name)
    if header_problems:
        intake.messages += header_problems
        return None
    mapping = template_mapping(grid, intake.period)
    intake.mappings = [mapping]
    intake.activities = read_activities(grids)
    return apply_mapping(grid, mapping)


def _read_mapped(
    intake: Intake,
    grids: list[SheetGrid],
    context: IntakeContext,
    overrides: dict[str, ColumnMapping] | None,
    header_rows: dict[str, int] | None = None,
) -> pd.DataFrame | None:
    def remembered(theme: str | None) -> dict[str, ColumnMapping] | None:
        saved = context.mappings.get(theme or "", {})
        return {sheet: ColumnMapping.from_dict(m) for sheet, m in saved.items()} or None

    rows = {sheet: m.header_row for sheet, m in (overrides or {}).items()}
    rows.update(header_rows or {})
    chosen = overrides or remembered(intake.theme)
    frame, used, messages = map_grids(
        grids, period=intake.period, mappings=chosen, header_rows=rows
    )
    if intake.theme is None and not frame.empty:
        intake.theme = _infer_theme(intake, frame, context)
        again = remembered(intake.theme) if overrides is None else None
        if again:
            frame, used, messages = map_grids(
                grids, period=intake.period, mappings=again, header_rows=rows
            )
            intake.notes.append(f"the mapping remembered for {intake.theme!r} was used")
    elif chosen and not overrides:
        intake.notes.append(f"the mapping remembered for {intake.theme!r} was used")
    intake.mappings = used
    intake.messages += messages
    if intake.period is None:
        intake.period = _infer_period(intake, frame, used)
    if intake.period is None:
        intake.messages.append(
            _error(
                intake.file,
                "cannot tell which quarter this return is for (no period in the title rows, "
                "the file name or a column)",
                "give the period: lsp import --period '2009/10 Q2', or choose it in the app",
            )
        )
    if any(m.is_error for m in messages):
        return None
    if frame.empty:
        intake.messages.append(
            _error(
                intake.file,
                "no indicator rows found under the headings",
                "fill in the return below the header row and re-send it",
            )
        )
        return None
    return frame


def _infer_theme(intake: Intake, frame: pd.DataFrame, context: IntakeContext) -> str | None:
    known = context.indicators
    if known.empty:
        return None
    resolved = resolve_codes(frame, known)
    theme_of = dict(zip(known["code"].map(code_key), known["theme"], strict=True))
    keys = code_keys(resolved["indicator_code"]).dropna()
    counts = keys.map(theme_of).dropna().value_counts()
    if len(counts) == 1:
        theme = str(counts.index[0])
        intake.notes.append(f"theme group {theme!r}: the theme group of every indicator in it")
        return theme
    if len(counts) > 1:
        listed = ", ".join(f"{t} ({n})" for t, n in counts.items())
        intake.messages.append(
            _error(
                intake.file,
                f"the indicators belong to several theme groups: {listed}",
                "say which theme group sent it: lsp import --theme '<theme>', or choose it "
                "in the app",
            )
        )
    return None


def _infer_period(intake: Intake, frame: pd.DataFrame, used: list[ColumnMapping]) -> str | None:
    for mapping in used:
        if mapping.period:
            intake.notes.append(f"period {mapping.period} read from the title rows or file name")
            return mapping.period
    if frame.empty:
        return None
    given = frame[~frame["actual_value_kind"].isin(NO_VALUE_KINDS) & frame["period"].notna()]
    quarters = [p for p in given["period"].unique() if periods.parse_code(p).grain == "quarter"]
    if not quarters:
        years = list(given["period"].unique())
        if len(years) == 1:
            quarter = periods.quarters_of_year(years[0])[-1]
            intake.notes.append(f"period {quarter}: the file holds values for {years[0]} only")
            return quarter
        return None
    latest = max(quarters, key=periods.sort_key)
    intake.several_periods = len(quarters) > 1
    intake.notes.append(f"period {latest}: the latest quarter with values in the file")
    return latest


def _finish(intake: Intake, frame: pd.DataFrame, context: IntakeContext, add_unknown: bool):
    known = context.indicators
    frame = resolve_codes(frame, known)
    if intake.theme is None:
        intake.messages.append(
            _error(
                intake.file,
                "cannot tell which theme group this return is from",
                "say which theme group sent it: lsp import --theme '<theme>', or choose it "
                "in the app",
            )
        )
    if add_unknown and intake.theme is not None:
        known = _add_unknown(intake, frame, known)
    layout = "long" if intake.source == "template" else intake.layout
    if intake.several_periods:
        layout = "wide"  # earlier quarters may be restated, later ones may not
    if known is not context.indicators:  # added local ones resolve again
        frame = resolve_codes(frame, known)
    frame, unit_messages = apply_units(frame, known)
    intake.messages += unit_messages
    intake.messages += validate(
        frame,
        known_indicators=known,
        previous_values=context.previous_keyed,
        return_period=intake.period,
        today=context.today,
        layout=layout,
        resolved=True,
        units_applied=True,
        return_theme=intake.theme,
    )
    intake.messages += ratio_messages(frame, known)
    if intake.period is not None:
        intake.new_targets, target_messages = return_targets(frame, context, intake.period)
        if not intake.new_targets.empty:
            intake.new_targets = intake.new_targets[
                intake.new_targets["code"].isin(set(known["code"]))
            ].reset_index(drop=True)
        intake.messages += target_messages
    intake.messages = once_per_cell(intake.messages)
    if intake.period is None:
        return
    # A wide layout may restate earlier quarters: they load too (the preview shows changes).
    last_end = periods.parse_code(intake.period).end
    ok = {p: periods.parse_code(p).end <= last_end for p in frame["period"].dropna().unique()}
    not_later = lookup(frame["period"], ok, False).astype(bool)
    keep = frame["indicator_code"].notna() & not_later
    needed = ["indicator_code", "period", "actual_value", "dq_flag", "commentary"]
    needed += ["remedial_action", "target_value", "sheet", "actual_value_cell"]
    for column in ("numerator_value", "denominator_value"):
        if column not in frame:
            frame[column] = np.nan
    rows = ratio_values(frame.loc[keep, [*needed, "numerator_value", "denominator_value"]], known)
    intake.values = pd.DataFrame(
        {
            "indicator_code": rows["indicator_code"].astype(object),
            "period": rows["period"].astype(object),
            "actual_value": rows["actual_value"].astype(float),
            "numerator_value": rows["numerator_value"].astype(float),
            "denominator_value": rows["denominator_value"].astype(float),
            "dq_flag": rows["dq_flag"].fillna("ok").astype(object),
            "commentary": rows["commentary"].astype(object),
            "remedial_action": rows["remedial_action"].astype(object),
            "target_value": rows["target_value"].astype(float),
            "sheet": rows["sheet"].astype(object),
            "cell": rows["actual_value_cell"].astype(object),
        }
    ).reset_index(drop=True)
    _no_values_message(intake)


def _no_values_message(intake: Intake) -> None:
    """A return with no value and no commentary in any row is an error, not a return: loaded,
    it would supersede the return in force with nothing (an untouched template sent back)."""
    values = intake.values
    if values.empty or intake.errors:
        return
    if values["actual_value"].notna().any() or values["commentary"].notna().any():
        return
    first = values.iloc[0]
    intake.messages.append(
        _error(
            intake.file,
            f"the return has no values: every value cell is blank ({len(values)} rows), so "
            "loading it would replace the return in force with nothing",
            "fill in the values (the yellow cells of the template) and send it again; a value "
            "not yet available can be left blank with a commentary saying why",
            first["sheet"],
            first["cell"],
        )
    )


def _add_unknown(intake: Intake, frame: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Unknown codes become new local data-only indicators in the return's theme group."""
    known_keys = known_indicators(known).key_set
    keys = code_keys(frame["indicator_code"])
    unknown = frame[frame["indicator_code"].notna() & ~keys.isin(known_keys)]
    unknown = unknown.drop_duplicates("indicator_code")
    if unknown.empty:
        return known
    new = pd.DataFrame(
        {
            "code": unknown["indicator_code"].astype(object),
            "title": unknown["indicator_title"].fillna(unknown["indicator_code"]).astype(object),
            "unit": unknown["unit"].fillna("").astype(object),
            "theme": intake.theme,
        }
    ).reset_index(drop=True)
    intake.new_indicators = new
    for _, row in unknown.iterrows():
        intake.messages.append(
            Message(
                "warning",
                intake.file,
                row["sheet"],
                row["indicator_code_cell"],
                row["indicator_code"],
                f"{row['indicator_code']} is not in the framework: it will be added to "
                f"{intake.theme!r} as a local, data-only indicator (no target, no status)",
                "add its polarity and targets in the framework workbook later",
            )
        )
    extra = new.assign(measure_type="snapshot")[["code", "title", "unit", "measure_type"]]
    return pd.concat([known, extra], ignore_index=True)


def period_target(target: pd.Series | None, period: str, measure_type: str) -> float | None:
    """The target of one period from a year's target row (as the template shows it)."""
    if target is None:
        return None
    p = periods.parse_code(period)
    annual = target.get("target_value")
    annual = None if annual is None or pd.isna(annual) else float(annual)
    if p.grain != "quarter":
        return annual
    profiled = target.get(f"q{p.number}_value")
    if profiled is not None and not pd.isna(profiled):
        return float(profiled)
    if annual is not None and measure_type == "cumulative":
        return annual * p.number / 4
    return annual


def _quarter_number(period: str) -> int:
    """1 to 4 for a quarter's code, 0 for a year's."""
    found = re.search(r" Q([1-4])$", str(period))
    return int(found.group(1)) if found else 0


_TARGET_FIELDS = (
    "indicator_code", "period", "target_value", "target_value_raw", "target_value_cell",
    "sheet", "file",
)  # fmt: skip


def return_targets(
    frame: pd.DataFrame, context: IntakeContext, return_period: str
) -> tuple[pd.DataFrame, list[Message]]:
    """Targets given in the return: new ``from return`` rows, and warnings where they differ.

    Vectorised: a return may have a target on each of 100,000 rows."""
    allowed = return_periods(return_period)
    all_codes = frame["indicator_code"].to_numpy(dtype=object)
    all_periods = frame["period"].to_numpy(dtype=object)
    wanted = (
        (frame["target_value_kind"].to_numpy(dtype=object) == "number")
        & pd.notna(all_codes)
        & np.array([p in allowed for p in all_periods], dtype=bool)
    )
    if not wanted.any():
        return pd.DataFrame(columns=TARGET_COLUMNS), []
    # worked out on arrays; the frame of rows only made when a target is new or differs
    codes, row_periods = all_codes[wanted], all_periods[wanted]
    years = map_unique(row_periods, periods.year_of)
    has_row, held = context.held_targets.take(codes, years)
    number = map_unique(row_periods, _quarter_number).astype(float)
    annual, profiled = held["target_value"], np.full(len(codes), np.nan)
    for q in range(1, 5):
        profiled = np.where(number == q, held[f"q{q}_value"], profiled)
    measure = context.measure_types
    cumulative = np.array([measure.get(c) == "cumulative" for c in codes], dtype=bool)
    framework = np.where(
        ~np.isnan(profiled),
        profiled,
        np.where(cumulative & (number > 0), annual * number / 4, annual),
    )
    value = frame["target_value"].to_numpy(dtype=float, na_value=np.nan)[wanted]
    profile_only = ~has_row & cumulative & (number > 0) & (number < 4)
    is_new = ~has_row & ~profile_only
    differs = ~np.isnan(framework) & ~np.isclose(value, framework, rtol=1e-9, atol=1e-9)
    if not (is_new.any() or profile_only.any() or differs.any()):
        return pd.DataFrame(columns=TARGET_COLUMNS), []  # the usual return
    # only the columns a target or its message needs: a return's frame has forty
    rows = frame.loc[wanted, [c for c in _TARGET_FIELDS if c in frame]]
    got = rows.assign(financial_year=years)
    new_rows = got[is_new]
    messages = []
    profile_rows = got[profile_only].drop_duplicates("indicator_code")
    for row in records(profile_rows) if profile_only.any() else []:
        messages.append(
            Message(
                "warning",
                row["file"],
                row["sheet"],
                row["target_value_cell"],
                row["target_value_raw"],
                f"{row['indicator_code']} has no {row['financial_year']} target in the "
                f"framework; a year-to-date target for {row['period']} is not recorded (it "
                "is a profile, not the year's)",
                "add the year's target to the framework workbook",
            )  # fmt: skip
        )
    for row, held_value in zip(records(got, differs), framework[differs], strict=True):
        messages.append(
            Message(
                "warning",
                row["file"],
                row["sheet"],
                row["target_value_cell"],
                row["target_value_raw"],
                f"the target for {row['indicator_code']} in {row['period']} is "
                f"{row['target_value']:g} here but {held_value:g} in the framework; the "
                "framework's is used",
                "if the target has changed, update it in the framework workbook",
            )
        )
    if new_rows.empty:  # the framework has every year's target: the usual return
        return pd.DataFrame(columns=TARGET_COLUMNS), messages
    out = pd.DataFrame(
        {
            "code": new_rows["indicator_code"],
            "financial_year": new_rows["financial_year"],
            "target_value": new_rows["target_value"].astype(float),
            "sheet": new_rows["sheet"],
            "cell": new_rows["target_value_cell"],
        },
        columns=TARGET_COLUMNS,
    ).drop_duplicates(["code", "financial_year"])
    return out.reset_index(drop=True), messages


def intake_files(paths, context: IntakeContext, **options) -> list[Intake]:
    """:func:`intake_file` for each file (same options for all)."""
    return [intake_file(p, context, **options) for p in paths]


def summary(intake: Intake) -> dict[str, object]:
    """One line per file for tables: file, how read, theme, period, rows, errors, warnings."""
    return {
        "file": intake.file,
        "read as": "our template" if intake.source == "template" else f"mapped ({intake.layout})",
        "theme group": intake.theme,
        "period": intake.period,
        "values": int(np.count_nonzero(intake.values["actual_value"].notna())),
        "errors": len(intake.errors),
        "warnings": len(intake.warnings),
        "result": "✖ cannot load" if intake.errors else ("⚠ can load" if intake.warnings
                                                         else "✔ ready"),
    }  # fmt: skip


__all__ = [
    "Intake",
    "IntakeContext",
    "intake_file",
    "intake_files",
    "period_target",
    "return_targets",
    "summary",
    "template_mapping",
]
