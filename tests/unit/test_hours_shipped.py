"""Opening hours of the shipped Leverkusen config (config/), checked against a calendar by hand.

2026-11-30 is a Monday, 2026-12-24 a Thursday, 2027-01-01 a Friday, 2027-01-04 a Monday;
Easter Sunday 2027 is 28 March, so Good Friday is 2027-03-26.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.config import load_config
from kiosk.core.hours import Hours, format_when

CONFIG = Path(__file__).resolve().parents[2] / "config"
BERLIN = ZoneInfo("Europe/Berlin")
JSL_TOPICS = ("jsl_language", "jsl_work", "jsl_help")  # JOB Service Leverkusen, schedule "jsl"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


@pytest.fixture(scope="module")
def hours() -> Hours:
    return Hours(load_config(CONFIG))  # a missing or broken shipped config fails here, loudly


def test_calendar():
    assert date(2026, 11, 30).weekday() == 0
    assert date(2027, 1, 4).weekday() == 0
    assert date(2027, 3, 26).weekday() == 4
    assert date(2027, 3, 29).weekday() == 0


def test_monday_afternoon_kim_issues(hours):
    s = hours.topic_status("kim", at("2026-11-30 13:00"))
    assert (s.issuing, s.reason) == (True, "open")
    assert s.closes_at == at("2026-11-30 16:30")


def test_tuesday_afternoon_jsl_issues_kim_does_not(hours):
    for topic in JSL_TOPICS:
        assert hours.topic_status(topic, at("2026-12-01 13:00")).issuing, topic
    kim = hours.topic_status("kim", at("2026-12-01 13:00"))
    assert (kim.issuing, kim.reason) == (False, "closed")
    assert kim.next_issue_at == at("2026-12-02 12:30")  # Wednesday


def test_christmas_eve_everything_closed(hours):
    for topic in hours.config.topics:
        s = hours.topic_status(topic.id, at("2026-12-24 13:00"))
        assert not s.open_now and not s.issuing, topic.id
    assert not hours.hotline_open(at("2026-12-24 10:00"))


def test_next_opening_after_christmas_is_monday_4_january(hours):
    evening = at("2026-12-23 18:00")
    nexts = [hours.topic_status(t.id, evening).next_issue_at for t in hours.config.topics]
    assert min(n for n in nexts if n is not None) == at("2027-01-04 12:30")
    assert hours.topic_status("kim", evening).next_issue_at == at("2027-01-04 12:30")
    # JSL: Friday 1 January is New Year's Day, then the weekend, Monday has no JSL hours.
    assert hours.topic_status("jsl_work", evening).next_issue_at == at("2027-01-05 13:00")
    assert hours.hotline_next(evening) == at("2027-01-04 08:00")


def test_good_friday_2027_closed(hours):
    # jsl would be open on a Friday 11:00-13:00.
    for topic in JSL_TOPICS:
        s = hours.topic_status(topic, at("2027-03-26 11:30"))
        assert (s.open_now, s.reason) == (False, "closure"), topic
        assert s.next_issue_at == at("2027-03-30 13:00"), topic  # Tuesday after Easter Monday
    assert not hours.hotline_open(at("2027-03-26 10:00"))
    # Easter Monday closes the Sprechstunde; next is Wednesday.
    kim = hours.topic_status("kim", at("2027-03-29 13:00"))
    assert (kim.reason, kim.next_issue_at) == ("closure", at("2027-03-31 12:30"))


def test_week_lines_of_the_shipped_hours(hours):
    de = hours.config.languages["de"]
    assert hours.week_lines("jsl", de, at("2026-11-30 10:00")) == [
        "Di, Do 13:00–16:30",
        "Fr 11:00–13:00",
    ]
    assert hours.week_lines("sprechstunde", de, at("2026-11-30 10:00")) == [
        "Mo, Mi 12:30–16:30",
        "Do 13:00–17:00",
    ]


UTC = ZoneInfo("UTC")


def test_dst_weekends_with_the_shipped_hours(hours):
    # Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
    friday_evening = at("2026-03-27 17:00")  # CET, UTC+1
    monday = hours.hotline_next(friday_evening)
    assert monday == at("2026-03-30 08:00")
    assert monday.astimezone(UTC) == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)  # now CEST
    assert monday.astimezone(UTC) - friday_evening.astimezone(UTC) == timedelta(hours=62)
    kim = hours.topic_status("kim", friday_evening)
    assert kim.next_issue_at.astimezone(UTC) == datetime(2026, 3, 30, 10, 30, tzinfo=UTC)
    s = hours.topic_status("kim", at("2026-03-30 15:59"))  # margin still measured in CEST
    assert s.issuing and s.issue_until.astimezone(UTC) == datetime(2026, 3, 30, 14, 0, tzinfo=UTC)
    # October: Friday 23 in CEST, next Monday 26 in CET: one real hour longer.
    friday_evening = at("2026-10-23 17:00")
    monday = hours.hotline_next(friday_evening)
    assert monday.astimezone(UTC) == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert monday.astimezone(UTC) - friday_evening.astimezone(UTC) == timedelta(hours=64)
    jsl = hours.topic_status("jsl_work", at("2026-10-27 16:10"))  # Tuesday, 20 min margin
    assert (jsl.issuing, jsl.reason) == (False, "margin")
    assert jsl.closes_at.astimezone(UTC) == datetime(2026, 10, 27, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize("code", ["de", "en", "uk", "ru", "ar", "tr", "fa"])
def test_week_and_next_opening_in_every_visitor_language(hours, code):
    language = hours.config.languages[code]
    now = at("2026-11-30 10:00")  # Monday
    lines = hours.week_lines("jsl", language, now)
    days = language.weekdays
    comma = "\u060c " if language.rtl else ", "
    assert lines == [f"{days[1]}{comma}{days[3]} 13:00–16:30", f"{days[4]} 11:00–13:00"]
    assert hours.week_lines("hotline", language, now) == [comma.join(days[:5]) + " 08:00–16:00"]
    nxt = hours.topic_status("jsl_work", now).next_issue_at
    assert format_when(nxt, now, language) == f"{language.visitor['tomorrow']} 13:00"
    kim = hours.topic_status("kim", now).next_issue_at
    assert format_when(kim, now, language) == f"{language.visitor['today']} 12:30"
    thursday = hours.topic_status("jsl_work", at("2026-12-01 17:00")).next_issue_at
    assert format_when(thursday, at("2026-12-01 17:00"), language) == (
        f"{language.weekdays_long[3]} 13:00"
    )
