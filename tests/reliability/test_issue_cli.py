"""`kiosk issue` with the shipped config: output, --json, one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kiosk.core.storage as storage
from kiosk.cli import main

pytestmark = pytest.mark.usefixtures("kiosk_logs_reach_caplog")

CONFIG = Path(__file__).resolve().parents[2] / "config"
MONDAY = "2026-11-30T13:00"  # the Sprechstunde (kim) is open
TUESDAY = "2026-12-01T13:00"  # kim is closed; JSL open


def kiosk(capsys, data, *args, now=MONDAY):
    code = main(["issue", *args, "--config", str(CONFIG), "--data", str(data), "--now", now])
    out, err = capsys.readouterr()
    return code, out, err


def test_issue_prints_number_label_people_ahead_and_note(tmp_path, capsys):
    code, out, err = kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "A-001"
    assert lines[1].startswith("Sprechstunde Integration")
    assert "Nächste" in lines[2] or "0" in lines[2]
    assert "0214/406-3333" in out  # the take-away note with the hotline
    code, out, _ = kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "en")
    assert out.splitlines()[0] == "A-002"
    assert "1" in out.splitlines()[2]  # one person ahead, in English
    assert "Sprechstunde" not in out.splitlines()[1]  # label in the chosen language


def test_issue_json_is_one_line(tmp_path, capsys):
    kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de")
    code, out, err = kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "ar", "--json")
    assert code == 0, err
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data["number"] == "A-002"
    assert (data["topic"], data["lang"], data["people_ahead"]) == ("kim", "ar", 1)
    assert data["wait_minutes"] is None
    assert data["topic_label"]


@pytest.mark.parametrize(
    ("args", "now", "words"),
    [
        (("--topic", "nope", "--lang", "de"), MONDAY, 'unknown topic "nope"'),
        (("--topic", "kim", "--lang", "xx"), MONDAY, 'unknown language "xx"'),
        (("--topic", "kim", "--lang", "de"), TUESDAY, "closed"),
    ],
    ids=["topic", "language", "closed"],
)
def test_issue_errors_are_one_line_exit_2(tmp_path, capsys, args, now, words):
    code, out, err = kiosk(capsys, tmp_path, *args, now=now)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and words in err


def test_issue_clock_behind(tmp_path, capsys):
    kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de", now="2026-11-30T14:00")
    code, _, err = kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de", now=MONDAY)
    assert code == 2 and "clock" in err and err.count("\n") == 1


def test_issue_full_disk(tmp_path, capsys, monkeypatch):
    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "_write_all", full)
    code, _, err = kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de")
    assert code == 2 and "storage unavailable: the disk is full" in err
    assert err.count("\n") == 1


def test_issue_in_a_folder_without_logs_still_says_one_line(tmp_path, capsys, monkeypatch):
    """Bug: in a read-only data folder the log file cannot be opened, the "kiosk" logger had no
    handler, and Python's last-resort handler printed the store's error a second time, bare."""
    (tmp_path / "logs").write_text("a file where the log folder belongs")  # logs cannot open

    def read_only(fd, data):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(storage, "_write_all", read_only)
    code, out, err = kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de")
    assert code == 2 and out == ""
    assert err == f"kiosk: storage unavailable: the data folder is read-only ({tmp_path}); " + (
        "nothing stored before was lost\n"
    )


def test_parallel_commands_from_several_shells(tmp_path):
    """Like staff in several shells: real processes at once, unique numbers."""
    command = [sys.executable, "-m", "kiosk", "issue", "--topic", "kim", "--lang", "de", "--json"]
    env = {**os.environ, "KIOSK_CONFIG": str(CONFIG), "KIOSK_DATA": str(tmp_path)}
    env["KIOSK_NOW"] = MONDAY
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    results = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0] * 6, [err for _, err in results]
    numbers = sorted(json.loads(out)["number"] for out, _ in results)
    assert numbers == [f"A-{i:03d}" for i in range(1, 7)]
    ahead = sorted(json.loads(out)["people_ahead"] for out, _ in results)
    assert ahead == list(range(6))
    bad = subprocess.run(
        [*command[:5], "nope", "--lang", "de"], env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_issue_after_a_damaged_file_warns_and_goes_on(tmp_path, capsys):
    kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de")
    kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de")
    (tmp_path / "tickets-2026-11-30.json").write_text('{"tickets": {"1": {"numb')
    code, out, err = kiosk(capsys, tmp_path, "--topic", "kim", "--lang", "de", "--json")
    assert code == 0
    assert json.loads(out)["number"] == "A-003"
    assert "warning: damaged data file" in err
    assert "the original is kept as" in (tmp_path / "logs" / "kiosk.log").read_text()
