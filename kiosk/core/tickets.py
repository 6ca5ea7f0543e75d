"""Tickets: the record, its states, the allowed transitions and the number format."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cached_property

from kiosk.core.errors import CalledElsewhere


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

# Actions on a called ticket that belong to the desk that called it (see check_owner).
OWN_CALL_ACTIONS = frozenset({"recall", "done", "no_show", "cancel", "transfer"})

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
    # The status page's key to this ticket (<public_url>/t/<token>): random, only for today.
    token: str | None = None
    # Wait range in minutes told at issue (low, high); None when it was "not known yet".
    estimate: tuple[int, int] | None = None
    cancelled_by: str | None = None  # "visitor" when cancelled on the status page

    @property
    def wait_minutes(self) -> float | None:
        """Real minutes from issue to (first) call; None while not called."""
        if self.called_at is None:
            return None
        return (
            self.called_at.astimezone(UTC) - self.issued_at.astimezone(UTC)
        ).total_seconds() / 60

    # Derived values are computed once per Ticket: the store reuses a Ticket for as long as its
    # stored document is unchanged, and the queue rules look at every ticket on every operation.
    # (cached_property writes the instance __dict__ directly, which a frozen dataclass allows.)

    @cached_property
    def number(self) -> str:
        return format_number(self.letter, self.seq)

    @cached_property
    def arrival(self) -> tuple[datetime, int, str]:
        """Queue order: issue time in UTC (wall times repeat in the autumn DST hour), then
        sequence and letter. A transferred ticket keeps all three."""
        return (self.issued_at.astimezone(UTC), self.seq, self.letter)

    @cached_property
    def called_utc(self) -> datetime | None:
        return None if self.called_at is None else self.called_at.astimezone(UTC)

    @cached_property
    def service_minutes(self) -> float | None:
        """Real minutes from call to finish (also across a DST change); None unless both."""
        if self.called_at is None or self.finished_at is None:
            return None
        return (
            self.finished_at.astimezone(UTC) - self.called_at.astimezone(UTC)
        ).total_seconds() / 60

    @cached_property
    def last_event(self) -> datetime:
        """The latest of its issue, call and finish times, in UTC."""
        return max(
            moment.astimezone(UTC)
            for moment in (self.issued_at, self.called_at, self.finished_at)
            if moment is not None
        )

    def evolve(self, **changes) -> Ticket:
        return replace(self, **changes)


def check_owner(ticket: Ticket, action: str, desk_id: str, confirmed_desk: str | None) -> None:
    """Raise CalledElsewhere when `desk_id` acts on a ticket another desk has called, unless
    the person confirmed that desk (`confirmed_desk`). Checked inside the store operation, so
    a ticket called elsewhere a moment ago is caught even if this desk's screen was behind."""
    if (
        action in OWN_CALL_ACTIONS
        and ticket.state is State.CALLED
        and ticket.desk
        and ticket.desk != desk_id
        and confirmed_desk != ticket.desk
    ):
        raise CalledElsewhere(ticket.number, action, ticket.desk)
