"""Salvage: what can still be read of a damaged day file, put back in order.

A day file that cannot be used whole (cut short, junk appended, a ticket with a field nobody
can read) must not take the waiting room's tickets with it. `read_tables` reads the JSON text
as far as it goes, value by value, and past a damaged ticket on to the next one that starts
cleanly; `salvage_day` turns what it found into tables the store can use again:

- every ticket whose number can be read comes back with its document id (its place in issue
  order); a field that cannot be read gets a stand-in (an issue time between its neighbours',
  a state that keeps the visitor in the queue) and the ticket is listed for staff to check;
- fields this module does not know (added by later versions) are kept as they are;
- the numbers the day had issued (meta's marks, the seq file, every number in the text) that
  came back nowhere are named as missing, so staff can ask in the waiting room.

Pure functions: the store decides where the original bytes are kept and writes the result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.core.tickets import State, format_number

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
# The start of a document of a TinyDB table: `"12":{` (only table keys are digits-only strings).
_DOC_START = re.compile(r'"([0-9]+)"\s*:\s*\{')
NUMBER = re.compile(r"^([A-Z])-([0-9]{1,6})$")
NUMBER_IN_TEXT = re.compile(r'"number"\s*:\s*"([A-Z])-(\d+)"')
SEQ_MARKS_IN_TEXT = re.compile(r'"seq"\s*:\s*\{((?:\s*"[A-Z]"\s*:\s*\d+\s*,?)*)')
MARK_IN_TEXT = re.compile(r'"([A-Z])"\s*:\s*(\d+)')
NAMES_SHOWN = 5  # missing numbers named in one line; the rest are counted


def _skip(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()  # type: ignore[union-attr]


def _read_table(text: str, pos: int, resync: bool) -> tuple[dict[str, Any], int, bool]:
    """The documents of a table starting at `{` at `pos`, as far as they can be read.

    Returns the documents, the position after the table and whether it was read whole.
    `resync`: after a damaged document, reading goes on at the next `"id":{` that holds a whole
    document (for the ticket table; in another table such a find could be a ticket).
    """
    docs: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    whole = True
    while pos < len(text):
        if text[pos] == "}":
            return docs, pos + 1, whole
        try:
            key, after = _DECODER.raw_decode(text, pos)
            after = _skip(text, after)
            if not isinstance(key, str) or text[after : after + 1] != ":":
                raise ValueError("no key")
            value, after = _DECODER.raw_decode(text, _skip(text, after + 1))
        except (ValueError, IndexError):
            whole = False
            found = _next_doc(text, pos + 1) if resync else None
            if found is None:
                return docs, len(text), False
            key, value, after = found
        docs[key] = value
        pos = _skip(text, after)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
        elif text[pos : pos + 1] != "}":
            whole = False
            found = _next_doc(text, pos) if resync else None
            if found is None:
                return docs, len(text), False
            key, value, after = found
            docs[key] = value
            pos = _skip(text, after)
            if text[pos : pos + 1] == ",":
                pos = _skip(text, pos + 1)
    return docs, len(text), False


def _next_doc(text: str, pos: int) -> tuple[str, Any, int] | None:
    """The next whole `"id":{...}` document at or after `pos`."""
    for match in _DOC_START.finditer(text, pos):
        try:
            value, after = _DECODER.raw_decode(text, match.end() - 1)
        except ValueError:
            continue
        return match.group(1), value, after
    return None


def read_tables(raw: bytes) -> tuple[dict[str, dict[str, Any]], bool]:
    """The tables of a day file's bytes, as far as they can be read, and whether the JSON text
    was read whole (junk after it does not count). Never raises."""
    text = raw.decode("utf-8", errors="replace")
    tables: dict[str, dict[str, Any]] = {}
    pos = _skip(text, 0)
    if text[pos : pos + 1] != "{":
        # Not even the start of the file: look for documents anywhere (a ticket table cut
        # from its head still holds whole documents).
        return {"tickets": _scattered_docs(text)}, False
    pos = _skip(text, pos + 1)
    whole = True
    failed_at = pos
    while pos < len(text) and text[pos] != "}":
        failed_at = pos
        try:
            name, after = _DECODER.raw_decode(text, pos)
            after = _skip(text, after)
            if not isinstance(name, str) or text[after : after + 1] != ":":
                raise ValueError("no table name")
            start = _skip(text, after + 1)
        except ValueError:
            whole = False
            break
        if text[start : start + 1] != "{":
            whole = False
            break
        table, pos, table_whole = _read_table(text, start, resync=name == "tickets")
        tables[name] = table
        if not table_whole:
            whole = False
            break
        pos = _skip(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
        elif text[pos : pos + 1] != "}":
            whole = False
            break
    else:
        if pos >= len(text):
            whole = False
    if not whole and "tickets" not in tables:
        # Damage before the ticket table: its documents may still be further on.
        tables["tickets"] = _scattered_docs(text, failed_at)
    return tables, whole


def _scattered_docs(text: str, pos: int = 0) -> dict[str, Any]:
    docs: dict[str, Any] = {}
    while (found := _next_doc(text, pos)) is not None:
        key, value, pos = found
        if isinstance(value, dict) and "number" in value:
            docs.setdefault(key, value)
    return docs


def marks_in_text(raw: bytes) -> dict[str, int]:
    """The highest sequence per letter named anywhere in a day file's text: ticket numbers and
    meta's marks (text: the file may be cut or not JSON at all)."""
    text = raw.decode("utf-8", errors="replace")
    marks: dict[str, int] = {}
    found = NUMBER_IN_TEXT.findall(text)
    for block in SEQ_MARKS_IN_TEXT.findall(text):
        found += MARK_IN_TEXT.findall(block)
    for letter, seq in found:
        marks[letter] = max(marks.get(letter, 0), int(seq))
    return marks


