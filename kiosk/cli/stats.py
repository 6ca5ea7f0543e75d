"""`kiosk stats`: monthly figures for the report (issued, served, no-show, waits) as a table or CSV."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.cli import UsageProblem
from kiosk.core import stats
from kiosk.core.errors import KioskError

HELP = "figures per topic, day, provider, language or hour for a month or a range (table, CSV)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="a calendar month; default: the previous full month on days 1-"
        f"{stats.FIRST_DAYS} of a month, else the current month so far",
    )
    parser.add_argument(
        "--from", dest="date_from", metavar="DATE", help="first day, e.g. 2026-11-01"
    )
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="last day (default: today)")
    parser.add_argument(
        "--by",
        choices=stats.DIMENSIONS,
        default=stats.DIMENSIONS[0],
        help="one row per topic (default), day, provider, language or hour of issue",
    )
    parser.add_argument(
        "--csv",
        metavar="FILE",
        help="also write the figures as CSV (UTF-8 with BOM, semicolon-separated: opens in Excel)",
    )
    parser.add_argument(
        "--delimiter",
        choices=list(stats.CSV_DELIMITERS),
        default="semicolon",
        help="CSV delimiter (default semicolon, what German-locale Excel expects)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on one line instead of the table"
    )


def run(args: argparse.Namespace, ctx) -> int:
    config = ctx.load_config()
    clock = ctx.clock(config)
    try:
        period = stats.parse_period(clock.today(), args.month, args.date_from, args.date_to)
    except stats.StatsRangeError as error:
        raise UsageProblem(str(error)) from None

    from kiosk.core.store import Store

    data_dir = Path(ctx.data_dir)
    if not data_dir.is_dir():
        raise UsageProblem(f"no data folder {data_dir} (give --data DIR or KIOSK_DATA)")
    try:
        store = Store(data_dir, config, clock)
        report = stats.make_report(store, config, period, args.by)
    except KioskError as error:  # e.g. a data folder that cannot be locked (read-only)
        raise UsageProblem(str(error)) from None

    csv_note = ""
    if args.csv:
        target = Path(args.csv)
        try:
            stats.write_csv(report, target, stats.CSV_DELIMITERS[args.delimiter])
        except OSError as error:
            raise UsageProblem(f"--csv: cannot write {target}: {error.strerror or error}") from None
        csv_note = (
            f"CSV written to {target}: {len(report.groups)} rows and a total, "
            f"{args.delimiter}-separated, UTF-8 with BOM."
        )

    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":")))
        return 0
    _print_table(config, report, csv_note)
    return 0


def _print_table(config, report: stats.Report, csv_note: str) -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)

    def say(line: str) -> None:
        # Plain lines are not wrapped by rich: a path or period stays whole for copy and grep.
        console.print(line, soft_wrap=True)

    say(f"[bold]{escape(config.site.name)}[/bold]: statistics")
    say(f"Period: {report.period.describe()}")
    sources = f"{report.live_days} day(s) from day files"
    if report.kept_days:
        sources += f", {report.kept_days} from aggregates kept after retention"
    say(f"By {report.by}; {sources}.")
    if report.empty:
        say("No tickets were issued in this period.")
    if not report.groups:  # by day or hour: no rows to show
        if csv_note:
            say(escape(csv_note))
        return

    # Fits 80 columns: the box draws one space between columns; two-line headers; labels wrap.
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0))
    table.add_column(report.by.capitalize(), overflow="fold", ratio=1, min_width=16)
    headers = {
        "issued": "Issued",
        "served": "Served",
        "no_show": "No-\nshow",
        "cancelled": "Can-\ncelled",
        "expired": "Ex-\npired",
        "unresolved": "Unre-\nsolved",
        "wait_median": "Wait\nmed",
        "wait_p90": "Wait\np90",
        "service_median": "Serv.\nmed",
    }
    for name in stats.COLUMNS:
        table.add_column(headers[name], justify="right", no_wrap=True)

    def cells(figures: stats.Figures) -> list[str]:
        return ["–" if v is None else str(v) for v in figures.values().values()]

    for group in report.groups:
        table.add_row(escape(group.label), *cells(group.figures))
    table.add_section()
    table.add_row("[bold]Total[/bold]", *(f"[bold]{c}[/bold]" for c in cells(report.total)))
    console.print(table)
    console.print(
        "Wait = issued to called, service = called to done; whole minutes, "
        "median and 90th percentile by nearest rank."
    )
    if report.total.open:
        console.print(
            f"{report.total.open} ticket(s) of today are still open (waiting or called): "
            "counted as issued only."
        )
    if csv_note:
        say(escape(csv_note))
    sys.stdout.flush()
