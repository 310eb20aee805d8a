"""Check a mapped return before it is loaded (pure: frames in, messages out).

Severity:

- ``error``   -- the file cannot be loaded as it is (unknown indicator, duplicate row, wrong or
  future period, text or an Excel error where a number belongs, a period we cannot read).
- ``warning`` -- it can be loaded, but look: a percentage over 100, fractions in a percentage
  indicator, a value that moved far more than usual, a cumulative measure that went down within
  the year, a quarter that has not ended yet, no value given, an unclear data-quality note, a
  target that cannot be read (a target in a return is information: it never stops the values
  beside it), a polarity that differs from the framework's, a formula never calculated.

Units typed with values are judged by :mod:`analytics.ingest.units` (a unit contradicting
the indicator's is an error naming both). Each problem is said once per cell, however many
period columns of a wide layout the cell serves (:func:`once_per_cell`).

**Usual range.** With at least ``MIN_HISTORY_CHANGES`` earlier quarter-on-quarter changes of an
indicator, a move larger than ``RANGE_MULTIPLE`` x their median absolute change is unusual. With
less history (or a median change of zero) a move of more than ``FALLBACK_CHANGE_PCT`` % of the
last value is unusual. "Last value" is the indicator's latest value before the row's period.

Every message names the file, sheet, cell, the value found and what to do.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd

from analytics.ingest.known import known_indicators
from analytics.ingest.spelling import code_key, code_keys, normalise_text, polarity_words
from analytics.ingest.units import apply_units
from analytics.ingest.values import lookup, map_unique, parse_dq_flag
from analytics.messages import Message
from analytics.periods import parse_code, previous_period
from analytics.status.ratios import ratio_of
from analytics.vocabulary import POLARITY_TABLE

# kinds of value cell that hold no value (blank, or a formula never calculated)
NO_VALUE_KINDS = ("missing", "uncalculated")
PERCENT = ("%", "percent")  # a framework unit that makes an indicator a percentage
RANGE_MULTIPLE = 3.0
MIN_HISTORY_CHANGES = 4
FALLBACK_CHANGE_PCT = 50.0


def _title_key(title: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(title).lower())


def resolve_codes(frame: pd.DataFrame, known: pd.DataFrame | None) -> pd.DataFrame:
    """Fill ``indicator_code`` from the title when only a title was given, and spell known
    codes as the framework does. Returns a new frame."""
    if known is None or known.empty or frame.empty:
        return frame
    return _resolve_codes(frame, known, _known_keys(known))


def _resolve_codes(frame: pd.DataFrame, known: pd.DataFrame, known_keys: list) -> pd.DataFrame:
    out = frame.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    by_key = known_indicators(known).codes
    given = out["indicator_code"].to_numpy(dtype=object)
    # each distinct code looked up once; a missing code (-1) takes the last answer, None
    index, distinct_codes = pd.factorize(given)
    spelt = np.array([by_key.get(code_key(c)) for c in distinct_codes] + [None], dtype=object)
    found = ~pd.isna(spelt)
    codes = np.where(found[index], spelt[index], given)
    missing = index < 0  # no code given: the only rows that can still have none
    if "title" in known and missing.any():
        no_code = missing & out["indicator_title"].notna().to_numpy()
        if no_code.any():
            titles = map(_title_key, known["title"].tolist())
            by_title = dict(zip(titles, known["code"].tolist(), strict=True))
            given_titles = out["indicator_title"].to_numpy(dtype=object)[no_code]
            codes[no_code] = [by_title.get(_title_key(t)) for t in given_titles]
    still = np.flatnonzero(missing)
    codes[still[pd.isna(codes[still])]] = None  # None, not NaN, where there is no code
    out["indicator_code"] = pd.Series(codes, index=out.index, dtype=object)
    return out


def _known_keys(known: pd.DataFrame) -> list[str | None]:
    """The code key of each of the framework's rows, in its order."""
    return known_indicators(known).keys


