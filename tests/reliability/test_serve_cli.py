"""kiosk serve without a browser: the offline page, loopback by default, the remote warning, origins."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kiosk.cli import serve
from tests.serve_support import Served, app_processes, free_port, kiosk_command

_free_port = free_port
_kiosk = kiosk_command


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path)
    yield server
    server.stop()


def test_the_page_is_titled_with_the_site_name_and_loads_nothing_from_elsewhere(served):
    html = urllib.request.urlopen(served.url, timeout=10).read().decode()
    assert re.search(r"<title>Service-Point Integration</title>", html)
    # Regression: textual-serve's own page links fonts.googleapis.com; with a network that
    # hangs the page stayed blank for about 30 s.
    assert "googleapis" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), html
    assert "command" not in html.lower().split("<body")[1]  # no command line shown
    for asset in re.findall(r"""(?:src|href)="(static/[^"]+)\"""", html):
        with urllib.request.urlopen(served.url + asset, timeout=10) as response:
            assert response.status == 200, asset
    assert "static/fonts/RobotoMono-VariableFont_wght.ttf" in html


async def test_a_websocket_from_a_foreign_page_is_refused(served):
    import aiohttp

    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(served.url + "ws", origin="http://evil.example")
        assert refused.value.status == 403
        # Our own page's origin is let in (and an app process starts behind it).
        async with session.ws_connect(
            served.url + "ws", origin=served.url.rstrip("/")
        ) as websocket:
            message = await websocket.receive(timeout=20)
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)


def test_a_host_beyond_loopback_needs_allow_remote(tmp_path):
    result = subprocess.run(
        _kiosk("serve", "--host", "0.0.0.0", data=tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_allow_remote_warns_to_put_an_authenticating_proxy_in_front(tmp_path):
    server = Served(tmp_path, "staff", "--allow-remote", host="0.0.0.0")
    output = server.stop()
    assert "WARNING" in output
    # once: it was printed and logged to standard error, so the journal had it twice
    assert output.count("authenticating reverse proxy") == 1
    assert "staff" in output
    logged = (server.data / "logs" / "kiosk.log").read_text()
    assert "authenticating reverse proxy" in logged


def test_a_port_in_use_is_one_line_and_exit_2(served, tmp_path):
    result = subprocess.run(
        _kiosk("serve", "--port", str(served.port), data=tmp_path / "other"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert f"cannot listen on 127.0.0.1:{served.port}" in result.stderr
    assert "Traceback" not in result.stderr
    # Regression: "serving ... on" was logged before the port was bound, as if it worked.
    assert "listening" not in result.stderr
    assert "serving" not in result.stderr.lower()


def test_systemd_hears_ready_only_once_the_port_listens(tmp_path):
    """Type=notify: the screen unit's browser starts after kiosk-web can answer."""
    notify = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(notify))
        listener.settimeout(30)
        port = _free_port()
        log = tmp_path / "serve.log"
        env = {**os.environ, "NOTIFY_SOCKET": str(notify)}
        with open(log, "wb") as out:
            process = subprocess.Popen(
                _kiosk("serve", "--port", str(port), data=tmp_path / "data"),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        try:
            message = listener.recv(4096)
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass  # listening when READY=1 arrives, not some time later
        finally:
            process.terminate()
            process.wait(10)
    assert message == b"READY=1"
    assert "listening" in log.read_text()


def test_without_notify_socket_nothing_is_sent(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert serve.notify_ready() is False


def test_the_app_processes_do_not_inherit_the_notify_socket(tmp_path, monkeypatch):
    notify = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(notify))
        monkeypatch.setenv("NOTIFY_SOCKET", str(notify))
        assert serve.notify_ready() is True
        assert listener.recv(64) == b"READY=1"
    assert "NOTIFY_SOCKET" not in os.environ


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("kiosk.local", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert serve.is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("origin", "host", "ok"),
    [
        (None, "127.0.0.1:8000", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("https://kiosk.example.org", "kiosk.example.org", True),
        ("http://evil.example", "127.0.0.1:8000", False),
        ("http://127.0.0.1:9999", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8000", None, False),
    ],
)
def test_same_origin(origin, host, ok):
    from kiosk.web.guard import same_origin

    assert same_origin(origin, host) is ok


def test_the_app_command_uses_absolute_folders_and_survives_spaces(tmp_path, monkeypatch):
    from kiosk.cli import Context

    monkeypatch.chdir(tmp_path)
    ctx = Context(config_dir=Path("my config"), data_dir=Path("data"), now_text="2026-11-30T13:00")
    command = serve.app_command("staff", ctx, ["--desk", "1"])
    parts = shlex.split(command)
    assert parts[:3] == [sys.executable, "-m", "kiosk"]
    assert parts[parts.index("--config") + 1] == str(tmp_path / "my config")
    assert parts[parts.index("--data") + 1] == str(tmp_path / "data")
    assert parts[parts.index("--now") + 1] == "2026-11-30T13:00"
    assert parts[-3:] == ["staff", "--desk", "1"]
    assert shlex.split(serve.app_command("kiosk", ctx))[-1] == "run"


def test_serve_options_parse():
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    args = parser.parse_args(["staff", "--port", "8001", "--app-args", "--desk 1"])
    assert (args.app, args.port, args.host, shlex.split(args.app_args)) == (
        "staff",
        8001,
        "127.0.0.1",
        ["--desk", "1"],
    )
    assert parser.parse_args([]).app == "kiosk"


async def test_a_stop_ends_the_server_and_its_app_processes_while_a_browser_is_connected(
    tmp_path,
):
    """Regression: SIGTERM (systemctl stop) waited for every browser to leave; a tablet never does."""
    import asyncio

    import aiohttp

    server = Served(tmp_path)
    origin = server.url.rstrip("/")
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(server.url + "ws", origin=origin) as ws,
    ):
        await ws.receive(timeout=20)  # the app process is running and drawing

        async def browser() -> None:  # reads on, as a browser does (and answers the close)
            async for _message in ws:
                pass

        reading = asyncio.create_task(browser())
        started = time.monotonic()
        server.process.terminate()
        code = await asyncio.to_thread(server.process.wait, 30)
        print(f"kiosk serve stopped {time.monotonic() - started:.2f} s after SIGTERM")
        assert code == 0
        await asyncio.wait_for(reading, 10)
    output = server.log.read_text()
    assert "its app process ended" in output
    # Regression: this looked with `pgrep -f "--data ..."`, which pgrep took for an option.
    assert app_processes(server.data) == []
