"""`lsp reminders send` against a real SMTP server on loopback: what goes when, to whom,
nothing twice, a missed day caught up, STARTTLS and sign-in, a failure tried again, a sent-back
notice, and never a figure or a commentary in a message."""

from __future__ import annotations

import io
import re
from datetime import date

import duckdb
import openpyxl
import pytest

from analytics.access import Grant, User
from analytics.cli import main as lsp
from analytics.collection import mail
from analytics.ingest.intake import intake_file
from analytics.warehouse import collection, queries, reminders, returns
from analytics.warehouse.connection import close_readers
from tests.collection.conftest import SMTP_PASSWORD, SMTP_USER
from tests.conftest import OFFICER
from tests.security.conftest import HEALTH, SAFER, demo_pid, theme_id

NEW = "2011/12 Q1"
LEAD = "lead@wyvernvale.example"
SAFER_CONTACT = "community.safety@wyvernvale.example"


def _send(path, day: str, *more: str) -> int:
    close_readers()
    # the demo partnership's theme groups (the demo's county and its other districts have
    # their own, and a run without --partnership sends to every partnership's)
    return lsp(["--warehouse", str(path), "reminders", "send", "--partnership", "WVP",
                "--today", day, *more])  # fmt: skip


def _use(monkeypatch, server, **more):
    for name, value in server.env(**more).items():
        monkeypatch.setenv(name, value)


def _text(message) -> tuple[str, str]:
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return plain, html


def _by_subject(received, words: str):
    return [(to, m) for to, m in received.messages if words in m["Subject"]]


def _submit(path, tmp_path, theme=SAFER, period=NEW, received_on=None):
    pid = demo_pid(path)
    out = returns.write_template(pid, theme, period, tmp_path / f"{theme[:5]}.xlsx", path)
    book = openpyxl.load_workbook(out)
    for row in range(5, book["Return"].max_row + 1):
        book["Return"].cell(row, 11, 12.5)
    book.save(out)
    intake = intake_file(out, queries.intake_context(path, pid))
    grant = Grant("theme_lead", pid, frozenset({theme_id(path, theme)}))
    lead = User("lead@test.example", "Lead", (grant,))
    return returns.commit_returns([intake], path, user=lead, received_on=received_on)[0]


def test__reminders__opening_with_the_template_then_nothing_twice_then_due_and_escalation(
    demo_copy, tmp_path, smtp_server, monkeypatch, capsys
):
    _use(monkeypatch, smtp_server)
    got = smtp_server.received
    # 30 June: the quarter is not over; Health's 2010/11 Q4 return never came, so it is
    # escalated to the officer and the chair
    assert _send(demo_copy, "2011-06-30") == 0
    [(to, health)] = _by_subject(got, "Overdue: performance return for Improving health")
    assert "2010/11 Q4" in health["Subject"]
    assert {"officer@wyvernvale.example", "chair.health@wyvernvale.example"} <= set(to)
    assert "copied to the performance officer and the theme group's chair" in _text(health)[0]
    assert len(got.messages) == 1 and not any(got.tls)  # a plain relay: no TLS here

    assert _send(demo_copy, "2011-07-01") == 0
    openings = _by_subject(got, f", {NEW}: due Thursday 28 July 2011")
    assert len(openings) == 6  # every theme group: none has returned
    [(to, safer)] = [(t, m) for t, m in openings if SAFER in m["Subject"]]
    assert set(to) == {LEAD, SAFER_CONTACT} and safer["From"].addresses[0].username == "performance"
    plain, html = _text(safer)
    link = f"https://performance.wyvernvale.example/form?theme={theme_id(demo_copy, SAFER)}"
    assert link in plain and link in html and "Thursday 28 July 2011" in plain
    [attachment] = list(safer.iter_attachments())
    assert attachment.get_filename() == returns.template_file_name(SAFER, NEW)
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert "Please return by 28 July 2011" in book["Return"]["A2"].value

    assert _send(demo_copy, "2011-07-01") == 0  # twice in a day: nothing more
    assert _send(demo_copy, "2011-07-15") == 0  # nothing new is due
    assert len(got.messages) == 7
    assert "0 sent, 0 failed" in capsys.readouterr().out

    _submit(demo_copy, tmp_path, received_on=date(2011, 7, 20))  # Safer's return arrives
    assert _send(demo_copy, "2011-07-21") == 0
    assert len(_by_subject(got, "Reminder: performance return")) == 5  # not Safer's
    assert not any(SAFER in s for s in got.subjects()[7:])
    # the cron job misses the due date itself: the next run escalates, once
    assert _send(demo_copy, "2011-08-01") == 0
    overdue = _by_subject(got, "Overdue: performance return for")
    assert len([m for _, m in overdue if NEW in m["Subject"]]) == 5
    assert not _by_subject(got, "Due today")  # the skipped due-day message is not sent late
    [(to, economy)] = [(t, m) for t, m in overdue if "Economic" in m["Subject"] and NEW in
                       m["Subject"]]  # fmt: skip
    assert economy["Cc"] is not None and "chair.economy@wyvernvale.example" in economy["Cc"]
    assert _send(demo_copy, "2011-08-02") == 0
    assert len(got.messages) == 7 + 5 + 5

    log = reminders.reminder_log(demo_copy, demo_pid(demo_copy), NEW)
    assert len(log) == 6 + 5 + 5 and set(log["state"]) == {"sent"}
    assert set(log["kind"]) == {"opening", "reminder", "overdue"}


