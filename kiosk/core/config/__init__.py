"""Config: load and validate config/ into one frozen, typed object; errors name file, key, value.

The model (models.py) is the contract every other module codes against. The loader (`load_config`)
reports every problem at once as `ConfigError.problems`, one line each:
`topics.toml: topics[3].letter: "AB" is not one letter A-Z`.

One module per file read: site.py, schedules.py, topics.py, desks.py, languages.py (lang/*.toml,
against the keys in strings.py). They read through checker.py (typed getters that report instead
of raising); toml_file.py decodes a file and explains broken TOML syntax. This module checks the
references between files and builds the Config. cache.py keeps a checked config for the next
start of the kiosk.

The readers are imported when a config is read, not with this package: a start served from
the cache needs only the model (tomllib, the readers and their patterns cost about 8 ms).
"""

from pathlib import Path

from kiosk.core.config.models import (
    Accessibility,
    Closure,
    Config,
    ConfigError,
    Desk,
    DisplaySettings,
    Hotline,
    Language,
    Printer,
    PublicHolidays,
    Schedule,
    Site,
    Slot,
    SpecialDay,
    Timeouts,
    Topic,
    TopicText,
    UrgentContact,
    WeeklyPeriod,
)
from kiosk.core.config.strings import STAFF_KEYS, VISITOR_KEYS

__all__ = [
    "Accessibility",
    "CONFIG_FILES",
    "Closure",
    "Config",
    "ConfigError",
    "DEFAULT_PIN_HASH_MARK",
    "Desk",
    "DisplaySettings",
    "Hotline",
    "Language",
    "MAX_TOPICS",
    "MAX_VISITOR_LANGUAGES",
    "Printer",
    "PublicHolidays",
    "STAFF_KEYS",
    "Schedule",
    "Site",
    "Slot",
    "SpecialDay",
    "Timeouts",
    "Topic",
    "TopicText",
    "UrgentContact",
    "VISITOR_KEYS",
    "WEEKDAY_NAMES",
    "WeeklyPeriod",
    "load_config",
]

CONFIG_FILES = ("site.toml", "schedules.toml", "topics.toml", "desks.toml")


def __getattr__(name: str) -> object:
    """The names this package offers from its readers, imported on first use (see above)."""
    if name == "DEFAULT_PIN_HASH_MARK":
        from kiosk.core.pin import DEFAULT_PIN_HASH_MARK

        return DEFAULT_PIN_HASH_MARK
    if name == "MAX_TOPICS":
        from kiosk.core.config.topics import MAX_TOPICS

        return MAX_TOPICS
    if name == "MAX_VISITOR_LANGUAGES":
        from kiosk.core.config.site import MAX_VISITOR_LANGUAGES

        return MAX_VISITOR_LANGUAGES
    if name == "WEEKDAY_NAMES":
        from kiosk.core.config.schedules import WEEKDAY_NAMES

        return WEEKDAY_NAMES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_config(path: Path | str) -> Config:
    """Read and check the config folder; raises ConfigError listing every problem at once."""
    folder = Path(path)
    try:
        return _load(folder)
    except ConfigError:
        raise
    except Exception as error:  # a safety net: bad input must never crash a kiosk
        raise ConfigError(
            [
                f"{folder}: the config could not be checked ({type(error).__name__}: {error}); "
                "this is a bug in kiosk, please report it with the config files"
            ]
        ) from error


