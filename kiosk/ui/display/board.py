"""Board screen: the last called number and its desk very large, earlier calls below, the clock.

It shows ticket numbers and desk names only: never a topic, a language or anything else about a
visitor. A new call (or a recall) is highlighted for site.display.highlight_seconds and rings the
terminal bell when site.display.bell is set. With site.accessibility.call_aloud it is also called
aloud (a chime, "A-007, Raum 1"), and the spoken words are shown under the desk: with
call_in_visitor_language that line is in the visitor's language too.
"""

from __future__ import annotations

import time

from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from kiosk.core.i18n import text
from kiosk.core.tickets import State, Ticket
from kiosk.ui.display.previous_call import BLOCK_ROWS, PreviousCall, block_width
from kiosk.ui.display.scaled_number import ScaledNumber, drawable
from kiosk.ui.rtl import visual_line
from kiosk.ui.store_poll import Poke, poll_store

# Earlier calls in block font (large screens): two columns, this many cells apart.
BLOCK_COLUMNS = 2
BLOCK_GUTTER = 4
WIDEST_NUMBER = "W-000"  # W and M are the widest glyphs of the small font
# Earlier calls go to the block font from this screen height on (the README's "about 40
# rows"); the newest call must keep room for its caption, spoken line, number and desk at the
# large size (7 rows each) above them.
BLOCKS_MIN_HEIGHT = 40
CURRENT_MIN_ROWS = 1 + 1 + 2 * 7


def call_signature(ticket: Ticket) -> tuple:
    """What makes a call new: another ticket, or the same ticket called again (recall)."""
    return (ticket.day, ticket.number, ticket.called_at, ticket.recalls, ticket.desk)


