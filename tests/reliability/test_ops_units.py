"""install-services: the systemd units it writes are valid, absolute and restart; deploy/ matches.

A typo in a unit must not ship: every unit is parsed strictly here (known sections and keys,
absolute paths), and checked with `systemd-analyze verify` where systemd is installed (it does
not need systemd running; it does need ExecStart's programs to exist, so the check uses this
machine's real venv). Missing systemd-analyze skips that check, and fails it under CI=true.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.cli import main

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNITS = (
    "kiosk-web.service",
    "kiosk-staff-web.service",
    "kiosk-display-web.service",
    "kiosk-screen.service",
    "kiosk-display.service",
)
BACKUP_UNITS = ("kiosk-backup.service", "kiosk-backup.timer")
ALL_UNITS = UNITS + BACKUP_UNITS
# The keys our units may use, per section: anything else is a typo.
KNOWN_KEYS = {
    "Unit": {
        "Description",
        "Documentation",
        "StartLimitIntervalSec",
        "After",
        "Wants",
        "Conflicts",
        "ConditionPathExists",
    },
    "Service": {
        "UMask",
        "Type",
        "ExecStartPre",
        "ExecStart",
        "User",
        "EnvironmentFile",
        "Environment",
        "WorkingDirectory",
        "Restart",
        "RestartSec",
        "NoNewPrivileges",
        "PrivateTmp",
        "ProtectSystem",
        "CacheDirectory",
        "PAMName",
        "TTYPath",
        "TTYReset",
        "TTYVHangup",
        "TTYVTDisallocate",
        "StandardInput",
        "StandardOutput",
        "StandardError",
        "UtmpIdentifier",
        "UtmpMode",
    },
    "Timer": {"OnCalendar", "Persistent"},
    "Install": {"WantedBy"},
}
# The example the README documents; deploy/systemd holds exactly what it generates.
EXAMPLE = [
    *("--config", "/etc/kiosk", "--data", "/var/lib/kiosk"),
    *("install-services", "--user", "kiosk", "--prefix", "/opt/kiosk"),
    *("--kiosk-bin", "/opt/kiosk/venv/bin/kiosk"),
]


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def parse_unit(text: str) -> dict[str, list[tuple[str, str]]]:
    """A strict reading of a unit file: sections of (key, value), raising on anything odd."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            assert line.endswith("]"), f"line {number}: {line!r}"
            current = line[1:-1]
            assert current in KNOWN_KEYS, f"line {number}: unknown section [{current}]"
            assert current not in sections, f"line {number}: [{current}] twice"
            sections[current] = []
            continue
        assert current is not None, f"line {number}: key before any section"
        key, sep, value = line.partition("=")
        assert sep and key == key.strip() and key, f"line {number}: not key=value: {line!r}"
        assert key in KNOWN_KEYS[current], f"line {number}: unknown key {key} in [{current}]"
        assert value.strip() == value and value, f"line {number}: empty or padded value"
        sections[current].append((key, value))
    return sections


def values(unit: dict, section: str, key: str) -> list[str]:
    return [value for k, value in unit.get(section, []) if k == key]


def generate(tmp_path: Path, *extra: str) -> tuple[Path, Path, Path]:
    out = tmp_path / "units"
    config = REPO / "config"
    data = tmp_path / "data"
    code = main(
        ["--config", str(config), "--data", str(data), "install-services", "--output", str(out)]
        + ["--settings", str(tmp_path / "kiosk.env"), "--policy-dir", str(tmp_path / "policy")]
        + list(extra)
    )
    assert code == 0
    return out, config, data


def dry_run_files(capsys, args: list[str]) -> dict[str, str]:
    """What install-services --dry-run prints: path -> text (it writes nothing, not even
    /etc/default/kiosk, so the documented default paths can be used here)."""
    capsys.readouterr()
    assert main([*args, "--dry-run"]) == 0
    printed = capsys.readouterr().out
    files = {}
    for block in printed.split("# ---- ")[1:]:
        path, _, text = block.partition("\n")
        files[path] = text[:-1]  # the blank line between files
    return files


