"""Units typed beside numbers (``9.5 days``, ``45 per cent``, ``£2.3m``), judged against the
indicator's own unit (pure: the framework is passed in).

Which spelling means which unit is data, ``unit_spellings.csv`` (``spelling,unit,scale``, read
by :func:`analytics.ingest.spelling.unit_spellings`):
``per cent`` and ``pc`` are ``percent``; ``£k`` is ``money`` at a scale of 1,000; ``incidents``
and ``households`` are a ``count``. :func:`analytics.ingest.values.parse_value` reads the
number and the spelling after it, with the number in the unit's base (``£2.3m`` ->
2,300,000 ``£``); :func:`apply_units` then, per distinct indicator and spelling:

- **the indicator's own unit or a spelling of it** -> the number, in the indicator's scale
  (``£2.3m`` for a ``£m`` indicator -> 2.3); a word of the indicator's title counts as its
  own unit for a count (``3,100 incidents`` for "Anti-social behaviour incidents");
- **a unit that contradicts it** (``12 weeks`` for a days indicator, ``%`` for a count) ->
  an error on the cell naming both (a warning for a target, which is then not read);
- **a word we do not know** (``45 est``) -> the same, saying the unit is not understood.

An indicator with no unit in the framework has nothing to contradict: a known unit is read.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analytics.ingest.spelling import code_key, code_keys, normalise_unit, unit_spellings
from analytics.messages import Message

VALUE_FIELDS = ("actual_value", "target_value")

# How a unit is named in a message.
FAMILY_WORDS = {
    "percent": "per cent (%)",
    "money": "pounds (£)",
    "count": "a count",
    "days": "days",
    "weeks": "weeks",
    "hours": "hours",
    "minutes": "minutes",
    "months": "months",
    "years": "years",
}


def indicator_unit(unit: object) -> tuple[str | None, float]:
    """(unit, scale) of an indicator's unit as the framework writes it: ``'rate per 1,000'``
    -> ``('per 1000', 1)``, ``'£m'`` -> ``('money', 1e6)``, ``'number of homes'`` -> count;
    ``(None, 1)`` when it is blank or not one we know (``'kg per household'`` is ``kg``)."""
    text = normalise_unit(str(unit)) if isinstance(unit, str) else ""
    if not text:
        return None, 1.0
    table = unit_spellings()
    if text in table:
        return table[text]
    if text.startswith(("%", "percent", "per cent", "percentage")):
        return "percent", 1.0
    rate = re.search(r"\bper (\d+)\b", text)
    if rate:
        return table.get(f"per {rate.group(1)}", (f"per {rate.group(1)}", 1.0))
    if re.match(r"(number|no|count|total) of\b", text):
        return "count", 1.0
    first = text.split()[0]
    if first in table:
        return table[first]
    return None, 1.0


def unit_words(unit: object) -> str:
    """The indicator's unit for a message: as the framework writes it, or 'no unit'."""
    text = str(unit).strip() if isinstance(unit, str) else ""
    return text or "no unit given"


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _title_has(spelled: str, title: object) -> bool:
    words = {_singular(w) for w in re.findall(r"[a-z]+", str(title or "").lower())}
    typed = [_singular(w) for w in re.findall(r"[a-z]+", spelled)]
    return bool(typed) and all(w in words for w in typed)


def judge(spelled: str, unit: object, title: object = None) -> tuple[str, float]:
    """``('ok', factor)``: the typed number times ``factor`` is in the indicator's unit;
    ``('contradicts', 0)``: a unit other than the indicator's; ``('unknown', 0)``: a unit we
    do not know and the indicator does not name."""
    typed = unit_spellings().get(spelled)
    family, scale = indicator_unit(unit)
    own = normalise_unit(unit) if isinstance(unit, str) else ""
    names_it = bool(own) and (spelled == own or own.startswith(f"{spelled} "))
    if typed is None:
        if names_it or (family in (None, "count") and _title_has(spelled, title)):
            return "ok", 1.0
        return "unknown", 0.0
    if typed[0] == family:
        return "ok", 1.0 / scale
    if not own or (family is None and names_it):
        return "ok", 1.0
    if family is None and own.startswith("rate") and typed[0].startswith("per "):
        return "ok", 1.0  # a rate with no base given: per 1,000 is its spelling
    return "contradicts", 0.0


