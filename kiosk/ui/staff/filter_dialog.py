"""Filter dialog: show only some topics and some states (space ticks, Enter applies)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList

from kiosk.core.config import Config
from kiosk.core.i18n import topic_label
from kiosk.core.tickets import State
from kiosk.ui.staff.texts import state_label, t


@dataclass(frozen=True)
class TicketFilter:
    """Which rows the table shows; None = no restriction."""

    topics: frozenset[str] | None = None
    states: frozenset[State] | None = None

    @property
    def active(self) -> bool:
        return self.topics is not None or self.states is not None

    def admits(self, topic: str, state: State) -> bool:
        return (self.topics is None or topic in self.topics) and (
            self.states is None or state in self.states
        )


class FilterDialog(ModalScreen[TicketFilter | None]):
    """Dismisses with the new filter, or None on Escape."""

    BINDINGS = [
        Binding("escape", "back", show=False, id="staff.filter_back"),
        # priority: the lists would take Enter as "tick" (space does that here)
        Binding("enter", "apply", show=False, priority=True, id="staff.filter_apply"),
    ]

    def __init__(self, config: Config, lang: str, current: TicketFilter) -> None:
        super().__init__(classes="staff-dialog")
        self._config = config
        self._lang = lang
        self._current = current

    def compose(self) -> ComposeResult:
        config, lang, current = self._config, self._lang, self._current
        topics = [
            (
                f"{topic.letter} {topic_label(config, lang, topic.id)}",
                topic.id,
                current.topics is None or topic.id in current.topics,
            )
            for topic in config.topics
        ]
        states = [
            (
                state_label(config, lang, state),
                state.value,
                current.states is None or state in current.states,
            )
            for state in State
        ]
        with Vertical(classes="dialog-box filter-box"):
            yield Label(t(config, lang, "filter_title"), classes="dialog-title")
            with Horizontal(classes="filter-lists"):
                with Vertical():
                    yield Label(t(config, lang, "filter_topics"), classes="filter-heading")
                    yield SelectionList[str](*topics, id="filter-topics")
                with Vertical():
                    yield Label(t(config, lang, "filter_states"), classes="filter-heading")
                    yield SelectionList[str](*states, id="filter-states")
            yield Label(t(config, lang, "filter_hint"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(config, lang, "filter_apply"), id="apply", variant="primary")
                yield Button(t(config, lang, "filter_reset"), id="reset")

    def on_mount(self) -> None:
        self.query_one("#filter-topics", SelectionList).focus()

    def chosen(self) -> TicketFilter:
        topic_ids = [topic.id for topic in self._config.topics]
        picked_topics = frozenset(self.query_one("#filter-topics", SelectionList).selected)
        picked_states = frozenset(
            State(v) for v in self.query_one("#filter-states", SelectionList).selected
        )
        return TicketFilter(
            topics=None if picked_topics >= set(topic_ids) else picked_topics,
            states=None if picked_states >= set(State) else picked_states,
        )

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        if self.focused is not None and self.focused.id == "reset":
            self.dismiss(TicketFilter())
            return
        self.dismiss(self.chosen())

    @on(Button.Pressed, "#reset")
    def _reset(self) -> None:
        self.dismiss(TicketFilter())

    def action_back(self) -> None:
        self.dismiss(None)
