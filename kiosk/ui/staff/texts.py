"""Staff wording and looks shared by the staff screens: states, errors, minutes, language names."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.binding import BindingsMap
from textual.dom import DOMNode

from kiosk.core.config import Config
from kiosk.core.errors import (
    CalledElsewhere,
    ClockBehind,
    IllegalTransition,
    KioskError,
    NothingToUndo,
    NotIssuing,
    StorageUnavailable,
    TicketNotFound,
    UnknownDesk,
    UnknownTopic,
)
from kiosk.core.i18n import text
from kiosk.core.tickets import TRANSITIONS, State, Ticket

# A symbol beside each state word, so the state reads without colour too.
STATE_SYMBOL: dict[State, str] = {
    State.WAITING: "●",
    State.CALLED: "▶",
    State.DONE: "✓",
    State.NO_SHOW: "✗",
    State.CANCELLED: "–",
    State.EXPIRED: "·",
    State.UNRESOLVED: "?",
}

# Rich styles (independent of the theme): waiting bold, called inverted, finished dim.
STATE_STYLE: dict[State, str] = {
    State.WAITING: "bold",
    State.CALLED: "bold black on yellow",
    State.DONE: "dim green",
    State.NO_SHOW: "red",
    State.CANCELLED: "dim strike",
    State.EXPIRED: "dim",
    State.UNRESOLVED: "dim italic",
}

# Order of the rows: waiting first (arrival order), then called, then the rest.
STATE_RANK: dict[State, int] = {
    State.WAITING: 0,
    State.CALLED: 1,
    State.NO_SHOW: 2,
    State.DONE: 3,
    State.CANCELLED: 4,
    State.UNRESOLVED: 5,
    State.EXPIRED: 6,
}

# store action -> the staff key naming it (also the footer description)
ACTION_KEY: dict[str, str] = {
    "call": "key_call_selected",
    "call_next": "key_call_next",
    "recall": "key_recall",
    "done": "key_done",
    "no_show": "key_no_show",
    "reactivate": "key_reactivate",
    "transfer": "key_transfer",
    "cancel": "key_cancel",
    "undo": "key_undo",
    "pause": "key_pause",
    "resume": "key_pause",
}


def t(config: Config, lang: str, key: str, **values: object) -> str:
    """A staff string in `lang` (falling back to en, de, the key)."""
    return text(config, lang, "staff", key, **values)


def state_label(config: Config, lang: str, state: State | str) -> str:
    return t(config, lang, f"state_{State(state).value}")


def state_cell(config: Config, lang: str, state: State, by_visitor: bool = False) -> Text:
    """The state with its symbol; a cancel the visitor made on the status page says so."""
    label = (
        t(config, lang, "cancelled_by_visitor")
        if by_visitor and state is State.CANCELLED
        else state_label(config, lang, state)
    )
    return Text(f"{STATE_SYMBOL[state]} {label}", style=STATE_STYLE[state])


def minutes_between(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds() // 60))


def waited_minutes(ticket: Ticket, now: datetime) -> int | None:
    """How long the visitor waited: until now while waiting, until the call once called."""
    if ticket.state == State.WAITING:
        return minutes_between(ticket.issued_at, now)
    if ticket.called_at is not None:
        return minutes_between(ticket.issued_at, ticket.called_at)
    return minutes_between(ticket.issued_at, ticket.finished_at)


def sort_key(ticket: Ticket) -> tuple:
    rank = STATE_RANK.get(ticket.state, 9)
    if ticket.state == State.WAITING:
        return (rank, ticket.issued_at.timestamp(), ticket.seq)
    # everything else: the most recent event first
    moment = ticket.finished_at or ticket.called_at or ticket.issued_at
    return (rank, -moment.timestamp(), ticket.seq)


def language_name(config: Config, code: str, lang: str | None = None) -> str:
    """The language named in the staff language `lang` and natively, "Persisch/Farsi (فارسی)"
    (the native name alone without `lang`, or when the file gives no name in `lang`); the
    native part in display order for terminals that do not reorder."""
    language = config.languages.get(code)
    if language is None:
        return code
    name = language.native_name
    if language.rtl and config.site.rtl_mode != "terminal":
        from kiosk.ui.rtl import visual_line

        name = visual_line(name, rtl=True)
    staff = language.names.get(lang) if lang else None
    if staff and staff != language.native_name:
        return f"{staff} ({name})"
    return name


def language_short(config: Config, code: str, lang: str) -> str:
    """The language's name in the staff language, else its native name (narrow columns)."""
    language = config.languages.get(code)
    if language is not None and language.names.get(lang):
        return language.names[lang]
    return language_name(config, code)


