"""The one source of "now": the real clock, or one started at --now that runs on."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# Times a clock may be started at: tickets, schedules and statistics live in these years, and
# the calendar's edges (year 1, year 9999) make date arithmetic overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2199


def parse_local_time(text: str, tz: ZoneInfo) -> datetime:
    """Parse an ISO local time without offset (`2026-11-30T13:00`) as a time of the site.

    In the repeated hour of the autumn DST change the first occurrence (fold=0) is taken;
    a time that does not exist (spring gap) is moved forward by the gap, as clocks do.
    Raises ValueError with a sentence a person can act on (also for a year outside
    FIRST_YEAR-LAST_YEAR).
    """
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f'"{text}" is not a local time like 2026-11-30T13:00') from None
    if naive.tzinfo is not None:
        raise ValueError(f'"{text}" has an offset; give the local time of the site without one')
    if not FIRST_YEAR <= naive.year <= LAST_YEAR:
        raise ValueError(
            f'"{text}" is outside the years {FIRST_YEAR}-{LAST_YEAR}; give a time like '
            "2026-11-30T13:00"
        )
    aware = naive.replace(tzinfo=tz, fold=0)
    # A wall time inside the spring gap does not round-trip through UTC.
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        aware = round_trip
    return aware


@dataclass
class Clock:
    """Tells the site's local time; `start` makes it begin at a given moment and run on."""

    tz: ZoneInfo
    start: datetime | None = None
    _started_monotonic: float = field(default_factory=time.monotonic, repr=False)

    def now(self) -> datetime:
        """Aware local time of the site."""
        if self.start is None:
            return datetime.now(self.tz)
        elapsed = time.monotonic() - self._started_monotonic
        moved = self.start.astimezone(ZoneInfo("UTC")) + timedelta(seconds=elapsed)
        return moved.astimezone(self.tz)

    def today(self):
        return self.now().date()

    @classmethod
    def real(cls, tz: ZoneInfo | str) -> Clock:
        return cls(ZoneInfo(tz) if isinstance(tz, str) else tz)

    @classmethod
    def starting_at(cls, local_text: str, tz: ZoneInfo | str) -> Clock:
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        return cls(zone, parse_local_time(local_text, zone))


class FixedClock(Clock):
    """A clock that stands still until moved: for tests and snapshots."""

    def __init__(self, moment: datetime):
        super().__init__(moment.tzinfo, moment)  # type: ignore[arg-type]
        self.moment = moment

    def now(self) -> datetime:
        return self.moment.astimezone(self.tz)

    def advance(self, **delta: float) -> None:
        utc = self.moment.astimezone(ZoneInfo("UTC")) + timedelta(**delta)
        self.moment = utc.astimezone(self.tz)

    def set(self, moment: datetime) -> None:
        self.moment = moment
