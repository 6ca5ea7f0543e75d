"""Storage: atomic JSON files, and DayStorage, the TinyDB storage of a day file.

Every write goes to a temporary file in the same folder, is fsynced, moved over the old file with
os.replace, and the folder is fsynced: a crash or power cut leaves the old file or the new one,
never a torn one. Temporary files left by a killed process start with ".tmp-" and are removed
under the lock when a store starts (`clean_leftovers`).

Disk faults (full disk, read-only folder, permissions) become `StorageUnavailable`; the old file
stays as it was, so nothing stored before is lost.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from kiosk.core.errors import StorageUnavailable

TMP_PREFIX = ".tmp-"
LOCK_FILE = ".lock"  # the file lock every process takes around each operation (store.py)
# Nothing in the data folder is for other users of the box, whatever the caller's umask.
DIR_MODE = 0o750
FILE_MODE = 0o640


class DamagedFile(Exception):
    """A data file exists but cannot be used (empty, truncated, not JSON, wrong shape)."""

    def __init__(self, path: Path, why: str):
        super().__init__(f"{path.name}: {why}")
        self.path = path
        self.why = why


def unavailable(path: Path, error: OSError) -> StorageUnavailable:
    """The one-sentence error staff see when the data folder cannot be written."""
    kind = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the data folder is read-only",
        errno.EACCES: "no permission to write the data folder",
        errno.EPERM: "no permission to write the data folder",
        errno.ENOENT: "files cannot be created in the data folder",
    }.get(error.errno or 0, f"the data folder cannot be written ({error.strerror or error})")
    return StorageUnavailable(
        f"storage unavailable: {kind} ({path.parent}); nothing stored before was lost"
    )


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and missing parents) if needed; one made here gets DIR_MODE. A folder
    that exists keeps its mode: the admin chose it. OSError if it cannot be made."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, DIR_MODE)


def check_data_dir(folder: Path) -> None:
    """Create the data folder if needed; StorageUnavailable if it cannot be written."""
    try:
        make_private_dir(folder)
    except OSError as error:
        raise unavailable(folder / "x", error) from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise unavailable(folder / "x", PermissionError(errno.EACCES, "permission denied"))
    try:  # os.access trusts permission bits; some folders refuse files anyway (/proc, ...)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    except OSError as error:
        raise unavailable(folder / LOCK_FILE, error) from error
    os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (a separate function so tests can inject a full disk here)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` by `data` so that a crash leaves either the old or the new content."""
    folder = path.parent
    tmp = folder / f"{TMP_PREFIX}{path.name}.{os.getpid()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)  # exactly, whatever the umask
            _write_all(fd, data)
            # A precise mtime: file systems stamp with a coarse clock (one tick can hold two
            # writes of the same size, and inode numbers are reused), and readers compare
            # (inode, mtime, size) to notice another process's write.
            moment = time.time_ns()
            os.utime(fd, ns=(moment, moment))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(folder)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise unavailable(path, error) from error


def atomic_write_json(path: Path, value: Any) -> None:
    atomic_write(path, encode(value))


def read_json(path: Path) -> Any | None:
    """The parsed file, None when it does not exist; DamagedFile when it cannot be parsed."""
    raw = read_bytes(path)
    if raw is None:
        return None
    if not raw.strip():
        raise DamagedFile(path, "empty")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DamagedFile(path, f"not JSON or truncated ({error})") from None


def clean_leftovers(folder: Path) -> list[str]:
    """Remove temporary files of killed writers. Call only while holding the store's lock."""
    removed = []
    for entry in os.scandir(folder):
        if entry.name.startswith(TMP_PREFIX):
            try:
                os.unlink(entry.path)
                removed.append(entry.name)
            except OSError:
                pass
    return removed


# TinyDB's own layout: {"table": {"doc id": {...}}}.
_DOC_ID = re.compile(r"^[0-9]+$")


def check_tinydb_shape(path: Path, data: Any) -> dict[str, dict[str, dict]]:
    if not isinstance(data, dict):
        raise DamagedFile(path, "wrong shape (not a JSON object)")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise DamagedFile(path, f"wrong shape (table {name!r} is not an object)")
        for doc_id, doc in table.items():
            if not _DOC_ID.match(doc_id) or not isinstance(doc, dict):
                raise DamagedFile(path, f"wrong shape (table {name!r}, document {doc_id!r})")
    return data


def read_bytes(path: Path) -> bytes | None:
    """The file's exact bytes, None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise unavailable(path, error) from error


def parse_day(path: Path, raw: bytes) -> dict[str, dict[str, dict]]:
    """A day file's tables (TinyDB layout, checked); DamagedFile if it cannot be used."""
    if not raw.strip():
        raise DamagedFile(path, "empty")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DamagedFile(path, f"not JSON or truncated ({error})") from None
    return check_tinydb_shape(path, data)


