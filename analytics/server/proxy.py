"""The reverse proxy in front of the app processes: Caddy, from Debian's ``caddy`` package.

Why Caddy: it upgrades websockets without configuration, keeps a browser on one upstream by
a cookie (``lb_policy cookie``; open-source nginx can only pin by client address, which puts a
whole council behind its NAT on one process), checks upstreams actively and passively, retries
a request on another upstream when one is down, and gets and renews TLS certificates itself
for a council's domain (deploy/Caddyfile). Caddy 2.6 (Debian 12) sets its affinity cookie
without HttpOnly or SameSite; the Caddyfiles add them with a deferred header rewrite.

``lsp serve`` runs Caddy with a Caddyfile (ours, :data:`DEFAULT_CADDYFILE`, or the council's
``--caddyfile``) and tells it where to listen and where the app processes are through the
environment: ``{$LSP_HOST}``, ``{$LSP_PORT}``, ``{$LSP_UPSTREAMS}`` and
``{$LSP_AFFINITY_SECRET}`` in the file.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

DEFAULT_CADDYFILE = Path(__file__).with_name("Caddyfile")
INSTALL = (
    "Install Caddy from Debian (`apt-get install caddy`; `bash scripts/ensure-system.sh` does "
    "it), or put a caddy binary on PATH."
)


class ProxyError(RuntimeError):
    """Caddy is missing, or refuses its configuration; the message says what to do."""


def caddy_binary() -> str:
    found = shutil.which("caddy")
    if found is None:
        raise ProxyError(f"`lsp serve` needs Caddy as its reverse proxy; none was found. {INSTALL}")
    return found


def caddy_version(binary: str) -> str:
    done = subprocess.run([binary, "version"], capture_output=True, text=True, check=False)
    return (done.stdout.split() or ["(unknown version)"])[0]


def upstreams(ports: list[int]) -> str:
    """The app processes as Caddy's ``reverse_proxy`` lists them."""
    return " ".join(f"127.0.0.1:{port}" for port in ports)


def environment(
    base: dict[str, str], *, host: str, port: int, ports: list[int], run_dir: Path,
    own_caddyfile: bool,
) -> dict[str, str]:  # fmt: skip
    """Caddy's environment: where to listen, the upstreams, the affinity cookie's secret
    (``$LSP_AFFINITY_SECRET``, else a new one for this run), and its
    config folder in ``run_dir`` (Caddy saves a copy of the config it runs there; we never
    reuse it). Our own Caddyfile serves plain HTTP, so its data folder (certificates) is in
    ``run_dir`` too; a council's keeps ``XDG_DATA_HOME`` as set (the systemd unit's state
    folder), so certificates outlive a restart."""
    env = dict(base)
    env.update(
        LSP_HOST=host,
        LSP_PORT=str(port),
        LSP_UPSTREAMS=upstreams(ports),
        LSP_AFFINITY_SECRET=base.get("LSP_AFFINITY_SECRET") or secrets.token_hex(16),
        XDG_CONFIG_HOME=str(run_dir / "caddy-config"),
    )
    if not own_caddyfile:
        env["XDG_DATA_HOME"] = str(run_dir / "caddy-data")
    return env


def command(binary: str, caddyfile: Path) -> list[str]:
    return [binary, "run", "--config", str(caddyfile), "--adapter", "caddyfile"]


def validate(binary: str, caddyfile: Path, env: dict[str, str]) -> None:
    """Refuse a Caddyfile Caddy would not run, with Caddy's own words."""
    if not caddyfile.is_file():
        raise ProxyError(f"{caddyfile}: no such Caddyfile. Give the path of one (see deploy/).")
    done = subprocess.run(
        [binary, "adapt", "--config", str(caddyfile), "--adapter", "caddyfile"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        said = [line for line in done.stderr.splitlines() if line.strip()]
        raise ProxyError(
            f"Caddy refuses {caddyfile}: {said[-1] if said else 'no reason given'}. Correct the "
            "file (`caddy validate --config FILE --adapter caddyfile` checks it)."
        )