class _Coded(NamedTuple):
    """Each row's indicator code and period as several checks read them, worked out once
    (each distinct code and period once)."""

    code_ids: np.ndarray  # the indicator code's position among the distinct codes; -1: none
    code_keys: np.ndarray  # each distinct code's key (:func:`code_key`), then None (for -1)
    keys: pd.Series  # each row's code key; None: no code
    period_ids: np.ndarray  # the period's position in ``periods``; -1: none
    periods: pd.Index  # the distinct periods

    @property
    def no_code(self) -> np.ndarray:
        return self.code_ids < 0

    @property
    def no_period(self) -> np.ndarray:
        return self.period_ids < 0


def _coded(frame: pd.DataFrame) -> _Coded:
    code_ids, codes = pd.factorize(frame["indicator_code"])
    period_ids, periods = pd.factorize(frame["period"])
    code_keys = np.array([code_key(c) for c in codes] + [None], dtype=object)  # as code_keys()
    keys = pd.Series(code_keys[code_ids], index=frame.index, dtype=object)
    return _Coded(code_ids, code_keys, keys, period_ids, periods)


def validate(
    frame: pd.DataFrame,
    *,
    known_indicators: pd.DataFrame | None = None,
    previous_values: pd.DataFrame | None = None,
    return_period: str | None = None,
    today: date | None = None,
    layout: str = "long",
    resolved: bool = False,
    units_applied: bool = False,
    return_theme: str | None = None,
) -> list[Message]:
    """Messages for a mapped frame (:data:`analytics.ingest.mapping.FRAME_COLUMNS`).

    ``known_indicators``: code, title and optionally unit ('%'), measure_type ('cumulative'),
    polarity ('higher'). ``previous_values``: indicator_code, period, actual_value already
    loaded. ``resolved``: the caller already ran :func:`resolve_codes` on ``frame`` with these
    ``known_indicators`` (it is not run again). ``units_applied``: the caller already ran
    :func:`analytics.ingest.units.apply_units` and has its messages. ``return_theme``: the
    theme group whose return this is; a row of another theme group's indicator is an error
    on its cell (``known_indicators`` then needs a ``theme`` column).

    One message per cell and problem: a wide layout spreads one row's cells (its target,
    polarity, data-quality note) over a frame row per period, and each is said once.
    """
    if frame.empty:
        return []
    known_keys = None if known_indicators is None else _known_keys(known_indicators)
    if not resolved and known_indicators is not None and not known_indicators.empty:
        frame = _resolve_codes(frame, known_indicators, known_keys)
    messages: list[Message] = []
    if not units_applied:
        frame, messages = apply_units(frame, known_indicators)
    frame = frame.reset_index(drop=True)
    coded = _coded(frame)  # once, for every check below
    known = known_indicators
    messages += _indicator_messages(frame, known, known_keys, coded)
    messages += theme_messages(frame, known, known_keys, coded.keys, return_theme)
    messages += _period_messages(frame, coded, return_period, today, layout)
    messages += _duplicate_messages(frame, coded)
    messages += _value_kind_messages(frame, return_period, layout)
    messages += _polarity_messages(frame, known, known_keys, coded)
    meta = _indicator_meta(frame, known, known_keys, coded)
    messages += _percent_messages(frame, meta)
    messages += _ratio_messages(frame, meta)
    messages += _history_messages(frame, meta, previous_values, coded)
    return once_per_cell(messages)


def once_per_cell(messages: list[Message]) -> list[Message]:
    """Each (file, sheet, cell, severity, problem) once, in first-seen order. Messages with
    no cell are kept as they are."""
    seen, out = set(), []
    for message in messages:
        if message.cell is not None:
            key = (message.file, message.sheet, message.cell, message.severity, message.text)
            if key in seen:
                continue
            seen.add(key)
        out.append(message)
    return out


def return_periods(return_period: str) -> set[str]:
    """The periods a return may report: its quarter and, in a Q4 return, the financial year
    (annual and biennial indicators report in Q4 as the year code)."""
    p = parse_code(return_period)
    if p.grain == "quarter" and p.number == 4:
        return {return_period, p.financial_year}
    return {return_period}


