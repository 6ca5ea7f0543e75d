"""The issuing step: one ticket from the store, its take-away notes and the code that fits.

Blocking (called from the app's thread worker): the issue itself, then writing the notes and
fitting the QR code, which is CPU work of the same size as the issue and so stays off the UI
thread too. The data runs one way: the app calls this with the store, this returns a `Prepared`
that the app hands to the ticket screen; the screen never calls back to issue.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from textual.geometry import Size

from kiosk.core.clock import Clock
from kiosk.core.config import Config
from kiosk.core.hours import Hours
from kiosk.core.i18n import topic_label
from kiosk.core.qr import Matrix, choose_note, take_away_notes
from kiosk.core.tickets import State, Ticket

INFO_MIN_WIDTH = 40
"""Columns kept for the number (the medium block font is 29 wide), people ahead, hotline:
enough that a busy ticket (people ahead, a wait range) fits 80x24 in every language."""
WIDE_SCREEN = 110
"""From this many columns the number is drawn in the large font (7 rows, 58 columns for
"A-001"): the text column keeps WIDE_INFO_WIDTH and the code takes what is left."""
WIDE_INFO_WIDTH = 62


@dataclass(frozen=True)
class Prepared:
    """What the issuing worker hands to the screen: the ticket and its take-away notes."""

    issued: Any
    """The store's Issued result."""
    notes: list[str]
    qr: tuple[str, Matrix] | None
    """The note chosen for the screen size at issue time, with its code (None: none fits)."""
    size: Size


PORTRAIT_INFO_ROWS = 30
"""Rows kept above the code on a portrait screen: the number, the text, the Done control."""


def is_portrait(size: Size) -> bool:
    """A screen taller than wide (cells are about twice as tall as wide): a portrait kiosk
    screen in the browser. The ticket then puts its code under the text, not beside it."""
    return size.height * 2 > size.width


def qr_room(size: Size) -> tuple[int, int]:
    """The cells the code may take on a screen of `size`: beside the essentials, or on a
    portrait screen under them. The number is the dominant element: on a wide screen its large
    font comes first, the code second."""
    if is_portrait(size):
        return max(0, size.width - 2), max(0, size.height - PORTRAIT_INFO_ROWS)
    info = WIDE_INFO_WIDTH if size.width >= WIDE_SCREEN else INFO_MIN_WIDTH
    return max(0, size.width - info), size.height


def prepare_ticket(
    store: Any,
    store_lock: threading.Lock,
    config: Config,
    hours: Hours,
    clock: Clock,
    topic_id: str,
    lang: str,
    size: Size,
) -> Prepared:
    """Issue one ticket for `topic_id` in `lang` and prepare what the ticket screen shows."""
    with store_lock:
        issued = store.issue(topic_id, lang)
    notes = take_away_notes(config, hours, issued.ticket, lang, clock.now())
    return Prepared(issued, notes, choose_note(notes, *qr_room(size)), size)


def next_numbers(config: Config, snapshot: Any, topic_ids: Any) -> dict[str, int]:
    """The sequence number each topic's next ticket will most likely get: one past the
    highest issued today with its letter (the store may skip numbers: then only a guess)."""
    highest: dict[str, int] = {}
    for number in snapshot.issued_topics:
        letter, _, seq = number.partition("-")
        if seq.isdigit():
            highest[letter] = max(highest.get(letter, 0), int(seq))
    guesses = {}
    for topic_id in topic_ids:
        topic = config.topic(topic_id)
        if topic is not None:
            guesses[topic_id] = highest.get(topic.letter, 0) + 1
    return guesses


def warm_codes(
    config: Config,
    hours: Hours,
    clock: Clock,
    snapshot: Any,
    issuing_topics: Any,
    lang: str,
    size: Size,
) -> int:
    """Encode, ahead of the tap, the QR code each issuing topic's next ticket would show.

    Called off the UI thread while a visitor reads the topic list. Nothing is reserved: the
    codes land in qr's cache keyed by the note's text, so a tap whose ticket got the guessed
    number finds its code ready (QR encoding is the largest part of the issuing worker), and
    a wrong guess costs nothing but this idle work. With a status page the code holds the
    ticket's random token, which exists only once issued: nothing to prepare then.
    Returns how many codes were prepared.
    """
    if config.site.status.enabled or snapshot is None:
        return 0
    now = clock.now()
    prepared = 0
    for topic_id, seq in next_numbers(config, snapshot, issuing_topics).items():
        topic = config.topic(topic_id)
        guess = Ticket(
            day=snapshot.day,
            letter=topic.letter,
            seq=seq,
            topic=topic_id,
            topic_label=topic_label(config, "de", topic_id),
            lang=lang,
            state=State.WAITING,
            issued_at=now,
        )
        if choose_note(take_away_notes(config, hours, guess, lang, now), *qr_room(size)):
            prepared += 1
    return prepared
