"""`lsp user ...` (accounts and roles) and `lsp audit` (who did what, when).

Commands run on the server as :func:`analytics.access.cli_user`; what they change is
audited as ``cli:<operating-system user>``. Passwords are read from standard input
(``--password-stdin``), never from the command line, where other users could see them.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from analytics.access import ROLES, cli_user
from analytics.cli.common import date_type, named_partnership, partnership_option


def _password_from_stdin() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise ValueError("The two passwords differ; nothing was changed.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user_add(args: argparse.Namespace) -> int:
    from analytics.warehouse.accounts import AccountError, add_account

    partnership = named_partnership(args)
    try:
        password = _password_from_stdin() if args.password_stdin else None
        added = add_account(
            args.warehouse, args.email, args.name, args.role, user=cli_user(),
            themes=args.theme or (), partnership=None if partnership is None else partnership.code,
            password=password,
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

    partnership = named_partnership(args)
    try:
        set_role(args.warehouse, args.email, args.role, user=cli_user(),
                 themes=args.theme or (),
                 partnership=None if partnership is None else partnership.code)  # fmt: skip
    except AccountError as exc:
        print(f"{args.email}: role not changed: {exc}", file=sys.stderr)
        return 1
    print(f"{args.email}: now {args.role}.")
    return 0


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


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp user ...` and `lsp audit` on the `lsp` parser."""
    user = sub.add_parser(
        "user",
        help="accounts and their roles",
        description="Accounts and their roles. Passwords are read from standard input, never "
        "from the command line.",
    )
    usub = user.add_subparsers(dest="user_command", required=True, metavar="COMMAND")

    add = usub.add_parser(
        "add", help="add an account with one role", description="Add an account with one role."
    )
    add.add_argument("email", metavar="EMAIL", help="the person's email address (their sign-in)")
    add.add_argument("--name", required=True, help="the person's name as shown in the app")
    add.add_argument("--role", required=True, choices=list(ROLES), help="what they may do")
    add.add_argument("--theme", action="append", help="a theme lead's theme group (repeatable)")
    partnership_option(add, "the role holds in every partnership")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (without it: single sign-on"
                          " only)")  # fmt: skip
    add.set_defaults(func=cmd_user_add)

    listing = usub.add_parser(
        "list",
        help="every account, its role and when it last signed in",
        description="Every account: its role, theme groups, state, when it was made and when "
        "it last signed in.",
    )
    listing.add_argument("--format", choices=("table", "csv"), default="table",
                         help="a table to read, or CSV (default: table)")  # fmt: skip
    listing.set_defaults(func=cmd_user_list)

    disable = usub.add_parser(
        "disable",
        help="disable an account; its sessions end",
        description="Disable an account (its sessions end), or enable it again.",
    )
    disable.add_argument("email", metavar="EMAIL", help="the account's email address")
    disable.add_argument("--enable", action="store_true", help="enable it again instead")
    disable.set_defaults(func=cmd_user_disable)

    passwd = usub.add_parser(
        "passwd",
        help="set an account's password (clears a lock-out)",
        description="Set an account's password, read from standard input (clears a lock-out).",
    )
    passwd.add_argument("email", metavar="EMAIL", help="the account's email address")
    passwd.add_argument("--password-stdin", action="store_true", required=True,
                        help="read the new password from standard input")  # fmt: skip
    passwd.set_defaults(func=cmd_user_passwd)

    role = usub.add_parser(
        "role",
        help="replace an account's role",
        description="Replace an account's role (and its theme groups and partnership).",
    )
    role.add_argument("email", metavar="EMAIL", help="the account's email address")
    role.add_argument("--role", required=True, choices=list(ROLES), help="what they may do")
    role.add_argument("--theme", action="append", help="a theme lead's theme group (repeatable)")
    partnership_option(role, "the role holds in every partnership")
    role.set_defaults(func=cmd_user_role)

    trail = sub.add_parser(
        "audit",
        help="who changed what, and every sign-in, latest first",
        description="The audit trail: who changed what, and every sign-in, latest first.",
    )
    trail.add_argument(
        "--since", type=date_type, metavar="DATE", help="from this date, e.g. 2010-11-16"
    )
    trail.add_argument("--user", help="only this user (an email, or cli:NAME)")
    trail.add_argument("--kind", action="append",
                       help="only this kind, e.g. 'return commit' (repeatable)")  # fmt: skip
    trail.add_argument("--format", choices=("table", "csv"), default="table",
                       help="a table to read, or CSV (default: table)")  # fmt: skip
    trail.set_defaults(func=cmd_audit)