def records(
    frame: pd.DataFrame, mask: pd.Series | None = None, fields: tuple[str, ...] | None = None
) -> list[dict]:
    """The rows (under ``mask``) as dicts (of ``fields`` only): thousands of messages would
    otherwise cost a Series each (``iterrows``)."""
    fields = tuple(frame.columns) if fields is None else tuple(f for f in fields if f in frame)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():  # most checks, most returns
            return []
    if frame.empty:
        return []
    if len(frame) <= _SMALL_FRAME:  # a quarter's return: one array of its cells is cheapest
        part = frame if fields == tuple(frame.columns) else frame[list(fields)]
        cells = part.to_numpy(dtype=object)
        if mask is not None:
            cells = cells[mask]
        return [dict(zip(fields, row, strict=True)) for row in cells.tolist()]
    if mask is not None:
        frame = frame.loc[mask, list(fields)]
    columns = [frame[f].tolist() for f in fields]
    return [dict(zip(fields, values, strict=True)) for values in zip(*columns, strict=True)]


_SMALL_FRAME = 2_000  # rows: below this, a frame's cells are read as one array for messages


def _msg(
    row: pd.Series | dict, severity: str, field: str, text: str, fix: str, value=None
) -> Message:
    cell = row.get(f"{field}_cell")
    if value is None:
        value = row.get(f"{field}_raw", row.get(field))
    return Message(severity, row["file"], row["sheet"], cell, value, text, fix)


def _message_fields(field: str, *more: str) -> tuple[str, ...]:
    """What :func:`_msg` and :func:`_label` read of a row for a message on ``field``, and
    ``more``: thousands of rows as dicts of these cost less than of every column."""
    return ("file", "sheet", f"{field}_cell", f"{field}_raw", field,
            "indicator_code", "indicator_title", "row_number", *more)  # fmt: skip


def _label(row: pd.Series | dict) -> str:
    return str(row["indicator_code"] or row["indicator_title"] or f"row {row['row_number']}")


def _indicator_messages(
    frame: pd.DataFrame,
    known: pd.DataFrame | None,
    known_keys: list | None,
    coded: _Coded,
) -> list[Message]:
    out = []
    no_indicator = coded.no_code
    if no_indicator.any():
        no_indicator = no_indicator & frame["indicator_title"].isna().to_numpy()
    for row in records(frame, no_indicator):
        out.append(
            _msg(
                row,
                "error",
                "actual_value",
                f"row {row['row_number']} has a value but no indicator",
                "write the indicator code in the row, or delete the row",
            )
        )
    if known is None:
        return out
    known_set = known_indicators(known).key_set
    is_known = np.array([key in known_set for key in coded.code_keys], dtype=bool)
    unknown = ~no_indicator & (coded.no_code | ~is_known[coded.code_ids])
    for row in records(frame, unknown):
        field = "indicator_code" if row["indicator_code"] else "indicator_title"
        found = row["indicator_code"] or row["indicator_title"]
        out.append(
            _msg(
                row,
                "error",
                field,
                f"unknown indicator {found!r}",
                "use the indicator code from the return template (e.g. NI 1), "
                "or ask the performance officer to add the indicator to the framework",
                value=found,
            )
        )
    return out


def theme_messages(
    frame: pd.DataFrame,
    known: pd.DataFrame | None,
    known_keys: list | None,
    keys: pd.Series,
    return_theme: str | None,
) -> list[Message]:
    """A return holds only its own theme group's indicators: a row of another theme group's
    indicator is an error on its code cell, whoever loads it (the performance officer loads
    that theme group's return as its own)."""
    if return_theme is None or known is None or known.empty or "theme" not in known:
        return []
    theme_of = known_indicators(known).by_key("theme")
    themes = lookup(keys.to_numpy(dtype=object), theme_of)
    other = np.array([not pd.isna(t) and t != return_theme for t in themes], dtype=bool)
    out = []
    for index in np.flatnonzero(other):
        row = frame.iloc[index]
        owner = themes[index]
        out.append(
            _msg(
                row,
                "error",
                "indicator_code",
                f"{_label(row)} is an indicator of {owner!r}, not of {return_theme!r} whose "
                "return this is",
                f"delete the row, or send the value in {owner}'s own return",
                value=row["indicator_code"],
            )
        )
    return out


_PERIOD_FIELDS = ("file", "sheet", "period", "period_cell", "period_raw", "period_problem")


