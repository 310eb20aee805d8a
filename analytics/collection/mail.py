"""Reminder e-mails: the settings of the council's SMTP relay, the messages, and sending them.

Settings come from the environment, never the warehouse:

==========================  =====================================================================
``LSP_SMTP_HOST``           the relay's host name (required to send)
``LSP_SMTP_PORT``           its port (default 587 with STARTTLS, else 25)
``LSP_SMTP_STARTTLS``       ``yes`` (default) or ``no``: switch to TLS before anything is sent
``LSP_SMTP_USER``           the account to sign in with (none: the relay takes mail unsigned)
``LSP_SMTP_PASSWORD_FILE``  a file holding its password (or ``LSP_SMTP_PASSWORD``)
``LSP_SMTP_CA_FILE``        a CA certificate to trust beside the system's (an internal CA)
``LSP_MAIL_FROM``           the sender, e.g. ``Performance team <performance@council.example>``
``LSP_PUBLIC_URL``          the app's address people open, e.g. ``https://performance.council.example``
==========================  =====================================================================

The password is read when the connection signs in and kept nowhere else: not in the
warehouse, not in a log, not in an error message (:class:`MailSettings` never shows it).

A message is plain text plus HTML (jinja2 templates with autoescape), says what is due and
when, and links to the theme group's web form. It never carries a figure or a commentary:
it is built from the theme group's name, the quarter and the dates alone.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
KINDS = {
    "opening": "window opens",
    "reminder": "reminder before the due date",
    "due": "due today",
    "overdue": "escalation: overdue",
    "sent_back": "sent back for correction",
}


class MailError(RuntimeError):
    """Mail cannot be sent as configured (the message names the setting and the fix)."""


def _yes(text: str, name: str) -> bool:
    value = text.strip().lower()
    if value in {"yes", "y", "true", "1", "on"}:
        return True
    if value in {"no", "n", "false", "0", "off"}:
        return False
    raise MailError(f"{name}={text!r}: say yes or no.")


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    starttls: bool
    sender: str
    public_url: str
    user: str | None = None
    password_file: Path | None = None
    ca_file: Path | None = None
    timeout_s: float = 30.0
    _password_env: bool = field(default=False, repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, *, dry_run: bool = False):
        """The settings from the environment; :class:`MailError` naming what is missing.
        ``dry_run``: nothing is sent, so what is missing is only shown as missing."""
        env = os.environ if env is None else env
        host = env.get("LSP_SMTP_HOST", "").strip()
        sender = env.get("LSP_MAIL_FROM", "").strip()
        public_url = env.get("LSP_PUBLIC_URL", "").strip().rstrip("/")
        if dry_run:
            host = host or "(LSP_SMTP_HOST not set)"
            sender = sender or "(LSP_MAIL_FROM not set) <lsp@localhost>"
            public_url = public_url or "https://(LSP_PUBLIC_URL not set)"
        missing = [n for n, v in (("LSP_SMTP_HOST", host), ("LSP_MAIL_FROM", sender),
                                  ("LSP_PUBLIC_URL", public_url)) if not v]  # fmt: skip
        if missing:
            raise MailError(
                f"Set {', '.join(missing)} to send reminders: the council's SMTP relay, the "
                "address they come from and the app's public address (docs/collection.md)."
            )
        if "@" not in parseaddr(sender)[1]:
            raise MailError(f"LSP_MAIL_FROM={sender!r} is not an e-mail address.")
        if not public_url.startswith(("https://", "http://")):
            raise MailError(
                f"LSP_PUBLIC_URL={public_url!r}: give the address people open the app at, "
                "starting https://"
            )
        starttls = _yes(env.get("LSP_SMTP_STARTTLS", "yes"), "LSP_SMTP_STARTTLS")
        port_text = env.get("LSP_SMTP_PORT", "").strip() or ("587" if starttls else "25")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise MailError(f"LSP_SMTP_PORT={port_text!r} is not a port number.")
        password_file = env.get("LSP_SMTP_PASSWORD_FILE", "").strip() or None
        ca_file = env.get("LSP_SMTP_CA_FILE", "").strip() or None
        return cls(
            host=host, port=int(port_text), starttls=starttls, sender=sender,
            public_url=public_url, user=env.get("LSP_SMTP_USER", "").strip() or None,
            password_file=Path(password_file) if password_file else None,
            ca_file=Path(ca_file) if ca_file else None,
            _password_env=bool(env.get("LSP_SMTP_PASSWORD")),
        )  # fmt: skip

    def password(self) -> str | None:
        """Read when signing in, from the file (first line) or ``LSP_SMTP_PASSWORD``."""
        if self.password_file is not None:
            try:
                return self.password_file.read_text("utf-8").splitlines()[0].strip()
            except (OSError, IndexError):
                raise MailError(
                    f"LSP_SMTP_PASSWORD_FILE: cannot read a password from {self.password_file} "
                    "(the file must exist, be readable by this account and hold the password "
                    "on its first line)."
                ) from None
        return os.environ.get("LSP_SMTP_PASSWORD") or None

    def form_link(self, theme_id: int, period: str) -> str:
        """The theme group's web form for a quarter."""
        return f"{self.public_url}/form?{urlencode({'theme': theme_id, 'period': period})}"


