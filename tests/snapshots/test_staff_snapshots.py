"""Snapshots of the staff app: queue with every state, at 80x24 and on a large screen; dialogs."""

from __future__ import annotations

import pytest

from tests.staff_support import make_store, queue_ready, staff_app, wait_for


def busy_morning(store) -> None:
    """Tickets in every state a desk sees, in several languages (right-to-left too)."""
    issued = [
        store.issue(topic, lang).ticket.number
        for topic, lang in (
            ("kim", "uk"),
            ("kim", "ar"),
            ("ba", "de"),
            ("ukraine", "ru"),
            ("kim", "fa"),
            ("vhs", "tr"),
            ("kim", "en"),
        )
    ]
    store.clock.advance(minutes=12)
    store.call("raum1", issued[0])
    store.done("raum1", issued[0])
    store.call("tisch_ba", issued[2])
    store.call("raum2", issued[1])
    store.no_show("raum2", issued[1])
    store.cancel("raum1", issued[5])
    store.clock.advance(minutes=4)
    store.call("raum1", issued[3])


async def ready(pilot) -> None:
    await queue_ready(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_queue(snap_compare, tmp_path, size):
    store = make_store(tmp_path)
    busy_morning(store)
    assert snap_compare(staff_app(store, "raum1"), terminal_size=size, run_before=ready)


def test_queue_in_english(snap_compare, tmp_path):
    store = make_store(tmp_path)
    busy_morning(store)
    assert snap_compare(staff_app(store, "raum1", lang="en"), run_before=ready)


def test_desk_picker(snap_compare, tmp_path):
    store = make_store(tmp_path)

    async def picker(pilot):
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "DeskPickerScreen")

    assert snap_compare(staff_app(store, desk=None), run_before=picker)


def test_transfer_dialog(snap_compare, tmp_path):
    store = make_store(tmp_path)
    busy_morning(store)

    async def transfer(pilot):
        await ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog")

    assert snap_compare(staff_app(store, "raum1"), run_before=transfer)


def test_filter_dialog(snap_compare, tmp_path):
    store = make_store(tmp_path)

    async def open_filter(pilot):
        await ready(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "FilterDialog")

    assert snap_compare(staff_app(store, "raum1"), run_before=open_filter)
