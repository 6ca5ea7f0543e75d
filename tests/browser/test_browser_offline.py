"""The Chromium screen unit contacts no host but the kiosk server: its own command line, run.

install-services writes the units, the settings file and Chromium's managed policy into a
temporary folder. This test starts `kiosk serve` with the kiosk-web unit's command line, then
Chromium with the screen unit's ExecStart (cage's part removed; the settings file's variables
expanded as systemd does; plus --headless and a net log) for about 20 s, with the policy
file where Chromium reads it (/etc/chromium/policies/managed, bind-mounted in a private mount
namespace: nothing on this machine changes). Any host name but 127.0.0.1 in the net log fails.

Regression: with the flags of the old unit Chromium asked clients2.google.com,
update.googleapis.com, content-autofill.googleapis.com, optimizationguide-pa.googleapis.com
and accounts.google.com; the docstring of the flags said "nothing fetched".
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kiosk.cli import main
from tests.serve_support import CONFIG, app_processes, free_port

pytestmark = pytest.mark.browser

RUN_SECONDS = 20
CHROMIUM_ETC = Path("/etc/chromium")


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def unit_value(text: str, key: str) -> str:
    (value,) = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(key + "=")]
    return value


def read_environment_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = shlex.split(value)[0] if value else ""
    return values


def expand_exec_start(line: str, environment: dict[str, str]) -> list[str]:
    """ExecStart's words as systemd makes them: `$NAME` alone is split into zero or more
    words, `${NAME}` inside a word is replaced by the value as it is."""
    words = []
    for word in shlex.split(line):
        if re.fullmatch(r"\$[A-Za-z_][A-Za-z0-9_]*", word):
            words += environment.get(word[1:], "").split()
        else:
            words.append(re.sub(r"\$\{(\w+)\}", lambda m: environment.get(m[1], ""), word))
    return words


def net_log_hosts(path: Path) -> set[str]:
    """Every host name the net log mentions in a URL, a host or an origin."""
    text = path.read_text(errors="replace")
    hosts = set()
    for match in re.finditer(r'"(?:url|original_url|host|origin|hostname)"\s*:\s*"([^"]+)"', text):
        value = match.group(1)
        if "://" in value:
            value = urlsplit(value).hostname or value
        elif value.count(":") == 1:
            value = value.split(":", 1)[0]
        hosts.add(value.lower())
    return hosts


def test_the_chromium_screen_unit_contacts_no_host_but_the_kiosk_server(tmp_path):
    chromium = Path("/usr/bin/chromium")
    if not os.access(chromium, os.X_OK):
        _missing("no /usr/bin/chromium (apt-get install chromium)")
    if not CHROMIUM_ETC.is_dir() or shutil.which("unshare") is None:
        _missing("no /etc/chromium or no unshare to put the policy where Chromium reads it")
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0:
        _missing("unshare -rm (user and mount namespaces) is not allowed here")

    port = free_port()
    out, settings, policies = tmp_path / "units", tmp_path / "kiosk.env", tmp_path / "policies"
    data = tmp_path / "data"
    assert (
        main(
            [
                *("--config", str(CONFIG), "--data", str(data), "install-services"),
                *("--screen", "browser", "--port", str(port), "--output", str(out)),
                *("--settings", str(settings), "--policy-dir", str(policies)),
            ]
        )
        == 0
    )
    environment = read_environment_file(settings)
    policy = json.loads((policies / "kiosk.json").read_text())
    assert policy["BrowserNetworkTimeQueriesEnabled"] is False

    web = (out / "kiosk-web.service").read_text()
    serve_env = {
        **os.environ,
        **environment,
        **dict(v.split("=", 1) for v in re.findall(r"^Environment=(.*)$", web, re.M)),
    }
    serve_log = tmp_path / "serve.log"
    with open(serve_log, "wb") as log:
        server = subprocess.Popen(
            expand_exec_start(unit_value(web, "ExecStart"), serve_env),
            env=serve_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    browser = None
    try:
        deadline = time.monotonic() + 20
        while "listening" not in serve_log.read_text() and time.monotonic() < deadline:
            assert server.poll() is None, serve_log.read_text()
            time.sleep(0.1)

        screen = expand_exec_start(
            unit_value((out / "kiosk-screen.service").read_text(), "ExecStart"), environment
        )
        assert screen[0] == "/usr/bin/cage"
        command = screen[screen.index("--") + 1 :]
        assert command[0] == str(chromium) and command[-1] == f"http://127.0.0.1:{port}/"
        # Headless Chromium draws without Wayland; its profile goes into the temporary folder.
        command = [
            word
            for word in command
            if not word.startswith(("--ozone-platform=", "--user-data-dir="))
        ]
        net_log = tmp_path / "net-log.json"
        command[1:1] = [
            "--headless",
            "--no-sandbox",  # root in a user namespace: Chromium's own sandbox cannot nest
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--log-net-log={net_log}",
        ]
        etc = tmp_path / "etc-chromium"
        shutil.copytree(CHROMIUM_ETC, etc)
        (etc / "policies" / "managed").mkdir(parents=True, exist_ok=True)
        shutil.copy(policies / "kiosk.json", etc / "policies" / "managed" / "kiosk.json")
        print("chromium:", shlex.join(command))
        browser = subprocess.Popen(
            [
                *("unshare", "-rm", "sh", "-c"),
                'mount --bind "$0" /etc/chromium && exec "$@"',
                str(etc),
                *command,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(RUN_SECONDS)
        assert app_processes(data), "the page never reached kiosk serve"
        os.killpg(browser.pid, signal.SIGTERM)  # Chromium closes its net log on the way out
        browser.wait(30)
        browser = None
    finally:
        if browser is not None:
            os.killpg(browser.pid, signal.SIGKILL)
            browser.wait()
        server.terminate()
        server.wait(10)
    hosts = net_log_hosts(net_log)
    print("hosts in the net log:", sorted(hosts))
    assert "127.0.0.1" in hosts
    assert hosts == {"127.0.0.1"}
