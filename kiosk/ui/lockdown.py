"""Lockdown for public apps (visitor kiosk, display): no key quits, SIGINT ignored, clean SIGTERM.

Textual's defaults let a visitor leave: ctrl+q quits (priority binding), ctrl+c asks how to quit,
ctrl+p opens the command palette (with "Quit"), and ctrl+z suspends the process. An external
SIGINT still ends an app whose quit bindings were removed, because Python turns it into
KeyboardInterrupt. `Lockdown` removes all of that:

    class MyApp(Lockdown, App, inherit_bindings=False):
        BINDINGS = [*LOCKED_BINDINGS, Binding("escape", "back", id="back")]

SIGTERM and SIGHUP end the app within 2 s at any moment, the terminal restored (kiosk.ui.signals,
whose mixin `Lockdown` includes); SIGCONT changes nothing. The admin exit is a two-key chord (ADMIN_CHORD) that calls `action_admin_exit` on the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from typing import TYPE_CHECKING

from textual.binding import Binding

from kiosk.ui.signals import EndOnSignals

if TYPE_CHECKING:  # imported when a PIN is first asked for: not on the first frame's path
    from kiosk.core.pin_throttle import PinThrottle

log = logging.getLogger("kiosk.lockdown")

# Keys that leave, suspend or reconfigure a Textual app in a terminal or a browser; swallowed
# with priority so no focused widget can act on them either. ctrl+c is swallowed too: with no
# text to copy on a kiosk, its only effect would be Textual's "press ctrl+q to quit" hint.
SWALLOWED_KEYS: tuple[str, ...] = (
    "ctrl+q",
    "ctrl+c",
    "ctrl+p",
    "ctrl+backslash",
    "ctrl+z",
    "ctrl+d",
    "ctrl+w",
    "ctrl+s",
    "ctrl+l",
    "super+c",
    "super+q",
    "super+w",
    *(f"f{n}" for n in range(1, 25)),
    *(f"ctrl+f{n}" for n in range(1, 25)),
    *(f"shift+f{n}" for n in range(1, 25)),
)

# The admin exit: press these two keys one after the other within CHORD_SECONDS.
ADMIN_CHORD: tuple[str, str] = ("ctrl+k", "ctrl+x")
CHORD_SECONDS = 2.0

LOCKED_BINDINGS: list[Binding] = [
    Binding(
        ",".join(SWALLOWED_KEYS),
        "swallow",
        show=False,
        priority=True,
        system=True,
        id="lockdown.swallow",
    ),
    Binding(ADMIN_CHORD[0], "admin_chord(0)", show=False, priority=True, id="lockdown.chord1"),
    Binding(ADMIN_CHORD[1], "admin_chord(1)", show=False, priority=True, id="lockdown.chord2"),
]
"""Put these first in the app's BINDINGS (with inherit_bindings=False on the class)."""

# SIGINT: ctrl+c with TEXTUAL_ALLOW_SIGNALS, or `kill -INT`; SIGQUIT: ctrl+\ likewise;
# SIGTSTP: the driver's own handler would suspend the app and hand the terminal back.
IGNORED_SIGNALS = ("SIGINT", "SIGQUIT", "SIGTSTP")


def install_signal_handlers(loop: asyncio.AbstractEventLoop) -> list[int]:
    """Ignore SIGINT/SIGQUIT/SIGTSTP. Returns the signals set. (SIGTERM/SIGHUP: EndOnSignals.)

    Must run on the main thread's running loop, after the Textual driver has started (it puts its
    own SIGTSTP handler in place when it is created).
    """
    installed: list[int] = []
    for name in IGNORED_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            loop.add_signal_handler(number, _ignored, name)
            installed.append(number)
        except (RuntimeError, ValueError, NotImplementedError):  # not the main thread, Windows
            log.warning("cannot ignore %s here", name)
    return installed


def remove_signal_handlers(loop: asyncio.AbstractEventLoop, installed: list[int]) -> None:
    for number in installed:
        with contextlib.suppress(RuntimeError, ValueError):
            loop.remove_signal_handler(number)


def _ignored(name: str) -> None:
    log.info("%s ignored (kiosk lockdown)", name)


class Lockdown(EndOnSignals):
    """Mixin for a Textual App: no command palette, no quit/suspend, signal policy, admin chord.

    Put it before `App` in the bases and declare the class with `inherit_bindings=False`,
    starting BINDINGS with LOCKED_BINDINGS. Signal handlers are installed when the app runs
    with a real driver (not in headless tests, where they would swallow pytest's ctrl+c).
    Override `action_admin_exit` to ask for the PIN.
    """

    ENABLE_COMMAND_PALETTE = False
    COMMANDS: set = set()

    _lockdown_signals: list[int]
    _chord_started: float | None = None

    # Textual dispatches a handler from every class of the MRO, so these run beside the app's own.
    def _on_mount(self, event) -> None:
        self._lockdown_signals = []
        if not self.is_headless:  # type: ignore[attr-defined]
            loop = asyncio.get_running_loop()
            self._lockdown_signals = install_signal_handlers(loop)

    def _on_unmount(self, event) -> None:
        remove_signal_handlers(asyncio.get_running_loop(), getattr(self, "_lockdown_signals", []))

    # Every way Textual offers to quit or suspend does nothing.
    async def action_quit(self) -> None:
        return None

    def action_help_quit(self) -> None:
        return None

    def action_suspend_process(self) -> None:
        return None

    def action_command_palette(self) -> None:
        return None

    def action_swallow(self) -> None:
        return None

    def action_admin_chord(self, step: int) -> None:
        now = time.monotonic()
        if step == 0:
            self._chord_started = now
            return
        started, self._chord_started = self._chord_started, None
        if started is not None and now - started <= CHORD_SECONDS:
            log.info("admin chord entered")
            self.action_admin_exit()

    def action_admin_exit(self) -> None:
        """Override: ask for the PIN, then `self.exit()`."""
        return None

    _pin_throttle: PinThrottle | None = None

    @property
    def pin_throttle(self) -> PinThrottle:
        """Wrong-PIN waits, shared through the data folder by every kiosk and display process
        (the browser page starts one per connection). Blocking: use from a thread worker."""
        if self._pin_throttle is None:
            from kiosk.core.pin_throttle import PinThrottle

            store = getattr(self, "store", None)
            self._pin_throttle = PinThrottle(getattr(store, "data_dir", None))
        return self._pin_throttle
