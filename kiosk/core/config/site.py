"""site.toml: the service point, its hotline, urgent contacts, timeouts, display, printer
and the status page."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kiosk.core.config.accessibility import read_accessibility
from kiosk.core.config.checker import LANG_RE, Report, Table, show
from kiosk.core.config.models import DisplaySettings, Hotline, Site, Timeouts, UrgentContact
from kiosk.core.config.printer import read_printer
from kiosk.core.config.status import read_status
from kiosk.core.pin import is_default_hash, parse_hash

MAX_VISITOR_LANGUAGES = 9


@dataclass
class SiteDraft:
    site: Site | None
    languages: tuple[str, ...] | None
    staff_languages: tuple[str, ...] | None
    hotline_schedule: str | None
    floor: dict[str, str]
    urgent: list[tuple[str, dict[str, str]]]  # (path, labels)


def read_labels(table: Table | None, key_path: str) -> dict[str, str] | None:
    """A per-language table like floor.de = "..."; keys are language codes."""
    if table is None:
        return None
    result: dict[str, str] = {}
    for code in list(table.data):
        if not LANG_RE.fullmatch(str(code)):
            table.used.add(code)
            table.error(str(code), f'"{code}" is not a language code like de or en')
            continue
        value = table.text(code)
        if value is not None:
            result[code] = value
    return result


def read_site(data: dict, report: Report) -> SiteDraft:
    root = Table(report, "site.toml", "", data)
    s = root.sub("site", required=True)
    hot = root.sub("hotline", required=True)
    tout = root.sub("timeouts", required=False)
    disp = root.sub("display", required=False)
    access = root.sub("accessibility", required=False)
    printer_table = root.sub("printer", required=False)
    status_table = root.sub("status", required=False)
    urgent_tables = root.tables("urgent", required=False) or []
    root.done()

    draft = SiteDraft(None, None, None, None, {}, [])
    if s is None:
        return draft
    name = s.text("name")
    address = s.text("address")
    floor_table = s.sub("floor", required=False)
    floor = read_labels(floor_table, "floor") or {}
    draft.floor = floor
    tz_name = s.text("timezone")
    zone: ZoneInfo | None = None
    if tz_name is not None:
        try:
            zone = ZoneInfo(tz_name)
        except Exception:  # ZoneInfoNotFoundError, ValueError, IsADirectoryError...
            s.error("timezone", f'"{tz_name}" is not a known time zone (e.g. "Europe/Berlin")')
    email = s.email("email")
    retention = s.integer("retention_days", default=400, minimum=1, unit="days")
    pin_hash = s.text("pin_hash", required=False, allow_empty=True)
    rtl_mode = s.choice("rtl_mode", ("reorder", "terminal"), default="reorder")
    languages = s.id_list("languages", required=True, what="language", pattern=LANG_RE)
    if languages is not None and not languages:
        s.error("languages", 'is empty: list at least one visitor language, e.g. ["de"]')
        languages = None
    if languages is not None and len(languages) > MAX_VISITOR_LANGUAGES:
        s.error(
            "languages",
            f"{len(languages)} languages, at most {MAX_VISITOR_LANGUAGES} "
            "(visitors pick one with the digits 1-9)",
        )
        languages = None
    staff_languages = s.id_list("staff_languages", required=False, what="language", pattern=LANG_RE)
    if "staff_languages" not in s.data:
        staff_languages = ("de", "en")
    elif staff_languages is not None and not staff_languages:
        s.error("staff_languages", 'is empty: list at least one, e.g. ["de"]')
        staff_languages = None
    default_staff = s.text(
        "default_staff_language", required=False, default=(staff_languages or ("de",))[0]
    )
    if (
        default_staff is not None
        and staff_languages is not None
        and default_staff not in staff_languages
    ):
        s.error(
            "default_staff_language",
            f'"{default_staff}" is not one of staff_languages {show(list(staff_languages))}',
        )
    if pin_hash:
        if is_default_hash(pin_hash):
            s.warn(
                "pin_hash",
                "is the shipped default PIN: anyone who read the manual can leave the kiosk; "
                "set your own with `kiosk set-pin`",
            )
        elif parse_hash(pin_hash) is None:
            s.error("pin_hash", "is not a PIN hash made by `kiosk set-pin`; run kiosk set-pin")
    elif pin_hash is not None:
        s.warn(
            "pin_hash",
            "no admin PIN is set: the kiosk cannot be left with the PIN; run `kiosk set-pin`",
        )
    s.done()

    hotline: Hotline | None = None
    if hot is not None:
        number = hot.phone("number")
        schedule = hot.ident("schedule", "schedule")
        hot_email = hot.email("email")
        hot.done()
        draft.hotline_schedule = schedule
        if number is not None and schedule is not None and hot_email is not None:
            hotline = Hotline(number, schedule, hot_email or (email or ""))

    timeouts: Timeouts | None = Timeouts()
    if tout is not None:
        idle = tout.integer(
            "idle_seconds", default=Timeouts.idle_seconds, minimum=5, unit="seconds"
        )
        ticket = tout.integer(
            "ticket_seconds", default=Timeouts.ticket_seconds, minimum=5, unit="seconds"
        )
        lock = tout.integer(
            "ticket_lock_seconds", default=Timeouts.ticket_lock_seconds, minimum=0, unit="seconds"
        )
        tout.done()
        timeouts = (
            Timeouts(idle, ticket, lock)
            if idle is not None and ticket is not None and lock is not None
            else None
        )

    display: DisplaySettings | None = DisplaySettings()
    if disp is not None:
        prev = disp.integer("previous_calls", default=DisplaySettings.previous_calls, minimum=0)
        high = disp.integer(
            "highlight_seconds",
            default=DisplaySettings.highlight_seconds,
            minimum=0,
            unit="seconds",
        )
        bell = disp.boolean("bell", default=DisplaySettings.bell)
        disp.done()
        display = (
            DisplaySettings(prev, high, bell)
            if prev is not None and high is not None and bell is not None
            else None
        )

    accessibility = read_accessibility(access)
    printer_ok, printer = read_printer(printer_table) if printer_table else (True, None)
    status = read_status(status_table)

    urgent: list[UrgentContact] = []
    urgent_ok = True
    for table in urgent_tables:
        number = table.phone("number")
        labels = read_labels(table.sub("label", required=True), "label")
        table.done()
        if number is None or labels is None:
            urgent_ok = False
            continue
        if not labels:
            table.error("label", "is empty: give at least label.de and label.en")
            urgent_ok = False
            continue
        urgent.append(UrgentContact(number, labels))
        draft.urgent.append((table.path, labels))

    draft.languages = languages
    draft.staff_languages = staff_languages
    values = (name, address, zone, email, retention, pin_hash, rtl_mode, languages)
    parts = (staff_languages, default_staff, hotline, timeouts, display, accessibility, status)
    if all(v is not None for v in (*values, *parts)) and urgent_ok and printer_ok:
        draft.site = Site(
            name=name,  # type: ignore[arg-type]
            address=address,  # type: ignore[arg-type]
            floor=floor,
            timezone=zone,  # type: ignore[arg-type]
            hotline=hotline,  # type: ignore[arg-type]
            urgent=tuple(urgent),
            timeouts=timeouts,  # type: ignore[arg-type]
            display=display,  # type: ignore[arg-type]
            retention_days=retention,  # type: ignore[arg-type]
            pin_hash=(pin_hash or "").strip(),
            rtl_mode=rtl_mode,  # type: ignore[arg-type]
            languages=languages,  # type: ignore[arg-type]
            staff_languages=staff_languages,  # type: ignore[arg-type]
            default_staff_language=default_staff,  # type: ignore[arg-type]
            email=email or (hotline.email if hotline else ""),
            accessibility=accessibility,  # type: ignore[arg-type]
            printer=printer,
            status=status,  # type: ignore[arg-type]
        )
    return draft
