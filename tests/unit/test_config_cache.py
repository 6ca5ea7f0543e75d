"""The checked config kept in the data folder (kiosk.core.config.cache): used only while every
file it was read from is unchanged; an edit, a broken file or a damaged cache reads the folder."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from kiosk.cli import Context, main
from kiosk.core.config import ConfigError, load_config
from kiosk.core.config import cache as config_cache
from kiosk.core.config.cache import CACHE_NAME, load_config_cached
from tests.config_copy import copy_shipped, edit


def age(folder: Path, seconds: float = 3600) -> None:
    """Date every config file back (as on a kiosk whose config was edited long ago)."""
    moment = time.time() - seconds
    for path in folder.rglob("*.toml"):
        os.utime(path, (moment, moment))


@pytest.fixture
def folders(tmp_path):
    config = copy_shipped(tmp_path)
    age(config)
    data = tmp_path / "data"
    data.mkdir()
    return config, data / "cache"


def from_cache_only(monkeypatch) -> None:
    """From here on, reading the folder fails the test: what comes back came from the cache."""

    def no_read(folder):
        raise AssertionError(f"read {folder} instead of using the cache")

    monkeypatch.setattr(config_cache, "load_config", no_read)


def test_a_start_with_unchanged_files_takes_the_config_from_the_cache(folders, monkeypatch):
    config_dir, cache_dir = folders
    first = load_config_cached(config_dir, cache_dir)
    assert (cache_dir / CACHE_NAME).is_file()
    from_cache_only(monkeypatch)
    again = load_config_cached(config_dir, cache_dir)
    assert again == first == load_config(config_dir)
    assert again.warnings == first.warnings  # logged again at every start
    assert again.languages["ar"].rtl and again.path == config_dir
    with pytest.raises(TypeError):  # frozen all the way down, as read
        again.languages["de"].visitor["welcome"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    "keep_size_and_time", [False, True], ids=["edited", "same-size-same-mtime"]
)
def test_an_edited_language_file_shows_its_new_text(folders, keep_size_and_time):
    config_dir, cache_dir = folders
    assert load_config_cached(config_dir, cache_dir).languages["de"].visitor["welcome"] == (
        "Willkommen"
    )
    path = config_dir / "lang" / "de.toml"
    before = path.stat()
    edit(
        config_dir,
        "lang/de.toml",
        '"Willkommen"',
        '"Hallo alle"' if keep_size_and_time else '"Hallo"',
    )
    if keep_size_and_time:  # only the change time tells (an editor that restores the mtime)
        assert path.stat().st_size == before.st_size
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    shown = load_config_cached(config_dir, cache_dir).languages["de"].visitor["welcome"]
    assert shown == ("Hallo alle" if keep_size_and_time else "Hallo")


def test_a_file_replaced_by_another_is_read(folders):
    config_dir, cache_dir = folders
    load_config_cached(config_dir, cache_dir)
    site = config_dir / "site.toml"
    replacement = config_dir / "site.toml.new"
    text = site.read_text(encoding="utf-8").replace(
        "Service-Point Integration", "Service-Point Xntegration"
    )
    replacement.write_text(text, encoding="utf-8")
    stat = site.stat()
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, site)  # same size, same mtime: a new file all the same
    assert load_config_cached(config_dir, cache_dir).site.name == "Service-Point Xntegration"


def test_a_broken_edit_is_reported_as_without_the_cache(folders):
    config_dir, cache_dir = folders
    load_config_cached(config_dir, cache_dir)
    edit(config_dir, "topics.toml", 'letter = "A"', 'letter = "AB"')
    with pytest.raises(ConfigError) as direct:
        load_config(config_dir)
    with pytest.raises(ConfigError) as cached:
        load_config_cached(config_dir, cache_dir)
    assert cached.value.problems == direct.value.problems
    assert any("letter" in line for line in cached.value.problems)


def test_a_removed_language_file_is_reported(folders):
    config_dir, cache_dir = folders
    load_config_cached(config_dir, cache_dir)
    (config_dir / "lang" / "fa.toml").unlink()
    with pytest.raises(ConfigError) as caught:
        load_config_cached(config_dir, cache_dir)
    assert any("lang/fa.toml" in line for line in caught.value.problems)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"\x00\xff not json at all",
        b'{"format": 1}',
        b"[" * 100_000,  # deeper than the JSON reader goes
        json.dumps({"format": 999, "key": {}, "config": None}).encode(),
        None,  # the real cache, its config swapped for a class outside the model
        "tampered",  # the real cache, a value of the wrong kind inside the model
    ],
)
def test_a_damaged_cache_is_ignored_and_written_anew(folders, monkeypatch, garbage):
    config_dir, cache_dir = folders
    path = cache_dir / CACHE_NAME
    load_config_cached(config_dir, cache_dir)
    if garbage is None:
        entry = json.loads(path.read_bytes())
        entry["config"] = {"c": "os:system", "v": ["echo hacked"]}
        garbage = json.dumps(entry).encode()
    elif garbage == "tampered":
        entry = json.loads(path.read_bytes())
        entry["config"]["v"][1] = {"t": [{"x": 1}]}
        garbage = json.dumps(entry).encode()
    path.write_bytes(garbage)
    expected = load_config(config_dir)
    assert load_config_cached(config_dir, cache_dir) == expected
    from_cache_only(monkeypatch)  # written anew from the files just read
    assert load_config_cached(config_dir, cache_dir) == expected


def test_files_edited_a_moment_ago_are_read_but_not_kept(folders):
    # A second edit within the file system's timestamp step could keep size and mtime.
    config_dir, cache_dir = folders
    edit(config_dir, "lang/de.toml", '"Willkommen"', '"Hallo"')
    assert load_config_cached(config_dir, cache_dir).languages["de"].visitor["welcome"] == "Hallo"
    assert not (cache_dir / CACHE_NAME).exists()


def test_other_kiosk_code_reads_the_files(folders, monkeypatch):
    config_dir, cache_dir = folders
    load_config_cached(config_dir, cache_dir)
    real = config_cache._code_stamp()
    monkeypatch.setattr(config_cache, "_code_stamp", lambda: [*real, ["core/new.py", 1, 1]])
    calls = []
    monkeypatch.setattr(config_cache, "load_config", lambda f: calls.append(f) or load_config(f))
    load_config_cached(config_dir, cache_dir)
    assert calls == [config_dir]


def test_another_config_folder_is_read(folders, tmp_path):
    config_dir, cache_dir = folders
    load_config_cached(config_dir, cache_dir)
    other = tmp_path / "other"
    config_dir.rename(other)
    copy = copy_shipped(tmp_path)  # at the first folder's path again, with other files
    age(copy)
    edit(copy, "site.toml", "Service-Point Integration", "Zweite Stelle")
    age(copy)
    assert load_config_cached(copy, cache_dir).site.name == "Zweite Stelle"
    assert load_config_cached(other, cache_dir).path == other


def test_no_data_folder_no_cache(tmp_path):
    config_dir = copy_shipped(tmp_path)
    age(config_dir)
    load_config_cached(config_dir, tmp_path / "missing" / "cache")
    assert not (tmp_path / "missing").exists()


def test_the_kiosk_commands_use_it_and_check_config_reads_the_files(folders, monkeypatch):
    config_dir, cache_dir = folders
    context = Context(config_dir=config_dir, data_dir=cache_dir.parent, now_text=None)
    context.load_config()
    assert (cache_dir / CACHE_NAME).is_file()

    def refuse(*args):
        raise AssertionError("check-config used the cache")

    monkeypatch.setattr(config_cache, "load_config_cached", refuse)
    monkeypatch.setattr(config_cache, "_read", refuse)
    assert main(["check-config", "--config", str(config_dir)]) == 0


def test_a_file_changed_while_it_is_read_is_not_kept(folders, monkeypatch):
    # The text read is the old one; kept under the new file's stamp, it would hide the edit.
    config_dir, cache_dir = folders
    path = config_dir / "lang" / "de.toml"

    def read_then_edited(folder):
        config = load_config(folder)
        stat = path.stat()
        path.write_text(path.read_text(encoding="utf-8").replace("Willkommen", "Hallo"))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old mtime
        return config

    monkeypatch.setattr(config_cache, "load_config", read_then_edited)
    assert load_config_cached(config_dir, cache_dir).languages["de"].visitor["welcome"] == (
        "Willkommen"
    )
    monkeypatch.setattr(config_cache, "load_config", load_config)
    assert load_config_cached(config_dir, cache_dir).languages["de"].visitor["welcome"] == "Hallo"