# ---------------------------------------------------------------------------- one ticket


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _number_of(doc: Mapping[str, Any]) -> tuple[str, int] | None:
    """(letter, seq) from the document's letter and seq, or else from its number."""
    letter, seq = doc.get("letter"), doc.get("seq")
    readable_letter = isinstance(letter, str) and re.fullmatch("[A-Z]", letter)
    if readable_letter and type(seq) is int and 0 < seq < 1_000_000:
        return letter, seq  # type: ignore[return-value]
    number = doc.get("number")
    match = NUMBER.match(number) if isinstance(number, str) else None
    if match:
        return match.group(1), int(match.group(2))
    return None


def _optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _state_stand_in(doc: Mapping[str, Any]) -> str:
    """A state for a ticket whose state cannot be read: one that keeps the visitor where the
    times say they are (waiting unless called; called unless finished; finished: done)."""
    if _aware(doc.get("called_at")) is None:
        return State.WAITING.value
    if _aware(doc.get("finished_at")) is None:
        return State.CALLED.value
    return State.DONE.value


@dataclass
class _Repair:
    doc: dict[str, Any]
    unreadable: list[str] = field(default_factory=list)

    def fix(self, key: str, value: Any) -> None:
        self.doc[key] = value
        if key not in self.unreadable:
            self.unreadable.append(key)


