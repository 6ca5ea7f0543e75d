"""Staff: transfer to a topic closed today asks, a desk's call-next topics for today, languages
named so staff tell Arabic from Farsi (issue 13, findings 5-7)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, SelectionList

from kiosk.core.tickets import State
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


def option_labels(app) -> dict[str, str]:
    options = app.screen.query_one(OptionList)
    return {
        options.get_option_at_index(i).id: str(options.get_option_at_index(i).prompt)
        for i in range(options.option_count)
    }


async def answer(pilot, option_id: str) -> None:
    options = pilot.app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(option_id)
    await pilot.press("enter")


async def test_transfer_marks_topics_closed_today_and_asks_before_moving_there(tmp_path):
    """Finding 5: transfer offered topics closed today without a mark; the ticket expired."""
    store = make_store(tmp_path)  # Monday 13:00: Sprechstunde open, JSL (Tue, Thu, Fri) closed
    number = store.issue("kim", "de").ticket.number
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen is not screen)
        labels = option_labels(app)
        assert "keine Nummern mehr" in labels["jsl_language"]
        assert "keine Nummern mehr" not in labels["ba"]  # open today: no mark
        await answer(pilot, "jsl_language")
        await wait_for(pilot, lambda: "verfallen" in screen_text(app))
        await answer(pilot, "no")
        await wait_for(pilot, lambda: app.screen is screen)
        assert state_of(store, number).topic == "kim"

        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen is not screen)
        await answer(pilot, "jsl_language")
        await wait_for(pilot, lambda: "verfallen" in screen_text(app))
        await answer(pilot, "yes")
        await settle(pilot, screen)
        assert state_of(store, number).topic == "jsl_language"


async def test_a_key_sets_this_desks_call_next_topics_for_today(tmp_path):
    """Finding 6: the README promised it, no key did it."""
    store = make_store(tmp_path)
    kim = store.issue("kim", "de").ticket.number
    ukraine = store.issue("ukraine", "uk").ticket.number
    app = staff_app(store, "raum1")  # raum1: kim and ukraine
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        assert "k Themen" in screen_text(app)
        await pilot.press("k")
        await wait_for(pilot, lambda: app.screen is not screen)
        topics = app.screen.query_one(SelectionList)
        topics.deselect("kim")
        await pilot.press("enter")
        await settle(pilot, screen)
        assert "Raum 1  U (heute geändert)" in screen_text(app)  # shown in the header
        await pilot.press("n")
        await settle(pilot, screen)
        assert state_of(store, ukraine).state is State.CALLED  # not the earlier kim ticket
        assert state_of(store, kim).state is State.WAITING
    # kept for the day: another staff app (a restart) calls from the same topics
    assert store.snapshot().desk_topics == {"raum1": ("ukraine",)}
    again = staff_app(make_store(tmp_path), "raum1")
    async with again.run_test(size=(100, 30)) as pilot:
        await queue_ready(pilot)
        assert "U (heute geändert)" in screen_text(again)
    # until the day ends
    store.clock.advance(days=1)
    assert store.snapshot().desk_topics == {}


@pytest.mark.parametrize(
    ("lang", "arabic", "farsi"),
    [("de", "Arabisch (", "Persisch/Farsi ("), ("en", "Arabic (", "Persian (Farsi) (")],
)
async def test_languages_are_named_in_the_staff_language_and_the_l_dialog_lists_who_waits(
    tmp_path, lang, arabic, farsi
):
    """Finding 7: Arabic and Farsi were both shown only in Arabic script, also with --lang en;
    the l dialog listed languages nobody waits in."""
    store = make_store(tmp_path)
    for code in ("ar", "fa", "fa", "de"):
        store.issue("kim", code)
    app = staff_app(store, "raum1", lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        text = screen_text(app)
        assert arabic.split(" (")[0] in text and farsi.rsplit(" (", 1)[0] in text  # the table
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen is not screen)
        labels = option_labels(app)
        assert set(labels) == {"ar", "fa", "de"}  # only languages somebody waits in
        assert labels["ar"].startswith(arabic) and labels["ar"].endswith("(1)")
        assert labels["fa"].startswith(farsi) and labels["fa"].endswith("(2)")
        await answer(pilot, "fa")
        await settle(pilot, screen)
        called = [t for t in store.snapshot().tickets if t.state is State.CALLED]
        assert [t.lang for t in called] == ["fa"]


async def test_l_with_nobody_waiting_says_so(tmp_path):
    store = make_store(tmp_path)
    store.issue("ba", "de")  # not raum1's topic
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert app.screen is screen
        assert any("wartet niemand" in m for m in notifications(app))