def _period_messages(
    frame: pd.DataFrame,
    coded: _Coded,
    return_period: str | None,
    today: date | None,
    layout: str,
) -> list[Message]:
    out = []
    # Each distinct period is judged once; a row takes its period's answer by its code (a
    # missing period codes as -1, the last answer: never "future" nor "not ended").
    codes, names = coded.period_ids, coded.periods
    no_period = coded.no_period
    for row in records(frame, no_period, _PERIOD_FIELDS):
        problem = row["period_problem"] or "no period given"
        out.append(
            _msg(
                row,
                "error",
                "period",
                f"period not understood: {problem}",
                "write the period as 2009/10 Q2",
            )
        )
    periods = {p: parse_code(p) for p in names}

    def each_period(test) -> np.ndarray:
        return np.array([test(periods[p]) for p in names] + [False], dtype=bool)[codes]

    has_value = ~frame["actual_value_kind"].isin(NO_VALUE_KINDS).to_numpy() & ~no_period
    future = in_progress = np.zeros(len(frame), dtype=bool)
    today_text = None  # dates are written once, not once a row
    if today is not None:
        future = has_value & each_period(lambda p: p.start > today)
        in_progress = has_value & ~future & each_period(lambda p: p.end >= today)
        today_text = f"{today:%d %b %Y}"
    for row in records(frame, future, _PERIOD_FIELDS):
        out.append(
            _msg(
                row,
                "error",
                "period",
                f"{row['period']} is in the future (today is {today_text})",
                "check the period; a return can only report quarters that have started",
            )
        )
    ends = {p: f"{period.end:%d %b %Y}" for p, period in periods.items()}
    for row in records(frame, in_progress, _PERIOD_FIELDS):
        out.append(
            _msg(
                row,
                "warning",
                "period",
                f"{row['period']} has not ended yet (it ends {ends[row['period']]})",
                "send the final figure after the quarter ends",
            )
        )
    if return_period is None:
        return out
    in_return = frame["period"].isin(return_periods(return_period)).to_numpy()
    other = ~no_period & ~future & ~in_return
    if layout != "long":  # a wide return may restate earlier quarters, never later ones
        return_end = parse_code(return_period).end
        other &= has_value & each_period(lambda p: p.end > return_end)
    for row in records(frame, other, _PERIOD_FIELDS):
        out.append(
            _msg(
                row,
                "error",
                "period",
                f"period {row['period']} does not match this return's period {return_period}",
                f"put {return_period} values in this return, or "
                "load the file as the return for the period it holds",
            )
        )
    return out


def _duplicate_messages(frame: pd.DataFrame, coded: _Coded) -> list[Message]:
    keyed = np.flatnonzero(~coded.no_code & ~coded.no_period)
    # (code, period) as one integer, as DataFrame.duplicated pairs their factorised codes
    pair = coded.code_ids[keyed].astype(np.int64) * len(coded.periods) + coded.period_ids[keyed]
    dup = keyed[pd.Series(pair).duplicated(keep=False).to_numpy()]
    out = []
    if not len(dup):  # the usual return
        return out
    for _, group in frame.iloc[dup].groupby(["indicator_code", "period"], sort=False):
        first = group.iloc[0]
        first_cell = first["indicator_code_cell"] or first["actual_value_cell"]
        for row in records(group.iloc[1:]):
            out.append(
                _msg(
                    row,
                    "error",
                    "indicator_code",
                    f"{row['indicator_code']} for {row['period']} appears more than once "
                    f"(first at {first_cell})",
                    "keep one row per indicator and period and delete the others",
                    value=row["actual_value_raw"],
                )
            )
    return out


