"""kiosk backup: taken while tickets are being issued, it restores to a consistent store.

Consistent means: every file of the copy parses (nothing moved aside as damaged), the tickets
are numbered 1..n without a gap, the day's numbering mark is exactly n (the lock kept the seq
file and the day file of one operation together), and the restored store goes on at n+1.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import textwrap
import time
from pathlib import Path

import pytest

from kiosk.cli import UsageProblem, main
from kiosk.cli.backup import backup, read_archive, restore
from kiosk.core.clock import Clock
from kiosk.core.config import load_config
from kiosk.core.store import Store

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config"
NOW = "2026-11-30T13:00"

WRITER = textwrap.dedent(
    """
    import sys
    import time
    from pathlib import Path
    from kiosk.core.clock import Clock
    from kiosk.core.config import load_config
    from kiosk.core.store import Store
    config = load_config(Path(sys.argv[1]))
    store = Store(Path(sys.argv[2]), config, Clock.starting_at(sys.argv[3], config.site.timezone))
    for _ in range(int(sys.argv[4])):
        store.issue("kim", "de")
        print("issued", flush=True)
        time.sleep(0.005)  # a busy kiosk, not a lock hog: lets the backup get the lock
    """
)


@pytest.fixture(autouse=True)
def _reset_kiosk_logger():
    """backup/restore set up the "kiosk" logger (file handler, no propagation): undo it, so
    later tests' caplog sees kiosk records again."""
    import logging

    yield
    root = logging.getLogger("kiosk")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.propagate = True


@pytest.fixture(scope="module")
def config():
    return load_config(CONFIG)


def _store(data: Path, config) -> Store:
    return Store(data, config, Clock.starting_at(NOW, config.site.timezone))


def _numbers(store: Store) -> list[int]:
    return [ticket.seq for ticket in store.snapshot().tickets if ticket.letter == "A"]


def test_backups_taken_while_tickets_are_issued_restore_to_a_consistent_store(tmp_path, config):
    data = tmp_path / "data"
    _store(data, config).issue("kim", "de")  # the folder exists before the writer starts
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(CONFIG), str(data), NOW, "80"],
        stdout=subprocess.PIPE,
        text=True,
    )
    archives = []
    try:
        writer.stdout.readline()  # it is issuing now
        while writer.poll() is None and len(archives) < 15:
            archive, _count, held = backup(data, tmp_path / "backups" / f"b{len(archives)}.tar.gz")
            archives.append(archive)
            print(f"backup {len(archives)}: lock held {held * 1000:.1f} ms")
            time.sleep(0.02)
    finally:
        writer.wait(60)
    assert writer.returncode == 0
    assert len(archives) >= 3, "the writer finished before three backups were taken"
    sizes = set()
    for archive in archives:
        target = tmp_path / "restored" / archive.stem
        count, aside = restore(archive, target, force=False)
        assert aside is None
        store = _store(target, config)
        numbers = _numbers(store)
        sizes.add(len(numbers))
        assert numbers == list(range(1, len(numbers) + 1)), f"{archive.name}: gap in {numbers}"
        marks = store._read_seq_file(store.clock.now().date())
        assert marks == {"A": len(numbers)}, f"{archive.name}: seq {marks} vs {len(numbers)}"
        next_ticket = store.issue("kim", "de").ticket
        assert next_ticket.seq == len(numbers) + 1
        assert store.warnings == [], f"{archive.name}: {store.warnings}"
    print("tickets in the backups:", sorted(sizes))
    assert len(sizes) > 1, "every backup saw the same state: not taken while issuing"


def test_restore_into_a_folder_with_tickets_needs_force_and_never_reuses_a_number(tmp_path, config):
    data = tmp_path / "data"
    store = _store(data, config)
    for _ in range(2):
        store.issue("kim", "de")
    archive, _count, _held = backup(data, tmp_path / "backups")
    for _ in range(3):
        store.issue("kim", "de")  # A-003..A-005 handed out after the backup

    code = main(["--data", str(data), "backup", "--restore", str(archive)])
    assert code == 2
    assert _numbers(_store(data, config)) == [1, 2, 3, 4, 5]  # untouched

    count, aside = restore(archive, data, force=True)
    assert aside is not None and (aside / "seq-2026-11-30.json").is_file()
    restored = _store(data, config)
    assert _numbers(restored) == [1, 2]
    # The backup knew only, but A-003..A-005 were handed out today.
    assert restored.issue("kim", "de").ticket.number == "A-006"


def test_backup_leaves_out_logs_and_the_lock_and_checks_itself(tmp_path, config):
    data = tmp_path / "data"
    _store(data, config).issue("kim", "de")
    (data / "logs").mkdir()
    (data / "logs" / "kiosk.log").write_text("a log line\n")
    archive, count, _held = backup(data, tmp_path / "out")
    assert archive.parent == tmp_path / "out" and archive.name.startswith("kiosk-data-")
    files = read_archive(archive)
    assert "tickets-2026-11-30.json" in files and "seq-2026-11-30.json" in files
    assert ".lock" not in files and not any("log" in name for name in files)
    assert len(files) == count

    # A damaged archive is refused before anything is touched.
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    members["tickets-2026-11-30.json"] = members["tickets-2026-11-30.json"].replace(b"kim", b"xyz")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for name, raw in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    with pytest.raises(UsageProblem, match="damaged"):
        restore(tampered, tmp_path / "fresh", force=False)
    assert not any((tmp_path / "fresh").glob("tickets-*"))


def test_backup_cli_prints_where_the_archive_went(tmp_path, config, capsys):
    data = tmp_path / "data"
    _store(data, config).issue("kim", "de")
    assert main(["--data", str(data), "backup", str(tmp_path / "b.tar.gz")]) == 0
    assert str(tmp_path / "b.tar.gz") in capsys.readouterr().out
    assert (
        main(["--data", str(tmp_path / "new"), "backup", "--restore", str(tmp_path / "b.tar.gz")])
        == 0
    )
    assert _numbers(_store(tmp_path / "new", config)) == [1]
    assert main(["--data", str(data), "backup", str(data / "inside.tar.gz")]) == 2


def test_keep_deletes_all_but_the_newest_backups_and_nothing_else(tmp_path, config, capsys):
    """A daily backup timer must not fill the box's disk."""
    data = tmp_path / "data"
    _store(data, config).issue("kim", "de")
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / f"kiosk-data-200001{day:02d}-203000.tar.gz" for day in range(1, 6)]
    for path in old:
        path.write_bytes(b"old")
    other = [folder / "notes.txt", folder / "kiosk-data-by-hand.tar.gz"]
    for path in other:
        path.write_text("not ours to delete")
    assert main(["--data", str(data), "backup", str(folder), "--keep", "3"]) == 0
    left = sorted(p.name for p in folder.iterdir())
    newest = [n for n in left if n.startswith("kiosk-data-2") and n not in {p.name for p in old}]
    assert len(newest) == 1 and read_archive(folder / newest[0])
    assert [p.name for p in old[-2:]] == [n for n in left if n in {p.name for p in old}]
    assert all(path.exists() for path in other)
    assert "Deleted 3 older backups" in capsys.readouterr().out
    assert main(["--data", str(data), "backup", str(folder / "x.tar.gz"), "--keep", "3"]) == 2
    assert main(["--data", str(data), "backup", str(folder), "--keep", "0"]) == 2
