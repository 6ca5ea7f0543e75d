"""Shared bits of the benchmarks: paths, the moment they run at, statistics."""

from __future__ import annotations

import compileall
import functools
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = ROOT / "config"
PYTHON = sys.executable
NOW = "2026-11-30T13:00"  # a Monday: the Sprechstunde (topic 1, letter A) issues until 16:00
SIZE = (100, 30)


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.0995 else f"{seconds * 1000:.1f} ms"


def spread(values: list[float]) -> str:
    """min-max of a list of seconds, in ms (shown beside medians)."""
    return f"{min(values) * 1000:.0f}-{max(values) * 1000:.0f} ms"


def compile_sources() -> None:
    """Byte-compile the kiosk and the baseline apps, as `pip install` does on a real box.

    Without this, a machine with PYTHONDONTWRITEBYTECODE set (this one has it) compiles every
    kiosk module from source on each start, which the installed kiosk never does, and the
    cold start would measure the compiler (about 100 ms here) rather than the kiosk.
    """
    for folder in (ROOT / "kiosk", Path(__file__).parent):
        compileall.compile_dir(folder, quiet=1)


@functools.cache
def bench_config() -> Path:
    """The shipped config with the ticket screen's leave-lock off.

    The lock keeps Done inactive for the visitor's first seconds; a benchmark that measures
    many visits one after another would otherwise wait it out on every visit. Nothing else
    differs from the shipped config, so the screens drawn are the visitor's.
    """
    copy = Path(tempfile.mkdtemp(prefix="bench-config-")) / "config"
    shutil.copytree(CONFIG_DIR, copy)
    site = copy / "site.toml"
    text, count = re.subn(
        r"(?m)^ticket_lock_seconds\s*=.*$", "ticket_lock_seconds = 0", site.read_text()
    )
    if count != 1:
        raise RuntimeError(f"{site}: no ticket_lock_seconds line to turn the lock off")
    shipped = site.stat()
    site.write_text(text)
    # Dated as the shipped file, like a config edited long before the kiosk starts: the kiosk
    # does not keep a config whose files changed in the last seconds (kiosk.core.config.cache),
    # and the first rounds would otherwise read it where an appliance takes it from the cache.
    os.utime(site, ns=(shipped.st_atime_ns, shipped.st_mtime_ns))
    return copy
