"""docs/cli.md is the parser's own reference: out of date, `make test` fails and says how to
write it again; every command and argument has help text to put in it."""

from pathlib import Path

import pytest

from analytics.cli import build_parser
from analytics.cli.reference import COMMAND, _arguments, commands, render, usage

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test__reference__docs_cli_md_is_up_to_date():
    written = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    assert written == render(), f"docs/cli.md is out of date: run `{COMMAND}`"


def _every_parser():
    parser = build_parser()
    yield ("lsp",), parser.description, parser
    yield from commands(parser)


@pytest.mark.parametrize(
    ("words", "parser"),
    [(words, parser) for words, _, parser in _every_parser()],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else "",
)
def test__reference__every_command_and_argument_has_help_text(words, parser):
    assert parser.description, f"{' '.join(words)} has no description"
    for action in _arguments(parser):
        assert action.help and action.help.strip(), (
            f"{' '.join(words)} {'/'.join(action.option_strings) or action.dest}: no help text"
        )


def test__reference__lists_every_command_with_its_usage():
    text = render()
    names = [words for words, _, _ in commands(build_parser())]
    assert (
        len(names) == 35
    )  # lsp reminders, send, list (issue 23); serve, backup, restore (issue 20)
    for words in names:
        assert f"`{' '.join(words)}`\n" in text
    parser = dict((w, p) for w, _, p in commands(build_parser()))
    assert usage(("lsp", "publish"), parser[("lsp", "publish")]) == (
        "lsp publish (--period QUARTER | --year YEAR | --list) [--partnership PARTNERSHIP]"
    )
    assert usage(("lsp", "import"), parser[("lsp", "import")]).endswith("FILE [FILE ...]")
    assert "| 2 | the command was used wrongly" in text
    assert "`lsp partnerships` lists them all" in text


def test__reference__help_subcommands_have_help_in_the_command_list():
    for words, help_text, _ in commands(build_parser()):
        assert help_text, f"{' '.join(words)} has no help in its group's list"