def test__reminders__a_missed_opening_is_caught_up_with_the_template_attached(
    demo_copy, smtp_server, monkeypatch
):
    _use(monkeypatch, smtp_server)
    assert _send(demo_copy, "2011-07-22") == 0  # first run: the reminder is the latest due
    reminders_ = _by_subject(smtp_server.received, "Reminder: performance return")
    assert len(reminders_) == 6 and not _by_subject(smtp_server.received, ": due Thursday")
    assert all(len(list(m.iter_attachments())) == 1 for _, m in reminders_)
    assert "(4 working days from today)" in _text(reminders_[0][1])[0]


def test__reminders__never_carry_a_figure_or_a_commentary(demo_copy, smtp_server, monkeypatch):
    _use(monkeypatch, smtp_server)
    assert _send(demo_copy, "2011-07-29") == 0
    con = duckdb.connect(str(demo_copy), read_only=True)
    sql = "SELECT DISTINCT commentary FROM actual WHERE commentary IS NOT NULL"
    comments = {r[0] for r in con.execute(sql).fetchall()}
    con.close()
    assert len(smtp_server.received.messages) == 7
    settings = mail.MailSettings.from_env()
    themes = queries.themes(demo_copy, demo_pid(demo_copy)).set_index("theme")["theme_id"]
    for _, message in smtp_server.received.messages:
        plain, html = _text(message)
        body = plain + " " + re.sub(r"<[^>]+>", " ", html)  # what a reader sees of the HTML
        assert not any(comment in body for comment in comments)
        # what may carry digits: the quarter, the due date, the link, the template's name
        theme, _, rest = (
            message["Subject"].partition(": performance return for ")[2].rpartition(", ")
        )
        period = rest.split(" (")[0]
        known = [settings.form_link(int(themes[theme]), period),
                 returns.template_file_name(theme, period), period,
                 message["Subject"].rpartition("(due ")[2].rstrip(")")]  # fmt: skip
        for text in known:
            body = body.replace(text, "").replace(text.replace("&", "&amp;"), "")
        assert not any(ch.isdigit() for ch in body), body


def test__reminders__through_starttls_with_a_sign_in_and_a_failure_tried_again(
    demo_copy, tmp_path, tls_smtp_server, monkeypatch, capsys
):
    secret = tmp_path / "smtp-password"
    secret.write_text("wrong password\n")
    _use(monkeypatch, tls_smtp_server, LSP_SMTP_USER=SMTP_USER,
         LSP_SMTP_PASSWORD_FILE=str(secret))  # fmt: skip
    assert _send(demo_copy, "2011-07-01") == 1  # refused sign-in: recorded, not sent
    err = capsys.readouterr().err
    assert "refused the sign-in of lsp-reminders" in err and "wrong password" not in err
    log = reminders.reminder_log(demo_copy, demo_pid(demo_copy))
    assert len(log) == 7 and set(log["state"]) == {"failed"}
    assert not log["error"].str.contains("wrong password").any()
    assert tls_smtp_server.received.messages == []

    secret.write_text(SMTP_PASSWORD + "\n")
    assert _send(demo_copy, "2011-07-02") == 0  # the next run tries them again
    received = tls_smtp_server.received
    assert len(received.messages) == 7 and all(received.tls) and received.logins
    log = reminders.reminder_log(demo_copy, demo_pid(demo_copy))
    assert (log["state"] == "sent").sum() == 7
    out = capsys.readouterr()
    assert SMTP_PASSWORD not in out.out + out.err
    con = duckdb.connect(str(demo_copy), read_only=True)
    dumped = str(con.execute("SELECT * FROM reminder").fetchall())
    dumped += str(con.execute("SELECT * FROM audit_log").fetchall())
    con.close()
    assert SMTP_PASSWORD not in dumped


