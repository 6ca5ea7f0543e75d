"""SIGTERM and SIGHUP end the kiosk, the staff app and the display at any moment; SIGCONT changes
nothing (issue 12, finding 3).

Regression: closing the terminal sometimes left the process running for ever. It logged
"SIGHUP received: closing" and stayed: the main thread blocked in Textual's WriterThread.stop ->
Queue.put (the output queue full, nobody taking output), and the asyncio signal callback that
should end it could never run on that blocked loop, so SIGTERM was ignored too. Here the writer
thread is made stuck on purpose (it takes nothing from its queue), which reproduces the hang
every time; the app must still end, with the terminal modes restored. After a SIGCONT, Textual's
driver "resumed" an app that was never suspended and started a second input thread, so the admin
exit hung in threading._shutdown with a blank screen.
"""

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

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "config"
HANG = 8.0
"""Seconds after which a process that should have ended counts as hanging (it must end in 2)."""

# Runs the CLI with Textual's output thread stuck (a terminal that takes nothing): its queue
# fills, the main thread blocks in Queue.put. `marker` appears the moment the queue is full.
STUCK_WRITER = """
import pathlib, sys, threading
from textual.drivers import _writer_thread as writer

marker = pathlib.Path(sys.argv[1])
never = threading.Event()

def run(self):
    never.wait()

original_write = writer.WriterThread.write

def write(self, text):
    if self._queue.full():
        marker.touch()
    original_write(self, text)

writer.WriterThread.run = run
writer.WriterThread.write = write
from kiosk.cli import main
sys.exit(main(sys.argv[2:]))
"""

APPS = {
    "kiosk": ["run"],
    "staff": ["staff", "--desk", "raum1"],
    "display": ["display"],
}

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def _read(fd: int, seconds: float, needle: bytes | None = None) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if needle is not None and needle in seen:
                break
    return seen


class Terminal:
    """A pseudo-terminal with one app in it."""

    def __init__(self, tmp_path: Path, argv: list[str], stuck_writer: bool = False) -> None:
        self.master, self.slave = pty.openpty()
        self.modes_before = termios.tcgetattr(self.slave)
        self.marker = tmp_path / "queue-full"
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        env.pop("TEXTUAL_ALLOW_SIGNALS", None)
        common = ["--config", str(SHIPPED), "--data", str(tmp_path / "data")]
        common += ["--now", "2026-11-30T13:00"]
        if stuck_writer:
            command = [sys.executable, "-c", STUCK_WRITER, str(self.marker), *argv, *common]
        else:
            command = [sys.executable, "-m", "kiosk", *argv, *common]
        self.proc = subprocess.Popen(
            command,
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            env=env,
            start_new_session=True,
            cwd=ROOT,
        )
        self.output = b""

    def read(self, seconds: float, needle: bytes | None = None) -> bytes:
        chunk = _read(self.master, seconds, needle)
        self.output += chunk
        return chunk

    def wait_for_marker(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.marker.exists():
            assert self.proc.poll() is None, self.output[-2000:]
            assert time.monotonic() < deadline, "the output queue never filled"
            self.read(0.05)  # (nothing comes: the writer is stuck)

    def ended_within(self, seconds: float) -> float | None:
        """Seconds until the process ended, reading its output meanwhile; None if it did not."""
        start = time.monotonic()
        while self.proc.poll() is None and time.monotonic() - start < seconds:
            self.read(0.05)
        self.read(0.1)
        return time.monotonic() - start if self.proc.poll() is not None else None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)


@pytest.mark.parametrize(
    ("app", "signame"),
    [("kiosk", "SIGTERM"), ("kiosk", "SIGHUP"), ("staff", "SIGHUP"), ("display", "SIGTERM")],
)
def test_a_stuck_output_thread_does_not_keep_the_app_alive(tmp_path, app, signame):
    terminal = Terminal(tmp_path, APPS[app], stuck_writer=True)
    try:
        terminal.wait_for_marker()
        time.sleep(0.1)  # the main thread is now blocked in Queue.put
        terminal.proc.send_signal(getattr(signal, signame))
        took = terminal.ended_within(HANG)
        assert took is not None, f"{app} still running {HANG}s after {signame}: it hangs"
        print(f"{app}: ended {took:.2f}s after {signame} with a stuck writer")
        assert terminal.proc.returncode == 0
        assert b"\x1b[?1049l" in terminal.output  # left the alternate screen
        assert termios.tcgetattr(terminal.slave) == terminal.modes_before
    finally:
        terminal.close()


@pytest.mark.parametrize("app", list(APPS))
def test_a_signal_during_start_up_ends_the_app(tmp_path, app):
    """A terminal closed (an SSH connection dropping) while the app is still starting."""
    terminal = Terminal(tmp_path, APPS[app])
    try:
        terminal.read(20, needle=b"\x1b[?1049h")  # the driver has just started
        terminal.proc.send_signal(signal.SIGHUP)
        took = terminal.ended_within(HANG)
        assert took is not None, f"{app} still running {HANG}s after SIGHUP during start-up"
        print(f"{app}: ended {took:.2f}s after SIGHUP during start-up")
        assert termios.tcgetattr(terminal.slave) == terminal.modes_before
    finally:
        terminal.close()


def test_sigcont_changes_nothing_and_the_admin_exit_still_ends_the_kiosk(tmp_path):
    terminal = Terminal(tmp_path, APPS["kiosk"])
    try:
        assert b"Service-Point" in terminal.read(30, needle=b"Service-Point")
        terminal.read(0.5)
        terminal.proc.send_signal(signal.SIGCONT)
        terminal.read(0.5)
        assert terminal.proc.poll() is None
        os.write(terminal.master, b"\x0b")  # ctrl+k
        os.write(terminal.master, b"\x18")  # ctrl+x: the admin chord
        terminal.read(5, needle=b"PIN")
        terminal.read(0.3)
        os.write(terminal.master, b"2468\r")  # the shipped default PIN
        took = terminal.ended_within(HANG + 4)  # the PIN hash takes a moment
        assert took is not None, "the admin exit after SIGCONT hangs"
        assert terminal.proc.returncode == 0
        assert termios.tcgetattr(terminal.slave) == terminal.modes_before
    finally:
        terminal.close()