@pytest.mark.parametrize(
    "extra",
    [[], ["--screen", "browser"], ["--display-url", "http://entrance-box.local:8002/"]],
    ids=["terminal", "browser", "display-url"],
)
def test_every_unit_is_strict_absolute_and_restarts(tmp_path, extra):
    out, config, data = generate(tmp_path, *extra)
    assert sorted(p.name for p in out.iterdir()) == sorted(ALL_UNITS)
    for name in UNITS:
        unit = parse_unit((out / name).read_text())
        assert set(unit) == {"Unit", "Service", "Install"}, name
        assert values(unit, "Service", "Restart") == ["always"], name
        assert float(values(unit, "Service", "RestartSec")[0]) > 0
        # Regression: systemd's default start limit (5 in 10 s) gave up on a unit that kept
        # failing, e.g. while a broken config was being fixed; "always" must mean always.
        assert values(unit, "Unit", "StartLimitIntervalSec") == ["0"], name
        assert values(unit, "Service", "User") == ["kiosk"]
        env = values(unit, "Service", "Environment")
        assert f"KIOSK_CONFIG={config}" in env and f"KIOSK_DATA={data}" in env, name
        assert values(unit, "Service", "WorkingDirectory") == [str(data)]
        (exec_start,) = values(unit, "Service", "ExecStart")
        words = exec_start.split()
        assert Path(words[0]).is_absolute(), name
        assert " ./" not in exec_start and "=./" not in exec_start
        assert values(unit, "Install", "WantedBy"), name
        if name.endswith("-web.service"):
            # Browser access has no login: the services listen on loopback only.
            assert words[words.index("--host") + 1] == "127.0.0.1"
            # kiosk serve says READY=1 once it listens; a screen after it waits for that.
            assert values(unit, "Service", "Type") == ["notify"], name
        else:
            assert words[0] == "/usr/bin/cage"
            assert values(unit, "Service", "PAMName") == ["login"]
            assert values(unit, "Service", "TTYPath") == ["/dev/tty1"]


def test_the_screen_runs_foot_with_the_shipped_foot_ini_or_chromium_on_kiosk_web(tmp_path):
    out, _config, _data = generate(tmp_path)
    screen = (out / "kiosk-screen.service").read_text()
    assert f"--config={REPO / 'deploy' / 'foot.ini'}" in screen
    assert "/kiosk run\n" in screen
    browser, _, _ = generate(tmp_path / "b", "--screen", "browser")
    screen = (browser / "kiosk-screen.service").read_text()
    assert "/usr/bin/chromium --kiosk" in screen
    assert screen.split("ExecStart=")[1].split("\n")[0].endswith(" ${KIOSK_SCREEN_URL}")
    assert "Wants=kiosk-web.service" in screen
    settings = (tmp_path / "b" / "kiosk.env").read_text()
    assert 'KIOSK_SCREEN_URL="http://127.0.0.1:8000/"' in settings
    assert 'KIOSK_DISPLAY_SCREEN_URL="http://127.0.0.1:8002/"' in settings
    display = (browser / "kiosk-display.service").read_text()
    assert "${KIOSK_DISPLAY_SCREEN_URL}" in display