def _load(folder: Path) -> Config:
    from kiosk.core.config.checker import Report
    from kiosk.core.config.desks import read_desks
    from kiosk.core.config.languages import read_language
    from kiosk.core.config.schedules import read_schedules
    from kiosk.core.config.site import read_site
    from kiosk.core.config.toml_file import read_toml
    from kiosk.core.config.topics import read_topics

    if not folder.exists():
        raise ConfigError(
            [f"{folder}: no such config folder (give the folder with --config DIR or KIOSK_CONFIG)"]
        )
    if not folder.is_dir():
        raise ConfigError([f"{folder}: is a file, not a config folder"])
    report = Report()
    raw = {name: read_toml(folder, name, report) for name in CONFIG_FILES}

    site = read_site(raw["site.toml"], report) if raw["site.toml"] is not None else None
    scheds = (
        read_schedules(raw["schedules.toml"], report) if raw["schedules.toml"] is not None else None
    )
    topics = read_topics(raw["topics.toml"], report) if raw["topics.toml"] is not None else None
    desks = read_desks(raw["desks.toml"], report) if raw["desks.toml"] is not None else None

    schedule_ids = scheds.ids if scheds is not None else None
    topic_ids = topics.ids if topics is not None else None

    # -- references between files --
    def known(kind: str, ids: set[str] | None, value: str, file: str, where: str) -> None:
        if ids is not None and value not in ids:
            source = {"schedule": "schedules.toml", "topic": "topics.toml"}[kind]
            listed = ", ".join(sorted(ids)) or "none"
            report.error(file, where, f'"{value}" is not a {kind} in {source} (there: {listed})')

    if site is not None and site.hotline_schedule is not None:
        known("schedule", schedule_ids, site.hotline_schedule, "site.toml", "hotline.schedule")
    if topics is not None:
        for table, _tid, schedule in topics.rows:
            if schedule is not None:
                known("schedule", schedule_ids, schedule, "topics.toml", table.at("schedule"))
    if desks is not None:
        for table, desk_topics in desks.rows:
            for i, tid in enumerate(desk_topics or ()):
                known("topic", topic_ids, tid, "desks.toml", table.at(f"topics[{i + 1}]"))
    if scheds is not None:
        for table, _closure, closure_topics, closure_scheds in scheds.closures:
            for i, tid in enumerate(closure_topics or ()):
                known("topic", topic_ids, tid, "schedules.toml", table.at(f"topics[{i + 1}]"))
            for i, sid in enumerate(closure_scheds or ()):
                known(
                    "schedule", schedule_ids, sid, "schedules.toml", table.at(f"schedules[{i + 1}]")
                )

    # -- languages --
    languages: dict[str, Language] = {}
    languages_ok = True
    if site is not None and (site.languages is not None or site.staff_languages is not None):
        visitor_codes = site.languages or ()
        staff_codes = site.staff_languages or ()
        for code in dict.fromkeys((*visitor_codes, *staff_codes)):
            if not (folder / "lang" / f"{code}.toml").exists():
                key = "languages" if code in visitor_codes else "staff_languages"
                report.error("site.toml", f"site.{key}", f'"{code}" has no file lang/{code}.toml')
                languages_ok = False
                continue
            language = read_language(
                folder,
                code,
                report,
                visitor=code in visitor_codes,
                staff=code in staff_codes,
                topic_ids=topic_ids,
            )
            if language is None:
                languages_ok = False
            else:
                languages[code] = language
        for code in visitor_codes:
            if site.floor and code not in site.floor:
                report.warn(
                    "site.toml",
                    "site.floor",
                    f"no {code} text (visitors see the English or German one)",
                )
            for path, labels in site.urgent:
                if code not in labels:
                    report.warn(
                        "site.toml",
                        f"{path}.label",
                        f"no {code} text (visitors see the English or German one)",
                    )

    # -- dubious but usable --
    if (
        topics is not None
        and topics.topics is not None
        and desks is not None
        and desks.desks is not None
    ):
        served = {t for d in desks.desks for t in d.topics}
        for table, tid, _ in topics.rows:
            if tid is not None and tid not in served:
                report.warn(
                    "topics.toml",
                    table.path,
                    f'topic "{tid}" is in no desk\'s topics: "call next" never picks it by default',
                )
    if scheds is not None and scheds.schedules is not None:
        used = {t.schedule for t in (topics.topics or [])} if topics is not None else set()
        if site is not None and site.hotline_schedule:
            used.add(site.hotline_schedule)
        for sid in scheds.schedules:
            if topics is not None and topics.topics is not None and sid not in used:
                report.warn(
                    "schedules.toml",
                    f'schedules "{sid}"',
                    "no topic and not the hotline uses this schedule",
                )
        if topics is not None:
            for table, tid, sid in topics.rows:
                topic = next((t for t in (topics.topics or []) if t.id == tid), None)
                schedule = scheds.schedules.get(sid or "")
                if topic is None or schedule is None or not topic.last_ticket_minutes:
                    continue
                longest = max(
                    (
                        (s.end.hour * 60 + s.end.minute) - (s.start.hour * 60 + s.start.minute)
                        for p in schedule.periods
                        for slots in p.week.values()
                        for s in slots
                    ),
                    default=0,
                )
                if longest and topic.last_ticket_minutes >= longest:
                    report.warn(
                        "topics.toml",
                        table.at("last_ticket_minutes"),
                        f"{topic.last_ticket_minutes} minutes is as long as the longest opening: this topic never issues tickets",
                    )

    if report.errors:
        raise ConfigError(report.errors)
    assert site is not None and site.site is not None
    assert scheds is not None and scheds.schedules is not None
    assert topics is not None and topics.topics is not None
    assert desks is not None and desks.desks is not None and languages_ok
    ordered = {c: languages[c] for c in site.site.languages}
    ordered.update({c: languages[c] for c in site.site.staff_languages if c not in ordered})
    return Config(
        path=folder,
        site=site.site,
        schedules=scheds.schedules,
        closures=tuple(c for _, c, _, _ in scheds.closures if c is not None),
        topics=tuple(topics.topics),
        desks=tuple(desks.desks),
        languages=ordered,
        warnings=tuple(report.warnings),
        public_holidays=scheds.public_holidays,
    )