def _value_kind_messages(
    frame: pd.DataFrame, return_period: str | None, layout: str
) -> list[Message]:
    out = []
    # A target typed in a return is information, not its substance: a target that cannot
    # be read is a warning on its cell, never a reason to refuse the values beside it.
    for field, severity, lead, after in (
        ("actual_value", "error", "", ""),
        ("target_value", "warning", "target not read: ", "; the framework's target is used"),
        ("numerator_value", "error", "numerator: ", ""),
        ("denominator_value", "error", "denominator: ", ""),
    ):
        if f"{field}_kind" not in frame:
            continue
        kinds = frame[f"{field}_kind"].to_numpy()
        text, error, never = kinds == "text", kinds == "error", kinds == "uncalculated"
        if not (text.any() or error.any() or never.any()):
            continue  # most returns
        fields = _message_fields(field)
        for row in records(frame, text, fields):
            out.append(
                _msg(
                    row,
                    severity,
                    field,
                    f"{lead}text where a number belongs ({_label(row)}){after}",
                    "type the number only (a unit after it is fine, e.g. 9.5 days), or leave "
                    "the cell blank if there is no value and explain in the commentary",
                )
            )
        for row in records(frame, error, fields):
            out.append(
                _msg(
                    row,
                    severity,
                    field,
                    f"{lead}an Excel error value in {_label(row)}{after}",
                    "fix the formula, or type the value, or leave the cell blank",
                )
            )
        for row in records(frame, never, fields):
            out.append(
                _msg(
                    row,
                    "warning",
                    field,
                    f"{lead}a formula that was never calculated ({_label(row)}): the file "
                    "has no saved result for it, so it reads as blank",
                    "open the file in Excel (or LibreOffice), let it calculate, save it and "
                    "send it again; or type the value",
                    value=row.get(f"{field}_raw") or "(formula)",
                )
            )
    if return_period:
        current = frame["period"].isin(return_periods(return_period))
    else:
        current = layout == "long"
    missing = (frame["actual_value_kind"].to_numpy() == "missing") & np.asarray(current)
    for row in records(frame, missing, _message_fields("actual_value", "period")):
        out.append(
            _msg(
                row,
                "warning",
                "actual_value",
                f"no value for {_label(row)} in {row['period']}",
                "give the value, or explain in the commentary why there is none",
            )
        )
    # a missing note (NaN to map_unique) reads as ok, as a blank one does
    unclear = map_unique(frame["dq_flag_raw"], lambda v: v != "" and parse_dq_flag(v) is None)
    for row in records(frame, unclear.astype(bool), _message_fields("dq_flag")):
        out.append(
            _msg(
                row,
                "warning",
                "dq_flag",
                "data-quality note not understood; loaded as 'ok'",
                "write ok, provisional, estimate or concern",
            )
        )
    return out


def parse_polarity(raw: object) -> str | None:
    """``'High'``, ``'Lower is better'``, ``'↑'`` -> higher/lower/none; None if not understood."""
    text = normalise_text(str(raw)).rstrip(".") if raw is not None else ""
    return polarity_words().get(text) if text else None


_POLARITY_WORDS = {p.code: p.phrase for p in POLARITY_TABLE}


def _polarity_messages(
    frame: pd.DataFrame,
    known: pd.DataFrame | None,
    known_keys: list | None,
    coded: _Coded,
) -> list[Message]:
    """A polarity written in the return (Good is, Polarity, Better if, Aim) that differs
    from the framework's: a warning (the framework's stays in force)."""
    given = frame["polarity"].notna().to_numpy() & ~coded.no_code
    if not given.any():
        return []
    held = {}
    if known is not None and "polarity" in known:
        held = known_indicators(known).by_key("polarity")
    out = []
    once = given.copy()  # each polarity cell once (a wide layout repeats it per period)
    once[np.flatnonzero(given)[frame["polarity_cell"][given].duplicated().to_numpy()]] = False
    for row in records(frame, once):
        said = parse_polarity(row["polarity"])
        framework = held.get(code_key(row["indicator_code"]))
        if said is None:
            out.append(
                _msg(
                    row,
                    "warning",
                    "polarity",
                    f"polarity not understood for {_label(row)}; the framework's is used",
                    "write High or Low (or higher is better / lower is better)",
                )
            )
        elif framework in _POLARITY_WORDS and said != framework:
            out.append(
                _msg(
                    row,
                    "warning",
                    "polarity",
                    f"the return says {_POLARITY_WORDS[said]} for {_label(row)}, the "
                    f"framework says {_POLARITY_WORDS[framework]}; the framework's is used",
                    "if the framework is wrong, ask the performance officer to change the "
                    "indicator's polarity in the framework workbook",
                )
            )
    return out


