"""Public display, Pilot: the newest call and its desk, earlier calls, highlight, never a topic."""

from __future__ import annotations

import dataclasses

from kiosk.core.i18n import topic_label
from kiosk.ui.widgets.big_number import BigNumber
from tests.staff_support import display_app, make_store, screen_text, shipped_config, wait_for


async def started(pilot):
    app = pilot.app
    await wait_for(
        pilot, lambda: type(app.screen).__name__ == "BoardScreen" and app.screen.refreshes > 0
    )
    return app.screen


async def next_read(pilot, board):
    seen = board.refreshes
    board.poke.wake()
    await wait_for(pilot, lambda: board.refreshes > seen)


async def test_shows_the_call_and_the_desk_and_never_the_topic(tmp_path):
    store = make_store(tmp_path)
    config = shipped_config()
    first = store.issue("ba", "tr").ticket.number
    second = store.issue("kim", "uk").ticket.number
    store.call("tisch_ba", first)
    store.call("raum1", second)
    app = display_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(pilot)
        assert board.query_one("#current-number", BigNumber).number == second
        assert board.query_one("#current-desk", BigNumber).number == "RAUM 1"
        text = screen_text(app)
        assert "█" in text  # drawn in the block font
        assert f"{first}  →  Tisch 3" in text  # the earlier call, below
        assert "Service-Point Integration" in text
        assert "13:00" in text
        shown = "\n".join(board.shown_text()) + "\n" + text
        for topic in config.topics:
            assert topic.id not in shown
            assert topic.provider not in shown
            for code in config.languages:
                assert topic_label(config, code, topic.id) not in shown
        # nor the visitor's language
        for code in ("tr", "uk"):
            assert config.languages[code].native_name not in shown


async def test_a_new_call_is_highlighted_and_rings_when_configured(tmp_path):
    base = shipped_config()
    site = dataclasses.replace(
        base.site,
        display=dataclasses.replace(base.site.display, bell=True, highlight_seconds=1),
    )
    config = dataclasses.replace(base, site=site)
    store = make_store(tmp_path, config=config)
    a = store.issue("kim", "de").ticket.number
    store.call("raum1", a)
    app = display_app(store)
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test() as pilot:
        board = await started(pilot)
        current = board.query_one("#current")
        assert not current.has_class("-new")  # what was called before start is not new
        store.clock.advance(minutes=1)
        b = store.issue("kim", "uk").ticket.number
        store.call("raum2", b)
        await wait_for(pilot, lambda: board.calls and board.calls[0].number == b)
        assert current.has_class("-new") and board.highlights == 1 and bells == [1]
        assert board.query_one("#current-desk", BigNumber).number == "RAUM 2"
        await wait_for(pilot, lambda: not current.has_class("-new"), timeout=3)
        # a recall of the earlier ticket is announced again
        store.clock.advance(minutes=1)
        store.recall("raum1", a)
        await wait_for(pilot, lambda: board.calls[0].number == a)
        assert current.has_class("-new") and board.highlights == 2 and len(bells) == 2


async def test_undoing_a_call_does_not_flash_an_old_call_as_new(tmp_path):
    store = make_store(tmp_path)
    a = store.issue("kim", "de").ticket.number
    b = store.issue("kim", "uk").ticket.number
    store.call("raum1", a)
    app = display_app(store)
    async with app.run_test() as pilot:
        board = await started(pilot)
        store.call("raum1", b)
        await wait_for(pilot, lambda: board.calls[0].number == b)
        assert board.highlights == 1
        store.undo("raum1")
        await wait_for(pilot, lambda: board.calls[0].number == a)
        assert board.highlights == 1
        assert board.current is not None and board.current.number == a  # a is still called


async def test_a_withdrawn_call_never_puts_a_served_ticket_back_as_now_calling(tmp_path):
    """Issue 13, finding 9: when the ticket shown as "now calling" was cancelled, "now calling"
    went back to a ticket that had already been served."""
    store = make_store(tmp_path)
    a, b, c = (store.issue("kim", "de").ticket.number for _ in range(3))
    store.call("raum1", a)
    store.done("raum1", a)
    app = display_app(store)
    async with app.run_test() as pilot:
        board = await started(pilot)
        store.call("raum1", b)
        await wait_for(pilot, lambda: board.current is not None and board.current.number == b)
        store.cancel("raum1", b)
        await next_read(pilot, board)
        assert board.current is None
        text = screen_text(app)
        assert "Bitte warten Sie" in text  # nobody is being called now
        assert f"{a}  →  Raum 1" in text  # the served call stays among the earlier ones

        store.call("raum2", c)  # a new call shows at once
        await wait_for(pilot, lambda: board.current is not None and board.current.number == c)
        store.transfer("raum2", c, "ba")  # withdrawn another way: moved to another queue
        await next_read(pilot, board)
        assert board.current is None


