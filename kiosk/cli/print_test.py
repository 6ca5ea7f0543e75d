"""`kiosk print-test`: print a sample ticket in a chosen language and say how the printer is."""

from __future__ import annotations

import argparse
import contextlib
import json

from kiosk.cli import Context, UsageProblem

HELP = "print a sample ticket on the configured printer and report the printer's status"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", metavar="CODE", default=None, help="language of the sample (default: the first)"
    )
    parser.add_argument(
        "--topic", metavar="ID", default=None, help="topic of the sample (default: the first)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on one line (status, printed)"
    )


def sample_issued(config, topic_id: str, lang: str, at):
    """A ticket that is only printed, never stored: number 000 says it is a test."""
    from kiosk.core.store import Issued
    from kiosk.core.tickets import State, Ticket

    topic = config.topic(topic_id)
    ticket = Ticket(
        day=at.date(),
        letter=topic.letter,
        seq=0,
        topic=topic.id,
        topic_label=topic_id,
        lang=lang,
        state=State.WAITING,
        issued_at=at,
    )
    return Issued(ticket, people_ahead=0, wait_minutes=None)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kiosk.core.hours import Hours
    from kiosk.core.paper_ticket import paper_ticket
    from kiosk.core.printer import (
        PrinterError,
        PrinterState,
        print_ticket,
        printer_status,
        write_state,
    )

    config = ctx.load_config()
    printer = config.site.printer
    if printer is None:
        raise UsageProblem("no printer configured: add a [printer] section to site.toml")
    lang = args.lang or config.site.languages[0]
    if lang not in config.site.languages:
        raise UsageProblem(
            f'--lang: "{lang}" is not a visitor language ({", ".join(config.site.languages)})'
        )
    topic_id = args.topic or config.topics[0].id
    if config.topic(topic_id) is None:
        known = ", ".join(t.id for t in config.topics)
        raise UsageProblem(f'--topic: "{topic_id}" is not a topic ({known})')
    at = ctx.clock(config).now()
    status = printer_status(printer)
    paper = paper_ticket(config, Hours(config), sample_issued(config, topic_id, lang, at), lang, at)
    problem = None
    try:
        print_ticket(printer, paper)
    except PrinterError as error:
        problem = str(error)
    if ctx.data_dir.is_dir():  # the staff warning follows the last print, a test print too
        with contextlib.suppress(OSError):
            write_state(ctx.data_dir, PrinterState(problem is None, problem or "", at.isoformat()))
    where = printer.path if printer.kind == "file" else printer.address
    if args.json:
        # One object either way; a failed print also carries "error" and "exit" like every
        # --json failure (kiosk.cli), and the exit code is 2.
        result = {
            "printer": f"{printer.kind} {where}",
            "status": status,
            "printed": problem is None,
            "problem": problem,
            "lang": lang,
        }
        if problem is not None:
            result.update(error=f"not printed: {problem}", exit=2)
        print(json.dumps(result, ensure_ascii=False))
        return 0 if problem is None else 2
    else:
        print(f"printer: {printer.kind} {where}, {printer.paper_width} mm ({printer.dots} dots)")
        print(f"status: {status}")
        print(f"sample ({lang}): {'sent to the printer' if problem is None else 'NOT printed'}")
    if problem is not None:
        raise UsageProblem(f"not printed: {problem}")
    return 0
