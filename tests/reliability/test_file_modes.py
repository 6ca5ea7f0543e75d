"""File modes (issue 14, finding 7): nothing the kiosk creates is readable or writable by other
users, whatever the umask. Bug: at umask 000 the data folder and logs/ were 0777 and .lock,
kiosk.log and the CSV 0666; the units set no UMask."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.store_factory import make_store

CONFIG = Path(__file__).resolve().parents[2] / "config"
MONDAY = "2026-11-30T13:00"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def kiosk_at_umask(umask: int, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *argv, "--config", str(CONFIG), "--now", MONDAY],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(umask),
    )


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_data_folder_logs_lock_and_csv_keep_to_the_owner_and_group(tmp_path, umask):
    data = tmp_path / "data"
    csv = tmp_path / "report.csv"
    result = kiosk_at_umask(umask, "issue", "--topic", "kim", "--lang", "de", "--data", str(data))
    assert result.returncode == 0, result.stderr
    result = kiosk_at_umask(umask, "stats", "--data", str(data), "--csv", str(csv))
    assert result.returncode == 0, result.stderr
    assert mode(data) == 0o750
    assert mode(data / "logs") == 0o750
    files = [p for p in data.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {".lock", "kiosk.log", "tickets-2026-11-30.json", "seq-2026-11-30.json"} <= names
    for path in files:
        assert mode(path) == 0o640, path
    assert mode(csv) & 0o007 == 0  # nothing for others (the folder it goes to is the admin's)


def test_store_writes_its_files_0640_in_process_whatever_the_umask(tmp_path):
    previous = os.umask(0)
    try:
        store = make_store(tmp_path / "data")
        store.issue("kim", "de")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "data") == 0o750
    for path in (tmp_path / "data").iterdir():
        assert mode(path) == 0o640, path


def test_every_unit_sets_umask_0027():
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        main(["install-services", "--user", "kiosk", "--dry-run", "--config", str(CONFIG)])
    printed = buffer.getvalue()
    services = printed.count("[Service]")
    assert services >= 1 and printed.count("UMask=0027") == services
