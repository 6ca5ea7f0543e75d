"""`kiosk check-config`: list every problem of the config at once, or summarise what it means today."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time, timedelta

from kiosk.cli import UsageProblem
from kiosk.core import public_holidays
from kiosk.core.config import Config, ConfigError, load_config
from kiosk.core.hours import Hours
from kiosk.core.i18n import topic_label

HELP = "check the config folder: every problem at once, or a summary of today's hours"

_INDEX_HINT = (
    "Numbers in [brackets] count from 1: topics[3] is the third [[topics]] block, "
    "slots[2] the second entry of that list."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on one line instead of text"
    )
    parser.add_argument(
        "--holidays",
        metavar="YEAR",
        type=int,
        help="also list that year's public holidays and closed days (e.g. 2028)",
    )


def _holiday_problem(config: Config, year: int) -> str | None:
    """One problem line when the holidays library does not know [public_holidays]' codes."""
    settings = config.public_holidays
    if settings is None:
        return None
    try:
        public_holidays.names(settings.country, settings.subdivision, year)
    except public_holidays.HolidayProblem as error:
        return f"schedules.toml: public_holidays.{error.key}: {error}"
    return None


# -- today's hours -------------------------------------------------------------------------------


def _why_closed(
    config: Config, hours: Hours, day: date, schedule_id: str, topic_id: str | None
) -> str:
    """The reason a day that would have hours has none: the public holiday's name, the closure's
    reason or the special day's note."""
    special = next((s for s in config.schedules[schedule_id].special_days if s.day == day), None)
    holiday = hours.holiday(day)
    if holiday and special is None:
        return holiday
    for closure in config.closures:
        if closure.covers(day) and (
            (not closure.topics and not closure.schedules)
            or schedule_id in closure.schedules
            or (topic_id is not None and topic_id in closure.topics)
        ):
            return closure.reason or "closed"
    return (special.note if special is not None else "") or "special day without hours"


def _hm(moment: datetime | time) -> str:
    return f"{moment:%H:%M}"


