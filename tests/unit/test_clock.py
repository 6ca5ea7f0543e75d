"""The clock: started at --now it runs on; local times in the DST change; bad text."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.core import clock as clock_module
from kiosk.core.clock import Clock, FixedClock, parse_local_time

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")


def test_starting_at_runs_on_with_the_monotonic_clock(monkeypatch):
    clock = Clock.starting_at("2026-11-30T13:00", "Europe/Berlin")
    base = clock._started_monotonic
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: base)
    assert clock.now() == datetime(2026, 11, 30, 13, 0, tzinfo=BERLIN)
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: base + 90.5)
    assert clock.now() == datetime(2026, 11, 30, 13, 1, 30, 500000, tzinfo=BERLIN)
    assert clock.today().isoformat() == "2026-11-30"
    assert clock.now().utcoffset() == timedelta(hours=1)


def test_running_clock_crosses_the_autumn_change(monkeypatch):
    clock = Clock.starting_at("2026-10-25T02:30", BERLIN)  # first 02:30, CEST
    base = clock._started_monotonic
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: base + 3600)
    later = clock.now()  # one real hour later: 02:30 again, now CET
    assert (later.hour, later.minute, later.fold) == (2, 30, 1)
    assert later.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_real_clock_is_in_the_site_zone():
    now = Clock.real("Europe/Berlin").now()
    assert now.tzinfo == BERLIN
    assert abs(now.astimezone(UTC) - datetime.now(UTC)) < timedelta(minutes=1)


def test_repeated_october_hour_takes_the_first_occurrence():
    moment = parse_local_time("2026-10-25T02:30", BERLIN)
    assert moment.utcoffset() == timedelta(hours=2)
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_spring_gap_time_is_moved_forward():
    moment = parse_local_time("2026-03-29T02:30", BERLIN)
    assert (moment.hour, moment.minute) == (3, 30)
    assert moment.utcoffset() == timedelta(hours=2)
    assert moment.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_ordinary_times_and_spaces():
    assert parse_local_time(" 2026-11-30T13:00 ", BERLIN) == datetime(
        2026, 11, 30, 13, 0, tzinfo=BERLIN
    )
    assert parse_local_time("2026-07-01 09:15", BERLIN).astimezone(UTC) == datetime(
        2026, 7, 1, 7, 15, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["30.11.2026 13:00", "tomorrow", "", "2026-13-01T10:00"])
def test_bad_text_gives_a_clear_error(text):
    with pytest.raises(ValueError, match=r"is not a local time like 2026-11-30T13:00"):
        parse_local_time(text, BERLIN)


def test_offset_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="without one"):
        parse_local_time("2026-11-30T13:00+01:00", BERLIN)
    with pytest.raises(ValueError):
        Clock.starting_at("nonsense", "Europe/Berlin")


def test_fixed_clock_stands_still_until_moved():
    clock = FixedClock(datetime(2026, 10, 25, 1, 30, tzinfo=BERLIN))
    assert clock.now() == clock.now()
    clock.advance(hours=2)  # 23:30 UTC + 2 h = 01:30 UTC = 02:30 CET (second occurrence)
    assert clock.now().astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert clock.now().fold == 1
