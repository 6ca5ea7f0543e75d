"""`kiosk check-config`: exit 0 with a summary and warnings, exit 2 with every problem, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kiosk.cli import main
from tests.config_copy import SHIPPED, copy_shipped, edit


def test_shipped_config_is_usable(capsys):
    assert main(["check-config", "--config", str(SHIPPED), "--now", "2026-11-30T13:00"]) == 0
    out = capsys.readouterr().out
    assert "Service-Point Integration" in out
    assert "A  kim" in out and "schedule sprechstunde" in out
    assert "Today, Monday 2026-11-30" in out
    # kim: 30 minutes margin; issuing at 13:00
    assert "A kim            12:30-16:30 (numbers until 16:00); issuing now, until 16:00" in out
    # JSL has no Monday hours: no holiday reason, the next day it issues
    assert "B jsl_language   no hours today; next numbers Tue 2026-12-01 13:00" in out
    assert "Hotline 0214/406-3333: 08:00-16:00; reachable now" in out
    assert "default PIN" in out
    assert "2026-12-24 to 2026-12-31: closed: everything (Weihnachten und Jahreswechsel)" in out


def test_json_summary_is_one_object(capsys):
    assert (
        main(["check-config", "--json", "--config", str(SHIPPED), "--now", "2026-12-24T10:00"]) == 0
    )
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data["ok"] is True
    assert [t["letter"] for t in data["topics"]] == list("ABCDEFGU")
    kim = data["today"]["topics"][0]
    assert kim["slots"] == [] and kim["closed_because"] == "Weihnachten und Jahreswechsel"
    assert (kim["issuing_now"], kim["state"]) == (False, "closure")
    assert kim["next_issue"] == "2027-01-04T12:30+01:00"
    hotline = data["today"]["hotline"]
    assert hotline["slots"] == [] and hotline["open_now"] is False
    assert hotline["closed_because"] == "Weihnachten und Jahreswechsel"
    assert hotline["next_open"] == "2027-01-04T08:00+01:00"
    assert data["warnings"]


def _summary_lines(capsys, now: str) -> dict[str, str]:
    assert main(["check-config", "--config", str(SHIPPED), "--now", now]) == 0
    out = capsys.readouterr().out
    today = out[out.index("\nToday, ") :].split("\n\n")[0].splitlines()
    return {line.split()[0] if line.startswith("  ") else "head": line.strip() for line in today}


def test_summary_on_a_holiday_names_it_only_where_there_would_be_hours(capsys):
    lines = _summary_lines(capsys, "2026-04-06T13:00")  # Ostermontag
    assert lines["head"] == "Today, Monday 2026-04-06 (now 13:00):"
    assert (
        lines["A"]
        == "A kim            closed today (Ostermontag); next numbers Wed 2026-04-08 12:30"
    )
    assert lines["B"] == "B jsl_language   no hours today; next numbers Tue 2026-04-07 13:00"
    assert lines["Hotline"].endswith(
        "closed today (Ostermontag); next reachable Tue 2026-04-07 08:00"
    )


def test_summary_in_the_last_ticket_margin(capsys):
    lines = _summary_lines(capsys, "2026-12-04T12:45")  # Friday, JSL 11:00-13:00, margin 20
    assert lines["C"] == (
        "C jsl_work       11:00-13:00 (numbers until 12:40); "
        "no more numbers since 12:40; next Tue 2026-12-08 13:00"
    )
    assert lines["A"] == "A kim            no hours today; next numbers Mon 2026-12-07 12:30"
    assert lines["Hotline"] == "Hotline 0214/406-3333: 08:00-16:00; reachable now"


def test_summary_before_christmas_looks_past_the_closed_weeks(capsys):
    lines = _summary_lines(capsys, "2026-12-23T18:00")
    assert lines["A"].endswith(
        "12:30-16:30 (numbers until 16:00); next numbers Mon 2027-01-04 12:30"
    )
    assert lines["D"].endswith("no hours today; next numbers Tue 2027-01-05 13:00")
    assert lines["Hotline"].endswith("next reachable Mon 2027-01-04 08:00")


def test_broken_config_exit_2_json(tmp_path, capsys):
    folder = copy_shipped(tmp_path)
    edit(folder, "topics.toml", 'letter = "B"', 'letter = "AB"')
    assert main(["check-config", "--json", "--config", str(folder)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["problems"] == ['topics.toml: topics[2].letter: "AB" is not one letter A-Z']


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "check-config", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_broken_config_in_a_subprocess_lists_every_problem(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "schedules.toml", '"thu 13:00-17:00"', '"thu 13:00-25:00"')
    edit(folder, "desks.toml", 'topics = ["ba"]', 'topics = ["bа"]')  # a Cyrillic a
    result = _run("--config", str(folder))
    print(result.stderr)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "2 problems" in result.stderr
    assert 'schedules.toml: schedules[1].periods[1].slots[3]: "thu 13:00-25:00"' in result.stderr
    assert "desks.toml: desks[3].topics[1]:" in result.stderr


def test_shipped_config_in_a_subprocess():
    result = _run("--config", str(SHIPPED))
    assert result.returncode == 0, result.stderr
    assert "is usable" in result.stdout


def test_missing_config_folder_is_one_clear_line(tmp_path):
    result = _run("--config", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "no such config folder" in result.stderr


def test_bad_now_is_exit_2(capsys):
    assert main(["check-config", "--config", str(SHIPPED), "--now", "yesterday"]) == 2
    assert "--now" in capsys.readouterr().err


# ---- common options (kiosk/cli/__init__.py) -------------------------------------------------


def _today_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("Today, "))


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "{cfg}", "--now", "2026-11-30T13:00", "check-config"],
        ["check-config", "--config", "{cfg}", "--now", "2026-11-30T13:00"],
        ["--config", "{cfg}", "check-config", "--now", "2026-11-30T13:00"],
        ["--now", "2026-11-30T13:00", "check-config", "--config", "{cfg}"],
    ],
    ids=["before", "after", "config-before-now-after", "now-before-config-after"],
)
def test_common_options_before_and_after_the_subcommand(argv, capsys, monkeypatch):
    for name in ("KIOSK_CONFIG", "KIOSK_DATA", "KIOSK_NOW"):
        monkeypatch.delenv(name, raising=False)
    assert main([a.replace("{cfg}", str(SHIPPED)) for a in argv]) == 0
    assert _today_line(capsys.readouterr().out) == "Today, Monday 2026-11-30 (now 13:00):"


def test_option_after_the_subcommand_wins_over_one_before(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    argv = ["--config", str(tmp_path / "nowhere"), "--now", "2026-12-24T10:00", "check-config"]
    assert main([*argv, "--config", str(SHIPPED), "--now", "2026-11-30T13:00"]) == 0
    assert _today_line(capsys.readouterr().out) == "Today, Monday 2026-11-30 (now 13:00):"


def test_environment_variables_and_options_beat_them(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KIOSK_CONFIG", str(SHIPPED))
    monkeypatch.setenv("KIOSK_NOW", "2026-12-01T14:00")
    monkeypatch.setenv("KIOSK_DATA", str(tmp_path / "data"))
    assert main(["check-config"]) == 0
    assert _today_line(capsys.readouterr().out) == "Today, Tuesday 2026-12-01 (now 14:00):"
    assert main(["check-config", "--now", "2026-11-30T13:00"]) == 0
    assert _today_line(capsys.readouterr().out) == "Today, Monday 2026-11-30 (now 13:00):"
    assert main(["--config", str(tmp_path / "nowhere"), "check-config"]) == 2
    assert "nowhere" in capsys.readouterr().err
    from kiosk.cli import build_parser, make_context

    ctx = make_context(build_parser()[0].parse_args(["check-config"]))
    assert (ctx.config_dir, ctx.data_dir) == (SHIPPED, tmp_path / "data")


@pytest.mark.parametrize(
    ("now", "words"),
    [
        ("30.11.2026 13:00", '--now: "30.11.2026 13:00" is not a local time like 2026-11-30T13:00'),
        ("2026-11-31T10:00", '--now: "2026-11-31T10:00" is not a local time'),
        ("2026-11-30T13:00+01:00", "--now: "),
    ],
)
def test_bad_now_is_one_line_exit_2(now, words, capsys):
    assert main(["check-config", "--config", str(SHIPPED), "--now", now]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_bad_kiosk_now_names_the_variable(capsys, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", "tomorrow")
    assert main(["check-config", "--config", str(SHIPPED)]) == 2
    assert capsys.readouterr().err == (
        'kiosk: KIOSK_NOW: "tomorrow" is not a local time like 2026-11-30T13:00\n'
    )


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--bogus", "check-config"], "kiosk: unrecognized arguments: --bogus"),
        (["nosuch"], "kiosk: argument COMMAND: invalid choice: 'nosuch'"),
        (["check-config", "--config"], "kiosk check-config: argument --config: expected one"),
    ],
)
def test_command_line_mistakes_are_one_line_exit_2(argv, words, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(words) and "--help" in err


def test_help_lists_every_subcommand_and_the_common_options(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for word in ("run", "staff", "display", "issue", "check-config", "stats", "serve", "set-pin"):
        assert f"    {word} " in out, word
    for option in ("--config DIR", "--data DIR", "--now TIME", "KIOSK_CONFIG", "KIOSK_NOW"):
        assert option in out
    with pytest.raises(SystemExit):
        main(["set-pin", "--help"])
    out = capsys.readouterr().out
    assert "--pin-stdin" in out and "--config DIR" in out
