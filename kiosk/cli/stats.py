"""`kiosk stats`: monthly figures for the report (issued, served, no-show, waits) as a table or CSV."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.cli import UsageProblem
from kiosk.core import stats
from kiosk.core.errors import KioskError

HELP = (
    "figures per topic, day, provider, language, hour or weekday and hour for a month or a range "
    "(table with bars, CSV, one HTML report)"
)


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
        help="one row per topic (default), day, provider, language or hour of issue, with bars "
        "for day and hour; weekday-hour: a weekday x hour grid of numbers issued (staffing)",
    )
    parser.add_argument(
        "--html",
        metavar="FILE",
        help="also write one self-contained HTML report of the period (figures, charts, table; "
        "loads nothing from elsewhere, prints on A4)",
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
    parser.add_argument(
        "--lang",
        choices=stats.REPORT_LANGUAGES,
        help="language of the table, the CSV header and the period line "
        "(default: site.default_staff_language, else English); JSON keys stay the same",
    )


def run(args: argparse.Namespace, ctx) -> int:
    config = ctx.load_config()
    clock = ctx.clock(config)
    lang = args.lang or config.site.default_staff_language
    if lang not in stats.REPORT_LANGUAGES:
        lang = "en"
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
        report = stats.make_report(store, config, period, args.by, lang)
    except KioskError as error:  # e.g. a data folder that cannot be locked (read-only)
        raise UsageProblem(str(error)) from None

    csv_note = ""
    if args.csv:
        target = Path(args.csv)
        try:
            stats.write_csv(report, target, stats.CSV_DELIMITERS[args.delimiter])
        except OSError as error:
            raise UsageProblem(f"--csv: cannot write {target}: {error.strerror or error}") from None
        csv_note = TEXT[lang]["csv"].format(
            target=target, rows=len(report.groups), delimiter=TEXT[lang][args.delimiter]
        )

    html_note = ""
    if args.html:
        html_note = _write_html(config, store, report, lang, clock, Path(args.html))

    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":")))
        return 0
    _print_table(config, report, csv_note, html_note)
    return 0


def _write_html(config, store, report: stats.Report, lang: str, clock, target: Path) -> str:
    """Write the HTML report of the report's period; the line that says so."""
    from kiosk import __version__
    from kiosk.core import report_html

    found = stats.collect(store, config, report.period)
    reports = {
        by: stats.report_of(config, found, report.period, by, lang)
        for by in ("topic", "day", "hour", "weekday-hour", "language")
    }
    page = report_html.render(config, reports, lang, clock.now(), __version__)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        raise UsageProblem(f"--html: cannot write {target}: {error.strerror or error}") from None
    return TEXT[lang]["html"].format(target=target)


