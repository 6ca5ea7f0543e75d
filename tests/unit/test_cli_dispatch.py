"""The CLI imports only the chosen subcommand's module (the kiosk's cold start depends on it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.cli import chosen_command


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], "run"),
        (["run"], "run"),
        (["--data", "/tmp/d", "--now", "2026-11-30T13:00", "stats", "--month", "2026-11"], "stats"),
        (["--now=2026-11-30T13:00", "issue", "--topic", "kim"], "issue"),
        (["--config", "cfg"], "run"),
        (["check-config", "--json"], "check-config"),
        (["--help"], None),
        (["-h", "run"], None),
        (["--verbose", "run"], None),  # unknown option: the full parser explains
        (["bogus"], None),  # unknown command: the full parser lists the known ones
    ],
)
def test_chosen_command(argv, command):
    assert chosen_command(argv) == command


def test_the_visitor_kiosk_does_not_import_other_commands():
    code = (
        "import sys\n"
        "from kiosk.cli import build_parser, chosen_command\n"
        "parser, modules = build_parser(chosen_command([]))\n"
        "parser.parse_args(['run'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('kiosk.cli.'))\n"
        "print(loaded, 'kiosk.core.stats' in sys.modules, 'kiosk.core.store' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['kiosk.cli.run'] False False"


def test_help_still_lists_every_command():
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("run", "staff", "display", "issue", "check-config", "stats", "serve"):
        assert command in out.stdout


@pytest.mark.parametrize(
    ("argv", "collecting"),
    [(["kiosk"], False), (["kiosk", "run", "--no-watch"], False), (["kiosk", "stats"], True)],
)
def test_only_the_visitor_kiosk_starts_without_automatic_collection(monkeypatch, argv, collecting):
    # `kiosk run` collects once its first frame is drawn (kiosk.ui.garbage); collections while
    # it starts cost it about 25 ms. Every other command keeps Python's automatic collection.
    import gc

    import kiosk.cli

    seen = []
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.setattr(kiosk.cli, "main", lambda: seen.append(gc.isenabled()) or 0)
    try:
        with pytest.raises(SystemExit):
            kiosk.cli.entry()
    finally:
        gc.enable()
    assert seen == [collecting]
