"""How people write things in the files they send, read one way everywhere (pure; a leaf: it
imports nothing of the project).

- **Indicator codes.** :func:`normalise_code` is the one spelling of a code, on every path
  (a framework workbook, a return, the scrutiny tracker, the catalogue, a page's deep link):
  ``NI-001``, ``ni 1``, ``NI001``, ``N.I. 1`` and ``NI  001 `` are all ``NI 1``; ``NI 157A``
  is ``NI 157a``; any other code (a local one, ``L-SC-01``) is kept as written, trimmed,
  its spaces single. :func:`code_key` compares codes ignoring case, spaces, dots, dashes and
  underscores (``L-SC-01`` is ``l sc 01``), :func:`match_code` finds a code among the
  framework's.
- **Text, units and headings** made plain before they are looked up: :func:`normalise_text`,
  :func:`normalise_unit`, :func:`normalise_header`.
- **The spelling tables**, data beside this module: ``header_synonyms.csv`` (which heading
  means which field, :func:`header_synonyms`), ``unit_spellings.csv`` (which spelling means
  which unit, at what scale, :func:`unit_spellings`), ``polarity_words.csv`` (how returns
  write polarity, :func:`polarity_words`); and how returns write a data-quality note
  (:data:`DQ_FLAG_WORDS`).
"""

from __future__ import annotations

import csv
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
HEADER_SYNONYMS_PATH = HERE / "header_synonyms.csv"
UNIT_SPELLINGS_PATH = HERE / "unit_spellings.csv"
POLARITY_WORDS_PATH = HERE / "polarity_words.csv"

# The fields a return's headings are mapped to (header_synonyms.csv names one per synonym).
FIELDS = (
    "indicator_code",
    "indicator_title",
    "period",
    "actual_value",
    "target_value",
    "commentary",
    "remedial_action",
    "dq_flag",
    "unit",
    "polarity",
    "numerator_value",
    "denominator_value",
)

# Data-quality notes as written -> the warehouse's dq_flag values.
DQ_FLAG_WORDS = {
    "": "ok", "ok": "ok", "good": "ok", "none": "ok", "no": "ok", "n": "ok", "green": "ok",
    "validated": "ok", "final": "ok", "confirmed": "ok", "actual": "ok",
    "p": "provisional", "prov": "provisional", "provisional": "provisional",
    "unvalidated": "provisional", "draft": "provisional", "interim": "provisional",
    "e": "estimate", "est": "estimate", "estimate": "estimate", "estimated": "estimate",
    "forecast": "estimate", "projected": "estimate",
    "c": "concern", "concern": "concern", "dq concern": "concern", "yes": "concern",
    "y": "concern", "red": "concern", "amber": "concern", "poor": "concern",
    "data quality concern": "concern", "issue": "concern",
}  # fmt: skip


# --- plain text -------------------------------------------------------------------------------

# Characters that only get in the way: spaces of every width, minus signs of every kind.
SPACES = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u200b\ufeff\t"
MINUSES = "\u2212\u2012\u2013\u2014\ufe63\uff0d"


def normalise_text(text: str) -> str:
    """Lower case, odd spaces and minus signs made plain, trimmed."""
    for ch in SPACES:
        text = text.replace(ch, " ")
    for ch in MINUSES:
        text = text.replace(ch, "-")
    return text.strip().lower()


def normalise_unit(text: str) -> str:
    """A unit as typed, for looking up: ``'Per 1,000 '`` -> ``'per 1000'``."""
    text = normalise_text(text)
    text = re.sub(r"(?<=\d)[, ](?=\d{3}\b)", "", text)
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".")


def normalise_header(text: object) -> str:
    """``'NI Ref.'`` -> ``'niref'``: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


# --- indicator codes --------------------------------------------------------------------------

# NI, N.I. or ni; a dash, dot or underscore or spaces; the number (leading zeros dropped);
# a letter for a part (NI 157a)
_NI = re.compile(r"n\.?\s*i\.?\s*[-._]?\s*0*(\d+)\s*([a-z]?)", re.IGNORECASE)
_KEY_DROP = re.compile(r"[\s.\-_]")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def normalise_code(value: object) -> str | None:
    """An indicator code as the warehouse spells it: ``'ni-001'`` -> ``'NI 1'``, ``'N.I. 157A'``
    -> ``'NI 157a'``; any other code trimmed, its spaces single; blank -> None. A whole number
    read from a spreadsheet is its digits (``191.0`` -> ``'191'``)."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not text:
        return None
    m = _NI.fullmatch(text)
    if m:
        return f"NI {int(m.group(1))}{m.group(2).lower()}"
    return text


def code_key(value: object) -> str | None:
    """What two spellings of one code share: :func:`normalise_code`, upper case, without
    spaces, dots, dashes or underscores (``NI 1``, ``ni-001`` -> ``NI1``); blank -> None."""
    code = normalise_code(value)
    return None if code is None else _KEY_DROP.sub("", code).upper()


def code_keys(codes: pd.Series) -> pd.Series:
    """:func:`code_key` over a column (each distinct code once); blanks give None."""
    index, uniques = pd.factorize(codes, use_na_sentinel=True)
    keys = np.array([code_key(u) for u in uniques] + [None], dtype=object)
    return pd.Series(keys[index], index=codes.index, dtype=object)


def match_code(wanted: object, codes) -> str | None:
    """The code of ``codes`` that ``wanted`` is a spelling of (``ni191`` -> ``NI 191``);
    None when there is none."""
    key = code_key(wanted)
    if key is None:
        return None
    return next((c for c in codes if code_key(c) == key), None)


# --- the spelling tables ----------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with Path(path).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=8)
def header_synonyms(path: Path = HEADER_SYNONYMS_PATH) -> dict[str, str]:
    """Normalised heading -> field, from a csv with columns ``synonym,field``."""
    rows = _rows(path)
    unknown = {r["field"] for r in rows} - set(FIELDS)
    if unknown:
        raise ValueError(f"{path}: unknown fields {sorted(unknown)}; use one of {FIELDS}")
    return {normalise_header(r["synonym"]): r["field"] for r in rows}


@lru_cache(maxsize=4)
def unit_spellings(path: Path = UNIT_SPELLINGS_PATH) -> dict[str, tuple[str, float]]:
    """Normalised spelling -> (unit, scale), from a csv with columns ``spelling,unit,scale``."""
    return {normalise_unit(r["spelling"]): (r["unit"], float(r["scale"])) for r in _rows(path)}


@lru_cache(maxsize=4)
def polarity_words(path: Path = POLARITY_WORDS_PATH) -> dict[str, str]:
    """How returns write polarity -> higher/lower/none (``polarity_words.csv``)."""
    return {normalise_text(r["spelling"]): r["polarity"] for r in _rows(path)}
