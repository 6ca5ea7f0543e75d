"""A modal list of choices (topics, languages, desks): Enter or a click picks, Escape goes back."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ChoiceDialog(ModalScreen[str | None]):
    """Dismisses with the chosen option's id, or None on Escape."""

    BINDINGS = [Binding("escape", "back", show=False, id="staff.dialog_back")]

    def __init__(self, title: str, choices: list[tuple[str, str | Text]], hint: str = "") -> None:
        super().__init__(classes="staff-dialog")
        self._title = title
        self._choices = choices
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self._title, classes="dialog-title")
            yield OptionList(
                *(Option(label, id=choice_id) for choice_id, label in self._choices),
                id="choices",
            )
            if self._hint:
                yield Label(self._hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_back(self) -> None:
        self.dismiss(None)
