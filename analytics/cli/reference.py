"""docs/cli.md, the `lsp` reference, written from the parser itself:

    python -m analytics.cli.reference > docs/cli.md

Every command and subcommand: its usage, what it does, and each argument with its help.
The text is composed here from the parser's arguments (not argparse's ``--help`` layout,
which changes with the terminal's width and the Python version), so it is the same
everywhere. ``tests/cli/test_reference.py`` fails when docs/cli.md is out of date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from analytics.cli import build_parser
from analytics.cli.common import EXIT_STATUSES, ONLY
from analytics.warehouse import partnerships

COMMAND = "python -m analytics.cli.reference > docs/cli.md"


def _subcommands(parser: argparse.ArgumentParser):
    """(name, help, parser) of each subcommand of ``parser``, in the order they were added."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield choice.dest, choice.help, action.choices[choice.dest]


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ("lsp",)) -> Iterator:
    """(words, help, parser) of every command and subcommand below ``parser``, depth first."""
    for name, help_text, sub in _subcommands(parser):
        yield (*words, name), help_text, sub
        yield from commands(sub, (*words, name))


def _arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        a
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction)
    ]


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return str(action.metavar)
    if action.choices is not None:
        return "|".join(str(c) for c in action.choices)
    return action.dest.upper()


def _spelling(action: argparse.Action, every_name: bool = False) -> str:
    """``--period PERIOD``, ``-o FILE``, ``--demo``, ``FILE [FILE ...]``."""
    if not action.option_strings:
        name = _metavar(action)
        return f"{name} [{name} ...]" if action.nargs == "+" else name
    names = action.option_strings if every_name else action.option_strings[:1]
    if action.nargs == 0:  # a flag
        return ", ".join(names)
    return ", ".join(f"{name} {_metavar(action)}" for name in names)


def usage(words: tuple[str, ...], parser: argparse.ArgumentParser) -> str:
    """One line: the command, its options (required ones bare, others in brackets; either
    of a group between ``|``), its positional arguments, ``COMMAND ...`` for a group."""
    grouped = {
        id(action): group
        for group in parser._mutually_exclusive_groups
        for action in group._group_actions
    }
    options, positionals, groups_done = [], [], set()
    for action in _arguments(parser):
        group = grouped.get(id(action))
        if group is not None:
            if id(group) not in groups_done:
                groups_done.add(id(group))
                either = " | ".join(_spelling(a) for a in group._group_actions)
                options.append(f"({either})" if group.required else f"[{either}]")
        elif not action.option_strings:
            positionals.append(_spelling(action))
        else:
            text = _spelling(action)
            options.append(text if action.required else f"[{text}]")
    if any(True for _ in _subcommands(parser)):
        positionals.append("COMMAND ...")
    return " ".join([*words, *options, *positionals])


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _argument_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in _arguments(parser):
        help_text = action.help or ""
        if action.required and action.option_strings:
            help_text = f"required: {help_text}"
        names = _spelling(action, every_name=True)
        rows.append(f"| `{_cell(names)}` | {_cell(help_text)} |")
    return rows


def _section(words: tuple[str, ...], help_text: str, parser: argparse.ArgumentParser) -> str:
    level = "#" * min(len(words) + 1, 4)
    lines = [f"{level} `{' '.join(words)}`", ""]
    lines += [parser.description or help_text or "", ""]
    lines += ["```", usage(words, parser), "```", ""]
    subs = list(_subcommands(parser))
    if subs:
        lines += ["| command | what it does |", "|---|---|"]
        lines += [f"| `{' '.join(words)} {name}` | {_cell(h)} |" for name, h, _ in subs]
        lines.append("")
    rows = _argument_rows(parser)
    if rows:
        lines += ["| argument | what it is |", "|---|---|", *rows, ""]
    return "\n".join(lines)


def render(parser: argparse.ArgumentParser | None = None) -> str:
    """The whole reference, as Markdown."""
    parser = parser or build_parser()
    statuses = [f"| {code} | {_cell(words)} |" for code, words in EXIT_STATUSES.items()]
    head = [
        "# The `lsp` command",
        "",
        f"<!-- Generated from the parser by `{COMMAND}`; do not edit by hand. -->",
        "",
        parser.description or "",
        "",
        "```",
        usage(("lsp",), parser),
        "```",
        "",
        "| argument | what it is |",
        "|---|---|",
        *_argument_rows(parser),
        "",
        "## Exit status",
        "",
        "| status | meaning |",
        "|---|---|",
        *statuses,
        "",
        "Output piped into a reader that stops early (`lsp status | head`) ends quietly.",
        "",
        "## `--partnership`",
        "",
        "Every command that takes `--partnership` finds it the same way, with the same answer "
        "and exit status (2 when it is not found or could be several). Without it, a command "
        f"is for {ONLY} (exit 2, naming the codes, when several have one; `lsp import` of our "
        "own templates takes it from the templates; `lsp user` roles hold in every "
        "partnership; `lsp site build` builds every partnership with publications).",
        "",
        partnerships.RULES,
        "",
        "## Commands",
        "",
    ]
    sections = [_section(words, h, sub) for words, h, sub in commands(parser)]
    return "\n".join(head) + "\n" + "\n".join(sections).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
