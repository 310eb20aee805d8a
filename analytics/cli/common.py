"""What the ``lsp`` commands share: exit statuses and errors, the partnership a command is
for, period and date arguments, and the ``-o FILE`` / ``--format`` of a written file.

A command group's module (``setup``, ``returns``, ``status``, ``reports``,
``recommendations``, ``users``, ``publish``) imports this one; this one imports none of
them. Text from the command line becomes a typed value here, at the edge: a period is a
:class:`~analytics.periods.Period` (parsed by argparse through ``type=``), a date a
:class:`~datetime.date`, a partnership a :class:`~analytics.warehouse.partnerships.Partnership`
found by :func:`~analytics.warehouse.partnerships.find_partnership`, the one lookup the
accounts and the public site use too.

Importing this module stays cheap (``lsp --help`` builds every parser): the warehouse
modules are imported by the functions that read it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from analytics import periods
from analytics.reports.writers import FORMATS, PROSE_FORMATS

if TYPE_CHECKING:
    from analytics.warehouse.partnerships import Partnership

__all__ = ["FORMATS", "PROSE_FORMATS"]

# --- Exit statuses and errors ---------------------------------------------------------------

DONE = 0  # done
REJECTED = 1  # the input was rejected (every problem on stderr; the warehouse unchanged)
USAGE = 2  # the command was used wrongly (an option's value, a partnership not found or ambiguous)

EXIT_STATUSES = {
    DONE: "done",
    REJECTED: "the input was rejected: every problem is printed (file, sheet and cell) on "
    "standard error, and the warehouse is unchanged; or there is nothing to do it with (no "
    "warehouse, no framework, no values, nothing published)",
    USAGE: "the command was used wrongly: an unknown option or a value it cannot take (a "
    "period of the wrong grain, a date, a format, a theme group), or a partnership that is "
    "not found or could be several",
}


class CommandError(Exception):
    """A command stops with a message on standard error and ``status`` as its exit status."""

    status = REJECTED


class Rejected(CommandError):
    """The input was rejected, or there is nothing to work on (exit 1)."""

    status = REJECTED


class UsageError(CommandError):
    """The command was used wrongly (exit 2)."""

    status = USAGE


def say(*lines: str) -> None:
    """Lines on standard error: what went wrong and what to do."""
    for line in lines:
        print(line, file=sys.stderr)


def print_messages(messages: Iterable) -> None:
    """File messages (:class:`analytics.messages.Message`), one a line, on standard error."""
    say(*(message.format() for message in messages))


# --- The partnership ------------------------------------------------------------------------

ONLY = "the one with a framework"


def partnership_option(parser: argparse.ArgumentParser, default: str = ONLY) -> None:
    """``--partnership PARTNERSHIP``: a code or a name in any case, or the start of a name."""
    parser.add_argument(
        "--partnership",
        help=f"the partnership's code or name in any case, or the start of its name (default: "
        f"{default})",
    )


def named_partnership(args: argparse.Namespace) -> Partnership | None:
    """The partnership ``--partnership`` names, or None when it is not given. Not found or
    ambiguous: :class:`~analytics.warehouse.partnerships.PartnershipError` (exit 2)."""
    if args.partnership is None:
        return None
    from analytics.warehouse.partnerships import find_partnership

    return find_partnership(args.warehouse, args.partnership)


def chosen_partnership(args: argparse.Namespace) -> Partnership:
    """The partnership named with a framework, or, when none is named, the only partnership
    with a framework. Several with none named: exit 2 (say which); no framework: exit 1."""
    from analytics.warehouse.partnerships import some_codes, with_framework

    named = named_partnership(args)
    framed = with_framework(args.warehouse)
    if named is not None:
        if named not in framed:
            raise Rejected(f"{named} has no framework yet: load one with `lsp framework import`.")
        return named
    if len(framed) == 1:
        return framed[0]
    if not framed:
        raise Rejected("No framework loaded yet: `lsp framework import` first.")
    raise UsageError(
        "Several partnerships have a framework: add --partnership CODE "
        f"(one of {some_codes(p.code for p in framed)})."
    )


# --- Periods and dates ----------------------------------------------------------------------

EXAMPLES = {"year": "2010/11", "half": "2010/11 H1", "quarter": "2010/11 Q2"}


def period_type(*grains: str) -> Callable[[str], periods.Period]:
    """An argparse ``type=``: the text as a :class:`~analytics.periods.Period` of one of
    ``grains`` (any grain when none), in any spelling returns use (``Q2 10/11``)."""

    def period(text: str) -> periods.Period:
        try:
            found = periods.parse_code(periods.parse_period(text))
        except periods.PeriodError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        if grains and found.grain not in grains:
            wanted = " or ".join(grains)
            raise argparse.ArgumentTypeError(
                f"{found.code} is a {found.grain}, not a {wanted}: it must be a {wanted}, "
                f"such as {EXAMPLES.get(grains[0], '2010/11 Q2')}"
            )
        return found

    period.__name__ = " or ".join(grains) or "period"  # argparse names it in some errors
    return period


def date_type(text: str) -> date:
    """An argparse ``type=``: an ISO date (2010-11-16)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date such as 2010-11-16 (found {text!r})"
        ) from None


# --- Files written --------------------------------------------------------------------------


def output_option(
    parser: argparse.ArgumentParser, what: str = "the file to write", metavar: str = "FILE"
) -> None:
    """``-o FILE`` (required): where the command writes."""
    parser.add_argument("-o", "--output", required=True, type=Path, metavar=metavar, help=what)


def format_options(parser: argparse.ArgumentParser, formats: tuple[str, ...] = FORMATS) -> None:
    """``--format`` and ``-o FILE``: a report written as one of ``formats``, by default the
    one the file's suffix names."""
    parser.add_argument(
        "--format", choices=formats, help="the file's format (default: the suffix of -o)"
    )
    output_option(parser)
    parser.set_defaults(output_formats=formats)


def output_format(args: argparse.Namespace) -> str:
    """``--format``, else the suffix of ``-o`` (``.htm`` is html); exit 2 when neither is
    one of the formats this command writes."""
    formats = args.output_formats
    if args.format:
        return args.format
    suffix = args.output.suffix.lower().lstrip(".")
    suffix = "html" if suffix == "htm" else suffix
    if suffix not in formats:
        endings = " or ".join(f".{f}" for f in formats)
        raise UsageError(
            f"--format: say --format {'|'.join(formats)} (or write to a file ending {endings}; "
            f"{args.output.name} does not)."
        )
    return suffix


def write_output(output: Path, data: bytes) -> None:
    """Write a file the command made, making its folder if need be."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