def _indicator_meta(
    frame: pd.DataFrame, known: pd.DataFrame | None, known_keys: list | None, coded: _Coded
) -> pd.DataFrame:
    """unit and measure_type per row, from the framework, else the file's unit column.
    Each indicator is looked up once; its rows take the answer by the indicator's code."""
    n = len(frame)
    unit = frame["unit"].to_numpy(dtype=object)
    measure_type = np.full(n, "snapshot", dtype=object)
    ratio: dict[str, np.ndarray] = {}
    if known is not None and not known.empty:
        k = known_indicators(known)
        key_ids, keys = pd.factorize(coded.code_keys)  # each distinct code's key, once
        codes = key_ids[coded.code_ids]  # a row with no indicator codes as -1

        def per_key(column: str) -> np.ndarray:
            # the last: no indicator
            return np.append(lookup(keys, k.by_key(column, first=True)), None)

        if "unit" in known:
            known_unit = per_key("unit")
            has_unit = pd.notna(known_unit)[codes]  # else the file's unit
            unit = np.where(has_unit, known_unit[codes], unit).astype(object)
        if "measure_type" in known:
            answers = per_key("measure_type")
            measure_type = np.where(pd.isna(answers), "snapshot", answers).astype(object)[codes]
        for column in ("ratio_type", "ratio_multiplier"):
            if column in known:
                ratio[column] = per_key(column)[codes]
    is_percent = map_unique(unit, lambda u: not pd.isna(u) and str(u).strip() in PERCENT)
    grid = np.empty((n, 4), dtype=object)  # object columns as they are (not inferred as text)
    grid[:, 0], grid[:, 1] = unit, measure_type
    grid[:, 2] = ratio.get("ratio_type")
    grid[:, 3] = ratio.get("ratio_multiplier")
    meta = pd.DataFrame(
        grid, index=frame.index, columns=["unit", "measure_type", "ratio_type",
                                          "ratio_multiplier"], dtype=object, copy=False
    )  # fmt: skip
    meta["is_percent"] = is_percent.astype(bool) | frame["actual_is_percent"].to_numpy(bool)
    return meta


def _ratio_messages(frame: pd.DataFrame, meta: pd.DataFrame) -> list[Message]:
    """A numerator and denominator: both or neither, not negative, a denominator above zero,
    a proportion's numerator no larger than its denominator (errors); a value that is not
    numerator / denominator x the multiplier (a warning: the value as typed is loaded)."""
    if "numerator_value" not in frame:
        return []
    num = frame["numerator_value"].astype(float)
    den = frame["denominator_value"].astype(float)
    has_num, has_den = num.notna(), den.notna()
    out = []
    for i in frame.index[(has_num | has_den)]:
        row = frame.loc[i]
        label = _label(row)
        kind, multiplier = ratio_of(meta.at[i, "unit"], meta.at[i, "ratio_type"],
                                    meta.at[i, "ratio_multiplier"])  # fmt: skip
        if has_num[i] != has_den[i]:
            field = "denominator_value" if has_num[i] else "numerator_value"
            out.append(_msg(row, "warning", field if row.get(f"{field}_cell") else
                            "actual_value", f"{label}: a numerator without a denominator (or "
                            "the other way round); no confidence interval can be worked out",
                            "give both, or neither"))  # fmt: skip
            continue
        if num[i] < 0 or den[i] < 0:
            field = "numerator_value" if num[i] < 0 else "denominator_value"
            out.append(_msg(row, "error", field, f"{label}: a negative count",
                            "type the number of events (or people), 0 or more"))  # fmt: skip
            continue
        if den[i] == 0:
            out.append(_msg(row, "error", "denominator_value", f"{label}: a denominator of 0",
                            "type the population or sample the value is out of"))  # fmt: skip
            continue
        if kind == "proportion" and num[i] > den[i]:
            out.append(_msg(row, "error", "numerator_value",
                            f"{label}: the numerator ({num[i]:g}) is larger than the "
                            f"denominator ({den[i]:g}), which a proportion cannot be",
                            "check the two cells: the numerator counts those out of the "
                            "denominator"))  # fmt: skip
            continue
        value = row.get("actual_value")
        if value is not None and not pd.isna(value):
            expected = num[i] / den[i] * multiplier
            if abs(expected - float(value)) > max(0.05 * abs(expected), 0.051):
                out.append(_msg(row, "warning", "actual_value",
                                f"{label}: the value is not the numerator over the "
                                f"denominator (x {multiplier:g}: {expected:.4g}); the value "
                                "is loaded as typed", "check the value, the numerator and "
                                "the denominator"))  # fmt: skip
    return out


