"""UK financial-year periods: years, half-years, quarters and months (pure, no I/O).

Canonical period codes, the only spelling stored in the warehouse:

- ``2009/10``       financial year, April 2009 to March 2010
- ``2009/10 H1``    half-year (H1 = Q1 + Q2, H2 = Q3 + Q4)
- ``2009/10 Q2``    quarter (Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar)
- ``2009/10 M05``   month of the financial year (M01 = April ... M12 = March)

A biennial indicator (the Place Survey) reports against a financial year, so it uses
the year code.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_FY_RE = re.compile(r"^(\d{4})/(\d{2})$")
_CODE_RE = re.compile(r"^(\d{4})/(\d{2})(?: (Q[1-4]|H[12]|M(?:0[1-9]|1[0-2])))?$")

GRAINS = ("year", "half", "quarter", "month")


class PeriodError(ValueError):
    """A period code or spelling that cannot be understood."""


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. Ordered by end date, then by length (shorter first)."""

    end: date
    start: date
    code: str
    grain: str

    @property
    def financial_year(self) -> str:
        return self.code[:7]

    @property
    def start_year(self) -> int:
        return int(self.code[:4])

    @property
    def number(self) -> int:
        """Quarter, half or month number within the year; 0 for the year itself."""
        return 0 if self.grain == "year" else int(self.code[9:])

    def __str__(self) -> str:
        return self.code


def fy_code(start_year: int) -> str:
    """``2009`` -> ``2009/10``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def fy_start_year(fy: str) -> int:
    m = _FY_RE.match(fy.strip())
    if not m:
        raise PeriodError(f"{fy!r} is not a financial year; write it as 2009/10")
    start = int(m.group(1))
    if (start + 1) % 100 != int(m.group(2)):
        raise PeriodError(f"{fy!r} is not a financial year: {m.group(2)} does not follow {start}")
    return start


def _month_start(fy_start: int, month_of_year: int) -> date:
    """Month 1 of the financial year is April."""
    calendar_month = (month_of_year + 2) % 12 + 1
    year = fy_start if month_of_year <= 9 else fy_start + 1
    return date(year, calendar_month, 1)


def _month_end(fy_start: int, month_of_year: int) -> date:
    first = _month_start(fy_start, month_of_year)
    return date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


_GRAIN_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}


def parse_code(code: str) -> Period:
    """Parse a canonical period code (strict). Use :func:`parse_period` for free spellings."""
    m = _CODE_RE.match(str(code).strip())
    if not m:
        raise PeriodError(
            f"{code!r} is not a period; write a year as 2009/10 and a quarter as 2009/10 Q2"
        )
    start_year = fy_start_year(f"{m.group(1)}/{m.group(2)}")
    part = m.group(3)
    if part is None:
        grain, first_month = "year", 1
    else:
        grain = {"Q": "quarter", "H": "half", "M": "month"}[part[0]]
        n = int(part[1:])
        first_month = (n - 1) * _GRAIN_MONTHS[grain] + 1
    last_month = first_month + _GRAIN_MONTHS[grain] - 1
    return Period(
        end=_month_end(start_year, last_month),
        start=_month_start(start_year, first_month),
        code=str(code).strip(),
        grain=grain,
    )


def is_code(text: str) -> bool:
    try:
        parse_code(text)
    except PeriodError:
        return False
    return True


def make_code(start_year: int, grain: str = "year", number: int = 0) -> str:
    fy = fy_code(start_year)
    if grain == "year":
        return fy
    prefix = {"quarter": "Q", "half": "H", "month": "M"}[grain]
    return f"{fy} {prefix}{number:02d}" if grain == "month" else f"{fy} {prefix}{number}"


@lru_cache(maxsize=4096)
def _year_of(code: str) -> str:
    return parse_code(code).financial_year


def year_of(code: object) -> str:
    """The financial year a period (a code or a :class:`Period`) falls in: ``2009/10 Q2`` ->
    ``2009/10``. Raises :class:`PeriodError` for anything that is not a period code."""
    return _year_of(str(code).strip())


def _parsed(code: object) -> Period | None:
    try:
        return parse_code(str(code))
    except PeriodError:
        return None


def is_quarter(code: object) -> bool:
    """Whether ``code`` (a code or a :class:`Period`) is a quarter; False for anything else,
    unreadable codes included. The one place a quarter is recognised."""
    p = _parsed(code)
    return p is not None and p.grain == "quarter"


def is_first_quarter(code: object) -> bool:
    p = _parsed(code)
    return p is not None and p.grain == "quarter" and p.number == 1


def is_year_end(code: object) -> bool:
    """A financial year, or its last quarter (Q4): where a year's outturn is read."""
    p = _parsed(code)
    return p is not None and (p.grain == "year" or (p.grain == "quarter" and p.number == 4))


