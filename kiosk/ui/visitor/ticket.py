"""Ticket screen: the ticket very large with a QR note, or why none was issued.

The screen is built before the visitor taps: the app starts it off stage, in the visitor's
language, while the topic list is read (kiosk.ui.visitor.app). Its widgets then exist, styled,
with the texts every ticket of that language shares; what belongs to the ticket (number, topic,
people ahead, hours, code) is filled in when the issuing worker delivers, and the screen is
pushed with it: one layout and one frame, nothing composed at the tap. Each visit gets a screen
of its own, so nothing of an earlier visitor is in it.

When the store is slow the app pushes the screen early, saying "issuing", and the outcome
replaces that text when it comes. A storage fault shows "please ask the staff" in the visitor's
language and the kiosk carries on. Done (or the ticket timeout) starts over with fresh screens.
"""

from __future__ import annotations

import logging

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Button

from kiosk.core.errors import NotIssuing
from kiosk.core.i18n import localized, topic_label
from kiosk.core.qr import Matrix, cells_needed, choose_note
from kiosk.ui.visitor.issuing import Prepared, is_portrait, qr_room
from kiosk.ui.visitor.print_control import PRINT_ROWS, PrintControl
from kiosk.ui.visitor.screen import VisitorScreen
from kiosk.ui.visitor.text import back_button, button, hotline_lines, label, week_text
from kiosk.ui.visitor.topics import UNAVAILABLE, unavailable_text
from kiosk.ui.widgets.bidi_label import BidiLabel
from kiosk.ui.widgets.big_number import BigNumber
from kiosk.ui.widgets.qr_code import QrCode

log = logging.getLogger("kiosk.visitor")

QR_MESSAGE_WIDTH = 24
"""Columns for the "screen too small for the code" message."""


