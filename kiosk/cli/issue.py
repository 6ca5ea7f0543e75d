"""`kiosk issue`: staff issue a ticket for a visitor who cannot use the kiosk."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys

from kiosk.cli import Context, UsageProblem
from kiosk.core.errors import KioskError
from kiosk.core.i18n import text, topic_label

HELP = "issue a ticket from the command line (for a visitor who cannot use the kiosk)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--topic",
        required=True,
        metavar="ID",
        help="topic id (e.g. kim) or the letter its tickets carry (e.g. A)",
    )
    parser.add_argument(
        "--lang", required=True, metavar="CODE", help="language code in any case, e.g. de or DE"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object on one line (number, topic, lang, people_ahead, ...)",
    )
    parser.add_argument(
        "--print",
        action="store_true",
        dest="paper",
        help="also print the ticket on the configured printer (site.toml [printer])",
    )


def _log_to_file(ctx: Context) -> None:
    """Log to data/logs only: an error must stay one line on standard error. If the log file
    cannot be opened (read-only folder), the storage error that follows says what is wrong
    (setup_logging then leaves a NullHandler, so nothing else reaches standard error)."""
    from kiosk.core.logs import setup_logging

    with contextlib.redirect_stderr(io.StringIO()):
        setup_logging(ctx.data_dir, "issue", to_stderr=False)


def _note(config, hours, ticket, lang, at) -> str | None:
    """The take-away note, or None if the qr module is not there (yet)."""
    try:
        from kiosk.core.qr import take_away_note
    except ImportError:
        return None
    return take_away_note(config, hours, ticket, lang, at)


def _print(ctx: Context, config, store, issued, lang: str) -> str | None:
    """Print the issued ticket; None when it went out, else the problem (also said on standard
    error and kept for the staff warning). The ticket stays issued either way."""
    from kiosk.core.paper_ticket import paper_ticket
    from kiosk.core.printer import PrinterError, PrinterState, print_ticket, write_state

    ticket = issued.ticket
    paper = paper_ticket(config, store.hours, issued, lang, ticket.issued_at)
    problem = None
    try:
        print_ticket(config.site.printer, paper)
    except PrinterError as error:
        problem = str(error)
        print(
            f"kiosk: warning: ticket {ticket.number} issued but not printed: {problem}",
            file=sys.stderr,
        )
    with contextlib.suppress(OSError):
        write_state(
            ctx.data_dir, PrinterState(problem is None, problem or "", ticket.issued_at.isoformat())
        )
    return problem


def topic_id_of(config, given: str) -> str:
    """The topic `given` names: its id, or the letter staff see on its tickets (any case).
    UsageProblem listing the valid ids and letters otherwise."""
    wanted = given.strip()
    for topic in config.topics:
        if wanted == topic.id or wanted.casefold() in (topic.id.casefold(), topic.letter.lower()):
            return topic.id
    valid = ", ".join(f"{topic.id} ({topic.letter})" for topic in config.topics)
    raise UsageProblem(f'--topic: unknown topic "{given}"; use one of: {valid}')


def lang_code_of(config, given: str) -> str:
    """The language code `given` names, in any case; UsageProblem listing the codes otherwise."""
    wanted = given.strip().casefold()
    for code in config.languages:
        if code.casefold() == wanted:
            return code
    raise UsageProblem(
        f'--lang: unknown language "{given}"; use one of: {", ".join(config.languages)}'
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    try:
        return _run(args, ctx)
    except BrokenPipeError:
        # `kiosk issue ... | head`: the ticket exists; say nothing more on a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace, ctx: Context) -> int:
    from kiosk.core.store import Store

    config = ctx.load_config()
    if args.paper and config.site.printer is None:
        # Said before issuing: a ticket nobody can hand over is not what staff asked for.
        raise UsageProblem("--print: no printer configured: add a [printer] section to site.toml")
    args.topic = topic_id_of(config, args.topic)
    args.lang = lang_code_of(config, args.lang)
    clock = ctx.clock(config)
    _log_to_file(ctx)
    try:
        store = Store(ctx.data_dir, config, clock)
        issued = store.issue(args.topic, args.lang)
    except KioskError as error:
        raise UsageProblem(str(error)) from None
    for warning in store.warnings:  # e.g. a damaged file moved aside, a network file system
        print(f"kiosk: warning: {warning}", file=sys.stderr)
    ticket = issued.ticket
    label = topic_label(config, args.lang, ticket.topic)
    print_problem = _print(ctx, config, store, issued, args.lang) if args.paper else None
    wait = issued.wait_range
    if args.json:
        record = {
            "number": ticket.number,
            "topic": ticket.topic,
            "topic_label": label,
            "lang": ticket.lang,
            "people_ahead": issued.people_ahead,
            "wait_minutes": issued.wait_minutes,
            # [low, high] minutes as told on the ticket; null: not known yet
            "wait_range": list(wait) if wait is not None else None,
            "day": ticket.day.isoformat(),
            "issued_at": ticket.issued_at.isoformat(),
        }
        if config.site.status.enabled and ticket.token:
            record["status_url"] = config.site.status.ticket_url(ticket.token)
        if args.paper:
            record.update(printed=print_problem is None, print_problem=print_problem)
        print(json.dumps(record, ensure_ascii=False))
        return 0
    lang = args.lang
    print(ticket.number)
    print(label)
    if issued.people_ahead:
        print(text(config, lang, "visitor", "people_ahead", n=issued.people_ahead))
    else:
        print(text(config, lang, "visitor", "nobody_ahead"))
    if issued.people_ahead:
        if wait is not None:
            print(text(config, lang, "visitor", "wait_range", low=wait[0], high=wait[1]))
        else:
            print(text(config, lang, "visitor", "wait_unknown"))
    if config.site.status.enabled and ticket.token:
        print(config.site.status.ticket_url(ticket.token))
    note = _note(config, store.hours, ticket, lang, ticket.issued_at)
    if note:
        print()
        print(note)
    return 0