# --- the messages ---------------------------------------------------------------------------

_ENV = Environment(
    loader=PackageLoader("analytics.collection", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Notice:
    """What one e-mail says: never a figure or a commentary, only what is due and where."""

    kind: str  # opening | reminder | due | overdue | sent_back
    partnership: str
    theme: str
    period: str
    due_on: date
    form_link: str
    returns_link: str
    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    attachment: tuple[str, bytes] | None = None  # (file name, xlsx bytes)
    working_days_left: int = 0

    @property
    def subject(self) -> str:
        what = f"{self.theme}, {self.period}"
        return {
            "opening": f"Performance return for {what}: due {_long(self.due_on)}",
            "reminder": f"Reminder: performance return for {what} due {_long(self.due_on)}",
            "due": f"Due today: performance return for {what}",
            "overdue": f"Overdue: performance return for {what} (due {_long(self.due_on)})",
            "sent_back": f"Sent back for correction: performance return for {what}",
        }[self.kind]

    def context(self) -> dict:
        return {"n": self, "due": _long(self.due_on), "kind_words": KINDS[self.kind]}


def build_message(notice: Notice, sender: str) -> EmailMessage:
    """The e-mail: plain text, an HTML alternative, and the template when it has one."""
    message = EmailMessage()
    message["Subject"] = notice.subject
    message["From"] = sender
    message["To"] = ", ".join(notice.to)
    if notice.cc:
        message["Cc"] = ", ".join(notice.cc)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].partition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    context = notice.context()
    message.set_content(_ENV.get_template("notice.txt").render(context))
    message.add_alternative(_ENV.get_template("notice.html").render(context), subtype="html")
    if notice.attachment is not None:
        name, data = notice.attachment
        message.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return message


def display_sender(name: str, address: str) -> str:
    return formataddr((name, address))


# --- sending ----------------------------------------------------------------------------------


class Mailer:
    """One connection to the relay for a run: ``with Mailer(settings) as m: m.send(msg)``."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
            smtp.ehlo()
            if s.starttls:
                context = ssl.create_default_context()
                if s.ca_file is not None:
                    context.load_verify_locations(cafile=str(s.ca_file))
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password() or "")
        except smtplib.SMTPAuthenticationError:
            raise MailError(
                f"The SMTP relay {s.host}:{s.port} refused the sign-in of {s.user}: check "
                "LSP_SMTP_USER and the password file."
            ) from None
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            raise MailError(
                f"Cannot send through the SMTP relay {s.host}:{s.port} "
                f"({type(exc).__name__}: {_safe(exc)}). Check LSP_SMTP_HOST, LSP_SMTP_PORT and "
                "LSP_SMTP_STARTTLS."
            ) from None
        self._smtp = smtp
        return self

    def send(self, message: EmailMessage) -> None:
        assert self._smtp is not None, "use Mailer as a context manager"
        self._smtp.send_message(message)

    def __exit__(self, *exc) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


def _safe(exc: BaseException) -> str:
    """An error's text with nothing that could be a password in it."""
    text = str(exc)
    secret = os.environ.get("LSP_SMTP_PASSWORD")
    return text.replace(secret, "***") if secret else text
