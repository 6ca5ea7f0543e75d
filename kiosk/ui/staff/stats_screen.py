"""Staff stats view: today so far per topic and language, and visitors per hour as bars."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from kiosk.core.config import Config
from kiosk.core.stats import Figures, Group, Today, hour_label, today_figures
from kiosk.ui.staff.texts import language_name

POLL_SECONDS = 3.0
"""How often the view checks the store's change stamp (cheap) and re-reads when it moved."""

# The view's own words, German and English (the staff languages); others fall back to English.
WORDS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Statistik heute",
        "as_of": "Stand {time}",
        "topic": "Thema",
        "language": "Sprache",
        "issued": "Gezogen",
        "open": "Offen",
        "served": "Bedient",
        "no_show": "Nicht\nerschienen",
        "cancelled": "Storniert",
        "wait": "Warten\nMedian",
        "service": "Beratung\nMedian",
        "total": "Gesamt",
        "per_hour": "Gezogene Nummern pro Stunde",
        "nothing": "Heute wurden noch keine Nummern gezogen.",
        "now": "Jetzt: {waiting} wartend, {called} aufgerufen.",
        "minutes": "Zeiten in ganzen Minuten (Median). Offene Nummern zählen als gezogen; die "
        "Wartezeit zählt ab dem Aufruf, auch wenn die Nummer noch aufgerufen ist.",
        "loading": "Wird geladen …",
        "error": "Die Daten konnten nicht gelesen werden: {error}",
        "help": "Esc zurück · r aktualisieren · ↑↓ Bild↑↓ blättern",
        "back": "Zurück",
        "refresh": "Aktualisieren",
    },
    "en": {
        "title": "Statistics today",
        "as_of": "as of {time}",
        "topic": "Topic",
        "language": "Language",
        "issued": "Issued",
        "open": "Open",
        "served": "Served",
        "no_show": "No-show",
        "cancelled": "Cancelled",
        "wait": "Wait\nmedian",
        "service": "Service\nmedian",
        "total": "Total",
        "per_hour": "Numbers issued per hour",
        "nothing": "No numbers have been issued today yet.",
        "now": "Now: {waiting} waiting, {called} called.",
        "minutes": "Times in whole minutes (median). Open tickets count as issued; a wait "
        "counts from the call, also while the ticket is still called.",
        "loading": "Loading …",
        "error": "Could not read the data: {error}",
        "help": "Esc back · r refresh · ↑↓ PgUp PgDn scroll",
        "back": "Back",
        "refresh": "Refresh",
    },
}

BLOCKS = " ▏▎▍▌▋▊▉█"  # eighths of a cell, for bars that are exact to 1/8 of a column


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def bar(value: int, maximum: int, width: int) -> str:
    """A horizontal bar of `width` cells at most, exact to an eighth of a cell; 0 draws nothing."""
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / maximum * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


def bar_lines(by_hour: list[tuple[int, int]], width: int) -> list[str]:
    """`13:00-13:59 ██████▌ 12`: one line per hour, bars scaled to the busiest hour."""
    if not by_hour:
        return []
    maximum = max(count for _, count in by_hour)
    number_width = len(str(maximum))
    label_width = len(hour_label(0))
    bar_width = max(1, width - label_width - number_width - 2)
    lines = []
    for hour, count in by_hour:
        drawn = bar(count, maximum, bar_width)
        lines.append(f"{hour_label(hour)} {drawn.ljust(bar_width)} {count:>{number_width}}")
    return lines


class HourBars(Widget):
    """Visitors per hour of issue as horizontal bars; redraws to the width it gets."""

    DEFAULT_CSS = """
    HourBars { height: auto; }
    """

    by_hour: reactive[list[tuple[int, int]]] = reactive(list, layout=True)
    """(hour, tickets issued in it) for every hour from the first to the last one with tickets."""

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.by_hour))

    def render(self) -> Text:
        lines = bar_lines(self.by_hour, self.size.width)
        text = Text("\n".join(lines), no_wrap=True, overflow="crop")
        for index, line in enumerate(lines):
            start = sum(len(previous) + 1 for previous in lines[:index])
            label = len(hour_label(0))
            text.stylize("bold", start, start + label)
            text.stylize("cyan", start + label + 1, start + len(line.rstrip(" 0123456789")))
        return text


