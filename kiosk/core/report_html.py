"""`kiosk stats --html FILE`: one self-contained page for the monthly report.

Figures, charts as inline SVG and the table by topic, in German or English; it loads nothing
(no script, font, image or style from elsewhere), so it opens on an office PC without network and
prints on A4 portrait (each section kept on one page where it fits).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from kiosk.core import charts
from kiosk.core.config import Config
from kiosk.core.stats import COLUMNS, Figures, Report, group_heading, weekday_names, words

TEXT: dict[str, dict] = {
    "de": {
        "title": "Statistik",
        "period": "Zeitraum",
        "sources": "{live} Tag(e) aus Tagesdateien, {kept} aus aufbewahrten Summen",
        "damaged": "Achtung: beschädigte Tagesdatei(en), die Zahlen dieser Tage fehlen ganz "
        "oder teilweise: {days}.",
        "empty": "In diesem Zeitraum wurden keine Nummern gezogen.",
        "per_day": "Gezogene Nummern pro Tag",
        "per_hour": "Gezogene Nummern nach Uhrzeit (Stunde des Ziehens)",
        "heat": "Wochentag × Stunde: gezogene Nummern (für die Personalplanung)",
        "heat_note": "Je dunkler, desto mehr Nummern; Σ: Summe der Zeile bzw. Spalte.",
        "per_topic": "Nach Thema",
        "per_language": "Nach Sprache",
        "issued": "Gezogen",
        "served": "Bedient",
        "no_show": "Nicht erschienen",
        "cancelled": "Storniert",
        "gone": "Verfallen / offen geblieben",
        "wait_median": "Wartezeit Median",
        "wait_p90": "Wartezeit 90 %",
        "service_median": "Beratung Median",
        "minutes": "{n} Min.",
        # the table's column heads: short words, so nine columns fit A4
        "columns": (
            "Gezogen",
            "Bedient",
            "Nicht er\u00adschienen",  # soft hyphens: a clean break where a column is narrow
            "Stor\u00adniert",
            "Ver\u00adfallen",
            "Offen ge\u00adblieben",
            "Warten Median (Min.)",
            "Warten 90 % (Min.)",
            "Bera\u00adtung Median (Min.)",
        ),
        "none": "–",
        "made": "Erstellt am {when} mit kiosk {version}.",
        "legend": "Gezogen: ausgegebene Nummern. Bedient: erledigt. Nicht erschienen: "
        "aufgerufen, nicht gekommen. Storniert: vom Personal storniert. Verfallen: bei "
        "Tagesende noch wartend; offen geblieben: bei Tagesende noch aufgerufen. Wartezeit: "
        "Ziehen bis Aufruf; Beratung: Aufruf bis erledigt; ganze Minuten, Median und 90-%-Wert "
        "nach Rang.",
    },
    "en": {
        "title": "Statistics",
        "period": "Period",
        "sources": "{live} day(s) from day files, {kept} from aggregates kept after retention",
        "damaged": "Warning: damaged day file(s); figures of these days are missing or "
        "incomplete: {days}.",
        "empty": "No tickets were issued in this period.",
        "per_day": "Numbers issued per day",
        "per_hour": "Numbers issued by hour of issue",
        "heat": "Weekday × hour: numbers issued (for staffing)",
        "heat_note": "The darker, the more numbers; Σ: total of the row or column.",
        "per_topic": "By topic",
        "per_language": "By language",
        "issued": "Issued",
        "served": "Served",
        "no_show": "No-show",
        "cancelled": "Cancelled",
        "gone": "Expired / unresolved",
        "wait_median": "Wait median",
        "wait_p90": "Wait 90th percentile",
        "service_median": "Service median",
        "minutes": "{n} min",
        "columns": (
            "Issued",
            "Served",
            "No-show",
            "Can\u00adcelled",
            "Expired",
            "Unre\u00adsolved",
            "Wait median (min)",
            "Wait 90th per\u00adcentile (min)",
            "Service median (min)",
        ),
        "none": "–",
        "made": "Made on {when} by kiosk {version}.",
        "legend": "Issued: numbers taken. Served: done. No-show: called, did not come. "
        "Cancelled: by staff. Expired: still waiting at the end of the day; unresolved: still "
        "called at the end of the day. Wait: issued to called; service: called to done; whole "
        "minutes, median and 90th percentile by nearest rank.",
    },
}

STYLE = """
@page { size: A4 portrait; margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif; color: #1b1b1b; margin: 0 auto;
       max-width: 190mm; padding: 8mm 0; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 7mm 0 2mm; border-bottom: 0.4pt solid #999; padding-bottom: 1mm; }
p { margin: 1mm 0; }
.meta { color: #444; }
.warn { font-weight: bold; color: #8a1c00; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2.5mm; margin: 4mm 0; }
.figure { border: 0.5pt solid #bbb; border-radius: 2mm; padding: 2mm 3mm; }
.figure b { display: block; font-size: 16pt; }
.figure span { color: #444; font-size: 9pt; }
section { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; table-layout: fixed; }
th, td { padding: 1mm 1.2mm; border-bottom: 0.3pt solid #ccc; text-align: right;
         overflow-wrap: break-word; }
th:first-child { width: 22%; }
thead th { font-size: 7.5pt; font-weight: bold; padding: 1mm 0.8mm; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 0.8pt solid #333; vertical-align: bottom; }
tfoot td { font-weight: bold; border-top: 0.8pt solid #333; }
.note, .legend, footer { color: #444; font-size: 8.5pt; }
svg { display: block; max-width: 100%; height: auto; }
"""


def _minutes(value: int | None, t: dict[str, str]) -> str:
    return t["none"] if value is None else t["minutes"].format(n=value)


def _figures(total: Figures, t: dict[str, str]) -> str:
    boxes = [
        (str(total.issued), t["issued"]),
        (str(total.served), t["served"]),
        (str(total.no_show), t["no_show"]),
        (str(total.expired + total.unresolved), t["gone"]),
        (_minutes(total.wait_median, t), t["wait_median"]),
        (_minutes(total.wait_p90, t), t["wait_p90"]),
        (_minutes(total.service_median, t), t["service_median"]),
        (str(total.cancelled), t["cancelled"]),
    ]
    cells = "".join(
        f'<div class="figure"><b>{escape(value)}</b><span>{escape(label)}</span></div>'
        for value, label in boxes
    )
    return f'<div class="figures">{cells}</div>'


def _table(report: Report, lang: str) -> str:
    w = words(lang)
    heads = TEXT.get(lang, TEXT["en"])["columns"]
    head = "".join(f"<th>{escape(heads[COLUMNS.index(name)])}</th>" for name in COLUMNS)

    def cells(figures: Figures) -> str:
        values = figures.values().values()
        return "".join(f"<td>{'–' if v is None else v}</td>" for v in values)

    rows = "".join(
        f"<tr><td>{escape(group.label)}</td>{cells(group.figures)}</tr>" for group in report.groups
    )
    return (
        f"<table><thead><tr><th>{escape(group_heading(report.by, lang))}</th>{head}</tr></thead>"
        f"<tbody>{rows}</tbody>"
        f"<tfoot><tr><td>{escape(w['total'])}</td>{cells(report.total)}</tr></tfoot></table>"
    )


def render(
    config: Config,
    reports: dict[str, Report],
    lang: str,
    made_at: datetime,
    version: str,
) -> str:
    """The page for reports grouped by topic, day, hour, weekday-hour and language (one period)."""
    t = TEXT.get(lang, TEXT["en"])
    by_topic = reports["topic"]
    title = f"{config.site.name}: {t['title']} {by_topic.period.describe(lang)}"
    parts = [
        f"<h1>{escape(config.site.name)}: {escape(t['title'])}</h1>",
        f'<p class="meta">{escape(t["period"])}: '
        f"<b>{escape(by_topic.period.describe(lang))}</b> · "
        + escape(t["sources"].format(live=by_topic.live_days, kept=by_topic.kept_days))
        + "</p>",
    ]
    if by_topic.damaged_days:
        days = ", ".join(day.isoformat() for day in by_topic.damaged_days)
        parts.append(f'<p class="warn">{escape(t["damaged"].format(days=days))}</p>')
    parts.append(_figures(by_topic.total, t))
    if by_topic.empty:
        parts.append(f"<p>{escape(t['empty'])}</p>")
    else:
        names = weekday_names(config, lang)
        day_items = [
            (f"{g.key[8:10]}. {names[datetime.fromisoformat(g.key).weekday()]}", g.figures.issued)
            for g in reports["day"].groups
        ]
        hour_items = [(f"{g.key}", g.figures.issued) for g in reports["hour"].groups]
        heat = charts.grid(reports["weekday-hour"])
        parts += [
            f"<section><h2>{escape(t['per_day'])}</h2>",
            charts.svg_columns(day_items, t["per_day"]),
            "</section>",
            f"<section><h2>{escape(t['per_hour'])}</h2>",
            charts.svg_columns(hour_items, t["per_hour"]),
            "</section>",
            f"<section><h2>{escape(t['heat'])}</h2>",
            charts.svg_heat(heat, names, t["heat"]),
            f'<p class="note">{escape(t["heat_note"])}</p></section>',
            f"<section><h2>{escape(t['per_topic'])}</h2>",
            charts.svg_rows(charts.issued(by_topic), t["per_topic"]),
            _table(by_topic, lang),
            "</section>",
            f"<section><h2>{escape(t['per_language'])}</h2>",
            charts.svg_rows(charts.issued(reports["language"]), t["per_language"]),
            "</section>",
        ]
    parts.append(f'<p class="legend">{escape(t["legend"])}</p>')
    made = t["made"].format(when=made_at.strftime("%Y-%m-%d %H:%M"), version=version)
    parts.append(f"<footer>{escape(made)}</footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n"
    )
