"""No password, password hash or session token in any table but where the hash belongs, nor
in any log, export or printed output."""

from __future__ import annotations

import zipfile
from datetime import datetime

import duckdb

from analytics.access import cli_user
from analytics.cli import main
from analytics.demo.spec import DEMO_PASSWORD
from analytics.warehouse import accounts
from analytics.warehouse.connection import close_readers

PASSWORDS = ["scan-me-passphrase-42", "another-scan-passphrase", "typo-scan-passphrase",
             DEMO_PASSWORD]  # fmt: skip
T0 = datetime(2026, 12, 1, 9, 0)


def _all_text(path) -> dict[str, list[str]]:
    """Every text value of every table, by table (the account's hash column left out)."""
    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        out: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
        ).fetchall():
            if (table, column) == ("account", "password_hash"):
                continue
            values = con.execute(f'SELECT "{column}" FROM "{table}"').fetchall()
            out.setdefault(table, []).extend(str(v[0]) for v in values if v[0] is not None)
        return out
    finally:
        con.close()


def test__no_password_hash_or_token_in_any_table_log_or_export(demo_copy, tmp_path, capsys):
    admin = cli_user()
    accounts.add_account(demo_copy, "scan@wyvernvale.example", "Scan Test", "board",
                         user=admin, password=PASSWORDS[0])  # fmt: skip
    accounts.set_password(demo_copy, "scan@wyvernvale.example", PASSWORDS[1], user=admin)
    accounts.sign_in(demo_copy, "scan@wyvernvale.example", PASSWORDS[2], T0)
    signed = accounts.sign_in(demo_copy, "scan@wyvernvale.example", PASSWORDS[1], T0)
    demo = accounts.sign_in(demo_copy, "officer@wyvernvale.example", DEMO_PASSWORD, T0)
    tokens = [signed.token, demo.token]
    [[hash_]] = (
        duckdb.connect(str(demo_copy), read_only=True)
        .execute("SELECT password_hash FROM account WHERE email = 'scan@wyvernvale.example'")
        .fetchall()
    )
    close_readers()
    secrets = [*PASSWORDS, *tokens, hash_]
    for table, values in _all_text(demo_copy).items():
        for value in values:
            assert not any(s in value for s in secrets), table
            assert "$argon2" not in value, table
    exports = []
    for argv, name in ((["audit", "--format", "csv"], "audit.csv"), (["audit"], "audit.txt"),
                       (["user", "list", "--format", "csv"], "users.csv"),
                       (["user", "list"], "users.txt")):  # fmt: skip
        assert main(["--warehouse", str(demo_copy), *argv]) == 0
        (tmp_path / name).write_text(capsys.readouterr().out)
        exports.append(tmp_path / name)
    for fmt in ("xlsx", "docx", "html"):
        out = tmp_path / f"board.{fmt}"
        assert main(["--warehouse", str(demo_copy), "report", "board", "-o", str(out)]) == 0
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
