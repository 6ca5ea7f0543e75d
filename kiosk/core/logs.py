"""Logging: the journal (or standard error) and a size-limited rotating file in data/logs.

What is logged: starts, config reloads and rejections, storage faults, damaged files, clock
problems, admin exits. Never anything about a visitor beyond ticket number, topic and language.

Many processes write the same data/logs/kiosk.log (the kiosk screen, every browser's app
process, staff sessions, `kiosk issue`): the file is rotated under a lock they share, and a
process whose file was rotated by another one follows to the new file.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import logging.handlers
import os
import socket
import struct
import sys
from pathlib import Path

from kiosk.core.storage import FILE_MODE, make_private_dir

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"
JOURNAL_FORMAT = "%(levelname)s %(name)s %(message)s"
"""The journal has its own time and process id."""
MAX_BYTES = 1_000_000
BACKUPS = 5
JOURNAL_SOCKET = "/run/systemd/journal/socket"
SYSLOG_PRIORITY = {
    logging.CRITICAL: 2,
    logging.ERROR: 3,
    logging.WARNING: 4,
    logging.INFO: 6,
    logging.DEBUG: 7,
}


def _priority(levelno: int) -> int:
    for level, priority in SYSLOG_PRIORITY.items():
        if levelno >= level:
            return priority
    return 7


class _Quiet:
    """A log handler that never prints "--- Logging error ---" with a traceback: standard
    error may be the kiosk's own screen. A full disk is reported by the store, not here."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        pass


class SharedRotatingFileHandler(_Quiet, logging.handlers.RotatingFileHandler):
    """RotatingFileHandler for a file that several processes write.

    The plain handler decides alone: each process rotates when its own open file is full, so
    after one rotation every other process rotates again (pushing the full files out within
    moments) or goes on writing into a renamed file. Here the size is checked, the file
    rotated and the line written under one lock file beside the log, and a process whose file
    was renamed by another one reopens the current file first.
    """

    def __init__(self, filename: Path, max_bytes: int, backups: int):
        super().__init__(
            filename, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True
        )
        lock_path = Path(filename).with_name(f".{Path(filename).name}.lock")
        try:  # flock on a descriptor kept open: microseconds per line (filelock took 2 ms)
            self._lock_fd: int | None = os.open(
                lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE
            )
        except OSError:  # e.g. a lock file another user made: rotate as a lone process
            self._lock_fd = None

    def _open(self):
        stream = super()._open()
        # Exactly FILE_MODE whatever the umask (a file another user made stays theirs).
        with contextlib.suppress(OSError):
            os.fchmod(stream.fileno(), FILE_MODE)
        return stream

    def _follow_rotation(self) -> None:
        if self.stream is None:
            return
        try:
            on_disk = os.stat(self.baseFilename)
        except FileNotFoundError:
            moved = True
        else:
            mine = os.fstat(self.stream.fileno())
            moved = (on_disk.st_dev, on_disk.st_ino) != (mine.st_dev, mine.st_ino)
        if moved:
            self.stream.close()
            self.stream = None  # opened again (the current file) by the next write

    def emit(self, record: logging.LogRecord) -> None:
        if self._lock_fd is None:
            super().emit(record)
            return
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                self._follow_rotation()
                if self.shouldRollover(record):
                    self.doRollover()
                logging.FileHandler.emit(self, record)
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        super().close()


