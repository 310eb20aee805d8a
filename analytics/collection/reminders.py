"""What `lsp reminders send` sends on a day, and sending it.

:func:`plan` is pure: from each theme group's return for the quarters being collected and the
messages already claimed or sent, what is due today. For a theme group whose return has not
arrived (and is expected, in a quarter not locked for it) that is the **latest** message its
dates call for: the opening notice from the day the window opens, the reminder, the due-day
message, the escalation once overdue. A day missed is caught up by the next run, which sends
the latest message due and none of the ones skipped; a message already sent is never sent
again. The first message a theme group gets for a quarter carries the return template, even
when it is not the opening notice (the run that would have sent it was missed). A return
sent back for correction gets one notice (with a link to the form, where the note is).

:func:`run` gathers, plans, claims, sends and records, partnership by partnership.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics import periods
from analytics.access import User
from analytics.collection import calendar
from analytics.collection.mail import Mailer, MailError, MailSettings, Notice, build_message


@dataclass(frozen=True)
class Planned:
    """A message due today for one theme group and quarter."""

    partnership_id: int
    partnership: str
    theme_id: int
    theme: str
    period: str
    kind: str
    due_on: date
    return_id: int | None = None
    with_template: bool = False


def _id(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def plan(candidates: pd.DataFrame, log: pd.DataFrame, today: date) -> list[Planned]:
    """The messages due on ``today`` (see the module's docstring). ``candidates``: as
    :func:`analytics.warehouse.reminders.candidates`; ``log``: theme_id, period, kind,
    return_id, state of every message claimed, sent or failed."""
    held = log[log["state"].isin(["sending", "sent"])] if not log.empty else log
    done = {
        (int(r.theme_id), r.period, r.kind, _id(r.return_id))
        for r in held.itertuples()
    }  # fmt: skip
    started = {(t, p) for t, p, k, _ in done if k in calendar.STAGES}
    out: list[Planned] = []
    for row in candidates.itertuples():
        if row.locked:
            continue
        base = dict(partnership_id=int(row.partnership_id), partnership=row.partnership,
                    theme_id=int(row.theme_id), theme=row.theme, period=row.period,
                    due_on=pd.Timestamp(row.due).date())  # fmt: skip
        return_id = _id(row.return_id)
        if row.returned:
            if row.review_state == "sent_back" and (
                (int(row.theme_id), row.period, "sent_back", return_id) not in done
            ):
                out.append(Planned(**base, kind="sent_back", return_id=return_id))
            continue
        if not row.expected:
            continue
        stage_dates = (pd.Timestamp(getattr(row, s)).date() for s in calendar.STAGES)
        dates = calendar.QuarterDates(row.period, periods.parse_code(row.period).end,
                                      *stage_dates)  # fmt: skip
        stage = dates.stage_on(today)
        if stage is None or (int(row.theme_id), row.period, stage, None) in done:
            continue
        first = (int(row.theme_id), row.period) not in started
        out.append(Planned(**base, kind=stage, with_template=first))
    return out


@dataclass
class Outcome:
    """What a run did (or, dry, would do): one line per message, and the problems."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sent: int = 0
    failed: int = 0


def addresses(item: Planned, people: dict, officers: list[str]) -> tuple[list[str], list[str]]:
    """(To, Cc) of a message: the theme group's leads; an escalation copies the officers and
    the chair (and goes to the officers when the theme group has no address)."""
    theme = people.get(item.theme_id, {"leads": [], "chair": []})
    to = list(theme["leads"])
    cc: list[str] = []
    if item.kind == "overdue":
        cc = [e for e in [*officers, *theme["chair"]] if e.lower() not in {t.lower() for t in to}]
        if not to:
            to, cc = cc, []
    return to, cc


def run(
    path,
    today: date,
    *,
    user: User,
    dry_run: bool = False,
    partnership_ids: list[int] | None = None,
    mail: MailSettings | None = None,
    kinds: set[str] | None = None,
    on_line: Callable[[str], None] | None = None,
) -> Outcome:
    """Send what is due on ``today`` for each partnership (default: every one with a
    framework). ``dry_run``: say what would be sent, claim and send nothing (no setting is
    needed). ``kinds``: only
    these kinds (the Sign-off page sends a sent-back notice at once)."""
    from analytics.warehouse import queries
    from analytics.warehouse import reminders as store
    from analytics.warehouse.returns import template_bytes, template_file_name

    say = on_line or (lambda _line: None)
    mail = mail or MailSettings.from_env(dry_run=dry_run)
    outcome = Outcome()
    if partnership_ids is None:
        known = queries.partnerships(path)
        partnership_ids = [int(p) for p in known.loc[known["indicators"] > 0, "partnership_id"]]
    for pid in partnership_ids:
        due = plan(store.candidates(path, pid, today), store.reminder_log(path, pid), today)
        due = [d for d in due if kinds is None or d.kind in kinds]
        people, officers = store.recipients(path, pid)
        items, notices = [], {}
        for item in due:
            to, cc = addresses(item, people, officers)
            if not to:
                outcome.warnings.append(
                    f"{item.theme}, {item.period}: no e-mail address to send the {item.kind} "
                    "message to. Give the theme group a theme-lead account or a contact_email "
                    "on the framework's Themes sheet (and an officer account)."
                )
                continue
            notice = Notice(
                kind=item.kind, partnership=item.partnership, theme=item.theme,
                period=item.period, due_on=item.due_on,
                form_link=mail.form_link(item.theme_id, item.period),
                returns_link=f"{mail.public_url}/returns", to=tuple(to), cc=tuple(cc),
                working_days_left=calendar.working_days_between(today, item.due_on),
            )  # fmt: skip
            key = (item.theme_id, item.period, item.kind, item.return_id)
            notices[key] = (notice, item)
            items.append({"theme_id": item.theme_id, "period": item.period, "kind": item.kind,
                          "return_id": item.return_id, "to": to, "cc": cc,
                          "subject": notice.subject})  # fmt: skip
            line = f"{item.kind:<9} {item.theme}, {item.period} -> {', '.join(to)}" + (
                f" (cc {', '.join(cc)})" if cc else "") + (
                " [template attached]" if item.with_template else "")  # fmt: skip
            outcome.lines.append(line)
            if dry_run:
                say(f"would send: {line}")
        if dry_run or not items:
            continue
        claimed = store.claim(path, pid, items, user=user, run_on=today)
        results: list[tuple[int, str | None]] = []
        try:
            with Mailer(mail) as mailer:
                for c in claimed:
                    notice, item = notices[(c.theme_id, c.period, c.kind, c.return_id)]
                    if item.with_template:
                        data = template_bytes(pid, item.theme, item.period, path)
                        notice = _with(notice, (template_file_name(item.theme, item.period), data))
                    try:
                        mailer.send(build_message(notice, mail.sender))
                    except Exception as exc:  # one refused address does not stop the others
                        results.append((c.reminder_id, f"{type(exc).__name__}: {exc}"[:500]))
                        outcome.failed += 1
                        say(f"FAILED: {c.subject} ({exc})")
                    else:
                        results.append((c.reminder_id, None))
                        outcome.sent += 1
                        say(f"sent: {c.subject} -> {', '.join(c.to)}")
        except MailError as exc:
            done = {rid for rid, _ in results}
            results += [
                (c.reminder_id, str(exc)[:500]) for c in claimed if c.reminder_id not in done
            ]
            outcome.failed += len(claimed) - len(done)
            store.finish(path, results, user=user)
            raise
        store.finish(path, results, user=user)
    return outcome


def _with(notice: Notice, attachment: tuple[str, bytes]) -> Notice:
    from dataclasses import replace

    return replace(notice, attachment=attachment)