class BoardScreen(Screen[None]):
    """Reads `recent_calls` in a thread worker whenever the store's change stamp moves."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Ticket] = []
        """The calls read, newest first (at most previous_calls + 1)."""
        self.current: Ticket | None = None
        """The call shown as "now calling"; None when the newest was withdrawn (see _deliver)."""
        self.refreshes = 0
        """How many reads have been shown (tests wait on it)."""
        self.highlights = 0
        """How many new calls were highlighted since start."""
        self.poke = Poke()
        self._seen: set[tuple] = set()
        self._fresh: dict[tuple, float] = {}
        """Signatures of new calls -> monotonic time their highlight ends (earlier calls too)."""
        self._loaded = False
        self._highlight_timer: Timer | None = None
        self.spoken: dict[tuple, list[str]] = {}
        """Signature of a call -> the lines spoken for it (the newest call's are shown)."""

    # -- layout ------------------------------------------------------------------------------
    @property
    def previous_count(self) -> int:
        return max(0, self.app.config.site.display.previous_calls)  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Horizontal(id="board-top"):
            yield Static(id="site-name")
            yield Static(id="clock")
        with Vertical(id="current"):
            yield Static(id="current-caption")
            yield ScaledNumber(id="current-number")
            yield ScaledNumber(id="current-desk")
            yield Static(id="current-spoken")
            yield Static(id="current-none")
        with Vertical(id="previous"):
            yield Static(id="previous-caption")
            with Grid(id="previous-grid"):
                for index in range(self.previous_count):
                    yield PreviousCall(id=f"previous-{index}", classes="previous-item")

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)
        self._show()
        self._poll()

    def on_unmount(self) -> None:
        self.poke.wake(force=False)

    async def config_changed(self) -> None:
        """Hot reload: the number of earlier calls or the names may have changed."""
        await self.recompose()
        self._tick()
        self._show()
        self.poke.wake()

    def _both(self, key: str) -> str:
        """A caption in the site's default staff language and English (the public reads it)."""
        config = self.app.config  # type: ignore[attr-defined]
        first = text(config, config.site.default_staff_language, "staff", key)
        second = text(config, "en", "staff", key)
        return first if first == second else f"{first} · {second}"

    def _desk_name(self, desk_id: str | None) -> str:
        config = self.app.config  # type: ignore[attr-defined]
        desk = config.desk(desk_id) if desk_id else None
        return desk.name if desk else (desk_id or "")

    # -- reading -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="display-poll", exit_on_error=False)
    def _poll(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        poll_store(
            get_current_worker(),
            self.app,
            store,
            lambda: store.recent_calls(self.previous_count + 1),
            self._deliver,
            self._store_failed,
            self.poke,
        )

    def _store_failed(self, error: Exception) -> None:
        # The public screen keeps the last calls; the log (store_poll) has the error.
        return None

    def _deliver(self, calls: list[Ticket]) -> None:
        self.calls = list(calls)
        signatures = [call_signature(ticket) for ticket in self.calls]
        new = [s for s in signatures if s not in self._seen] if self._loaded else []
        if new:
            # Two desks calling within one read: the older call goes straight below, and is
            # highlighted there too, or its visitor would only see someone else's number light up.
            settings = self.app.config.site.display  # type: ignore[attr-defined]
            seconds = max(1, settings.highlight_seconds)
            until = time.monotonic() + seconds
            self._fresh.update((signature, until) for signature in new)
            self.set_timer(seconds + 0.05, self._show)
            if signatures[0] in new:
                self._highlight(seconds)
            if settings.bell:
                self.app.bell()
            self._call_aloud(new)
        self.current = self._now_calling(new)
        self._seen.update(signatures)
        self._loaded = True
        self._show()
        self.refreshes += 1

    def _now_calling(self, new: list[tuple]) -> Ticket | None:
        """The newest call, unless it is an older call that came back to the top because the
        newer one was withdrawn (cancelled, transferred, reactivated, undone) and its visitor
        is no longer called: "now calling" must not go back to someone already served."""
        if not self.calls:
            return None
        head = self.calls[0]
        signature = call_signature(head)
        shown = call_signature(self.current) if self.current is not None else None
        if not self._loaded or signature in new or signature == shown:
            return head
        return head if head.state is State.CALLED else None

    def _call_aloud(self, new: list[tuple]) -> None:
        """Announce the new calls, the oldest first (their visitors waited longest)."""
        for ticket in reversed(self.calls):
            signature = call_signature(ticket)
            if signature in new:
                desk = self._desk_name(ticket.desk)
                self.spoken[signature] = self.app.announce_call(  # type: ignore[attr-defined]
                    ticket.number, desk, ticket.lang
                )
        shown = {call_signature(ticket) for ticket in self.calls}
        self.spoken = {key: lines for key, lines in self.spoken.items() if key in shown}

    def _highlight(self, seconds: float) -> None:
        self.highlights += 1
        current = self.query_one("#current")
        current.add_class("-new")
        if self._highlight_timer is not None:
            self._highlight_timer.stop()
        self._highlight_timer = self.set_timer(seconds, lambda: current.remove_class("-new"))

    # -- drawing -----------------------------------------------------------------------------
    def _tick(self) -> None:
        now = self.app.clock.now()  # type: ignore[attr-defined]
        self.query_one("#clock", Static).update(f"{now:%d.%m.%Y}  {now:%H:%M}")

    def _show(self) -> None:
        config = self.app.config  # type: ignore[attr-defined]
        self.query_one("#site-name", Static).update(config.site.name)
        self.query_one("#current-caption", Static).update(self._both("display_calling"))
        self.query_one("#previous-caption", Static).update(self._both("display_previous"))
        self.query_one("#previous").display = self.previous_count > 0
        number = self.query_one("#current-number", ScaledNumber)
        desk = self.query_one("#current-desk", ScaledNumber)
        none = self.query_one("#current-none", Static)
        spoken = self.query_one("#current-spoken", Static)
        spoken.display = False
        if self.current is not None:
            latest = self.current
            number.number = latest.number
            desk.number = drawable(self._desk_name(latest.desk))
            none.display = False
            lines = self.spoken.get(call_signature(latest))
            if lines:
                spoken.update(" · ".join(visual_line(line) for line in lines))
                spoken.display = True
            number.display = desk.display = True
        else:
            number.number = desk.number = ""
            number.display = desk.display = False
            none.display = True
            none.update(self._both("display_none"))
        now = time.monotonic()
        self._fresh = {key: until for key, until in self._fresh.items() if until > now}
        blocks = self._previous_in_blocks()
        self.query_one("#previous-grid").set_class(blocks, "-blocks")
        earlier = self.calls[1:] if self.current is not None else self.calls
        for index in range(self.previous_count):
            item = self.query_one(f"#previous-{index}", PreviousCall)
            item.blocks = blocks
            if index < len(earlier):
                ticket = earlier[index]
                item.number = ticket.number
                item.desk = self._desk_name(ticket.desk)
                item.set_class(call_signature(ticket) in self._fresh, "-new")
            else:
                item.number = item.desk = ""
                item.remove_class("-new")

    def _previous_in_blocks(self) -> bool:
        """Earlier calls in the block font: when every desk of the config fits a column and
        the newest call keeps room to be drawn at twice the large size. Decided from the
        config and the screen, not the calls shown, so the layout does not change per call."""
        count = self.previous_count
        width, height = self.size
        if count == 0 or not width or not height:
            return False
        columns = BLOCK_COLUMNS
        column_width = (width - 2 - BLOCK_GUTTER * (columns - 1)) // columns
        rows = -(-count // columns)
        previous_height = 2 + rows * BLOCK_ROWS + (rows - 1)  # border, caption, gutters
        if height < BLOCKS_MIN_HEIGHT or height - 1 - previous_height < CURRENT_MIN_ROWS:
            return False  # 1: the top line
        desks = self.app.config.desks  # type: ignore[attr-defined]
        widths = [block_width(WIDEST_NUMBER, desk.name) for desk in desks]
        return all(w is not None and w <= column_width for w in widths)

    def on_resize(self) -> None:
        self._show()

    def shown_text(self) -> list[str]:
        """Every text the board shows now, big numbers as their characters (for tests)."""
        parts = [str(static.render()) for static in self.query(Static)]
        parts += [big.number for big in self.query(ScaledNumber)]
        parts += [item.plain() for item in self.query(PreviousCall)]
        return parts
