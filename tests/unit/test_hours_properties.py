"""Opening hours, checked for consistency at random moments of 2026-2027 (DST days included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.config import Schedule
from kiosk.core.hours import Hours
from tests.hours_factory import BERLIN, HOTLINE, JSL, KIM, TOPICS, closure, make_config, special

KIM_SPECIAL = Schedule(
    "kim",
    KIM.name,
    KIM.periods,
    (
        special("2026-03-29", "02:00-03:00", "01:30-04:00"),  # the spring gap, a Sunday
        special("2026-10-25", "01:00-02:30", "12:30-16:30"),  # the autumn fold, a Sunday
        special("2026-12-02"),
    ),
)
HOURS = Hours(
    make_config(
        schedules=(KIM_SPECIAL, JSL, HOTLINE),
        closures=(
            closure("2026-12-24", "2026-12-31"),
            closure("2027-01-01"),
            closure("2026-11-30", topics=["vhs"]),
        ),
    )
)
START = datetime(2026, 1, 1, tzinfo=UTC)
moments = st.integers(0, 2 * 365 * 24 * 60).map(lambda m: START + timedelta(minutes=m))
# Dense around the DST changes and the holidays too.
around = st.sampled_from(
    [
        datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        datetime(2026, 12, 23, 12, 0, tzinfo=UTC),
    ]
).flatmap(lambda base: st.integers(0, 6 * 60).map(lambda m: base + timedelta(minutes=m)))


@settings(max_examples=300, deadline=None)
@given(st.one_of(moments, around), st.sampled_from([t.id for t in TOPICS]))
def test_status_is_consistent(moment, topic_id):
    s = HOURS.topic_status(topic_id, moment)
    schedule = next(t.schedule for t in TOPICS if t.id == topic_id)
    assert s.open_now == HOURS.is_open(schedule, moment, topic_id)
    if s.issuing:
        assert s.open_now and s.reason == "open" and s.next_issue_at is None
        assert s.issue_until.astimezone(UTC) > moment
    else:
        assert s.reason in ("margin", "closed", "closure")
        assert (s.reason == "margin") == s.open_now
    if s.open_now:
        assert s.issue_until.astimezone(UTC) <= s.closes_at.astimezone(UTC)
        assert s.closes_at.astimezone(UTC) > moment
    if s.next_issue_at is not None:
        assert s.next_issue_at.astimezone(UTC) > moment
        assert HOURS.topic_status(topic_id, s.next_issue_at).issuing
        # Nothing issues in between (sampled).
        gap = s.next_issue_at.astimezone(UTC) - moment
        for fraction in (0.25, 0.5, 0.9):
            assert not HOURS.topic_status(topic_id, moment + gap * fraction).issuing


@settings(max_examples=200, deadline=None)
@given(st.one_of(moments, around))
def test_intervals_are_real_and_ordered(moment):
    day = moment.astimezone(BERLIN).date()
    for sid in ("kim", "jsl", "hotline"):
        pairs = HOURS.intervals(sid, day)
        for start, end in pairs:
            assert start.astimezone(UTC) < end.astimezone(UTC)
            assert start.astimezone(UTC).astimezone(BERLIN) == start  # an existing wall time
        starts = [s.astimezone(UTC) for s, _ in pairs]
        assert starts == sorted(starts)