def _minute(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment is not None else None


def _today(config: Config, now: datetime) -> dict:
    """What issues today and when, what issues right now and next, per topic and for the hotline."""
    hours = Hours(config)
    day = now.date()
    topics = []
    for topic in config.topics:
        found = hours.intervals(topic.schedule, day, topic.id)
        margin = timedelta(minutes=topic.last_ticket_minutes)
        status = hours.topic_status(topic.id, now)
        slots = [
            {"from": _hm(start), "to": _hm(end), "issue_until": _hm(max(start, end - margin))}
            for start, end in found
        ]
        closed = status.reason == "closure" and not found
        topics.append(
            {
                "id": topic.id,
                "letter": topic.letter,
                "slots": slots,
                "closed_because": _why_closed(config, hours, day, topic.schedule, topic.id)
                if closed
                else None,
                # by the schedule only: a daily limit or a pause by staff are not known here
                "issuing_now": status.issuing,
                "state": status.reason,
                "issue_until": _minute(status.issue_until),
                "next_issue": _minute(status.next_issue_at),
            }
        )
    hotline = config.site.hotline
    found = hours.intervals(hotline.schedule, day)
    open_now = hours.hotline_open(now)
    closed = not found and bool(hours.planned_slots(hotline.schedule, day))
    return {
        "date": day.isoformat(),
        "now": now.isoformat(timespec="minutes"),
        "topics": topics,
        "hotline": {
            "number": hotline.number,
            "slots": [{"from": _hm(s), "to": _hm(e)} for s, e in found],
            "closed_because": _why_closed(config, hours, day, hotline.schedule, None)
            if closed
            else None,
            "open_now": open_now,
            "next_open": None if open_now else _minute(hours.hotline_next(now)),
        },
    }


# -- output ----------------------------------------------------------------------------------------


def _holidays_between(config: Config, first: date, last: date) -> list[dict]:
    """Public holidays from `first` to `last`, with the schedules a special day opens anyway."""
    if config.public_holidays is None:
        return []
    settings = config.public_holidays
    found = []
    for year in range(first.year, last.year + 1):
        for day, name in public_holidays.names(
            settings.country, settings.subdivision, year
        ).items():
            if not first <= day <= last:
                continue
            opened = [
                s.id for s in config.schedules.values() if any(x.day == day for x in s.special_days)
            ]
            what = "closed: public holiday"
            if opened:
                what += f" (special day: {', '.join(opened)})"
            found.append(
                {"from": day.isoformat(), "to": day.isoformat(), "what": what, "reason": name}
            )
    return found


def _coming(config: Config, day: date, days: int = 60) -> list[dict]:
    """Public holidays, closures and special days from today to `days` ahead, in date order."""
    last = day + timedelta(days=days)
    found = _holidays_between(config, day, last)
    for c in config.closures:
        if c.last >= day and c.first <= last:
            scope = (
                ", ".join([*c.topics, *c.schedules]) if c.topics or c.schedules else "everything"
            )
            found.append(
                {
                    "from": c.first.isoformat(),
                    "to": c.last.isoformat(),
                    "what": f"closed: {scope}",
                    "reason": c.reason,
                }
            )
    for schedule in config.schedules.values():
        for special in schedule.special_days:
            if day <= special.day <= last:
                hours = ", ".join(f"{_hm(s.start)}-{_hm(s.end)}" for s in special.slots)
                found.append(
                    {
                        "from": special.day.isoformat(),
                        "to": special.day.isoformat(),
                        "what": f"{schedule.id}: {hours or 'closed'}",
                        "reason": special.note,
                    }
                )
        for period in schedule.periods:
            if day < period.valid_from <= last:
                found.append(
                    {
                        "from": period.valid_from.isoformat(),
                        "to": None,
                        "what": f"{schedule.id}: new weekly hours",
                        "reason": "",
                    }
                )
    return sorted(found, key=lambda f: (f["from"], f["what"]))


def _year(config: Config, year: int) -> list[dict]:
    """A whole year's public holidays, closures and special days (`--holidays YEAR`)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return _coming(config, first, (last - first).days)


def _printer(printer) -> dict | None:
    """The [printer] section as check-config reports it (None: no printer)."""
    if printer is None:
        return None
    return {
        "kind": printer.kind,
        "address": printer.path if printer.kind == "file" else printer.address,
        "paper_width": printer.paper_width,
        "dots": printer.dots,
        "mode": printer.mode,
    }


def _summary(config: Config, now: datetime, holidays_year: int | None = None) -> dict:
    staff = config.site.default_staff_language
    site = config.site
    return {
        "ok": True,
        "config": str(config.path),
        "site": {
            "name": site.name,
            "address": site.address,
            "timezone": str(site.timezone),
            "email": site.email,
            "hotline": site.hotline.number,
            "urgent": [u.number for u in site.urgent],
            "printer": _printer(site.printer),
        },
        "languages": list(site.languages),
        "staff_languages": list(site.staff_languages),
        "topics": [
            {
                "id": t.id,
                "letter": t.letter,
                "label": topic_label(config, staff, t.id),
                "schedule": t.schedule,
                "provider": t.provider,
                "last_ticket_minutes": t.last_ticket_minutes,
                "daily_limit": t.daily_limit,
            }
            for t in config.topics
        ],
        "desks": [{"id": d.id, "name": d.name, "topics": list(d.topics)} for d in config.desks],
        "today": _today(config, now),
        "public_holidays": (
            {
                "country": config.public_holidays.country,
                "subdivision": config.public_holidays.subdivision,
                "library": "holidays " + public_holidays.library_version(),
            }
            if config.public_holidays is not None
            else None
        ),
        "coming": _coming(config, now.date()),
        **(
            {"holidays_year": holidays_year, "year": _year(config, holidays_year)}
            if holidays_year is not None
            else {}
        ),
        "warnings": list(config.warnings),
    }


def _print_days(out, days: list[dict]) -> None:
    for c in days:
        span = c["from"] if c["to"] in (None, c["from"]) else f"{c['from']} to {c['to']}"
        reason = f" ({c['reason']})" if c["reason"] else ""
        out(f"  {span}: {c['what']}{reason}\n")


def _print_text(config: Config, data: dict) -> None:
    out = sys.stdout.write
    site = data["site"]
    out(f"Config in {data['config']} is usable.\n\n")
    out(f"Site:       {site['name']}, {site['address']} ({site['timezone']})\n")
    out(f"Hotline:    {site['hotline']}   e-mail: {site['email'] or '-'}\n")
    out(f"Urgent:     {', '.join(site['urgent']) or '-'}\n")
    printer = site["printer"]
    if printer is None:
        out("Printer:    none (no [printer] in site.toml)\n")
    else:
        prints = "every ticket" if printer["mode"] == "every" else "on the Print button"
        out(
            f"Printer:    {printer['kind']} {printer['address']}, {printer['paper_width']} mm "
            f"({printer['dots']} dots), prints {prints} (experimental)\n"
        )
    native = [f"{c} ({config.languages[c].native_name})" for c in data["languages"]]
    out(f"Languages:  {', '.join(native)}\n")
    out(f"Staff:      {', '.join(data['staff_languages'])}\n")
    holidays = data["public_holidays"]
    if holidays is None:
        out("Holidays:   none from the library (no [public_holidays] in schedules.toml)\n\n")
    else:
        where = "-".join(p for p in (holidays["country"], holidays["subdivision"]) if p)
        out(
            f"Holidays:   public holidays of {where} ({holidays['library']}), closed unless "
            "a special day opens them\n\n"
        )
    out("Topics:\n")
    for i, t in enumerate(data["topics"], 1):
        limit = f", at most {t['daily_limit']} a day" if t["daily_limit"] else ""
        margin = (
            f", last number {t['last_ticket_minutes']} min before closing"
            if t["last_ticket_minutes"]
            else ""
        )
        out(f"  {i}. {t['letter']}  {t['id']:<14} {t['label']}\n")
        out(f"        schedule {t['schedule']}; {t['provider'] or 'no provider'}{margin}{limit}\n")
    out("\nDesks:\n")
    for d in data["desks"]:
        out(f'  {d["id"]:<10} "{d["name"]}": {", ".join(d["topics"])}\n')
    today = data["today"]
    day = date.fromisoformat(today["date"])
    now = datetime.fromisoformat(today["now"])
    out(f"\nToday, {day:%A} {day.isoformat()} (now {now:%H:%M}):\n")

    def when(text: str | None) -> str:
        if text is None:
            return "not within the next 400 days"
        moment = datetime.fromisoformat(text)
        return f"{moment:%H:%M}" if moment.date() == day else f"{moment:%a %Y-%m-%d %H:%M}"

    for t in today["topics"]:
        if t["slots"]:
            hours = ", ".join(
                f"{s['from']}-{s['to']} (numbers until {s['issue_until']})" for s in t["slots"]
            )
        elif t["closed_because"]:
            hours = f"closed today ({t['closed_because']})"
        else:
            hours = "no hours today"
        if t["issuing_now"]:
            now_text = f"issuing now, until {when(t['issue_until'])}"
        elif t["state"] == "margin":
            now_text = (
                f"no more numbers since {when(t['issue_until'])}; next {when(t['next_issue'])}"
            )
        else:
            now_text = f"next numbers {when(t['next_issue'])}"
        out(f"  {t['letter']} {t['id']:<14} {hours}; {now_text}\n")
    hot = today["hotline"]
    if hot["slots"]:
        slots = ", ".join(f"{s['from']}-{s['to']}" for s in hot["slots"])
    elif hot["closed_because"]:
        slots = f"closed today ({hot['closed_because']})"
    else:
        slots = "not staffed today"
    now_word = "reachable now" if hot["open_now"] else f"next reachable {when(hot['next_open'])}"
    out(f"  Hotline {hot['number']}: {slots}; {now_word}\n")
    out("  (by the opening hours; daily limits and pauses by staff are not counted here)\n")
    if data["coming"]:
        out("\nComing up (next 60 days):\n")
        _print_days(out, data["coming"])
    if "year" in data:
        out(f"\nPublic holidays, closed and special days in {data['holidays_year']}:\n")
        _print_days(out, data["year"])
    warnings = data["warnings"]
    if warnings:
        out(f"\nWarnings ({len(warnings)}; the config works, but check these):\n")
        for line in warnings:
            out(f"  {line}\n")
        if any("[" in line.partition(": ")[2].partition(":")[0] for line in warnings):
            out(f"{_INDEX_HINT}\n")
    else:
        out("\nNo warnings.\n")


def _failure(ctx, problems: list[str]) -> dict:
    """The --json object of a config that cannot be used: every problem, and the "error" line
    and "exit" code every --json failure of kiosk carries."""
    return {
        "ok": False,
        "config": str(ctx.config_dir),
        "problems": problems,
        "error": f"the config in {ctx.config_dir} has problems: " + "; ".join(problems),
        "exit": 2,
    }


def run(args: argparse.Namespace, ctx) -> int:
    as_json = bool(getattr(args, "json", False))
    holidays_year = getattr(args, "holidays", None)
    if holidays_year is not None and not 1900 <= holidays_year <= 2200:
        raise UsageProblem(f"--holidays: {holidays_year} is not a year between 1900 and 2200")
    try:
        config = load_config(ctx.config_dir)
        now = ctx.clock(config).now()
        problem = _holiday_problem(config, now.year)
        if problem is not None:
            raise ConfigError([problem])
    except ConfigError as error:
        problems = error.problems
        if as_json:
            print(json.dumps(_failure(ctx, problems), ensure_ascii=False))
            return 2
        if not ctx.config_dir.is_dir():
            print(f"kiosk: {problems[0]}", file=sys.stderr)
            return 2
        count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
        print(f"The config in {ctx.config_dir} cannot be used: {count}.", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        if any("[" in line.partition(": ")[2].partition(":")[0] for line in problems):
            print(_INDEX_HINT, file=sys.stderr)
        print("Running kiosks keep their last good config until these are fixed.", file=sys.stderr)
        return 2
    except UsageProblem as error:
        if as_json:
            print(json.dumps(_failure(ctx, [str(error)]), ensure_ascii=False))
            return 2
        raise
    data = _summary(config, now, holidays_year)
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        _print_text(config, data)
    return 0
