"""The config model: the frozen, typed objects every other module codes against."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo


def freeze(instance: object, *names: str) -> None:
    """Make the mapping fields of a frozen dataclass read-only copies (frozen all the way down)."""
    for name in names:
        value = getattr(instance, name)
        if not isinstance(value, MappingProxyType):
            object.__setattr__(instance, name, MappingProxyType(dict(value)))


@dataclass(frozen=True)
class Slot:
    """One opening interval on a day, local wall time, start < end."""

    start: time
    end: time


@dataclass(frozen=True)
class WeeklyPeriod:
    """Weekly hours taking effect on `valid_from` (until the next period's valid_from)."""

    valid_from: date
    # weekday (0 = Monday) -> slots, sorted, non-overlapping
    week: Mapping[int, tuple[Slot, ...]]

    def __post_init__(self) -> None:
        freeze(self, "week")


@dataclass(frozen=True)
class SpecialDay:
    """A single date with its own hours (empty slots = closed that day)."""

    day: date
    slots: tuple[Slot, ...]
    note: str = ""


@dataclass(frozen=True)
class Schedule:
    id: str
    name: str
    periods: tuple[WeeklyPeriod, ...]  # sorted by valid_from
    special_days: tuple[SpecialDay, ...] = ()


@dataclass(frozen=True)
class Closure:
    """Closed from `first` to `last` inclusive; empty topics and schedules = everything.

    `topics` closes only those topics; `schedules` closes whole schedules (e.g. "hotline").
    """

    first: date
    last: date
    reason: str = ""
    topics: tuple[str, ...] = ()
    schedules: tuple[str, ...] = ()

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class PublicHolidays:
    """Where the public holidays come from: the `holidays` library's country and subdivision.

    Every schedule is closed on them unless a [[schedules.special]] gives that day hours.
    """

    country: str  # ISO 3166 code, e.g. "DE"
    subdivision: str = ""  # e.g. "NW" (North Rhine-Westphalia); "" = the country's own only


@dataclass(frozen=True)
class UrgentContact:
    number: str
    # language code -> what it is for; fall back to en, then de
    labels: Mapping[str, str]

    def __post_init__(self) -> None:
        freeze(self, "labels")


@dataclass(frozen=True)
class Hotline:
    number: str
    schedule: str  # schedule id
    email: str = ""


@dataclass(frozen=True)
class Timeouts:
    idle_seconds: int = 45
    """Seconds without a touch on the topic or closed screen before returning to the start."""
    ticket_seconds: int = 60
    """Seconds the ticket stays on screen before returning to the start."""
    ticket_lock_seconds: int = 5
    """Seconds after a ticket appears during which nothing leaves the ticket screen."""


@dataclass(frozen=True)
class DisplaySettings:
    previous_calls: int = 6
    highlight_seconds: int = 10
    bell: bool = False


@dataclass(frozen=True)
class Accessibility:
    """site.toml [accessibility]: speech, spoken calls, the more-time prompt, large text."""

    speech: bool = True
    """Offer speech mode on the visitor screens (the 0 key, the corner button on touch)."""
    audio_player: str = ""
    """Command that plays a WAV file ({file}); empty: the first of pw-play, paplay, aplay, play."""
    call_aloud: bool = True
    """The public display calls each number aloud: a chime, then number and desk in German."""
    call_in_visitor_language: bool = False
    """...and once more in the visitor's language (shown too; off: the room cannot tell it)."""
    more_time_seconds: int = 20
    """The "Need more time?" prompt appears this long before a visitor screen times out."""
    screen_width_mm: int = 0
    """Visible width of the browser kiosk's screen in mm, for large text (0: 96 px per inch)."""


PAPER_DOTS = {80: 576, 58: 384}
"""Printable dots per line for each paper width (mm) at 203 dpi, the common thermal printer."""


@dataclass(frozen=True)
class Printer:
    """[printer] in site.toml: the optional thermal receipt printer (absent: no printing)."""

    kind: str
    """"usb", "serial", "network", or "file" (appends each job's bytes to `path`)."""
    address: str = ""
    """usb "04b8:0e15" (vendor:product), serial "/dev/ttyUSB0", network "10.0.0.7" or
    "10.0.0.7:9100"; not used by "file"."""
    path: str = ""
    """The file a "file" printer appends to (an absolute path)."""
    paper_width: int = 80
    """Paper width in mm: 80 or 58."""
    dots: int = 0
    """Printable dots per line; 0 (unset): PAPER_DOTS of the paper width."""
    mode: str = "button"
    """"button": the ticket screen offers Print; "every": every ticket is printed."""
    baudrate: int = 9600
    """Serial printers only."""

    def __post_init__(self) -> None:
        if not self.dots:
            object.__setattr__(self, "dots", PAPER_DOTS.get(self.paper_width, PAPER_DOTS[80]))


@dataclass(frozen=True)
class StatusPage:
    public_url: str = ""
    """Address phones open the status page at (the box on the service point's Wi-Fi, or the
    city's reverse proxy), without a trailing slash. Empty: no status page, the QR code holds
    the take-away note."""

    @property
    def enabled(self) -> bool:
        return bool(self.public_url)

    def ticket_url(self, token: str) -> str:
        """What the ticket's QR code holds: `<public_url>/t/<token>`."""
        return f"{self.public_url}/t/{token}"


@dataclass(frozen=True)
class Site:
    name: str
    address: str  # street, postcode, city
    floor: Mapping[str, str]  # language -> where in the building; fall back to en, then de
    timezone: ZoneInfo
    hotline: Hotline
    urgent: tuple[UrgentContact, ...]
    timeouts: Timeouts
    display: DisplaySettings
    retention_days: int = 400
    pin_hash: str = ""
    rtl_mode: str = "reorder"  # "reorder": we put RTL text in display order; "terminal": it does
    languages: tuple[str, ...] = ("de",)  # visitor languages, in the order shown
    staff_languages: tuple[str, ...] = ("de", "en")
    default_staff_language: str = "de"
    email: str = ""  # the service point's mailbox for visitors (hotline.email when not set)
    accessibility: Accessibility = Accessibility()
    printer: Printer | None = None  # None: no printer configured
    status: StatusPage = StatusPage()  # [status]: the page on visitors' phones; off by default

    def __post_init__(self) -> None:
        freeze(self, "floor")


@dataclass(frozen=True)
class Topic:
    id: str
    letter: str  # one letter A-Z, unique
    schedule: str  # schedule id
    provider: str
    daily_limit: int | None = None
    last_ticket_minutes: int = 0  # stop issuing this many minutes before closing


@dataclass(frozen=True)
class Desk:
    id: str
    name: str  # shown on the public display
    topics: tuple[str, ...]  # default topics "call next" picks from


@dataclass(frozen=True)
class TopicText:
    label: str
    description: str


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    direction: str  # "ltr" or "rtl"
    visitor: Mapping[str, str]
    staff: Mapping[str, str]
    topics: Mapping[str, TopicText]
    weekdays: tuple[str, ...]  # Monday first, 7 short names
    weekdays_long: tuple[str, ...]  # Monday first, 7 full names
    # The language's name in staff languages ({"de": "Persisch/Farsi", "en": "Persian (Farsi)"}),
    # so staff tell Arabic from Farsi whatever script they read.
    names: Mapping[str, str] = field(default_factory=dict)
    plurals: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Visitor texts with plural forms: key -> CLDR category ("one", "few", ...) -> text.
    (`visitor[key]` holds the "other" text, for callers that pass no number.)"""

    def __post_init__(self) -> None:
        freeze(self, "visitor", "staff", "topics", "names", "plurals")

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@dataclass(frozen=True)
class Config:
    path: Path
    site: Site
    schedules: Mapping[str, Schedule]
    closures: tuple[Closure, ...]
    topics: tuple[Topic, ...]  # in the order shown
    desks: tuple[Desk, ...]
    languages: Mapping[str, Language]  # in site.languages order, then staff-only ones
    warnings: tuple[str, ...] = field(default=())
    public_holidays: PublicHolidays | None = None  # None: no public holidays from the library

    def __post_init__(self) -> None:
        freeze(self, "schedules", "languages")

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def desk(self, desk_id: str) -> Desk | None:
        return next((d for d in self.desks if d.id == desk_id), None)

    @property
    def visitor_languages(self) -> list[Language]:
        return [self.languages[c] for c in self.site.languages]


class ConfigError(Exception):
    """The config cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