class TicketScreen(VisitorScreen):
    CSS_PATH = "ticket.tcss"
    IDLE = "ticket"

    _code_columns: dict[Size, int] = {}
    """Screen size -> the code's width on the last ticket at that size: a screen built ahead
    of the tap is laid out with it, so the text column already has the width it will have."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.topic_id: str | None = None
        """The topic tapped (set by the app at the tap)."""
        self.issued = None
        """The store's Issued result once the ticket exists."""
        self.failure: str | None = None
        """Why no ticket was issued, in the visitor's language (None while issuing or issued)."""
        self.refused = False
        """The store refused this topic (it stopped issuing a moment ago): choose another."""
        self.notes: list[str] = []
        self._outcome: Prepared | BaseException | None = None
        self.portrait = False
        """Whether the body was built for a portrait screen (the code under the text)."""
        self.leave_locked = False
        """True during the first seconds of a shown ticket: Done, Escape and taps do nothing."""
        self.filled = False
        """Whether this ticket's own content is in the widgets and shown."""
        self._lock_started = False

    @property
    def decided(self) -> bool:
        """Whether the outcome (a ticket or why not) is known."""
        return self.issued is not None or self.failure is not None

    def compose(self) -> ComposeResult:
        self.set_class(self.kiosk.language(self.lang).rtl, "-rtl")
        yield self._ticket_body()

    def on_mount(self) -> None:
        if self._outcome is not None:
            self._apply(self._outcome)
        elif not self.is_current:
            self.draw_off_stage()  # built ahead of the tap: see VisitorScreen.draw_off_stage

    def on_screen_resume(self) -> None:
        if self.filled:
            if not self._lock_started:  # not when a prompt on top of it closes: Textual draws that
                self.draw_now()  # first: the focus (below) redraws Done, in the next frame
            self._ticket_on_screen()

    def show_issuing(self) -> None:
        """Pushed before the outcome came (a slow store): say that the number is being made."""
        if not self.decided and not self.query("#waiting"):
            self.query_one("#ticket-body").display = False
            self.mount(Vertical(*self._waiting_content(), id="waiting"))

    def _ticket_on_screen(self) -> None:
        """The ticket is on screen (once per screen): the leave-lock's time starts, Done takes
        the focus when it is not locked."""
        if not self._lock_started:
            self._lock_started = True
            if self.leave_locked:
                seconds = self.kiosk.config.site.timeouts.ticket_lock_seconds
                self.set_timer(seconds, self.unlock_leaving, name="ticket-lock")
        self._focus_control()

    def _lock_leaving(self) -> None:
        """For ticket_lock_seconds after the ticket is shown nothing leaves it (Done greyed,
        Escape and taps ignored), so an Enter pressed "to be sure" right after the topic digit
        cannot hide a number that was stored and will be called. The lock starts anew with
        every ticket screen (every visitor); Done is greyed before the first frame."""
        if self.kiosk.config.site.timeouts.ticket_lock_seconds <= 0:
            return
        self.leave_locked = True
        for done in self.query("#done").results(Button):
            done.disabled = True

    def unlock_leaving(self) -> None:
        """The lock's time is up (its timer calls this): Done turns active and takes the focus."""
        self.leave_locked = False
        for done in self.query("#done").results(Button):
            done.disabled = False  # visibly active from now on
            done.focus()

    @property
    def _mode(self) -> str:
        return self.kiosk.config.site.rtl_mode

    def deliver(self, outcome: Prepared | BaseException) -> None:
        """The issuing worker's result: filled in at once if the screen is mounted, else when
        it is."""
        app = self.kiosk
        if isinstance(outcome, Prepared):
            self.issued = outcome.issued
            self.notes = outcome.notes
        elif isinstance(outcome, NotIssuing):
            self.failure = unavailable_text(app, outcome)
            self.refused = True
            log.info("not issued: %s", outcome)
        else:
            self.failure = app.t("storage_error", self.lang)
            log.error("issuing %s failed: %r", self.topic_id, outcome)
        self._outcome = outcome
        if self.is_mounted:
            self._apply(outcome)

    def _apply(self, outcome: Prepared | BaseException) -> None:
        if not isinstance(outcome, Prepared):
            # Hidden at once: the empty ticket must not be drawn while the reason is mounted.
            for body in self.query("#ticket-body"):
                body.display = False
            self.run_worker(self._show_failure(), group="show", exclusive=True)
        elif is_portrait(self.app.size) != self.portrait:
            # Turned since the body was built (a tablet rotated while the topics were read).
            self.run_worker(self._rebuild_and_fill(outcome), group="show", exclusive=True)
        else:
            self._fill(outcome)

    async def _show_failure(self) -> None:
        await self.query("#ticket-body, #waiting").remove()
        await self.mount(Vertical(*self._waiting_content(), id="waiting"))
        self._focus_control()

    async def _rebuild_and_fill(self, prepared: Prepared) -> None:
        await self.query_one("#ticket-body").remove()
        await self.mount(self._ticket_body())
        self._fill(prepared)

    def _focus_control(self) -> None:
        for control in self.query("#done, #back"):
            if control.focusable:  # a locked Done takes the focus when it unlocks
                control.focus()
            return

    # ---- what is shown --------------------------------------------------------------------

    def _waiting_content(self) -> list[Widget]:
        """The "issuing" line, or why no ticket was issued and the way on."""
        app = self.kiosk
        rtl = app.language(self.lang).rtl

        def text(content: str, id: str) -> Widget:
            return label(content, rtl=rtl, rtl_mode=self._mode, id=id)

        if self.refused:
            # The topic stopped issuing between the list and the tap (last-ticket time, limit,
            # paused): say which topic and why, marked as on its card, and let the visitor
            # choose again; "from Wednesday 12:30" alone would not say what happened.
            return [
                text(topic_label(app.config, self.lang, self.topic_id or ""), id="failure-topic"),
                text(f"{UNAVAILABLE} {self.failure or ''}", id="failure"),
                back_button(app, self.lang),
            ]
        if self.failure is not None:
            return [
                text(self.failure, id="failure"),
                button(app, app.t("done", self.lang), "done", self.lang),
            ]
        return [text(app.t("issuing", self.lang), id="issuing")]

    def _ticket_body(self) -> Widget:
        """The ticket's widgets with the texts every ticket in this language shares; `_fill`
        puts this ticket's own in (the layout of the screen size now)."""
        app = self.kiosk
        config = app.config
        lang = self.lang
        rtl = app.language(lang).rtl
        mode = self._mode

        def text(content: str = "", id: str | None = None) -> BidiLabel:
            return label(content, rtl=rtl, rtl_mode=mode, id=id)

        site = config.site
        hotline_line, reachable, reachable_now = hotline_lines(app, lang, app.now())
        floor = localized(site.floor, lang) if site.floor else ""
        address = ", ".join(part for part in (site.address, floor) if part)
        info = Vertical(
            text(app.t("your_number", lang), id="your-number"),
            BigNumber(id="number"),
            text(id="topic"),
            text(id="ahead"),
            # What to do now follows the number and the queue: it is what the visitor
            # needs next. "Reachable now" sits right under the hotline it is about.
            text(app.t("what_now", lang), id="what-now"),
            # Filled in again with the ticket; the same now, as a rule, so drawn ahead.
            text(hotline_line, id="hotline"),
            self._reachable_line(text(reachable, id="hotline-now"), reachable_now),
            text(f"{app.t('address', lang)}: {address}", id="address"),
            text(id="hours"),
            text(
                app.t("qr_hint_status" if site.status.enabled else "qr_hint", lang),
                id="qr-hint",
            ),
            self._done_button(),
            id="info",
        )
        code = QrCode((), app.t("qr_too_small", lang), rtl=rtl, rtl_mode=mode, id="qr")
        # Not everyone has a smartphone: under the code, the other way to keep the number.
        note = text(app.t("note_number", lang), id="note-number")
        qr_side = Vertical(code, note, id="qr-side")
        self.portrait = is_portrait(app.size)
        columns = self._code_columns.get(app.size)
        if columns is not None and not self.portrait:
            qr_side.styles.width = columns
        if self.portrait:
            # A portrait screen: narrow and tall, the code under the text (ticket.tcss).
            body = Vertical(info, qr_side, id="ticket-body", classes="-portrait")
        else:
            # Right-to-left readers start at the right: the code goes to the left of the text.
            body = Horizontal(*([qr_side, info] if rtl else [info, qr_side]), id="ticket-body")
        return body

    def _done_button(self) -> Button:
        """Done, greyed from the start when leaving is locked at first (`_lock_leaving`): a
        style changed at the tap would be drawn anew at the tap."""
        app = self.kiosk
        done = button(app, app.t("done", self.lang), "done", self.lang)
        done.disabled = app.config.site.timeouts.ticket_lock_seconds > 0
        return done

    def _fill(self, prepared: Prepared) -> None:
        """Put this ticket into the widgets and show them, the code at its final width."""
        app = self.kiosk
        config = app.config
        issued = prepared.issued
        ticket = issued.ticket
        lang = self.lang
        now = app.now()
        ahead = (
            app.t("people_ahead", lang, n=issued.people_ahead)
            if issued.people_ahead
            else app.t("nobody_ahead", lang)
        )
        if issued.people_ahead:
            wait = issued.wait_range
            told = (
                app.t("wait_range", lang, low=wait[0], high=wait[1])
                if wait is not None
                else app.t("wait_unknown", lang)
            )
            # A line of its own: wrapped after "ahead" it could tear "15–30" from "Minuten".
            ahead = f"{ahead}\n{told}"
        topic = config.topic(ticket.topic)
        hours = week_text(app, topic.schedule, lang) if topic else ""
        hotline_line, reachable, reachable_now = hotline_lines(app, lang, now)

        def put(id: str, content: str) -> BidiLabel:
            widget = self.query_one(f"#{id}", BidiLabel)
            widget.update(content)
            return widget

        self.query_one("#number", BigNumber).number = ticket.number
        put("topic", topic_label(config, lang, ticket.topic) if topic else ticket.topic_label)
        put("ahead", ahead)
        put("hotline", hotline_line)
        self._reachable_line(put("hotline-now", reachable), reachable_now)
        put("hours", f"{app.t('hours', lang)}: {hours}" if hours else "")
        self.query_one("#qr", QrCode).set_notes(prepared.notes)
        qr_side = self.query_one("#qr-side")
        if app.printing.mode:
            # The printer's control goes under the code, which then picks a note for fewer
            # rows: the text column has no row to spare at 80x24.
            rtl = app.language(lang).rtl
            qr_side.mount(PrintControl(issued, lang, rtl, self._mode))
        if not self.portrait:
            size = app.size
            columns = self._qr_columns(
                size, prepared.qr if size == prepared.size and not app.printing.mode else None
            )
            qr_side.styles.width = columns
            self._code_columns[size] = columns
        self.query("#waiting").remove()  # the "issuing" line of a slow store
        body = self.query_one("#ticket-body")
        if not body.display:  # hidden while "issuing" showed; set anew, its lines are redrawn
            body.display = True
        self._lock_leaving()
        self.filled = True
        if self.is_current:
            self._ticket_on_screen()

    @staticmethod
    def _reachable_line(line: BidiLabel, reachable_now: bool) -> BidiLabel:
        """ "Reachable now" in green, or when it is reachable again."""
        line.set_class(reachable_now, "-yes")
        line.set_class(not reachable_now, "-no")
        return line

    def _qr_columns(self, size: Size, chosen: tuple[str, Matrix] | None = None) -> int:
        """The width of the largest note's code that fits beside the essentials."""
        room, height = qr_room(size)
        if self.kiosk.printing.mode:
            height -= PRINT_ROWS
        if chosen is None:
            chosen = choose_note(self.notes, room, height)
        return cells_needed(len(chosen[1]))[0] if chosen else min(room, QR_MESSAGE_WIDTH)

    def on_resize(self) -> None:
        if self.notes and not self.portrait:  # portrait: full width under the text (tcss)
            for side in self.query("#qr-side"):
                side.styles.width = self._qr_columns(self.size)

    # ---- input ----------------------------------------------------------------------------

    @on(Button.Pressed, "#done")
    def _done(self) -> None:
        if not self.leave_locked:
            self.kiosk.start_over()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.kiosk.back_to_topics()

    def action_back(self) -> None:
        # Escape ends the visit once the outcome is on screen; while issuing it waits.
        # After a refusal it goes back to the topics, like the back control.
        if self.refused:
            self.kiosk.back_to_topics()
        elif self.decided and not self.leave_locked:
            self.kiosk.start_over()
