"""The visitor kiosk: language -> topic -> ticket, locked down, with idle reset and hot reload.

Screens never touch the disk: the app owns the store and calls it from thread workers
(availability every few seconds, issuing on a tap). Navigation is by methods on the app
(`choose_language`, `request_ticket`, `start_over`) so that the rules (one ticket per visit,
start over on idle) live in one place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from kiosk.audio.speech import Speaker
from kiosk.core.clock import Clock
from kiosk.core.config import Config, Language
from kiosk.core.hours import Hours, format_when
from kiosk.core.i18n import text
from kiosk.core.storage import check_data_dir
from kiosk.ui.config_watch import ConfigRejected, ConfigReloaded, watch_config
from kiosk.ui.garbage import (
    IDLE_COLLECT_SECONDS,
    collect_between_visits,
    settle_after_start,
    unsettle,
)
from kiosk.ui.lockdown import LOCKED_BINDINGS, Lockdown
from kiosk.ui.render_caches import release_render_caches
from kiosk.ui.sound import app_speaker
from kiosk.ui.visitor.corner_buttons import LargeTextButton, SpeechButton
from kiosk.ui.visitor.issuing import Prepared, prepare_ticket, warm_codes
from kiosk.ui.visitor.more_time import MoreTimeScreen
from kiosk.ui.visitor.printing import VisitorPrinting
from kiosk.ui.visitor.screen import VisitorScreen
from kiosk.ui.visitor.spoken import speech_for

__all__ = ["SiteStatus", "VisitorApp", "VisitorScreen", "make_visitor_app"]

log = logging.getLogger("kiosk.visitor")

ISSUING_NOTICE_SECONDS = 0.3
"""A store slower than this gets a screen saying "issuing"; a fast one goes straight to the
ticket (a notice shown for a few milliseconds would only flicker)."""

BUILD_SCREENS_AFTER_START_SECONDS = 3.0
BUILD_SCREENS_SECONDS = 0.2
BUILD_WHEN_QUIET_SECONDS = 2.0
"""After start-up (and after a config change), the topic screens of all languages are built
one at a time, this far apart, while nothing was touched for BUILD_WHEN_QUIET_SECONDS; a
language a visitor chooses sooner has its screen built then."""

PREPARE_TICKET_SECONDS = 0.05
"""After the topic screen is pushed, when the ticket screen is built off stage (the topic
screen draws first; a visitor reads for longer than this before tapping)."""

WARM_CODES_DELAY_SECONDS = 0.1
"""After the language choice, how long the QR warm-up waits (the topic screen draws first)."""

COLLECT_AFTER_VISIT_SECONDS = 0.5
"""After a visit ends, when its garbage is collected (see kiosk.ui.garbage)."""

AVAILABILITY_SECONDS = 3.0
"""How often topic availability is recomputed (the clock moves, staff pause topics)."""


@dataclass(frozen=True)
class SiteStatus:
    """The service point as a whole: open when any topic issues now."""

    open_now: bool
    until: datetime | None
    """While numbers are given out: the last moment any topic still issues ("Nummern bis")."""
    next_opening: datetime | None  # when closed: the earliest moment a topic issues
    today: tuple[datetime, datetime] | None = None
    """Today's opening hours (first opening, last closing of any topic), None without hours."""


