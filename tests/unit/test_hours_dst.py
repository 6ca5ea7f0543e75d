"""Opening hours on the DST days: real lengths, UTC instants, slots in the gap and the fold.

Europe/Berlin 2026: clocks go 02:00 CET -> 03:00 CEST on Sunday 29 March (01:00 UTC) and
03:00 CEST -> 02:00 CET on Sunday 25 October (01:00 UTC).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.core.config import Schedule, Topic
from kiosk.core.hours import Hours
from tests.hours_factory import BERLIN, HOTLINE, UTC, at, make_config, period, special, utc

SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


def sunday_hours(*specials) -> Hours:
    sunday = Schedule("sun", "x", (period("2026-01-01", sun="12:30-16:30"),), tuple(specials))
    topics = (Topic("t", "T", "sun", "x", None, 30),)
    return Hours(make_config(schedules=(sunday, HOTLINE), topics=topics))


def in_utc(pairs):
    return [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in pairs]


def test_dst_days_are_sundays():
    assert SPRING.weekday() == 6 and AUTUMN.weekday() == 6


def test_march_afternoon_is_four_real_hours_in_summer_time():
    hours = sunday_hours()
    [(start, end)] = hours.intervals("sun", SPRING)
    assert in_utc([(start, end)]) == [(utc("2026-03-29 10:30"), utc("2026-03-29 14:30"))]
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=4)
    assert start.utcoffset() == timedelta(hours=2)
    # Saturday evening (winter time) -> Sunday 12:30 summer time.
    nxt = hours.next_opening("sun", at("2026-03-28 20:00"))
    assert nxt.astimezone(UTC) == utc("2026-03-29 10:30")


def test_october_afternoon_is_four_real_hours_in_winter_time():
    hours = sunday_hours()
    [(start, end)] = hours.intervals("sun", AUTUMN)
    assert in_utc([(start, end)]) == [(utc("2026-10-25 11:30"), utc("2026-10-25 15:30"))]
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=4)
    assert start.utcoffset() == timedelta(hours=1)
    s = hours.topic_status("t", utc("2026-10-25 15:00"))  # 16:00 CET: margin
    assert s.reason == "margin"
    assert s.issue_until.astimezone(UTC) == utc("2026-10-25 15:00")


def test_slot_wholly_inside_the_spring_gap_does_not_exist():
    hours = sunday_hours(special("2026-03-29", "02:00-03:00"))
    assert hours.intervals("sun", SPRING) == []  # and no crash
    s = hours.topic_status("t", at("2026-03-29 01:00"))
    assert s.next_issue_at.astimezone(UTC) == utc("2026-04-05 10:30")  # next Sunday


def test_slots_reaching_into_the_spring_gap():
    hours = sunday_hours(special("2026-03-29", "01:30-03:30", "02:30-04:00"))
    got = in_utc(hours.intervals("sun", SPRING))
    # 01:30 CET = 00:30 UTC .. 03:30 CEST = 01:30 UTC: one real hour.
    # 02:30 does not exist: fold=0 reads it with the winter offset, 01:30 UTC (03:30 CEST).
    assert got == [
        (utc("2026-03-29 00:30"), utc("2026-03-29 01:30")),
        (utc("2026-03-29 01:30"), utc("2026-03-29 02:00")),
    ]
    # The local start of the gap slot is the existing wall time 03:30 CEST.
    start = hours.intervals("sun", SPRING)[1][0]
    assert (start.hour, start.minute, start.utcoffset()) == (3, 30, timedelta(hours=2))


def test_slot_in_the_autumn_fold_takes_the_first_occurrence():
    hours = sunday_hours(special("2026-10-25", "02:00-03:00", "01:00-02:30"))
    got = in_utc(hours.intervals("sun", AUTUMN))
    assert got == [
        # 01:00 CEST = 23:00 UTC the day before .. 02:30 (first, CEST) = 00:30 UTC
        (utc("2026-10-24 23:00"), utc("2026-10-25 00:30")),
        # 02:00 (first, CEST) = 00:00 UTC .. 03:00 CET = 02:00 UTC: two real hours
        (utc("2026-10-25 00:00"), utc("2026-10-25 02:00")),
    ]


def test_comparisons_in_the_repeated_hour_use_real_instants():
    sunday = Schedule("sun", "x", (period("2026-01-01"),), (special("2026-10-25", "01:00-03:00"),))
    hours = Hours(
        make_config(schedules=(sunday, HOTLINE), topics=(Topic("t", "T", "sun", "x", None, 30),))
    )
    # 01:00 CEST (23:00 UTC) .. 03:00 CET (02:00 UTC): three real hours; margin 30 minutes
    # -> issuing until 01:30 UTC, which is 02:30 in the second (CET) occurrence.
    first = datetime(2026, 10, 25, 2, 45, tzinfo=BERLIN, fold=0)  # 00:45 UTC
    second = datetime(2026, 10, 25, 2, 45, tzinfo=BERLIN, fold=1)  # 01:45 UTC
    assert hours.topic_status("t", first).issuing
    s = hours.topic_status("t", second)
    assert (s.open_now, s.issuing, s.reason) == (True, False, "margin")
    assert s.issue_until.astimezone(UTC) == utc("2026-10-25 01:30")
    assert s.issue_until.utcoffset() == timedelta(hours=1)  # the CET 02:30
    assert s.closes_at.astimezone(UTC) == utc("2026-10-25 02:00")


def test_first_occurrence_slot_is_closed_in_the_second_occurrence():
    hours = sunday_hours(special("2026-10-25", "01:00-02:30"))
    # Ends at 02:30 CEST = 00:30 UTC; 02:15 CET (01:15 UTC) is after it, whatever the wall clock.
    assert hours.is_open("sun", datetime(2026, 10, 25, 2, 15, tzinfo=BERLIN, fold=0))
    assert not hours.is_open("sun", datetime(2026, 10, 25, 2, 15, tzinfo=BERLIN, fold=1))