# One encoder for every write: json.dumps with options builds a new encoder on each call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode(value: Any) -> bytes:
    """Compact JSON as every data file holds it (UTF-8, no spaces)."""
    return _ENCODER.encode(value).encode()


def doc_fragment(doc_id: str, doc: Any) -> bytes:
    """One document of a table as it stands in the file: `"12":{...}`."""
    return encode(doc_id) + b":" + encode(doc)


def encode_day(tables: dict[str, bytes], docs: Iterable[bytes]) -> bytes:
    """A day file from already encoded parts: `tables` maps a table name to its encoded
    object, `docs` are the documents of table "tickets" (doc_fragment) in id order.

    The tables in `tables` come first: "meta" holds the day's number high-water marks, and in
    a file cut short by damage they are then still there to be found (see store.py).
    """
    parts = [encode(name) + b":" + table for name, table in tables.items()]
    parts.append(b'"tickets":{' + b",".join(docs) + b"}")
    return b"{" + b",".join(parts) + b"}"


@dataclass(frozen=True, eq=False)
class DayFile:
    """A day file as one process read or wrote it: its exact bytes, its tables and the encoded
    parts a later write may reuse.

    Never changed once made (TinyDB gets copies of its documents, see DayStorage; the copies
    are shallow because the store never changes a value inside a document in place), so it can
    be kept from one operation to the next and trusted whenever the file's bytes are still
    exactly `raw`.
    """

    raw: bytes | None  # None: there is no file
    tables: Mapping[str, Mapping[str, Mapping[str, Any]]]  # TinyDB's layout, ids as text
    # Table "tickets": document id -> doc_fragment of the document as it is here (not all).
    frags: Mapping[str, bytes] = field(default_factory=dict)
    # Other tables: (table, document id) -> key -> the encoded value (meta's undo journal is
    # most of a write that does not touch it).
    values: Mapping[tuple[str, str], Mapping[str, bytes]] = field(default_factory=dict)


NO_FILE = DayFile(None, {})

_UNREAD: Any = object()


