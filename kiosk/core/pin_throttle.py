"""Wrong admin PINs: a growing, capped wait before the next try (kiosk and display PIN dialogs).

Without it a 4-digit PIN falls to guessing (100 tries in 16 s at the terminal, 50 in 5 s through
the browser page). FREE_TRIES wrong PINs in a row cost nothing (typos); the next one locks the
dialog for FIRST_LOCK_SECONDS, each further one doubles that, up to MAX_LOCK_SECONDS. The right
PIN clears the count; so does a whole FORGET_AFTER_SECONDS without a wrong one.

The state lives in one small file in the data folder, so the browser page (a new process for
every connection) and the terminal share it. Only the PIN dialog is locked: visitors keep using
the kiosk, and SIGTERM (`systemctl stop`) ends it as always. Blocking file work: call from a
thread worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FREE_TRIES = 4
"""Wrong PINs in a row that cost nothing; the next one locks."""
FIRST_LOCK_SECONDS = 60
MAX_LOCK_SECONDS = 15 * 60
FORGET_AFTER_SECONDS = 24 * 3600
STATE_FILE = "admin-pin.json"
FILE_MODE = 0o640


@dataclass(frozen=True)
class PinState:
    failures: int = 0
    """Wrong PINs in a row."""
    last_failure: float = 0.0
    locked_until: float = 0.0
    """Epoch seconds; tries before it are refused without checking the PIN."""


def lock_seconds(failures: int) -> int:
    """The wait after the `failures`-th wrong PIN in a row: 0, 0, 0, 0, 60, 120, 240, 480, 900..."""
    if failures <= FREE_TRIES:
        return 0
    return min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - FREE_TRIES - 1))


class PinThrottle:
    """The wrong-PIN count and lock, kept in `folder` (None: in this process only)."""

    def __init__(self, folder: Path | None, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(folder) / STATE_FILE if folder is not None else None
        self.clock = clock
        self._memory = PinState()
        self._lock = threading.Lock()

    def _read(self) -> PinState:
        if self.path is None:
            return self._memory
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return PinState(
                int(data.get("failures", 0)),
                float(data.get("last_failure", 0)),
                float(data.get("locked_until", 0)),
            )
        except (OSError, ValueError, TypeError, AttributeError):
            return PinState()  # no file yet, or damaged: start counting afresh

    def _write(self, state: PinState) -> None:
        if self.path is None:
            self._memory = state
            return
        temporary = self.path.with_name(f".{STATE_FILE}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(state.__dict__, file)
            os.replace(temporary, self.path)

    def wait_left(self) -> float:
        """Seconds until the next try is accepted (0: try now)."""
        with self._lock:
            return max(0.0, self._read().locked_until - self.clock())

    def failed(self) -> PinState:
        """Count a wrong PIN; returns the new state (its lock, if any)."""
        with self._lock:
            now = self.clock()
            state = self._read()
            failures = state.failures if now - state.last_failure < FORGET_AFTER_SECONDS else 0
            failures += 1
            state = PinState(failures, now, now + lock_seconds(failures))
            self._write(state)
            return state

    def succeeded(self) -> None:
        with self._lock:
            self._write(PinState())
