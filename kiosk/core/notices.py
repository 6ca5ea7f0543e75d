"""Staff notices: what the store knows that staff must act on, as one sentence each in the
staff language (the staff app shows them on its status line).

- "salvaged": today's file was damaged and salvaged (see salvage.py): how many numbers came
  back, which are missing (ask in the waiting room), which tickets to check;
- "clock": this computer's clock is behind the newest stored ticket, so no numbers are issued
  until it is set right.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.core.config import Config
from kiosk.core.i18n import text
from kiosk.core.salvage import NAMES_SHOWN
from kiosk.core.store import clock_behind


def _numbers(numbers: list[str]) -> str:
    shown = ", ".join(numbers[:NAMES_SHOWN])
    return shown if len(numbers) <= NAMES_SHOWN else f"{shown} (+{len(numbers) - NAMES_SHOWN})"


def _moment(moment: datetime, other: datetime) -> str:
    """`13:00`, or `30.11. 13:00` when the other moment is on another day."""
    other = other.astimezone(moment.tzinfo)
    return f"{moment:%H:%M}" if moment.date() == other.date() else f"{moment:%d.%m.%Y %H:%M}"


def salvage_notice(config: Config, lang: str, report: Mapping[str, Any]) -> str:
    """One sentence for staff about a salvaged day file (a report of Salvage.report)."""
    missing = [str(n) for n in report.get("missing") or ()]
    check = [str(n) for n in report.get("check") or {}]
    counts = {"recovered": report.get("recovered", 0), "issued": report.get("issued", 0)}
    issued = {"issued": counts["issued"]}
    if not missing:
        line = text(config, lang, "staff", "salvaged_all", **issued)
    elif len(missing) == 1:
        line = text(config, lang, "staff", "salvaged_one_missing", number=missing[0], **counts)
    else:
        line = text(config, lang, "staff", "salvaged_missing", numbers=_numbers(missing), **counts)
    if check:
        line += " " + text(config, lang, "staff", "salvaged_check", numbers=_numbers(check))
    return line


def staff_notices(config: Config, lang: str, snapshot: Any, now: datetime) -> dict[str, str | None]:
    """key -> sentence for each notice (None: nothing to say, clear it)."""
    salvaged = getattr(snapshot, "salvaged", ())
    newest = getattr(snapshot, "newest_stored", None)
    clock = None
    if clock_behind(newest, now):
        clock = text(
            config,
            lang,
            "staff",
            "clock_behind",
            now=_moment(now, newest),
            stored=_moment(newest, now),
        )
    return {  # the clock first: until it is set right nobody gets a number
        "clock": clock,
        "salvaged": salvage_notice(config, lang, salvaged[-1]) if salvaged else None,
    }
