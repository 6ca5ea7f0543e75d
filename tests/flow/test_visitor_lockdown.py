"""Lockdown of the visitor kiosk: no key leaves it, no command palette, admin exit with the PIN;
and in a real pseudo-terminal: SIGINT does not end it, SIGTERM ends it with the terminal restored."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from textual.command import CommandPalette

from kiosk.ui.lockdown import ADMIN_CHORD, SWALLOWED_KEYS
from tests.visitor_support import SHIPPED, make_app, ready, to_ticket, to_topics, wait_for

DANGEROUS = [
    "ctrl+q",
    "ctrl+c",
    "ctrl+p",
    "ctrl+backslash",
    "ctrl+z",
    "ctrl+d",
    "ctrl+w",
    "escape",
    "f1",
    "f4",
    "f10",
    "f12",
    "ctrl+f4",
    "alt+f4",
    "tab",
    "shift+tab",
    "ctrl+x",
    "ctrl+k",
    "super+q",
    "ctrl+l",
    "ctrl+s",
]


def test_every_quit_key_is_swallowed():
    assert {"ctrl+q", "ctrl+c", "ctrl+p", "ctrl+backslash", "ctrl+z", "ctrl+d"} <= set(
        SWALLOWED_KEYS
    )
    assert {f"f{n}" for n in range(1, 13)} <= set(SWALLOWED_KEYS)


@pytest.mark.parametrize("where", ["language", "topics", "ticket"])
async def test_no_key_leaves_the_visitor_app(tmp_path, where):
    app = make_app(tmp_path)
    assert app.ENABLE_COMMAND_PALETTE is False
    async with app.run_test() as pilot:
        if where == "language":
            await ready(pilot)
        elif where == "topics":
            await to_topics(pilot, "de")
        else:
            await to_ticket(pilot, "de")
        for key in DANGEROUS:
            await pilot.press(key)
        await pilot.pause(0.2)
        assert app.is_running
        assert app.return_code is None
        assert not isinstance(app.screen, CommandPalette)
        assert not any(isinstance(s, CommandPalette) for s in app.screen_stack)
        assert type(app.screen).__name__ in ("LanguageScreen", "TopicScreen", "TicketScreen")


async def test_quit_actions_do_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await ready(pilot)
        await app.run_action("quit")
        app.action_suspend_process()
        app.action_command_palette()
        await pilot.pause(0.1)
        assert app.is_running


async def test_admin_exit_needs_the_chord_and_the_pin(tmp_path):
    app = make_app(tmp_path)  # shipped pin_hash: the default PIN 2468
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press(ADMIN_CHORD[1])  # the second key alone does nothing
        await pilot.pause(0.05)
        assert type(app.screen).__name__ == "LanguageScreen"
        await pilot.press(*ADMIN_CHORD)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AdminExitScreen")
        await pilot.press("1", "1", "1", "1", "enter")
        await wait_for(pilot, lambda: "PIN" in str(app.screen.query_one("#admin-message").render()))
        assert app.is_running
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        await pilot.press(*ADMIN_CHORD)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AdminExitScreen")
        await pilot.press("2", "4", "6", "8", "enter")
        await wait_for(pilot, lambda: not app.is_running, timeout=10)
    assert app.return_code == 0


# ---- signals in a real pseudo-terminal ------------------------------------------------------


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready_fds, _, _ = select.select([fd], [], [], 0.1)
        if ready_fds:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if needle in seen:
                return seen
    return seen


def _drain(fd: int, seconds: float) -> bytes:
    return _read_until(fd, b"\x00never\x00", seconds)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_sigint_is_ignored_and_sigterm_restores_the_terminal(tmp_path):
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    env.pop("TEXTUAL_ALLOW_SIGNALS", None)
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "run",
            "--config",
            str(SHIPPED),
            "--data",
            str(tmp_path / "data"),
            "--now",
            "2026-11-30T13:00",
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        out = _read_until(master, b"Service-Point Integration", 20)
        assert b"Service-Point Integration" in out, out[-500:]
        print(f"kiosk up after {time.monotonic() - started:.2f}s")
        assert termios.tcgetattr(slave) != before  # the app put the terminal in raw mode

        proc.send_signal(signal.SIGINT)
        _drain(master, 1.0)
        assert proc.poll() is None, "SIGINT ended the kiosk"

        os.write(master, b"\x03\x11\x1c\x1a\x04")  # ctrl+c, ctrl+q, ctrl+\, ctrl+z, ctrl+d
        _drain(master, 0.8)
        assert proc.poll() is None, "a control key ended the kiosk"

        proc.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        tail = b""
        deadline = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < deadline:
            tail += _drain(master, 0.1)
        print(f"ended {time.monotonic() - stopping:.2f}s after SIGTERM")
        tail += _drain(master, 0.2)
        assert proc.returncode == 0
        assert b"\x1b[?1049l" in tail  # left the alternate screen
        assert b"\x1b[?25h" in tail  # cursor shown again
        assert termios.tcgetattr(slave) == before  # echo, canonical mode, signals back
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_sighup_ends_the_kiosk(tmp_path):
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "run",
            "--config",
            str(SHIPPED),
            "--data",
            str(tmp_path / "data"),
            "--now",
            "2026-11-30T13:00",
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    try:
        assert b"Service-Point" in _read_until(master, b"Service-Point", 20)
        proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < deadline:
            _drain(master, 0.1)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)