def test__reminders__dry_run_sends_and_records_nothing(demo_copy, monkeypatch, capsys):
    monkeypatch.delenv("LSP_SMTP_HOST", raising=False)
    monkeypatch.setenv("LSP_MAIL_FROM", "performance@wyvernvale.example")
    monkeypatch.setenv("LSP_PUBLIC_URL", "https://performance.wyvernvale.example")
    assert _send(demo_copy, "2011-07-01", "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.count("would send: opening") == 6 and "[template attached]" in out
    assert "7 messages would be sent; nothing was sent or recorded" in out
    assert reminders.reminder_log(demo_copy, demo_pid(demo_copy)).empty


def test__reminders__missing_settings_say_which(demo_copy, monkeypatch, capsys):
    for name in ("LSP_SMTP_HOST", "LSP_MAIL_FROM", "LSP_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    assert _send(demo_copy, "2011-07-01") == 1
    err = capsys.readouterr().err
    assert "Set LSP_SMTP_HOST, LSP_MAIL_FROM, LSP_PUBLIC_URL to send reminders" in err
    assert lsp(["--warehouse", str(demo_copy), "reminders", "send", "--today", "1/7/11"]) == 2


def test__reminders__a_return_sent_back_gets_one_notice_with_the_link(
    demo_copy, tmp_path, smtp_server, monkeypatch
):
    _use(monkeypatch, smtp_server)
    result = _submit(demo_copy, tmp_path, received_on=date(2011, 7, 10))
    collection.review_return(demo_copy, result.return_id, "sent_back", user=OFFICER,
                             note="NI 32 is 12.5 here: is that right?")  # fmt: skip
    assert _send(demo_copy, "2011-07-12") == 0
    [(to, notice)] = _by_subject(smtp_server.received, "Sent back for correction")
    assert LEAD in to and SAFER in notice["Subject"]
    plain, _ = _text(notice)
    assert "/form?theme=" in plain and "12.5" not in plain  # the note stays in the app
    assert _send(demo_copy, "2011-07-13") == 0
    assert len(_by_subject(smtp_server.received, "Sent back for correction")) == 1


def test__claim__two_runs_at_once_claim_a_message_once(demo_copy):
    pid = demo_pid(demo_copy)
    item = {"theme_id": theme_id(demo_copy, HEALTH), "period": NEW, "kind": "opening",
            "return_id": None, "to": ["h@example.org"], "cc": [], "subject": "Due"}  # fmt: skip
    first = reminders.claim(demo_copy, pid, [item], user=OFFICER, run_on=date(2011, 7, 1))
    second = reminders.claim(demo_copy, pid, [item], user=OFFICER, run_on=date(2011, 7, 1))
    assert len(first) == 1 and second == []


def test__mail_settings__never_show_the_password(tmp_path, monkeypatch):
    secret = tmp_path / "pw"
    secret.write_text("s3cret-value\n")
    settings = mail.MailSettings.from_env({
        "LSP_SMTP_HOST": "relay.council.example", "LSP_SMTP_USER": "svc",
        "LSP_SMTP_PASSWORD_FILE": str(secret), "LSP_MAIL_FROM": "perf@council.example",
        "LSP_PUBLIC_URL": "https://perf.council.example/",
    })  # fmt: skip
    assert settings.port == 587 and settings.starttls and settings.password() == "s3cret-value"
    assert "s3cret-value" not in repr(settings)
    assert (
        settings.form_link(3, NEW)
        == "https://perf.council.example/form?theme=3&period=2011%2F12+Q1"
    )
    with pytest.raises(mail.MailError, match="LSP_SMTP_STARTTLS='maybe': say yes or no"):
        mail.MailSettings.from_env({**settings_env(), "LSP_SMTP_STARTTLS": "maybe"})


def settings_env() -> dict[str, str]:
    return {"LSP_SMTP_HOST": "relay", "LSP_MAIL_FROM": "p@c.example",
            "LSP_PUBLIC_URL": "https://p.example"}  # fmt: skip
