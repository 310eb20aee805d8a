"""`lsp template` and `lsp import`: quarterly returns from the command line."""

from __future__ import annotations

import argparse


def add_return_commands(sub: argparse._SubParsersAction) -> None:
    """Register the return commands on the `lsp` parser."""