async def test_a_recall_from_another_desk_shows_the_desk_the_visitor_sits_at(tmp_path):
    """Issue 13, finding 2 on the display: RAUM 2 was shown big while the visitor sat in Raum 1."""
    store = make_store(tmp_path)
    a = store.issue("kim", "de").ticket.number
    store.call("raum1", a)
    app = display_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = await started(pilot)
        store.recall("raum2", a, confirmed_desk="raum1")
        await wait_for(pilot, lambda: board.highlights == 1)
        assert board.current.desk == "raum1"
        assert board.query_one("#current-desk").number == "RAUM 1"


async def test_before_the_first_call_it_asks_to_wait(tmp_path):
    store = make_store(tmp_path)
    store.issue("kim", "de")
    app = display_app(store)
    async with app.run_test() as pilot:
        await started(pilot)
        assert "Bitte warten Sie" in screen_text(app)


async def test_previous_calls_count_comes_from_config(tmp_path):
    base = shipped_config()
    site = dataclasses.replace(
        base.site, display=dataclasses.replace(base.site.display, previous_calls=2)
    )
    store = make_store(tmp_path, config=dataclasses.replace(base, site=site))
    numbers = [store.issue("kim", "de").ticket.number for _ in range(5)]
    for number in numbers:
        store.call("raum1", number)
    app = display_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = await started(pilot)
        text = screen_text(app)
        assert [t.number for t in board.calls] == numbers[::-1][:3]
        assert f"{numbers[3]}  →" in text and f"{numbers[2]}  →" in text
        assert f"{numbers[1]}  →" not in text


async def test_no_key_leaves_the_display(tmp_path):
    store = make_store(tmp_path)
    app = display_app(store)
    async with app.run_test() as pilot:
        await started(pilot)
        for key in ("ctrl+q", "ctrl+c", "q", "escape", "ctrl+p", "ctrl+z", "f1"):
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running and type(app.screen).__name__ == "BoardScreen"
        await pilot.press("ctrl+k", "ctrl+x")  # the admin chord asks for the PIN
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AdminExitScreen")


async def test_follows_config_changes(tmp_path):
    from kiosk.ui.config_watch import ConfigReloaded

    store = make_store(tmp_path)
    numbers = [store.issue("kim", "de").ticket.number for _ in range(4)]
    for number in numbers:
        store.clock.advance(minutes=1)
        store.call("raum1", number)
    app = display_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        board = await started(pilot)
        assert len(board.query(".previous-item")) == 6
        base = shipped_config()
        desks = tuple(
            dataclasses.replace(d, name="Zimmer 7") if d.id == "raum1" else d for d in base.desks
        )
        site = dataclasses.replace(
            base.site, display=dataclasses.replace(base.site.display, previous_calls=1)
        )
        app.post_message(ConfigReloaded(dataclasses.replace(base, site=site, desks=desks)))
        await wait_for(pilot, lambda: len(board.query(".previous-item")) == 1)
        await next_read(pilot, board)
        assert board.query_one("#current-desk", BigNumber).number == "ZIMMER 7"
        text = screen_text(app)
        assert f"{numbers[2]}  →  Zimmer 7" in text and f"{numbers[1]}  →" not in text


async def test_the_number_grows_on_a_large_screen(tmp_path):
    store = make_store(tmp_path)
    number = store.issue("kim", "de").ticket.number
    store.call("raum1", number)
    sizes = {}
    for size in ((80, 24), (200, 60)):
        app = display_app(store)
        async with app.run_test(size=size) as pilot:
            board = await started(pilot)
            big = board.query_one("#current-number")
            sizes[size] = (big.size_name, big.factor, len(big.rendered_lines()))
    assert sizes[(80, 24)] == ("large", 1, 7)
    assert sizes[(200, 60)][1] >= 2 and sizes[(200, 60)][2] >= 14


def with_desk_name(name: str):
    base = shipped_config()
    desks = tuple(dataclasses.replace(d, name=name) if d.id == "raum1" else d for d in base.desks)
    return dataclasses.replace(base, desks=desks)


