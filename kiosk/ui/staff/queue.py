"""Queue screen: today's tickets for one desk, updated by itself, with every staff action on a key."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual._two_way_dict import TwoWayDict
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from kiosk.core.errors import IllegalTransition, KioskError, UnknownDesk
from kiosk.core.i18n import topic_label
from kiosk.core.notices import staff_notices
from kiosk.core.queue import availability
from kiosk.core.tickets import TRANSITIONS, State, Ticket
from kiosk.ui.staff.choice_dialog import ChoiceDialog
from kiosk.ui.staff.desk_topics_dialog import DeskTopicsDialog
from kiosk.ui.staff.filter_dialog import FilterDialog, TicketFilter
from kiosk.ui.staff.key_bar import KeyBar
from kiosk.ui.staff.language_dialog import LanguageDialog
from kiosk.ui.staff.pause_dialog import PauseDialog
from kiosk.ui.staff.status_line import StatusLine
from kiosk.ui.staff.texts import (
    STATE_STYLE,
    STATE_SYMBOL,
    action_word,
    called_elsewhere,
    desk_name,
    error_text,
    language_name,
    language_short,
    sort_key,
    state_cell,
    state_label,
    translate_bindings,
    waited_minutes,
)
from kiosk.ui.staff.ticket_table import TicketTable
from kiosk.ui.staff.transfer_dialog import TransferDialog
from kiosk.ui.store_poll import Poke, poll_store

log = logging.getLogger("kiosk.staff")

STATS_MODULE = "kiosk.ui.staff.stats_screen"

COLUMNS = ("number", "topic", "lang", "state", "wait", "desk")
CELL_PADDING = 2  # DataTable puts one cell of padding on each side of every column
TOPIC_MIN = 10
NAME_MAX = 15  # language and desk names longer than this are cut ("Persian (Farsi)")
FINAL_DIM = {State.DONE, State.CANCELLED, State.EXPIRED, State.UNRESOLVED}
CHECK_MARK = "!"  # after the number of a ticket salvaged with an unreadable field


class QueueScreen(Screen[None]):
    """The desk's main screen. Every store call runs in a thread worker; results come back here."""

    # Descriptions are staff keys, replaced by the staff language's words at construction.
    BINDINGS = [
        Binding("n", "call_next", "key_call_next", id="staff.call_next"),
        Binding("l", "call_language", "key_call_language", id="staff.call_language"),
        Binding("c", "call_selected", "key_call_selected", id="staff.call_selected"),
        Binding("r", "recall", "key_recall", id="staff.recall"),
        Binding("d", "done", "key_done", id="staff.done"),
        Binding("x", "no_show", "key_no_show", id="staff.no_show"),
        Binding("a", "reactivate", "key_reactivate", id="staff.reactivate"),
        Binding("t", "transfer", "key_transfer", id="staff.transfer"),
        Binding("delete", "cancel_ticket", "key_cancel", key_display="Del", id="staff.cancel"),
        Binding("u", "undo", "key_undo", id="staff.undo"),
        Binding("p", "pause", "key_pause", id="staff.pause"),
        Binding("k", "desk_topics", "key_desk_topics", id="staff.desk_topics"),
        Binding("f", "filter", "key_filter", id="staff.filter"),
        Binding("s", "stats", "key_stats", id="staff.stats"),
        Binding("q", "app.request_quit", "key_quit", id="staff.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.app.t)  # type: ignore[attr-defined]
        self.snapshot: Any = None
        self._to_check: frozenset[str] = frozenset()  # numbers salvaged with a field unreadable
        """The last DaySnapshot read from the store (None until the first read)."""
        self.tickets: dict[str, Ticket] = {}
        self.filter = TicketFilter()
        self.busy = False
        """True while an action's store call runs; further action keys wait for it."""
        self.refreshes = 0
        """How many snapshots have been shown (tests wait on it)."""
        self.poke = Poke()
        self._focus_number: str | None = None
        self._pinned: str | None = None
        """A selected ticket the filter does not admit (say another desk called it while the
        filter shows waiting ones only). It stays in the table under the cursor until the cursor
        leaves it: the row must not vanish and leave the cursor on a neighbour just as a key is
        pressed."""
        self._unpin = False
        self._held: tuple[str | None, tuple | None] = (None, None)
        """The ticket under the cursor that keeps its row's place, and that place's sort key."""
        self._shown: dict[str, tuple[Text, ...]] | None = None
        """The rows in the table now, in order (None: refill it at the next render)."""
        self._cell_cache: dict[str, tuple[Ticket, tuple[int | None, bool], tuple[Text, ...]]] = {}
        self._sort_keys: dict[str, tuple] = {}
        """Row order per ticket number, kept with its cells (see _cells)."""
        self._to_top = False
        """Put the cursor on the head of the queue at the next render (after a call)."""
        self._topic_width = 0
        self._minute: tuple[int, int] | None = None
        self._has_stats = importlib.util.find_spec(STATS_MODULE) is not None
        self._my_changes: set[str] = set()
        """Numbers this desk is changing itself: their leaving "my visitor" is no news."""

    # -- shortcuts ---------------------------------------------------------------------------
    @property
    def desk_id(self) -> str:
        return self.app.desk_id  # type: ignore[attr-defined]

    def t(self, key: str, **values: object) -> str:
        return self.app.t(key, **values)  # type: ignore[attr-defined]

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="top"):
            with Horizontal(id="top-line"):
                yield Static(id="desk-line")
                yield Static(id="clock")
            yield Static(id="summary")
            yield Static(id="mine")
        yield StatusLine(id="status-line")
        yield TicketTable(id="tickets", cursor_type="row", zebra_stripes=False)
        yield Static(id="filter-line")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.query_one(StatusLine).show(self.app.warnings)  # type: ignore[attr-defined]
        self._build_columns()
        self._render_all()
        self._tick()
        self.set_interval(1.0, self._tick)
        self.query_one("#tickets", DataTable).focus()
        self._poll()

    def on_unmount(self) -> None:
        self.poke.wake(force=False)  # let the poll thread see its cancellation now

    def on_resize(self) -> None:
        if self._wanted_topic_width() != self._topic_width:
            self._build_columns()
            self._render_all(force=True)

    def config_changed(self) -> None:
        """The app's config was replaced (hot reload): redraw everything in its words."""
        translate_bindings(self, self.app.t)  # type: ignore[attr-defined]
        self.refresh_bindings()
        self._build_columns()
        self._render_all(force=True)

    def _fixed_widths(self) -> dict[str, int]:
        """Widths of every column but the topic's, from the longest thing each can show."""
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        longest = {
            "number": 5 + len(CHECK_MARK),
            "lang": max(
                (cell_len(language_short(config, c, lang)) for c in config.languages), default=2
            ),
            "state": max(
                cell_len(str(state_cell(config, lang, s, by_visitor=True))) for s in State
            ),
            "wait": cell_len(self.t("minutes", minutes=999)),
            "desk": max((cell_len(d.name) for d in config.desks), default=4),
        }
        widths = {}
        for key, width in longest.items():
            if key in ("lang", "desk"):
                width = min(width, NAME_MAX)
            widths[key] = max(width, cell_len(self.t(f"col_{key}")))
        return widths

    def _wanted_topic_width(self) -> int:
        """The room left by the other columns, but no wider than the longest topic label: on a
        wide screen a stretched topic column pushes language and state far from the number."""
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        fixed = sum(self._fixed_widths().values()) + CELL_PADDING * len(COLUMNS)
        width = self.size.width or self.app.size.width or 80
        longest = max(
            (cell_len(topic_label(config, lang, topic.id)) for topic in config.topics),
            default=TOPIC_MIN,
        )
        longest = max(longest, cell_len(self.t("col_topic")))
        return max(TOPIC_MIN, min(longest, width - fixed - 2))  # 2: the scrollbar

    def _build_columns(self) -> None:
        table = self.query_one("#tickets", DataTable)
        table.clear(columns=True)
        self._shown = None
        self._cell_cache.clear()
        self._topic_width = self._wanted_topic_width()
        widths = {**self._fixed_widths(), "topic": self._topic_width}
        for key in COLUMNS:
            table.add_column(self.t(f"col_{key}"), width=widths[key], key=key)

    # -- reading the store -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="staff-poll", exit_on_error=False)
    def _poll(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        poll_store(
            get_current_worker(),
            self.app,
            store,
            store.snapshot,
            self._deliver,
            self._store_failed,
            self.poke,
        )

    def _deliver(self, snapshot: Any) -> None:
        before = self.own_calls()
        self.snapshot = snapshot
        self.tickets = {ticket.number: ticket for ticket in snapshot.tickets}
        salvaged = getattr(snapshot, "salvaged", ())
        self._to_check = frozenset(salvaged[-1].get("check") or ()) if salvaged else frozenset()
        self._show_notices()
        self._tell_own_calls_changed(before)
        self._render_all()
        self.refreshes += 1

    def _show_notices(self) -> None:
        """The store's notices for staff (damaged day file, clock behind) on the status line."""
        if self.snapshot is None:
            return
        app = self.app
        now = app.clock.now()  # type: ignore[attr-defined]
        for key, message in staff_notices(app.config, app.lang, self.snapshot, now).items():  # type: ignore[attr-defined]
            app.set_warning(key, message)  # type: ignore[attr-defined]

    def _tell_own_calls_changed(self, before: list[Ticket]) -> None:
        """Another desk finished, cancelled or moved this desk's visitor (after confirming):
        say so here, or the call would just vanish from "my visitor"."""
        if self.busy:  # this desk's own action is under way: its result says what happened
            return
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        for ticket in before:
            now = self.tickets.get(ticket.number)
            if now is not None and now.state == State.CALLED and now.desk == self.desk_id:
                continue
            if ticket.number in self._my_changes:
                self._my_changes.discard(ticket.number)
                continue
            state = state_label(config, lang, now.state) if now is not None else "–"
            self.notify(
                self.t("own_call_changed", number=ticket.number, state=state),
                severity="warning",
                timeout=10,
            )

    def _store_failed(self, error: Exception) -> None:
        self.notify(error_text(self.app.config, self.app.lang, error), severity="error", timeout=8)  # type: ignore[attr-defined]

    def _tick(self) -> None:
        now = self.app.clock.now()  # type: ignore[attr-defined]
        self.query_one("#clock", Static).update(now.strftime("%H:%M"))
        minute = (now.hour, now.minute)
        if minute != self._minute:
            self._minute = minute
            self._show_notices()  # the clock may have been set right (or back) since
            self._render_all()

    # -- drawing -----------------------------------------------------------------------------
    def _render_all(self, force: bool = False) -> None:
        if force:
            self._shown = None
            self._cell_cache.clear()
        self._render_header()
        self._render_table()
        self._render_filter_line()

    def _render_header(self) -> None:
        app = self.app
        config = app.config  # type: ignore[attr-defined]
        desk = config.desk(self.desk_id)
        letters = {topic.id: topic.letter for topic in config.topics}
        desk_topics = self.desk_topics()
        changed_today = bool(desk) and desk_topics != tuple(desk.topics)
        line = Text()
        line.append(desk.name if desk else self.desk_id, style="bold")
        if desk is None:  # removed from desks.toml while this app runs: say so before a key fails
            lang = app.lang  # type: ignore[attr-defined]
            line.append(
                "  " + error_text(config, lang, UnknownDesk(self.desk_id)), style="bold red"
            )
        line.append(f"  {' '.join(letters.get(tid, tid) for tid in desk_topics)}")
        if changed_today:
            line.append(" " + self.t("desk_topics_today"), style="bold")
        line.append(f"  ·  {config.site.name}", style="dim")
        self.query_one("#desk-line", Static).update(line)

        summary = Text()
        summary.append(self.t("waiting_label") + " ", style="bold")
        paused = self.snapshot.paused if self.snapshot is not None else frozenset()
        waiting = [ticket for ticket in self.tickets.values() if ticket.state == State.WAITING]
        counts: dict[str, int] = {}
        for ticket in waiting:
            counts[ticket.topic] = counts.get(ticket.topic, 0) + 1
        for topic in config.topics:
            count = counts.get(topic.id, 0)
            mine = topic.id in desk_topics
            if not (count or mine or topic.id in paused):
                continue  # nobody waits there: the line stays one row at 80 columns
            summary.append(f" {topic.letter} {count}", style="bold" if mine else "")
            if topic.id in paused:
                summary.append(" ⏸", style="bold red")
        summary.append("   ")
        now = app.clock.now()  # type: ignore[attr-defined]
        if waiting:
            first = min(waiting, key=lambda ticket: (ticket.issued_at, ticket.seq))
            minutes = waited_minutes(first, now) or 0
            summary.append(
                self.t("longest_wait", minutes=minutes, number=first.number), style="bold"
            )
        else:
            summary.append(self.t("nobody_waiting"), style="dim")
        self.query_one("#summary", Static).update(summary)
        self._render_mine()

    def _call_line(self, ticket: Ticket) -> Text:
        """One of this desk's calls: number, topic, language, waited, when called."""
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        line = Text()
        line.append(
            f"{STATE_SYMBOL[State.CALLED]} {ticket.number}", style=STATE_STYLE[State.CALLED]
        )
        parts = [
            topic_label(config, lang, ticket.topic),
            language_name(config, ticket.lang, lang),
        ]
        minutes = waited_minutes(ticket, self.app.clock.now())  # type: ignore[attr-defined]
        if minutes is not None:
            parts.append(self.t("minutes", minutes=minutes))
        if ticket.called_at is not None:
            parts.append(self.t("my_visitor_called", time=ticket.called_at.strftime("%H:%M")))
        if ticket.recalls:
            parts.append(self.t("my_visitor_recalled", n=ticket.recalls))
        line.append("  " + " · ".join(parts))
        return line

    def _render_mine(self) -> None:
        """The "my visitor" panel: this desk's open calls, which d, x and r act on."""
        panel = Text(no_wrap=True)
        mine = self.own_calls()
        if not mine:
            panel.append(self.t("my_visitor") + " ", style="bold")
            panel.append(self.t("my_visitor_none"), style="dim")
        for index, ticket in enumerate(mine):
            if index:
                panel.append("\n")
            panel.append(self.t("my_visitor") + " ", style="bold")
            panel.append_text(self._call_line(ticket))
        self.query_one("#mine", Static).update(panel)

    def _cells(self, ticket: Ticket, now: Any) -> tuple[Text, ...]:
        """A ticket's row. Kept while the ticket (compared by value: another process's write
        makes new Ticket objects of unchanged documents) and, while it waits, its minutes are
        unchanged, so a refresh builds cells only for what changed."""
        waiting = ticket.state == State.WAITING
        minutes = waited_minutes(ticket, now) if waiting else None
        checked = ticket.number in self._to_check
        cached = self._cell_cache.get(ticket.number)
        if (
            cached is not None
            and cached[1] == (minutes, checked)
            and (cached[0] is ticket or cached[0] == ticket)
        ):
            return cached[2]
        if not waiting:
            minutes = waited_minutes(ticket, now)
        wait = self.t("minutes", minutes=minutes) if minutes is not None else ""
        # "!": salvaged from a damaged file with a field unreadable (check it)
        number = ticket.number + CHECK_MARK * checked
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        style = STATE_STYLE.get(ticket.state, "")
        other = "dim" if ticket.state in FINAL_DIM else ""
        label = topic_label(config, lang, ticket.topic)
        if config.topic(ticket.topic) is None:  # removed or renamed: keep the stored label
            label = ticket.topic_label or ticket.topic
        topic = Text(label, style=other, no_wrap=True)
        topic.truncate(self._topic_width, overflow="ellipsis")
        desk_style = "bold" if ticket.desk == self.desk_id else other
        cells = (
            Text(number, style=style),
            topic,
            Text(language_short(config, ticket.lang, lang), style=other),
            state_cell(config, lang, ticket.state, ticket.cancelled_by == "visitor"),
            Text(wait, style=other, justify="right"),
            Text(desk_name(config, ticket.desk), style=desk_style),
        )
        self._cell_cache[ticket.number] = (ticket, (minutes if waiting else None, checked), cells)
        self._sort_keys[ticket.number] = sort_key(ticket)
        return cells

    def _rows(
        self, pin: str | None = None, held: tuple[str | None, tuple | None] = (None, None)
    ) -> dict[str, tuple[Text, ...]]:
        """The table's rows in order: what the filter admits, and the ticket `pin` whatever
        its state; `held` = (number, sort key): that row sorts by the key it had."""
        now = self.app.clock.now()  # type: ignore[attr-defined]
        admits = self.filter.admits if self.filter.active else None
        cache, to_check, waiting = self._cell_cache, self._to_check, State.WAITING
        cells: dict[str, tuple[Text, ...]] = {}
        for ticket in self.tickets.values():
            number = ticket.number
            if admits is not None and not admits(ticket.topic, ticket.state) and number != pin:
                continue
            hit = cache.get(number)
            # the common case, inline: a finished or called ticket the store handed out again
            if (
                hit is not None
                and hit[0] is ticket
                and ticket.state is not waiting
                and hit[1][1] == (number in to_check)
            ):
                cells[number] = hit[2]
            else:
                cells[number] = self._cells(ticket, now)
        keys = self._sort_keys
        if held[0] is not None and held[1] is not None and held[0] in cells:
            keys = {**keys, held[0]: held[1]}
        return {number: cells[number] for number in sorted(cells, key=keys.__getitem__)}

    def _render_table(self) -> None:
        """Bring the table to the rows wanted, changing only rows that changed: added, removed
        and changed rows in place, one sort when the order moved. Refilling every row on every
        change made each refresh cost grow with the whole day (issue 13, finding 11)."""
        table = self.query_one("#tickets", DataTable)
        to_top, self._to_top = self._to_top, False
        keep = None if to_top else (self._focus_number or self.selected_number())
        focus, self._focus_number = self._focus_number, None
        pin = None if self._unpin else keep
        self._unpin = False
        if focus is not None or pin is None or pin != self._held[0]:
            self._held = (None, None)  # this desk's own action, or the cursor moved on
        if pin is not None and focus is None and self._held[0] is None and self._shown:
            # Another desk changed the ticket under the cursor (say, called it): its row keeps
            # its place (with its new state) until the cursor leaves it, so neither the cursor
            # nor the head of the queue jumps away, and a key pressed just then never lands on
            # the next visitor.
            self._held = (pin, self._sort_keys.get(pin))
        rows = self._rows(pin, self._held)
        ticket = self.tickets.get(pin) if pin else None
        admitted = ticket is None or self.filter.admits(ticket.topic, ticket.state)
        moved_away = self._held[0] is not None and self._sort_keys.get(pin) != self._held[1]
        self._pinned = None if admitted and not moved_away else pin
        old_row, old_scroll = table.cursor_row, table.scroll_y
        shown = self._shown
        if shown is None:  # first fill, new columns or a new filter
            table.clear()
            for key, cells in rows.items():
                table.add_row(*cells, key=key)
            moved = True
        else:
            moved = False
            for key in [key for key in shown if key not in rows]:
                table.remove_row(key)
                moved = True
            for key, cells in rows.items():
                before = shown.get(key)
                if before is None:
                    table.add_row(*cells, key=key)
                    moved = True
                elif before is not cells:
                    for column, old, new in zip(COLUMNS, before, cells, strict=True):
                        if old is not new and (old.plain != new.plain or old.style != new.style):
                            table.update_cell(key, column, new)
            order = list(rows)
            if moved or order != list(shown):
                _put_in_order(table, order)
                moved = True
        self._shown = rows
        if not rows:
            return
        if to_top:
            table.move_cursor(row=0, animate=False)
            table.scroll_to(y=0, animate=False, immediate=True)
            return
        if not moved and focus is None:
            return  # same rows in the same order: the cursor and the scroll stay as they are
        keys = list(rows)
        row = table.get_row_index(keep) if keep in rows else min(old_row, len(keys) - 1)
        if row != table.cursor_row or focus is not None:
            table.scroll_to(y=old_scroll, animate=False, immediate=True)
            # The view follows the cursor only after this desk's own action. When another desk
            # calls the ticket under the cursor, the cursor stays on it (a key pressed just then
            # never lands on the next visitor; acting on that call asks, naming the desk), but
            # the view stays where it was: the head of the queue does not scroll away.
            if focus is not None:
                table.move_cursor(row=row, animate=False, scroll=True)
            else:  # the same ticket at its new row; DataTable's watcher would scroll to it
                table.set_reactive(DataTable.cursor_coordinate, Coordinate(row, 0))
                table.refresh()

    def _render_filter_line(self) -> None:
        line = self.query_one("#filter-line", Static)
        line.display = self.filter.active
        if not self.filter.active:
            return
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        letters = {topic.id: topic.letter for topic in config.topics}
        parts = []
        if self.filter.topics is not None:
            parts.append(" ".join(sorted(letters.get(t, t) for t in self.filter.topics)) or "–")
        if self.filter.states is not None:
            parts.append(
                ", ".join(state_label(config, lang, s) for s in State if s in self.filter.states)
                or "–"
            )
        shown = self.query_one("#tickets", DataTable).row_count
        line.update(
            self.t("filter_active", what=" · ".join(parts), shown=shown, total=len(self.tickets))
        )

    # -- selection ---------------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#tickets")
    def _cursor_moved(self, event: DataTable.RowHighlighted) -> None:
        """The cursor left a pinned row: now the filter may hide it."""
        if self._pinned is not None and event.row_key.value != self._pinned:
            self._held = (None, None)
            self._render_table()  # unchanged rows (cursor back on the pin) draw nothing
            self._render_filter_line()

    def selected_number(self) -> str | None:
        table = self.query_one("#tickets", DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # the cursor is outside the rows while the table refills
            return None
        return key.value

    def select(self, number: str) -> None:
        """Put the cursor on a ticket (tests and after a call)."""
        table = self.query_one("#tickets", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(number), animate=False)
        except Exception:
            self._focus_number = number

    def _selected_ticket(self, action: str | None = None) -> Ticket | None:
        """The ticket under the cursor; None with a notification when there is none or the
        action cannot apply to its state (so the staff see why at once)."""
        number = self.selected_number()
        ticket = self.tickets.get(number) if number else None
        if ticket is None:
            self.notify(self.t("no_selection"), severity="warning")
            return None
        if action is not None:
            allowed, _ = TRANSITIONS[action]
            if ticket.state not in allowed:
                self._failed(
                    action,
                    IllegalTransition(ticket.number, action, ticket.state.value, ticket.desk),
                )
                return None
        return ticket

    def own_calls(self) -> list[Ticket]:
        """This desk's open calls, the earliest first ("my visitor")."""
        return sorted(
            (
                t
                for t in self.tickets.values()
                if t.state == State.CALLED and t.desk == self.desk_id
            ),
            key=lambda t: (t.called_utc, t.seq),
        )

    def _ask(self, title: str, choices: list[tuple[str, str]], then: Callable[[str], Any]) -> None:
        """A question as a list of answers; `then(answer)` unless Escape or "no"."""

        def answered(choice: str | None) -> None:
            if choice and choice != "no":
                then(choice)

        self.app.push_screen(ChoiceDialog(title, choices, self.t("dialog_hint")), answered)

    def _confirm_other_desk(
        self, ticket: Ticket, action: str, then: Callable[[str | None], Any]
    ) -> None:
        """`then(confirmed_desk)`: at once for a ticket that is not another desk's call,
        after a question naming that desk for one that is (a desk owns its visitor)."""
        if not called_elsewhere(ticket, self.desk_id):
            then(None)
            return
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        words = {
            "number": ticket.number,
            "desk": desk_name(config, ticket.desk),
            "action": action_word(config, lang, action),
        }
        owner = ticket.desk
        self._ask(
            self.t("confirm_other_title", **words),
            [("no", self.t("confirm_no")), ("yes", self.t("confirm_other_yes", **words))],
            lambda _answer: then(owner),
        )

    def _own_call_action(self, action: str) -> None:
        """d, x, r: the selected called ticket (another desk's after a question), otherwise
        this desk's own call (asking which when there are two)."""
        number = self.selected_number()
        selected = self.tickets.get(number) if number else None
        if selected is not None and selected.state == State.CALLED:
            self._confirm_other_desk(
                selected,
                action,
                lambda confirmed: self._store_action(action, selected.number, confirmed),
            )
            return
        mine = self.own_calls()
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        if not mine:
            self.notify(
                self.t("no_own_call", action=action_word(config, lang, action)),
                severity="warning",
                timeout=6,
            )
            return
        if len(mine) == 1:
            self._store_action(action, mine[0].number, None)
            return
        self._ask(
            self.t("which_call_title", action=action_word(config, lang, action)),
            [(ticket.number, self._call_line(ticket).plain) for ticket in mine],
            lambda chosen: self._store_action(action, chosen, None),
        )

    def _store_action(self, action: str, number: str, confirmed_desk: str | None) -> None:
        desk = self.desk_id
        self._my_changes.add(number)
        self._run(
            action,
            lambda store: getattr(store, action)(desk, number, confirmed_desk=confirmed_desk),
            number=number,
        )

    def _before_call(self, call: Callable[[Any], Any], **context: Any) -> None:
        """Run the call `call(store)`; while this desk has an open call, first ask what to do
        with it: finish it, or keep it open and call anyway (as counter systems do)."""
        desk = self.desk_id
        mine = self.own_calls()
        if not mine:
            self._run("call_next", call, **context)
            return
        config = self.app.config  # type: ignore[attr-defined]
        numbers = ", ".join(ticket.number for ticket in mine)
        choices = [
            (f"done:{ticket.number}", self.t("open_call_finish", number=ticket.number))
            for ticket in mine
        ]
        choices.append(("keep", self.t("open_call_keep", numbers=numbers)))

        def answered(choice: str) -> None:
            if choice == "keep":
                self._run("call_next", call, **context)
                return
            finish = choice.removeprefix("done:")
            self._my_changes.add(finish)

            def finish_then_call(store: Any) -> Any:
                store.done(desk, finish)
                return call(store)

            self._run("call_next", finish_then_call, **context)

        self._ask(
            self.t("open_call_title", desk=desk_name(config, desk), numbers=numbers),
            choices,
            answered,
        )

    # -- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stats":
            return self._has_stats
        return True

    def action_call_next(self) -> None:
        desk = self.desk_id
        self._before_call(lambda store: store.call_next(desk))

    def action_call_language(self) -> None:
        app = self.app
        config = app.config  # type: ignore[attr-defined]
        topics = set(self.desk_topics())
        waiting = [
            t for t in self.tickets.values() if t.state == State.WAITING and t.topic in topics
        ]
        if not waiting:  # an empty list to choose from would say nothing
            self.notify(self.t("nothing_waiting"), severity="warning", timeout=4)
            return

        def chosen(code: str | None) -> None:
            if code:
                desk_id = self.desk_id
                self._before_call(lambda store: store.call_next(desk_id, None, code), lang=code)

        app.push_screen(LanguageDialog(config, app.lang, waiting), chosen)  # type: ignore[attr-defined]

    def action_call_selected(self) -> None:
        ticket = self._selected_ticket("call")
        if ticket is None:
            return
        number, desk = ticket.number, self.desk_id
        self._before_call(lambda store: store.call(desk, number), number=number)

    def action_recall(self) -> None:
        self._own_call_action("recall")

    def action_done(self) -> None:
        self._own_call_action("done")

    def action_no_show(self) -> None:
        self._own_call_action("no_show")

    def action_reactivate(self) -> None:
        self._ticket_action(
            "reactivate", lambda store, desk, number: store.reactivate(desk, number)
        )

    def action_cancel_ticket(self) -> None:
        ticket = self._selected_ticket("cancel")
        if ticket is None:
            return
        number = ticket.number
        if called_elsewhere(ticket, self.desk_id):
            self._confirm_other_desk(
                ticket, "cancel", lambda confirmed: self._store_action("cancel", number, confirmed)
            )
            return
        self._ask(
            self.t("confirm_cancel_title", number=number),
            [("no", self.t("confirm_no")), ("yes", self.t("confirm_cancel_yes", number=number))],
            lambda _answer: self._store_action("cancel", number, None),
        )

    def action_transfer(self) -> None:
        ticket = self._selected_ticket("transfer")
        if ticket is None:
            return
        app = self.app
        number, desk = ticket.number, self.desk_id

        not_today = self.topics_not_issuing_today()

        def pick_topic(confirmed: str | None) -> None:
            def move(topic_id: str) -> None:
                self._my_changes.add(number)
                self._run(
                    "transfer",
                    lambda store: store.transfer(desk, number, topic_id, confirmed_desk=confirmed),
                    number=number,
                    topic=topic_id,
                )

            def chosen(topic_id: str | None) -> None:
                if not topic_id:
                    return
                if topic_id not in not_today:
                    move(topic_id)
                    return
                words = {
                    "number": number,
                    "topic": topic_label(app.config, app.lang, topic_id),  # type: ignore[attr-defined]
                }
                self._ask(
                    self.t("confirm_transfer_title", **words),
                    [
                        ("no", self.t("confirm_no")),
                        ("yes", self.t("confirm_transfer_yes", **words)),
                    ],
                    lambda _answer: move(topic_id),
                )

            app.push_screen(
                TransferDialog(app.config, app.lang, number, ticket.topic, not_today),  # type: ignore[attr-defined]
                chosen,
            )

        self._confirm_other_desk(ticket, "transfer", pick_topic)

    def topics_not_issuing_today(self) -> frozenset[str]:
        """Topics that issue no more numbers today (closed for the day, past the last-ticket
        time, full or paused): a ticket moved there would only wait until it expires."""
        if self.snapshot is None:
            return frozenset()
        app = self.app
        now = app.clock.now()  # type: ignore[attr-defined]
        hours = getattr(app.store, "hours", None)  # type: ignore[attr-defined]
        if hours is None:
            return frozenset()
        states = availability(app.config, hours, self.snapshot, now)  # type: ignore[attr-defined]
        return frozenset(
            topic
            for topic, state in states.items()
            if not state.issuing
            and (state.next_issue_at is None or state.next_issue_at.date() != now.date())
        )

    def desk_topics(self) -> tuple[str, ...]:
        """The topics n calls from at this desk: today's choice (k), else desks.toml's."""
        chosen = getattr(self.snapshot, "desk_topics", None) or {}
        if chosen.get(self.desk_id):
            return tuple(chosen[self.desk_id])
        desk = self.app.config.desk(self.desk_id)  # type: ignore[attr-defined]
        return tuple(desk.topics) if desk else ()

    def action_desk_topics(self) -> None:
        app = self.app
        desk = self.desk_id

        def chosen(topics: tuple[str, ...] | None) -> None:
            if topics:
                self._run(
                    "desk_topics", lambda store: store.set_desk_topics(desk, topics), desk=desk
                )

        app.push_screen(
            DeskTopicsDialog(app.config, app.lang, desk, self.desk_topics()),  # type: ignore[attr-defined]
            chosen,
        )

    def action_undo(self) -> None:
        desk = self.desk_id
        self._run("undo", lambda store: store.undo(desk))

    def action_pause(self) -> None:
        app = self.app
        paused = self.snapshot.paused if self.snapshot is not None else frozenset()

        def chosen(topic_id: str | None) -> None:
            if not topic_id:
                return
            if topic_id in paused:
                self._run("resume", lambda store: store.resume(topic_id), topic=topic_id)
            else:
                self._run("pause", lambda store: store.pause(topic_id), topic=topic_id)

        app.push_screen(PauseDialog(app.config, app.lang, paused), chosen)  # type: ignore[attr-defined]

    def action_filter(self) -> None:
        app = self.app

        def chosen(new: TicketFilter | None) -> None:
            if new is not None:
                self.filter = new
                self._unpin = True  # a new filter applies to the selected ticket too
                self._render_all(force=True)

        app.push_screen(FilterDialog(app.config, app.lang, self.filter), chosen)  # type: ignore[attr-defined]

    def action_stats(self) -> None:
        app = self.app
        try:
            module = importlib.import_module(STATS_MODULE)
        except ModuleNotFoundError:
            return
        app.push_screen(module.StatsScreen(app.config, app.store, app.lang))  # type: ignore[attr-defined]

    # -- running an action -------------------------------------------------------------------
    def _ticket_action(self, action: str, operation: Callable[[Any, str, str], Any]) -> None:
        ticket = self._selected_ticket(action)
        if ticket is None:
            return
        number, desk = ticket.number, self.desk_id
        self._run(action, lambda store: operation(store, desk, number), number=number)

    def _run(self, action: str, operation: Callable[[Any], Any], **context: Any) -> None:
        if self.busy:  # one store call at a time per desk: a double press calls one ticket
            self.app.bell()
            return
        self.busy = True
        self._action_worker(action, operation, context)

    @work(thread=True, group="staff-action", exit_on_error=False)
    def _action_worker(
        self, action: str, operation: Callable[[Any], Any], context: dict[str, Any]
    ) -> None:
        app = self.app
        try:
            result = operation(app.store)  # type: ignore[attr-defined]
        except KioskError as error:  # a refusal the staff read on screen: no traceback
            log.info("desk %s: %s refused: %s", self.desk_id, action, error)
            app.call_from_thread(self._failed, action, error)
        except OSError as error:
            log.warning("desk %s: %s failed: %s", self.desk_id, action, error)
            app.call_from_thread(self._failed, action, error)
        except Exception as error:  # a bug must not end the staff app
            log.exception("staff action %s failed", action)
            app.call_from_thread(self._failed, action, error)
        else:
            app.call_from_thread(self._succeeded, action, result, context)
        finally:
            self.poke.wake()

    def _failed(self, action: str, error: Exception) -> None:
        self.busy = False
        config, lang = self.app.config, self.app.lang  # type: ignore[attr-defined]
        self.notify(error_text(config, lang, error), severity="error", timeout=6)

    def _succeeded(self, action: str, result: Any, context: dict[str, Any]) -> None:
        self.busy = False
        app = self.app
        config, lang = app.config, app.lang  # type: ignore[attr-defined]
        number = context.get("number")
        if isinstance(result, Ticket):
            number = result.number
        if action == "call_next" and result is None:
            code = context.get("lang")
            message = (
                self.t("nothing_waiting_lang", language=language_name(config, code, lang))
                if code
                else self.t("nothing_waiting")
            )
            self.notify(message, severity="warning", timeout=4)
            return
        if isinstance(result, Ticket) and result.number in self.tickets:
            # Show the stored result at once, so the next key acts on the new state; the poll
            # brings the whole snapshot right after.
            self.tickets[result.number] = result
        if action == "call_next":
            # The called visitor stands in "my visitor" above the table: the cursor goes back
            # to the head of the queue, which stays in view at every size (finding 8).
            self._to_top = True
            self._render_all()
        elif number and action in ("transfer", "cancel", "reactivate", "undo"):
            self._focus_number = number  # the row acted on, so a second key sees its new state
            self._render_all()
        else:  # d, x, r act on "my visitor": the cursor stays where the staff left it
            self._render_all()
        topic = context.get("topic")
        words = {
            "call_next": ("called", {}),
            "call": ("called", {}),
            "recall": ("recalled", {}),
            "done": ("finished", {}),
            "no_show": ("marked_no_show", {}),
            "reactivate": ("reactivated", {}),
            "cancel": ("cancelled", {}),
            "transfer": ("transferred", {"topic": topic_label(config, lang, topic or "")}),
            "pause": ("paused", {"topic": topic_label(config, lang, topic or "")}),
            "resume": ("resumed", {"topic": topic_label(config, lang, topic or "")}),
        }
        if action == "desk_topics":
            letters = {topic.id: topic.letter for topic in config.topics}
            self.notify(
                self.t(
                    "desk_topics_set",
                    desk=desk_name(config, self.desk_id),
                    topics=" ".join(letters.get(topic, topic) for topic in result),
                ),
                timeout=4,
            )
            return
        if action == "undo" and isinstance(result, Ticket):
            message = self.t(
                "undone", number=result.number, state=state_label(config, lang, result.state)
            )
        else:
            key, extra = words[action]
            message = self.t(
                key, number=number or "", desk=desk_name(config, self.desk_id), **extra
            )
        self.notify(message, timeout=3)


def _put_in_order(table: DataTable, order: list[str]) -> None:
    """Put the table's rows in `order` (row keys). DataTable can move rows only by sort(),
    which calls a Python key on every row; on a day of 3000 tickets that was most of a
    refresh. Setting the row positions directly is what sort() does after sorting (Textual
    8.2 is pinned); on a Textual without them, sort() does it."""
    locations = getattr(table, "_row_locations", None)
    if not isinstance(locations, TwoWayDict) or not hasattr(table, "_update_count"):
        position = {key: index for index, key in enumerate(order)}
        table.sort("number", key=lambda cell: position[cell.plain.removesuffix(CHECK_MARK)])
        return
    keys = {key.value: key for key in table.rows}
    table._row_locations = TwoWayDict({keys[number]: index for index, number in enumerate(order)})
    table._update_count += 1
    table.refresh()
