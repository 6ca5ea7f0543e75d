"""Admin exit: after the key chord, a PIN dialog; the right PIN ends the kiosk app.

The PIN is checked against site.pin_hash in a thread worker (the hash is slow on purpose).
Wrong PINs in a row lock the dialog for a growing, capped time (kiosk.core.pin_throttle, shared
with every other kiosk and display process), each logged; the visitor screens go on meanwhile.
Escape, Cancel or the idle timeout close the dialog; nothing here is in a visitor's language
because only staff come here.
"""

from __future__ import annotations

import logging

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

log = logging.getLogger("kiosk.visitor")


class AdminExitScreen(ModalScreen[bool], inherit_bindings=False):
    CSS_PATH = "admin_exit.tcss"
    IDLE = "idle"
    BINDINGS = [Binding("escape", "cancel", show=False, id="admin.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="admin-box"):
            yield Static("Admin: PIN", id="admin-title")
            yield Input(password=True, id="pin", max_length=32)
            yield Static("", id="admin-message")
            with Horizontal(id="admin-buttons"):
                yield Button("OK", id="ok")
                yield Button("Abbrechen / Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        pin = self.query_one("#pin", Input).value
        self.query_one("#pin", Input).value = ""
        self._check(pin, self.app.config.site.pin_hash)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="pin", exit_on_error=False)
    def _check(self, pin: str, stored: str) -> tuple[str, float]:
        """("ok", 0), ("wrong", seconds locked now) or ("locked", seconds left): the PIN is not
        even checked while the dialog is locked."""
        from kiosk.core.pin import verify_pin

        throttle = self.app.pin_throttle  # type: ignore[attr-defined]
        left = throttle.wait_left()
        if left > 0:
            log.warning("admin exit: PIN refused unchecked, locked for %ds more", round(left))
            return "locked", left
        if bool(stored) and verify_pin(pin, stored):
            throttle.succeeded()
            return "ok", 0.0
        state = throttle.failed()
        locked = max(0.0, state.locked_until - throttle.clock())
        log.warning(
            "admin exit: wrong PIN (%d in a row)%s",
            state.failures,
            f"; PIN dialog locked for {round(locked)}s" if locked else "",
        )
        return "wrong", locked

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "pin" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        outcome, seconds = (
            event.worker.result if event.state == WorkerState.SUCCESS else ("wrong", 0.0)
        )
        if outcome == "ok":
            log.warning("admin exit with PIN")
            self.app.exit(0)
            return
        message = "Falsche PIN / Wrong PIN" if outcome == "wrong" else ""
        if seconds > 0:
            wait = f"{int(seconds) // 60}:{int(seconds) % 60:02d} min"
            message = (f"{message}\n" if message else "") + f"Gesperrt / Locked: {wait}"
        self.query_one("#admin-message", Static).update(message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