# The table's own words. Headers are two short lines so that nine figures and a label column
# of 16 fit 80 columns; the legend under the table spells each one out.
TEXT: dict[str, dict[str, str]] = {
    "de": {
        "title": "{site}: Statistik",
        "period": "Zeitraum: {period}",
        "by": "Nach {by}; {sources}.",
        "live": "{n} Tag(e) aus Tagesdateien",
        "kept": ", {n} aus aufbewahrten Summen (Tagesdatei gelöscht)",
        "empty": "In diesem Zeitraum wurden keine Nummern gezogen.",
        "damaged": "Achtung: beschädigte Tagesdatei, die Zahlen dieser Tage fehlen ganz oder "
        "teilweise: {days} (tickets-DATUM*.json im Datenordner prüfen).",
        "issued": "Gezogen",
        "served": "Bedient",
        "no_show": "Nicht\nersch.",
        "cancelled": "Stor-\nniert",
        "expired": "Ver-\nfallen",
        "unresolved": "Offen\ngebl.",
        "wait_median": "Warten\nMedian",
        "wait_p90": "Warten\n90 %",
        "service_median": "Berat.\nMedian",
        "legend": (
            "Gezogen: ausgegebene Nummern. Bedient: erledigt. Nicht ersch.: aufgerufen, nicht "
            "gekommen. Storniert: vom Personal storniert (wartend oder aufgerufen). Verfallen: "
            "bei Tagesende noch wartend. Offen gebl.: bei Tagesende noch aufgerufen.\n"
            "Warten: Ziehen bis Aufruf (jede aufgerufene Nummer, ab dem Aufruf, auch eine noch "
            "aufgerufene); Beratung: Aufruf bis erledigt. "
            "Ganze Minuten; Median und 90-%-Wert nach Rang (nearest rank)."
        ),
        "open": "{n} Nummer(n) von heute sind noch offen (wartend oder aufgerufen): als gezogen "
        "gezählt, in keinem Endstand; die Wartezeit einer aufgerufenen zählt ab dem Aufruf.",
        "estimate": "Wartezeit-Schätzung: {told} aufgerufene Nummer(n) mit Spanne, davon {within} "
        "({percent} %) darin; Abweichung Median {miss} Min. (0 = in der Spanne); {unknown} mit "
        "„noch nicht bekannt“. Nur Tage mit Tagesdatei.",
        "estimate_none": "Wartezeit-Schätzung: keine aufgerufene Nummer mit Spanne "
        "({unknown} mit „noch nicht bekannt“).",
        "csv": "CSV geschrieben: {target} ({rows} Zeilen und die Gesamtzeile; Trennzeichen "
        "{delimiter}, UTF-8 mit BOM).",
        "html": "HTML-Bericht geschrieben: {target} (im Browser öffnen; druckt auf A4).",
        "bars": "Gezogene Nummern:",
        "grid": "Gezogene Nummern nach Wochentag (Zeilen) und Stunde des Ziehens (Spalten); "
        "Σ: Summe.",
        "semicolon": "Semikolon",
        "comma": "Komma",
        "tab": "Tabulator",
    },
    "en": {
        "title": "{site}: statistics",
        "period": "Period: {period}",
        "by": "By {by}; {sources}.",
        "live": "{n} day(s) from day files",
        "kept": ", {n} from aggregates kept after retention",
        "empty": "No tickets were issued in this period.",
        "damaged": "Warning: damaged day file; figures of these days are missing or "
        "incomplete: {days} (check tickets-DATE*.json in the data folder).",
        "issued": "Issued",
        "served": "Served",
        "no_show": "No-\nshow",
        "cancelled": "Can-\ncelled",
        "expired": "Ex-\npired",
        "unresolved": "Unre-\nsolved",
        "wait_median": "Wait\nmed",
        "wait_p90": "Wait\np90",
        "service_median": "Serv.\nmed",
        "legend": (
            "Issued: numbers taken. Served: done. No-show: called, did not come. Cancelled: by "
            "staff (waiting or called). Expired: still waiting at the end of the day. "
            "Unresolved: still called at the end of the day.\n"
            "Wait = issued to called (every ticket called so far, from its call, one still called "
            "included), service = called to done; "
            "whole minutes, median and 90th percentile by nearest rank."
        ),
        "open": "{n} ticket(s) of today are still open (waiting or called): counted as issued, in "
        "no end state; the wait of a called one counts from its call.",
        "estimate": "Wait estimate: {told} called ticket(s) were told a range, {within} "
        "({percent} %) waited within it; median miss {miss} min (0 = inside the range); "
        '{unknown} told "not known yet". Days with a day file only.',
        "estimate_none": "Wait estimate: no called ticket was told a range ({unknown} told "
        '"not known yet").',
        "csv": "CSV written to {target}: {rows} rows and a total, {delimiter}-separated, UTF-8 "
        "with BOM.",
        "html": "HTML report written to {target} (open it in a browser; prints on A4).",
        "bars": "Numbers issued:",
        "grid": "Numbers issued by weekday (rows) and hour of issue (columns); Σ: total.",
        "semicolon": "semicolon",
        "comma": "comma",
        "tab": "tab",
    },
}


def estimate_line(t: dict[str, str], accuracy: stats.EstimateAccuracy) -> str:
    """How the wait ranges told at issue held up, for coordinators (see EstimateAccuracy)."""
    if not accuracy.told:
        return t["estimate_none"].format(unknown=accuracy.unknown)
    return t["estimate"].format(
        told=accuracy.told,
        within=accuracy.within,
        percent=accuracy.within_percent,
        miss=f"{accuracy.median_miss:g}",
        unknown=accuracy.unknown,
    )


