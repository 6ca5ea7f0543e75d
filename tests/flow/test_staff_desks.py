"""Desks own their calls (issue 13, findings 1-4): one desk never silently closes, takes over or
recalls away another desk's visitor; n and Del ask; refusals say why, who and what to do."""

from __future__ import annotations

import logging

import pytest
from textual.widgets import OptionList

from kiosk.core.errors import CalledElsewhere
from kiosk.core.tickets import State
from kiosk.ui.staff.filter_dialog import TicketFilter
from tests.staff_support import (
    make_store,
    notifications,
    queue_ready,
    screen_text,
    settle,
    staff_app,
    state_of,
    wait_for,
)


def issue(store, n: int, topic: str = "kim") -> list[str]:
    return [store.issue(topic, "de").ticket.number for _ in range(n)]


def dialog_text(app) -> str:
    options = app.screen.query_one(OptionList)
    labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return screen_text(app) + "\n" + "\n".join(labels)


async def answer(pilot, option_id: str) -> None:
    options = pilot.app.screen.query_one(OptionList)
    index = next(
        i for i in range(options.option_count) if options.get_option_at_index(i).id == option_id
    )
    options.highlighted = index
    await pilot.press("enter")


async def dialog_open(pilot, screen) -> None:
    await wait_for(pilot, lambda: pilot.app.screen is not screen)


async def refreshed(pilot, screen) -> None:
    seen = screen.refreshes
    screen.poke.wake()
    await wait_for(pilot, lambda: screen.refreshes > seen)


# -- the store: the rule holds whatever a screen showed -----------------------------------------


def test_store_refuses_another_desks_call_unless_that_desk_is_confirmed(tmp_path):
    store = make_store(tmp_path)
    (a,) = issue(store, 1)
    store.call("raum1", a)
    for action in ("done", "no_show", "cancel", "recall"):
        with pytest.raises(CalledElsewhere) as refused:
            getattr(store, action)("raum2", a)
        assert refused.value.desk == "raum1"
        with pytest.raises(CalledElsewhere):  # confirming the wrong desk is no confirmation
            getattr(store, action)("raum2", a, confirmed_desk="raum2")
    with pytest.raises(CalledElsewhere):
        store.transfer("raum2", a, "ba")
    assert state_of(store, a).state is State.CALLED and state_of(store, a).desk == "raum1"
    # finding 2: a confirmed recall announces the visitor again where they are expected
    recalled = store.recall("raum2", a, confirmed_desk="raum1")
    assert recalled.desk == "raum1" and recalled.recalls == 1
    assert store.recent_calls(1)[0].desk == "raum1"
    assert store.done("raum2", a, confirmed_desk="raum1").state is State.DONE


def test_own_desk_needs_no_confirmation(tmp_path):
    store = make_store(tmp_path)
    (a,) = issue(store, 1)
    store.call("raum1", a)
    assert store.recall("raum1", a).recalls == 1
    assert store.no_show("raum1", a).state is State.NO_SHOW


# -- two staff apps on one data folder ---------------------------------------------------------


async def test_x_on_another_desks_visitor_asks_naming_that_desk(tmp_path):
    """Finding 1: both desks start on A-001; Raum 1 calls it; Raum 2's cursor still rests on it
    and x made it a no-show at Raum 1 without a word to Raum 1."""
    store1 = make_store(tmp_path)
    a, _b = issue(store1, 2)
    store2 = make_store(tmp_path)
    desk1, desk2 = staff_app(store1, "raum1"), staff_app(store2, "raum2")
    async with desk1.run_test(size=(100, 30)) as p1, desk2.run_test(size=(100, 30)) as p2:
        s1, s2 = await queue_ready(p1), await queue_ready(p2)
        assert s2.selected_number() == a
        await p1.press("n")
        await settle(p1, s1)
        await refreshed(p2, s2)
        assert s2.selected_number() == a  # still under Raum 2's cursor, now Raum 1's visitor
        for key in ("x", "d", "r", "delete", "t"):
            await p2.press(key)
            await dialog_open(p2, s2)
            assert "Raum 1" in dialog_text(desk2), key
            await p2.press("escape")
            await wait_for(p2, lambda: desk2.screen is s2)
        assert state_of(store1, a).state is State.CALLED and state_of(store1, a).desk == "raum1"

        await p2.press("x")  # now confirmed: Raum 1 is told
        await dialog_open(p2, s2)
        await answer(p2, "yes")
        await settle(p2, s2)
        assert state_of(store1, a).state is State.NO_SHOW
        await refreshed(p1, s1)
        assert any(a in m and "nicht erschienen" in m for m in notifications(desk1))


