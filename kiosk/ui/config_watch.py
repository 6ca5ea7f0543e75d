"""Config hot reload for every app: poll the config folder, re-read on change, keep the last good one.

    from kiosk.ui.config_watch import ConfigReloaded, watch_config

    def on_mount(self):
        watch_config(self, config_dir)

    def on_config_reloaded(self, message: ConfigReloaded):
        self.config = message.config

A thread worker compares the folder's file signature (names, mtimes, sizes) every `interval`
seconds; after a change it calls `load_config`. A broken edit is logged on "kiosk.config" and
posted as ConfigRejected; the app keeps its config. Polling is used rather than inotify: it
also works on the network or bind-mounted folders admins edit from elsewhere, and costs a few
stat calls.

The loading itself runs in a daemon thread of its own that the watcher waits for while
watching for its cancellation: a read that hangs (a config file on a share that stopped
answering) delays later reloads but never the app's shutdown, and the app itself never waits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from kiosk.core.config import Config, ConfigError

log = logging.getLogger("kiosk.config")

Signature = tuple[tuple[str, int, int], ...]


class ConfigReloaded(Message):
    """The config folder changed and loaded cleanly; `config` replaces the app's config."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config


class ConfigRejected(Message):
    """The config folder changed but cannot be used; the app keeps its last good config."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems


def folder_signature(config_dir: Path) -> Signature:
    """Names, mtimes and sizes of every file under the folder (cheap: stat calls only)."""
    entries = []
    try:
        paths = sorted(Path(config_dir).rglob("*"))
    except OSError:
        return ()
    for path in paths:
        try:
            if not path.is_file():
                continue
            info = path.stat()
        except OSError:  # removed while we looked: the next round sees the result
            continue
        entries.append((str(path.relative_to(config_dir)), info.st_mtime_ns, info.st_size))
    return tuple(entries)


def _default_loader(config_dir: Path) -> Config:
    from kiosk.core.config import load_config

    return load_config(config_dir)


class _Stopped(Exception):
    """The watcher was cancelled while a load was still running."""


def _load_until_stopped(
    loader: Callable[[Path], Config], config_dir: Path, stop: threading.Event
) -> Config:
    """`loader(config_dir)` in a daemon thread; its result or exception, or _Stopped as soon
    as `stop` is set (the thread is left behind and ends with the process)."""
    outcome: dict[str, object] = {}

    def load() -> None:
        try:
            outcome["config"] = loader(config_dir)
        except BaseException as error:  # handed to the watcher, which sorts them out
            outcome["error"] = error

    thread = threading.Thread(target=load, name="config-load", daemon=True)
    thread.start()
    while thread.is_alive():
        if stop.wait(0.05):
            raise _Stopped
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["config"]  # type: ignore[return-value]


def watch_config(
    target: DOMNode,
    config_dir: Path,
    *,
    interval: float = 2.0,
    loader: Callable[[Path], Config] = _default_loader,
) -> Worker:
    """Start polling `config_dir` in a thread worker owned by `target`; messages go to `target`.

    The worker ends when cancelled (with its owner). Returns the worker.
    """
    config_dir = Path(config_dir)
    baseline = folder_signature(config_dir)

    def poll() -> None:
        nonlocal baseline
        worker = get_current_worker()
        stop = worker.cancelled_event  # set on cancel: wakes the wait at once
        while not stop.wait(interval):
            if worker.is_cancelled:
                return
            current = folder_signature(config_dir)
            if current == baseline:
                continue
            # An editor may write in several steps: wait until two looks agree.
            if stop.wait(min(0.3, interval)):
                return
            settled = folder_signature(config_dir)
            if settled != current:
                continue
            baseline = settled
            try:
                config = _load_until_stopped(loader, config_dir, stop)
            except _Stopped:
                return
            except ConfigError as error:
                log.error(
                    "config in %s rejected, keeping the last good one: %s",
                    config_dir,
                    "; ".join(error.problems),
                )
                target.post_message(ConfigRejected(list(error.problems)))
                continue
            except Exception as error:  # a bug in the loader must not end hot reload
                log.exception("config in %s could not be read", config_dir)
                target.post_message(ConfigRejected([f"{type(error).__name__}: {error}"]))
                continue
            for warning in config.warnings:
                log.warning("config: %s", warning)
            log.info("config in %s reloaded", config_dir)
            target.post_message(ConfigReloaded(config))

    return target.run_worker(
        poll,
        name="config-watch",
        group="config-watch",
        thread=True,
        exclusive=True,
        exit_on_error=False,
    )
