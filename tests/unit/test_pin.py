"""Admin PIN: salted hashes, constant-time checks, and `kiosk set-pin` editing only its line."""

from __future__ import annotations

import io
import os

import pytest

from kiosk.cli import main
from kiosk.core.config import load_config
from kiosk.core.pin import DEFAULT_PIN, DEFAULT_PIN_HASH, hash_pin, parse_hash, verify_pin
from tests.config_copy import copy_shipped


def test_hash_is_salted_and_verifies():
    first, second = hash_pin("13579"), hash_pin("13579")
    assert first != second  # a fresh salt each time
    assert first.startswith("pbkdf2_sha256$")
    assert verify_pin("13579", first) and verify_pin("13579", second)
    assert not verify_pin("13578", first)
    assert not verify_pin("", first)


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "１２３４", " 1234", ""])
def test_bad_pins_are_refused(pin):
    with pytest.raises(ValueError):
        hash_pin(pin)


@pytest.mark.parametrize(
    "stored", ["", "2468", "pbkdf2_sha256$x$y$z", "md5$1$2$3", None, "pbkdf2_sha256$1$$"]
)
def test_verify_never_raises_on_garbage(stored):
    assert verify_pin("2468", stored) is False  # type: ignore[arg-type]


def test_default_hash_is_the_documented_default_pin():
    assert parse_hash(DEFAULT_PIN_HASH) is not None
    assert verify_pin(DEFAULT_PIN, DEFAULT_PIN_HASH)


def _set_pin(monkeypatch, folder, text):
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    return main(["set-pin", "--pin-stdin", "--config", str(folder)])


def test_set_pin_round_trip_keeps_every_other_byte(tmp_path, monkeypatch, capsys):
    folder = copy_shipped(tmp_path)
    before = (folder / "site.toml").read_text(encoding="utf-8")
    assert _set_pin(monkeypatch, folder, "97531\n97531\n") == 0
    after = (folder / "site.toml").read_text(encoding="utf-8")
    config = load_config(folder)
    assert verify_pin("97531", config.site.pin_hash)
    assert not verify_pin(DEFAULT_PIN, config.site.pin_hash)
    assert not any("pin_hash" in w for w in config.warnings)
    # Only the value on the pin_hash line changed; comments and everything else are kept.
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][0].startswith("pin_hash = ") and changed[0][1].startswith("pin_hash = ")
    assert "# rewrites only this line" in after
    assert not list(folder.glob(".site.toml.*"))  # no temp file left behind


def test_set_pin_refuses_mismatch_and_non_digits(tmp_path, monkeypatch, capsys):
    folder = copy_shipped(tmp_path)
    before = (folder / "site.toml").read_bytes()
    assert _set_pin(monkeypatch, folder, "1234\n1235\n") == 2
    assert "differ" in capsys.readouterr().err
    assert _set_pin(monkeypatch, folder, "12ab\n12ab\n") == 2
    assert "4 to 12 digits" in capsys.readouterr().err
    assert _set_pin(monkeypatch, folder, "12\n12\n") == 2
    assert _set_pin(monkeypatch, folder, f"{DEFAULT_PIN}\n{DEFAULT_PIN}\n") == 2
    assert "default" in capsys.readouterr().err
    assert _set_pin(monkeypatch, folder, "1234\n") == 2
    assert (folder / "site.toml").read_bytes() == before


def test_set_pin_adds_the_line_when_missing_and_keeps_crlf(tmp_path, monkeypatch):
    folder = copy_shipped(tmp_path)
    site = folder / "site.toml"
    text = site.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("pin_hash ="))
    site.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert _set_pin(monkeypatch, folder, "8642\n8642\n") == 0
    assert verify_pin("8642", load_config(folder).site.pin_hash)
    # A second change edits the line it added, and CRLF endings stay.
    assert _set_pin(monkeypatch, folder, "86420\n86420\n") == 0
    raw = site.read_bytes()
    assert raw.count(b"pin_hash =") == 1
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")
    assert verify_pin("86420", load_config(folder).site.pin_hash)


def test_set_pin_without_config_is_one_line(tmp_path, monkeypatch, capsys):
    assert _set_pin(monkeypatch, tmp_path / "nowhere", "8642\n8642\n") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "site.toml" in err


def test_set_pin_interactive_asks_twice_without_echo_and_ctrl_c_changes_nothing(
    tmp_path, monkeypatch, capsys
):
    folder = copy_shipped(tmp_path)
    prompts = []
    answers = iter(["24680", "24680"])

    def fake_getpass(prompt):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)  # getpass is what turns echo off
    assert main(["set-pin", "--config", str(folder)]) == 0
    assert prompts == ["New admin PIN (4 to 12 digits): ", "The same PIN again: "]
    assert verify_pin("24680", load_config(folder).site.pin_hash)
    assert "24680" not in capsys.readouterr().out

    before = (folder / "site.toml").read_bytes()

    def interrupted(prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupted)
    assert main(["set-pin", "--config", str(folder)]) == 130
    assert capsys.readouterr().err == "\nkiosk: interrupted; nothing changed\n"
    assert (folder / "site.toml").read_bytes() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group needs root")
def test_set_pin_keeps_mode_owner_and_group_of_site_toml(tmp_path, monkeypatch):
    # The README has admins make site.toml root:kiosk 0640; a rewritten file owned by
    # root:root would lock the kiosk user out of its own config.
    folder = copy_shipped(tmp_path)
    site = folder / "site.toml"
    os.chown(site, 0, 65534)
    site.chmod(0o640)
    assert _set_pin(monkeypatch, folder, "97531\n97531\n") == 0
    after = site.stat()
    assert (after.st_uid, after.st_gid, after.st_mode & 0o7777) == (0, 65534, 0o640)