class JournalHandler(_Quiet, logging.Handler):
    """Sends records to systemd's journal over its native socket (no library needed).

    For apps that run in a terminal inside a service (cage + foot on the entrance screen, a
    browser's app process under kiosk serve): their standard error is a screen or a pipe, yet
    `journalctl -u kiosk-screen` should show what they log.
    """

    def __init__(self, address: str | None = None, identifier: str = "kiosk"):
        super().__init__()
        self.address = address or JOURNAL_SOCKET
        self.identifier = identifier
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)

    @staticmethod
    def _field(name: str, value: str) -> bytes:
        raw = value.encode("utf-8", "replace")
        if b"\n" in raw:  # the binary form: name, newline, little-endian length, bytes
            return name.encode() + b"\n" + struct.pack("<Q", len(raw)) + raw + b"\n"
        return name.encode() + b"=" + raw + b"\n"

    def emit(self, record: logging.LogRecord) -> None:
        try:
            datagram = b"".join(
                [
                    self._field("MESSAGE", self.format(record)),
                    self._field("PRIORITY", str(_priority(record.levelno))),
                    self._field("SYSLOG_IDENTIFIER", self.identifier),
                    self._field("KIOSK_LOGGER", record.name),
                ]
            )
            self._socket.sendto(datagram, self.address)
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        self._socket.close()
        super().close()


class _JournalStreamFormatter(logging.Formatter):
    """Standard error read by the journal: "<6>" in front gives each line its priority."""

    def format(self, record: logging.LogRecord) -> str:
        return f"<{_priority(record.levelno)}>{super().format(record)}"


def _stderr_is_the_journal() -> bool:
    """Whether standard error is the journal stream systemd gave this service (JOURNAL_STREAM)."""
    expected = os.environ.get("JOURNAL_STREAM", "")
    try:
        device, inode = (int(part) for part in expected.split(":"))
        mine = os.fstat(sys.stderr.fileno())
    except (ValueError, OSError, AttributeError):
        return False
    return (mine.st_dev, mine.st_ino) == (device, inode)


def _in_a_service_with_a_journal() -> bool:
    """Started (directly or through cage, foot or kiosk serve) by a unit that logs to the journal."""
    return bool(os.environ.get("JOURNAL_STREAM")) and os.path.exists(JOURNAL_SOCKET)


def _stderr_handler(journal: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _JournalStreamFormatter(JOURNAL_FORMAT) if journal else logging.Formatter(LOG_FORMAT)
    )
    return handler


def _journal_handler() -> logging.Handler:
    handler = JournalHandler()
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    return handler


def setup_logging(
    data_dir: Path, app_name: str, *, to_stderr: bool | None = None, level: int = logging.INFO
) -> logging.Logger:
    """Configure the "kiosk" logger once per process; returns the app's logger.

    By default: under a systemd unit, the journal (standard error when that is the journal,
    else the journal's socket: a full-screen app in cage + foot, or a browser's app process);
    elsewhere standard error only when it is not a terminal, because a full-screen app owns
    its terminal and lines written into it would tear the screen. `to_stderr` True or False
    decides for standard error and leaves the journal's socket out.
    """
    root = logging.getLogger("kiosk")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    try:
        log_dir = Path(data_dir) / "logs"
        make_private_dir(log_dir)
        file_handler = SharedRotatingFileHandler(log_dir / "kiosk.log", MAX_BYTES, BACKUPS)
        file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(file_handler)
    except OSError as error:
        # A read-only or full data folder must not stop the kiosk; say so where we can.
        print(f"kiosk: cannot write logs under {data_dir}/logs: {error}", file=sys.stderr)
    journal_stream = _stderr_is_the_journal()
    if to_stderr is None:
        if journal_stream:
            root.addHandler(_stderr_handler(journal=True))
        elif _in_a_service_with_a_journal():
            # standard error is a screen (cage + foot) or kiosk serve's pipe to the browser
            root.addHandler(_journal_handler())
        elif not (sys.stderr and sys.stderr.isatty()):
            root.addHandler(_stderr_handler(journal=False))
    elif to_stderr:
        root.addHandler(_stderr_handler(journal_stream))
    if not root.handlers:
        # No file and a terminal the app draws on: without a handler, Python's last-resort
        # handler would write warnings straight into the full-screen app.
        root.addHandler(logging.NullHandler())
    root.propagate = False
    return logging.getLogger(f"kiosk.{app_name}")
