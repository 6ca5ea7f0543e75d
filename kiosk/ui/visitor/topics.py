"""Topic screen: every topic with its digit, label and one-line description in the chosen language.

Topics that issue no tickets now stay listed but marked, with when they issue next ("heute ab
13:00", "Donnerstag 13:00") or that the numbers for today are gone. The list refreshes with the
app's availability loop. Escape (or the back control) and the language control start over.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static

from kiosk.core.i18n import topic_description, topic_label
from kiosk.ui.visitor.app import VisitorScreen
from kiosk.ui.visitor.choice import Choice
from kiosk.ui.visitor.text import back_button, button, label

UNAVAILABLE = "✕"


def unavailable_text(app, state) -> str:
    """Why a topic issues nothing now and when it will, in the visitor's language."""
    reason = getattr(state, "reason", "closed")
    if reason == "full":
        return app.t("full_today")
    if reason == "paused":
        return app.t("paused_today")
    nxt = getattr(state, "next_issue_at", None)
    if nxt is None:
        return app.t("closed_today")
    return app.t("opens_at", when=app.when(nxt))


class TopicScreen(VisitorScreen):
    CSS_PATH = "topics.tcss"

    def compose(self) -> ComposeResult:
        app = self.kiosk
        language = app.language()
        rtl, mode = language.rtl, app.config.site.rtl_mode
        self.set_class(rtl, "-rtl")
        yield label(app.t("choose_topic"), rtl=rtl, rtl_mode=mode, id="heading")
        # For visitors new to touch screens; shown where there is room (not at 24 rows).
        yield label(app.t("touch_hint"), rtl=rtl, rtl_mode=mode, id="touch-hint")
        choices: list[Widget] = [
            Choice(
                topic.id,
                n,
                topic_label(app.config, app.lang or "de", topic.id),
                topic_description(app.config, app.lang or "de", topic.id),
                rtl=rtl,
                rtl_mode=mode,
                id=f"topic-{topic.id}",
                classes="topic",
            )
            for n, topic in enumerate(app.config.topics[:9], start=1)
        ]
        if rtl:  # right-to-left readers start at the right: mirror the two columns
            if len(choices) % 2:
                choices.append(Static(classes="filler"))
            choices = [w for pair in zip(choices[1::2], choices[::2], strict=True) for w in pair]
        with Grid(id="topics"):
            yield from choices
        controls = [back_button(app), button(app, app.t("change_language"), "language")]
        with Horizontal(id="controls"):
            yield from reversed(controls) if rtl else controls

    def arrow_grid(self):
        choices = sorted(self.query(".topic").results(Choice), key=lambda c: c.digit)
        columns = self.query_one("#topics").styles.grid_size_columns or 1
        controls = sorted(self.query("#controls Button"), key=lambda b: b.region.x)
        return choices, columns, self.kiosk.language().rtl, controls

    def on_mount(self) -> None:
        self.availability_changed()
        choices = sorted(self.query(".topic").results(Choice), key=lambda c: c.digit)
        first = next((c for c in choices if c.available), None)
        if first is not None:
            first.focus()

    def availability_changed(self) -> None:
        app = self.kiosk
        now = app.now()
        lang = app.lang or "de"
        for choice in self.query(".topic").results(Choice):
            description = topic_description(app.config, lang, choice.value)
            try:
                state = app.topic_state(choice.value, now)
            except Exception:  # topic removed by a config reload: leave it as it was
                continue
            if state.issuing:
                choice.update(detail=description, available=True)
            else:
                why = f"{UNAVAILABLE} {unavailable_text(app, state)}"
                choice.update(
                    detail=f"{description}\n{why}" if description else why, available=False
                )

    @on(Choice.Selected, ".topic")
    def _chosen(self, event: Choice.Selected) -> None:
        self.kiosk.request_ticket(event.choice.value)

    def action_pick(self, n: int) -> None:
        for choice in self.query(".topic").results(Choice):
            if choice.digit == n:
                choice.select()

    def action_back(self) -> None:
        self.kiosk.start_over()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.kiosk.start_over()

    @on(Button.Pressed, "#language")
    def _language(self) -> None:
        self.kiosk.switch_language()
