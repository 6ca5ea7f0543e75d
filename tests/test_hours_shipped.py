"""Opening hours of the shipped Leverkusen config (config/), checked against a calendar by hand.

2026-11-30 is a Monday, 2026-12-24 a Thursday, 2027-01-01 a Friday, 2027-01-04 a Monday;
Easter Sunday 2027 is 28 March, so Good Friday is 2027-03-26.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.config import load_config
from kiosk.core.hours import Hours

CONFIG = Path(__file__).resolve().parent.parent / "config"
BERLIN = ZoneInfo("Europe/Berlin")
JSL_TOPICS = ("jsl_language", "jsl_work", "jsl_help")  # JOB Service Leverkusen, schedule "jsl"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


@pytest.fixture(scope="module")
def hours() -> Hours:
    if not (CONFIG / "site.toml").exists():
        pytest.skip(f"the shipped config is not there yet ({CONFIG / 'site.toml'} missing)")
    return Hours(load_config(CONFIG))  # a broken shipped config fails here, loudly


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
