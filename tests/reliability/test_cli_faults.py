"""Command-line faults (issue 14, findings 4, 5, 6 and 8): closed pipes, --now at the calendar's
edges, a data folder that cannot be written, --json failures, lenient --topic and --lang.

Bugs: `kiosk check-config | head` (and --json, and `stats --json | head`) ended with a
BrokenPipeError traceback, exit 1; `--now 9999-12-31T23:59` and `--now 0001-01-01T00:00` gave
OverflowError tracebacks; `--data /proc/1` waited 10 s and blamed "another process stuck";
--json failures were plain text on stderr; `--topic kimm` did not list the valid ids; `--topic A`
(the letter on every ticket) and `--lang DE` were rejected."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.clock import parse_local_time
from kiosk.core.config import load_config
from kiosk.core.errors import StorageUnavailable
from kiosk.core.hours import Hours

CONFIG = Path(__file__).resolve().parents[2] / "config"
MONDAY = "2026-11-30T13:00"


def without_data(argv) -> list[str]:
    """check-config takes no --data (its common options are --config and --now)."""
    argv = list(argv)
    if argv[0] == "check-config" and "--data" in argv:
        at = argv.index("--data")
        del argv[at : at + 2]
    return argv


def kiosk(capsys, *argv):
    try:
        code = main([*without_data(argv), "--config", str(CONFIG)])
    except SystemExit as stop:  # argparse's mistakes end with SystemExit(2)
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def issued_day(tmp_path):
    data = tmp_path / "data"
    for _ in range(3):
        main(
            [
                "issue",
                "--topic",
                "kim",
                "--lang",
                "de",
                "--config",
                str(CONFIG),
                "--data",
                str(data),
                "--now",
                MONDAY,
            ]
        )
    return data


# ---------------------------------------------------------------- closed pipes


@pytest.mark.parametrize(
    "argv",
    [
        ["check-config", "--now", MONDAY],
        ["check-config", "--json", "--now", MONDAY],
        ["stats", "--json", "--month", "2026-11", "--now", MONDAY],
        ["stats", "--month", "2026-11", "--now", MONDAY],
        ["issue", "--topic", "kim", "--lang", "de", "--now", MONDAY],
    ],
    ids=["check-config", "check-config-json", "stats-json", "stats", "issue"],
)
def test_output_to_a_closed_pipe_ends_quietly(tmp_path, argv):
    data = issued_day(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (head) is gone before anything is written
    try:
        result = subprocess.run(
            [
                *(sys.executable, "-m", "kiosk"),
                *without_data([*argv, "--data", str(data)]),
                *("--config", str(CONFIG)),
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert result.stderr == ""
    assert result.returncode in (0, 141)


# ---------------------------------------------------------------- --now at the calendar's edges


@pytest.mark.parametrize(
    "now", ["9999-12-31T23:59", "0001-01-01T00:00", "1999-12-31T23:59", "2200-01-01T00:00"]
)
@pytest.mark.parametrize(
    "command",
    [["check-config"], ["issue", "--topic", "kim", "--lang", "de"], ["stats"]],
    ids=["check-config", "issue", "stats"],
)
def test_now_outside_2000_2199_is_one_line_exit_2(tmp_path, capsys, now, command):
    code, out, err = kiosk(capsys, *command, "--data", str(tmp_path), "--now", now)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "2000-2199" in err and now in err


@pytest.mark.parametrize("now", ["2000-01-01T00:00", "2199-12-31T23:59"])
def test_now_at_the_edges_of_the_range_works(tmp_path, capsys, now):
    code, out, _ = kiosk(capsys, "check-config", "--json", "--data", str(tmp_path), "--now", now)
    assert code == 0 and json.loads(out)["ok"]


def test_parse_local_time_names_the_range():
    tz = load_config(CONFIG).site.timezone
    with pytest.raises(ValueError, match="2000-2199"):
        parse_local_time("0001-01-01T00:00", tz)


def test_hours_at_the_end_of_the_calendar_do_not_overflow():
    config = load_config(CONFIG)
    hours = Hours(config)
    moment = datetime(9999, 12, 31, 12, 0, tzinfo=config.site.timezone)
    for topic in config.topics:
        assert hours.topic_status(topic.id, moment).next_issue_at is None


# ---------------------------------------------------------------- a data folder that cannot be written


@pytest.mark.skipif(not Path("/proc/1").is_dir(), reason="needs Linux /proc")
def test_unwritable_data_folder_is_one_line_exit_2_at_once(capsys):
    started = time.monotonic()
    code, out, err = kiosk(
        capsys, "issue", "--topic", "kim", "--lang", "de", "--data", "/proc/1", "--now", MONDAY
    )
    assert time.monotonic() - started < 5  # not the 10 s lock timeout
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "/proc/1" in err
    assert "locked" not in err and "another process" not in err


@pytest.mark.skipif(not Path("/proc/1").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", [["staff", "--desk", "raum1"], ["run"]])
def test_apps_refuse_an_unwritable_data_folder_in_one_line(capsys, command):
    started = time.monotonic()
    code, out, err = kiosk(capsys, *command, "--data", "/proc/1", "--now", MONDAY)
    assert time.monotonic() - started < 5
    assert code == 2 and out == ""
    assert (
        err.strip().splitlines()[-1].startswith("kiosk: data folder /proc/1: storage unavailable")
    )


def test_lock_file_that_cannot_be_created_fails_at_once(tmp_path, monkeypatch):
    from tests.store_factory import make_store

    store = make_store(tmp_path)
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable, match="no permission to write the data folder"):
        store.issue("kim", "de")
    assert time.monotonic() - started < 5


# ---------------------------------------------------------------- --json failures


def one_json_error(code, out, err):
    assert code == 2
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data["exit"] == 2 and isinstance(data["error"], str) and data["error"]
    assert "\n" not in data["error"]
    return data["error"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["issue", "--topic", "kimm", "--lang", "de", "--json", "--now", MONDAY], "kimm"),
        (
            ["issue", "--topic", "kim", "--lang", "de", "--json", "--now", "2026-12-01T13:00"],
            "closed",
        ),
        (["issue", "--lang", "de", "--json"], "--topic"),
        (
            ["issue", "--topic", "kim", "--lang", "de", "--json", "--now", "9999-12-31T23:59"],
            "2000-2199",
        ),
        (["stats", "--json", "--month", "2026-13", "--now", MONDAY], "2026-13"),
        (["check-config", "--json", "--now", "gestern"], "gestern"),
    ],
    ids=["unknown-topic", "closed", "missing-option", "bad-now", "stats-month", "check-config-now"],
)
def test_every_json_failure_is_one_json_object_exit_2(tmp_path, capsys, argv, words):
    error = one_json_error(*kiosk(capsys, *argv, "--data", str(tmp_path)))
    assert words in error


def test_json_failure_of_a_broken_config(tmp_path, capsys):
    folder = tmp_path / "config"
    folder.mkdir()
    for name in ("site", "schedules", "topics", "desks"):
        (folder / f"{name}.toml").write_bytes((CONFIG / f"{name}.toml").read_bytes())
    (folder / "topics.toml").write_text("[[topic]]\nid = \n")
    for command in (["issue", "--topic", "kim", "--lang", "de"], ["stats"], ["check-config"]):
        argv = [*command, "--json", "--data", str(tmp_path), "--now", MONDAY]
        code = main([*without_data(argv), "--config", str(folder)])
        out, _ = capsys.readouterr()
        assert "topics.toml" in one_json_error(code, out, "")


# ---------------------------------------------------------------- --topic and --lang


def test_unknown_topic_lists_the_valid_ids_and_letters(tmp_path, capsys):
    code, out, err = kiosk(
        capsys, "issue", "--topic", "kimm", "--lang", "de", "--data", str(tmp_path), "--now", MONDAY
    )
    assert code == 2 and out == "" and err.count("\n") == 1
    for topic in load_config(CONFIG).topics:
        assert f"{topic.id} ({topic.letter})" in err


def test_unknown_language_lists_the_codes(tmp_path, capsys):
    code, _, err = kiosk(
        capsys, "issue", "--topic", "kim", "--lang", "xx", "--data", str(tmp_path), "--now", MONDAY
    )
    assert code == 2 and 'unknown language "xx"' in err and "de, " in err


@pytest.mark.parametrize(
    ("topic", "lang"), [("A", "DE"), ("a", "de"), ("KIM", "De"), ("kim", "AR")]
)
def test_topic_by_its_ticket_letter_and_language_in_any_case(tmp_path, capsys, topic, lang):
    code, out, err = kiosk(
        capsys,
        "issue",
        "--topic",
        topic,
        "--lang",
        lang,
        "--json",
        "--data",
        str(tmp_path),
        "--now",
        MONDAY,
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["topic"] == "kim" and data["number"].startswith("A-")
    assert data["lang"] == lang.lower()