class VisitorApp(Lockdown, App[int], inherit_bindings=False):
    """The visitor kiosk. Build it with `make_visitor_app`."""

    CSS_PATH = ["visitor.tcss"]
    TITLE = "Service-Point"
    BINDINGS = [
        *LOCKED_BINDINGS,
        # Speech mode (EN 301 549 5.1.3): 0 is no choice's digit and easy to find on a keypad.
        Binding("0", "speech", show=False, id="visitor.speech"),
        Binding("plus", "volume(1)", show=False, id="visitor.louder"),
        Binding("minus", "volume(-1)", show=False, id="visitor.quieter"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-w80"), (100, "-w100"), (120, "-w120"), (160, "-w160")]
    VERTICAL_BREAKPOINTS = [(0, "-h24"), (30, "-h30"), (40, "-h40"), (50, "-h50")]

    def __init__(
        self,
        config: Config,
        store: Any,
        clock: Clock,
        config_dir: Path | None = None,
        watch_interval: float = 2.0,
        speaker: Speaker | None = None,
        touch: bool = False,
    ) -> None:
        """`store` is the store, or a callable that makes one from the current config; it is
        then called on first use, in a worker, so opening the store stays off the first frame.
        `touch`: the screen is a touch screen (no key hints; controls apart from the cards)."""
        super().__init__()
        self.config = config
        self.hours = Hours(config)
        self._store = None if callable(store) else store
        self._store_factory = store if callable(store) else None
        self._store_made = threading.Lock()
        self.clock = clock
        self.config_dir = config_dir
        self.watch_interval = watch_interval
        self.lang: str | None = None
        """The current visitor's language; None on the language screen."""
        self.availability: dict[str, Any] | None = None
        self._codes_warmed_for: tuple | None = None
        """What the last warm_codes round prepared for (language, size, store stamp, topics)."""
        """queue.availability of the last refresh; None until the first one or on a store fault."""
        self.availability_error: Exception | None = None
        self.availability_rounds = 0
        """Counts completed refreshes (tests wait on it)."""
        self.issuing = False
        """True from the first tap on a topic until the visit ends: no second ticket."""
        self.tickets_issued = 0
        self.config_rejections = 0
        """Broken config edits seen (each logged on "kiosk.config"); the last good one stays."""
        self.store_lock = threading.Lock()
        self._refresh_event = threading.Event()
        self._stopping = False
        self._warmed_up = False
        self._pending_ticket: Screen | None = None
        """This visit's ticket screen while its ticket is issued and it is not pushed yet."""
        self._ready_ticket: Any = None
        """This visit's ticket screen, built off stage while the topics are read."""
        self._topic_screens: dict[str, Any] = {}
        """Language -> its topic screen, kept between visits (see `topic_screen`)."""
        self._issuing_screens: dict[Worker, Screen] = {}
        self.monotonic = time.monotonic
        """Source of elapsed time for the idle timeout (tests replace it)."""
        self.printing = VisitorPrinting(self)
        """The optional printer (site.toml [printer]): prints off the UI thread, once a ticket."""
        self._last_input = self.monotonic()
        self.speaker = speaker
        """Speaks in speech mode; made on mount unless given (tests give a silent one)."""
        self.speech_mode = False
        """Started by the 0 key or the corner button; ends with the visit."""
        self.touch = touch
        """A touch screen (`kiosk serve` on one, KIOSK_TOUCH=1): a corner button starts speech
        mode."""
        self._spoken_screens: weakref.WeakSet[Screen] = weakref.WeakSet()
        self._speak_timer = None

    @property
    def store(self) -> Any:
        """The ticket store (made on first use when the app was given a factory)."""
        if self._store is None:
            with self._store_made:
                if self._store is None:
                    self._store = self._store_factory(self.config)
        return self._store

    # ---- lifecycle ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.touch = self.touch or os.environ.get("KIOSK_TOUCH") == "1"
        self.set_class(self.touch, "-touch")
        if self.speaker is None:
            self.speaker = app_speaker(self, self.config.site.accessibility.audio_player)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if self.config_dir is not None:
            watch_config(self, self.config_dir, interval=self.watch_interval)
        self.set_interval(1.0, self.check_visitor_idle, name="idle")
        self.start_over()

    def on_unmount(self) -> None:
        # Wake the availability thread so closing does not wait for its next round.
        self._stopping = True
        self._refresh_event.set()
        unsettle()
        self.printing.close()
        if self.speaker is not None:
            self.speaker.close()

    # ---- input and idle -------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
        ):
            self._last_input = self.monotonic()
            if self.speech_mode and self.speaker is not None:
                self.speaker.stop()  # the visitor has moved on: stop talking
        await super().on_event(event)

    def idle_limit(self) -> float | None:
        """Seconds without input after which the current screen returns to the start."""
        screens = [s for s in self.screen_stack if not isinstance(s, MoreTimeScreen)]
        if not screens:  # starting or shutting down: no screen to time out
            return None
        limit = getattr(screens[-1], "IDLE", None)
        timeouts = self.config.site.timeouts
        if limit == "ticket":
            return float(timeouts.ticket_seconds)
        if limit == "idle":
            return float(timeouts.idle_seconds)
        return None

    def check_visitor_idle(self) -> None:
        """Every second: the more-time prompt before the limit, the start screen at it."""
        limit = self.idle_limit()
        if limit is None:
            return
        left = limit - (self.monotonic() - self._last_input)
        prompt = self.screen if isinstance(self.screen, MoreTimeScreen) else None
        if left <= 0:
            log.info("idle for %ss: back to the start", int(limit))
            self.end_speech()
            self.start_over()
        elif prompt is not None:
            prompt.set_remaining(left)
        elif left <= min(self.config.site.accessibility.more_time_seconds, limit / 2) and (
            isinstance(self.screen, VisitorScreen)
        ):
            self.push_screen(MoreTimeScreen(left))

    def extend_time(self) -> None:
        """The visitor answered the more-time prompt: the screen's full time again."""
        self._last_input = self.monotonic()

    # ---- speech mode ----------------------------------------------------------------------

    def action_speech(self) -> None:
        """The 0 key or the corner button: start speech mode, or say the screen again."""
        if not self.config.site.accessibility.speech or self.speaker is None:
            return
        if not isinstance(self.screen, (VisitorScreen, MoreTimeScreen)):
            return  # the PIN dialog: staff only
        if self.speech_mode:
            self.speaker.repeat()
            return
        self.speech_mode = True
        log.info("speech mode on")
        self._speak_screen(force=True)

    def action_volume(self, step: int) -> None:
        if self.speech_mode and self.speaker is not None:
            if step > 0:
                self.speaker.louder()
            else:
                self.speaker.quieter()
            self.speaker.repeat()  # heard at the new volume at once

    def end_speech(self) -> None:
        """The visit is over: speech mode off, default volume, nothing left to repeat."""
        self.speech_mode = False
        self._spoken_screens = weakref.WeakSet()
        if self.speaker is not None:
            self.speaker.reset()

    def _screen_changed(self, screen: Screen) -> None:
        # A screen shown again (topic screens are kept between visits) is spoken again.
        self._spoken_screens = weakref.WeakSet(
            s for s in self._spoken_screens if s in self.screen_stack
        )
        if isinstance(screen, VisitorScreen):
            if self.touch and self.config.site.accessibility.speech:
                SpeechButton.add_to(screen)
            if self.is_web:  # the page sets the text size; a terminal has its own
                LargeTextButton.add_to(screen)
        if self.speech_mode:
            # Starting over pops several screens in a row: speak the one that stays.
            if self._speak_timer is not None:
                self._speak_timer.stop()
            self._speak_timer = self.set_timer(0.05, self._speak_screen)

    def _speak_screen(self, force: bool = False) -> None:
        """Say the current screen, once per screen (0 repeats; force: its content changed)."""
        screen = self.screen
        if not self.speech_mode or self.speaker is None:
            return
        if screen in self._spoken_screens and not force:
            return
        self._spoken_screens.add(screen)
        self.speaker.say(speech_for(self, screen))

    # ---- navigation -----------------------------------------------------------------------

    def start_over(self) -> None:
        """End the visit: drop every visitor screen and show a fresh language screen.

        Not while a ticket is being issued and not yet on screen: it exists in a moment, and
        the visitor must see it (Escape in that fraction of a second would hide it).
        """
        if self._pending_ticket is not None:
            return
        if self.issuing:  # the visit had its ticket: the next visitor starts without speech
            self.end_speech()
        self._take_ready_ticket_screen(None)  # removes one built for a tap that never came
        self.lang = None
        self.issuing = False
        self._last_input = self.monotonic()
        self.run_worker(self._start_over(), group="navigate", exclusive=True)

    async def _start_over(self) -> None:
        from kiosk.ui.visitor.language import LanguageScreen

        def kept_start_screen() -> bool:
            screen = self.screen
            return isinstance(screen, LanguageScreen) and screen.built_with is self.config

        # As one batch: the screens uncovered on the way (the topic list under the ticket, the
        # empty base screen) are not drawn in between.
        with self.batch_update():
            while len(self.screen_stack) > 1 and not kept_start_screen():
                await self.pop_screen()
        release_render_caches()  # the visit's widgets are gone: let their memory go too
        if kept_start_screen():
            # The start screen under the visit, kept while the config is unchanged: made
            # current for the next visitor and drawn at once.
            self.screen.begin_visit()
            self.screen.draw_now()
        else:  # the first start, or the config changed: a new one, drawn on its push
            await self.push_screen(LanguageScreen())
        # A moment after the start screen is drawn (the visit's screens are then no longer
        # held by their closing messages and timers): freed now, they cost no visitor a wait.
        self.set_timer(COLLECT_AFTER_VISIT_SECONDS, collect_between_visits, name="collect")

    def choose_language(self, code: str) -> None:
        from kiosk.ui.visitor.closed import ClosedScreen

        if code not in self.config.languages:
            return
        self.lang = code
        self.refresh_availability()
        if self.nothing_issuing_today_or_now():
            self.push_screen(ClosedScreen())
        else:
            screen = self.topic_screen(code)
            screen.begin_visit()
            self.push_screen(screen)
            self.set_timer(PREPARE_TICKET_SECONDS, self.prepare_ticket_screen)

    def topics_closed_while_choosing(self) -> None:
        """The topic list on screen has nothing left to choose: show the closed screen instead."""
        from kiosk.ui.visitor.closed import ClosedScreen
        from kiosk.ui.visitor.topics import TopicScreen

        if isinstance(self.screen, TopicScreen) and not self.issuing:
            self.switch_screen(ClosedScreen())

    def switch_language(self) -> None:
        """Back to the language choice from inside a visit (nothing issued yet)."""
        if self.issuing:
            return
        self.start_over()

    def request_ticket(self, topic_id: str) -> None:
        """Issue one ticket for this visit; later taps are ignored until the visit ends.

        The ticket screen (built while the topics were read, see `prepare_ticket_screen`) is
        filled in and pushed when the outcome is known: one frame, nothing composed at the tap;
        or after ISSUING_NOTICE_SECONDS saying "issuing" when the store is slow.
        """
        if self.issuing or self.lang is None:
            return
        self.issuing = True
        screen = self._take_ready_ticket_screen(self.lang) or self._start_ticket_screen(self.lang)
        screen.topic_id = topic_id
        self._pending_ticket = screen
        worker = self._issue(topic_id, self.lang, self.size)
        self._issuing_screens[worker] = screen
        self.set_timer(ISSUING_NOTICE_SECONDS, partial(self._show_ticket_screen, screen))

    def prepare_ticket_screen(self) -> None:
        """While the visitor reads the topics: build this visit's ticket screen off stage, so
        the tap only fills it in. Called a moment after the topic screen is shown."""
        lang = self.lang
        if lang is None or self.issuing or self._ready_ticket is not None:
            return
        self._ready_ticket = self._start_ticket_screen(lang)

    def _start_ticket_screen(self, lang: str) -> Screen:
        from kiosk.ui.visitor.ticket import TicketScreen

        return self.start_off_stage(TicketScreen(lang))

    def start_off_stage(self, screen: Screen) -> Screen:
        """Compose and mount `screen` now, off stage (not shown until pushed).

        Textual composes a screen when it is first pushed; `_load_screen_css` and `_register`
        are what that push does first (Textual 8.2, pinned in constraints.txt; the visitor
        flow tests fail if they change).
        """
        self._load_screen_css(screen)
        self._register(self, screen)
        return screen

    def topic_screen(self, lang: str) -> Screen:
        """The topic screen of `lang`: built once (off stage), then shown to every visitor of
        that language, until the config changes."""
        from kiosk.ui.visitor.topics import TopicScreen

        self._drop_topic_screens()
        screen = self._topic_screens.get(lang)
        if screen is None:
            screen = TopicScreen(lang)
            self.install_screen(screen, f"topics-{lang}")
            self.start_off_stage(screen)
            self._topic_screens[lang] = screen
        return screen

    def _build_topic_screens(self, languages: list[str]) -> None:
        """After start-up, one language at a time while nobody is at the kiosk (each ~20 ms on
        the UI thread): the topic screens the first visitors will see."""
        if self._stopping:
            return
        while languages and languages[0] in self._topic_screens:
            languages = languages[1:]
        if not languages:
            return
        if self.lang is not None or self.monotonic() - self._last_input < BUILD_WHEN_QUIET_SECONDS:
            # A visitor is at the kiosk: their taps come first; try again later.
            self.set_timer(BUILD_WHEN_QUIET_SECONDS, partial(self._build_topic_screens, languages))
            return
        if languages[0] in self.config.languages:
            self.topic_screen(languages[0])
        self.set_timer(BUILD_SCREENS_SECONDS, partial(self._build_topic_screens, languages[1:]))

    def _drop_topic_screens(self) -> None:
        """Topic screens built with an earlier config go, unless a visitor is using one
        (that one goes when the visit ends); `topic_screen` builds them anew."""
        for lang, screen in list(self._topic_screens.items()):
            if screen.built_with is self.config or screen in self.screen_stack:
                continue
            del self._topic_screens[lang]
            self.uninstall_screen(screen)
            self.call_later(screen.remove)

    @property
    def prepared_ticket_screen(self) -> Screen | None:
        """This visit's ticket screen while it waits off stage for the tap (None otherwise)."""
        return self._ready_ticket

    def _take_ready_ticket_screen(self, lang: str | None) -> Screen | None:
        """The screen prepared for this visit, if it suits `lang` (None: for no visit); taken
        or not, it is no longer the prepared one."""
        screen, self._ready_ticket = self._ready_ticket, None
        if screen is not None and screen.lang == lang and not screen.decided:
            return screen
        self._discard(screen)
        return None

    def _discard(self, screen: Screen | None) -> None:
        """Remove a screen that was built but is no longer wanted (never shown)."""
        if screen is not None and screen not in self.screen_stack:
            self.call_later(screen.remove)

    @work(thread=True, group="issue", exit_on_error=False)
    def _issue(self, topic_id: str, lang: str, size: Size) -> Prepared:
        prepared = prepare_ticket(
            self.store, self.store_lock, self.config, self.hours, self.clock, topic_id, lang, size
        )
        self.tickets_issued += 1
        # No availability refresh here: the next visitor's language choice asks for one, and
        # one now would redraw the topic cards while this visitor's ticket is being drawn.
        return prepared

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "warm-up" and event.state == WorkerState.SUCCESS:
            settle_after_start()
            self.set_interval(IDLE_COLLECT_SECONDS, self._collect_when_idle, name="collect")
            self.set_timer(
                BUILD_SCREENS_AFTER_START_SECONDS,
                partial(self._build_topic_screens, list(self.config.site.languages)),
            )
            return
        if event.worker.group != "issue" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        screen = self._issuing_screens.pop(event.worker, None)
        if screen is None:
            return
        success = event.state == WorkerState.SUCCESS
        shown = self._pending_ticket is not screen  # already up, saying "issuing"
        screen.deliver(event.worker.result if success else event.worker.error)
        self._show_ticket_screen(screen)
        if shown and self.speech_mode:
            self.call_after_refresh(self._speak_screen, True)

    def _show_ticket_screen(self, screen: Any) -> None:
        """Push this visit's ticket screen, once: its outcome came, or the store is slow."""
        if self._pending_ticket is screen:
            self._pending_ticket = None
            screen.show_issuing()
            self.push_screen(screen)

    def back_to_topics(self) -> None:
        """After the store refused a ticket (no ticket exists for this visit): choose again."""
        from kiosk.ui.visitor.ticket import TicketScreen
        from kiosk.ui.visitor.topics import TopicScreen

        if not isinstance(self.screen, TicketScreen) or self.screen.issued is not None:
            return
        if len(self.screen_stack) < 2 or not isinstance(self.screen_stack[-2], TopicScreen):
            self.start_over()
            return
        self.issuing = False
        self.pop_screen()
        self.refresh_availability()
        self.set_timer(PREPARE_TICKET_SECONDS, self.prepare_ticket_screen)

    def action_admin_exit(self) -> None:
        from kiosk.ui.visitor.admin_exit import AdminExitScreen

        if isinstance(self.screen, AdminExitScreen):
            return
        self.push_screen(AdminExitScreen())

    # ---- the store, off the UI thread -----------------------------------------------------

    def refresh_availability(self) -> None:
        """Ask the availability loop for a fresh round now."""
        self._refresh_event.set()

    @work(thread=True, exclusive=True, group="availability", exit_on_error=False)
    def _availability_loop(self) -> None:
        from textual.worker import get_current_worker

        from kiosk.core import queue

        worker = get_current_worker()
        last_stamp: object = object()
        snapshot = None
        while not (worker.is_cancelled or self._stopping):
            config, hours = self.config, self.hours
            try:
                with self.store_lock:
                    stamp = self.store.change_stamp()
                    if stamp != last_stamp or snapshot is None:
                        snapshot = self.store.snapshot()
                        last_stamp = stamp
                result = queue.availability(config, hours, snapshot, self.clock.now())
                error = None
            except Exception as problem:  # StorageUnavailable or any fault: show hours only
                log.warning("availability: %s", problem)
                result, error = None, problem
                snapshot = None
            if worker.is_cancelled or self._stopping:
                return
            try:
                self.call_from_thread(self._set_availability, result, error)
            except RuntimeError:  # the app is closing
                return
            except Exception:  # a screen failed to redraw: keep the loop alive
                log.exception("availability refresh")
            self._warm_codes(config, hours, snapshot, result)
            self._refresh_event.wait(AVAILABILITY_SECONDS)
            self._refresh_event.clear()

    def _warm_codes(
        self, config: Config, hours: Hours, snapshot: Any, result: dict[str, Any] | None
    ) -> None:
        """While a visitor reads the topics (availability thread): prepare the codes of the
        tickets they may tap, once per language and set of guessed numbers."""
        lang = self.lang
        if lang is None or self.issuing or result is None:
            return
        issuing = sorted(topic_id for topic_id, state in result.items() if state.issuing)
        key = (lang, self.size, snapshot.stamp if snapshot is not None else None, *issuing)
        if key == self._codes_warmed_for:
            return
        self._codes_warmed_for = key
        # Let the topic screen, which the language choice pushed a moment ago, be drawn
        # first: encoding competes with the drawing for the interpreter.
        self._refresh_event.wait(WARM_CODES_DELAY_SECONDS)
        if self._stopping or self.issuing:
            return
        try:
            warm_codes(config, hours, self.clock, snapshot, issuing, lang, self.size)
        except Exception:  # only a speed-up: the tap encodes its code itself
            log.exception("preparing QR codes")

    def _set_availability(self, result: dict[str, Any] | None, error: Exception | None) -> None:
        self.availability = result
        self.availability_error = error
        self.availability_rounds += 1
        refresh = getattr(self.screen, "availability_changed", None)
        if refresh is not None and self.screen.is_mounted:
            # NoMatches: the screen is still composing; it reads availability on mount.
            with contextlib.suppress(NoMatches):
                refresh()

    def _collect_when_idle(self) -> None:
        """The backstop for a kiosk nobody finishes a visit on: collect while untouched."""
        if self.monotonic() - self._last_input >= IDLE_COLLECT_SECONDS / 2:
            collect_between_visits()

    def warm_up(self) -> None:
        """Once, after the first frame: open the store and start reading availability, import
        the later screens and the QR encoder, so the first visitor's taps do not wait for them
        (they are kept off the cold start; the start screen needs only the hours)."""
        if not self._warmed_up:
            self._warmed_up = True
            self._availability_loop()
            self._warm_up()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        import kiosk.ui.visitor.closed  # noqa: F401
        import kiosk.ui.visitor.ticket  # noqa: F401
        import kiosk.ui.visitor.topics  # noqa: F401
        from kiosk.core.qr import qr_matrix

        qr_matrix("A-001")

    # ---- config hot reload ----------------------------------------------------------------

    def on_config_reloaded(self, message: ConfigReloaded) -> None:
        self.config = message.config
        self.hours = Hours(message.config)
        if self._store is not None:  # a store made later is made with the new config
            with contextlib.suppress(AttributeError):
                self._store.config = message.config
        self.refresh_availability()
        self._drop_topic_screens()
        self.set_timer(
            BUILD_SCREENS_SECONDS,
            partial(self._build_topic_screens, list(message.config.site.languages)),
        )
        if self._ready_ticket is not None:  # built with the old texts: build it anew
            self._take_ready_ticket_screen(None)  # removes it
            self.set_timer(PREPARE_TICKET_SECONDS, self.prepare_ticket_screen)
        # Screens in a visit keep what they show; the start screen is rebuilt at once.
        from kiosk.ui.visitor.language import LanguageScreen

        if isinstance(self.screen, LanguageScreen):
            self.start_over()

    def on_config_rejected(self, message: ConfigRejected) -> None:
        # Logged by the watcher; visitors see nothing, the admin reads the log.
        self.config_rejections += 1

    # ---- what screens ask -----------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def language(self, code: str | None = None) -> Language:
        code = code or self.lang or self.config.site.languages[0]
        for candidate in (code, "en", "de"):
            if candidate in self.config.languages:
                return self.config.languages[candidate]
        return next(iter(self.config.languages.values()))

    def t(self, key: str, lang: str | None = None, **values: object) -> str:
        return text(self.config, lang or self.lang or "de", "visitor", key, **values)

    def when(self, at: datetime, lang: str | None = None) -> str:
        return format_when(at, self.now(), self.language(lang))

    def topic_state(self, topic_id: str, now: datetime | None = None) -> Any:
        """Availability of a topic (store-aware) or, before the first read, its hours status."""
        if self.availability is not None and topic_id in self.availability:
            return self.availability[topic_id]
        return self.hours.topic_status(topic_id, now or self.now())

    def site_status(self, now: datetime | None = None) -> SiteStatus:
        now = now or self.now()
        issuing_until: list[datetime] = []
        upcoming: list[datetime] = []
        spans: list[tuple[datetime, datetime]] = []
        for topic in self.config.topics:
            try:
                status = self.hours.topic_status(topic.id, now)
                spans += self.hours.intervals(topic.schedule, now.date(), topic.id)
            except Exception:
                continue
            if status.issuing and status.issue_until is not None:
                issuing_until.append(status.issue_until)
            elif status.next_issue_at is not None:
                upcoming.append(status.next_issue_at)
        today = (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None
        if issuing_until:
            return SiteStatus(True, max(issuing_until), None, today)
        return SiteStatus(False, None, min(upcoming) if upcoming else None, today)

    def nothing_issuing_today_or_now(self) -> bool:
        """True when no topic issues now (the closed screen replaces the topic list)."""
        now = self.now()
        for topic in self.config.topics:
            state = self.topic_state(topic.id, now)
            if state.issuing:
                return False
        return True


def make_visitor_app(
    config_dir: Path | str,
    data_dir: Path | str,
    clock: Clock | None = None,
    config: Config | None = None,
    store: Any = None,
    *,
    watch_interval: float = 2.0,
    watch: bool = True,
    speaker: Speaker | None = None,
    touch: bool = False,
) -> VisitorApp:
    """The one factory for the CLI and the tests (STYLE point 4)."""
    config_dir = Path(config_dir)
    if config is None:
        from kiosk.core.config import load_config

        config = load_config(config_dir)
    if clock is None:
        clock = Clock.real(config.site.timezone)
    if store is None:
        # Checked now (a clear error at start), opened on first use (off the first frame).
        check_data_dir(Path(data_dir))

        def store(current: Config) -> Any:
            from kiosk.core.store import Store

            return Store(Path(data_dir), current, clock)

    return VisitorApp(
        config,
        store,
        clock,
        config_dir=config_dir if watch else None,
        watch_interval=watch_interval,
        speaker=speaker,
        touch=touch,
    )
