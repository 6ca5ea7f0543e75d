"""Typed errors of the core; each message is one sentence a person can act on."""

from __future__ import annotations

from datetime import datetime


class KioskError(Exception):
    """Base of every error the core raises on purpose."""


class UnknownTopic(KioskError):
    def __init__(self, topic_id: str):
        super().__init__(f'unknown topic "{topic_id}"')
        self.topic_id = topic_id


class UnknownLanguage(KioskError):
    def __init__(self, code: str):
        super().__init__(f'unknown language "{code}"')
        self.code = code


class UnknownDesk(KioskError):
    def __init__(self, desk_id: str):
        super().__init__(f'unknown desk "{desk_id}"')
        self.desk_id = desk_id


class NotIssuing(KioskError):
    """The topic issues no tickets now; `reason` is closed, margin, closure, full or paused."""

    def __init__(self, topic_id: str, reason: str, next_issue_at: datetime | None = None):
        when = f"; next from {next_issue_at:%Y-%m-%d %H:%M}" if next_issue_at else ""
        words = {
            "closed": "is closed now",
            "margin": "issues no more tickets today (last-ticket time passed)",
            "closure": "is closed today",
            "full": "has reached its daily limit",
            "paused": "is paused for today by staff",
        }.get(reason, reason)
        super().__init__(f'topic "{topic_id}" {words}{when}')
        self.topic_id = topic_id
        self.reason = reason
        self.next_issue_at = next_issue_at


class DailyLimitReached(NotIssuing):
    def __init__(self, topic_id: str, next_issue_at: datetime | None = None):
        super().__init__(topic_id, "full", next_issue_at)


class TopicPaused(NotIssuing):
    def __init__(self, topic_id: str, next_issue_at: datetime | None = None):
        super().__init__(topic_id, "paused", next_issue_at)


class TicketNotFound(KioskError):
    def __init__(self, number: str):
        super().__init__(f"no ticket {number} today")
        self.number = number


ACTION_PHRASES = {
    "call": "be called",
    "recall": "be called again",
    "done": "be marked done",
    "no_show": "be marked as no-show",
    "reactivate": "be put back into the queue",
    "cancel": "be cancelled",
    "transfer": "be transferred",
}


class IllegalTransition(KioskError):
    """`desk` is the desk the ticket was called at (if any), so a refusal can name it."""

    def __init__(self, number: str, action: str, state: str, desk: str | None = None):
        verb = ACTION_PHRASES.get(action, action.replace("_", " "))
        at = f" at desk {desk}" if desk and state == "called" else ""
        super().__init__(f"ticket {number} is {state.replace('_', ' ')}{at}: it cannot {verb}")
        self.number = number
        self.action = action
        self.state = state
        self.desk = desk


class CalledElsewhere(KioskError):
    """Another desk's called ticket: acting on it needs that desk named in a confirmation
    (a desk owns its call, so one desk never silently closes another desk's visitor)."""

    def __init__(self, number: str, action: str, desk: str):
        verb = ACTION_PHRASES.get(action, action.replace("_", " "))
        super().__init__(
            f"ticket {number} is called at desk {desk}: it can {verb} from here "
            f"only when {desk} is confirmed"
        )
        self.number = number
        self.action = action
        self.desk = desk


class NothingToUndo(KioskError):
    def __init__(self, desk_id: str):
        super().__init__(f"desk {desk_id} has no recent action to undo")


class StorageUnavailable(KioskError):
    """The data folder cannot be written (full disk, read-only, permissions); nothing was lost."""


class ClockBehind(KioskError):
    """The clock is behind the newest stored event: refusing to write into the past."""
