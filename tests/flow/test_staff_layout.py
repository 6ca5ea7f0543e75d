"""Staff queue layout (issue 13, finding 8 and 11): the head of the queue stays in view after a
call at every size, warnings take one row, and the list changes rows in place."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from kiosk.core.tickets import State
from kiosk.ui.staff.filter_dialog import TicketFilter
from tests.staff_support import make_store, queue_ready, screen_lines, settle, staff_app, state_of


def busy_afternoon(store, count: int = 30) -> list[str]:
    numbers = []
    for index in range(count):
        topic = ("kim", "ukraine", "kim", "ba")[index % 4]
        numbers.append(store.issue(topic, ("de", "uk", "ar", "fa", "ru")[index % 5]).ticket.number)
        store.clock.advance(minutes=1)
    return numbers


def table_rows(app) -> list[str]:
    """Numbers of the ticket rows drawn on screen, top to bottom."""
    return [
        line.split()[0]
        for line in screen_lines(app)
        if line[:1] == " " and line[1:2].isupper() and line[2:3] == "-"
    ]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_head_of_the_queue_stays_in_view_after_a_call(tmp_path, size):
    """At 80x24 the table scrolled to the called ticket at its bottom: the 11 longest-waiting
    tickets were above the rows shown."""
    store = make_store(tmp_path)
    numbers = busy_afternoon(store)
    app = staff_app(store, "raum1")
    async with app.run_test(size=size) as pilot:
        screen = await queue_ready(pilot)
        app.set_warning("printer", "Drucker antwortet nicht")
        app.set_warning("store", "Tagesdatei beschädigt, 3 Nummern gerettet")
        for _ in range(2):
            await pilot.press("n")
            if app.screen is not screen:  # the second n asks about the open call: keep it
                options = app.screen.query_one("OptionList")
                options.highlighted = options.option_count - 1
                await pilot.press("enter")
            await settle(pilot, screen)
        waiting = sorted(
            (t for t in store.snapshot().tickets if t.state is State.WAITING),
            key=lambda t: t.arrival,
        )
        shown = table_rows(app)
        assert shown[0] == waiting[0].number  # the longest-waiting visitor is the first row
        assert screen.selected_number() == waiting[0].number
        text = "\n".join(screen_lines(app))
        assert f"Ihr Besucher: ▶ {numbers[0]}" in text and "Drucker antwortet nicht" in text
        assert len(shown) >= min(8, size[1] - 16)  # rows remain for the queue itself


async def test_rows_change_in_place_and_every_ticket_stays_reachable(tmp_path, monkeypatch):
    """Finding 11: every change cleared the table and added every row again."""
    store = make_store(tmp_path)
    numbers = busy_afternoon(store, 40)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        table = screen.query_one("#tickets", DataTable)
        added: list[object] = []
        cleared: list[object] = []
        original_add, original_clear = table.add_row, table.clear
        monkeypatch.setattr(
            table, "add_row", lambda *a, **k: added.append(k) or original_add(*a, **k)
        )
        monkeypatch.setattr(
            table, "clear", lambda *a, **k: cleared.append(k) or original_clear(*a, **k)
        )
        new = store.issue("kim", "de").ticket.number
        seen = screen.refreshes
        screen.poke.wake()
        while screen.refreshes == seen:
            await pilot.pause(0.02)
        assert [row["key"] for row in added] == [new] and not cleared
        # the new ticket sits at the end of the waiting ones, before the called and finished
        order = [row.key.value for row in table.ordered_rows]
        assert (
            order.index(new)
            == sum(1 for t in store.snapshot().tickets if t.state is State.WAITING) - 1
        )

        store.call("raum2", numbers[3])  # another desk: the row moves, nothing is refilled
        seen = screen.refreshes
        screen.poke.wake()
        while screen.refreshes == seen:
            await pilot.pause(0.02)
        order = [row.key.value for row in table.ordered_rows]
        assert not cleared and len(added) == 1
        assert order.index(numbers[3]) > order.index(new)
        assert "aufgerufen" in str(table.get_cell(numbers[3], "state"))
        assert len(order) == len(store.snapshot().tickets)  # every ticket of the day listed

        screen.filter = TicketFilter(states=frozenset({State.CALLED}))
        screen._unpin = True  # as the filter dialog does: the new filter applies to the cursor
        screen._render_all(force=True)
        await pilot.pause()
        assert [row.key.value for row in table.ordered_rows] == [numbers[3]]
        assert state_of(store, numbers[3]).desk == "raum2"


async def test_another_desk_calling_the_ticket_under_the_cursor_keeps_the_head_in_view(tmp_path):
    """Tried with two desks: the cursor rested on the head of the queue, the other desk called
    that ticket, and the list followed it down to the called rows: the head scrolled away."""
    store = make_store(tmp_path)
    busy_afternoon(store, 40)
    other = make_store(tmp_path)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await queue_ready(pilot)
        head = table_rows(app)[0]
        assert screen.selected_number() == head
        other.call("raum2", head)
        seen = screen.refreshes
        screen.poke.wake()
        while screen.refreshes == seen:
            await pilot.pause(0.02)
        await pilot.pause()
        waiting = sorted(
            (t for t in store.snapshot().tickets if t.state is State.WAITING),
            key=lambda t: t.arrival,
        )
        shown = table_rows(app)
        # the called row keeps its place under the cursor, the new head right below it
        assert shown[:2] == [head, waiting[0].number]
        assert screen.selected_number() == head
        assert "aufgerufen" in "\n".join(screen_lines(app)[:8]) and "Raum 2" in screen_lines(app)[4]
        await pilot.press("down")  # the cursor leaves it: the row goes to the called ones
        await pilot.pause()
        assert screen.selected_number() == waiting[0].number
        assert table_rows(app)[0] == waiting[0].number
