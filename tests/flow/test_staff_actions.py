"""Staff app, Pilot: every desk action on its key and what it does in the store."""

from __future__ import annotations

import dataclasses

from textual.widgets import DataTable, OptionList, SelectionList

from kiosk.core.tickets import State
from kiosk.ui.config_watch import ConfigReloaded
from kiosk.ui.staff.queue import QueueScreen
from tests.staff_support import (
    make_store,
    notifications,
    queue_ready,
    screen_text,
    settle,
    shipped_config,
    staff_app,
    state_of,
    wait_for,
)


def issue(store, *pairs: tuple[str, str]) -> list[str]:
    return [store.issue(topic, lang).ticket.number for topic, lang in pairs]


async def choose(pilot, option_id: str) -> None:
    """Pick an option in the open choice dialog by id, as Enter on it would."""
    options = pilot.app.screen.query_one(OptionList)
    index = next(
        i for i in range(options.option_count) if options.get_option_at_index(i).id == option_id
    )
    options.highlighted = index
    await pilot.press("enter")


async def test_call_next_takes_the_earliest_of_the_desks_topics(tmp_path):
    store = make_store(tmp_path)
    ba, kim1, kim2 = issue(store, ("ba", "de"), ("kim", "uk"), ("kim", "ar"))
    app = staff_app(store, "raum1")  # raum1 serves kim and ukraine, not ba
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("n")
        await settle(pilot, screen)
        called = state_of(store, kim1)
        assert called.state == State.CALLED and called.desk == "raum1"
        assert state_of(store, ba).state == State.WAITING
        assert state_of(store, kim2).state == State.WAITING
        assert screen.selected_number() == ba  # the cursor goes back to the head of the queue
        assert f"Ihr Besucher: ▶ {kim1}" in screen_text(app)  # the call stands above it
        assert "aufgerufen" in screen_text(app)
        assert any(kim1 in message for message in notifications(app))


async def test_call_next_with_nobody_waiting_says_so(tmp_path):
    store = make_store(tmp_path)
    issue(store, ("ba", "de"))
    app = staff_app(store, "raum1")
    async with app.run_test() as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("n")
        await settle(pilot, screen)
        assert any("wartet niemand" in m for m in notifications(app))
        assert all(t.state == State.WAITING for t in store.snapshot().tickets)


