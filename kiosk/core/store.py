"""Store: the only code that opens data files. Tickets per local day, safe across processes.

Layout of the data folder (see also storage.py for how a file is written):
  tickets-YYYY-MM-DD.json   one TinyDB file per local day: table "meta" first (document 1:
                            per-letter sequence high-water marks, paused topics, undo journals),
                            then table "tickets" (one document per ticket, id = issue order)
  seq-YYYY-MM-DD.json       the day's per-letter high-water marks again, in a file of its own
  aggregates.json           kept rows of days removed by retention
  .rollover.json            which day the end-of-day resolution last ran for (and when), and the
                            latest day any process worked on (the clock check reads it)
  .lock                     the one file lock every process takes around each whole operation
  *.damaged-*.json          exact copies of damaged files (kept until retention); a damaged
                            day file is salvaged in place (see salvage.py): every ticket that
                            can be read stays in the queue at its place, and meta's "salvaged"
                            report says what came back, what is missing and what to check

Every operation (issue, call, snapshot, ...) takes the lock, opens a fresh TinyDB over a fresh
DayStorage of today's file (tables with cache_size=0), reads and decides through it, inserts and
updates documents through TinyDB's tables, has the storage write the file once, atomically, and
releases the lock. Nothing TinyDB caches (next document id, query results) outlives the
operation. The storage reads the file's bytes under the lock and parses them again only when
they are not exactly those this process last read or wrote, so another process's write is
always seen; the store's Tickets and the values derived from them are reused on the same terms
(see _Content, _Day). Readers that only want to know whether anything changed use
`change_stamp()` (one os.stat, no lock).

Numbers are never reused on a day, even after the day file was damaged: the next
number of a letter is above the largest of the seq file, the day file's meta, the tickets in it
and (only when the seq file is missing or damaged) every "K-012" and every meta high-water mark
found in moved-aside files. The seq file is written before the day file, so a crash between the
two skips a number rather than reusing one. A separate file is used because a damaged day file
may be cut short before its last tickets; scanning it cannot be trusted alone (meta comes first
so its marks survive a cut; only if both files are destroyed can numbers come again).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
import time as _time
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document

from kiosk.core import queue
from kiosk.core.aggregates import (
    AGGREGATES_FILE,
    AggregateRow,
    aggregate_day,
    load_aggregates,
    save_aggregates,
)
from kiosk.core.clock import Clock
from kiosk.core.config import Config, Desk, Topic
from kiosk.core.errors import (
    ClockBehind,
    DailyLimitReached,
    IllegalTransition,
    NothingToUndo,
    NotIssuing,
    StorageUnavailable,
    TicketNotFound,
    TopicPaused,
    UnknownDesk,
    UnknownLanguage,
    UnknownTopic,
)
from kiosk.core.i18n import topic_label
from kiosk.core.salvage import (
    MARK_IN_TEXT,
    NUMBER_IN_TEXT,
    SEQ_MARKS_IN_TEXT,
    Salvage,
    salvage_day,
)
from kiosk.core.storage import (
    FILE_MODE,
    LOCK_FILE,
    DamagedFile,
    DayFile,
    DayStorage,
    atomic_write,
    atomic_write_json,
    clean_leftovers,
    doc_fragment,
    encode,
    encode_day,
    make_private_dir,
    read_bytes,
    read_json,
    unavailable,
)
from kiosk.core.tickets import TRANSITIONS, State, Ticket, check_owner, format_number

log = logging.getLogger("kiosk.store")

ROLLOVER_FILE = ".rollover.json"
LOCK_TIMEOUT = 10.0  # seconds; longer means something is stuck: StorageUnavailable
LOCK_POLL = 0.002  # seconds between tries while another process holds the lock
UNDO_WINDOW = timedelta(minutes=5)
CLOCK_TOLERANCE = timedelta(minutes=5)
# Day files changed since the last end-of-day pass are looked at again; this much earlier, for
# file systems with a coarse clock (our own writes carry a precise mtime).
MTIME_MARGIN_NS = 50_000_000
JOURNAL_KEEP = 20  # undo entries kept per desk
DAY_FILE = re.compile(r"^tickets-(\d{4}-\d{2}-\d{2})\.json$")
DAMAGED_DAY_FILE = re.compile(r"^tickets-(\d{4}-\d{2}-\d{2})\.damaged-")
DATED_FILE = re.compile(r"^(?:tickets|seq)-(\d{4}-\d{2}-\d{2})\.")
# File system types on which file locks are unreliable.
NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb2",
    "smb3",
    "smbfs",
    "9p",
    "ceph",
    "glusterfs",
    "afs",
    "ncpfs",
    "davfs",
    "fuse.sshfs",
    "fuse.rclone",
    "fuse.s3fs",
    "fuse.glusterfs",
}


@dataclass(frozen=True)
class Issued:
    """A freshly issued ticket with what the visitor is told."""

    ticket: Ticket
    people_ahead: int
    wait_minutes: int | None

    @property
    def wait_range(self) -> tuple[int, int] | None:
        """The wait told to the visitor as (low, high) minutes; None: not known yet."""
        return self.ticket.estimate


@dataclass(frozen=True)
class DaySnapshot:
    """One day as stored at one moment.

    For a day removed by retention `tickets` is empty and `aggregates` holds its kept rows.
    `issued_topics` maps number -> topic at issue (daily limits count those, not transfers).
    """

    day: date
    tickets: tuple[Ticket, ...]  # issue order
    paused: frozenset[str]
    stamp: Any
    issued_topics: Mapping[str, str] = field(default_factory=dict)
    aggregates: tuple[AggregateRow, ...] | None = None
    # Issued today and waiting now per topic (queue.topic_counts), if known.
    counts: tuple[Mapping[str, int], Mapping[str, int]] | None = None
    # Salvages of today's damaged file (salvage.Salvage.report), oldest first: staff see them.
    salvaged: tuple[Mapping[str, Any], ...] = ()
    # The newest event stored today or on a later day (site time; set by Store.snapshot):
    # a clock behind it by more than CLOCK_TOLERANCE makes issuing refuse (see notices.py).
    newest_stored: datetime | None = None
    # Call-next topics staff set for their desk today (desk id -> topic ids); until the day
    # ends, these replace the desk's topics from desks.toml.
    desk_topics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class UndoConflict(NothingToUndo):
    """The desk's last action cannot be undone: the ticket was changed since, or it is too late."""

    def __init__(self, desk_id: str, message: str):
        # Our own sentence; still a NothingToUndo so callers can catch one type.
        Exception.__init__(self, message)
        self.desk_id = desk_id


# ---------------------------------------------------------------------------- documents


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _time_of(text: str | None, tz) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time without offset: {text}")
    return moment.astimezone(tz)


def ticket_doc(ticket: Ticket, **extra: Any) -> dict[str, Any]:
    doc = {
        "number": ticket.number,
        "day": ticket.day.isoformat(),
        "letter": ticket.letter,
        "seq": ticket.seq,
        "topic": ticket.topic,
        "topic_label": ticket.topic_label,
        "lang": ticket.lang,
        "state": ticket.state.value,
        "issued_at": _iso(ticket.issued_at),
        "called_at": _iso(ticket.called_at),
        "finished_at": _iso(ticket.finished_at),
        "desk": ticket.desk,
        "recalls": ticket.recalls,
        "transferred_from": ticket.transferred_from,
    }
    # The status page's fields only where set: documents stay as they were without them.
    if ticket.token is not None:
        doc["token"] = ticket.token
    if ticket.estimate is not None:
        doc["estimate"] = list(ticket.estimate)
    if ticket.cancelled_by is not None:
        doc["cancelled_by"] = ticket.cancelled_by
    doc.update(extra)
    return doc