def _print_table(config, report: stats.Report, csv_note: str, html_note: str = "") -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    class PipedConsole(Console):
        def on_broken_pipe(self) -> None:
            # rich exits with 1 here; `kiosk` ends quietly with 0 on a closed pipe (see main).
            self.quiet = True
            raise BrokenPipeError

    console = PipedConsole(highlight=False)
    t = TEXT.get(report.lang, TEXT["en"])
    w = stats.words(report.lang)

    def say(line: str) -> None:
        # Plain lines are not wrapped by rich: a path or period stays whole for copy and grep.
        console.print(line, soft_wrap=True)

    say(t["title"].format(site=f"[bold]{escape(config.site.name)}[/bold]"))
    say(escape(t["period"].format(period=report.period.describe(report.lang))))
    sources = t["live"].format(n=report.live_days)
    if report.kept_days:
        sources += t["kept"].format(n=report.kept_days)
    # German nouns keep their capital; English uses the machine name, but says weekday-hour in words
    by = w[report.by] if report.lang == "de" or report.by == "weekday-hour" else report.by
    say(escape(t["by"].format(by=by, sources=sources)))
    if report.damaged_days:
        days = ", ".join(day.isoformat() for day in report.damaged_days)
        say(f"[bold]{escape(t['damaged'].format(days=days))}[/bold]")
    if report.empty:
        say(t["empty"])
    if not report.groups:  # by day or hour: no rows to show
        for note in (csv_note, html_note):
            if note:
                say(escape(note))
        return
    if report.by == "weekday-hour":  # a grid instead of 168 rows of figures
        _print_grid(console, config, report, t)
        for note in (csv_note, html_note):
            if note:
                say(escape(note))
        return

    # Fits 80 columns: the box draws one space between columns; two-line headers; labels wrap.
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0))
    table.add_column(
        stats.group_heading(report.by, report.lang), overflow="fold", ratio=1, min_width=16
    )
    for name in stats.COLUMNS:
        table.add_column(t[name], justify="right", no_wrap=True)

    def cells(figures: stats.Figures) -> list[str]:
        return ["–" if v is None else str(v) for v in figures.values().values()]

    for group in report.groups:
        table.add_row(escape(group.label), *cells(group.figures))
    table.add_section()
    total = escape(w["total"])
    table.add_row(f"[bold]{total}[/bold]", *(f"[bold]{c}[/bold]" for c in cells(report.total)))
    console.print(table)
    console.print(escape(t["legend"]))
    if report.total.open:
        console.print(escape(t["open"].format(n=report.total.open)))
    console.print(escape(estimate_line(t, report.estimates)))
    if report.by in ("day", "hour"):
        from kiosk.core import charts

        items = [(group.label, group.figures.issued) for group in report.groups]
        if report.by == "day":  # "2026-11-02 Mo" -> "02. Mo": the month is in the period line
            items = [(f"{label[8:10]}. {label[11:]}", value) for label, value in items]
        console.print()
        console.print(escape(t["bars"]))
        for line in charts.text_bars(items, min(console.width, 100)):
            console.print(escape(line), soft_wrap=True)
        if csv_note or html_note:
            console.print()  # the notes below are not bars
    for note in (csv_note, html_note):
        if note:
            say(escape(note))
    sys.stdout.flush()


def _print_grid(console, config, report: stats.Report, t: dict[str, str]) -> None:
    """Weekday rows x hour columns, each cell the numbers issued, shaded by how many."""
    from rich import box
    from rich.table import Table

    from kiosk.core import charts

    cells = charts.grid(report)
    if not cells.weekdays:
        return
    names = stats.weekday_names(config, report.lang)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0))
    table.add_column("", no_wrap=True)
    for hour in cells.hours:
        table.add_column(f"{hour:02d}", justify="right", no_wrap=True, min_width=4)
    table.add_column("Σ", justify="right", no_wrap=True, min_width=5)
    for weekday in cells.weekdays:
        row = []
        for hour in cells.hours:
            value = cells.counts.get((weekday, hour), 0)
            level = charts.heat_level(value, cells.most)
            ink = "white" if level >= 4 else "black"
            style = f"{ink} on {charts.HEAT[level]}" if value else ""
            row.append(f"[{style}]{value:>4}[/]" if style else "   ·")
        table.add_row(names[weekday], *row, f"[bold]{cells.row_total(weekday)}[/bold]")
    table.add_section()
    totals = [f"[bold]{cells.column_total(hour)}[/bold]" for hour in cells.hours]
    table.add_row("Σ", *totals, f"[bold]{report.total.issued}[/bold]")
    console.print(table)
    console.print(t["grid"])
