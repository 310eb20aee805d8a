"""The `lsp` command as installed: its entry point, `python -m analytics.cli`, a reader that
stops early, and what every command shares at the top (exit statuses)."""

import os
import subprocess
import sys
from pathlib import Path

from analytics.cli import main


def test__cli__is_installed_as_the_lsp_command(tmp_path):
    lsp = Path(sys.executable).parent / "lsp"
    result = subprocess.run([str(lsp), "--help"], capture_output=True, text=True, check=True)
    assert "framework" in result.stdout and "init" in result.stdout


def test__cli__runs_as_python_m_analytics_cli():
    result = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "status", "--period", "soon"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "argument --period: 'soon' is not a period we recognise" in result.stderr


def test__cli__status_into_a_reader_that_stops_ends_quietly(demo_copy):
    """`lsp status | head`: the reader goes away; no traceback, no complaint, exit 0."""
    lsp = Path(sys.executable).parent / "lsp"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already stopped
    try:
        result = subprocess.run(
            [
                str(lsp),
                "--warehouse",
                str(demo_copy),
                "status",
                "--format",
                "csv",
                "--partnership",
                "WVP",
            ],  # fmt: skip
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
    assert result.stderr == ""
    assert result.returncode == 0


def test__cli__help_is_done_and_a_wrong_command_line_is_a_wrong_use(capsys):
    assert main(["--help"]) == 0
    assert "usage: lsp" in capsys.readouterr().out
    assert main(["no-such-command"]) == 2
    assert "invalid choice: 'no-such-command'" in capsys.readouterr().err
    assert main(["report", "board"]) == 2  # -o is required
    assert "the following arguments are required: -o/--output" in capsys.readouterr().err


def test__cli__a_missing_warehouse_is_said_and_not_made(tmp_path, capsys):
    missing = tmp_path / "none.duckdb"
    assert main(["--warehouse", str(missing), "status"]) == 1
    assert "lsp init" in capsys.readouterr().err
    assert not missing.exists()
