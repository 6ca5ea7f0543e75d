"""Logging: standard error (the journal picks it up) and a size-limited rotating file in data/logs.

What is logged: starts, config reloads and rejections, storage faults, damaged files, clock
problems, admin exits. Never anything about a visitor beyond ticket number, topic and language.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 5


def setup_logging(
    data_dir: Path, app_name: str, *, to_stderr: bool | None = None, level: int = logging.INFO
) -> logging.Logger:
    """Configure the "kiosk" logger once per process; returns the app's logger.

    By default standard error gets the log only when it is not a terminal: a full-screen app
    owns its terminal, and lines written into it would tear the screen.
    """
    if to_stderr is None:
        to_stderr = not (sys.stderr and sys.stderr.isatty())
    root = logging.getLogger("kiosk")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    try:
        log_dir = Path(data_dir) / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        file_handler.setFormatter(formatter)
        root.addHandler(file_handler)
    except OSError as error:
        # A read-only or full data folder must not stop the kiosk; say so where we can.
        print(f"kiosk: cannot write logs under {data_dir}/logs: {error}", file=sys.stderr)
    if to_stderr:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(formatter)
        root.addHandler(stream)
    root.propagate = False
    return logging.getLogger(f"kiosk.{app_name}")
