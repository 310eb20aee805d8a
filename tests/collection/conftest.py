"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives; with
``tls`` it offers STARTTLS with a certificate from a throwaway CA (trustme) and requires a
sign-in, as a council's relay does."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER = "lsp-reminders"
SMTP_PASSWORD = "correct horse battery staple 42"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    """Every message the server accepted: envelope and parsed message."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    tls: list[bool] = field(default_factory=list)  # whether each came over TLS
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        self.tls.append(session.ssl is not None)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == SMTP_USER
            and auth_data.password.decode() == SMTP_PASSWORD
        )
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # failed: the server answers 535

    def subjects(self) -> list[str]:
        return [m["Subject"] for _, m in self.messages]


@dataclass
class Server:
    port: int
    received: Received
    ca_file: str | None = None

    def env(self, **more: str) -> dict[str, str]:
        """The settings `lsp reminders send` needs to send through this server."""
        out = {
            "LSP_SMTP_HOST": "127.0.0.1",
            "LSP_SMTP_PORT": str(self.port),
            "LSP_SMTP_STARTTLS": "yes" if self.ca_file else "no",
            "LSP_MAIL_FROM": "Wyvern Vale performance team <performance@wyvernvale.example>",
            "LSP_PUBLIC_URL": "https://performance.wyvernvale.example",
        }
        if self.ca_file:
            out["LSP_SMTP_CA_FILE"] = self.ca_file
        return {**out, **more}


def _start(tmp_path, tls: bool):
    received = Received()
    kwargs = {}
    ca_file = None
    if tls:
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        ca_file = str(tmp_path / "relay-ca.pem")
        ca.cert_pem.write_to_path(ca_file)
        kwargs = dict(tls_context=context, require_starttls=True, auth_required=True,
                      auth_require_tls=True, authenticator=received.authenticate)  # fmt: skip
    controller = Controller(received, hostname="127.0.0.1", port=_free_port(), **kwargs)
    controller.start()
    return controller, Server(controller.port, received, ca_file)


@pytest.fixture
def smtp_server(tmp_path):
    """A plain relay on loopback (no TLS, no sign-in)."""
    controller, server = _start(tmp_path, tls=False)
    yield server
    controller.stop()


@pytest.fixture
def tls_smtp_server(tmp_path):
    """A relay on loopback requiring STARTTLS (throwaway CA) and a sign-in."""
    controller, server = _start(tmp_path, tls=True)
    yield server
    controller.stop()
