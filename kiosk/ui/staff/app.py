"""Staff app: one desk's view of today's queue; call, finish, transfer, undo; staff may quit."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App
from textual.binding import Binding

from kiosk.core.clock import Clock
from kiosk.core.config import Config
from kiosk.ui.config_watch import ConfigRejected, ConfigReloaded, watch_config
from kiosk.ui.render_caches import RELEASE_SECONDS, release_render_caches
from kiosk.ui.signals import EndOnSignals
from kiosk.ui.staff.printer_watch import watch_printer
from kiosk.ui.staff.status_line import StatusLine
from kiosk.ui.staff.texts import t


class StaffApp(EndOnSignals, App[None], inherit_bindings=False):
    """Holds config, store, clock, staff language and desk; the screens do the work."""

    CSS_PATH = "staff.tcss"
    ENABLE_COMMAND_PALETTE = False
    # ctrl+q asks before quitting (App's default would quit at once); ctrl+c does nothing here.
    BINDINGS = [
        Binding("ctrl+q", "request_quit", show=False, priority=True, id="staff.quit_chord"),
    ]

    def __init__(
        self,
        config: Config,
        store: Any,
        clock: Clock,
        lang: str,
        desk_id: str | None = None,
        config_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.clock = clock
        self.lang = lang
        self.desk_id = desk_id
        self.config_dir = config_dir
        self.warnings: dict[str, str] = {}
        """Warnings for the staff status line, keyed by who raised them (see set_warning)."""

    def set_warning(self, key: str, message: str | None) -> None:
        """Show `message` on the status line under `key` (None clears it); others' stay."""
        if self.warnings.get(key) == (message or None):
            return  # unchanged (callers may repeat theirs on every refresh)
        if message:
            self.warnings[key] = message
        else:
            self.warnings.pop(key, None)
        for screen in self.screen_stack:
            for line in screen.query(StatusLine):
                line.show(self.warnings)

    def t(self, key: str, **values: object) -> str:
        """A staff string in the staff language."""
        return t(self.config, self.lang, key, **values)

    def on_mount(self) -> None:
        self.title = self.t("title")
        # systemd or a closed SSH session (SIGTERM, SIGHUP): EndOnSignals ends the app within
        # 2 s with the terminal restored, also during start-up or with a stuck writer thread.
        # A long-running app rebuilds rows and calls: keep Textual's caches from hoarding them.
        self.set_interval(RELEASE_SECONDS, release_render_caches, name="release-caches")
        if self.config_dir is not None:
            watch_config(self, self.config_dir)
        data_dir = getattr(self.store, "data_dir", None)
        if data_dir is not None:
            watch_printer(self, data_dir)
        if self.desk_id is None:
            from kiosk.ui.staff.desk_picker import DeskPickerScreen

            self.push_screen(DeskPickerScreen())
        else:
            self.start_desk(self.desk_id)

    def start_desk(self, desk_id: str) -> None:
        """Show the queue for `desk_id` (from the command line or the desk picker)."""
        from kiosk.ui.staff.queue import QueueScreen

        self.desk_id = desk_id
        screen = QueueScreen()
        if isinstance(self.screen, _picker_type()):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_request_quit(self) -> None:
        from kiosk.ui.staff.quit_dialog import QuitDialog

        if isinstance(self.screen, QuitDialog):
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        self.push_screen(QuitDialog(), answered)

    @on(ConfigReloaded)
    async def _config_reloaded(self, message: ConfigReloaded) -> None:
        self.config = message.config
        if hasattr(self.store, "config"):
            self.store.config = message.config
        self.title = self.t("title")
        for screen in self.screen_stack:
            refresh = getattr(screen, "config_changed", None)
            if refresh is not None:
                result = refresh()
                if inspect.isawaitable(result):
                    await result
        self.notify(self.t("config_reloaded"), timeout=4)

    @on(ConfigRejected)
    def _config_rejected(self, message: ConfigRejected) -> None:
        first = message.problems[0] if message.problems else ""
        self.notify(self.t("config_rejected", problem=first), severity="warning", timeout=8)


def _picker_type() -> type:
    from kiosk.ui.staff.desk_picker import DeskPickerScreen

    return DeskPickerScreen


def make_staff_app(
    config_dir: Path,
    data_dir: Path,
    desk_id: str | None = None,
    clock: Clock | None = None,
    config: Config | None = None,
    store: Any = None,
    lang: str | None = None,
    watch: bool = True,
) -> StaffApp:
    """The staff app as the CLI and the tests build it; missing pieces come from the folders."""
    if config is None:
        from kiosk.core.config import load_config

        config = load_config(Path(config_dir))
    if clock is None:
        clock = Clock.real(config.site.timezone)
    if store is None:
        from kiosk.core.store import Store

        store = Store(Path(data_dir), config, clock)
    return StaffApp(
        config,
        store,
        clock,
        lang or config.site.default_staff_language,
        desk_id,
        Path(config_dir) if watch else None,
    )
