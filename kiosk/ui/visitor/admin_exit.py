"""Admin exit: after the key chord, a PIN dialog; the right PIN ends the kiosk app.

The PIN is checked against site.pin_hash in a thread worker (the hash is slow on purpose).
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
    def _check(self, pin: str, stored: str) -> bool:
        from kiosk.core.pin import verify_pin

        return bool(stored) and verify_pin(pin, stored)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "pin" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        if event.state == WorkerState.SUCCESS and event.worker.result:
            log.warning("admin exit with PIN")
            self.app.exit(0)
            return
        log.warning("admin exit: wrong PIN")
        self.query_one("#admin-message", Static).update("Falsche PIN / Wrong PIN")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
