"""Every command that takes `--partnership` gives the same answer and exit status for the
same spelling: the code, the code in lower case, the name in another case and the start of
the name find the demo partnership; a name no partnership has, and a start two names share
("Wyvern": Wyvern Vale Partnership and Wyvernshire Partnership), exit 2 with the same
message everywhere, and nothing is written."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest

from analytics.authstore import copy_store
from analytics.cli import main
from analytics.warehouse.connection import close_readers
from tests.conftest import table_counts

SAFER = "Communities that are safe and feel safe"
BOARD_MEMBER = "board@wyvernvale.example"

FOUND = ("WVP", "wvp", "wyvern VALE Partnership", "Wyvern vale")
# the demo: its county (WSP) and its four districts
NOT_FOUND = (
    "There is no partnership called 'Nowhere' (by code or name); the codes are: AGP, BCP, KHP, "
    "WSP, WVP.\n"
)
AMBIGUOUS = "'Wyvern' could be any of 2 partnerships (WSP, WVP): give its code.\n"

# Every command that takes --partnership, run so that running it again gives the same
# answer: {out} is a folder of the run's own, {files} holds a return and a tracker workbook.
COMMANDS = {
    "status": ["status", "--format", "csv"],
    "template": ["template", "--theme", SAFER, "--period", "2011/12 Q1", "-o", "{out}/r.xlsx"],
    "import": ["import", "{files}/return.xlsx", "--dry-run"],
    "report board": ["report", "board", "-o", "{out}/board.html"],
    "report scrutiny": ["report", "scrutiny", "-o", "{out}/scrutiny.html"],
    "report changes": ["report", "changes", "--since", "2010-11-16", "-o", "{out}/c.html"],
    "report annual": ["report", "annual", "--year", "2009/10", "-o", "{out}/annual.html"],
    "report county": ["report", "county", "-o", "{out}/county.html"],  # the district's county
    "recommendations template": ["recommendations", "template", "--filled", "-o", "{out}/t.xlsx"],
    "recommendations import": ["recommendations", "import", "{files}/tracker.xlsx"],
    "recommendations list": ["recommendations", "list", "--as-of", "2011-06-14", "--format",
                             "csv"],
    "publish": ["publish", "--list"],
    "site build": ["site", "build", "--full", "-o", "{out}/site"],
    "site brand": ["site", "brand"],
    "user add": ["user", "add", "{email}", "--name", "Pat Reader", "--role", "board"],
    "user role": ["user", "role", BOARD_MEMBER, "--role", "board"],
    "reminders send": ["reminders", "send", "--dry-run", "--today", "2011-07-01"],
    "reminders list": ["reminders", "list"],
}  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(demo_warehouse, tmp_path_factory):
    """A copy of the demo for this module, with a filled return and the filled tracker."""
    close_readers()
    path = tmp_path_factory.mktemp("partnership") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, path)
    copy_store(demo_warehouse, path)  # its accounts too (lsp user role changes one)
    files = path.parent / "files"
    w = ["--warehouse", str(path)]
    assert main([*w, "template", "--partnership", "WVP", "--theme", SAFER, "--period",
                 "2011/12 Q1", "-o", str(files / "return.xlsx")]) == 0  # fmt: skip
    book = openpyxl.load_workbook(files / "return.xlsx")
    for row in range(5, book["Return"].max_row + 1):
        book["Return"].cell(row, 11, 12.5)  # the values column
    book.save(files / "return.xlsx")
    assert main([*w, "recommendations", "template", "--partnership", "WVP", "--filled",
                 "-o", str(files / "tracker.xlsx")]) == 0  # fmt: skip
    return path


def _run(warehouse, command: str, spelling: str, n: int, capsys):
    out = warehouse.parent / "out" / f"{command.replace(' ', '-')}-{n}"
    files = warehouse.parent / "files"
    email = f"pat.{n}@council.example"
    argv = [a.format(out=out, files=files, email=email) for a in COMMANDS[command]] + [
        "--partnership",
        spelling,
    ]
    capsys.readouterr()
    status = main(["--warehouse", str(warehouse), *argv])
    said = capsys.readouterr()
    # what differs from one run to the next only because it is another run
    answer = said.out.replace(str(out), "OUT").replace(email, "EMAIL")
    answer = re.sub(r"in \d+\.\d s\.", "in N s.", answer)
    return status, answer, said.err, out


@pytest.mark.parametrize("command", list(COMMANDS))
def test__partnership__same_spelling_same_answer_in_every_command(command, warehouse, capsys):
    answers = set()
    for n, spelling in enumerate(FOUND):
        status, answer, err, _ = _run(warehouse, command, spelling, n, capsys)
        assert status == 0, f"{command} --partnership {spelling!r}: {err}"
        answers.add(answer)
    assert len(answers) == 1, f"{command}: the spellings gave different answers"
    if command.startswith("user"):  # the role holds in the demo partnership alone
        assert main(["--warehouse", str(warehouse), "user", "list", "--format", "csv"]) == 0
        listed = capsys.readouterr().out
        assert f"{BOARD_MEMBER},Bea Board,board (WVP)" in listed
        if command == "user add":
            assert all(f"pat.{n}@council.example,Pat Reader,board (WVP)" in listed
                       for n in range(len(FOUND)))  # fmt: skip

    before = table_counts(warehouse)
    for n, (spelling, message) in enumerate(
        [("Nowhere", NOT_FOUND), ("Wyvern", AMBIGUOUS)], start=len(FOUND)
    ):
        status, answer, err, out = _run(warehouse, command, spelling, n, capsys)
        assert (status, err) == (2, message), f"{command} --partnership {spelling!r}"
        assert answer == ""
        assert not out.exists()  # no file written
    assert table_counts(warehouse) == before  # nothing changed in the warehouse


def test__partnership__commands_that_take_one_are_all_in_the_table():
    """A new command with --partnership joins the table above."""
    from analytics.cli import build_parser
    from analytics.cli.reference import commands

    taking = {
        " ".join(words[1:])
        for words, _, parser in commands(build_parser())
        if any("--partnership" in a.option_strings for a in parser._actions)
    }
    assert taking == set(COMMANDS)
