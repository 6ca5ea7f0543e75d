"""Snapshots of the public display: before the first call, and with calls at 80x24 and large."""

from __future__ import annotations

import pytest

from tests.staff_support import display_app, make_store, wait_for


async def ready(pilot) -> None:
    await wait_for(
        pilot,
        lambda: type(pilot.app.screen).__name__ == "BoardScreen" and pilot.app.screen.refreshes > 0,
    )


def calls(store) -> None:
    for topic, desk in (
        ("ba", "tisch_ba"),
        ("kim", "raum2"),
        ("vhs", "tisch_vhs"),
        ("kim", "raum1"),
    ):
        number = store.issue(topic, "de").ticket.number
        store.clock.advance(minutes=3)
        store.call(desk, number)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_board(snap_compare, tmp_path, size):
    store = make_store(tmp_path)
    calls(store)
    assert snap_compare(display_app(store), terminal_size=size, run_before=ready)


def test_board_before_the_first_call(snap_compare, tmp_path):
    store = make_store(tmp_path)
    assert snap_compare(display_app(store), run_before=ready)


def test_board_highlights_a_new_call(snap_compare, tmp_path):
    store = make_store(tmp_path)
    calls(store)

    async def new_call(pilot):
        await ready(pilot)
        board = pilot.app.screen
        number = store.issue("ukraine", "uk").ticket.number
        store.call("raum1", number)
        await wait_for(pilot, lambda: board.highlights == 1)

    assert snap_compare(display_app(store), run_before=new_call)
