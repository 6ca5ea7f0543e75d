"""Desk picker: the first screen when `kiosk staff` starts without --desk."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from kiosk.ui.staff.texts import translate_bindings


class DeskPickerScreen(Screen[None]):
    """Lists the config's desks with their topics' letters; Enter or a click starts that desk."""

    BINDINGS = [Binding("q", "app.request_quit", "key_quit", id="staff.picker_quit")]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.app.t)  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        app = self.app
        config = app.config  # type: ignore[attr-defined]
        letters = {topic.id: topic.letter for topic in config.topics}
        options = []
        for desk in config.desks:
            topics = ", ".join(letters.get(topic_id, topic_id) for topic_id in desk.topics)
            options.append(Option(f"{desk.name}  ({desk.id}: {topics})", id=desk.id))
        with Vertical(classes="picker-box"):
            yield Label(config.site.name, classes="picker-site")
            yield Label(app.t("choose_desk"), classes="dialog-title")  # type: ignore[attr-defined]
            yield OptionList(*options, id="desks")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#desks", OptionList).focus()

    async def config_changed(self) -> None:
        """Hot reload: desks added, renamed or removed show in the list at once."""
        translate_bindings(self, self.app.t)  # type: ignore[attr-defined]
        await self.recompose()
        self.query_one("#desks", OptionList).focus()

    @on(OptionList.OptionSelected, "#desks")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option_id:
            self.app.start_desk(event.option_id)  # type: ignore[attr-defined]
