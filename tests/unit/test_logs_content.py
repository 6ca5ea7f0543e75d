"""Logs: what the journal and data/logs get, that they stay bounded, and that no visitor data leaks.

A ticket may be logged by number, topic and language (and the desk that handled it); nothing
else about a visitor exists, and nothing else may appear: no topic texts shown to visitors,
no take-away note, no PIN or PIN hash.
"""

from __future__ import annotations

import io
import logging
import os
import re
import socket
import struct
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.core import logs
from kiosk.core.clock import FixedClock, parse_local_time
from kiosk.core.config import load_config
from kiosk.core.errors import KioskError
from kiosk.core.logs import setup_logging
from kiosk.core.store import Store

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config"


@pytest.fixture(autouse=True)
def _reset_kiosk_logger(monkeypatch):
    # Tests run by a CI service would otherwise log into that service's journal.
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    yield
    root = logging.getLogger("kiosk")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.propagate = True


@pytest.fixture(scope="module")
def config():
    return load_config(CONFIG)


def _log_text(data: Path) -> str:
    for handler in logging.getLogger("kiosk").handlers:
        handler.flush()
    return "".join(
        p.read_text(encoding="utf-8") for p in sorted((data / "logs").glob("kiosk.log*"))
    )


def test_a_day_of_tickets_logs_numbers_topics_languages_and_nothing_personal(tmp_path, config):
    data = tmp_path / "data"
    setup_logging(data, "visitor", to_stderr=False)
    clock = FixedClock(parse_local_time("2026-11-30T13:00", config.site.timezone))
    store = Store(data, config, clock)
    issued = [
        store.issue(topic, lang).ticket
        for topic, lang in [
            ("kim", "de"),
            ("kim", "ar"),
            ("ba", "uk"),
            ("vhs", "fa"),
            ("kim", "ru"),
        ]
    ]
    desk = config.desks[0].id
    clock.advance(minutes=2)
    called = store.call_next(desk)
    clock.advance(minutes=5)
    store.done(desk, called.number)
    nxt = store.call_next(desk)
    store.no_show(desk, nxt.number)
    store.undo(desk)

    # A clock that jumps back behind the last stored event: no writing into the past.
    clock.set(clock.now() - timedelta(hours=2))
    with pytest.raises(KioskError):
        store.issue("kim", "de")
    clock.set(clock.now() + timedelta(hours=2))
    # A damaged day file: salvaged, reported, work goes on.
    day_file = store.day_path(clock.now().date())
    good = day_file.read_bytes()
    day_file.write_bytes(good[: len(good) // 2])
    store.snapshot()

    text = _log_text(data)
    print(text)
    lines = text.splitlines()
    assert all(" kiosk." in line for line in lines)  # our format: time level logger [pid] msg
    for ticket in issued:
        assert any(
            ticket.number in line and ticket.topic in line and ticket.lang in line for line in lines
        ), ticket.number
    assert f"desk {desk}" in text
    assert "damaged" in text
    assert "clock" in text.lower()

    forbidden = [config.site.pin_hash, "pbkdf2", "2468"]
    for language in config.languages.values():
        forbidden.append(language.native_name)
        for topic_text in language.topics.values():
            forbidden += [topic_text.label, topic_text.description]
    leaked = [word for word in forbidden if word and word in text]
    assert leaked == []


def test_the_log_file_rotates_and_stays_bounded(tmp_path):
    data = tmp_path / "data"
    log = setup_logging(data, "rotation", to_stderr=False)
    line = "x" * 1000
    for _ in range(int(logs.MAX_BYTES * (logs.BACKUPS + 3) / 1000)):
        log.info("%s", line)
    files = sorted((data / "logs").glob("kiosk.log*"))  # not the empty lock file
    sizes = {p.name: p.stat().st_size for p in files}
    print(sizes)
    assert len(files) == logs.BACKUPS + 1
    assert all(size <= logs.MAX_BYTES + 2000 for size in sizes.values())
    assert sum(sizes.values()) <= (logs.BACKUPS + 1) * (logs.MAX_BYTES + 2000)


def test_standard_error_gets_the_log_only_when_it_is_not_a_terminal(tmp_path, monkeypatch):
    class FakeTerminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    journal = io.StringIO()
    monkeypatch.setattr("sys.stderr", journal)
    setup_logging(tmp_path / "a", "serve").info("started")
    assert "started" in journal.getvalue()  # a service: the journal reads standard error

    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    setup_logging(tmp_path / "b", "visitor").info("started")
    assert terminal.getvalue() == ""  # a full-screen app owns its terminal
    assert "started" in _log_text(tmp_path / "b")


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kiosk.core import logs
    logs.MAX_BYTES, logs.BACKUPS = 20_000, 3
    log = logs.setup_logging(Path(sys.argv[1]), "writer", to_stderr=False)
    for i in range(800):
        log.info("line %s %s %s", sys.argv[2], i, "x" * 150)
    """
)
LINE = re.compile(r"^\S+ \S+ INFO kiosk\.writer \[\d+\] line p\d \d+ x{150}$")


def test_several_processes_share_one_rotation(tmp_path):
    """Regression: each process rotated on its own. Four processes writing at once left four
    files of 3-9 kB instead of four full ones (the rotations pushed each other's full files
    out), and printed "--- Logging error ---" tracebacks into their terminals (a rename of a
    file another process had just renamed)."""
    data = tmp_path / "data"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data), f"p{n}"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert errors == [""] * 4
    files = sorted((data / "logs").glob("kiosk.log*"))
    sizes = {path.name: path.stat().st_size for path in files}
    print(sizes)
    assert len(files) == 4  # kiosk.log and 3 old ones
    line = 200
    for path in files:
        assert path.stat().st_size <= 20_000 + line
        if path.name != "kiosk.log":
            assert path.stat().st_size >= 20_000 - 2 * line, "a rotated file that is not full"
        assert all(LINE.match(text) for text in path.read_text().splitlines())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _journal_fields(datagram: bytes) -> dict[str, str]:
    fields, rest = {}, datagram
    while rest:
        head, _, rest = rest.partition(b"\n")
        if b"=" in head:
            name, _, value = head.partition(b"=")
        else:  # binary form: length, bytes, newline
            (size,) = struct.unpack("<Q", rest[:8])
            name, value, rest = head, rest[8 : 8 + size], rest[9 + size :]
        fields[name.decode()] = value.decode()
    return fields


def test_a_screen_app_in_a_service_logs_to_the_journal_not_its_screen(tmp_path, monkeypatch):
    """cage + foot + kiosk run: standard error is the screen; `journalctl -u kiosk-screen`
    must still show the log (it showed nothing: only data/logs had it)."""
    journal = tmp_path / "journal.socket"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(journal))
        listener.settimeout(5)
        monkeypatch.setattr(logs, "JOURNAL_SOCKET", str(journal))
        monkeypatch.setenv("JOURNAL_STREAM", "8:12345")  # the unit's stream, not this terminal
        screen = _Terminal()
        monkeypatch.setattr("sys.stderr", screen)
        log = setup_logging(tmp_path / "data", "visitor")
        log.warning("config rejected:\nschedules.toml: slot 1")
        fields = _journal_fields(listener.recv(65536))
    assert fields["MESSAGE"] == "kiosk.visitor config rejected:\nschedules.toml: slot 1"
    assert fields["PRIORITY"] == "4"
    assert fields["SYSLOG_IDENTIFIER"] == "kiosk"
    assert screen.getvalue() == ""
    assert "config rejected" in _log_text(tmp_path / "data")


def test_standard_error_that_is_the_journal_gets_priorities_and_no_second_timestamp(
    tmp_path, monkeypatch
):
    stream_file = tmp_path / "stream"
    with open(stream_file, "w", encoding="utf-8") as stream:
        status = os.fstat(stream.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{status.st_dev}:{status.st_ino}")
        monkeypatch.setattr("sys.stderr", stream)
        log = setup_logging(tmp_path / "data", "serve", to_stderr=True)
        log.warning("listening on 0.0.0.0")
        log.info("browser connected")
        for handler in logging.getLogger("kiosk").handlers:
            handler.flush()
    assert stream_file.read_text().splitlines() == [
        "<4>WARNING kiosk.serve listening on 0.0.0.0",
        "<6>INFO kiosk.serve browser connected",
    ]


def test_a_log_file_that_cannot_be_written_prints_no_traceback(tmp_path, capsys):
    """The kiosk's standard error may be its screen: "--- Logging error ---" must not appear."""
    (tmp_path / "data" / "logs" / "kiosk.log").mkdir(parents=True)  # not a file
    setup_logging(tmp_path / "data", "visitor", to_stderr=False).info("started")
    assert capsys.readouterr().err == ""


def test_no_log_file_and_a_terminal_writes_nothing_onto_the_screen(tmp_path, monkeypatch):
    # Regression: with no log file and standard error a terminal the "kiosk" logger had no
    # handler, so Python's last-resort handler wrote warnings into the full-screen app.
    class FakeTerminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    (tmp_path / "data").write_text("a file where the data folder should be")
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.delenv("INVOCATION_ID", raising=False)
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    log = setup_logging(tmp_path / "data", "visitor")
    said_at_start = terminal.getvalue()
    log.warning("storage unavailable")
    assert terminal.getvalue() == said_at_start
