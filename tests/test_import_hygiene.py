"""kiosk.core imports no Textual: every module under it, loaded in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

# Runs in a fresh interpreter: discover every module with pkgutil, import it, report.
PROBE = """
import importlib, json, pkgutil, sys
import kiosk.core
names = sorted(m.name for m in pkgutil.walk_packages(kiosk.core.__path__, "kiosk.core."))
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({"modules": names, "textual": loaded}))
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
