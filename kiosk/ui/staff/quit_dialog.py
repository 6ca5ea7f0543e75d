"""Quit dialog: staff may quit the staff app, after saying yes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class QuitDialog(ModalScreen[bool]):
    """Dismisses True to quit; y/Enter on "yes", n/Escape stays."""

    BINDINGS = [
        Binding("escape,n", "stay", show=False, id="staff.quit_no"),
        Binding("y,j", "leave", show=False, id="staff.quit_yes"),
    ]

    def compose(self) -> ComposeResult:
        t = self.app.t  # type: ignore[attr-defined]
        with Vertical(classes="dialog-box quit-box"):
            yield Label(t("quit_question"), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("quit_yes"), id="yes", variant="error")
                yield Button(t("quit_no"), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_leave(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_stay(self) -> None:
        self.dismiss(False)
