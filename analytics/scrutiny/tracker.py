"""The recommendation tracker's rules (pure: frames and dates in, frames out).

- A recommendation's reference is its municipal year and number: ``2010/11-03``. The
  municipal year runs from the annual meeting in May; like the financial year it is written
  ``2010/11``, and here it is taken as April to March (the financial year of ``made_on``).
- The response is due two months after the date sent (Local Government Act 2000, s.9FE;
  for LAA targets, partners named in a recommendation, SI 2009/1919): the same day of the
  month two months on, or that month's last day when it has no such day (31 December ->
  28 or 29 February).
- RAG (:func:`tracker_rag`): green = implemented and closed by the committee; amber =
  progress acceptable; red = overdue (response or implementation) or progress unacceptable.
  Before a response: "awaiting response" with a countdown, red once it is overdue. Closed
  without being implemented (rejected, superseded, not implemented): "closed".
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import pandas as pd

from analytics import periods
from analytics.formatting import as_date

# the codes are the vocabulary's (named here too for the tracker's readers and writers)
from analytics.vocabulary import IMPLEMENTATION_STATUSES as IMPLEMENTATION_STATUSES
from analytics.vocabulary import RESPONSES as RESPONSES

RESPONSE_MONTHS = 2
REFERENCE_RE = re.compile(r"^(\d{4})/(\d{2})-(\d{2,3})$")


class TrackerError(ValueError):
    """A recommendation value that breaks the tracker's rules."""


def add_months(day: date, months: int) -> date:
    """``day`` moved on by whole months; the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def response_due_on(sent_on: date | None) -> date | None:
    """When the response is due: two months after the date sent."""
    if sent_on is None or pd.isna(sent_on):
        return None
    return add_months(pd.Timestamp(sent_on).date(), RESPONSE_MONTHS)


def municipal_year(day: date) -> str:
    """'2010/11' for a day from April 2010 to March 2011."""
    return periods.financial_year_of(day)


def make_reference(year: str, number: int) -> str:
    return f"{year}-{number:02d}"


def parse_reference(text: str) -> tuple[str, int]:
    """('2010/11', 3) from '2010/11-03'; :class:`TrackerError` otherwise."""
    m = REFERENCE_RE.match(str(text).strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise TrackerError(
            f"reference {text!r} is not a municipal year and number such as '2010/11-03'"
        )
    return f"{m.group(1)}/{m.group(2)}", int(m.group(3))


def next_reference(existing: list[str], made_on: date) -> str:
    """The next free reference in the municipal year of ``made_on``."""
    year = municipal_year(made_on)
    used = []
    for ref in existing:
        try:
            y, n = parse_reference(ref)
        except TrackerError:
            continue
        if y == year:
            used.append(n)
    return make_reference(year, max(used, default=0) + 1)


def _word(value) -> str | None:
    """A code from a frame: None for blanks (None, NaN, '')."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def tracker_rag(rec: dict, as_of: date) -> tuple[str, str]:
    """(rag, reason) of one recommendation on ``as_of``."""
    closed_on = as_date(rec.get("closed_on"))
    status = _word(rec.get("status")) or "not_started"
    response = _word(rec.get("response"))
    if closed_on is not None and closed_on <= as_of:
        if status == "implemented":
            return "green", f"implemented and closed by the committee on {_text(closed_on)}"
        return "closed", f"closed by the committee on {_text(closed_on)} ({_status(status)})"
    responded_on = as_date(rec.get("response_on"))
    if response is None or responded_on is None or responded_on > as_of:
        due = response_due_on(as_date(rec.get("sent_on")))
        if due is None:
            return "awaiting", "not yet sent"
        days = (due - as_of).days
        if days < 0:
            return "red", f"response overdue: due {_text(due)}, {_days(-days)} ago"
        return "awaiting", f"response due {_text(due)} ({_days(days)} left)"
    if response == "rejected":
        return "amber", "rejected: for the committee to note and close"
    if rec.get("progress_ok") is False or rec.get("progress_ok") == 0:
        return "red", "the committee judged progress unacceptable"
    if status == "not_implemented":
        return "red", "not implemented"
    if status == "implemented":
        return "amber", "implemented: proposed for closure"
    if status == "superseded":
        return "amber", "superseded: proposed for closure"
    due = as_date(rec.get("due_on"))
    if due is not None and due < as_of:
        return "red", f"implementation overdue: due {_text(due)}"
    if due is not None:
        return "amber", f"progress acceptable; implementation due {_text(due)}"
    return "amber", "progress acceptable"