def repair_ticket(
    doc: Any, day: date, topic_of_letter: Mapping[str, str]
) -> tuple[dict[str, Any], list[str]] | None:
    """The document with every field the store reads made readable, and the fields that were
    not (issue time left for `fill_issue_times`); None when not even its number can be read.
    Fields the store does not read are kept as they are."""
    if not isinstance(doc, dict):
        return None
    number = _number_of(doc)
    if number is None:
        return None
    letter, seq = number
    repair = _Repair(dict(doc))
    for key, value in (("letter", letter), ("seq", seq), ("number", format_number(letter, seq))):
        if doc.get(key) != value:
            repair.fix(key, value)
    if doc.get("day") != day.isoformat():
        repair.fix("day", day.isoformat())
    topic = doc.get("topic")
    if not isinstance(topic, str) or not topic:
        topic = topic_of_letter.get(letter, letter)
        repair.fix("topic", topic)
    if not isinstance(doc.get("topic_label", topic), str):
        repair.fix("topic_label", topic)
    if not isinstance(doc.get("issued_topic", topic), str):
        repair.fix("issued_topic", topic)
    if not isinstance(doc.get("lang"), str) or not doc.get("lang"):
        repair.fix("lang", "de")
    for key in ("desk", "transferred_from"):
        if not _optional_text(doc.get(key)):
            repair.fix(key, None)
    recalls = doc.get("recalls", 0)
    if type(recalls) is not int or recalls < 0:
        repair.fix("recalls", 0)
    for key in ("called_at", "finished_at", "announced_at"):
        if doc.get(key) is not None and _aware(doc.get(key)) is None:
            repair.fix(key, None)
    try:
        State(doc.get("state"))
    except ValueError:
        repair.fix("state", _state_stand_in(repair.doc))
    if _aware(doc.get("issued_at")) is None:
        repair.unreadable.append("issued_at")  # filled in from its neighbours
    return repair.doc, repair.unreadable


def fill_issue_times(docs: dict[int, dict[str, Any]], need: set[int], day_start: datetime) -> None:
    """Give each ticket in `need` an issue time between those of the tickets issued before and
    after it (document id order is issue order): it keeps its place in the queue."""
    ids = sorted(docs)
    for index, doc_id in enumerate(ids):
        if doc_id not in need:
            continue
        before = next(
            (m for i in reversed(ids[:index]) if (m := _aware(docs[i].get("issued_at")))), None
        )
        after = next(
            (m for i in ids[index + 1 :] if i not in need and (m := _aware(docs[i]["issued_at"]))),
            None,
        )
        if before is not None and after is not None and after > before:
            moment = before + (after - before) / 2
        elif before is not None:
            moment = before + timedelta(microseconds=1)
        elif after is not None:
            moment = after - timedelta(microseconds=1)
        else:
            moment = day_start
        docs[doc_id]["issued_at"] = moment.isoformat()
        called = _aware(docs[doc_id].get("called_at"))
        if called is not None and called < moment:
            docs[doc_id]["issued_at"] = called.isoformat()


# ---------------------------------------------------------------------------- the day


@dataclass(frozen=True)
class Salvage:
    """What came back of a damaged day file."""

    tables: dict[str, dict[str, Any]]  # TinyDB layout, ready to write
    marks: dict[str, int]  # highest number issued per letter (never hand these out again)
    recovered: tuple[str, ...]  # numbers back in the queue, issue order
    missing: tuple[str, ...]  # numbers issued that came back nowhere
    check: dict[str, list[str]]  # number -> fields that could not be read (stand-ins used)
    unreadable_entries: int  # ticket entries in which not even the number could be read

    def report(self, at: str, why: str, copy: str) -> dict[str, Any]:
        """The record kept in the day's meta (table "meta", key "salvaged"): staff see it."""
        return {
            "at": at,
            "why": why,
            "copy": copy,
            "recovered": len(self.recovered),
            "issued": len(self.recovered) + len(self.missing),
            "missing": list(self.missing),
            "check": self.check,
        }


def _clean_meta(meta: Any) -> dict[str, Any]:
    """Meta's readable parts. The undo journal is dropped: its copies of tickets would undo
    into documents as they were before the damage."""
    meta = dict(meta) if isinstance(meta, dict) else {}
    seq = meta.get("seq")
    meta["seq"] = (
        {k: v for k, v in seq.items() if re.fullmatch("[A-Z]", k) and type(v) is int and v > 0}
        if isinstance(seq, dict)
        else {}
    )
    paused = meta.get("paused")
    meta["paused"] = [p for p in paused if isinstance(p, str)] if isinstance(paused, list) else []
    meta["journal"] = {}
    if not isinstance(meta.get("salvaged"), list):
        meta.pop("salvaged", None)
    return meta