class StatsScreen(Screen):
    """Today so far: per topic, per language, visitors per hour. Pushed by the staff app."""

    DEFAULT_CSS = """
    StatsScreen { layout: vertical; }
    StatsScreen #stats-title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    StatsScreen #stats-body { height: 1fr; padding: 0 1; }
    StatsScreen .stats-heading { margin-top: 1; text-style: bold; }
    StatsScreen #stats-languages { margin-top: 1; }
    StatsScreen #stats-help { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="stats.close"),
        Binding("r", "refresh", "Refresh", id="stats.refresh"),
    ]

    def __init__(self, config: Config, store: Any, lang: str = "de") -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.lang = lang
        self._stamp: object = None
        self.today: Today | None = None
        self._as_of = ""

    def compose(self) -> ComposeResult:
        w = words(self.lang)
        yield Static(w["title"], id="stats-title")
        with VerticalScroll(id="stats-body"):
            yield Static(w["loading"], id="stats-summary")
            yield Static("", id="stats-topics")
            yield Static("", id="stats-languages")
            yield Static(w["per_hour"], id="stats-hours-heading", classes="stats-heading")
            yield HourBars(id="stats-hours")
        yield Static(w["help"], id="stats-help")

    def on_mount(self) -> None:
        self.query_one("#stats-hours-heading").display = False
        self.poll(force=True)
        self.set_interval(POLL_SECONDS, self.poll)

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.poll(force=True)

    def poll(self, force: bool = False) -> None:
        """Follow a reloaded config (the staff app swaps it in), then read in a worker."""
        config = getattr(self.app, "config", None)
        if isinstance(config, Config) and config is not self.config:
            self.config, force = config, True
        self.load(force=force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def load(self, force: bool = False) -> tuple[Today, str] | None:
        """Read today's tickets when they changed (disk work: a thread worker)."""
        stamp = self.store.change_stamp()
        if not force and stamp == self._stamp and self.today is not None:
            return None
        snapshot = self.store.snapshot()
        self._stamp = stamp
        now = self.store.clock.now() if hasattr(self.store, "clock") else None
        as_of = f"{now:%H:%M}" if now else ""
        return today_figures(self.config, snapshot.day, snapshot.tickets), as_of

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "stats":
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            today, as_of = event.worker.result
            self.show(today, as_of)
        elif event.state == WorkerState.ERROR:
            self._stamp = None
            error = event.worker.error
            self.query_one("#stats-summary", Static).update(
                words(self.lang)["error"].format(error=error)
            )

    def on_resize(self) -> None:
        if self.today is not None:
            self.show(self.today, self._as_of)  # the label column follows the width

    def show(self, today: Today, as_of: str = "") -> None:
        """Put today's figures on screen (on the event loop)."""
        self.today = today
        self._as_of = as_of
        w = words(self.lang)
        weekday = self.config.languages.get(self.lang) or self.config.languages.get("de")
        day_name = weekday.weekdays[today.day.weekday()] if weekday else ""
        title = f"{w['title']}: {day_name} {today.day:%d.%m.%Y}"
        if as_of:
            title += f", {w['as_of'].format(time=as_of)}"
        self.query_one("#stats-title", Static).update(title)
        empty = today.total.issued == 0
        summary = (
            w["nothing"] if empty else w["now"].format(waiting=today.waiting, called=today.called)
        )
        if not empty:
            summary += " " + w["minutes"]
        self.query_one("#stats-summary", Static).update(summary)
        topics = self.query_one("#stats-topics", Static)
        languages = self.query_one("#stats-languages", Static)
        topics.display = languages.display = not empty
        self.query_one("#stats-hours-heading").display = not empty
        if not empty:
            topics.update(self._table(w["topic"], today.by_topic, today.total))
            languages.update(
                self._table(w["language"], today.by_language, today.total, self._language)
            )
        self.query_one(HourBars).by_hour = list(today.by_hour)

    def _language(self, group: Group) -> str:
        """Named in the staff language and natively ("Persisch/Farsi (فارسی)"), the native
        name in display order (Arabic, Farsi shaped and reordered)."""
        return language_name(self.config, group.key, self.lang)

    def _table(
        self,
        first: str,
        groups: list[Group],
        total: Figures,
        label: Callable[[Group], str] = lambda group: group.label,
    ) -> Table:
        from rich import box

        w = words(self.lang)
        # One space between columns (the box's), two-line headers, one line per row: labels
        # too long for the width are cut with "…" (wrapped labels doubled the rows at 80x24).
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0))
        keys = ("issued", "open", "served", "no_show", "cancelled", "wait", "service")
        widest = {key: max(cell_len(line) for line in w[key].split("\n")) for key in keys}
        room = (self.size.width or self.app.size.width or 80) - 4  # padding and scrollbar
        label_width = max(12, min(40, room - sum(width + 1 for width in widest.values())))
        table.add_column(first, overflow="ellipsis", no_wrap=True, width=label_width)
        for key in keys:
            table.add_column(w[key], justify="right", no_wrap=True, min_width=widest[key])

        def cells(figures: Figures) -> list[str]:
            def minutes(value: int | None) -> str:
                return "–" if value is None else str(value)

            return [
                str(figures.issued),
                str(figures.open),
                str(figures.served),
                str(figures.no_show),
                str(figures.cancelled),
                minutes(figures.wait_median),
                minutes(figures.service_median),
            ]

        for group in groups:
            table.add_row(Text(label(group)), *cells(group.figures))
        table.add_section()
        table.add_row(
            Text(w["total"], style="bold"), *(Text(c, style="bold") for c in cells(total))
        )
        return table
