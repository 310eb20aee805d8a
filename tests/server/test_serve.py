"""`lsp serve`: app processes behind Caddy, restarted when they die, all stopped on a signal,
none left behind even when the supervisor is killed outright; and what the processes share."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import threading
import time
import urllib.request

import pytest

from analytics.cli import main
from analytics.server import proxy, workers
from tests.serving import alive, descendants, lsp_serve, wait_until_gone


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _get(opener, url: str) -> int:
    with opener.open(url, timeout=30) as response:
        return response.status


def _raised(fn) -> list[BaseException]:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - handed to the test's thread to assert on
        return [exc]
    return []


def _affinity(jar) -> str:
    return next(c.value for c in jar if c.name == "lsp_worker")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])  # systemd; Ctrl-C
def test__serve__a_signal_stops_the_proxy_and_every_app_process(demo_copy, signum):
    with lsp_serve(demo_copy) as served:
        everything = descendants(served.process.pid)
        assert len(served.app_processes()) == 2
        assert {pid for pid, _ in served.app_processes().values()} <= everything
        assert len(everything) >= 3  # two app processes and Caddy
        served.process.send_signal(signum)
        assert served.process.wait(timeout=60) == 0
        served.wait_for(rf"lsp serve: stopped \({signum.name}\)")
        assert wait_until_gone(everything, timeout_s=0) == set()  # all reaped before it exited


def test__serve__killed_outright_it_leaves_no_process_behind(demo_copy):
    with lsp_serve(demo_copy) as served:
        everything = descendants(served.process.pid)
        served.process.kill()  # no chance to stop anything itself
        served.process.wait(timeout=30)
        assert wait_until_gone(everything, timeout_s=60) == set()


def test__serve__a_killed_app_process_is_taken_out_of_rotation_and_started_again(demo_copy):
    with lsp_serve(demo_copy) as served:
        # a browser on each app process (affinity cookies are handed out at random)
        browsers = {}
        for _ in range(60):
            opener, jar = _opener()
            assert _get(opener, f"{served.url}/") == 200
            browsers.setdefault(served.number_for_cookie(_affinity(jar)), (opener, jar))
            if len(browsers) == 2:
                break
        assert set(browsers) == {1, 2}
        pid, port = served.app_processes()[1]
        seen = len(served.lines)
        os.kill(pid, signal.SIGKILL)
        # Both browsers are still served: the one kept on the dead process is moved
        for number in (1, 2):
            opener, jar = browsers[number]
            assert _get(opener, f"{served.url}/_stcore/health") == 200
            assert _get(opener, f"{served.url}/") == 200
        assert served.number_for_cookie(_affinity(browsers[1][1])) == 2
        served.wait_for(r"app process 1 \(process \d+\) exited with signal SIGKILL", after=seen)
        served.wait_for(r"app process 1 is process \d+ on 127\.0\.0\.1:\d+ \(restart 1\)")
        new_pid, new_port = served.app_processes()[1]
        assert new_pid != pid and new_port == port and alive(new_pid) and not alive(pid)
        # and new browsers reach it again once it answers (Caddy's health check)
        reached, deadline = set(), time.monotonic() + 120
        while reached != {1, 2} and time.monotonic() < deadline:
            opener, jar = _opener()
            assert _get(opener, f"{served.url}/_stcore/health") == 200
            reached.add(served.number_for_cookie(_affinity(jar)))
            time.sleep(0.05)  # polling interval of a bounded wait
        assert reached == {1, 2}


def test__serve__without_a_warehouse_says_what_to_do(tmp_path, capsys):
    assert main(["--warehouse", str(tmp_path / "none.duckdb"), "serve"]) == 1
    assert "lsp init" in capsys.readouterr().err


def test__serve__without_caddy_says_how_to_install_it(demo_copy, monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert main(["--warehouse", str(demo_copy), "serve", "--workers", "2"]) == 1
    assert "apt-get install caddy" in capsys.readouterr().err


def test__serve__a_port_in_use_is_refused_before_anything_starts(demo_copy, capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--warehouse", str(demo_copy), "serve", "--port", str(port)]) == 1
    assert "already in use" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["0", "-1", "two"])
def test__serve__workers_must_be_a_positive_number(bad, capsys):
    assert main(["serve", "--workers", bad]) == 2
    assert "--workers" in capsys.readouterr().err


def test__workers__share_the_cookie_secret_warehouse_and_trust_the_proxy(tmp_path):
    env, source = workers.environment({"LSP_TRUSTED_PROXIES": "10.0.0.0/8"}, tmp_path / "w.duckdb")
    assert len(env[workers.COOKIE_SECRET_ENV]) == 64 and "made for this run" in source
    assert env["LSP_WAREHOUSE"] == str((tmp_path / "w.duckdb").resolve())
    assert env["LSP_TRUSTED_PROXIES"].split() == ["10.0.0.0/8", "127.0.0.1", "::1"]
    kept, source = workers.environment({workers.COOKIE_SECRET_ENV: "s" * 40}, tmp_path / "w")
    assert kept[workers.COOKIE_SECRET_ENV] == "s" * 40 and "from" in source
    assert kept["LSP_TRUSTED_PROXIES"] == "127.0.0.1 ::1"


def test__workers__the_proxy_list_is_one_the_access_code_reads():
    from analytics.access import clients

    listed = clients.trusted_proxies(workers.trusted_proxies("192.0.2.1, 127.0.0.1"))
    assert [str(n) for n in listed] == ["192.0.2.1/32", "127.0.0.1/32", "::1/128"]
    assert clients.client_address("127.0.0.1", ["203.0.113.9"], listed) == "203.0.113.9"


def test__proxy__both_caddyfiles_keep_browsers_on_one_process_and_check_health(tmp_path):
    """Ours and deploy/'s, as Caddy reads them: cookie affinity, active health checks on
    Streamlit's health endpoint, retries on another process, the affinity cookie HttpOnly."""
    import json
    import subprocess

    from tests.serving import ROOT

    caddy = proxy.caddy_binary()
    settings = {"LSP_DOMAIN": "dashboard.example.gov.uk", "LSP_ACME_EMAIL": "it@example.org"}
    env = proxy.environment(
        {**os.environ, **settings},
        host="127.0.0.1",
        port=8501,
        ports=[40001, 40002],
        run_dir=tmp_path,
        own_caddyfile=False,
    )
    for caddyfile in (proxy.DEFAULT_CADDYFILE, ROOT / "deploy" / "Caddyfile"):
        done = subprocess.run(
            [caddy, "adapt", "--config", str(caddyfile), "--adapter", "caddyfile"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        text = json.dumps(json.loads(done.stdout))
        assert '"policy": "cookie"' in text and '"name": "lsp_worker"' in text, caddyfile
        assert '"uri": "/_stcore/health"' in text and '"try_duration"' in text, caddyfile
        assert '{"dial": "127.0.0.1:40001"}, {"dial": "127.0.0.1:40002"}' in text, caddyfile
        assert "HttpOnly; SameSite=Lax" in text, caddyfile
    deploy = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "Strict-Transport-Security" in deploy and "Secure; HttpOnly" in deploy


def test__serve__sign_in_attempts_are_counted_by_the_clients_address_not_the_proxys(demo_copy):
    """A browser at 127.0.0.7 (a loopback address that is not the proxy) signs in wrongly
    through Caddy, claiming to be someone else in X-Forwarded-For: the accounts store records
    127.0.0.7, the address Caddy saw, so throttling by address works behind the proxy."""
    import asyncio

    from analytics.warehouse import accounts

    async def wrong_password(url: str) -> None:
        import websockets
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        async def run(ws, widgets=()):
            back = BackMsg()
            back.rerun_script.query_string = ""
            back.rerun_script.widget_states.widgets.extend(widgets)
            await ws.send(back.SerializeToString())
            elements = []
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    elements.append(msg.delta.new_element)
                elif kind == "script_finished":
                    return elements

        async with websockets.connect(
            url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
            origin=url, additional_headers={"X-Forwarded-For": "203.0.113.66"},
            local_addr=("127.0.0.7", 0), max_size=None,
        ) as ws:  # fmt: skip
            elements = await run(ws)
            ids = {e.text_input.label: e.text_input.id for e in elements
                   if e.WhichOneof("type") == "text_input"}  # fmt: skip
            buttons = [e.button for e in elements if e.WhichOneof("type") == "button"]
            [button] = [b.id for b in buttons if b.label == "Sign in"]
            states = []
            for label, value in (("Email", "board@wyvernvale.example"), ("Password", "wrong" * 3)):
                state = WidgetState(id=ids[label])
                state.string_value = value
                states.append(state)
            states.append(WidgetState(id=button, trigger_value=True))
            await run(ws, states)

    with lsp_serve(demo_copy) as served:
        # in a thread of its own: Playwright's sync API may hold an event loop in this one
        failed = []
        thread = threading.Thread(
            target=lambda: failed.extend(_raised(lambda: asyncio.run(wrong_password(served.url))))
        )
        thread.start()
        thread.join(timeout=300)
        assert not thread.is_alive() and not failed, failed
    with accounts.store_for(demo_copy).read() as tx:
        found = tx.rows("SELECT client_address, outcome FROM signin_attempt")
    assert found == [("127.0.0.7", "wrong")]
