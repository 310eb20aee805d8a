"""Which address a sign-in comes from, and how many failures an address may have (pure).

Throttling counts failed sign-ins by client address, so the address must be one a client
cannot choose. It is the address of the connection, unless that connection comes from a
proxy named in ``$LSP_TRUSTED_PROXIES`` (addresses or networks, comma- or space-separated,
e.g. ``127.0.0.1, 10.0.0.0/8``): then the ``X-Forwarded-For`` header is read from the right,
past every trusted proxy, to the first address the trusted proxies did not add. The header is
ignored on a connection from anywhere else (anyone can send one).

Streamlit reports a loopback connection's address as None; it is taken as ``127.0.0.1`` (a
reverse proxy on the same machine, or a local browser).
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta

TRUSTED_ENV = "LSP_TRUSTED_PROXIES"
FAILURES_ENV = "LSP_SIGNIN_ADDRESS_FAILURES"
WINDOW_ENV = "LSP_SIGNIN_ADDRESS_WINDOW_MINUTES"
DEFAULT_FAILURES = 30  # a whole council behind one NAT address shares this
DEFAULT_WINDOW = timedelta(minutes=15)
LOOPBACK = "127.0.0.1"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def trusted_proxies(raw: str | None = None) -> tuple[Network, ...]:
    """The proxies whose ``X-Forwarded-For`` is believed (``$LSP_TRUSTED_PROXIES``)."""
    raw = os.environ.get(TRUSTED_ENV, "") if raw is None else raw
    networks = []
    for part in raw.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(
                f"{TRUSTED_ENV}: {part!r} is not an IP address or network. List the reverse "
                f"proxies in front of the app, e.g. {TRUSTED_ENV}=127.0.0.1 or 10.0.0.0/8, "
                "or unset it when the app is reached directly."
            ) from None
    return tuple(networks)


def _trusted(ip, networks: tuple[Network, ...]) -> bool:
    return any(ip.version == net.version and ip in net for net in networks)


def client_address(
    remote: str | None,
    forwarded_for: list[str] | tuple[str, ...] = (),
    trusted: tuple[Network, ...] = (),
) -> str:
    """The client's address: the connection's, or, from a trusted proxy, the right-most
    ``X-Forwarded-For`` address that no trusted proxy added."""
    peer = _ip(remote or LOOPBACK)
    if peer is None:
        return (remote or LOOPBACK).strip()
    if not _trusted(peer, trusted):
        return str(peer)
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            return str(peer)  # the proxy passed on something that is no address: not believed
        if not _trusted(ip, trusted):
            return str(ip)
    return str(_ip(hops[0])) if hops else str(peer)


def failures_allowed() -> tuple[int, timedelta]:
    """(failed sign-ins an address may make, in what window): after that many, its sign-ins
    are refused until the oldest leaves the window. ``$LSP_SIGNIN_ADDRESS_FAILURES`` (default
    30) and ``$LSP_SIGNIN_ADDRESS_WINDOW_MINUTES`` (default 15)."""
    out = []
    for name, default in ((FAILURES_ENV, DEFAULT_FAILURES),
                          (WINDOW_ENV, DEFAULT_WINDOW.total_seconds() / 60)):  # fmt: skip
        raw = os.environ.get(name, "").strip()
        try:
            value = float(raw) if raw else float(default)
        except ValueError:
            value = -1.0
        if not value > 0:
            raise ValueError(f"{name}={raw!r} is not a positive number; unset it for {default:g}.")
        out.append(value)
    return int(out[0]), timedelta(minutes=out[1])
