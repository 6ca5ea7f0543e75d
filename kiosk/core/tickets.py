"""Tickets: the record, its states, the allowed transitions and the number format."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum


class State(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # still waiting when the day ended
    UNRESOLVED = "unresolved"  # still called when the day ended


# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[State], State]] = {
    "call": (frozenset({State.WAITING}), State.CALLED),
    "recall": (frozenset({State.CALLED}), State.CALLED),
    "done": (frozenset({State.CALLED}), State.DONE),
    "no_show": (frozenset({State.CALLED}), State.NO_SHOW),
    "reactivate": (frozenset({State.NO_SHOW}), State.WAITING),
    "cancel": (frozenset({State.WAITING, State.CALLED}), State.CANCELLED),
    "transfer": (frozenset({State.WAITING, State.CALLED}), State.WAITING),
}

FINAL_STATES = frozenset({State.DONE, State.CANCELLED, State.EXPIRED, State.UNRESOLVED})


def format_number(letter: str, seq: int) -> str:
    """`A-001`: the topic's letter and the day's sequence, at least three digits."""
    return f"{letter}-{seq:03d}"


@dataclass(frozen=True)
class Ticket:
    """One visitor's ticket. Holds no personal data: topic, language, number, times, desk."""

    day: date
    letter: str  # letter at issue time; kept on transfer
    seq: int
    topic: str  # current topic id
    topic_label: str  # German label at issue/transfer time, for removed or renamed topics
    lang: str
    state: State
    issued_at: datetime  # aware, site local; kept on transfer
    called_at: datetime | None = None
    finished_at: datetime | None = None  # done / no_show / cancelled / expired / unresolved
    desk: str | None = None
    recalls: int = 0
    transferred_from: str | None = None  # topic id before the last transfer

    @property
    def number(self) -> str:
        return format_number(self.letter, self.seq)

    def evolve(self, **changes) -> Ticket:
        return replace(self, **changes)