def desk_name(config: Config, desk_id: str | None) -> str:
    if not desk_id:
        return ""
    desk = config.desk(desk_id)
    return desk.name if desk else desk_id


def action_word(config: Config, lang: str, action: str) -> str:
    """The footer word of the key that does `action` ("Fertig", "Storno")."""
    return t(config, lang, ACTION_KEY.get(action, "key_" + action))


def called_elsewhere(ticket: Ticket, desk_id: str) -> bool:
    """A ticket another desk has called: that desk's visitor."""
    return ticket.state == State.CALLED and bool(ticket.desk) and ticket.desk != desk_id


def error_text(config: Config, lang: str, error: Exception) -> str:
    """An error of the core as one sentence in the staff language."""
    if isinstance(error, CalledElsewhere):
        return t(
            config,
            lang,
            "err_called_elsewhere",
            number=error.number,
            desk=desk_name(config, error.desk),
            action=action_word(config, lang, error.action),
        )
    if isinstance(error, IllegalTransition):
        desk = getattr(error, "desk", None)
        called = error.state == State.CALLED.value and desk
        if called and error.action == "call":
            return t(
                config,
                lang,
                "err_already_called",
                number=error.number,
                desk=desk_name(config, desk),
            )
        state = state_label(config, lang, error.state)
        if called:
            state += f" – {desk_name(config, desk)}"
        allowed = TRANSITIONS.get(error.action, (frozenset(), None))[0]
        return t(
            config,
            lang,
            "err_illegal",
            number=error.number,
            state=state,
            action=action_word(config, lang, error.action),
            allowed=" / ".join(state_label(config, lang, s) for s in State if s in allowed),
        )
    if isinstance(error, TicketNotFound):
        return t(config, lang, "err_not_found", number=error.number)
    if isinstance(error, NothingToUndo):
        if type(error).__name__ == "UndoConflict":  # the store's: too old or changed since
            return t(config, lang, "err_undo_conflict")
        return t(config, lang, "err_nothing_to_undo")
    if isinstance(error, StorageUnavailable | OSError):
        return t(config, lang, "err_storage", message=str(error))
    if isinstance(error, ClockBehind):
        return t(config, lang, "err_clock")
    if isinstance(error, NotIssuing):
        return t(config, lang, "err_not_issuing", topic=error.topic_id, message=str(error))
    if isinstance(error, UnknownTopic):
        return t(config, lang, "err_unknown_topic", topic=error.topic_id)
    if isinstance(error, UnknownDesk):
        return t(config, lang, "err_unknown_desk", desk=error.desk_id)
    if isinstance(error, KioskError):
        return t(config, lang, "err_other", message=str(error))
    return t(config, lang, "err_other", message=f"{type(error).__name__}: {error}")


def translate_bindings(node: DOMNode, translate: Callable[[str], str]) -> None:
    """Replace the node's binding descriptions (staff keys) with their text in the staff language.

    Bindings are declared once per class with a staff key as description; the footer then shows
    the words of the language chosen at start. New lists: the class's own map stays untouched.
    The keys are always read from the class, so calling this again after a config reload picks
    up edited staff strings (translating the words of the last call would find no such key).
    """
    declared = type(node)._merged_bindings or BindingsMap()
    node._bindings = BindingsMap.from_keys(
        {
            key: [
                dataclasses.replace(b, description=translate(b.description)) if b.description else b
                for b in bindings
            ]
            for key, bindings in declared.key_to_bindings.items()
        }
    )
