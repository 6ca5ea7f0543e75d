"""Aggregates: what is kept of a day after its ticket file is removed by retention.

One row per (day, topic, provider, language, hour of issue) with counts per outcome and
whole-minute histograms of waiting time (issued -> called) and service time (called -> done),
so medians and percentiles of removed days can still be computed. Rows of removed days live in
data/aggregates.json; `load_aggregates` reads them for the statistics.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.storage import DamagedFile, atomic_write_json, read_json
from kiosk.core.tickets import State, Ticket

if TYPE_CHECKING:
    from kiosk.core.config import Config

AGGREGATES_FILE = "aggregates.json"

COUNTS = ("issued", "served", "no_show", "cancelled", "expired", "unresolved", "waiting", "called")
_STATE_COUNT = {
    State.DONE: "served",
    State.NO_SHOW: "no_show",
    State.CANCELLED: "cancelled",
    State.EXPIRED: "expired",
    State.UNRESOLVED: "unresolved",
    State.WAITING: "waiting",
    State.CALLED: "called",
}


@dataclass
class AggregateRow:
    """Counts of one day x topic x provider x language x hour of issue."""

    day: date
    topic: str
    provider: str
    lang: str
    hour: int
    issued: int = 0
    served: int = 0  # done
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    unresolved: int = 0
    waiting: int = 0  # still waiting (only in rows of a live day)
    called: int = 0  # still called (only in rows of a live day)
    wait: dict[int, int] = field(default_factory=dict)  # whole minutes issued -> called: count
    service: dict[int, int] = field(default_factory=dict)  # whole minutes called -> done: count
    # Kept so a topic later removed from config still reads as it did (not part of the key).
    topic_label: str = ""
    letter: str = ""

    @property
    def key(self) -> tuple[date, str, str, str, int]:
        return (self.day, self.topic, self.provider, self.lang, self.hour)

    def to_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "day": self.day.isoformat(),
            "topic": self.topic,
            "provider": self.provider,
            "lang": self.lang,
            "hour": self.hour,
        }
        row.update({name: getattr(self, name) for name in COUNTS})
        row["wait"] = {str(k): v for k, v in sorted(self.wait.items())}
        row["service"] = {str(k): v for k, v in sorted(self.service.items())}
        row["topic_label"] = self.topic_label
        row["letter"] = self.letter
        return row

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> AggregateRow:
        return cls(
            day=date.fromisoformat(row["day"]),
            topic=str(row["topic"]),
            provider=str(row.get("provider", "")),
            lang=str(row["lang"]),
            hour=int(row["hour"]),
            **{name: int(row.get(name, 0)) for name in COUNTS},
            wait={int(k): int(v) for k, v in row.get("wait", {}).items()},
            service={int(k): int(v) for k, v in row.get("service", {}).items()},
            topic_label=str(row.get("topic_label", "")),
            letter=str(row.get("letter", "")),
        )


def whole_minutes(start, end) -> int:
    """Whole minutes between two aware times (in UTC, so DST nights count right); never < 0."""
    seconds = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
    return max(0, math.floor(seconds / 60))


def aggregate_day(day: date, tickets: Iterable[Ticket], config: Config) -> list[AggregateRow]:
    """Rows for one day's tickets, sorted by key. The provider is the topic's current one."""
    rows: dict[tuple, AggregateRow] = {}
    for ticket in tickets:
        topic = config.topic(ticket.topic)
        provider = topic.provider if topic else ""
        key = (day, ticket.topic, provider, ticket.lang, ticket.issued_at.hour)
        row = rows.get(key)
        if row is None:
            row = rows[key] = AggregateRow(*key)
        if not row.topic_label:
            row.topic_label = ticket.topic_label
        if not row.letter and ticket.transferred_from is None:
            # a transferred ticket keeps its first topic's letter, which is not this topic's
            row.letter = ticket.letter
        row.issued += 1
        name = _STATE_COUNT.get(ticket.state)
        if name:
            setattr(row, name, getattr(row, name) + 1)
        if ticket.called_at is not None:
            minutes = whole_minutes(ticket.issued_at, ticket.called_at)
            row.wait[minutes] = row.wait.get(minutes, 0) + 1
            if ticket.state is State.DONE and ticket.finished_at is not None:
                minutes = whole_minutes(ticket.called_at, ticket.finished_at)
                row.service[minutes] = row.service.get(minutes, 0) + 1
    return [rows[k] for k in sorted(rows)]


def merge_histograms(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for minutes, count in histogram.items():
            merged[minutes] = merged.get(minutes, 0) + count
    return merged


def percentile(histogram: Mapping[int, int], fraction: float) -> int | None:
    """The smallest minute value with at least `fraction` of the counts at or below it
    (fraction 0.5 = median); None for an empty histogram."""
    total = sum(histogram.values())
    if total == 0:
        return None
    needed = max(1, math.ceil(fraction * total))
    seen = 0
    for minutes in sorted(histogram):
        seen += histogram[minutes]
        if seen >= needed:
            return minutes
    return max(histogram)


def load_aggregates(data_dir: Path) -> dict[date, list[AggregateRow]]:
    """Kept rows of removed days, by day. A damaged file reads as empty (and is reported by the
    store, which moves it aside)."""
    try:
        data = read_json(Path(data_dir) / AGGREGATES_FILE)
    except DamagedFile:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("days"), dict):
        return {}
    result: dict[date, list[AggregateRow]] = {}
    for day_text, rows in data["days"].items():
        try:
            result[date.fromisoformat(day_text)] = [AggregateRow.from_json(r) for r in rows]
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return result


def save_aggregates(data_dir: Path, kept: Mapping[date, list[AggregateRow]]) -> None:
    """Write all kept rows atomically. Only the store calls this, under its lock."""
    atomic_write_json(
        Path(data_dir) / AGGREGATES_FILE,
        {
            "version": 1,
            "days": {
                day.isoformat(): [row.to_json() for row in rows]
                for day, rows in sorted(kept.items())
            },
        },
    )