def test_missing_files_the_units_need_exit_2_and_write_nothing(tmp_path, capsys):
    # A pip install outside a clone has no deploy/foot.ini; a typo in --config has no site.toml.
    out = tmp_path / "units"
    argv = ["--config", str(tmp_path / "nope"), "install-services", "--prefix", str(tmp_path)]
    argv += ["--settings", str(tmp_path / "kiosk.env"), "--policy-dir", str(tmp_path / "policy")]
    assert main([*argv, "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nope'}/site.toml is missing" in err
    assert f"{tmp_path / 'deploy' / 'foot.ini'} is missing" in err
    assert not out.exists() and not (tmp_path / "kiosk.env").exists()
    assert main([*argv, "--no-check", "--output", str(out)]) == 0  # for another machine
    assert (out / "kiosk-screen.service").is_file()


def test_dry_run_prints_and_writes_nothing(tmp_path, capsys):
    code = main(["install-services", "--dry-run", "--output", str(tmp_path / "units")])
    assert code == 0
    assert not (tmp_path / "units").exists()
    printed = capsys.readouterr().out
    assert printed.count("[Service]") == len(UNITS) + 1  # and kiosk-backup.service
    assert printed.count("[Timer]") == 1


def test_deploy_folder_holds_exactly_what_the_documented_command_writes(capsys):
    files = dry_run_files(capsys, EXAMPLE)
    for name in ALL_UNITS:
        shipped = DEPLOY / "systemd" / name
        assert shipped.read_text() == files[f"/etc/systemd/system/{name}"], (
            f"{shipped} is stale: regenerate from `kiosk {' '.join(EXAMPLE)} --dry-run`"
        )
    assert (DEPLOY / "default-kiosk").read_text() == files["/etc/default/kiosk"]


def test_deploy_browser_folder_holds_the_screens_of_screen_browser(capsys):
    files = dry_run_files(capsys, [*EXAMPLE, "--screen", "browser"])
    for name in ("kiosk-screen.service", "kiosk-display.service"):
        shipped = DEPLOY / "systemd-browser" / name
        assert shipped.read_text() == files[f"/etc/systemd/system/{name}"], f"{shipped} is stale"
    for name in set(UNITS) - {"kiosk-screen.service", "kiosk-display.service"}:
        assert (DEPLOY / "systemd" / name).read_text() == files[f"/etc/systemd/system/{name}"]
    policy = files["/etc/chromium/policies/managed/kiosk.json"]
    assert (DEPLOY / "systemd-browser" / "chromium-policy-kiosk.json").read_text() == policy


def test_rerunning_keeps_rotation_font_size_and_url_and_an_option_changes_only_its_own(
    tmp_path,
):
    """Regression: re-running install-services (the update procedure) overwrote a hand edit,
    and nothing in the units could set the font size or turn a portrait screen."""
    generate(
        tmp_path,
        *("--screen", "browser", "--rotation", "90", "--font-size", "28"),
        *("--kiosk-url", "http://127.0.0.1:8000/?lang=de", "--allow-host", "entrance-box"),
    )
    first = (tmp_path / "kiosk.env").read_text()
    assert 'KIOSK_SCREEN_URL="http://127.0.0.1:8000/?lang=de&fontsize=28"' in first
    assert 'KIOSK_CAGE_OPTIONS="-r"' in first
    out, _config, _data = generate(tmp_path, "--screen", "browser")  # the update: no options
    assert (tmp_path / "kiosk.env").read_text() == first
    generate(tmp_path, "--screen", "browser", "--rotation", "270")
    settings = (tmp_path / "kiosk.env").read_text()
    assert 'KIOSK_CAGE_OPTIONS="-r -r -r"' in settings
    assert (
        'KIOSK_FONT_SIZE="28"' in settings and 'KIOSK_SERVE_ALLOW_HOSTS="entrance-box"' in settings
    )
    policy = (tmp_path / "policy" / "kiosk.json").read_text()
    assert '"http://127.0.0.1:8000"' in policy and '"*"' in policy
    screen = (out / "kiosk-screen.service").read_text()
    assert f"EnvironmentFile=-{tmp_path / 'kiosk.env'}" in screen
    assert "ExecStart=/usr/bin/cage -d $KIOSK_CAGE_OPTIONS -- " in screen


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--font-size", "huge", "--font-size huge"),
        ("--font-size", "4", "--font-size 4"),
        ("--kiosk-url", "kiosk.local", "--kiosk-url kiosk.local"),
        ("--max-sessions", "0", "--max-sessions 0"),
    ],
)
def test_bad_screen_options_are_one_line(tmp_path, capsys, option, value, message):
    code = main(["install-services", "--dry-run", "--settings", str(tmp_path / "s"), option, value])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_bad_value_in_the_settings_file_names_file_and_key(tmp_path, capsys):
    (tmp_path / "s").write_text('KIOSK_FONT_SIZE="big"\n')
    assert main(["install-services", "--dry-run", "--settings", str(tmp_path / "s")]) == 2
    assert f"{tmp_path / 's'}: KIOSK_FONT_SIZE= big" in capsys.readouterr().err


def test_dry_run_prints_the_same_warnings(tmp_path, capsys):
    args = ["install-services", "--user", "nobody-here-h15", "--settings", str(tmp_path / "s")]
    assert main([*args, "--dry-run", "--output", str(tmp_path / "u")]) == 0
    dry = capsys.readouterr().err
    assert main([*args, "--output", str(tmp_path / "u"), "--policy-dir", str(tmp_path)]) == 0
    real = capsys.readouterr().err
    assert "no user 'nobody-here-h15'" in dry
    assert dry == real