async def test_call_next_in_a_chosen_language(tmp_path):
    store = make_store(tmp_path)
    de, uk = issue(store, ("kim", "de"), ("kim", "uk"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageDialog")
        assert "Ukrainisch (Українська)  (1)" in screen_text(app)  # waiting count per language
        await choose(pilot, "uk")
        await settle(pilot, screen)
        assert state_of(store, uk).state == State.CALLED
        assert state_of(store, de).state == State.WAITING


async def test_call_next_in_a_language_nobody_waiting_speaks(tmp_path):
    store = make_store(tmp_path)
    first, second = issue(store, ("kim", "de"), ("kim", "fa"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageDialog")
        store.call("raum2", second)  # the only Farsi speaker is called elsewhere meanwhile
        await choose(pilot, "fa")
        await settle(pilot, screen)
        assert any("spricht" in m for m in notifications(app))
        assert state_of(store, first).state == State.WAITING


async def test_call_the_selected_ticket_of_any_topic(tmp_path):
    store = make_store(tmp_path)
    first, second, other = issue(store, ("kim", "de"), ("kim", "uk"), ("ba", "tr"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        screen.select(other)
        await pilot.press("c")
        await settle(pilot, screen)
        assert state_of(store, other).state == State.CALLED
        assert state_of(store, other).desk == "raum1"
        assert state_of(store, first).state == State.WAITING
        assert state_of(store, second).state == State.WAITING


async def test_recall_done_no_show_reactivate(tmp_path):
    store = make_store(tmp_path)
    a, b = issue(store, ("kim", "de"), ("kim", "uk"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("n")
        await settle(pilot, screen)
        assert screen.selected_number() == b  # the head of the queue; a is "my visitor"
        await pilot.press("r")  # r, d, x act on this desk's own call, not on the cursor's row
        await settle(pilot, screen)
        assert state_of(store, a).recalls == 1
        await pilot.press("d")
        await settle(pilot, screen)
        assert state_of(store, a).state == State.DONE

        await pilot.press("n")
        await settle(pilot, screen)
        await pilot.press("x")
        await settle(pilot, screen)
        assert state_of(store, b).state == State.NO_SHOW
        assert "nicht erschienen" in screen_text(app)
        screen.select(b)
        await pilot.press("a")
        await settle(pilot, screen)
        back = state_of(store, b)
        assert back.state == State.WAITING and back.desk is None


async def test_transfer_to_another_topic_keeps_the_number(tmp_path):
    store = make_store(tmp_path)
    (number,) = issue(store, ("kim", "uk"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TransferDialog")
        assert "Bundesagentur" in screen_text(app)
        await choose(pilot, "ba")
        await settle(pilot, screen)
        moved = state_of(store, number)
        assert moved.topic == "ba" and moved.number == number
        assert moved.state == State.WAITING


async def test_transfer_dialog_escape_changes_nothing(tmp_path):
    store = make_store(tmp_path)
    (number,) = issue(store, ("kim", "uk"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TransferDialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert state_of(store, number).topic == "kim"


async def test_cancel_and_undo(tmp_path):
    store = make_store(tmp_path)
    a, b = issue(store, ("kim", "de"), ("kim", "uk"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        screen.select(b)
        await pilot.press("delete")  # asks first (finding 3: Del cancelled without asking)
        await wait_for(pilot, lambda: app.screen is not screen)
        assert state_of(store, b).state == State.WAITING
        await choose(pilot, "yes")
        await settle(pilot, screen)
        assert state_of(store, b).state == State.CANCELLED
        await pilot.press("u")
        await settle(pilot, screen)
        assert state_of(store, b).state == State.WAITING
        assert any("Rückgängig" in m for m in notifications(app))

        await pilot.press("n")
        await settle(pilot, screen)
        assert state_of(store, a).state == State.CALLED
        await pilot.press("u")
        await settle(pilot, screen)
        assert state_of(store, a).state == State.WAITING


async def test_undo_with_nothing_to_undo_explains(tmp_path):
    store = make_store(tmp_path)
    issue(store, ("kim", "de"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("u")
        await settle(pilot, screen)
        assert any("Nichts rückgängig" in m for m in notifications(app))


async def test_pause_and_resume_a_topic_for_today(tmp_path):
    store = make_store(tmp_path)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PauseDialog")
        await choose(pilot, "kim")
        await settle(pilot, screen)
        assert "kim" in store.snapshot().paused
        assert "⏸" in screen_text(app)
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PauseDialog")
        assert "(angehalten)" in screen_text(app)
        await choose(pilot, "kim")
        await settle(pilot, screen)
        assert "kim" not in store.snapshot().paused


async def test_illegal_action_explains_itself_and_changes_nothing(tmp_path):
    store = make_store(tmp_path)
    (number,) = issue(store, ("kim", "de"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        for key in ("d", "r", "x", "a"):  # none applies to a waiting ticket
            await pilot.press(key)
            await settle(pilot, screen)
        messages = notifications(app)
        # d, r, x act on this desk's own call: there is none, and the message says what to do
        assert any(
            "keinen offenen Aufruf" in m and "Fertig" in m and "mit n" in m for m in messages
        )
        assert any(number in m and "wartet" in m and "Reaktivieren" in m for m in messages)
        assert any("nicht erschienen" in m for m in messages)  # what "a" needs instead
        assert state_of(store, number).state == State.WAITING


async def test_action_without_any_ticket_asks_to_select_one(tmp_path):
    store = make_store(tmp_path)
    app = staff_app(store, "raum1")
    async with app.run_test() as pilot:
        await queue_ready(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert any("wählen" in m for m in notifications(app))


async def test_filter_by_topic_and_state(tmp_path):
    store = make_store(tmp_path)
    kim, ba, uk = issue(store, ("kim", "de"), ("ba", "de"), ("ukraine", "uk"))
    store.call("raum1", uk)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        await pilot.press("f")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterDialog")
        topics = app.screen.query_one("#filter-topics", SelectionList)
        topics.deselect("ba")
        states = app.screen.query_one("#filter-states", SelectionList)
        states.deselect("called")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [
            table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)
        ] == [kim]
        assert "Filter:" in screen_text(app)
        await pilot.press("f")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterDialog")
        await pilot.click("#reset")
        await wait_for(pilot, lambda: app.screen is screen)
        assert table.row_count == 3


async def test_waiting_first_in_arrival_order_then_the_rest(tmp_path):
    store = make_store(tmp_path)
    a1, a2, e1, a3 = issue(store, ("kim", "de"), ("kim", "uk"), ("ba", "tr"), ("kim", "ar"))
    store.call("raum1", a1)
    store.call("tisch_ba", e1)
    store.done("tisch_ba", e1)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        table = screen.query_one(DataTable)
        order = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert order == [a2, a3, a1, e1]
        text = screen_text(app)
        assert "Wartend:" in text and " A 2" in text and "Längste Wartezeit" in text


async def test_quit_asks_first(tmp_path):
    store = make_store(tmp_path)
    app = staff_app(store, "raum1")
    async with app.run_test() as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "QuitDialog")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "QuitDialog")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running)


async def test_without_desk_the_staff_choose_one(tmp_path):
    store = make_store(tmp_path)
    issue(store, ("ba", "de"))
    app = staff_app(store, desk=None)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DeskPickerScreen")
        assert "Tisch 3" in screen_text(app)
        await choose(pilot, "tisch_ba")
        screen = await queue_ready(pilot)
        assert isinstance(screen, QueueScreen) and app.desk_id == "tisch_ba"
        await pilot.press("n")
        await settle(pilot, screen)
        assert store.snapshot().tickets[0].desk == "tisch_ba"


async def test_staff_strings_in_english_by_option(tmp_path):
    store = make_store(tmp_path)
    issue(store, ("kim", "uk"))
    app = staff_app(store, "raum1", lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await queue_ready(pilot)
        text = screen_text(app)
        assert "n Next" in text and "q Quit" in text and "waiting" in text
        assert "Ukrainian" in text


async def test_cursor_stays_on_its_ticket_when_others_arrive(tmp_path):
    store = make_store(tmp_path)
    a, b, c = issue(store, ("kim", "de"), ("kim", "uk"), ("kim", "ar"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        screen.select(b)
        seen = screen.refreshes
        store.call("raum2", a)  # another desk: b moves up a row
        store.issue("kim", "tr")
        await wait_for(
            pilot, lambda: screen.refreshes > seen and state_of(store, a).state == State.CALLED
        )
        await wait_for(pilot, lambda: screen.query_one(DataTable).row_count == 4)
        assert screen.selected_number() == b


async def test_follows_config_changes(tmp_path):
    store = make_store(tmp_path)
    (number,) = issue(store, ("kim", "de"))
    store.call("raum1", number)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        await queue_ready(pilot)
        assert "Raum 1" in screen_text(app)
        base = shipped_config()
        desks = tuple(
            dataclasses.replace(d, name="Zimmer 7") if d.id == "raum1" else d for d in base.desks
        )
        app.post_message(ConfigReloaded(dataclasses.replace(base, desks=desks)))
        await wait_for(pilot, lambda: "Zimmer 7" in screen_text(app))
        assert "Raum 1" not in screen_text(app)
        assert store.config.desk("raum1").name == "Zimmer 7"


class FullDisk:
    """The real store, except that writing fails as on a full disk."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def call_next(self, *args, **kwargs):
        from kiosk.core.errors import StorageUnavailable

        raise StorageUnavailable("the disk is full")


async def test_storage_error_becomes_a_notification_in_the_staff_language(tmp_path):
    store = make_store(tmp_path)
    (number,) = issue(store, ("kim", "de"))
    app = staff_app(FullDisk(store), "raum1", lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("n")
        await settle(pilot, screen)
        assert any("cannot be saved" in m and "disk is full" in m for m in notifications(app))
        assert app.is_running and state_of(store, number).state == State.WAITING


async def test_keys_pressed_right_after_a_call_act_on_the_called_ticket(tmp_path):
    store = make_store(tmp_path)
    a, b = issue(store, ("kim", "de"), ("kim", "uk"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: not screen.busy)
        await pilot.press("d")  # no wait for the poll: the result of "n" is already shown
        await settle(pilot, screen)
        assert state_of(store, a).state == State.DONE
        assert state_of(store, b).state == State.WAITING


async def test_stats_key_opens_the_stats_view_when_there_is_one(tmp_path):
    import importlib.util

    if importlib.util.find_spec("kiosk.ui.staff.stats_screen") is None:
        print("no stats view in this tree: the s key is hidden")
        return
    store = make_store(tmp_path)
    issue(store, ("kim", "de"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        await queue_ready(pilot)
        assert "s Zahlen" in screen_text(app)
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StatsScreen")


async def test_home_and_end_go_to_the_first_and_last_ticket(tmp_path):
    # Regression: DataTable's Home/End only scroll sideways in row mode: nothing happened.
    store = make_store(tmp_path)
    numbers = issue(store, *[("kim", "de")] * 30)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("end")
        assert screen.selected_number() == numbers[-1]
        await pilot.press("home")
        assert screen.selected_number() == numbers[0]
        assert screen.query_one(DataTable).scroll_y == 0


async def test_undo_explains_when_the_ticket_changed_since_or_the_action_is_too_old(tmp_path):
    store = make_store(tmp_path)
    a, b = issue(store, ("kim", "de"), ("kim", "uk"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("n")
        await settle(pilot, screen)
        store.done("raum2", a, confirmed_desk="raum1")  # another desk finished it meanwhile
        await pilot.press("u")
        await settle(pilot, screen)
        assert any("Rückgängig geht nicht" in m for m in notifications(app))
        assert state_of(store, a).state == State.DONE

        app.clear_notifications()
        await pilot.press("n")
        await settle(pilot, screen)
        assert state_of(store, b).state == State.CALLED
        store.clock.advance(minutes=6)
        await pilot.press("u")
        await settle(pilot, screen)
        assert any("älter als 5 Minuten" in m for m in notifications(app))
        assert state_of(store, b).state == State.CALLED


async def test_on_a_wide_screen_the_topic_column_is_no_wider_than_its_longest_label(tmp_path):
    # Regression: at 160 columns the topic column took 100 cells, so language and state sat
    # far to the right of the number they belong to.
    from rich.cells import cell_len

    from kiosk.core.i18n import topic_label

    store = make_store(tmp_path)
    issue(store, ("kim", "uk"))
    config = shipped_config()
    longest = max(cell_len(topic_label(config, "de", t.id)) for t in config.topics)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await queue_ready(pilot)
        assert screen.query_one(DataTable).columns["topic"].width == longest
        row = next(line for line in screen_text(app).splitlines() if line.startswith(" A-001"))
        assert row.index("Ukrainisch") < 60
    async with staff_app(store, "raum1").run_test(size=(80, 24)) as pilot:
        screen = await queue_ready(pilot)
        assert screen.query_one(DataTable).columns["topic"].width < longest  # cut with "…"


async def test_a_selected_ticket_the_filter_would_hide_stays_under_the_cursor(tmp_path):
    # Regression: with the filter on "waiting", another desk calling the selected ticket made
    # its row vanish and left the cursor on the next visitor: "c" then called the wrong person.
    store = make_store(tmp_path)
    a, b, c = issue(store, ("kim", "de"), ("kim", "uk"), ("kim", "ar"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        table = screen.query_one(DataTable)
        await pilot.press("f")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterDialog")
        states = app.screen.query_one("#filter-states", SelectionList)
        states.deselect_all()
        states.select("waiting")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        screen.select(b)
        await pilot.pause()
        store.call("raum2", b)
        await settle(pilot, screen)
        assert screen.selected_number() == b  # still shown, with its new state
        assert "aufgerufen" in screen_text(app)
        await pilot.press("c")
        await settle(pilot, screen)
        assert any(b in m and "aufgerufen" in m for m in notifications(app))
        assert state_of(store, c).state == State.WAITING  # nobody else was called
        await pilot.press("down")  # the cursor leaves it (its row kept its place, before c)
        await wait_for(pilot, lambda: table.row_count == 2)  # now the filter hides it
        assert screen.selected_number() == c
        assert "aufgerufen" not in screen_text(app)


async def test_a_new_filter_applies_to_the_selected_ticket_at_once(tmp_path):
    store = make_store(tmp_path)
    kim, ba = issue(store, ("kim", "de"), ("ba", "de"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        screen.select(ba)
        await pilot.press("f")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FilterDialog")
        app.screen.query_one("#filter-topics", SelectionList).deselect("ba")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        table = screen.query_one(DataTable)
        assert table.row_count == 1 and screen.selected_number() == kim
