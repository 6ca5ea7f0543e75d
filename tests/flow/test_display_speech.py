"""Public display, spoken calls: a chime, "A-001, Raum 1" in German, the visitor's language only
where the site allows it, each recall again, and every spoken word also on the screen."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from kiosk.audio.sound import read_samples
from kiosk.audio.speech import Speaker
from tests.staff_support import display_app, make_store, screen_text, shipped_config, wait_for

pytestmark = pytest.mark.usefixtures("kiosk_logs_propagate")


def config_with(**settings):
    base = shipped_config()
    access = dataclasses.replace(base.site.accessibility, **settings)
    return dataclasses.replace(base, site=dataclasses.replace(base.site, accessibility=access))


def spoken(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("speech[")]


async def started(pilot):
    app = pilot.app
    await wait_for(
        pilot, lambda: type(app.screen).__name__ == "BoardScreen" and app.screen.refreshes > 0
    )
    return app.screen


async def test_each_call_is_spoken_in_german_and_the_visitors_language_and_shown(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    store = make_store(tmp_path, config=config_with(call_in_visitor_language=True))
    before = store.issue("ba", "de").ticket.number
    store.call("tisch_ba", before)
    app = display_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await started(pilot)
        assert spoken(caplog) == []  # what was called before start is not called again
        uk = store.issue("kim", "uk").ticket.number
        store.call("raum1", uk)
        await wait_for(pilot, lambda: board.calls[0].number == uk)
        german = f"speech[de]: {uk}, Raum 1"
        ukrainian = f"speech[uk]: Номер {uk}, пройдіть, будь ласка, до: Raum 1."
        assert spoken(caplog) == [german, ukrainian]
        text = screen_text(app)
        assert f"{uk}, Raum 1 · Номер {uk}, пройдіть, будь ласка, до: Raum 1." in text
        # Arabic: spoken in Arabic, shown in display order on the screen
        store.clock.advance(minutes=1)
        ar = store.issue("kim", "ar").ticket.number
        store.call("raum2", ar)
        await wait_for(pilot, lambda: board.calls[0].number == ar)
        assert spoken(caplog)[2:] == [
            f"speech[de]: {ar}, Raum 2",
            f"speech[ar]: الرقم {ar}، تفضل إلى: Raum 2.",
        ]
        assert f"{ar}, Raum 2 · " in screen_text(app)
        # a recall is called aloud again; a German visitor hears German once
        store.clock.advance(minutes=1)
        store.recall("raum1", uk)
        await wait_for(pilot, lambda: board.calls[0].number == uk)
        assert spoken(caplog)[4:] == [german, ukrainian]
        store.clock.advance(minutes=1)
        de = store.issue("kim", "de").ticket.number
        store.call("raum2", de)
        await wait_for(pilot, lambda: board.calls[0].number == de)
        assert spoken(caplog)[6:] == [f"speech[de]: {de}, Raum 2"]


async def test_the_second_language_can_be_turned_off_for_privacy(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    store = make_store(tmp_path, config=config_with(call_in_visitor_language=False))
    app = display_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await started(pilot)
        number = store.issue("kim", "uk").ticket.number
        store.call("raum1", number)
        await wait_for(pilot, lambda: board.calls and board.calls[0].number == number)
        assert spoken(caplog) == [f"speech[de]: {number}, Raum 1"]
        text = screen_text(app)
        assert f"{number}, Raum 1" in text and "Номер" not in text


async def test_a_site_without_calls_aloud_says_and_shows_nothing_more(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    store = make_store(tmp_path, config=config_with(call_aloud=False))
    app = display_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await started(pilot)
        number = store.issue("kim", "uk").ticket.number
        store.call("raum1", number)
        await wait_for(pilot, lambda: board.calls and board.calls[0].number == number)
        assert spoken(caplog) == []
        assert f"{number}, Raum 1" not in screen_text(app)


async def test_the_call_starts_with_a_chime_and_calls_queue_behind_each_other(tmp_path):
    store = make_store(tmp_path)
    sounds: list[bytes] = []
    speaker = Speaker(
        engine=None, deliver=lambda wav, interrupt: sounds.append((wav, interrupt))
    )  # no words: the chime alone
    app = display_app(store, speaker=speaker)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await started(pilot)
        first = store.issue("kim", "de").ticket.number
        second = store.issue("ba", "de").ticket.number
        store.call("raum1", first)
        store.call("tisch_ba", second)  # two desks within one read: both are called
        await wait_for(pilot, lambda: len(board.calls) == 2)
        await wait_for(pilot, lambda: speaker.spoken == 2)
    assert len(sounds) == 2
    assert [interrupt for _, interrupt in sounds] == [False, False]  # queued, not cut off
    samples, rate = read_samples(sounds[0][0])
    assert 0.5 < len(samples) / rate < 2 and max(samples) > 5000