# The fields repair_ticket knows (and the store's own extras): anything else came from a later
# version, and is dropped only if the store cannot read the ticket with it.
KNOWN_FIELDS = frozenset(
    {
        "number", "day", "letter", "seq", "topic", "topic_label", "lang", "state", "issued_at",
        "called_at", "finished_at", "desk", "recalls", "transferred_from", "issued_topic",
        "announced_at", "check",
    }
)  # fmt: skip


def _readable(doc: dict[str, Any], unreadable: list[str], parse: Callable[[dict], Any]) -> bool:
    """Whether the store can read the repaired `doc`; if only fields this module does not know
    stand in the way, they are dropped (and listed as unreadable)."""
    try:
        parse(doc)
        return True
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    others = [key for key in doc if key not in KNOWN_FIELDS]
    for key in others:  # the one field in the way, if it is one
        trial = {k: v for k, v in doc.items() if k != key}
        try:
            parse(trial)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        del doc[key]
        unreadable.append(key)
        return True
    for key in others:
        del doc[key]
    try:
        parse(doc)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    unreadable.extend(others)
    return True


def salvage_day(
    raw: bytes,
    day: date,
    day_start: datetime,
    topic_of_letter: Mapping[str, str],
    known_marks: Mapping[str, int],
    parse: Callable[[dict], Any] = lambda doc: doc,
) -> Salvage:
    """Everything that can be read of a damaged day file's bytes. `known_marks`: the highest
    numbers known from elsewhere (the seq file); `parse`: how the store reads a ticket's
    document (raises if it cannot), to make sure every ticket put back can be used."""
    tables, _whole = read_tables(raw)
    meta_table = tables.get("meta")
    meta = _clean_meta(meta_table.get("1") if isinstance(meta_table, dict) else None)
    docs: dict[int, dict[str, Any]] = {}
    check: dict[int, list[str]] = {}
    unreadable = 0
    seen: set[str] = set()
    ticket_table = tables.get("tickets")
    for key, doc in (ticket_table if isinstance(ticket_table, dict) else {}).items():
        if not key.isdigit():
            continue
        repaired = repair_ticket(doc, day, topic_of_letter)
        if repaired is None or repaired[0]["number"] in seen:
            unreadable += repaired is None
            continue
        seen.add(repaired[0]["number"])
        docs[int(key)] = repaired[0]
        if repaired[1]:
            check[int(key)] = repaired[1]
    fill_issue_times(docs, {i for i, keys in check.items() if "issued_at" in keys}, day_start)
    for doc_id in list(docs):
        keys = check.setdefault(doc_id, [])
        if not _readable(docs[doc_id], keys, parse):
            del docs[doc_id]
            unreadable += 1
        if not keys:
            del check[doc_id]
    for doc_id, keys in check.items():
        docs[doc_id]["check"] = sorted(keys)
    marks: dict[str, int] = {}
    for source in (known_marks, meta["seq"], marks_in_text(raw)):
        for letter, seq in source.items():
            marks[letter] = max(marks.get(letter, 0), seq)
    recovered = tuple(docs[i]["number"] for i in sorted(docs))
    for doc in docs.values():
        marks[doc["letter"]] = max(marks.get(doc["letter"], 0), doc["seq"])
    meta["seq"] = dict(sorted(marks.items()))
    issued = {format_number(letter, n) for letter, top in marks.items() for n in range(1, top + 1)}
    missing = tuple(sorted(issued - set(recovered), key=lambda n: (n[0], int(n[2:]))))
    return Salvage(
        tables={
            "meta": {"1": meta},
            "tickets": {str(i): docs[i] for i in sorted(docs)},
        },
        marks=marks,
        recovered=recovered,
        missing=missing,
        check={docs[i]["number"]: sorted(keys) for i, keys in sorted(check.items())},
        unreadable_entries=unreadable,
    )
