"""Logging: standard error (the journal picks it up) and a size-limited rotating file in data/logs.

What is logged: starts, config reloads and rejections, storage faults, damaged files, clock
problems, admin exits. Never anything about a visitor beyond ticket number, topic and language.

Many processes write the same data/logs/kiosk.log (the kiosk screen, every browser's app
process, staff sessions, `kiosk issue`): the file is rotated under a lock they share, and a
process whose file was rotated by another one follows to the new file.
"""

from __future__ import annotations

import fcntl
import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 5


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
            self._lock_fd: int | None = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
        except OSError:  # e.g. a lock file another user made: rotate as a lone process
            self._lock_fd = None

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


def setup_logging(
    data_dir: Path, app_name: str, *, to_stderr: bool | None = None, level: int = logging.INFO
) -> logging.Logger:
    """Configure the "kiosk" logger once per process; returns the app's logger.

    By default standard error gets the log only when it is not a terminal: a full-screen app
    owns its terminal, and lines written into it would tear the screen.
    """
    if to_stderr is None:
        to_stderr = not (sys.stderr and sys.stderr.isatty())
    root = logging.getLogger("kiosk")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    try:
        log_dir = Path(data_dir) / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = SharedRotatingFileHandler(log_dir / "kiosk.log", MAX_BYTES, BACKUPS)
        file_handler.setFormatter(formatter)
        root.addHandler(file_handler)
    except OSError as error:
        # A read-only or full data folder must not stop the kiosk; say so where we can.
        print(f"kiosk: cannot write logs under {data_dir}/logs: {error}", file=sys.stderr)
    if to_stderr:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(formatter)
        root.addHandler(stream)
    root.propagate = False
    return logging.getLogger(f"kiosk.{app_name}")
