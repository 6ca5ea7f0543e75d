"""kiosk.core imports no Textual: every module under it, loaded in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Runs in a fresh interpreter: discover every module with pkgutil, import it, report.
PROBE = """
import importlib, json, pkgutil, sys
import kiosk.core
names = sorted(m.name for m in pkgutil.walk_packages(kiosk.core.__path__, "kiosk.core."))
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
ui = sorted(m for m in sys.modules if m == "kiosk.ui" or m.startswith("kiosk.ui."))
print(json.dumps({"modules": names, "textual": loaded, "ui": ui}))
"""


def test_core_imports_no_textual():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nchecked {len(report['modules'])} modules: {', '.join(report['modules'])}")
    assert {"kiosk.core.config", "kiosk.core.clock", "kiosk.core.hours"} <= set(report["modules"])
    assert report["textual"] == [], f"kiosk.core pulled in Textual: {report['textual']}"
    assert report["ui"] == [], f"kiosk.core pulled in the UI: {report['ui']}"


# `kiosk check-config` and `kiosk set-pin` run on the admin's shell, often over SSH on a small
# box: building the command line and checking the config must not load the whole TUI.
CLI_PROBE = """
import contextlib, io, json, sys
from kiosk.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["check-config", "--config", sys.argv[1], "--now", "2026-11-30T13:00"])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({"code": code, "textual": loaded}))
"""


def test_check_config_loads_no_textual():
    config = Path(__file__).resolve().parents[2] / "config"
    result = subprocess.run(
        [sys.executable, "-c", CLI_PROBE, str(config)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    assert report["textual"] == [], f"check-config pulled in Textual: {report['textual'][:5]}"


# Regression (issue 12): the visitor screens imported their base class from visitor/app.py,
# which imports the screens: a circle. Each screen module, loaded alone in a fresh interpreter,
# must not pull in the app.
SCREEN_PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps("kiosk.ui.visitor.app" in sys.modules))
"""


def test_visitor_screens_do_not_import_the_app():
    screens = ["language", "topics", "ticket", "closed", "screen", "issuing"]
    pulled = []
    for name in screens:
        module = f"kiosk.ui.visitor.{name}"
        result = subprocess.run(
            [sys.executable, "-c", SCREEN_PROBE, module], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        if json.loads(result.stdout.strip().splitlines()[-1]):
            pulled.append(module)
    assert pulled == [], f"these import the app (a circle): {pulled}"
