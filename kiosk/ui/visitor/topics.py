"""Topic screen: every topic with its digit, label and one-line description in the chosen language.

Topics that issue no tickets now stay listed but marked, with when they issue next ("heute ab
13:00", "Donnerstag 13:00") or that the numbers for today are gone. The list refreshes with the
app's availability loop. Escape or the one back control (change language) start over.

One screen per language is built off stage once (kiosk.ui.visitor.app) and shown again to every
visitor of that language: `begin_visit` clears what the last one left (focus, the hint line's
notice) and fills in the availability of the moment before the screen is drawn.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Static

from kiosk.core.i18n import topic_description, topic_label
from kiosk.ui.visitor.choice import Choice
from kiosk.ui.visitor.screen import VisitorScreen
from kiosk.ui.visitor.text import back_button, label
from kiosk.ui.widgets.bidi_label import BidiLabel

UNAVAILABLE = "✕"
NOTICE_SECONDS = 6.0
"""How long the hint line says why a tapped topic cannot be chosen, before the hint returns."""


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

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.built_with = self.kiosk.config
        """The config this screen was built with: the app builds a new one after a change."""
        self._notice_timer: Timer | None = None
        self._new_visit = False
        """Set by begin_visit until the screen is shown."""

    def compose(self) -> ComposeResult:
        app = self.kiosk
        lang = self.lang
        rtl, mode = app.language(lang).rtl, app.config.site.rtl_mode
        self.set_class(rtl, "-rtl")
        yield label(app.t("choose_topic", lang), rtl=rtl, rtl_mode=mode, id="heading")
        # For visitors new to touch screens, at every size; a tapped closed topic says here
        # when it issues next.
        yield label(app.t("touch_hint", lang), rtl=rtl, rtl_mode=mode, id="touch-hint")
        choices: list[Widget] = [
            Choice(
                topic.id,
                n,
                topic_label(app.config, lang, topic.id),
                topic_description(app.config, lang, topic.id),
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
        # One way back: to the language choice ("back" and "change language" did the same).
        with Horizontal(id="controls"):
            yield back_button(app, lang, key="change_language")

    def arrow_grid(self):
        choices = sorted(self.query(".topic").results(Choice), key=lambda c: c.digit)
        columns = self.query_one("#topics").styles.grid_size_columns or 1
        controls = sorted(self.query("#controls Button"), key=lambda b: b.region.x)
        return choices, columns, self.kiosk.language(self.lang).rtl, controls

    def on_mount(self) -> None:
        if self.is_current:
            self.availability_changed()
        else:
            self.draw_off_stage()

    def begin_visit(self) -> None:
        """Before this screen is shown to a visitor: nothing focused (VisitorScreen.AUTO_FOCUS:
        Enter pressed "to be sure" after the language digit must not issue a ticket for a
        topic the visitor never chose), no notice of an earlier visitor's tap, the
        availability of now."""
        self.set_focus(None, scroll_visible=False)
        if self._notice_timer is not None:
            self._notice_timer.stop()
            self._end_notice()
        self.scroll_home(animate=False)
        self.availability_changed()
        self._new_visit = True

    def on_screen_resume(self) -> None:
        if self._new_visit:
            # Shown to a new visitor: drawn at once. Not when a screen on top of it closes
            # (the ticket at the visit's end: the language screen follows at once, and this
            # list drawn in between would flash up).
            self._new_visit = False
            self.draw_now()

    COMPACT_ROWS = 30
    """Below this many rows a closed topic shows only when it issues next (not its
    description), and every card at most COMPACT_LINES lines: all eight fit 80x24."""
    COMPACT_LINES = 3

    def availability_changed(self) -> None:
        app = self.kiosk
        now = app.now()
        lang = self.lang
        compact = 0 < self.size.height < self.COMPACT_ROWS
        issuing = 0
        for choice in self.query(".topic").results(Choice):
            description = topic_description(app.config, lang, choice.value)
            try:
                state = app.topic_state(choice.value, now)
            except Exception:  # topic removed by a config reload: leave it as it was
                continue
            choice.max_lines = self.COMPACT_LINES if compact else None
            if state.issuing:
                issuing += 1
                choice.update(detail=description, available=True)
            else:
                why = f"{UNAVAILABLE} {unavailable_text(app, state)}"
                detail = why if compact or not description else f"{description}\n{why}"
                choice.update(detail=detail, available=False)
        if issuing == 0 and self.is_current:
            # Nothing can be chosen any more (the last topics just stopped issuing): the
            # closed screen says when and where help is, instead of a wall of ✕.
            app.topics_closed_while_choosing()

    def on_resize(self) -> None:
        if self.is_current:  # off stage: `begin_visit` fills it in before it is shown
            self.availability_changed()

    @on(Choice.Selected, ".topic")
    def _chosen(self, event: Choice.Selected) -> None:
        self.kiosk.request_ticket(event.choice.value)

    @on(Choice.Unavailable, ".topic")
    def _not_now(self, event: Choice.Unavailable) -> None:
        """A digit or tap on a topic that issues nothing now: say so, and when it issues next,
        in the hint line (no ticket, no other screen, nothing moves)."""
        app = self.kiosk
        topic_id = event.choice.value
        try:
            why = unavailable_text(app, app.topic_state(topic_id, app.now()))
        except Exception:  # topic removed by a config reload a moment ago
            return
        name = topic_label(app.config, self.lang, topic_id)
        hint = self.query_one("#touch-hint", BidiLabel)
        hint.update(f"{UNAVAILABLE} {name}: {why}")
        hint.add_class("-notice")
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(NOTICE_SECONDS, self._end_notice)

    def _end_notice(self) -> None:
        self._notice_timer = None
        hint = self.query_one("#touch-hint", BidiLabel)
        hint.update(self.kiosk.t("touch_hint", self.lang))
        hint.remove_class("-notice")

    def action_pick(self, n: int) -> None:
        for choice in self.query(".topic").results(Choice):
            if choice.digit == n:
                choice.select()

    def action_back(self) -> None:
        self.kiosk.start_over()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.kiosk.start_over()
