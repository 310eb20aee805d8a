"""`lsp user add/list/disable/passwd/role` and `lsp audit`: clear messages, nothing changed
by bad input, writes audited as cli:<os user>."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from analytics.access import signin
from analytics.cli import main
from tests.conftest import store_counts, table_counts


def _run(monkeypatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test__user_add__first_admin_on_an_empty_warehouse_then_listed(
    empty_warehouse, monkeypatch, capsys
):
    w = ["--warehouse", str(empty_warehouse)]
    assert _run(monkeypatch, [*w, "user", "list"]) == 0
    assert "No accounts yet" in capsys.readouterr().out
    argv = [*w, "user", "add", "Jo@Council.example", "--name", "Jo Bloggs", "--role", "admin",
            "--password-stdin"]  # fmt: skip
    assert _run(monkeypatch, argv, "a perfectly long passphrase\n") == 0
    assert "Added jo@council.example (Jo Bloggs): admin" in capsys.readouterr().out
    assert _run(monkeypatch, [*w, "user", "list", "--format", "csv"]) == 0
    listed = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert listed[["email", "roles", "state"]].values.tolist() == [
        ["jo@council.example", "admin", "active"]
    ]
    assert signin.sign_in(empty_warehouse, "jo@council.example",
                            "a perfectly long passphrase").user is not None  # fmt: skip


def test__user_add__bad_input_says_why_and_changes_nothing(demo_copy, monkeypatch, capsys):
    w = ["--warehouse", str(demo_copy)]
    before = table_counts(demo_copy), store_counts(demo_copy)
    cases = [
        (["x@y.example", "--name", "X", "--role", "board", "--password-stdin"], "password1\n",
         "at least 10"),
        (["x@y.example", "--name", "X", "--role", "board", "--password-stdin"], "1234567890\n",
         "commonest"),
        (["x@y.example", "--name", "X", "--role", "theme_lead"], "", "needs their theme"),
    ]  # fmt: skip
    for args, stdin, message in cases:
        assert _run(monkeypatch, [*w, "user", "add", *args], stdin) == 1
        assert message in capsys.readouterr().err
    # a partnership not found is a wrong use, as in every command (tests/cli/test_partnership)
    args = ["x@y.example", "--name", "X", "--role", "board", "--partnership", "NOPE"]
    assert _run(monkeypatch, [*w, "user", "add", *args]) == 2
    assert "no partnership" in capsys.readouterr().err
    assert (table_counts(demo_copy), store_counts(demo_copy)) == before


def test__user_disable_passwd_role_and_audit(demo_copy, monkeypatch, capsys):
    w = ["--warehouse", str(demo_copy)]
    monkeypatch.setenv("LSP_USER", "ops")
    assert _run(monkeypatch, [*w, "user", "disable", "board@wyvernvale.example"]) == 0
    assert _run(monkeypatch, [*w, "user", "disable", "board@wyvernvale.example",
                              "--enable"]) == 0  # fmt: skip
    assert _run(monkeypatch, [*w, "user", "passwd", "board@wyvernvale.example",
                              "--password-stdin"], "a brand new passphrase\n") == 0  # fmt: skip
    assert _run(monkeypatch, [*w, "user", "role", "board@wyvernvale.example", "--role",
                              "scrutiny", "--partnership", "WVP"]) == 0  # fmt: skip
    assert _run(monkeypatch, [*w, "user", "disable", "nobody@wyvernvale.example"]) == 1
    capsys.readouterr()
    today = date.today().isoformat()
    assert _run(monkeypatch, [*w, "audit", "--since", today, "--user", "cli:ops",
                              "--format", "csv"]) == 0  # fmt: skip
    trail = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert trail["kind"].tolist() == ["account role", "account password", "account enable",
                                      "account disable"]  # fmt: skip
    assert set(trail["subject"]) == {"board@wyvernvale.example"}
    assert "brand new" not in trail.to_csv()
    assert _run(monkeypatch, [*w, "audit", "--since", "2999-01-01"]) == 0
    assert "Nothing recorded since 2999-01-01" in capsys.readouterr().out