def tracker(recs: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Every recommendation with ``response_due_on``, ``days_to_response`` (the countdown,
    negative once overdue; empty after a response), ``response_overdue``, ``rag`` and
    ``rag_reason`` as on ``as_of``; only recommendations made by then."""
    cols = ["response_due_on", "days_to_response", "response_overdue", "rag", "rag_reason"]
    if recs.empty:
        return recs.assign(**{c: pd.Series(dtype=object) for c in cols})
    made = pd.to_datetime(recs["made_on"]).dt.date
    out = recs[made <= as_of].copy()
    rows = out.to_dict("records")
    due = [response_due_on(as_date(r.get("sent_on"))) for r in rows]
    responded = [
        _word(r.get("response")) is not None and as_date(r.get("response_on")) is not None
        and as_date(r["response_on"]) <= as_of
        for r in rows
    ]  # fmt: skip
    out["response_due_on"] = due
    pairs = list(zip(due, responded, strict=True))
    out["days_to_response"] = pd.array(
        [None if d is None or done else (d - as_of).days for d, done in pairs], dtype="Int64"
    )
    out["response_overdue"] = [d is not None and not done and d < as_of for d, done in pairs]
    judged = [tracker_rag(r, as_of) for r in rows]
    out["rag"] = [j[0] for j in judged]
    out["rag_reason"] = [j[1] for j in judged]
    return out.reset_index(drop=True)


def _text(day: date) -> str:
    return day.strftime("%-d %b %Y")


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _status(status: str) -> str:
    return status.replace("_", " ")


def tracker_summary(
    table: pd.DataFrame, since: date | None, as_of: date
) -> dict[str, pd.DataFrame]:
    """What the committee hears at a review, from :func:`tracker` as at ``as_of``:
    responses received since the last review (``since``), responses overdue, implemented
    since the last review, proposed for closure (implemented, superseded or rejected, not
    yet closed), and the rest still open."""
    if table.empty:
        return {k: table for k in ("received", "overdue", "implemented", "for_closure", "open")}

    def between(column: str) -> pd.Series:
        days = pd.to_datetime(table[column])
        after = days > pd.Timestamp(since) if since else days.notna()
        return after & (days <= pd.Timestamp(as_of))

    closed = pd.to_datetime(table["closed_on"]) <= pd.Timestamp(as_of)
    status = table["status"].fillna("not_started").astype(str)
    response = table["response"].where(table["response"].notna(), "").astype(str)
    responded = between("response_on")
    implemented = (status == "implemented") & (
        between("closed_on") | (between("progress_on") if "progress_on" in table else False)
    )
    proposed = ~closed & (status.isin(("implemented", "superseded")) | (response == "rejected"))
    proposed &= table["response_on"].notna()
    return {
        "received": table[responded],
        "overdue": table[table["response_overdue"].astype(bool)],
        "implemented": table[implemented],
        "for_closure": table[proposed],
        "open": table[~closed],
    }


def linked(recs: pd.DataFrame, *, code: str | None = None, theme_id: int | None = None):
    """Recommendations linked to an indicator (by code) or a theme group."""
    if recs.empty:
        return recs
    keep = pd.Series(False, index=recs.index)
    if code is not None:
        codes = recs["indicator_codes"].fillna("").astype(str)
        keep |= codes.map(lambda text: code in [c.strip() for c in text.split(",")])
    if theme_id is not None:
        keep |= recs["theme_id"].astype("Float64") == theme_id
    return recs[keep]
