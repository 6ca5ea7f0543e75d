"""SIGTERM and SIGHUP end an app within END_SECONDS at any moment, with the terminal restored.

Why not asyncio's `loop.add_signal_handler`: its callback runs only when the event loop gets to
it. Textual's output goes through a writer thread with a bounded queue; when the terminal stops
taking output (it was just closed, or it is stuck) the queue fills and the main thread blocks in
`Queue.put` inside the loop, so the callback never runs and the process lives on, orphaned,
ignoring every further SIGTERM. A Python-level handler (`signal.signal`) runs in the main thread
even then (a blocked lock wait is interrupted for it), so:

1. the handler asks the app to exit through its loop (the clean path: Textual restores the
   terminal itself), and arms a watchdog thread;
2. if the process is still there after FORCE_AFTER_SECONDS (the loop is stuck, a thread will not
   end, interpreter shutdown waits for it), the watchdog writes the terminal's reset sequences
   straight to the terminal, puts back the terminal modes saved before the app started, and ends
   the process with `os._exit`.

The watchdog is armed the same way when `run` returns for any other reason (the admin exit), so
a thread that will not end never leaves a blank screen behind. SIGCONT changes nothing: Textual's
driver would "resume" an app that was never suspended, starting a second input and output thread
(the kiosk ignores SIGTSTP, so there is nothing to resume).

Installed only around a real run in the main thread, never in headless tests.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

log = logging.getLogger("kiosk.signals")

ENDING_SIGNALS = ("SIGTERM", "SIGHUP")
FORCE_AFTER_SECONDS = 1.2
"""After an ending signal, the clean exit gets this long; then the process is ended anyway
(within END_SECONDS of the signal, whatever it is doing)."""
END_SECONDS = 2.0
AFTER_RUN_SECONDS = 0.5
"""Once `run` has returned only the CLI's last log line is left: a process still there after
this long is held by a thread that will not end (Textual's output thread on a closed terminal)."""
ASK_AGAIN_SECONDS = 0.2

# What Textual's driver switches on, switched off: kitty keyboard, alternate screen, hidden
# cursor, focus events, mouse reporting (every mode), bracketed paste; line wrap back on.
TERMINAL_RESET = (
    b"\x1b[<u"
    b"\x1b[?1049l"
    b"\x1b[?25h"
    b"\x1b[?1004l"
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1016l"
    b"\x1b[?2004l"
    b"\x1b[?7h"
)


def _terminal_fd() -> int | None:
    """The terminal the app draws on (Textual writes to stderr), or None when there is none."""
    for stream in (sys.__stderr__, sys.__stdout__, sys.__stdin__):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            if stream is not None and os.isatty(stream.fileno()):
                return stream.fileno()
    return None


class EndGuard:
    """The handlers and the watchdog of one app run (see the module docstring)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.fd = _terminal_fd()
        self.modes: list[Any] | None = None
        """The terminal's modes before the app changed them (restored by a forced end)."""
        if self.fd is not None:
            import termios

            with contextlib.suppress(termios.error, OSError):
                self.modes = termios.tcgetattr(self.fd)
        self._armed = threading.Event()

    def install(self) -> None:
        """For the rest of the process: once an app ran, a late signal still ends it."""
        for name in ENDING_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                signal.signal(number, self._on_signal)

    def _on_signal(self, number: int, frame: object) -> None:
        """Runs in the main thread, possibly in the middle of Textual's code: only set flags,
        schedule, and start a thread; nothing here waits."""
        name = signal.Signals(number).name
        if self._armed.is_set():
            return  # already ending; the watchdog will finish it if the clean exit does not
        self.app.ended_by_signal = name
        log.info("%s received: closing", name)
        self.arm(exit_code=0, keep_asking=True)

    def _ask_to_exit(self) -> None:
        loop = getattr(self.app, "_loop", None)
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # closed, or not running yet
                loop.call_soon_threadsafe(self.app.exit, 0)

    def arm(
        self, exit_code: int, keep_asking: bool = False, seconds: float = FORCE_AFTER_SECONDS
    ) -> None:
        """Start a watchdog: the process ends within `seconds` from now (the earliest of the
        armed watchdogs wins).

        `keep_asking`: ask the app to exit now and again every ASK_AGAIN_SECONDS meanwhile
        (an exit asked for while Textual is still starting can be lost)."""
        self._armed.set()
        threading.Thread(
            target=self._force_end,
            args=(exit_code, keep_asking, seconds),
            name="kiosk-end-watchdog",
            daemon=True,
        ).start()

    def _force_end(self, exit_code: int, keep_asking: bool, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        pause = threading.Event()
        while (left := deadline - time.monotonic()) > 0:
            if keep_asking:
                self._ask_to_exit()
            pause.wait(min(left, ASK_AGAIN_SECONDS))
        log.warning(
            "still running %.1fs after the end was asked for (threads: %s): ending now",
            seconds,
            ", ".join(t.name for t in threading.enumerate() if t.is_alive()),
        )
        self.restore_terminal()
        for handler in logging.getLogger().handlers:
            with contextlib.suppress(Exception):
                handler.flush()
        os._exit(exit_code)

    def restore_terminal(self) -> None:
        """Reset sequences straight to the terminal (not through Textual's writer queue, which
        may be what is stuck), then the modes from before the app started. Never blocks: a
        terminal that is gone or full just gets nothing."""
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.set_blocking(self.fd, False)
            os.write(self.fd, TERMINAL_RESET)
        if self.modes is not None:
            import termios

            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fd, termios.TCSANOW, self.modes)


def _end_now(code: int) -> None:
    for handler in logging.getLogger().handlers:
        with contextlib.suppress(Exception):
            handler.flush()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def ignore_sigcont() -> None:
    """Undo the SIGCONT handler Textual's driver installs (call after the driver started)."""
    sigcont = getattr(signal, "SIGCONT", None)
    if sigcont is not None:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sigcont, signal.SIG_DFL)


class EndOnSignals:
    """Mixin for a Textual App (put it before `App`): SIGTERM/SIGHUP end it within END_SECONDS
    at any moment, start-up and shutdown included; SIGCONT changes nothing."""

    ended_by_signal: str | None = None
    """Name of the signal that ended the app (SIGTERM/SIGHUP), for the log and the exit code."""

    def run(self, *args: Any, **kwargs: Any) -> Any:
        real = not kwargs.get("headless", False)
        if not real or threading.current_thread() is not threading.main_thread():
            return super().run(*args, **kwargs)  # type: ignore[misc]
        guard = EndGuard(self)
        guard.install()
        try:
            return super().run(*args, **kwargs)  # type: ignore[misc]
        finally:
            # Whatever ended the run (a signal, the admin exit, a closed browser tab): a thread
            # that will not stop must not keep the process, and its blank screen, alive.
            code = 0 if self.ended_by_signal else int(getattr(self, "return_code", 0) or 0)
            guard.arm(exit_code=code, seconds=AFTER_RUN_SECONDS)
            if self.ended_by_signal:
                # Interpreter teardown of a Textual app takes about a second on a small box, and
                # no thread can end the process once it has begun: after the CLI's last log
                # line, end at the first atexit call instead (threads joined, logs flushed).
                atexit.register(_end_now, code)

    # Textual dispatches a handler from every class of the MRO, so this runs beside the app's own.
    def _on_mount(self, event: object) -> None:
        if not self.is_headless:  # type: ignore[attr-defined]
            ignore_sigcont()
