"""`lsp serve`: the app as a council runs it, several app processes behind one address.

lsp serve [--workers N] [--port 8501] [--host 127.0.0.1]
lsp serve --workers 4 --caddyfile /etc/lsp/Caddyfile     # a council's server (deploy/)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.cli.common import Rejected, UsageError


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes, 1 or more (found {text!r})")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"not a port number, 1 to 65535 (found {text!r})")
    return value


def cmd_serve(args: argparse.Namespace) -> int:
    from analytics.server import ServeError, ServeOptions, default_workers, serve
    from analytics.server.proxy import ProxyError
    from analytics.warehouse.connection import warehouse_path

    file = warehouse_path(args.warehouse)
    if not file.exists():
        raise Rejected(
            f"There is no warehouse at {file}. Run `lsp init` (empty) or `lsp init --demo` "
            "first, or name one with --warehouse or LSP_WAREHOUSE."
        )
    options = ServeOptions(
        warehouse=file, workers=args.workers or default_workers(), host=args.host,
        port=args.port, caddyfile=args.caddyfile,
    )  # fmt: skip
    try:
        return serve(options, say=lambda line: print(line, flush=True))
    except (ServeError, ProxyError, FileNotFoundError) as exc:
        raise Rejected(str(exc)) from None
    except ValueError as exc:  # e.g. LSP_TRUSTED_PROXIES not an address
        raise UsageError(str(exc)) from None


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp serve` on the `lsp` parser."""
    serve = sub.add_parser(
        "serve",
        help="run the app as a server: several app processes behind Caddy",
        description="Run the app as a council runs it: N app processes (Streamlit, each on its "
        "own loopback port) behind Caddy, which keeps each browser on one process by a cookie, "
        "upgrades websockets and checks every process's health. A process that exits or stops "
        "answering is started again; Ctrl-C or SIGTERM stops all of it. Needs Debian's caddy "
        "package (scripts/ensure-system.sh installs it). docs/operations/server.md explains it.",
    )
    serve.add_argument(
        "--workers", type=_workers, metavar="N",
        help="how many app processes (default: one per core, at least 2)",
    )  # fmt: skip
    serve.add_argument(
        "--port", type=_port, default=8501, help="where the proxy listens (default: 8501)"
    )
    serve.add_argument(
        "--host", default="127.0.0.1",
        help="the address the proxy listens on (default: 127.0.0.1; 0.0.0.0 for every "
        "interface)",
    )  # fmt: skip
    serve.add_argument(
        "--caddyfile", type=Path, metavar="FILE",
        help="a Caddyfile of your own in place of the built-in plain-HTTP one, e.g. "
        "deploy/Caddyfile with TLS for your domain (--host and --port then only reach it "
        "as {$LSP_HOST} and {$LSP_PORT})",
    )  # fmt: skip
    serve.set_defaults(func=cmd_serve)
