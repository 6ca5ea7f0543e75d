"""Config files that are not files (issue 14, finding 3): only regular files are read.

Bugs: a named pipe (FIFO) in place of a config file hung `kiosk check-config` and blocked a
running app's config watcher for good (and SIGTERM with it); a symlink loop was reported as
"file missing"; a 10 MB log pasted over topics.toml got the hint "put times in quotes"."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core.config import ConfigError, load_config
from tests.config_copy import copy_shipped


def problems(folder: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    return caught.value.problems


def only_line_about(folder: Path, name: str) -> str:
    lines = [line for line in problems(folder) if line.startswith(name + ":")]
    assert len(lines) == 1, lines
    return lines[0]


def replace_by(folder: Path, name: str, make) -> None:
    path = folder / name
    path.unlink()
    make(path)


def test_fifo_is_named_and_not_read(tmp_path):
    folder = copy_shipped(tmp_path)
    replace_by(folder, "topics.toml", os.mkfifo)
    line = only_line_about(folder, "topics.toml")  # returns: reading would wait forever
    assert "named pipe (FIFO)" in line and "not read" in line


def test_fifo_language_file_is_named_and_not_read(tmp_path):
    folder = copy_shipped(tmp_path)
    replace_by(folder, "lang/en.toml", os.mkfifo)
    assert "named pipe (FIFO)" in only_line_about(folder, "lang/en.toml")


def test_check_config_with_a_fifo_ends_at_once_with_one_line(tmp_path):
    folder = copy_shipped(tmp_path)
    replace_by(folder, "site.toml", os.mkfifo)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "check-config", "--config", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 60
    assert result.returncode == 2
    assert "site.toml: is a named pipe (FIFO)" in result.stdout + result.stderr


def test_folder_in_place_of_a_file(tmp_path):
    folder = copy_shipped(tmp_path)
    replace_by(folder, "desks.toml", lambda p: p.mkdir())
    assert "is a folder, not a file" in only_line_about(folder, "desks.toml")


def test_device_in_place_of_a_file(tmp_path):
    folder = copy_shipped(tmp_path)
    replace_by(folder, "desks.toml", lambda p: p.symlink_to("/dev/zero"))
    assert "is a device, not a file" in only_line_about(folder, "desks.toml")


def test_symlink_loop_is_not_file_missing(tmp_path):
    folder = copy_shipped(tmp_path)
    (folder / "loop.toml").symlink_to(folder / "schedules.toml")
    replace_by(folder, "schedules.toml", lambda p: p.symlink_to(folder / "loop.toml"))
    line = only_line_about(folder, "schedules.toml")
    assert "symbolic link loop" in line and "missing" not in line


def test_dangling_symlink_names_its_target(tmp_path):
    folder = copy_shipped(tmp_path)
    replace_by(folder, "schedules.toml", lambda p: p.symlink_to(tmp_path / "gone.toml"))
    assert "gone.toml, which does not exist" in only_line_about(folder, "schedules.toml")


def test_a_symlink_to_a_good_file_is_read(tmp_path):
    folder = copy_shipped(tmp_path)
    (tmp_path / "real-desks.toml").write_bytes((folder / "desks.toml").read_bytes())
    replace_by(folder, "desks.toml", lambda p: p.symlink_to(tmp_path / "real-desks.toml"))
    load_config(folder)


def test_a_big_log_pasted_over_a_config_file_is_called_not_a_config(tmp_path):
    folder = copy_shipped(tmp_path)
    log_line = "2026-12-07 19:59:08,062 INFO kiosk.store [18008] issued A-001 (kim, de)\n"
    (folder / "topics.toml").write_text(log_line * (10_000_000 // len(log_line)))
    line = only_line_about(folder, "topics.toml")
    assert "not a config file" in line and "MB" in line
    assert "quotes" not in line


def test_a_short_log_pasted_over_a_config_file_is_called_not_toml(tmp_path):
    folder = copy_shipped(tmp_path)
    log_line = "2026-12-07 19:59:08,062 INFO kiosk.store [18008] issued A-001 (kim, de)\n"
    (folder / "topics.toml").write_text(log_line * 20)
    line = only_line_about(folder, "topics.toml")
    assert "is not TOML at all" in line and "not a config file" in line
    assert "put them in quotes" not in line


def test_a_real_toml_mistake_still_gets_its_hint(tmp_path):
    folder = copy_shipped(tmp_path)
    path = folder / "schedules.toml"
    path.write_text(path.read_text() + "\nextra = 08:00-12:00\n")
    line = only_line_about(folder, "schedules.toml")
    assert "put them in quotes" in line and "not a config file" not in line
