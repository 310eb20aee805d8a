"""`lsp reminders`: the collection's e-mails, meant to run daily from the server's scheduler.

    lsp reminders send                      # what is due today, nothing twice
    lsp reminders send --dry-run            # what would be sent (no relay needed)
    lsp reminders send --today 2011-07-21   # as on another day (a rehearsal, or by hand)
    lsp reminders list [--period "2011/12 Q1"]

Settings come from the environment (LSP_SMTP_HOST, LSP_SMTP_PORT, LSP_SMTP_STARTTLS,
LSP_SMTP_USER, LSP_SMTP_PASSWORD_FILE, LSP_MAIL_FROM, LSP_PUBLIC_URL; docs/collection.md).
Exit status: 0 sent (or nothing due); 1 the relay could not be used or a message failed
(recorded, and tried again by the next run), or the settings are missing; 2 used wrongly.
"""

from __future__ import annotations

import argparse

from analytics.cli.common import (
    Rejected,
    UsageError,
    chosen_partnership,
    date_type,
    named_partnership,
    partnership_option,
    period_type,
    say,
)


def cmd_send(args: argparse.Namespace) -> int:
    from analytics.access import cli_user
    from analytics.collection import calendar, reminders
    from analytics.collection.mail import MailError

    try:
        today = args.today or calendar.today()
    except calendar.CalendarError as exc:
        raise UsageError(str(exc)) from None
    named = named_partnership(args)
    try:
        outcome = reminders.run(
            args.warehouse, today, user=cli_user(), dry_run=args.dry_run,
            partnership_ids=None if named is None else [named.id], on_line=print,
        )  # fmt: skip
    except MailError as exc:
        raise Rejected(f"{exc} Nothing more was sent; the next run tries again.") from None
    say(*(f"WARNING: {w}" for w in outcome.warnings))
    if args.dry_run:
        print(f"Dry run for {today:%A %d %B %Y}: {len(outcome.lines)} messages would be sent; "
              "nothing was sent or recorded.")  # fmt: skip
        return 0
    print(f"Reminders for {today:%A %d %B %Y}: {outcome.sent} sent, {outcome.failed} failed.")
    if outcome.failed:
        raise Rejected("Some messages failed (recorded); the next run tries them again.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from analytics.warehouse.reminders import reminder_log

    partnership = chosen_partnership(args)
    period = None if args.period is None else str(args.period)
    log = reminder_log(args.warehouse, partnership.id, period)
    if log.empty:
        print(f"{partnership.name}: no reminders recorded" + (f" for {period}." if period else "."))
        return 0
    for row in log.itertuples():
        when = row.sent_at if row.state == "sent" else row.created_at
        copied = f" (cc {row.copied})" if isinstance(row.copied, str) and row.copied else ""
        print(f"{when:%Y-%m-%d %H:%M}  {row.state:<7} {row.kind:<9} {row.period}  {row.theme}"
              f" -> {row.recipients}{copied}")  # fmt: skip
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp reminders send` and `lsp reminders list` on the `lsp` parser."""
    group = sub.add_parser(
        "reminders",
        help="e-mail theme groups what is due (run daily: send; what was sent: list)",
        description="The collection's e-mails: the opening notice with the template, a "
        "reminder before the due date, one on it, and an escalation once overdue, to theme "
        "groups whose return has not arrived; every message recorded.",
    )
    commands = group.add_subparsers(dest="reminders_command", required=True, metavar="COMMAND")
    send = commands.add_parser(
        "send",
        help="send what is due today, nothing twice (safe to run twice a day or to miss a day)",
        description="Send the reminders due today to theme groups whose return has not "
        "arrived, catching up a missed day without repeating a message.",
    )
    send.add_argument(
        "--today", type=date_type, metavar="DATE",
        help="run as on this date, e.g. 2011-07-21 (default: $LSP_TODAY or today)",
    )  # fmt: skip
    send.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send and record nothing"
    )
    partnership_option(send, "every partnership with a framework")
    send.set_defaults(func=cmd_send)
    listing = commands.add_parser(
        "list", help="every reminder recorded: to whom, what, when",
        description="Every reminder recorded for a partnership, latest first.",
    )  # fmt: skip
    listing.add_argument(
        "--period", type=period_type("quarter"), metavar="QUARTER",
        help="only this quarter's, e.g. '2011/12 Q1'",
    )  # fmt: skip
    partnership_option(listing)
    listing.set_defaults(func=cmd_list)
