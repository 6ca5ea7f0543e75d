"""Display app: the public screen with the called numbers; locked down like the visitor kiosk."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App

from kiosk.audio.calls import call_utterances
from kiosk.audio.speech import Speaker
from kiosk.core.clock import Clock
from kiosk.core.config import Config
from kiosk.ui.config_watch import ConfigRejected, ConfigReloaded, watch_config
from kiosk.ui.lockdown import LOCKED_BINDINGS, Lockdown
from kiosk.ui.render_caches import RELEASE_SECONDS, release_render_caches


class DisplayApp(Lockdown, App[int], inherit_bindings=False):
    """Shows `store.recent_calls`; no key leaves it but the admin chord and the PIN."""

    CSS_PATH = "display.tcss"
    TITLE = "Service-Point"
    BINDINGS = [*LOCKED_BINDINGS]

    def __init__(
        self,
        config: Config,
        store: Any,
        clock: Clock,
        config_dir: Path | None = None,
        speaker: Speaker | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.clock = clock
        self.config_dir = config_dir
        self.speaker = speaker
        """Calls aloud (site.accessibility.call_aloud); made on mount unless given."""

    def on_mount(self) -> None:
        from kiosk.ui.display.board import BoardScreen

        self.theme = "textual-dark"
        if self.speaker is None:
            from kiosk.ui.sound import app_speaker

            self.speaker = app_speaker(self, self.config.site.accessibility.audio_player)
        # A long-running app rebuilds rows and calls: keep Textual's caches from hoarding them.
        self.set_interval(RELEASE_SECONDS, release_render_caches, name="release-caches")
        if self.config_dir is not None:
            watch_config(self, self.config_dir)
        self.push_screen(BoardScreen())

    def on_unmount(self) -> None:
        if self.speaker is not None:
            self.speaker.close()

    def announce_call(self, number: str, desk: str, visitor_lang: str | None) -> list[str]:
        """Call a number aloud (a chime, then the words), after any call still being spoken;
        returns the spoken lines, which the board shows (nothing is only heard)."""
        said = call_utterances(self.config, number, desk, visitor_lang)
        if said and self.speaker is not None:
            self.speaker.say(said, interrupt=False, chime=True)
        return [utterance.text for utterance in said]

    def action_admin_exit(self) -> None:
        # The visitor kiosk's PIN dialog: the same PIN (site.pin_hash) ends the display.
        from kiosk.ui.visitor.admin_exit import AdminExitScreen

        if isinstance(self.screen, AdminExitScreen):
            return
        self.push_screen(AdminExitScreen())

    @on(ConfigReloaded)
    async def _config_reloaded(self, message: ConfigReloaded) -> None:
        self.config = message.config
        if hasattr(self.store, "config"):
            self.store.config = message.config
        for screen in self.screen_stack:
            changed = getattr(screen, "config_changed", None)
            if changed is not None:
                result = changed()
                if inspect.isawaitable(result):
                    await result

    @on(ConfigRejected)
    def _config_rejected(self, message: ConfigRejected) -> None:
        # The public must not see config problems; watch_config has logged them.
        return None


def make_display_app(
    config_dir: Path,
    data_dir: Path,
    clock: Clock | None = None,
    config: Config | None = None,
    store: Any = None,
    watch: bool = True,
    speaker: Speaker | None = None,
) -> DisplayApp:
    """The display app as the CLI and the tests build it."""
    if config is None:
        from kiosk.core.config import load_config

        config = load_config(Path(config_dir))
    if clock is None:
        clock = Clock.real(config.site.timezone)
    if store is None:
        from kiosk.core.store import Store

        store = Store(Path(data_dir), config, clock)
    return DisplayApp(config, store, clock, Path(config_dir) if watch else None, speaker)