def year_end_quarter(fy: object) -> str:
    """``2009/10`` (or any period of it) -> ``2009/10 Q4``."""
    return make_code(parse_code(str(fy)).start_year, "quarter", 4)


def financial_year_of(day: date) -> str:
    return fy_code(day.year if day.month >= 4 else day.year - 1)


def period_containing(day: date, grain: str = "quarter") -> str:
    """The period of the given grain that contains ``day``."""
    start_year = day.year if day.month >= 4 else day.year - 1
    month_of_year = (day.month - 4) % 12 + 1
    if grain == "year":
        return fy_code(start_year)
    size = _GRAIN_MONTHS[grain]
    return make_code(start_year, grain, (month_of_year - 1) // size + 1)


def shift(code: str, steps: int) -> str:
    """Move ``steps`` periods of the same grain forward (negative: back)."""
    p = parse_code(code)
    if p.grain == "year":
        return fy_code(p.start_year + steps)
    per_year = 12 // _GRAIN_MONTHS[p.grain]
    index = p.start_year * per_year + (p.number - 1) + steps
    return make_code(index // per_year, p.grain, index % per_year + 1)


def previous_period(code: str) -> str:
    return shift(code, -1)


def same_period_last_year(code: str) -> str:
    p = parse_code(code)
    return make_code(p.start_year - 1, p.grain, p.number)


def quarters_of_year(fy: str) -> list[str]:
    start = fy_start_year(fy)
    return [make_code(start, "quarter", q) for q in range(1, 5)]


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last`` inclusive."""
    out, current = [], first
    last_end = parse_code(last).end
    while parse_code(current).end <= last_end:
        out.append(current)
        current = shift(current, 1)
    return out


def year_to_date(code: str) -> list[str]:
    """The periods of the same grain from the start of the year up to ``code``."""
    p = parse_code(code)
    if p.grain == "year":
        return [code]
    return [make_code(p.start_year, p.grain, n) for n in range(1, p.number + 1)]


def sort_key(code: str) -> tuple[date, int]:
    """Time order: by end date, and of periods ending together the shortest first."""
    p = parse_code(code)
    return (p.end, -p.start.toordinal())


# --- Free spellings found in returns -------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_QUARTER_BY_MONTH_RANGE = {(4, 6): 1, (7, 9): 2, (10, 12): 3, (1, 3): 4}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = rf"\b({_MONTH_NAMES})[a-z]*\.?"
_FY_RE_FREE = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*[/\-]\s*(\d{4}|\d{2}|\d)(?!\d)")
_QUARTER_RE = re.compile(
    r"\b(?:q|qtr|quarter)\s*\.?\s*([1-4])\b|\b([1-4])(?:st|nd|rd|th)? (?:qtr|quarter)\b"
)
_DAY_FIRST_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?: 00:00(?::00)?)?$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ t]00:00(?::00)?)?$")


def _year_from_text(text: str) -> int | None:
    """Start year of the financial year named in ``text``.

    Understands ``2008/09``, ``08/09``, ``2008-09``, ``2008-2009``, ``2008/9`` and ``FY08/09``.
    """
    for m in _FY_RE_FREE.finditer(text):
        first, second = m.group(1), m.group(2)
        start = int(first) if len(first) == 4 else 2000 + int(first)
        if len(second) == 4:
            ok = int(second) == start + 1
        else:
            ok = (start + 1) % 10 ** len(second) == int(second)
        if ok:
            return start
    return None


def _two_digit_year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _quarter_from_months(first: int, last: int, year: int, raw: str) -> str:
    """Months ``first``-``last`` of calendar ``year`` (the year of ``last``) -> quarter code."""
    quarter = _QUARTER_BY_MONTH_RANGE.get((first, last))
    if quarter is None:
        raise PeriodError(f"{raw!r} is not a quarter: months must be Apr-Jun, Jul-Sep, ...")
    return make_code(year if quarter < 4 else year - 1, "quarter", quarter)


def _date_spelling(t: str) -> date | None:
    """``30/06/2008`` (UK day first) or ``2008-06-30`` written as text."""
    m = _DAY_FIRST_DATE_RE.match(t)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _ISO_DATE_RE.match(t)
        if not m:
            return None
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise PeriodError(f"{t!r} is not a real date; write the period as 2009/10 Q2") from exc


def parse_period(text: object, default_year: str | None = None) -> str:
    """Turn a spelling found in a return into a canonical period code.

    Understands ``2009/10 Q2``, ``Q2 09/10``, ``2009-10 Qtr 2``, ``2nd quarter 2009/10``,
    ``Apr-Jun 2008``, ``Apr-Jun 08``, ``Apr-Jun 2008/09``, ``June 2008`` and ``Jun-08`` (the
    quarter containing that month), ``Qtr 1`` or ``Q1 (Apr-Jun)`` (with ``default_year``),
    ``H1 2009/10``, ``2009/10``, ``09/10``, ``FY2009/10``, and a date or a date written as
    ``30/06/2008`` (the quarter containing it). ``Q1 2008`` is refused as ambiguous (calendar
    or financial quarter?). Raises :class:`PeriodError` with what was found.
    """
    if isinstance(text, date):
        return period_containing(text, "quarter")
    raw = str(text).strip()
    if not raw:
        raise PeriodError("the period is blank; write it as 2009/10 Q2")
    if is_code(raw):
        return raw
    t = re.sub(r"\s+", " ", raw.lower().replace("–", "-").replace("—", "-").replace("\xa0", " "))
    day = _date_spelling(t)
    if day is not None:
        return period_containing(day, "quarter")

    year = _year_from_text(t)
    # Month range: "Apr-Jun 2008", "April to June 08", "Apr - Jun 2008/09"
    m = re.search(rf"{_MONTH}\s*(?:-|to)\s*{_MONTH}(?:[\s,]*(\d{{4}}|\d{{2}})(?![\d/\-]))?", t)
    if m:
        first, last = _MONTHS[m.group(1)], _MONTHS[m.group(2)]
        if m.group(3) is not None:
            return _quarter_from_months(first, last, _two_digit_year(m.group(3)), raw)
        fy_start = year if year is not None else _default_start(default_year)
        if fy_start is not None:
            calendar_year = fy_start if first >= 4 else fy_start + 1
            return _quarter_from_months(first, last, calendar_year, raw)

    if year is None:
        year = _default_start(default_year)
    m = _QUARTER_RE.search(t)
    if m:
        if _year_from_text(t) is None and re.search(r"(?<![\d/\-])(19|20)\d{2}(?![\d/\-])", t):
            raise PeriodError(
                f"{raw!r} is ambiguous (calendar or financial quarter?); write it as 2009/10 Q2"
            )
        if year is None:
            raise PeriodError(f"{raw!r} names a quarter but no year; write it as 2009/10 Q2")
        return make_code(year, "quarter", int(m.group(1) or m.group(2)))

    m = re.search(r"\b(?:h|half|half year)\s*([12])\b", t)
    if m and year is not None:
        return make_code(year, "half", int(m.group(1)))

    # Single month: "June 2008", "Jun-08" -> the quarter containing it.
    m = re.search(rf"{_MONTH}[\s\-/',]*(\d{{4}}|\d{{2}})(?![\d/\-])", t)
    if m and _year_from_text(t) is None:
        month_day = date(_two_digit_year(m.group(2)), _MONTHS[m.group(1)], 1)
        return period_containing(month_day, "quarter")

    if _year_from_text(t) is not None and re.fullmatch(r"(fy\s*|financial year\s*)?[\d/\- ]+", t):
        return fy_code(_year_from_text(t))
    raise PeriodError(f"{raw!r} is not a period we recognise; write it as 2009/10 Q2")


def _default_start(default_year: str | None) -> int | None:
    return None if default_year is None else fy_start_year(default_year)


_PERIOD_WORDS_RE = re.compile(
    r"(?<!\d)\d{2,4}\s*[/\-]\s*\d{1,4}(?!\d)|\b(?:q|qtr|quarter)\s*\.?\s*[1-4]\b"
    rf"|{_MONTH}(?:\s*(?:-|to)\s*{_MONTH})?|\bfy(?![a-z])|\bfinancial year\b|(?<!\d)\d{{4}}(?!\d)"
    r"|\b[1-4](?:st|nd|rd|th)? (?:qtr|quarter)\b|\b(?:h|half)\s*[12]\b|'\d{2}\b|-\d{2}\b|\b\d{2}\b"
)


def strip_period_words(text: str) -> str:
    """What is left of a heading once its period is taken out: ``'Q1 08/09 Target'`` ->
    ``'target'`` (lower case, spaces collapsed). Used to tell actual from target columns."""
    t = str(text).lower().replace("–", "-").replace("—", "-").replace("\xa0", " ")
    left = _PERIOD_WORDS_RE.sub(" ", t)
    return re.sub(r"[\s()\[\]:,\-/]+", " ", left).strip()


def looks_like_period(text: object) -> bool:
    """True when ``text`` spells a period, with or without its year (``'Qtr 1'``)."""
    try:
        parse_period(text, default_year="2000/01")
    except PeriodError:
        return False
    return True