def test_systemd_analyze_verify_accepts_every_unit(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        _missing("no systemd-analyze (apt-get install systemd)")
    checked = []
    for extra in ([], ["--screen", "browser"]):
        out, _config, _data = generate(tmp_path / (extra[-1] if extra else "terminal"), *extra)
        for name in ALL_UNITS:
            text = (out / name).read_text()
            if "ExecStart=" not in text:  # the timer
                programs = []
            else:
                programs = [w for w in text.split("ExecStart=")[1].split()[:6] if w.startswith("/")]
            absent = [p for p in programs if not os.access(p, os.X_OK)]
            if absent:
                # verify insists that ExecStart's programs exist; cage/foot/chromium are only
                # on a screen box. Stand-ins let it check everything else in these units
                # (they used to be skipped here and in CI).
                for program in absent:
                    text = text.replace(program, "/bin/true")
                print(f"{name}: {', '.join(absent)} not here, /bin/true stands in")
                (out / name).write_text(text)
            result = subprocess.run(
                [tool, "verify", "--man=no", str(out / name)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            ours = [
                line
                for line in (result.stdout + result.stderr).splitlines()
                if "kiosk-" in line or str(out) in line
            ]
            assert result.returncode == 0 and not ours, f"{name}:\n{result.stderr}"
            checked.append(name)
    print("verified with systemd-analyze:", ", ".join(checked))
    assert checked == list(ALL_UNITS) * 2


def test_systemd_analyze_catches_a_typo(tmp_path):
    """The check above would see a typo (systemd only warns, so warnings count as failures)."""
    tool = shutil.which("systemd-analyze")
    if tool is None:
        _missing("no systemd-analyze (apt-get install systemd)")
    out, _config, _data = generate(tmp_path)
    broken = tmp_path / "kiosk-broken.service"
    broken.write_text((out / "kiosk-web.service").read_text().replace("Restart=", "Restrat="))
    result = subprocess.run(
        [tool, "verify", "--man=no", str(broken)], capture_output=True, text=True, timeout=60
    )
    assert "Restrat" in result.stderr
    with pytest.raises(AssertionError, match="unknown key Restrat"):
        parse_unit(broken.read_text())


def test_foot_ini_is_accepted_by_foot():
    foot = shutil.which("foot")
    ini = DEPLOY / "foot.ini"
    text = ini.read_text()
    assert "Noto Sans Arabic" in text and "DejaVu Sans Mono" in text
    assert "spawn-terminal=none" in text  # no second terminal from the keyboard
    if foot is None:
        _missing("no foot (apt-get install foot) to check deploy/foot.ini with")
    result = subprocess.run(
        [foot, "--check-config", f"--config={ini}"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert " err:" not in result.stderr and "warn:" not in result.stderr, result.stderr


def test_only_the_display_web_may_listen_beyond_loopback_and_says_so(tmp_path):
    out, _config, _data = generate(tmp_path, "--display-web-host", "0.0.0.0")
    display = parse_unit((out / "kiosk-display-web.service").read_text())
    (exec_start,) = values(display, "Service", "ExecStart")
    assert "--host 0.0.0.0" in exec_start and exec_start.endswith("--allow-remote")
    for name in ("kiosk-web.service", "kiosk-staff-web.service"):
        assert "--host 127.0.0.1" in (out / name).read_text()


def test_the_daily_backup_runs_as_the_service_user_and_keeps_a_bounded_number(tmp_path):
    out, config, data = generate(tmp_path, "--backup-dir", str(tmp_path / "backups"))
    service = parse_unit((out / "kiosk-backup.service").read_text())
    timer = parse_unit((out / "kiosk-backup.timer").read_text())
    assert set(service) == {"Unit", "Service"}  # started by the timer only
    assert set(timer) == {"Unit", "Timer", "Install"}
    assert values(timer, "Timer", "OnCalendar") == ["*-*-* 20:30:00"]
    assert values(timer, "Timer", "Persistent") == ["true"]  # a box off at 20:30 catches up
    assert values(timer, "Install", "WantedBy") == ["timers.target"]
    assert values(service, "Service", "Type") == ["oneshot"]
    assert values(service, "Service", "User") == ["kiosk"]
    env = values(service, "Service", "Environment")
    assert f"KIOSK_CONFIG={config}" in env and f"KIOSK_DATA={data}" in env
    (pre,) = values(service, "Service", "ExecStartPre")
    assert pre.startswith("+/usr/bin/install -d -o kiosk ") and pre.endswith(
        str(tmp_path / "backups")
    )
    # The command line the unit runs, run here: it must parse and make an archive.
    (exec_start,) = values(service, "Service", "ExecStart")
    words = exec_start.split()
    assert words[1:] == ["backup", str(tmp_path / "backups"), "--keep", "14"]
    from kiosk.core.clock import Clock
    from kiosk.core.config import load_config
    from kiosk.core.store import Store

    loaded = load_config(config)
    Store(data, loaded, Clock.starting_at("2026-11-30T13:00", loaded.site.timezone)).issue(
        "kim", "de"
    )
    run_env = {**os.environ, "KIOSK_CONFIG": str(config), "KIOSK_DATA": str(data)}
    result = subprocess.run(words, env=run_env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "backups").glob("kiosk-data-*.tar.gz"))) == 1


def test_the_nginx_example_guards_the_port_kiosk_staff_web_listens_on(tmp_path):
    """deploy/nginx-kiosk-staff.conf (tried by hand with nginx 1.22: 401 without a password,
    the staff app over https and wss with one) stays in step with the staff unit."""
    out, _config, _data = generate(tmp_path)
    (exec_start,) = values(
        parse_unit((out / "kiosk-staff-web.service").read_text()), "Service", "ExecStart"
    )
    words = exec_start.split()
    port = words[words.index("--port") + 1]
    conf = (DEPLOY / "nginx-kiosk-staff.conf").read_text()
    assert f"proxy_pass http://127.0.0.1:{port};" in conf
    assert "auth_basic_user_file" in conf and "listen 8443 ssl;" in conf
    # kiosk serve lets a websocket in only from its own page: the browser's Host must arrive
    assert "proxy_set_header Host $http_host;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
