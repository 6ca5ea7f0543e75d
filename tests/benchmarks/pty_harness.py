"""Run a full-screen program in a pseudo-terminal and watch what it draws.

The program's output (escape sequences) is fed to a pyte screen, so "drawn" means: the cells of
a real 100x30 terminal hold the text. Every chunk read is timestamped when `read` returned, so
the time of the chunk that completes a condition is when a terminal would have shown it.

A thread of its own reads and timestamps the output. `wait_for` parses what was read only once
the program paused (SETTLE): pyte is pure Python (about 1 ms per KiB, 8-10 ms for one ticket
frame), and parsing while the program is still writing held the GIL the reader thread needs for
its timestamps and took a core from the program. Parsed as it came, the ticket frame was
stamped a median 8.8 ms (up to 23 ms) after the kiosk's write had returned; parsed after the
pause, 0.25 ms (the kiosk's own clock, 40 taps alternating both ways in one run).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import queue
import select
import signal
import struct
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import NoReturn

import pyte

COLUMNS, LINES = 100, 30

SETTLE = 0.03
"""Seconds without output after which `wait_for` parses what came: longer than the gaps inside
one update of a Textual app (its frames follow each other within a few ms)."""
MAX_BATCH = 0.25
"""Seconds of unbroken output after which `wait_for` parses anyway (a program that never pauses)."""


class Timeout(Exception):
    pass


class PtyProcess:
    """One child process on a pty of COLUMNS x LINES, its screen as pyte sees it."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        size: tuple[int, int] = (COLUMNS, LINES),
    ):
        self.columns, self.lines = size
        self.screen = pyte.Screen(self.columns, self.lines)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        full_env = dict(os.environ)
        full_env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"})
        full_env.pop("TEXTUAL", None)
        if env:
            full_env.update(env)
        self.started = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                fcntl.ioctl(
                    0, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0)
                )
                if cwd:
                    os.chdir(cwd)
                os.execvpe(argv[0], list(argv), full_env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0))
        self.exited: int | None = None
        self._chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    def _read_loop(self) -> None:
        # Stops (and is joined) before the fd is closed: a later pty may get the same number.
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(self.fd, 1 << 16)
            except (OSError, ValueError):  # EIO: the child closed the terminal; fd closed
                data = b""
            self._chunks.put((time.monotonic(), data))
            if not data:
                return

    # -- reading

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, timeout: float) -> float | None:
        """Parse the next chunk (waiting up to `timeout`); its read time, None if none came."""
        try:
            at, data = self._chunks.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None
        if not data:
            self._chunks.put((at, data))  # stays "ended" for later calls
            self._ended()
        self.raw += data
        self.stream.feed(data)
        return at

    def _ended(self) -> NoReturn:
        self._reap(block=True)
        raise Timeout(f"the program ended (status {self.exited}); screen:\n{self.text()}")

    def wait_for(self, condition: Callable[[str], bool], timeout: float = 20.0) -> float:
        """Time (monotonic) of the read after which `condition(screen text)` first held.

        Reads until the output pauses, then parses chunk by chunk (see the module's doc)."""
        if condition(self.text()):
            return time.monotonic()
        deadline = time.monotonic() + timeout
        while True:
            batch = self._collect(deadline)
            if not batch:
                raise Timeout(f"condition not met in {timeout} s; screen:\n{self.text()}")
            hit: float | None = None
            for at, data in batch:
                if not data:
                    self._chunks.put((at, data))  # stays "ended" for later calls
                    if hit is not None:
                        return hit
                    self._ended()
                self.raw += data
                self.stream.feed(data)
                if hit is None and condition(self.text()):
                    hit = at
            if hit is not None:
                return hit

    def _collect(self, deadline: float) -> list[tuple[float, bytes]]:
        """The chunks read from now until the output pauses for SETTLE, unparsed ([] when
        nothing came before `deadline`)."""
        try:
            batch = [self._chunks.get(timeout=max(0.0, deadline - time.monotonic()))]
        except queue.Empty:
            return []
        first = time.monotonic()
        while batch[-1][1] and time.monotonic() - first < MAX_BATCH:
            try:
                batch.append(self._chunks.get(timeout=SETTLE))
            except queue.Empty:
                break
        return batch

    def drain(self, quiet: float = 0.3, limit: float = 5.0) -> None:
        """Read until nothing came for `quiet` seconds (the screen settled)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self.pump(quiet) is None:
                return

    def send(self, data: bytes | str) -> float:
        if isinstance(data, str):
            data = data.encode()
        at = time.monotonic()
        os.write(self.fd, data)
        return at

    # -- the process

    def rss_kib(self) -> int:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def _reap(self, block: bool = False) -> bool:
        if self.exited is not None:
            return True
        pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid:
            self.exited = status
            return True
        return False

    def close(self, wait: float = 3.0) -> None:
        """SIGTERM (the kiosk ends cleanly on it), SIGKILL if it is still there after `wait`."""
        if not self._reap():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            end = time.monotonic() + wait
            while time.monotonic() < end and not self._reap():
                with contextlib.suppress(Timeout, OSError):
                    self.pump(0.05)
            if not self._reap():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                self._reap(block=True)
        self._stop.set()
        self._reader.join()
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> PtyProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
