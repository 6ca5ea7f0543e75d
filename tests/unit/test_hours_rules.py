"""Opening hours: boundaries, periods, special days, closures, next opening, hotline."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from kiosk.core.config import Schedule, Topic
from kiosk.core.errors import UnknownTopic
from kiosk.core.hours import Hours
from tests.hours_factory import (
    HOTLINE,
    JSL,
    KIM,
    TOPICS,
    at,
    closure,
    make_config,
    period,
    special,
    utc,
)

# Calendar used below (checked by hand): Mon 2026-11-30, Tue 12-01, Wed 12-02, Thu 12-03,
# Fri 12-04, Sat 12-05, Sun 12-06, Mon 12-07. Winter time: Berlin = UTC+1.


@pytest.fixture
def hours() -> Hours:
    return Hours(make_config())


def test_calendar_assumptions():
    assert date(2026, 11, 30).weekday() == 0
    assert date(2026, 12, 4).weekday() == 4
    assert date(2027, 1, 4).weekday() == 0
    assert date(2027, 1, 1).weekday() == 4


# ---- the opening and the closing minute -------------------------------------------------


def test_opening_minute_issues(hours):
    s = hours.topic_status("kim", at("2026-11-30 12:30"))
    assert (s.open_now, s.issuing, s.reason) == (True, True, "open")
    assert s.closes_at == at("2026-11-30 16:30")
    assert s.issue_until == at("2026-11-30 16:00")
    assert s.next_issue_at is None
    assert s.topic == "kim"


def test_one_second_before_opening_is_closed_and_opens_today(hours):
    s = hours.topic_status("kim", at("2026-11-30 12:29:59"))
    assert (s.open_now, s.issuing, s.reason) == (False, False, "closed")
    assert s.closes_at is None and s.issue_until is None
    assert s.next_issue_at == at("2026-11-30 12:30")


def test_before_the_first_slot_next_issue_is_today(hours):
    s = hours.topic_status("kim", at("2026-11-30 08:00"))
    assert s.reason == "closed"
    assert s.next_issue_at == at("2026-11-30 12:30")
    assert s.next_issue_at.astimezone(utc("2000-01-01 00:00").tzinfo) == utc("2026-11-30 11:30")


def test_closing_minute_is_closed(hours):
    assert hours.is_open("kim", at("2026-11-30 16:29:59"))
    assert not hours.is_open("kim", at("2026-11-30 16:30"))
    s = hours.topic_status("kim", at("2026-11-30 16:30"))
    assert (s.open_now, s.issuing, s.reason) == (False, False, "closed")
    assert s.next_issue_at == at("2026-12-02 12:30")  # Wednesday


# ---- the last-ticket margin -------------------------------------------------------------


def test_margin_boundary(hours):
    before = hours.topic_status("kim", at("2026-11-30 15:59:59"))
    assert (before.issuing, before.reason, before.next_issue_at) == (True, "open", None)
    s = hours.topic_status("kim", at("2026-11-30 16:00"))
    assert (s.open_now, s.issuing, s.reason) == (True, False, "margin")
    assert s.closes_at == at("2026-11-30 16:30")
    assert s.issue_until == at("2026-11-30 16:00")
    assert s.next_issue_at == at("2026-12-02 12:30")


def test_margin_of_jsl_is_its_own(hours):
    # jsl: Tuesday 13:00-16:30, 15 minutes margin.
    assert hours.topic_status("jsl", at("2026-12-01 16:14")).issuing
    s = hours.topic_status("jsl", at("2026-12-01 16:15"))
    assert s.reason == "margin"
    assert s.next_issue_at == at("2026-12-03 13:00")  # Thursday


def test_interval_shorter_than_margin_never_issues():
    topics = (Topic("long", "L", "jsl", "x", None, 180),)
    hours = Hours(make_config(topics=topics))
    # Friday 11:00-13:00 is two hours, shorter than the 3-hour margin.
    s = hours.topic_status("long", at("2026-12-04 11:00"))
    assert (s.open_now, s.issuing, s.reason) == (True, False, "margin")
    assert s.issue_until == at("2026-12-04 11:00")
    # Tuesday 13:00-16:30 is long enough; the Friday before is skipped.
    s = hours.topic_status("long", at("2026-12-04 08:00"))
    assert s.next_issue_at == at("2026-12-08 13:00")
    # next_opening ignores margins: it is about the schedule.
    assert hours.next_opening("jsl", at("2026-12-04 08:00")) == at("2026-12-04 11:00")


def test_later_interval_the_same_day():
    split = Schedule("split", "x", (period("2020-01-01", mon=("09:00-11:00", "13:00-15:00")),))
    topics = (Topic("t", "T", "split", "x", None, 10),)
    hours = Hours(make_config(schedules=(split, HOTLINE), topics=topics))
    s = hours.topic_status("t", at("2026-11-30 10:55"))
    assert s.reason == "margin" and s.next_issue_at == at("2026-11-30 13:00")
    s = hours.topic_status("t", at("2026-11-30 12:00"))
    assert s.reason == "closed" and s.next_issue_at == at("2026-11-30 13:00")
    assert hours.intervals("split", date(2026, 11, 30)) == [
        (at("2026-11-30 09:00"), at("2026-11-30 11:00")),
        (at("2026-11-30 13:00"), at("2026-11-30 15:00")),
    ]


# ---- periods take effect on their date ----------------------------------------------------


def test_effective_date_changes_that_day_not_the_day_before():
    changing = Schedule(
        "c",
        "x",
        (
            period("2022-10-05", tue="13:00-16:30", wed="12:30-16:30"),
            period("2026-12-02", tue="09:00-11:00", wed="08:00-10:00"),
        ),
    )
    hours = Hours(make_config(schedules=(changing, HOTLINE), topics=()))
    # Tuesday 2026-12-01, the day before: old hours.
    assert hours.intervals("c", date(2026, 12, 1)) == [
        (at("2026-12-01 13:00"), at("2026-12-01 16:30"))
    ]
    # Wednesday 2026-12-02, the first day: new hours.
    assert hours.intervals("c", date(2026, 12, 2)) == [
        (at("2026-12-02 08:00"), at("2026-12-02 10:00"))
    ]
    # The Wednesday before used the old hours.
    assert hours.intervals("c", date(2026, 11, 25)) == [
        (at("2026-11-25 12:30"), at("2026-11-25 16:30"))
    ]
    assert hours.intervals("c", date(2026, 12, 8)) == [
        (at("2026-12-08 09:00"), at("2026-12-08 11:00"))
    ]
    assert hours.next_opening("c", at("2026-12-01 17:00")) == at("2026-12-02 08:00")
    # Before the first period: closed (2022-10-04 is a Tuesday).
    assert date(2022, 10, 4).weekday() == 1
    assert hours.intervals("c", date(2022, 10, 4)) == []
    assert hours.next_opening("c", at("2022-10-04 12:00")) == at("2022-10-05 12:30")


# ---- closures ------------------------------------------------------------------------------

HOLIDAYS = (
    closure("2026-12-24", "2026-12-31"),  # Christmas to New Year's Eve
    closure("2027-01-01"),  # New Year's Day (a Friday)
)


def test_closed_range_and_next_opening_after_it():
    hours = Hours(make_config(closures=HOLIDAYS))
    evening = at("2026-12-23 17:00")  # Wednesday, after hours
    for day in range(24, 32):
        for sid in ("kim", "jsl", "hotline"):
            assert hours.intervals(sid, date(2026, 12, day)) == []
    # kim: Mon/Wed/Thu -> first day after the range is Monday 4 January.
    assert hours.next_opening("kim", evening) == at("2027-01-04 12:30")
    assert hours.topic_status("kim", evening).next_issue_at == at("2027-01-04 12:30")
    assert at("2027-01-04 12:30").astimezone(utc("2000-01-01 00:00").tzinfo) == utc(
        "2027-01-04 11:30"
    )
    # jsl: Tue/Thu/Fri -> Friday 1 January is the holiday, then the weekend, then Tuesday.
    assert hours.next_opening("jsl", evening) == at("2027-01-05 13:00")
    # hotline: Mon-Fri -> skips the holiday Friday and the weekend.
    assert hours.hotline_next(evening) == at("2027-01-04 08:00")


def test_status_inside_a_closure_says_closure():
    hours = Hours(make_config(closures=HOLIDAYS))
    s = hours.topic_status("kim", at("2026-12-28 13:00"))  # a Monday in the range
    assert (s.open_now, s.issuing, s.reason) == (False, False, "closure")
    assert s.next_issue_at == at("2027-01-04 12:30")
    # A closed day that would have no hours anyway is just "closed".
    s = hours.topic_status("kim", at("2026-12-29 13:00"))  # Tuesday: kim has no hours
    assert s.reason == "closed"


def test_per_topic_closure_leaves_other_topics_open():
    hours = Hours(make_config(closures=(closure("2026-11-30", topics=["vhs"]),)))
    vhs = hours.topic_status("vhs", at("2026-11-30 13:00"))
    assert (vhs.open_now, vhs.issuing, vhs.reason) == (False, False, "closure")
    assert vhs.next_issue_at == at("2026-12-02 12:30")
    for topic in ("kim", "ba"):  # same schedule, still open
        assert hours.topic_status(topic, at("2026-11-30 13:00")).issuing
    assert hours.is_open("kim", at("2026-11-30 13:00"))
    assert not hours.is_open("kim", at("2026-11-30 13:00"), topic_id="vhs")
    assert hours.intervals("kim", date(2026, 11, 30), "vhs") == []
    assert len(hours.intervals("kim", date(2026, 11, 30))) == 1
    assert hours.hotline_open(at("2026-11-30 13:00"))


def test_schedule_closure_closes_only_that_schedule():
    hours = Hours(make_config(closures=(closure("2026-11-30", schedules=["hotline"]),)))
    assert not hours.hotline_open(at("2026-11-30 10:00"))
    assert hours.hotline_next(at("2026-11-30 10:00")) == at("2026-12-01 08:00")
    assert hours.topic_status("kim", at("2026-11-30 13:00")).issuing


def test_global_closure_closes_the_hotline_too():
    hours = Hours(make_config(closures=(closure("2026-11-30"),)))
    assert not hours.hotline_open(at("2026-11-30 10:00"))
    assert hours.topic_status("kim", at("2026-11-30 13:00")).reason == "closure"


# ---- special days ---------------------------------------------------------------------------


def test_special_day_replaces_the_week():
    kim = Schedule(
        "kim",
        KIM.name,
        KIM.periods,
        (
            special("2026-12-02", "10:00-12:00", note="Weihnachtsfeier"),  # Wednesday, shorter
            special("2026-12-03"),  # Thursday, closed
            special("2026-12-05", "10:00-11:00"),  # Saturday, extra day
        ),
    )
    hours = Hours(make_config(schedules=(kim, JSL, HOTLINE)))
    assert hours.intervals("kim", date(2026, 12, 2)) == [
        (at("2026-12-02 10:00"), at("2026-12-02 12:00"))
    ]
    assert hours.topic_status("kim", at("2026-12-02 10:00")).issuing
    # At the usual opening time the special day is already over.
    s = hours.topic_status("kim", at("2026-12-02 12:30"))
    assert s.reason == "closed"
    # Thursday closed by a special day: "closure"; next is the extra Saturday.
    s = hours.topic_status("kim", at("2026-12-03 13:00"))
    assert s.reason == "closure"
    assert s.next_issue_at == at("2026-12-05 10:00")
    # Saturday 10:00-11:00 minus 30 minutes margin: issuing until 10:30.
    s = hours.topic_status("kim", at("2026-12-05 10:30"))
    assert s.reason == "margin" and s.next_issue_at == at("2026-12-07 12:30")
    # The other schedules are untouched.
    assert hours.is_open("jsl", at("2026-12-03 13:00"))


# ---- next opening ---------------------------------------------------------------------------


def test_next_opening_across_a_weekend(hours):
    # jsl Friday 11:00-13:00; at closing, next is Tuesday.
    assert hours.next_opening("jsl", at("2026-12-04 13:00")) == at("2026-12-08 13:00")
    s = hours.topic_status("jsl", at("2026-12-05 10:00"))  # Saturday
    assert s.reason == "closed" and s.next_issue_at == at("2026-12-08 13:00")
    assert hours.next_opening("kim", at("2026-12-03 17:00")) == at("2026-12-07 12:30")
    assert hours.hotline_next(at("2026-12-04 16:00")) == at("2026-12-07 08:00")


def test_next_opening_across_a_holiday():
    hours = Hours(make_config(closures=(closure("2026-12-07"),)))  # Monday
    assert hours.next_opening("kim", at("2026-12-03 17:00")) == at("2026-12-09 12:30")
    assert hours.hotline_next(at("2026-12-04 16:00")) == at("2026-12-08 08:00")


def test_next_opening_while_open_is_the_current_start(hours):
    assert hours.next_opening("kim", at("2026-11-30 14:00")) == at("2026-11-30 12:30")
    assert hours.hotline_next(at("2026-11-30 09:00")) == at("2026-11-30 08:00")


def test_next_opening_none_beyond_the_horizon():
    never = Schedule("never", "x", (period("2020-01-01"),))
    late = Schedule("late", "x", (period("2028-06-01", mon="09:00-10:00"),))
    hours = Hours(make_config(schedules=(never, late, HOTLINE), topics=()))
    assert hours.next_opening("never", at("2026-11-30 12:00")) is None
    assert hours.next_opening("late", at("2026-11-30 12:00")) is None  # > 400 days
    assert hours.next_opening("late", at("2026-11-30 12:00"), horizon_days=600) == at(
        "2028-06-05 09:00"
    )


def test_topic_that_never_issues_has_no_next():
    never = Schedule("never", "x", (period("2020-01-01"),))
    hours = Hours(make_config(schedules=(never, HOTLINE), topics=(Topic("n", "N", "never", "x"),)))
    s = hours.topic_status("n", at("2026-11-30 12:00"))
    assert (s.issuing, s.reason, s.next_issue_at) == (False, "closed", None)


# ---- hotline, errors ------------------------------------------------------------------------


def test_hotline(hours):
    assert not hours.hotline_open(at("2026-11-30 07:59"))
    assert hours.hotline_open(at("2026-11-30 08:00"))
    assert hours.hotline_open(at("2026-11-30 15:59"))
    assert not hours.hotline_open(at("2026-11-30 16:00"))
    assert hours.hotline_next(at("2026-11-30 16:00")) == at("2026-12-01 08:00")
    assert not hours.hotline_open(at("2026-12-05 10:00"))  # Saturday
    assert hours.hotline_next(at("2026-12-05 10:00")) == at("2026-12-07 08:00")


def test_hotline_without_a_schedule_is_closed():
    hours = Hours(make_config(schedules=(KIM, JSL), hotline_schedule=""))
    assert not hours.hotline_open(at("2026-11-30 10:00"))
    assert hours.hotline_next(at("2026-11-30 10:00")) is None


def test_unknown_topic_and_schedule(hours):
    with pytest.raises(UnknownTopic):
        hours.topic_status("nope", at("2026-11-30 13:00"))
    with pytest.raises(KeyError):
        hours.intervals("nope", date(2026, 11, 30))


def test_at_in_another_zone_means_the_same_instant(hours):
    # 11:59 UTC = 12:59 Berlin: open; 15:30 UTC = 16:30 Berlin: closed.
    assert hours.topic_status("kim", utc("2026-11-30 11:59")).issuing
    assert not hours.is_open("kim", utc("2026-11-30 15:30"))
    # 23:30 UTC on Sunday is already Monday 00:30 in Berlin: next is Monday 12:30.
    assert hours.next_opening("kim", utc("2026-11-29 23:30")) == at("2026-11-30 12:30")


def test_repeated_calls_are_cheap():
    """Screens ask for every topic every second; print what it costs (no timed assert)."""
    topics = TOPICS + tuple(Topic(f"t{i}", chr(75 + i), "kim", "x", None, 20) for i in range(4))
    hours = Hours(make_config(topics=topics, closures=HOLIDAYS))
    moment = at("2026-12-23 17:00")  # closed until January: the longest look-ahead here
    first = time.perf_counter()
    statuses = [hours.topic_status(t.id, moment) for t in topics]
    cold = time.perf_counter() - first
    start = time.perf_counter()
    for second in range(1000):
        now = moment + timedelta(seconds=second)
        for t in topics:
            hours.topic_status(t.id, now)
    warm = (time.perf_counter() - start) / 1000
    never = Schedule("never", "x", (period("2020-01-01"),))
    empty = Hours(make_config(schedules=(never, HOTLINE), topics=(Topic("n", "N", "never", "x"),)))
    start = time.perf_counter()
    empty.topic_status("n", moment)
    scan = time.perf_counter() - start
    print(
        f"\n8 topics cold {cold * 1000:.2f} ms, warm {warm * 1000:.3f} ms per second of screen;"
        f" a 400-day scan finding nothing {scan * 1000:.2f} ms"
    )
    assert all(s.next_issue_at is not None for s in statuses)
