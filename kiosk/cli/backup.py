"""`kiosk backup`: a consistent copy of the data folder, taken while the kiosk runs; and restore.

Backup takes the store's lock (data/.lock, the one every kiosk process takes around each whole
operation) only while it reads the files into memory, so the copy is one consistent moment: no
ticket is half-written into it. Compressing and writing the archive happen after the lock is
released. The archive is a .tar.gz with the data files and BACKUP.json (time, sha256 per file);
logs/ is left out.

Restore unpacks into an empty data folder (a new box, a wiped disk). Into a folder that holds
tickets it needs --force, meant for when the services are stopped: the current files are moved
to DATA/replaced-STAMP/ (nothing is deleted), and for each day in both, the higher numbering
marks are kept so a ticket number already handed out today is never handed out again.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import tempfile
import time
from datetime import datetime
from pathlib import Path

HELP = "back up the data folder into a .tar.gz (safe while the kiosk runs), or --restore one"

MANIFEST = "BACKUP.json"
LOCK_TIMEOUT = 30.0
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$|^\.rollover\.json$")
SEQ_FILE = re.compile(r"^seq-\d{4}-\d{2}-\d{2}\.json$")
ARCHIVE_NAME = re.compile(r"^kiosk-data-\d{8}-\d{6}\.tar\.gz$")
"""What `kiosk backup FOLDER` names its archives; --keep deletes only files named so."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target",
        metavar="DEST|ARCHIVE",
        help="backup: a folder (gets kiosk-data-YYYYMMDD-HHMMSS.tar.gz) or a file name ending "
        "in .tar.gz; with --restore: the archive to restore",
    )
    parser.add_argument(
        "--restore",
        action="store_true",
        help="restore the archive into the data folder (empty, or --force)",
    )
    parser.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="backup into a folder: then delete all but the newest N kiosk-data-*.tar.gz "
        "there (a daily backup would fill the disk in time)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="restore over existing data (stop the services first); the current files are "
        "moved to DATA/replaced-STAMP/",
    )


def _lock(data_dir: Path):
    from filelock import FileLock

    from kiosk.core.store import LOCK_FILE

    return FileLock(str(data_dir / LOCK_FILE), timeout=LOCK_TIMEOUT)


def store_files(data_dir: Path) -> list[Path]:
    """The files a backup holds: every data file at the top of the folder, no lock, no temp files."""
    from kiosk.core.storage import TMP_PREFIX
    from kiosk.core.store import LOCK_FILE

    found = []
    for entry in sorted(os.scandir(data_dir), key=lambda e: e.name):
        if not entry.is_file(follow_symlinks=False):
            continue  # logs/, replaced-*/
        if entry.name == LOCK_FILE or entry.name.startswith(TMP_PREFIX):
            continue
        found.append(Path(entry.path))
    return found


def read_consistent(data_dir: Path) -> tuple[dict[str, bytes], float]:
    """Every data file's bytes, read under the store's lock; and how long the lock was held."""
    from filelock import Timeout

    from kiosk.cli import UsageProblem

    try:
        lock = _lock(data_dir)
        with lock.acquire(poll_interval=0.005):  # ask often: kiosks hold it for milliseconds
            started = time.monotonic()
            contents = {path.name: path.read_bytes() for path in store_files(data_dir)}
            held = time.monotonic() - started
    except Timeout:
        raise UsageProblem(
            f"the data folder {data_dir} stayed locked for {LOCK_TIMEOUT:.0f} s; try again"
        ) from None
    return contents, held