def _percent_messages(frame: pd.DataFrame, meta: pd.DataFrame) -> list[Message]:
    out = []
    values = frame["actual_value"].to_numpy(dtype=float, na_value=np.nan)
    is_percent = meta["is_percent"].to_numpy(dtype=bool)
    for row in records(frame, is_percent & (values > 100)):
        out.append(
            _msg(
                row,
                "warning",
                "actual_value",
                f"a percentage over 100 for {_label(row)}",
                "check the figure: a percentage is normally 0 to 100",
            )
        )
    fractions = is_percent & ~frame["actual_is_percent"].to_numpy(dtype=bool) & ~np.isnan(values)
    if fractions.sum() >= 2 and (np.abs(values[fractions]) <= 1).all():
        row = frame.iloc[int(np.flatnonzero(fractions)[0])]
        out.append(
            _msg(
                row,
                "warning",
                "actual_value",
                "percentage indicators all look like fractions (0 to 1)",
                "type percentages as numbers from 0 to 100 (45 for 45%)",
            )
        )
    return out


def _expanding_median(keys: np.ndarray, values: np.ndarray) -> tuple:
    """Per run of equal ``keys`` (each key's rows together): the median and the count of the
    non-NaN ``values`` so far, as ``groupby(keys).expanding().median()`` and ``.count()``.

    Vectorised over keys, one step per position in the longest run; long runs use pandas."""
    n = len(values)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if n else []
    lengths = np.diff(np.r_[starts, n]).astype(int)
    if n == 0 or lengths.max() > 200:
        expanding = pd.Series(values).groupby(keys, sort=False).expanding()
        median = expanding.median().reset_index(level=0, drop=True).sort_index()
        counts = expanding.count().reset_index(level=0, drop=True).sort_index()
        return median.to_numpy(), counts.to_numpy()
    group = np.repeat(np.arange(len(starts)), lengths)
    position = np.arange(n) - np.repeat(starts, lengths)
    grid = np.full((len(starts), lengths.max()), np.nan)
    grid[group, position] = values
    counts = np.cumsum(~np.isnan(grid), axis=1)
    medians = np.full(grid.shape, np.nan)
    every = np.arange(len(starts))
    for k in range(grid.shape[1]):
        ordered = np.sort(grid[:, : k + 1], axis=1)  # NaN last
        c = counts[:, k]
        low, high = ordered[every, np.maximum((c - 1) // 2, 0)], ordered[every, c // 2 % (k + 1)]
        middle = np.where(c % 2 == 1, low, (low + high) / 2)
        medians[:, k] = np.where(c > 0, middle, np.nan)
    return medians[group, position], counts[group, position].astype(float)


def _at_rows(n: int, positions) -> np.ndarray:
    """A mask of ``n`` rows, true at ``positions`` (a frame on a 0..n-1 index)."""
    mask = np.zeros(n, dtype=bool)
    mask[np.asarray(positions, dtype=np.int64)] = True
    return mask


def _key_array(values: pd.DataFrame) -> np.ndarray:
    """Each row's code key; ``indicator_key`` when the caller worked them out already (a
    context's values loaded, shared by a quarter's files)."""
    if "indicator_key" in values:
        return values["indicator_key"].to_numpy(dtype=object)
    return code_keys(values["indicator_code"]).to_numpy(dtype=object)


def _history_messages(
    frame: pd.DataFrame, meta: pd.DataFrame, previous: pd.DataFrame | None, coded: _Coded
) -> list[Message]:
    """A value that moved far more than its usual quarter-to-quarter change, and a cumulative
    value that went down within the year, judged on the values already loaded followed by
    the file's. Keys and periods are factorised to integers once, so the sorting, the runs
    per indicator and the look-ups are all integer arrays."""
    given = frame["actual_value_kind"].to_numpy() == "number"
    given &= ~coded.no_code & ~coded.no_period
    if not given.any():
        return []
    # the rows checked, as arrays (a frame's rows by position: validate resets its index)
    positions = np.flatnonzero(given)
    row_keys = coded.keys.to_numpy(dtype=object)[positions]
    row_periods = frame["period"].to_numpy(dtype=object)[positions]
    value = frame["actual_value"].to_numpy(dtype=float, na_value=np.nan)[positions]
    parts = [(row_keys, row_periods, value)]
    n_earlier = 0
    if previous is not None and not previous.empty:  # only the file's indicators' history
        earlier_keys = _key_array(previous)  # matters (runs are per key)
        wanted = set(row_keys.tolist())
        mine = np.fromiter((k in wanted for k in earlier_keys.tolist()), bool, len(earlier_keys))
        earlier_periods = previous["period"].to_numpy(dtype=object)[mine]
        earlier_values = previous["actual_value"].to_numpy(dtype=float, na_value=np.nan)[mine]
        parts.insert(0, (earlier_keys[mine], earlier_periods, earlier_values))
        n_earlier = int(mine.sum())
    key_code, _ = pd.factorize(np.concatenate([k for k, _, _ in parts]))
    all_periods = np.concatenate([p for _, p, _ in parts])
    period_code, period_names = pd.factorize(all_periods)  # a missing period codes as -1
    values = np.concatenate([v for _, _, v in parts])
    n_periods = len(period_names) + 1
    pair = key_code.astype(np.int64) * n_periods + period_code
    ends = np.array([parse_code(p).end.toordinal() for p in period_names] + [0], dtype=np.int64)

    # what the values loaded and the file's say, first of each (key, period), in time order
    usable = np.flatnonzero(~np.isnan(values) & (period_code >= 0))
    _, first = np.unique(pair[usable], return_index=True)
    kept = usable[np.sort(first)]
    order = kept[np.lexsort((ends[period_code[kept]], key_code[kept]))]
    run_key, run_value = key_code[order], values[order]
    same_key = np.r_[False, run_key[1:] == run_key[:-1]]
    last = np.where(same_key, np.r_[np.nan, run_value[:-1]], np.nan)
    change = np.abs(run_value - last)
    prior_change = np.where(same_key, np.r_[np.nan, change[:-1]], np.nan)
    median_change, n_changes = _expanding_median(run_key, prior_change)

    at = pd.Index(pair[order]).get_indexer(pair[n_earlier:])  # each file row's (key, period)
    last = last[at]
    median = np.where(np.asarray(n_changes)[at] >= MIN_HISTORY_CHANGES,
                      np.asarray(median_change)[at], 0.0)  # fmt: skip
    median = np.nan_to_num(median.astype(float))
    moved = np.abs(value - last)
    fallback = (last != 0) & (moved > np.abs(last) * FALLBACK_CHANGE_PCT / 100)
    unusual = np.where(median > 0, moved > RANGE_MULTIPLE * median, fallback) & ~np.isnan(last)
    # A cumulative measure grows every quarter and restarts in Q1: its year-to-date moves are
    # not comparable; only a fall within the year is checked (below).
    cumulative = meta["measure_type"].to_numpy()[given] == "cumulative"
    unusual &= ~cumulative

    out = []
    flagged = records(frame, _at_rows(len(frame), positions[unusual]))
    for row, med, prev in zip(flagged, median[unusual], last[unusual], strict=True):
        usual = f"±{med:g}" if med > 0 else f"{FALLBACK_CHANGE_PCT:g}%"
        out.append(
            _msg(
                row,
                "warning",
                "actual_value",
                f"{_label(row)} moved from {prev:g} to "
                f"{row['actual_value']:g}, far more than usual ({usual} a quarter)",
                "check the figure; if it is right, explain the change in the commentary",
            )
        )

    if not cumulative.any():
        return out
    value_at = dict(
        zip(zip(key_code[order], all_periods[order], strict=True), run_value, strict=True)
    )
    row_codes = key_code[n_earlier:]
    went_down = {}  # row position among the file's rows -> the value before it
    for j in np.flatnonzero(cumulative):
        period = row_periods[j]
        if parse_code(period).number <= 1:
            continue
        before = value_at.get((row_codes[j], previous_period(period)))
        if before is not None and value[j] < before:
            went_down[j] = before
    if not went_down:
        return out
    fell = records(frame, _at_rows(len(frame), positions[list(went_down)]))
    for row, before in zip(fell, went_down.values(), strict=True):
        period = row["period"]
        out.append(
            _msg(
                row,
                "warning",
                "actual_value",
                f"{_label(row)} is cumulative but went "
                f"down from {before:g} in {previous_period(period)}",
                "a cumulative figure is the year to date: check it includes earlier quarters",
            )
        )
    return out
