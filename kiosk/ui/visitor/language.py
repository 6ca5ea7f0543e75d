"""Language screen: every visitor language by native name and digit, open/closed without words.

Before a language is chosen nobody knows what the visitor reads, so the state of the service
point is shown with symbols, times and numbers (● open until 16:30, ○ closed, next 13:00),
plus a German and an English line; then the hotline number.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Static

from kiosk.ui.rtl import visual_line
from kiosk.ui.visitor.choice import Choice
from kiosk.ui.visitor.screen import VisitorScreen
from kiosk.ui.visitor.text import CLOSED_MARK, OPEN_MARK, week_text

ARROW = "→"

WARM_UP_AFTER_SECONDS = 0.03
"""How long after this screen's first frame the warm-up starts. Textual hands a frame to its
output thread; the warm-up's threads (imports, opening the store) would hold the interpreter
that thread needs, and the frame reached the terminal about 10 ms later."""


class LanguageScreen(VisitorScreen):
    # No CSS_PATH: the styles are in visitor.tcss, parsed once with the app's (see there).
    IDLE = None  # nothing of a visitor is shown here
    AUTO_FOCUS = ""
    """(Empty, not None: None inherits the app's "*".) No language starts highlighted: a yellow "Deutsch" read as already chosen, on the one
    screen that must favour no language. Digits pick; an arrow key brings the focus in."""

    def __init__(self) -> None:
        super().__init__()
        self.built_with = self.kiosk.config
        """The config this screen was built with: the app builds a new one after a change."""

    def begin_visit(self) -> None:
        """Shown again for the next visitor (the app keeps this screen while the config is
        unchanged): no language highlighted, the state of the service point as of now."""
        self.set_focus(None, scroll_visible=False)
        self.availability_changed()

    def compose(self) -> ComposeResult:
        app = self.kiosk
        config = app.config
        site = config.site
        mode = site.rtl_mode
        with Vertical(id="language-top"):
            yield Static(site.name, id="site-name")
            yield Static(
                self._symbol_line(),
                id="status-symbols",
                classes="-open" if self.kiosk.site_status().open_now else None,
            )
            yield Static(self._words_line("de"), id="status-de", classes="status-words")
            yield Static(self._words_line("en"), id="status-en", classes="status-words")
            yield Static(self._instruction_line(self.app.size.width - 2), id="instruction")
        with Grid(id="languages"):
            for n, language in enumerate(config.visitor_languages[:9], start=1):
                yield Choice(
                    language.code,
                    n,
                    language.native_name,
                    language.visitor.get("welcome", ""),
                    rtl=language.rtl,
                    rtl_mode=mode,
                    id=f"lang-{language.code}",
                    classes="language",
                )
        yield Static(self._hotline_line(), id="hotline")

    # ---- the language-free state ----------------------------------------------------------

    def _symbol_line(self) -> str:
        """Today's hours while numbers are given out ("● 12:30 – 16:30"), else the next
        opening; never the current time as if it were an opening time."""
        app = self.kiosk
        now = app.now()
        status = app.site_status(now)
        if status.open_now and status.until is not None:
            start, end = status.today or (now, status.until)
            return f"{OPEN_MARK} {start:%H:%M} – {end:%H:%M}"
        if status.next_opening is None:
            return f"{CLOSED_MARK}"
        nxt = status.next_opening
        if nxt.date() == now.date():
            return f"{CLOSED_MARK}  {ARROW} {nxt:%H:%M}"
        return f"{CLOSED_MARK}  {ARROW} {nxt:%d.%m.} {nxt:%H:%M}"

    def _words_line(self, lang: str) -> str:
        """ "Heute geöffnet 12:30–16:30 · Nummern bis 16:10", or why closed and when it opens."""
        app = self.kiosk
        if lang not in app.config.languages:
            return ""
        now = app.now()
        status = app.site_status(now)
        if status.open_now and status.until is not None:
            start, end = status.today or (now, status.until)
            hours = f"{start:%H:%M}–{end:%H:%M}"
            return (
                f"{app.t('open_today', lang, hours=hours)} · "
                f"{app.t('numbers_until', lang, time=f'{status.until:%H:%M}')}"
            )
        if status.today is None:
            closed = app.t("closed_all_day", lang)
        elif now >= status.today[0]:
            closed = app.t("full_today", lang)  # today's numbers are over
        else:
            closed = app.t("closed_now", lang)
        if status.next_opening is None:
            return closed
        when = app.when(status.next_opening, lang)
        return f"{closed.rstrip('.')} · {app.t('next_opening', lang, when=when)}"

    def _instruction_line(self, width: int) -> str:
        """What to do, without needing one language: a pointing hand and the digits, then
        "choose your language" in as many languages as fit the width."""
        app = self.kiosk
        languages = app.config.visitor_languages[:9]
        line = f"\u261d 1–{len(languages)}" if len(languages) > 1 else "\u261d 1"
        for language in languages:
            words = language.visitor.get("pick_language", "")
            if not words:
                continue
            if language.rtl and app.config.site.rtl_mode != "terminal":
                words = visual_line(words, True)
            candidate = f"{line} · {words}"
            if cell_len(candidate) > width:
                break
            line = candidate
        return line

    def _hotline_line(self) -> str:
        app = self.kiosk
        hotline = app.config.site.hotline
        if not hotline.number:
            return ""
        now = app.now()
        mark = OPEN_MARK if app.hours.hotline_open(now) else CLOSED_MARK
        hours = week_text(app, hotline.schedule, "de")
        return f"Tel. {hotline.number}  {mark} {hours}".rstrip()

    def on_mount(self) -> None:
        # Once this screen is on the glass, load what the first visitor's taps will need.
        self.call_after_refresh(self.set_timer, WARM_UP_AFTER_SECONDS, self.kiosk.warm_up)

    def arrow_grid(self):
        choices = sorted(self.query(".language").results(Choice), key=lambda c: c.digit)
        columns = self.query_one("#languages").styles.grid_size_columns or 1
        return choices, columns, False, []

    def on_resize(self) -> None:
        self.query_one("#instruction", Static).update(self._instruction_line(self.size.width - 2))

    def _mark_open(self) -> None:
        self.query_one("#status-symbols").set_class(self.kiosk.site_status().open_now, "-open")

    def availability_changed(self) -> None:
        self._mark_open()
        self.query_one("#status-symbols", Static).update(self._symbol_line())
        self.query_one("#status-de", Static).update(self._words_line("de"))
        self.query_one("#status-en", Static).update(self._words_line("en"))
        self.query_one("#hotline", Static).update(self._hotline_line())

    # ---- input ----------------------------------------------------------------------------

    @on(Choice.Selected, ".language")
    def _chosen(self, event: Choice.Selected) -> None:
        self.kiosk.choose_language(event.choice.value)

    def action_pick(self, n: int) -> None:
        languages = self.kiosk.config.visitor_languages
        if 1 <= n <= min(9, len(languages)):
            self.kiosk.choose_language(languages[n - 1].code)
