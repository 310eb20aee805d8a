"""No password, password hash or session token in any table (the warehouse's or the accounts
store's) but where the hash belongs, nor in any log, export or printed output; and none left
in the warehouse at all."""

from __future__ import annotations

import zipfile
from datetime import datetime

import duckdb

from analytics.access import cli_user, signin
from analytics.authstore.backends import STORE_TABLES
from analytics.cli import main
from analytics.demo.spec import DEMO_PASSWORD
from analytics.warehouse import accounts
from analytics.warehouse.connection import close_readers
from tests.conftest import store_rows

PASSWORDS = ["scan-me-passphrase-42", "another-scan-passphrase", "typo-scan-passphrase",
             DEMO_PASSWORD]  # fmt: skip
T0 = datetime(2026, 12, 1, 9, 0)


def _all_text(path) -> dict[str, list[str]]:
    """Every text value of every table of the warehouse, by table."""
    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        out: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
        ).fetchall():
            values = con.execute(f'SELECT "{column}" FROM "{table}"').fetchall()
            out.setdefault(table, []).extend(str(v[0]) for v in values if v[0] is not None)
        return out
    finally:
        con.close()


def _store_text(path) -> dict[str, list[str]]:
    """Every value of every table of the accounts store, by table (the account's hash column
    and the session's token hash left out: that is where they belong)."""
    out: dict[str, list[str]] = {}
    for table in STORE_TABLES:
        rows = store_rows(path, f"SELECT * FROM {table}")
        if table == "account":
            rows = [r[:3] + r[4:] for r in rows]  # password_hash is the 4th column
        elif table == "account_session":
            rows = [r[1:] for r in rows]  # token_sha256 first
        out[table] = [str(v) for r in rows for v in r if v is not None]
    return out


def test__no_password_hash_or_token_in_any_table_log_or_export(accounts_copy, tmp_path, capsys):
    demo_copy = accounts_copy
    admin = cli_user()
    accounts.add_account(demo_copy, "scan@wyvernvale.example", "Scan Test", "board",
                         user=admin, password=PASSWORDS[0])  # fmt: skip
    accounts.set_password(demo_copy, "scan@wyvernvale.example", PASSWORDS[1], user=admin)
    signin.sign_in(demo_copy, "scan@wyvernvale.example", PASSWORDS[2], T0)  # wrong
    signin.sign_in(demo_copy, PASSWORDS[3], PASSWORDS[2], T0)  # a password typed as the email
    signed = signin.sign_in(demo_copy, "scan@wyvernvale.example", PASSWORDS[1], T0)
    demo = signin.sign_in(demo_copy, "officer@wyvernvale.example", DEMO_PASSWORD, T0)
    signin.end_session(demo_copy, signin.sessions.token_hash(demo.token))
    tokens = [signed.token, demo.token]
    [(hash_,)] = store_rows(
        demo_copy, "SELECT password_hash FROM account WHERE email = ?", ["scan@wyvernvale.example"]
    )
    secrets = [*PASSWORDS, *tokens, hash_]
    for where, tables in (("warehouse", _all_text(demo_copy)), ("store", _store_text(demo_copy))):
        for table, values in tables.items():
            for value in values:
                assert not any(s in value for s in secrets), (where, table)
                assert "$argon2" not in value, (where, table)
    exports = []
    for argv, name in ((["audit", "--format", "csv"], "audit.csv"), (["audit"], "audit.txt"),
                       (["user", "list", "--format", "csv"], "users.csv"),
                       (["user", "list"], "users.txt")):  # fmt: skip
        assert main(["--warehouse", str(demo_copy), *argv]) == 0
        (tmp_path / name).write_text(capsys.readouterr().out)
        exports.append(tmp_path / name)
    for fmt in ("xlsx", "docx", "html"):
        out = tmp_path / f"board.{fmt}"
        assert main(["--warehouse", str(demo_copy), "report", "board", "--partnership", "WVP",
                     "-o", str(out)]) == 0  # fmt: skip
        exports.append(out)
    capsys.readouterr()
    for file in exports:
        if file.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(file) as z:
                text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            text = file.read_text()
        assert not any(s in text for s in secrets), file.name
        assert "$argon2" not in text, file.name
    assert "scan@wyvernvale.example" in (tmp_path / "audit.csv").read_text()
