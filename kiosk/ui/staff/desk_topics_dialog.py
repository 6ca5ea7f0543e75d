"""Desk topics dialog: which topics "call next" takes from at this desk for the rest of today."""

from __future__ import annotations

from collections.abc import Collection

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList

from kiosk.core.config import Config
from kiosk.core.i18n import topic_label
from kiosk.ui.staff.texts import desk_name, t


class DeskTopicsDialog(ModalScreen[tuple[str, ...] | None]):
    """Dismisses with the ticked topic ids (config order, at least one), or None on Escape."""

    BINDINGS = [
        Binding("escape", "back", show=False, id="staff.desk_topics_back"),
        # priority: the list would take Enter as "tick" (space does that here)
        Binding("enter", "apply", show=False, priority=True, id="staff.desk_topics_apply"),
    ]

    def __init__(self, config: Config, lang: str, desk_id: str, current: Collection[str]) -> None:
        super().__init__(classes="staff-dialog")
        self._config = config
        self._lang = lang
        self._desk_id = desk_id
        self._current = frozenset(current)

    def compose(self) -> ComposeResult:
        config, lang = self._config, self._lang
        topics = [
            (
                f"{topic.letter} {topic_label(config, lang, topic.id)}",
                topic.id,
                topic.id in self._current,
            )
            for topic in config.topics
        ]
        with Vertical(classes="dialog-box"):
            yield Label(
                t(config, lang, "desk_topics_title", desk=desk_name(config, self._desk_id)),
                classes="dialog-title",
            )
            yield SelectionList[str](*topics, id="desk-topics")
            yield Label(t(config, lang, "desk_topics_hint"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(config, lang, "filter_apply"), id="apply", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#desk-topics", SelectionList).focus()

    def chosen(self) -> tuple[str, ...]:
        ticked = set(self.query_one("#desk-topics", SelectionList).selected)
        return tuple(topic.id for topic in self._config.topics if topic.id in ticked)

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        chosen = self.chosen()
        if not chosen:
            self.notify(t(self._config, self._lang, "desk_topics_none"), severity="warning")
            return
        self.dismiss(chosen)

    def action_back(self) -> None:
        self.dismiss(None)
