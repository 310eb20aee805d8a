"""`lsp user ...` (accounts and roles) and `lsp audit` (who did what, when).

Commands run on the server as :func:`analytics.access.cli_user`; what they change is
audited as ``cli:<operating-system user>``. Passwords are read from standard input
(``--password-stdin``), never from the command line, where other users could see them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date

from analytics.access import ROLES, cli_user


def _password_from_stdin() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise ValueError("The two passwords differ; nothing was changed.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user_add(args: argparse.Namespace) -> int:
    from analytics.warehouse.accounts import AccountError, add_account

    try:
        password = _password_from_stdin() if args.password_stdin else None
        added = add_account(
            args.warehouse, args.email, args.name, args.role, user=cli_user(),
            themes=args.theme or (), partnership=args.partnership, password=password,
        )  # fmt: skip
    except (AccountError, ValueError) as exc:
        print(f"{args.email}: not added: {exc}", file=sys.stderr)
        return 1
    how = "password" if args.password_stdin else "single sign-on only (no password)"
    print(f"Added {added.email} ({added.display_name}): {args.role}; signs in by {how}.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from analytics.warehouse.accounts import list_accounts

    accounts = list_accounts(args.warehouse)
    if args.format == "csv":
        from analytics.reports.writers.csv_file import frame_to_csv

        frame_to_csv(accounts, sys.stdout)
    elif accounts.empty:
        print("No accounts yet: add one with `lsp user add EMAIL --name NAME --role admin "
              "--password-stdin`.")  # fmt: skip
    else:
        print(accounts.to_string(index=False, na_rep="–", max_colwidth=40))
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    from analytics.warehouse.accounts import AccountError, set_disabled

    try:
        set_disabled(args.warehouse, args.email, not args.enable, user=cli_user())
    except AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"{args.email}: {'enabled' if args.enable else 'disabled; its sessions have ended'}.")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from analytics.warehouse.accounts import AccountError, set_password

    try:
        set_password(args.warehouse, args.email, _password_from_stdin(), user=cli_user())
    except (AccountError, ValueError) as exc:
        print(f"{args.email}: password not changed: {exc}", file=sys.stderr)
        return 1
    print(f"{args.email}: password changed (and any lock-out cleared).")
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    from analytics.warehouse.accounts import AccountError, set_role

    try:
        set_role(args.warehouse, args.email, args.role, user=cli_user(),
                 themes=args.theme or (), partnership=args.partnership)  # fmt: skip
    except AccountError as exc:
        print(f"{args.email}: role not changed: {exc}", file=sys.stderr)
        return 1
    print(f"{args.email}: now {args.role}.")
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def cmd_audit(args: argparse.Namespace) -> int:
    from analytics.warehouse.accounts import audit_trail

    trail = audit_trail(args.warehouse, since=args.since, actor=args.user,
                        kinds=args.kind or ())  # fmt: skip
    if args.format == "csv":
        from analytics.reports.writers.csv_file import frame_to_csv

        frame_to_csv(trail, sys.stdout)
    elif trail.empty:
        print("Nothing recorded" + (f" since {args.since}" if args.since else "") + ".")
    else:
        print(trail.to_string(index=False, na_rep="–", max_colwidth=60))
    return 0


def add_user_commands(sub) -> None:
    user = sub.add_parser("user", help="accounts and their roles")
    usub = user.add_subparsers(dest="user_command", required=True)

    add = usub.add_parser("add", help="add an account with one role")
    add.add_argument("email")
    add.add_argument("--name", required=True, help="the person's name as shown in the app")
    add.add_argument("--role", required=True, choices=list(ROLES))
    add.add_argument("--theme", action="append", help="a theme lead's theme group (repeatable)")
    add.add_argument("--partnership", help="partnership code or name (default: every one)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (without it: single sign-on"
                          " only)")  # fmt: skip
    add.set_defaults(func=cmd_user_add)

    listing = usub.add_parser("list", help="every account, its role and when it last signed in")
    listing.add_argument("--format", choices=("table", "csv"), default="table")
    listing.set_defaults(func=cmd_user_list)

    disable = usub.add_parser("disable", help="disable an account; its sessions end")
    disable.add_argument("email")
    disable.add_argument("--enable", action="store_true", help="enable it again instead")
    disable.set_defaults(func=cmd_user_disable)

    passwd = usub.add_parser("passwd", help="set an account's password (clears a lock-out)")
    passwd.add_argument("email")
    passwd.add_argument("--password-stdin", action="store_true", required=True,
                        help="read the new password from standard input")  # fmt: skip
    passwd.set_defaults(func=cmd_user_passwd)

    role = usub.add_parser("role", help="replace an account's role")
    role.add_argument("email")
    role.add_argument("--role", required=True, choices=list(ROLES))
    role.add_argument("--theme", action="append", help="a theme lead's theme group (repeatable)")
    role.add_argument("--partnership", help="partnership code or name (default: every one)")
    role.set_defaults(func=cmd_user_role)

    trail = sub.add_parser("audit", help="who changed what, and every sign-in, latest first")
    trail.add_argument("--since", type=_date, help="from this date (YYYY-MM-DD)")
    trail.add_argument("--user", help="only this user (an email, or cli:NAME)")
    trail.add_argument("--kind", action="append", help="only this kind, e.g. 'return commit'")
    trail.add_argument("--format", choices=("table", "csv"), default="table")
    trail.set_defaults(func=cmd_audit)
