"""site.toml [status]: off unless set; when set, the QR code and `kiosk issue` carry the page."""

from __future__ import annotations

import json

import pytest

from kiosk.cli import main
from kiosk.core.config import ConfigError, load_config
from kiosk.core.qr import status_url, take_away_notes
from tests.config_copy import copy_shipped

pytestmark = pytest.mark.usefixtures("kiosk_logs_reach_caplog")

MONDAY = "2026-11-30T13:00"


def with_status(tmp_path, body='public_url = "https://warten.example.org/"'):
    folder = copy_shipped(tmp_path)
    with (folder / "site.toml").open("a", encoding="utf-8") as file:
        file.write(f"\n[status]\n{body}\n")
    return folder


def issue_json(capsys, config, data, lang="de"):
    code = main(
        ["issue", "--topic", "kim", "--lang", lang, "--json"]
        + ["--config", str(config), "--data", str(data), "--now", MONDAY]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_unset_status_keeps_the_take_away_note(tmp_path, capsys):
    config = copy_shipped(tmp_path)
    assert not load_config(config).site.status.enabled
    record = issue_json(capsys, config, tmp_path / "data")
    assert "status_url" not in record
    assert record["wait_range"] is None  # nothing called yet today
    # The ticket has a token (stored, harmless), but the QR code stays the take-away note.
    from kiosk.core.clock import Clock
    from kiosk.core.store import Store

    loaded = load_config(config)
    store = Store(tmp_path / "data", loaded, Clock.starting_at(MONDAY, loaded.site.timezone))
    ticket = store.snapshot().tickets[0]
    assert ticket.token and status_url(loaded, ticket) is None
    notes = take_away_notes(loaded, store.hours, ticket, "de", ticket.issued_at)
    assert all("/t/" not in note and ticket.token not in note for note in notes)
    assert any("0214/406-3333" in note for note in notes)


def test_status_url_in_issue_json_and_the_qr_code(tmp_path, capsys):
    config = with_status(tmp_path)
    loaded = load_config(config)
    assert loaded.site.status.public_url == "https://warten.example.org"  # slash dropped
    first = issue_json(capsys, config, tmp_path / "data")
    second = issue_json(capsys, config, tmp_path / "data")
    prefix = "https://warten.example.org/t/"
    assert first["status_url"].startswith(prefix) and second["status_url"].startswith(prefix)
    tokens = {first["status_url"][len(prefix) :], second["status_url"][len(prefix) :]}
    assert len(tokens) == 2 and all(len(t) >= 22 for t in tokens)

    from kiosk.core.clock import Clock
    from kiosk.core.store import Store

    store = Store(tmp_path / "data", loaded, Clock.starting_at(MONDAY, loaded.site.timezone))
    ticket = next(t for t in store.snapshot().tickets if t.number == first["number"])
    assert status_url(loaded, ticket) == first["status_url"]
    assert take_away_notes(loaded, store.hours, ticket, "de", ticket.issued_at) == [
        first["status_url"]
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('public_url = "ftp://warten.example.org"', 'status.public_url: "ftp://'),
        ('public_url = "https://x.org/?a=1"', "without ?, # or a user"),
        ("public_url = 8800", "status.public_url: 8800 is a number"),
        (
            'public_link = "https://x.org"',
            'status.public_link: unknown key (did you mean "public_url"?)',
        ),
    ],
)
def test_bad_status_section_is_one_line_naming_the_key(tmp_path, body, problem):
    with pytest.raises(ConfigError) as caught:
        load_config(with_status(tmp_path, body))
    assert any(line.startswith("site.toml: ") and problem in line for line in caught.value.problems)


def test_plain_http_to_a_public_name_warns(tmp_path):
    loaded = load_config(with_status(tmp_path, 'public_url = "http://warten.example.org"'))
    assert any("status.public_url" in w and "https" in w for w in loaded.warnings)
    loaded = load_config(with_status(tmp_path / "b", 'public_url = "http://192.168.10.2:8800"'))
    assert not any("status" in w for w in loaded.warnings)
