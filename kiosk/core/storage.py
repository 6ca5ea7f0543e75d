"""Storage: atomic JSON files and the TinyDB storage over one day file.

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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from kiosk.core.errors import StorageUnavailable

TMP_PREFIX = ".tmp-"


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
    }.get(error.errno or 0, error.strerror or str(error))
    return StorageUnavailable(
        f"storage unavailable: {kind} ({path.parent}); nothing stored before was lost"
    )


def check_data_dir(folder: Path) -> None:
    """Create the data folder if needed; StorageUnavailable if it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise unavailable(folder / "x", error) from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise unavailable(folder / "x", PermissionError(errno.EACCES, "permission denied"))


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
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
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


def doc_fragment(doc_id: int, doc: Any) -> bytes:
    """One document of a table as it stands in the file: `"12":{...}`."""
    return b'"%d":%s' % (doc_id, encode(doc))


def encode_day(tables: dict[str, bytes], docs: Iterable[bytes]) -> bytes:
    """A day file from already encoded parts: `tables` maps a table name to its encoded
    object, `docs` are the documents of table "tickets" (doc_fragment) in id order.

    The tables in `tables` come first: "meta" holds the day's number high-water marks, and in
    a file cut short by damage they are then still there to be found (see store.py).
    """
    parts = [encode(name) + b":" + table for name, table in tables.items()]
    parts.append(b'"tickets":{' + b",".join(docs) + b"}")
    return b"{" + b",".join(parts) + b"}"


class DayStorage(Storage):
    """TinyDB storage over one day file, so a day file can be opened with TinyDB itself
    (`TinyDB(storage=DayStorage.opener(path))`, e.g. by an admin's script or a test). Writes
    through it are atomic but take no lock: while kiosks run, hold the store's lock around them.

    The store does not go through TinyDB's Table for its operations: a Table wraps every
    document in a Document on each read, rebuilds the whole table on each insert or update and
    updates documents in place, which would make each operation's cost grow with the day and
    rule out reusing what was parsed. The store reads and writes the same TinyDB layout itself
    (`parse_day`, `encode_day`); writes through this class are atomic like the store's.
    """

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def opener(cls, path: Path):
        return lambda: cls(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        raw = read_bytes(self.path)
        return None if raw is None else parse_day(self.path, raw)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write_json(self.path, data)

    def close(self) -> None:
        pass