async def test_desk_names_with_umlauts_are_drawn_in_blocks_not_repeated_letters(tmp_path):
    # Regression: "Büro 11" (Ü has no glyph) was scaled as plain text on a large screen and
    # showed as "BBBBBBBBBÜÜÜÜÜÜÜÜÜRRRR..." nine rows high.
    store = make_store(tmp_path, config=with_desk_name("Büro 11"))
    number = store.issue("kim", "de").ticket.number
    store.call("raum1", number)
    app = display_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        board = await started(pilot)
        desk = board.query_one("#current-desk", BigNumber)
        assert desk.number == "BUERO 11"
        assert desk.size_name == "large" and "█" in desk.rendered_lines()[0]
        text = screen_text(app)
        assert "BBB" not in text and "ÜÜ" not in text
        assert f"{number}  →" not in text  # the only call is the current one
        store.clock.advance(minutes=1)
        store.call("raum1", store.issue("kim", "uk").ticket.number)
        await wait_for(pilot, lambda: f"{number}  →  Büro 11" in board.shown_text())


async def test_a_desk_name_the_font_cannot_draw_shows_once_as_text(tmp_path):
    store = make_store(tmp_path, config=with_desk_name("Кабінет 3"))
    store.call("raum1", store.issue("kim", "de").ticket.number)
    app = display_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        board = await started(pilot)
        desk = board.query_one("#current-desk", BigNumber)
        assert desk.rendered_lines() == ["КАБІНЕТ 3"]
        assert screen_text(app).count("КАБІНЕТ 3") == 1


async def test_room_numbers_with_dot_or_slash_stay_in_the_large_font(tmp_path):
    store = make_store(tmp_path, config=with_desk_name("Raum 1.04/2"))
    store.call("raum1", store.issue("kim", "de").ticket.number)
    app = display_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        board = await started(pilot)
        desk = board.query_one("#current-desk", BigNumber)
        assert desk.number == "RAUM 1.04/2"
        assert desk.size_name != "text" and "█" in "".join(desk.rendered_lines())


async def test_two_calls_within_one_read_are_both_highlighted(tmp_path):
    # Regression: two desks pressing "call next" at once: only the newest lit up; the other
    # number went straight to the list below, unmarked.
    base = shipped_config()
    site = dataclasses.replace(
        base.site,
        display=dataclasses.replace(base.site.display, bell=True, highlight_seconds=1),
    )
    store = make_store(tmp_path, config=dataclasses.replace(base, site=site))
    a, b, old = (store.issue("kim", "de").ticket.number for _ in range(3))
    store.call("raum2", old)
    app = display_app(store)
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(pilot)
        store.clock.advance(minutes=1)
        store.call("raum1", a)
        store.call("raum2", b)
        await next_read(pilot, board)
        assert [t.number for t in board.calls[:3]] == [b, a, old]
        assert board.query_one("#current").has_class("-new")
        assert board.query_one("#previous-0").has_class("-new")  # a, new as well
        assert not board.query_one("#previous-1").has_class("-new")  # called before start
        assert bells == [1]  # one bell per read
        await wait_for(
            pilot, lambda: not board.query_one("#previous-0").has_class("-new"), timeout=3
        )
        assert not board.query_one("#current").has_class("-new")


async def test_earlier_calls_are_drawn_in_blocks_on_a_large_screen(tmp_path):
    from kiosk.ui.display.previous_call import PreviousCall

    store = make_store(tmp_path)
    for topic, desk in (("ba", "tisch_ba"), ("kim", "raum2"), ("kim", "raum1")):
        store.clock.advance(minutes=1)
        store.call(desk, store.issue(topic, "de").ticket.number)
    # issue 13, finding 9: at 120x40 they were one line of plain text (blocks began at 43 rows,
    # the README says about 40)
    for size, rows in (
        ((80, 24), 1),
        ((100, 30), 1),
        ((120, 39), 1),
        ((120, 40), 3),
        ((160, 50), 3),
    ):
        app = display_app(store)
        async with app.run_test(size=size) as pilot:
            board = await started(pilot)
            first = board.query_one("#previous-0", PreviousCall)
            assert first.plain() == "A-001  →  Raum 2"
            assert first.size.height == rows, size
            text = screen_text(app)
            if rows == 1:
                assert "A-001  →  Raum 2" in text and "E-001  →  Tisch 3" in text
            else:
                assert "A-001  →" not in text and "▶" in text
                # the newest call keeps at least the large size, twice it on a tall screen
                assert board.query_one("#current-number").factor >= (2 if size[1] >= 50 else 1)
                assert "A-003" in text or "▶" in text


async def test_a_desk_name_too_long_for_blocks_keeps_every_earlier_call_plain(tmp_path):
    store = make_store(tmp_path, config=with_desk_name("Beratungszimmer Erdgeschoss"))
    for desk in ("raum1", "raum2", "raum1"):
        store.clock.advance(minutes=1)
        store.call(desk, store.issue("kim", "de").ticket.number)
    app = display_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        assert "A-001  →  Beratungszimmer Erdgeschoss" in screen_text(app)
        assert "A-002  →  Raum 2" in screen_text(app)  # fits, but one layout for all
