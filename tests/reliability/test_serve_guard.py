"""kiosk serve hardened: allowed Host names, session limit, app processes end with their socket.

Everything talks to 127.0.0.1 only; connections come from bounded loops.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import sys
import time

import aiohttp
import pytest

from kiosk.cli import serve
from tests.serve_support import Served, app_processes


def _get(port: int, path: str = "/", **headers: str) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.putrequest("GET", path, skip_host="Host" in headers)
        for name, value in headers.items():
            connection.putheader(name.replace("_", "-"), value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """kiosk serve with one listed name and 127.0.0.1 as a named proxy."""
    server = Served(
        tmp_path_factory.mktemp("guarded"),
        "--allow-host",
        "kiosk.example.org",
        "--max-sessions",
        "2",
    )
    yield server
    server.stop()


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:{port}", 200),
        ("localhost:{port}", 200),
        ("[::1]:{port}", 200),
        ("kiosk.example.org", 200),
        ("KIOSK.example.org:8443", 200),
        # Regression: a DNS-rebinding page's name was answered like our own.
        ("evil.example:{port}", 403),
        ("127.0.0.1.evil.example", 403),
        ("", 403),
    ],
)
def test_only_allowed_host_names_are_answered(guarded, host, status):
    code, _headers, body = _get(guarded.port, Host=host.format(port=guarded.port))
    assert code == status, body
    if status == 403:
        assert "host name" in body


def test_x_forwarded_host_from_a_client_that_is_not_a_named_proxy_is_refused(guarded):
    # Regression: X-Forwarded-Host counted from anyone; now only from --proxy addresses.
    code, _headers, _body = _get(guarded.port, X_Forwarded_Host="kiosk.example.org")
    assert code == 403


def test_x_forwarded_host_counts_from_a_named_proxy(tmp_path):
    server = Served(tmp_path, "--proxy", "127.0.0.1", "--allow-host", "kiosk.example.org")
    try:
        assert _get(server.port, X_Forwarded_Host="kiosk.example.org")[0] == 200
        # what the proxy forwards passes the same check
        assert _get(server.port, X_Forwarded_Host="evil.example")[0] == 403
    finally:
        server.stop()


async def test_a_dns_rebinding_websocket_is_refused(guarded):
    """Regression: Host evil.example with a matching Origin drove an app (Origin == Host)."""
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(
                guarded.url + "ws",
                origin=f"http://evil.example:{guarded.port}",
                headers={"Host": f"evil.example:{guarded.port}"},
            )
    assert refused.value.status == 403
    assert app_processes(guarded.data) == []


def test_plain_get_on_the_websocket_address_is_400_without_a_traceback(guarded):
    # Regression: an empty reply and two tracebacks in the journal.
    code, _headers, body = _get(guarded.port, "/ws")
    assert code == 400
    assert "websocket" in body
    assert "Traceback" not in guarded.log.read_text()


def test_oversized_headers_are_refused_in_one_log_line(guarded):
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.0 400") or reply.startswith(b"HTTP/1.1 400"), reply
    assert b"Server: kiosk\r\n" in reply
    time.sleep(0.2)  # the log line is written after the answer
    log = guarded.log.read_text()
    assert "Traceback" not in log
    assert "bad request from 127.0.0.1 refused (400)" in log


@pytest.mark.parametrize("path", ["/static/", "/static/js/", "/static/fonts"])
def test_no_directory_listings(guarded, path):
    code, _headers, body = _get(guarded.port, path)
    assert code in (403, 404)
    assert "textual.js" not in body and ".ttf" not in body


def test_answers_carry_frame_protection_and_no_versions(guarded):
    for path in ("/", "/static/js/textual.js", "/nothing-here"):
        _code, headers, _body = _get(guarded.port, path)
        assert headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        # Regression: "Python/3.11 aiohttp/3.x" told anyone what to attack.
        assert headers["Server"] == "kiosk", path


async def test_sessions_are_limited_and_the_next_browser_is_told_why(guarded):
    origin = guarded.url.rstrip("/")
    async with aiohttp.ClientSession() as session:
        opened, refused = [], []
        for _ in range(5):  # a bounded loop: two fit, three are refused
            try:
                websocket = await session.ws_connect(guarded.url + "ws", origin=origin)
            except aiohttp.WSServerHandshakeError as error:
                refused.append(error.status)
            else:
                opened.append(websocket)
        try:
            assert len(opened) == 2 and refused == [503, 503, 503]
            for websocket in opened:
                await websocket.receive(timeout=30)  # both apps draw
            at_limit = app_processes(guarded.data)
            print(f"app processes at the limit of 2 sessions: {len(at_limit)}")
            # Regression: two processes per browser (a shell and the app), without a limit.
            assert len(at_limit) == 2
            code, headers, page = _get(guarded.port, "/")
            assert code == 503 and headers["Retry-After"]
            assert "Too many screens open" in page
            await opened.pop().close()
            deadline = time.monotonic() + 10  # the session counts until its process ended
            while _get(guarded.port, "/")[0] == 503 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert len(app_processes(guarded.data)) == 1
            opened.append(await session.ws_connect(guarded.url + "ws", origin=origin))
            assert _get(guarded.port, "/")[0] == 503
        finally:
            for websocket in opened:
                await websocket.close()
    deadline = time.monotonic() + 10
    while app_processes(guarded.data) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert app_processes(guarded.data) == []


STUBBORN_APP = """
import pathlib, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # ignores quit requests and SIGTERM alike
pathlib.Path(sys.argv[1]).write_text("started")
time.sleep(600)
"""


async def test_an_app_process_that_ignores_quit_and_sigterm_is_killed_with_its_socket(tmp_path):
    """Regression: the server waited for the app to answer textual-serve's quit request, so a
    hung or still-starting app outlived its browser."""
    from aiohttp import web

    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN_APP)
    started = tmp_path / "started"
    server = serve.make_server(f"{sys.executable} {script} {started}", "127.0.0.1", 0, "test")
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as session:
            websocket = await session.ws_connect(f"http://127.0.0.1:{port}/ws")
            deadline = time.monotonic() + 20
            while not started.exists() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            (process,) = [s._process for s in server.sessions]
            closed = time.monotonic()
            await websocket.close()
            await asyncio.wait_for(process.wait(), 10)
            took = time.monotonic() - closed
        print(f"stubborn app process gone {took:.2f} s after its socket closed")
        assert process.returncode == -9  # SIGKILL, after quit and SIGTERM went unheard
        assert serve.QUIT_GRACE + serve.TERM_GRACE < 2
        assert server.sessions == set()
    finally:
        await runner.cleanup()


def test_max_sessions_must_be_sensible(tmp_path):
    import subprocess

    from tests.serve_support import kiosk_command

    result = subprocess.run(
        kiosk_command("serve", "--max-sessions", "0", data=tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--max-sessions 0" in result.stderr and "Traceback" not in result.stderr


def test_the_staff_page_keeps_its_keyboard_and_kiosk_pages_size_text_to_the_screen(
    guarded, tmp_path
):
    _code, _headers, kiosk_page = _get(guarded.port, "/")
    assert 'const KEYBOARD = "off"' in kiosk_page and 'const FONT_SIZE = "auto"' in kiosk_page
    assert 'const FONT_SIZE = "28"' in _get(guarded.port, "/?fontsize=28")[2]
    assert 'const FONT_SIZE = "auto"' in _get(guarded.port, "/?fontsize=1e9")[2]
    staff = Served(tmp_path, "staff")
    try:
        page = _get(staff.port, "/")[2]
    finally:
        staff.stop()
    assert 'const KEYBOARD = "on"' in page and 'const FONT_SIZE = "16"' in page