class DayStorage(Storage):
    """TinyDB storage over one day file.

    The store opens a fresh TinyDB over a fresh DayStorage for each operation, under its file
    lock (see store.py), so the next document id and the query results TinyDB caches never
    outlive the operation:
    - `read` reads the file once, on TinyDB's first read, and parses it, unless its bytes are
      exactly those of `last` (the file as this process last read or wrote it): then the
      tables of `last` are used. Either way TinyDB gets its own copy of every document:
      Table.update changes documents in place, and `last` must stay what the file holds even
      if the operation fails half way.
    - `write` (TinyDB calls it on every change) keeps the tables in memory; `save` writes the
      file once at the end of the operation, atomically (atomic_write), table "meta" first.
      Documents the operation did not change keep their encoding.

    Opened with `opener` (`TinyDB(storage=DayStorage.opener(path))`, e.g. by an admin's
    script or a test) every read reads the file and every write saves it, atomically but
    without the store's lock: hold the lock around such writes while kiosks run.
    """

    def __init__(self, path: Path, last: DayFile | None = None, *, write_through: bool = False):
        self.path = path
        self._last = last
        self._write_through = write_through
        self._raw: bytes | None = _UNREAD
        self._file: DayFile | None = None
        self._tables: dict[str, dict[str, dict[str, Any]]] | None = None
        self._written = False
        # When the file had to be parsed: ids of the documents of table "tickets" equal to
        # those of `last`, and of the others. (When the file is `last`, every one is kept.)
        self.kept_ids: frozenset[int] = frozenset()
        self.changed_ids: frozenset[int] = frozenset()

    @classmethod
    def opener(cls, path: Path) -> Callable[[], DayStorage]:
        return lambda: cls(path, write_through=True)

    @classmethod
    def without_file(cls, path: Path) -> DayStorage:
        """A storage that takes the file as missing without reading it (see Store._open_day)."""
        storage = cls(path)
        storage._raw = None
        return storage

    @classmethod
    def salvaged(cls, path: Path, raw: bytes, tables: dict[str, dict[str, dict]]) -> DayStorage:
        """A storage holding what was salvaged of the damaged file `raw` (see salvage.py), in
        memory: for readers that may not write (the file is left as it is)."""
        storage = cls(path)
        storage._raw = raw
        storage._file = DayFile(raw, tables)
        storage.changed_ids = frozenset(int(doc_id) for doc_id in tables.get("tickets", {}))
        return storage

    def raw(self) -> bytes | None:
        """The file's bytes, read once (StorageUnavailable if they cannot be read)."""
        if self._raw is _UNREAD:
            self._raw = read_bytes(self.path)
        return self._raw

    @property
    def file(self) -> DayFile:
        """The file as the operation found it (DamagedFile if unusable), or as `save` wrote it."""
        if self._file is None:
            self._file = self._load()
        return self._file

    def _load(self) -> DayFile:
        raw = self.raw()
        last = self._last
        if last is not None and raw == last.raw:
            return last
        if raw is None:
            return NO_FILE
        tables = parse_day(self.path, raw)
        known = last.tables if last is not None else {}
        # Documents equal to the ones known keep their encoding (and the store their Ticket):
        # after another process's write only what it changed is looked at again.
        frags: dict[str, bytes] = {}
        kept: list[int] = []
        changed: list[int] = []
        known_docs = known.get("tickets", {})
        docs = tables.get("tickets", {})
        for doc_id, doc in docs.items():
            old = known_docs.get(doc_id)
            if old is not None and old == doc:
                docs[doc_id] = old
                kept.append(int(doc_id))
                frag = last.frags.get(doc_id)  # type: ignore[union-attr]
                if frag is not None:
                    frags[doc_id] = frag
            else:
                changed.append(int(doc_id))
        values: dict[tuple[str, str], Mapping[str, bytes]] = {}
        for (name, doc_id), encoded in last.values.items() if last is not None else ():
            doc, old = tables.get(name, {}).get(doc_id), known.get(name, {}).get(doc_id)
            if doc is not None and old is not None:
                values[(name, doc_id)] = {
                    key: frag
                    for key, frag in encoded.items()
                    if key in doc and doc[key] == old[key]
                }
        self.kept_ids, self.changed_ids = frozenset(kept), frozenset(changed)
        return DayFile(raw, tables, frags, values)

    def read(self) -> dict[str, dict[str, dict[str, Any]]]:
        if self._write_through:
            # Like TinyDB's JSONStorage: every read parses the file as it is now.
            self._raw, self._file, self._tables = _UNREAD, None, None
        if self._tables is None:
            self._tables = {
                name: {doc_id: dict(doc) for doc_id, doc in table.items()}
                for name, table in self.file.tables.items()
            }
        return self._tables

    def write(self, data: dict[str, dict[str, dict[str, Any]]]) -> None:
        self._tables = data
        self._written = True
        if self._write_through:
            self.save(changed=None)

    def save(self, changed: Collection[int] | None = None) -> DayFile:
        """Write what TinyDB wrote to the file, once and atomically; the file as it now stands.

        `changed`: ids of the documents of table "tickets" the operation updated; they are
        encoded again, as are documents added (ids the file did not have). None: everything is
        encoded again (for writers that may change values inside documents in place, which
        TinyDB allows and the store never does).
        """
        base = self.file
        if not self._written or self._tables is None:
            return base
        tables = self._tables
        docs = tables.get("tickets", {})
        frags = _encoded_docs(docs, base, changed)
        if changed is None:
            base = NO_FILE  # no encoded value is reused
        values: dict[tuple[str, str], Mapping[str, bytes]] = {}
        encoded: dict[str, bytes] = {}
        for name in sorted(tables, key=lambda name: name != "meta"):  # "meta" first
            if name == "tickets":
                continue
            parts = []
            for doc_id, doc in tables[name].items():
                values[(name, doc_id)] = _encoded_values(base, name, doc_id, doc)
                inner = b",".join(encode(k) + b":" + v for k, v in values[(name, doc_id)].items())
                parts.append(encode(doc_id) + b":{" + inner + b"}")
            encoded[name] = b"{" + b",".join(parts) + b"}"
        raw = encode_day(encoded, frags.values())
        atomic_write(self.path, raw)
        self._file = DayFile(raw, tables, frags, values)
        self._raw = raw
        # The tables belong to the file now: a later read hands TinyDB copies again.
        self._tables = None
        self._written = False
        return self._file

    def close(self) -> None:
        pass


def _encoded_docs(
    docs: Mapping[str, Mapping[str, Any]], base: DayFile, changed: Collection[int] | None
) -> dict[str, bytes]:
    """doc_fragment of each document of table "tickets" (in the file's order, new ones last),
    reusing those of `base` for documents not `changed` (None: reusing none)."""
    if changed is None:
        return {doc_id: doc_fragment(doc_id, doc) for doc_id, doc in docs.items()}
    redo = {str(doc_id) for doc_id in changed}
    known = base.frags
    frags = dict(known)
    for doc_id in sorted(redo, key=int):  # new documents have the highest ids: id order
        if doc_id in docs:
            frags[doc_id] = doc_fragment(doc_id, docs[doc_id])
    if frags.keys() == docs.keys():  # (one set comparison) every document, and no other
        return frags
    return {
        doc_id: (None if doc_id in redo else known.get(doc_id)) or doc_fragment(doc_id, doc)
        for doc_id, doc in docs.items()
    }


def _encoded_values(
    base: DayFile, table: str, doc_id: str, doc: Mapping[str, Any]
) -> dict[str, bytes]:
    """Each value of a document encoded; values equal to those of `base` keep their encoding."""
    known = base.values.get((table, doc_id), {})
    old = base.tables.get(table, {}).get(doc_id, {})
    return {
        key: known[key] if key in known and key in old and old[key] == value else encode(value)
        for key, value in doc.items()
    }