async def test_waiting_only_filter_d_on_a_ticket_just_called_elsewhere_asks(tmp_path):
    """Finding 1, worst case: with a "waiting only" filter a desk pressed d on a ticket another
    desk had just called."""
    store1 = make_store(tmp_path)
    a, _b = issue(store1, 2)
    store2 = make_store(tmp_path)
    desk1, desk2 = staff_app(store1, "raum1"), staff_app(store2, "raum2")
    async with desk1.run_test(size=(100, 30)) as p1, desk2.run_test(size=(100, 30)) as p2:
        s1, s2 = await queue_ready(p1), await queue_ready(p2)
        s2.filter = TicketFilter(states=frozenset({State.WAITING}))
        s2._render_all(force=True)
        await p2.pause()
        await p1.press("n")
        await settle(p1, s1)
        await refreshed(p2, s2)
        await p2.press("d")
        await dialog_open(p2, s2)
        assert "Raum 1" in dialog_text(desk2)
        await answer(p2, "no")
        await wait_for(p2, lambda: desk2.screen is s2)
        assert state_of(store1, a).state is State.CALLED


async def test_recall_from_another_desk_keeps_the_visitor_at_their_desk(tmp_path):
    """Finding 2: r on another desk's call moved it; the display showed RAUM 2 big while the
    visitor sat in Raum 1."""
    store1 = make_store(tmp_path)
    (a,) = issue(store1, 1)
    store1.call("raum1", a)
    store2 = make_store(tmp_path)
    desk2 = staff_app(store2, "raum2")
    async with desk2.run_test(size=(100, 30)) as p2:
        s2 = await queue_ready(p2)
        s2.select(a)
        await p2.press("r")
        await dialog_open(p2, s2)
        await answer(p2, "yes")
        await settle(p2, s2)
    ticket = state_of(store1, a)
    assert ticket.recalls == 1 and ticket.desk == "raum1"
    assert store1.recent_calls(1)[0].desk == "raum1"


async def test_n_with_an_open_call_asks_finish_or_keep(tmp_path):
    """Finding 3: n was allowed while the desk still had an open call."""
    store = make_store(tmp_path)
    a, b, c = issue(store, 3)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("n")
        await settle(pilot, screen)
        assert f"Ihr Besucher: ▶ {a}" in screen_text(app)  # the panel at the top
        await pilot.press("n")
        await dialog_open(pilot, screen)
        assert a in dialog_text(app)
        assert state_of(store, b).state is State.WAITING  # nothing happens before the answer
        await answer(pilot, f"done:{a}")
        await settle(pilot, screen)
        assert state_of(store, a).state is State.DONE
        assert state_of(store, b).state is State.CALLED

        await pilot.press("n")
        await dialog_open(pilot, screen)
        await answer(pilot, "keep")
        await settle(pilot, screen)
        assert state_of(store, b).state is State.CALLED
        assert state_of(store, c).state is State.CALLED
        # two open calls: d asks which one
        screen.select(a)  # the cursor on a finished row: d takes this desk's own call
        await pilot.press("d")
        await dialog_open(pilot, screen)
        await answer(pilot, c)
        await settle(pilot, screen)
        assert state_of(store, c).state is State.DONE
        assert state_of(store, b).state is State.CALLED


async def test_del_asks_and_escape_keeps_the_ticket(tmp_path):
    """Finding 3: Del cancelled without asking."""
    store = make_store(tmp_path)
    (a,) = issue(store, 1)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("delete")
        await dialog_open(pilot, screen)
        assert a in screen_text(app) and "stornieren" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await settle(pilot, screen)
        assert state_of(store, a).state is State.WAITING


@pytest.mark.parametrize(
    ("lang", "words"),
    [("de", ("schon bei Raum 2 aufgerufen", "n")), ("en", ("already called at Raum 2", "n"))],
)
async def test_refusal_names_reason_other_desk_and_what_to_do(tmp_path, lang, words):
    """Finding 4: "A-002 ist „aufgerufen“: „Aufrufen“ geht nicht." said neither who nor why."""
    store = make_store(tmp_path)
    _a, b = issue(store, 2)
    store.call("raum2", b)
    app = staff_app(store, "raum1", lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        screen.select(b)
        await pilot.press("c")
        await settle(pilot, screen)
        message = next(m for m in notifications(app) if b in m)
        assert words[0] in message and f" {words[1]} " in message


async def test_refused_undo_is_an_info_line_without_traceback(tmp_path, caplog):
    """Finding 4: a refused undo was logged as an ERROR with a traceback."""
    store = make_store(tmp_path)
    (a,) = issue(store, 1)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("n")
        await settle(pilot, screen)
        store.done("raum2", a, confirmed_desk="raum1")
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="kiosk"):
            await pilot.press("u")
            await settle(pilot, screen)
    refused = [r for r in caplog.records if r.name == "kiosk.staff"]
    assert refused and all(r.levelno == logging.INFO and not r.exc_info for r in refused)
    assert "undo refused" in refused[0].getMessage()