def doc_ticket(doc: Mapping[str, Any], tz) -> Ticket:
    """The Ticket of a stored document; ValueError/KeyError/TypeError if it is malformed."""
    letter, seq = doc["letter"], doc["seq"]
    if not (isinstance(letter, str) and len(letter) == 1 and isinstance(seq, int)):
        raise ValueError("bad letter or seq")
    issued_at = _time_of(doc["issued_at"], tz)
    if issued_at is None:
        raise ValueError("no issue time")
    return Ticket(
        day=date.fromisoformat(doc["day"]),
        letter=letter,
        seq=seq,
        topic=str(doc["topic"]),
        topic_label=str(doc.get("topic_label", doc["topic"])),
        lang=str(doc["lang"]),
        state=State(doc["state"]),
        issued_at=issued_at,
        called_at=_time_of(doc.get("called_at"), tz),
        finished_at=_time_of(doc.get("finished_at"), tz),
        desk=doc.get("desk"),
        recalls=int(doc.get("recalls", 0)),
        transferred_from=doc.get("transferred_from"),
        token=_token_of(doc.get("token")),
        estimate=_estimate_of(doc.get("estimate")),
        cancelled_by=doc.get("cancelled_by"),
    )


def _token_of(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _estimate_of(value: Any) -> tuple[int, int] | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return value[0], value[1]
    return None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _newest_event(tickets: Collection[Ticket]) -> datetime | None:
    """The latest issue, call or finish time of `tickets`, in UTC."""
    return max((t.last_event for t in tickets), default=None)


def _may_hold_open_tickets(raw: bytes) -> bool:
    """False only if a day file's text shows for certain that no ticket in it is left waiting
    or called: no `"state":"waiting"` or `"state":"called"` between the key of table "tickets"
    and that of table "meta" (or the end, if meta comes first or is missing).

    Text is enough because JSON escapes every quote inside a string: the pattern can only be a
    real key and value. The undo journal in meta holds copies of tickets as they were, hence
    the region. A file not in the compact layout the store writes says True: parse to be sure.
    """
    if not raw.startswith((b'{"tickets":{', b'{"meta":{')):
        return True
    start = raw.find(b'"tickets":{')
    if start < 0:
        return False  # no tickets at all
    end = raw.find(b'"meta":{')
    if end < start:
        end = len(raw)
    return (
        raw.find(b'"state":"waiting"', start, end) >= 0
        or raw.find(b'"state":"called"', start, end) >= 0
    )


def _marker_date(marker: Mapping[str, Any], key: str) -> date | None:
    try:
        return date.fromisoformat(marker[key])
    except (KeyError, TypeError, ValueError):
        return None


def clock_behind(newest_stored: datetime | None, now: datetime) -> bool:
    """Whether a clock showing `now` is behind the newest stored event (beyond the tolerance
    that processes' clocks may differ by): then issuing refuses rather than write the past."""
    # In UTC: times of one zone compare by wall clock, and the autumn hour repeats.
    return newest_stored is not None and _utc(newest_stored) > _utc(now) + CLOCK_TOLERANCE


def day_end(day: date, tz) -> datetime:
    """The moment tickets left over from `day` are resolved at."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


# ---------------------------------------------------------------------------- one day file


@dataclass(frozen=True, eq=False)
class _Content:
    """A day file as this process last read or wrote it, with what the store made of it.

    Never changed in place (an operation works on copies, see _Day), so the next operation
    uses it as it is when, under the lock, the file's bytes are still exactly those of `file`
    (DayStorage compares them): whatever another process wrote, the bytes differ. When they
    differ, tickets whose documents are unchanged keep their Ticket, so an operation parses
    only the documents another process changed.
    """

    file: DayFile  # the file's bytes and tables, as TinyDB's storage holds them
    tz: Any
    tickets: Mapping[int, Ticket]  # table "tickets": document id -> Ticket, id order
    numbers: Mapping[str, int]  # ticket number -> document id
    meta: Mapping[str, Any]  # document 1 of table "meta", with seq/paused/journal

    # Derived once per content (an operation that changed nothing yet asks these).
    @cached_property
    def issued_topics(self) -> Mapping[str, str]:
        # The documents as the storage holds them for TinyDB: the file's, never changed.
        return _issued_topics(self.file.tables.get("tickets", {}).values())

    @cached_property
    def seq_marks(self) -> Mapping[str, int]:
        return _seq_marks(self.tickets.values())

    @cached_property
    def topic_counts(self) -> tuple[Mapping[str, int], Mapping[str, int]]:
        return queue.topic_counts(self.tickets.values(), self.issued_topics)

    @cached_property
    def topic_service(self) -> Mapping[str, queue.TopicService]:
        return queue.topic_service(self.tickets.values())

    @cached_property
    def newest_event(self) -> datetime | None:
        return _newest_event(self.tickets.values())

    @cached_property
    def latest_issue(self) -> datetime | None:
        return max((t.arrival[0] for t in self.tickets.values()), default=None)


def _issued_topics(docs: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """number -> topic at issue (daily limits count those, not transfers)."""
    return {
        doc["number"]: doc.get("issued_topic", doc["topic"])
        for doc in docs
        if isinstance(doc.get("number"), str)
    }


def _seq_marks(tickets: Iterable[Ticket]) -> dict[str, int]:
    """The highest sequence per letter among `tickets`."""
    return _seq_marks_with({}, tickets)


def _seq_marks_with(marks: Mapping[str, int], tickets: Iterable[Ticket]) -> dict[str, int]:
    marks = dict(marks)
    for ticket in tickets:
        if ticket.seq > marks.get(ticket.letter, 0):
            marks[ticket.letter] = ticket.seq
    return marks


@dataclass(frozen=True)
class _Cached:
    path: Path
    content: _Content


def _checked_meta(meta: Any) -> dict[str, Any]:
    if not isinstance(meta, dict):
        raise ValueError("meta is not an object")
    meta = dict(meta)
    seq = meta.setdefault("seq", {})
    paused = meta.setdefault("paused", [])
    journal = meta.setdefault("journal", {})
    if not (isinstance(seq, dict) and all(type(v) is int for v in seq.values())):
        raise ValueError("meta.seq")
    if not (
        isinstance(paused, list)
        and isinstance(journal, dict)
        and all(isinstance(v, list) for v in journal.values())
    ):
        raise ValueError("meta.paused/journal")
    return meta


def _desk_topics(meta: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """meta["desk_topics"] as read; a malformed entry counts as not set (desks.toml applies)."""
    stored = meta.get("desk_topics")
    if not isinstance(stored, dict):
        return {}
    return {
        str(desk): tuple(topics)
        for desk, topics in stored.items()
        if isinstance(topics, list) and topics and all(isinstance(t, str) for t in topics)
    }


def _entry_before(entry: Any, cutoff: datetime) -> bool:
    """Whether an undo journal entry was recorded before `cutoff` (a malformed one: no)."""
    try:
        return datetime.fromisoformat(entry["at"]).astimezone(UTC) < cutoff
    except (KeyError, TypeError, ValueError):
        return False


class _Day:
    """One operation on one day file: a fresh TinyDB over a fresh DayStorage, and the store's
    working copies of the day's Tickets and meta.

    Documents are inserted and updated through TinyDB's tables, and read through them wherever
    a document itself is needed (the tables have cache_size=0 and are new per operation, so
    neither the next document id nor a query result TinyDB caches outlives the operation).
    Tickets, and values derived from the documents, are the content's for documents unchanged
    since this process last read or wrote the file (decided by the file's bytes, see
    DayStorage). Meta is written once, at the end. The store never changes a value inside a
    document in place (meta's lists and mappings are copied here before they change), which
    lets DayStorage hand TinyDB shallow copies. `content` is what the file holds when the
    operation ends (the same object as read if nothing was written).
    """

    def __init__(self, day: date, path: Path, storage: DayStorage, previous: _Content | None, tz):
        """Read the file through TinyDB; DamagedFile if it cannot be used. `previous` (this
        process's last content of the file, same time zone) must be the `last` of `storage`."""
        self.day = day
        self.path = path
        self.tz = tz
        self.storage = storage
        self.db = TinyDB(storage=lambda: storage)
        self.table = self.db.table("tickets", cache_size=0)
        self.meta_table = self.db.table("meta", cache_size=0)
        try:
            meta = self.meta_table.get(doc_id=1)  # TinyDB's first read reads the file
            if previous is not None and storage.file is previous.file:
                content = previous
            else:
                content = self._read_content(meta, previous)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise DamagedFile(path, f"wrong shape ({error!r})") from None
        self.content = content
        self.tickets: dict[int, Ticket] = dict(content.tickets)
        self._numbers = dict(content.numbers)
        meta = content.meta
        self.meta: dict[str, Any] = {
            **meta,
            "seq": dict(meta["seq"]),
            "paused": list(meta["paused"]),
            "journal": {desk: list(entries) for desk, entries in meta["journal"].items()},
        }
        self._changed: set[int] = set()  # documents inserted or updated
        self._added: dict[int, Mapping[str, Any]] = {}  # documents inserted
        self._meta_changed = False
        self.stamp: tuple | None = None  # change stamp, set under the lock after the operation

    def _read_content(self, meta: Mapping[str, Any] | None, previous: _Content | None) -> _Content:
        """The content of the file TinyDB read: documents the storage found unchanged since
        `previous` keep their Ticket, the others are read through TinyDB and parsed."""
        tickets: dict[int, Ticket] = {}
        if previous is not None:
            tickets = {doc_id: previous.tickets[doc_id] for doc_id in self.storage.kept_ids}
        changed = self.table.get(doc_ids=list(self.storage.changed_ids))
        for doc in changed:
            tickets[doc.doc_id] = doc_ticket(doc, self.tz)
        tickets = dict(sorted(tickets.items()))
        numbers: dict[str, int] = {}
        for doc_id, ticket in tickets.items():
            numbers.setdefault(ticket.number, doc_id)
        return _Content(self.storage.file, self.tz, tickets, numbers, _checked_meta(meta or {}))

    # reading
    def ticket_list(self) -> list[Ticket]:
        return list(self.tickets.values())

    def find(self, number: str) -> tuple[int, Ticket]:
        doc_id = self._numbers.get(number.strip().upper())
        if doc_id is None:
            raise TicketNotFound(number)
        return doc_id, self.tickets[doc_id]

    def document(self, doc_id: int) -> Document | None:
        """A ticket's document as TinyDB holds it now."""
        return self.table.get(doc_id=doc_id)

    # Derived values: the content's (computed once) while this operation changed nothing.
    def issued_topics(self) -> Mapping[str, str]:
        return _issued_topics(self.table.all()) if self._changed else self.content.issued_topics

    def seq_marks(self) -> Mapping[str, int]:
        return _seq_marks(self.tickets.values()) if self._changed else self.content.seq_marks

    def topic_counts(self) -> tuple[Mapping[str, int], Mapping[str, int]]:
        if self._changed:
            return queue.topic_counts(self.tickets.values(), self.issued_topics())
        return self.content.topic_counts

    def topic_service(self) -> Mapping[str, queue.TopicService]:
        if self._changed:
            return queue.topic_service(self.tickets.values())
        return self.content.topic_service

    def newest_event(self) -> datetime | None:
        return _newest_event(self.tickets.values()) if self._changed else self.content.newest_event

    def latest_issue(self) -> datetime | None:
        """The latest issue time, in UTC."""
        if self._changed:
            return max((t.arrival[0] for t in self.tickets.values()), default=None)
        return self.content.latest_issue

    @property
    def paused(self) -> frozenset[str]:
        return frozenset(self.meta["paused"])

    # writing
    def insert(self, ticket: Ticket, **extra: Any) -> int:
        doc = ticket_doc(ticket, **extra)
        doc_id = self.table.insert(doc)
        self.tickets[doc_id] = ticket
        self._numbers.setdefault(ticket.number, doc_id)
        self._changed.add(doc_id)
        self._added[doc_id] = doc
        return doc_id

    def replace(self, doc_id: int, ticket: Ticket, **extra: Any) -> dict[str, Any]:
        """Store `ticket` (and `extra` fields) in its document; the document as it is now."""
        self.table.update({**ticket_doc(ticket), **extra}, doc_ids=[doc_id])
        self.tickets[doc_id] = ticket
        self._changed.add(doc_id)
        return dict(self.document(doc_id) or {})

    def resolve_open(self, end: datetime) -> int:
        """End of day: waiting tickets expire and called ones stay unresolved, as of `end`;
        how many changed (one TinyDB update per new state)."""
        resolved = 0
        for before, after in ((State.WAITING, State.EXPIRED), (State.CALLED, State.UNRESOLVED)):
            doc_ids = [doc_id for doc_id, t in self.tickets.items() if t.state is before]
            if not doc_ids:
                continue
            self.table.update({"state": after.value, "finished_at": _iso(end)}, doc_ids=doc_ids)
            for doc_id in doc_ids:
                self.tickets[doc_id] = self.tickets[doc_id].evolve(state=after, finished_at=end)
            self._changed.update(doc_ids)
            resolved += len(doc_ids)
        return resolved

    @property
    def dirty(self) -> bool:
        return bool(self._changed or self._meta_changed)

    def prune_journals(self, cutoff: datetime) -> None:
        """Drop undo entries older than `cutoff` (UTC), keeping each desk's last one: they can
        never be undone (undo takes the last entry, and refuses one older than the window), yet
        every write of the day would carry them (whole tickets before and after, per desk)."""
        journals = self.meta["journal"]
        for desk, entries in journals.items():
            if len(entries) > 1 and _entry_before(entries[0], cutoff):
                kept = [e for e in entries[:-1] if not _entry_before(e, cutoff)]
                journals[desk] = [*kept, entries[-1]]
                self.save_meta()

    def save_meta(self) -> None:
        """Mark meta as changed: `flush` writes it."""
        self._meta_changed = True

    def flush(self) -> None:
        """Write meta through TinyDB if it changed, then the file once (DayStorage.save), if
        anything changed; only the documents this operation changed are encoded again."""
        if not self.dirty:
            return
        base = self.content
        if self._meta_changed:
            self.meta_table.upsert(Document(self.meta, doc_id=1))
        file = self.storage.save(changed=self._changed)
        self.content = _Content(file, self.tz, self.tickets, self._numbers, self.meta)
        self._carry_derived(base)
        self._changed = set()
        self._added = {}
        self._meta_changed = False

    def _carry_derived(self, base: _Content) -> None:
        """After documents were only added (an issue), the new content's derived values follow
        from the old ones and the new tickets: the next operation need not look at every ticket.
        """
        if any(doc_id in base.tickets for doc_id in self._changed):
            return  # a ticket changed: derive again when asked
        added = [self.tickets[doc_id] for doc_id in sorted(self._changed)]
        known = base.__dict__  # cached_property values computed so far
        derived = self.content.__dict__
        added_topics = _issued_topics(self._added[doc_id] for doc_id in sorted(self._changed))
        if "issued_topics" in known:
            derived["issued_topics"] = {**known["issued_topics"], **added_topics}
        if "seq_marks" in known:
            derived["seq_marks"] = _seq_marks_with(known["seq_marks"], added)
        if "topic_service" in known and all(
            t.state is State.WAITING and t.desk is None and t.called_at is None for t in added
        ):
            derived["topic_service"] = known["topic_service"]
        if "topic_counts" in known:
            issued, waiting = (dict(counts) for counts in known["topic_counts"])
            for ticket in added:
                topic = added_topics.get(ticket.number, ticket.topic)
                issued[topic] = issued.get(topic, 0) + 1
                if ticket.state is State.WAITING:
                    waiting[ticket.topic] = waiting.get(ticket.topic, 0) + 1
            derived["topic_counts"] = (issued, waiting)
        for name, values in (
            ("newest_event", [t.last_event for t in added]),
            ("latest_issue", [t.arrival[0] for t in added]),
        ):
            if name in known:
                derived[name] = max(
                    [v for v in (known[name], *values) if v is not None], default=None
                )


# ---------------------------------------------------------------------------- the store


def filesystem_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The fstype of the mount holding `path`, from /proc/mounts (None if unknown)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text()
        except OSError:
            return None
    target = os.path.realpath(path)
    best, best_type = "", None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def is_network_fs(fstype: str | None) -> bool:
    return bool(fstype) and (fstype in NETWORK_FS or fstype.split(".")[0] in NETWORK_FS)


class Store:
    """Tickets of the service point, shared by every kiosk, display and staff process.

    All methods block (disk and lock): UI code calls them in thread workers. `store.config` may
    be replaced on a hot reload. `hours` may be injected (tests); by default it is
    kiosk.core.hours.Hours(config).
    """

    def __init__(self, data_dir: Path, config: Config, clock: Clock, hours: Any = None):
        self.data_dir = Path(data_dir)
        self.config = config
        self.clock = clock
        self._hours = hours
        self._hours_for: Config | None = None
        self.warnings: list[str] = []
        self._last_fault: str | None = None
        try:
            make_private_dir(self.data_dir)
        except OSError as error:
            raise unavailable(self.data_dir / "x", error) from error
        self._lock = FileLock(str(self.data_dir / LOCK_FILE), timeout=LOCK_TIMEOUT, mode=FILE_MODE)
        self._thread_lock = threading.RLock()
        self._started = False
        self._lock_file_ok = False
        self._rolled: date | None = None
        self._newest_cache: dict[str, tuple[tuple, datetime | None]] = {}
        self._cache: _Cached | None = None  # today's file as last read or written, see _Content
        fstype = filesystem_type(self.data_dir)
        if is_network_fs(fstype):
            self._warn(
                f"the data folder {self.data_dir} is on a network file system ({fstype}): "
                "file locks are unreliable there; use a local disk"
            )

    # -- plumbing

    def _report_fault(self, message: str) -> None:
        """Log a storage fault once while it lasts (screens retry often)."""
        if message != self._last_fault:
            log.error("%s", message)
            self._last_fault = message

    def _warn(self, message: str) -> None:
        log.warning(message)
        self.warnings.append(message)

    @property
    def hours(self) -> Any:
        if self._hours is not None:
            return self._hours
        if self._hours_for is not self.config:
            from kiosk.core.hours import Hours

            self._hours_cache = Hours(self.config)
            self._hours_for = self.config
        return self._hours_cache

    @property
    def tz(self):
        return self.config.site.timezone

    def day_path(self, day: date) -> Path:
        return self.data_dir / f"tickets-{day.isoformat()}.json"

    def seq_path(self, day: date) -> Path:
        return self.data_dir / f"seq-{day.isoformat()}.json"

    def _check_lock_file(self) -> None:
        """StorageUnavailable at once if the lock file cannot be opened for writing (a folder
        that cannot be written, such as /proc/1): filelock would retry for LOCK_TIMEOUT and
        then blame another process. Checked until it succeeds once."""
        if self._lock_file_ok:
            return
        path = self.data_dir / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
            with suppress(OSError):  # another user's lock file stays theirs
                os.fchmod(fd, FILE_MODE)
        except OSError as error:
            fault = unavailable(path, error)
            self._report_fault(str(fault))
            raise fault from error
        os.close(fd)
        self._lock_file_ok = True

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            self._check_lock_file()
            try:
                # filelock polls a busy lock; its default 50 ms sleep would dominate each wait.
                self._lock.acquire(poll_interval=LOCK_POLL)
            except Timeout:
                fault = StorageUnavailable(
                    f"storage unavailable: the data folder {self.data_dir} stayed locked for "
                    f"{LOCK_TIMEOUT:.0f} s (another process stuck?)"
                )
                self._report_fault(str(fault))
                raise fault from None
            except OSError as error:
                fault = unavailable(self.data_dir / LOCK_FILE, error)
                self._report_fault(str(fault))
                raise fault from error
            try:
                yield
            finally:
                self._lock.release()

    @contextmanager
    def _op(self) -> Iterator[tuple[_Day, datetime]]:
        """Lock, end-of-day work if a new day, read today's file; write it back if changed."""
        with self._locked():
            try:
                now = self.clock.now()
                if not self._started:
                    removed = clean_leftovers(self.data_dir)
                    if removed:
                        log.info("removed leftovers of interrupted writes: %s", ", ".join(removed))
                    self._started = True
                self._roll_over(now.date())
                day = self._open_day(now.date())
                yield day, now
                if day.dirty:
                    day.prune_journals(_utc(now) - UNDO_WINDOW)
                day.flush()
                self._cache = _Cached(day.path, day.content)
                # Taken under the lock: a stamp matching exactly the content read or written.
                day.stamp = self._stamp(day.day)
            except StorageUnavailable as error:
                self._report_fault(str(error))
                raise
            else:
                self._last_fault = None

    def _move_aside(self, path: Path, why: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
        try:
            os.replace(path, target)
        except FileNotFoundError:
            return
        except OSError as error:
            raise unavailable(path, error) from error
        self._warn(f"damaged data file {path.name} ({why}) moved aside to {target.name}")

    def _salvage_of(self, raw: bytes, day: date) -> Salvage:
        known = dict(self._read_seq_file(day) or {})
        for letter, seq in self._scan_moved_aside(day).items():
            known[letter] = max(known.get(letter, 0), seq)
        return salvage_day(
            raw,
            day,
            datetime.combine(day, time(0, 0), tzinfo=self.tz),
            {topic.letter: topic.id for topic in self.config.topics},
            known,
            lambda doc: doc_ticket(doc, self.tz),
        )

    def _salvage(self, path: Path, day: date, why: str) -> None:
        """Put back what can be read of a damaged day file (under the lock): a copy of its
        exact bytes is kept beside it first, then the file is written again with every ticket
        that could be read, at its place, and a report in meta that staff see."""
        raw = read_bytes(path)
        if raw is None:
            return
        salvage = self._salvage_of(raw, day)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        copy = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
        atomic_write(copy, raw)
        meta = salvage.tables["meta"]["1"]
        report = salvage.report(_iso(self.clock.now()) or "", why, copy.name)
        meta["salvaged"] = [*meta.get("salvaged", []), report]
        # The marks first (as when issuing): a crash now skips numbers rather than reusing.
        atomic_write_json(self.seq_path(day), salvage.marks)
        docs = salvage.tables["tickets"]
        atomic_write(
            path,
            encode_day(
                {"meta": encode(salvage.tables["meta"])},
                [doc_fragment(doc_id, doc) for doc_id, doc in docs.items()],
            ),
        )
        missing = ", ".join(salvage.missing) or "none"
        checks = ", ".join(salvage.check) or "none"
        self._warn(
            f"damaged data file {path.name} ({why}): {report['recovered']} of "
            f"{report['issued']} tickets recovered, missing: {missing}, to check: {checks}; "
            f"the original is kept as {copy.name}"
        )

    def _open_damaged(self, day: date, path: Path, open_day) -> _Day | None:
        """`open_day()` after salvaging the damaged file; if even that cannot be read, the
        file is moved aside (kept) and None returned."""
        try:
            return open_day()
        except DamagedFile as error:
            self._salvage(path, day, error.why)
        try:
            return open_day()
        except DamagedFile as error:
            self._move_aside(path, error.why)
            return None

    def _open_day(self, day: date) -> _Day:
        """Today's file, under the lock. Parsed again only if its bytes are not exactly those
        this process last read or wrote (see _Content). A damaged file is salvaged."""
        path = self.day_path(day)
        cached = self._cache
        previous = None
        if cached is not None and cached.path == path and cached.content.tz == self.tz:
            previous = cached.content

        def open_day() -> _Day:
            last = previous.file if previous is not None else None
            return _Day(day, path, DayStorage(path, last), previous, self.tz)

        opened = self._open_damaged(day, path, open_day)
        if opened is None:
            opened = _Day(day, path, DayStorage.without_file(path), None, self.tz)
        self._cache = _Cached(path, opened.content)
        return opened

    def _load_day(self, path: Path, day: date) -> _Day:
        """A day file read without the cache; DamagedFile if it cannot be used."""
        return _Day(day, path, DayStorage(path), None, self.tz)

    def _read_day_unlocked(self, path: Path, day: date) -> _Day | None:
        """A day file read without the lock (files are replaced atomically); a damaged one is
        salvaged in memory (the file is left as it is); None if nothing can be read of it."""
        stamp = self._stamp(day) if path == self.day_path(day) else None  # before reading
        try:
            stored = self._load_day(path, day)
        except DamagedFile:
            raw = read_bytes(path)
            if raw is None:
                return None
            salvage = self._salvage_of(raw, day)
            tables = salvage.tables
            meta = tables["meta"]["1"]
            meta["salvaged"] = [*meta.get("salvaged", []), salvage.report("", "unread", "")]
            try:
                stored = _Day(day, path, DayStorage.salvaged(path, raw, tables), None, self.tz)
            except DamagedFile:
                return None
        stored.stamp = stamp
        return stored

    def _stamp(self, day: date) -> tuple:
        try:
            st = os.stat(self.day_path(day))
        except FileNotFoundError:
            return (day.isoformat(), None)
        except OSError as error:
            raise unavailable(self.day_path(day), error) from error
        return (day.isoformat(), st.st_ino, st.st_mtime_ns, st.st_size)

    def change_stamp(self) -> tuple:
        """Cheap (one os.stat, no lock, no parsing); differs after any write by any process."""
        return self._stamp(self.clock.now().date())

    # -- numbering

    def _read_seq_file(self, day: date) -> dict[str, int] | None:
        path = self.seq_path(day)
        try:
            data = read_json(path)
            if data is None:
                return None
            if not isinstance(data, dict) or not all(
                isinstance(k, str) and isinstance(v, int) for k, v in data.items()
            ):
                raise DamagedFile(path, "wrong shape")
            return data
        except DamagedFile as error:
            self._move_aside(path, error.why)
            return None

    def _scan_moved_aside(self, day: date) -> dict[str, int]:
        """Highest number per letter in moved-aside files of `day` (text scan: they may be cut)."""
        found: dict[str, int] = {}
        prefix = (f"tickets-{day.isoformat()}.damaged-", f"seq-{day.isoformat()}.damaged-")
        for entry in os.scandir(self.data_dir):
            if not entry.name.startswith(prefix):
                continue
            try:
                text = Path(entry.path).read_text(errors="replace")
            except OSError:
                continue
            marks = NUMBER_IN_TEXT.findall(text)
            if entry.name.startswith("seq-"):
                marks += MARK_IN_TEXT.findall(text)
            else:  # the day's marks in meta, at the start of the file (they survive a cut)
                for found_marks in SEQ_MARKS_IN_TEXT.findall(text):
                    marks += MARK_IN_TEXT.findall(found_marks)
            for letter, seq in marks:
                found[letter] = max(found.get(letter, 0), int(seq))
        return found

    def _next_seq(self, day: _Day, letter: str) -> tuple[int, dict[str, int]]:
        seq_file = self._read_seq_file(day.day)
        marks: dict[str, int] = dict(seq_file or {})
        if seq_file is None:
            for key, value in self._scan_moved_aside(day.day).items():
                marks[key] = max(marks.get(key, 0), value)
        for key, value in day.meta["seq"].items():
            marks[key] = max(marks.get(key, 0), value)
        for key, value in day.seq_marks().items():
            marks[key] = max(marks.get(key, 0), value)
        seq = marks.get(letter, 0) + 1
        marks[letter] = seq
        return seq, marks

    # -- clock

    def _newest_in_file(self, path: Path) -> datetime | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        cached = self._newest_cache.get(path.name)
        if cached and cached[0] == key:
            return cached[1]
        match = DAY_FILE.match(path.name)
        day = self._read_day_unlocked(path, date.fromisoformat(match.group(1))) if match else None
        newest = _newest_event(day.ticket_list()) if day else None
        self._newest_cache = {path.name: (key, newest)}
        return newest

    def _read_marker(self) -> dict[str, Any]:
        try:
            marker = read_json(self.data_dir / ROLLOVER_FILE)
        except DamagedFile:
            return {}
        return marker if isinstance(marker, dict) else {}

    def _later_day_file(self, today: date) -> Path | None:
        """The newest day file of a day after `today`, if there is one (the clock is behind).

        The end-of-day marker records the latest day any process has worked on, so the folder
        is listed only when that day is after today or unknown (a marker of an older version).
        """
        latest = _marker_date(self._read_marker(), "latest")
        if latest is not None and latest <= today:
            return None
        names = [n for n in os.listdir(self.data_dir) if DAY_FILE.match(n)]
        newest = max(names, default=None)
        if newest is not None and newest > self.day_path(today).name:
            return self.data_dir / newest
        return None

    def _newest_stored(self, day: _Day) -> datetime | None:
        """The newest event stored on `day` or a later day (site time)."""
        newest = day.newest_event()
        try:
            later = self._later_day_file(day.day)
        except OSError:
            later = None
        if later is not None:
            other = self._newest_in_file(later)
            if other and (newest is None or other > newest):
                newest = other
        return None if newest is None else newest.astimezone(self.tz)

    def _clock_behind(self, day: _Day, now: datetime) -> datetime | None:
        """The newest stored event if it is ahead of `now` by more than the tolerance: then
        this computer's clock is behind and issuing refuses."""
        newest = self._newest_stored(day)
        return newest if clock_behind(newest, now) else None

    def _check_clock(self, day: _Day, now: datetime) -> None:
        shown = self._clock_behind(day, now)
        if shown is not None:
            message = (
                f"the clock says {now:%Y-%m-%d %H:%M} but a ticket was stored at "
                f"{shown:%Y-%m-%d %H:%M}: set this computer's date and time before issuing"
            )
            log.error("clock behind: %s", message)
            raise ClockBehind(message)

    # -- end of day and retention

    def _roll_over(self, today: date) -> None:
        """Once per new day (per process, and once across processes via .rollover.json):
        resolve older days' waiting/called tickets, then apply retention. Idempotent.

        The marker holds the day the pass last ran for, when it started (day files written
        since are looked at again next time) and the latest day any process has worked on.
        """
        if self._rolled == today:
            return
        marker = self._read_marker()
        latest = _marker_date(marker, "latest")
        if marker.get("day") == today.isoformat() or (latest is not None and latest > today):
            # Done already; or the clock is behind a day already worked on: no end-of-day
            # work as of a day that has passed (and issuing refuses, see _check_clock).
            self._rolled = today
            return
        since_ns = marker.get("at_ns")
        since_ns = since_ns - MTIME_MARGIN_NS if isinstance(since_ns, int) else None
        started_ns = _time.time_ns()
        cutoff = today - timedelta(days=max(0, self.config.site.retention_days))
        expired_days: list[tuple[date, Path]] = []
        latest = max(latest or today, today)
        for entry in sorted(os.scandir(self.data_dir), key=lambda e: e.name):
            match = DAY_FILE.match(entry.name)
            if not match:
                continue
            day = date.fromisoformat(match.group(1))
            latest = max(latest, day)
            if day >= today:
                continue
            if day < cutoff:
                expired_days.append((day, Path(entry.path)))
            elif since_ns is None:
                # No marker (first start, or it was lost): every day file is looked at, but
                # parsed only if it may hold a ticket left waiting or called. A year of
                # history then takes a fraction of a second instead of seconds under the lock.
                self._resolve_day(day, Path(entry.path), quick=True)
            elif entry.stat().st_mtime_ns >= since_ns:
                self._resolve_day(day, Path(entry.path))
        self._apply_retention(cutoff, expired_days)
        atomic_write_json(
            self.data_dir / ROLLOVER_FILE,
            {"day": today.isoformat(), "at_ns": started_ns, "latest": latest.isoformat()},
        )
        self._rolled = today

    def _resolve_day(self, day: date, path: Path, quick: bool = False) -> _Day | None:
        """Resolve a past day's waiting and called tickets; None if its file is damaged (then
        moved aside). `quick`: None without parsing if the file's text shows that no ticket is
        left waiting or called (see _may_hold_open_tickets)."""
        storage = DayStorage(path)
        raw = storage.raw()
        if quick and raw is not None and not _may_hold_open_tickets(raw):
            return None
        fresh = [storage]  # the storage that read `raw` serves the first try only

        def open_day() -> _Day:
            return _Day(day, path, fresh.pop() if fresh else DayStorage(path), None, self.tz)

        stored = self._open_damaged(day, path, open_day)
        if stored is None:
            return None
        resolved = stored.resolve_open(day_end(day, self.tz))
        if resolved:
            stored.flush()
            log.info("end of day %s: %d tickets resolved", day, resolved)
        return stored

    def _apply_retention(self, cutoff: date, expired_days: list[tuple[date, Path]]) -> None:
        if expired_days:
            aggregates_path = self.data_dir / AGGREGATES_FILE
            try:
                read_json(aggregates_path)
            except DamagedFile as error:
                self._move_aside(aggregates_path, error.why)
            kept = load_aggregates(self.data_dir)
            for day, path in expired_days:
                stored = self._resolve_day(day, path)
                if stored is not None:
                    kept[day] = aggregate_day(day, stored.ticket_list(), self.config)
            save_aggregates(self.data_dir, kept)
            for day, path in expired_days:
                path.unlink(missing_ok=True)
                log.info("retention: day %s removed, its aggregates kept", day)
        # seq files and moved-aside files of removed days
        for entry in os.scandir(self.data_dir):
            match = DATED_FILE.match(entry.name)
            if match and not DAY_FILE.match(entry.name):
                try:
                    if date.fromisoformat(match.group(1)) < cutoff:
                        os.unlink(entry.path)
                except (ValueError, OSError):
                    pass

    # -- issuing

    def _topic(self, topic_id: str) -> Topic:
        topic = self.config.topic(topic_id)
        if topic is None:
            raise UnknownTopic(topic_id)
        return topic

    def _desk(self, desk_id: str) -> Desk:
        desk = self.config.desk(desk_id)
        if desk is None:
            raise UnknownDesk(desk_id)
        return desk

    def _snapshot_of(self, day: _Day, with_stamp: bool = True) -> DaySnapshot:
        # Read-only views: the mappings are shared with the content kept for the next operation.
        issued, waiting = day.topic_counts()
        stamp = None
        if with_stamp:
            stamp = day.stamp if day.stamp is not None else self._stamp(day.day)
        return DaySnapshot(
            day=day.day,
            tickets=tuple(day.ticket_list()),
            paused=day.paused,
            stamp=stamp,
            issued_topics=MappingProxyType(day.issued_topics()),  # type: ignore[arg-type]
            counts=(MappingProxyType(issued), MappingProxyType(waiting)),  # type: ignore[arg-type]
            salvaged=tuple(day.meta.get("salvaged") or ()),
            desk_topics=_desk_topics(day.meta),
        )

    def issue(self, topic_id: str, lang: str) -> Issued:
        """A new ticket, or UnknownTopic/UnknownLanguage/NotIssuing (TopicPaused,
        DailyLimitReached)/ClockBehind/StorageUnavailable."""
        topic = self._topic(topic_id)
        if lang not in self.config.languages:
            raise UnknownLanguage(lang)
        with self._op() as (day, now):
            self._check_clock(day, now)
            snapshot = self._snapshot_of(day, with_stamp=False)
            state = queue.availability(self.config, self.hours, snapshot, now)[topic_id]
            if not state.issuing:
                if state.reason == "paused":
                    raise TopicPaused(topic_id, state.next_issue_at)
                if state.reason == "full":
                    raise DailyLimitReached(topic_id, state.next_issue_at)
                raise NotIssuing(topic_id, state.reason, state.next_issue_at)
            seq, marks = self._next_seq(day, topic.letter)
            # Arrival order is issue order: never stamp a ticket earlier than one issued before
            # it (processes whose clocks differ by less than the clock tolerance, e.g. --now).
            latest = day.latest_issue()
            issued_at = now if latest is None or _utc(now) >= latest else latest.astimezone(self.tz)
            ticket = Ticket(
                day=day.day,
                letter=topic.letter,
                seq=seq,
                topic=topic_id,
                topic_label=topic_label(self.config, "de", topic_id),
                lang=lang,
                state=State.WAITING,
                issued_at=issued_at,
            )
            # The high-water mark goes to disk first: a crash before the day file is written
            # skips this number instead of handing it out twice.
            atomic_write_json(self.seq_path(day.day), marks)
            if latest is None or ticket.arrival[0] > latest:
                # It arrived after every other ticket: every waiting one of its topic is ahead
                # (queue.people_ahead's rule, without looking at each ticket).
                ahead = snapshot.counts[1].get(topic_id, 0)  # type: ignore[index]
            else:
                ahead = queue.people_ahead((*snapshot.tickets, ticket), ticket)
            service = day.topic_service().get(topic_id)  # an issue does not change it
            # The status page's token (128 random bits) and the range told, kept with the
            # ticket: the page finds the ticket by it, and `kiosk stats` measures the range.
            ticket = ticket.evolve(
                token=secrets.token_urlsafe(16), estimate=queue.wait_range(service, ahead)
            )
            day.insert(ticket, issued_topic=topic_id)
            day.meta["seq"] = marks
            day.save_meta()
        log.info("issued %s (%s, %s)", ticket.number, topic_id, lang)
        return Issued(ticket, ahead, queue.estimate(service, ahead, now))

    # -- staff actions

    def _apply(
        self, ticket: Ticket, action: str, now: datetime, desk_id: str, topic_id: str | None = None
    ) -> tuple[Ticket, dict[str, Any]]:
        allowed, target = TRANSITIONS[action]
        if ticket.state not in allowed:
            raise IllegalTransition(ticket.number, action, ticket.state.value, ticket.desk)
        extra: dict[str, Any] = {}
        if action == "call":
            new = ticket.evolve(state=target, called_at=now, finished_at=None, desk=desk_id)
            extra["announced_at"] = _iso(now)
        elif action == "recall":
            # announced again at the desk that called it: a recall never moves a visitor
            new = ticket.evolve(recalls=ticket.recalls + 1)
            extra["announced_at"] = _iso(now)
        elif action in ("done", "no_show", "cancel"):
            new = ticket.evolve(state=target, finished_at=now)
        elif action == "reactivate":
            new = ticket.evolve(state=target, called_at=None, finished_at=None, desk=None)
            extra["announced_at"] = None
        elif action == "transfer":
            assert topic_id is not None
            if topic_id == ticket.topic:
                raise IllegalTransition(
                    ticket.number, "transfer to its own topic", ticket.state.value
                )
            new = ticket.evolve(
                state=target,
                topic=topic_id,
                topic_label=topic_label(self.config, "de", topic_id),
                transferred_from=ticket.topic,
                called_at=None,
                finished_at=None,
                desk=None,
            )
            extra["announced_at"] = None
        else:  # pragma: no cover - TRANSITIONS and this method change together
            raise ValueError(action)
        return new, extra

    def _record(
        self,
        day: _Day,
        desk_id: str,
        doc_id: int,
        action: str,
        before: dict,
        after: dict,
        now: datetime,
    ) -> None:
        journal = day.meta["journal"].setdefault(desk_id, [])
        journal.append(
            {"action": action, "doc_id": doc_id, "before": before, "after": after, "at": _iso(now)}
        )
        del journal[:-JOURNAL_KEEP]
        day.save_meta()

    def _act(
        self,
        desk_id: str,
        number: str | None,
        action: str,
        *,
        topic_id: str | None = None,
        topics: Collection[str] | None = None,
        lang: str | None = None,
        confirmed_desk: str | None = None,
    ) -> Ticket | None:
        self._desk(desk_id)
        if topic_id is not None:
            self._topic(topic_id)
        with self._op() as (day, now):
            # Never stamped before the newest stored event (a clock a little behind another
            # process's): a call before its issue, or before the last call on the display.
            newest = day.newest_event()
            if newest is not None and _utc(now) < newest:
                now = newest.astimezone(self.tz)
            if number is None:
                if topics is None:  # the desk's call-next topics: today's choice or desks.toml
                    desk = self._desk(desk_id)
                    topics = _desk_topics(day.meta).get(desk_id) or tuple(desk.topics)
                chosen = queue.pick_next(day.ticket_list(), topics, lang)
                if chosen is None:
                    return None
                doc_id, ticket = day.find(chosen.number)
            else:
                doc_id, ticket = day.find(number)
            check_owner(ticket, action, desk_id, confirmed_desk)
            new, extra = self._apply(ticket, action, now, desk_id, topic_id)
            before = dict(day.document(doc_id) or {})
            after = day.replace(doc_id, new, **extra)
            self._record(day, desk_id, doc_id, action, before, after, now)
        log.info("desk %s: %s %s", desk_id, action, new.number)
        return new

    def call_next(
        self, desk_id: str, topics: Collection[str] | None = None, lang: str | None = None
    ) -> Ticket | None:
        """Call the earliest waiting ticket of `topics` (default: the desk's today, see
        set_desk_topics) and `lang`, or
        None when nobody waits. Atomic: two desks never get the same ticket."""
        self._desk(desk_id)
        chosen = None if topics is None else tuple(topics)
        return self._act(desk_id, None, "call", topics=chosen, lang=lang)

    def call(self, desk_id: str, number: str) -> Ticket:
        """Call a chosen waiting ticket."""
        return self._act(desk_id, number, "call")  # type: ignore[return-value]

    def recall(self, desk_id: str, number: str, confirmed_desk: str | None = None) -> Ticket:
        return self._act(desk_id, number, "recall", confirmed_desk=confirmed_desk)  # type: ignore[return-value]

    def done(self, desk_id: str, number: str, confirmed_desk: str | None = None) -> Ticket:
        return self._act(desk_id, number, "done", confirmed_desk=confirmed_desk)  # type: ignore[return-value]

    def no_show(self, desk_id: str, number: str, confirmed_desk: str | None = None) -> Ticket:
        return self._act(desk_id, number, "no_show", confirmed_desk=confirmed_desk)  # type: ignore[return-value]

    def reactivate(self, desk_id: str, number: str) -> Ticket:
        """A no-show back to waiting, at its original place in the queue."""
        return self._act(desk_id, number, "reactivate")  # type: ignore[return-value]

    def cancel(self, desk_id: str, number: str, confirmed_desk: str | None = None) -> Ticket:
        return self._act(desk_id, number, "cancel", confirmed_desk=confirmed_desk)  # type: ignore[return-value]

    def cancel_by_visitor(self, token: str) -> Ticket:
        """The visitor no longer needs today's ticket with this status-page token: cancelled,
        marked as the visitor's doing (no desk, nothing to undo). TicketNotFound for an
        unknown token; IllegalTransition once it is over (done, cancelled, ...)."""
        with self._op() as (day, now):
            newest = day.newest_event()
            if newest is not None and _utc(now) < newest:
                now = newest.astimezone(self.tz)
            found = next(
                (
                    (doc_id, t)
                    for doc_id, t in day.tickets.items()
                    if t.token is not None and secrets.compare_digest(t.token, token)
                ),
                None,
            )
            if found is None:
                raise TicketNotFound("?")
            doc_id, ticket = found
            new, extra = self._apply(ticket, "cancel", now, "")
            new = new.evolve(cancelled_by="visitor")
            day.replace(doc_id, new, **extra)
        log.info("visitor cancelled %s on the status page", new.number)
        return new

    def transfer(
        self, desk_id: str, number: str, topic_id: str, confirmed_desk: str | None = None
    ) -> Ticket:
        """Move a ticket to another topic's queue; it keeps its number and arrival time."""
        return self._act(  # type: ignore[return-value]
            desk_id, number, "transfer", topic_id=topic_id, confirmed_desk=confirmed_desk
        )

    def undo(self, desk_id: str) -> Ticket:
        """Undo the desk's last action if it is at most 5 minutes old and nobody changed the
        ticket since."""
        self._desk(desk_id)
        with self._op() as (day, now):
            journal = day.meta["journal"].get(desk_id) or []
            if not journal:
                raise NothingToUndo(desk_id)
            entry = journal[-1]
            at = _time_of(entry["at"], self.tz)
            if at is None or _utc(now) - _utc(at) > UNDO_WINDOW:
                raise UndoConflict(
                    desk_id,
                    f"desk {desk_id}: the last action ({entry['action']} "
                    f"{entry['after'].get('number')}) is more than "
                    f"{UNDO_WINDOW.seconds // 60} minutes old and cannot be undone",
                )
            doc_id = entry["doc_id"]
            current = day.document(doc_id)
            if current is None or dict(current) != entry["after"]:
                raise UndoConflict(
                    desk_id,
                    f"ticket {entry['after'].get('number')} was changed since by someone else; "
                    "cannot undo",
                )
            restored = doc_ticket(entry["before"], self.tz)
            day.replace(doc_id, restored, **entry["before"])
            journal.pop()
            day.save_meta()
        log.info("desk %s: undo %s %s", desk_id, entry["action"], restored.number)
        return restored

    def set_desk_topics(self, desk_id: str, topics: Collection[str] | None) -> tuple[str, ...]:
        """The topics "call next" takes from at this desk for the rest of today (None, or the
        desk's topics from desks.toml: back to those). Returns the topics now in force."""
        desk = self._desk(desk_id)
        chosen = None if topics is None else tuple(t for t in self._topic_order() if t in topics)
        for topic_id in topics or ():
            self._topic(topic_id)
        with self._op() as (day, _now):
            stored = day.meta.setdefault("desk_topics", {})
            if not isinstance(stored, dict):
                stored = day.meta["desk_topics"] = {}
            if not chosen or chosen == tuple(desk.topics):
                stored.pop(desk_id, None)
            else:
                stored[desk_id] = list(chosen)
            day.save_meta()
        log.info("desk %s: call-next topics today %s", desk_id, ",".join(chosen or desk.topics))
        return chosen or tuple(desk.topics)

    def _topic_order(self) -> list[str]:
        return [topic.id for topic in self.config.topics]

    def pause(self, topic_id: str) -> None:
        """Stop issuing tickets of a topic for the rest of today."""
        self._topic(topic_id)
        with self._op() as (day, _now):
            if topic_id not in day.meta["paused"]:
                day.meta["paused"].append(topic_id)
                day.save_meta()

    def resume(self, topic_id: str) -> None:
        self._topic(topic_id)
        with self._op() as (day, _now):
            if topic_id in day.meta["paused"]:
                day.meta["paused"].remove(topic_id)
                day.save_meta()

    # -- reading

    def _read_today(self) -> _Day:
        """Today's file under the lock; if the lock cannot be taken (read-only folder, stuck
        lock) read it without: files are replaced atomically, so a read sees a whole file."""
        try:
            with self._op() as (day, _now):
                pass
            return day
        except StorageUnavailable:
            today = self.clock.now().date()
            day = self._read_day_unlocked(self.day_path(today), today)
            if day is None:  # damaged, and it cannot be moved aside now
                raise
            return day

    def snapshot(self) -> DaySnapshot:
        """Today as stored now, with the newest stored event (for the clock check)."""
        day = self._read_today()
        return replace(self._snapshot_of(day), newest_stored=self._newest_stored(day))

    def recent_calls(self, limit: int) -> list[Ticket]:
        """Called tickets (called, done, no-show), the latest call or recall first."""
        day = self._read_today()
        called = [
            doc_id
            for doc_id, ticket in day.tickets.items()
            if ticket.called_at is not None
            and ticket.state in (State.CALLED, State.DONE, State.NO_SHOW)
        ]
        # The operation is over: TinyDB reads the day as the operation left it, in memory.
        rows = [
            (doc.get("announced_at") or _iso(day.tickets[doc.doc_id].called_at), doc.doc_id)
            for doc in day.table.get(doc_ids=called)
        ]
        rows.sort(key=lambda row: (_utc(datetime.fromisoformat(row[0])), row[1]), reverse=True)
        return [day.tickets[doc_id] for _, doc_id in rows[:limit]]

    def moved_aside(self) -> list[str]:
        """Names of damaged files moved aside and still kept (for staff and admins)."""
        return sorted(n for n in os.listdir(self.data_dir) if ".damaged-" in n)

    def days(self, first: date, last: date) -> Iterator[DaySnapshot]:
        """Each day from first to last whose ticket file exists (today included), oldest first.

        Days removed by retention are not yielded: their kept rows come from
        `kiosk.core.aggregates.load_aggregates(data_dir)` (the statistics merge both).
        """
        try:
            with self._op():
                pass  # end-of-day resolution for days before today, retention
        except StorageUnavailable:
            pass  # read-only folder: show what is there
        # The folder's day files, not every date of the range: `kiosk stats --to 9026-11-30`
        # would otherwise look up thousands of years of days.
        for day in sorted(self.day_files(first, last)[0]):
            stored = self._read_day_unlocked(self.day_path(day), day)
            if stored is not None:
                yield self._snapshot_of(stored)

    def day_files(self, first: date, last: date) -> tuple[set[date], set[date]]:
        """Days from first to last that have a day file, and days whose damaged day file was
        moved aside (their figures are missing or incomplete)."""
        with_file: set[date] = set()
        damaged: set[date] = set()
        try:
            names = os.listdir(self.data_dir)
        except OSError:
            return with_file, damaged
        for name in names:
            match = DAY_FILE.match(name) or DAMAGED_DAY_FILE.match(name)
            if not match:
                continue
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                continue
            if first <= day <= last:
                (with_file if match.re is DAY_FILE else damaged).add(day)
        return with_file, damaged

    def kept_aggregates(self) -> dict[date, list[AggregateRow]]:
        """Rows kept for days removed by retention."""
        return load_aggregates(self.data_dir)


__all__ = [
    "DaySnapshot",
    "Issued",
    "Store",
    "StorageUnavailable",
    "UndoConflict",
    "format_number",
]