def _archive_bytes(contents: dict[str, bytes], data_dir: Path) -> bytes:
    manifest = {
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "data_dir": str(data_dir),
        "files": {name: hashlib.sha256(raw).hexdigest() for name, raw in contents.items()},
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, raw in [(MANIFEST, json.dumps(manifest, indent=1).encode()), *contents.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            info.mtime = int(time.time())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(raw))
    return buffer.getvalue()


def _write_file_atomically(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def backup(data_dir: Path, target: Path) -> tuple[Path, int, float]:
    """Write the archive; returns (path, number of files, seconds the lock was held)."""
    from kiosk.cli import UsageProblem

    if not data_dir.is_dir():
        raise UsageProblem(f"no data folder {data_dir} (give --data DIR)")
    if target.name.endswith((".tar.gz", ".tgz")):
        archive = target
    else:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        archive = target / f"kiosk-data-{stamp}.tar.gz"
    if archive.resolve().parent == data_dir.resolve():
        raise UsageProblem("put the backup outside the data folder (and ideally on another disk)")
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
        contents, held = read_consistent(data_dir)
        _write_file_atomically(archive, _archive_bytes(contents, data_dir))
    except OSError as error:
        raise UsageProblem(f"backup failed: {error.strerror or error}: {error.filename}") from None
    return archive, len(contents), held


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives `kiosk backup` wrote into `folder`."""
    archives = sorted(p for p in folder.iterdir() if ARCHIVE_NAME.match(p.name) and p.is_file())
    removed = archives[: max(0, len(archives) - keep)]
    for path in removed:
        path.unlink()
    return removed


def read_archive(archive: Path) -> dict[str, bytes]:
    """The data files of an archive, checked against its manifest (UsageProblem if anything is off)."""
    from kiosk.cli import UsageProblem

    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            files: dict[str, bytes] = {}
            for member in tar.getmembers():
                if not member.isfile() or not SAFE_NAME.match(member.name):
                    raise UsageProblem(f"{archive}: unexpected entry {member.name!r}; not restored")
                files[member.name] = tar.extractfile(member).read()
    except (OSError, tarfile.TarError, EOFError) as error:
        raise UsageProblem(f"{archive} cannot be read as a kiosk backup: {error}") from None
    if MANIFEST not in files:
        raise UsageProblem(f"{archive} has no {MANIFEST}: not a kiosk backup; not restored")
    manifest = json.loads(files.pop(MANIFEST))
    expected = manifest.get("files", {})
    if set(expected) != set(files):
        raise UsageProblem(f"{archive}: files differ from its manifest; not restored")
    for name, raw in files.items():
        if hashlib.sha256(raw).hexdigest() != expected[name]:
            raise UsageProblem(f"{archive}: {name} is damaged (checksum); not restored")
    return files


def _merged_seq(restored: bytes, current: bytes) -> bytes:
    """The higher numbering mark of each letter: a number handed out is never handed out again."""
    try:
        marks, seen = json.loads(restored), json.loads(current)
    except ValueError:
        return restored
    if not (isinstance(marks, dict) and isinstance(seen, dict)):
        return restored
    for letter, mark in seen.items():
        if isinstance(mark, int) and mark > marks.get(letter, 0):
            marks[letter] = mark
    return json.dumps(marks, separators=(",", ":")).encode()


def restore(archive: Path, data_dir: Path, force: bool) -> tuple[int, Path | None]:
    """Restore; returns (files restored, folder the replaced files went to or None)."""
    from filelock import Timeout

    from kiosk.cli import UsageProblem
    from kiosk.core.storage import atomic_write

    files = read_archive(archive)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with _lock(data_dir):
            existing = store_files(data_dir)
            if existing and not force:
                raise UsageProblem(
                    f"the data folder {data_dir} already holds {len(existing)} data files; stop "
                    "the kiosk services and add --force (the current files are moved aside)"
                )
            aside = None
            current: dict[str, bytes] = {}
            if existing:
                aside = data_dir / f"replaced-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
                aside.mkdir()
                for path in existing:
                    current[path.name] = path.read_bytes()
                    os.replace(path, aside / path.name)
            for name, raw in files.items():
                if SEQ_FILE.match(name) and name in current:
                    raw = _merged_seq(raw, current[name])
                atomic_write(data_dir / name, raw)
            for name, raw in current.items():
                # A day's marks the backup does not have at all are kept as they are.
                if SEQ_FILE.match(name) and name not in files:
                    atomic_write(data_dir / name, raw)
    except Timeout:
        raise UsageProblem(f"the data folder {data_dir} stays locked: stop the services") from None
    return len(files), aside


def _log(data_dir: Path):
    """The log, written only by the data folder's owner: a root-owned log file would stop
    the services (running as their own user) from logging."""
    import logging

    from kiosk.core.logs import setup_logging

    try:
        owner = data_dir.stat().st_uid
    except OSError:
        owner = None
    if owner is not None and owner != os.geteuid():
        return logging.getLogger("kiosk.backup")
    return setup_logging(data_dir, "backup", to_stderr=False)


def run(args: argparse.Namespace, ctx) -> int:
    data_dir = Path(ctx.data_dir)
    target = Path(args.target)
    if args.restore:
        count, aside = restore(target, data_dir, args.force)
        _log(data_dir).info("restored %s files from %s (replaced files: %s)", count, target, aside)
        print(f"Restored {count} files from {target} into {data_dir}.")
        if aside is not None:
            print(f"The files it replaced are in {aside}.")
        print("Check it: kiosk stats (or start the services again).")
        return 0
    if args.force:
        print("kiosk backup: --force only matters with --restore", file=sys.stderr)
    if args.keep is not None and (args.keep < 1 or target.name.endswith((".tar.gz", ".tgz"))):
        from kiosk.cli import UsageProblem

        raise UsageProblem("--keep N: give a folder to back up into and N of at least 1")
    archive, count, held = backup(data_dir, target)
    _log(data_dir).info("backup of %s files into %s", count, archive)
    print(f"Backed up {count} files of {data_dir} into {archive} (lock held {held * 1000:.0f} ms).")
    if args.keep is not None:
        removed = prune(archive.parent, args.keep)
        if removed:
            print(f"Deleted {len(removed)} older backups, kept the newest {args.keep}.")
    return 0