def _typed_words(spelled: str) -> str:
    """The unit typed, for a message: ``'weeks'``, ``'pc' (per cent (%))``."""
    known = unit_spellings().get(spelled)
    if known is None:
        return repr(spelled)
    family = known[0]
    words = FAMILY_WORDS.get(family, re.sub(r"(\d)(?=(\d{3})+\b)", r"\1,", family))
    if spelled in {family, words, "%", "£"}:
        return words
    return f"{spelled!r} ({words})"


def apply_units(
    frame: pd.DataFrame, known: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[Message]]:
    """Numbers typed with a unit, in the indicator's unit; a unit that does not fit, one
    message on its cell. Returns a new frame (``{field}_value`` and ``_kind`` changed where
    a unit was typed: ``kind`` 'unit' for a value refused for its unit, 'missing' for a
    target not read) and the messages. ``known``: code, unit and optionally title."""
    wanted = [f for f in VALUE_FIELDS if f"{f}_unit" in frame]
    if frame.empty or not any(frame[f"{f}_unit"].notna().any() for f in wanted):
        return frame, []
    units: dict[str, object] = {}
    titles: dict[str, object] = {}
    if known is not None and not known.empty:
        keys = known["code"].map(code_key)
        if "unit" in known:
            units = dict(zip(keys, known["unit"], strict=True))
        if "title" in known:
            titles = dict(zip(keys, known["title"], strict=True))
    out = frame.copy(deep=False)
    messages: list[Message] = []
    for field in wanted:
        typed = out[f"{field}_unit"]
        rows = np.flatnonzero((typed.notna() & out[f"{field}_kind"].eq("number")).to_numpy())
        if not len(rows):
            continue
        keys = code_keys(out["indicator_code"].iloc[rows]).to_numpy(dtype=object)
        spelled = typed.iloc[rows].to_numpy(dtype=object)
        verdicts: dict[tuple, tuple[str, float]] = {}
        number = out[field].to_numpy(dtype=float, copy=True)
        kind = out[f"{field}_kind"].to_numpy(dtype=object, copy=True)
        for i, key, unit in zip(rows, keys, spelled, strict=True):
            pair = (key, unit)
            if pair not in verdicts:
                title = titles.get(key) if titles else out["indicator_title"].iat[i]
                verdicts[pair] = judge(unit, units.get(key), title)
            verdict, factor = verdicts[pair]
            if verdict == "ok":
                if factor != 1.0:
                    number[i] *= factor
                continue
            messages.append(_message(out.iloc[i], field, verdict, unit, units.get(key)))
            number[i] = np.nan
            kind[i] = "unit" if field == "actual_value" else "missing"
        out[field] = number
        out[f"{field}_kind"] = pd.Series(kind, index=out.index, dtype=object)
    return out, messages


def _message(row: pd.Series, field: str, verdict: str, spelled: str, unit: object) -> Message:
    code = row["indicator_code"] or row["indicator_title"] or f"row {row['row_number']}"
    measured = unit_words(unit)
    if verdict == "contradicts":
        problem = f"typed in {_typed_words(spelled)}, but {code} is measured in {measured}"
    else:  # a word after the number that is not a unit we know (78 approx, 45 est)
        problem = (
            f"text where a number belongs ({code}): {spelled!r} is not a unit we know, nor "
            f"{code}'s ({measured})"
        )
    if field == "target_value":
        return Message(
            "warning",
            row["file"],
            row["sheet"],
            row.get("target_value_cell"),
            row.get("target_value_raw"),
            f"target not read: {problem}",
            "the framework's target is used; to give one here, type it in the indicator's unit",
        )
    return Message(
        "error",
        row["file"],
        row["sheet"],
        row.get("actual_value_cell"),
        row.get("actual_value_raw"),
        problem,
        f"type the value in {measured} (the number alone will do), or ask the performance "
        "officer if the framework's unit is wrong",
    )
