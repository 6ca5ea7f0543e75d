"""Statistics rules without a store: periods, nearest-rank percentiles, grouping, labels, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from kiosk.core import stats
from kiosk.core.aggregates import AggregateRow
from kiosk.core.stats import Figures, Period, StatsRangeError, parse_period, percentile
from tests.stats_data import make_config

# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("today", "first", "last", "note"),
    [
        (date(2026, 12, 2), date(2026, 11, 1), date(2026, 11, 30), "previous full month"),
        (date(2026, 12, 5), date(2026, 11, 1), date(2026, 11, 30), "previous full month"),
        (date(2026, 12, 6), date(2026, 12, 1), date(2026, 12, 6), "current month so far"),
        (date(2027, 1, 1), date(2026, 12, 1), date(2026, 12, 31), "previous full month"),
        (date(2028, 3, 3), date(2028, 2, 1), date(2028, 2, 29), "previous full month"),
        (date(2026, 11, 25), date(2026, 11, 1), date(2026, 11, 25), "current month so far"),
    ],
)
def test_default_period_is_previous_month_on_the_first_days(today, first, last, note):
    period = parse_period(today)
    assert (period.first, period.last, period.note) == (first, last, note)


def test_period_descriptions_say_which_period():
    assert parse_period(date(2026, 12, 2)).describe() == "November 2026 (previous full month)"
    assert parse_period(date(2026, 11, 25)).describe() == (
        "2026-11-01 to 2026-11-25 (current month so far)"
    )
    assert parse_period(date(2026, 12, 2), month="2026-02").describe() == (
        "February 2026 (chosen month)"
    )
    ranged = parse_period(date(2026, 12, 2), date_from="2026-11-03", date_to="2026-11-20")
    assert ranged.describe() == "2026-11-03 to 2026-11-20 (chosen range)"
    assert parse_period(date(2026, 12, 2), date_from="2026-11-03").last == date(2026, 12, 2)


def test_period_descriptions_in_german():
    assert parse_period(date(2026, 12, 2)).describe("de") == "November 2026 (Vormonat)"
    assert parse_period(date(2026, 3, 25)).describe("de") == (
        "2026-03-01 bis 2026-03-25 (laufender Monat bis heute)"
    )
    assert parse_period(date(2026, 12, 2), month="2026-03").describe("de") == (
        "März 2026 (gewählter Monat)"
    )
    one_day = parse_period(date(2026, 12, 2), date_from="2026-11-03", date_to="2026-11-03")
    assert one_day.describe("de") == "2026-11-03 (gewählter Zeitraum)"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"month": "2026-13"}, '--month: "2026-13" is not a month like 2026-11'),
        ({"month": "Nov 2026"}, '--month: "Nov 2026" is not a month like 2026-11'),
        ({"month": "2026-11", "date_from": "2026-11-01"}, "use either --month or --from/--to"),
        ({"date_from": "2026-11-31"}, '--from: "2026-11-31" is not a date like 2026-11-30'),
        ({"date_from": "2026-11-01", "date_to": "tomorrow"}, '--to: "tomorrow" is not a date'),
        ({"date_to": "2026-11-01"}, "--to needs --from as well"),
        ({"date_from": "2026-01-01", "date_to": "9999-12-31"}, "too far in the future"),
        ({"month": "9999-12"}, "is not a month like"),
        (
            {"date_from": "2026-11-20", "date_to": "2026-11-03"},
            "--from 2026-11-20 is after --to 2026-11-03",
        ),
    ],
)
def test_invalid_periods_say_what_is_wrong_in_one_line(kwargs, message):
    with pytest.raises(StatsRangeError) as caught:
        parse_period(date(2026, 12, 2), **kwargs)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------- percentiles


def test_nearest_rank_percentiles_by_hand():
    # durations 1,2,3,4,5,6,7,8,9,10: median = rank ceil(5) = 5; p90 = rank 9 = 9
    hist = {m: 1 for m in range(1, 11)}
    assert percentile(hist, 50) == 5
    assert percentile(hist, 90) == 9
    # 4 values 10,10,20,40: median rank 2 -> 10; p90 rank ceil(3.6)=4 -> 40
    assert percentile({10: 2, 20: 1, 40: 1}, 50) == 10
    assert percentile({10: 2, 20: 1, 40: 1}, 90) == 40
    assert percentile({7: 1}, 50) == 7
    assert percentile({7: 1}, 90) == 7
    assert percentile({}, 50) is None
    assert percentile({3: 0}, 50) is None


def test_total_median_comes_from_the_merged_histogram_not_from_medians():
    config = make_config()
    day = date(2026, 11, 2)
    rows = [
        AggregateRow(day, "kim", "KIM", "de", 13, issued=3, served=3, wait={1: 1, 2: 1, 3: 1}),
        AggregateRow(
            day, "ba", "Bundesagentur für Arbeit", "de", 13, issued=1, served=1, wait={60: 1}
        ),
    ]
    report = stats.build_report(config, rows, Period(day, day, ""), "topic")
    medians = [g.figures.wait_median for g in report.groups]
    assert medians == [2, 60]
    # merged 1,2,3,60: rank 2 -> 2 (the average of the medians would be 31)
    assert report.total.wait_median == 2
    assert report.total.wait_p90 == 60


# --------------------------------------------------------------------------- labels and grouping


def _rows():
    d1, d2 = date(2026, 11, 2), date(2026, 11, 3)
    return [
        AggregateRow(
            d1,
            "kim",
            "KIM",
            "uk",
            13,
            issued=2,
            served=1,
            no_show=1,
            wait={5: 1, 9: 1},
            service={20: 1},
        ),
        AggregateRow(d1, "kim", "KIM", "de", 12, issued=1, cancelled=1),
        AggregateRow(d1, "ukr", "Stadt Leverkusen", "ar", 14, issued=1, expired=1),
        AggregateRow(
            d2, "jsl", "JOB Service Leverkusen", "uk", 13, issued=1, unresolved=1, wait={0: 1}
        ),
    ]


def test_group_labels_a_person_reads():
    config = make_config(with_retired_topic=False)
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "")
    names = {"ukr": ("Erstanlaufstelle Ukraine", "U")}

    def labels(by):
        return [
            g.label for g in stats.build_report(config, _rows(), period, by, names=names).groups
        ]

    assert labels("topic") == [
        "A: Sprechstunde Integration",
        "J: JSL offene Beratung",
        "U: Erstanlaufstelle Ukraine",  # removed from config: the label stored on its tickets
    ]
    assert labels("language") == ["Deutsch (de)", "Українська (uk)", "العربية (ar)"]
    assert labels("hour") == ["12:00-12:59", "13:00-13:59", "14:00-14:59"]
    assert labels("day") == ["2026-11-02 Mo", "2026-11-03 Di"]
    assert labels("provider") == ["KIM", "JOB Service Leverkusen", "Stadt Leverkusen"]


def test_every_grouping_adds_up_to_the_same_total():
    config = make_config()
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "")
    for by in stats.DIMENSIONS:
        report = stats.build_report(config, _rows(), period, by)
        assert report.total.values() == {
            "issued": 5,
            "served": 1,
            "no_show": 1,
            "cancelled": 1,
            "expired": 1,
            "unresolved": 1,
            "wait_median": 5,
            "wait_p90": 9,
            "service_median": 20,
        }
        assert sum(g.figures.issued for g in report.groups) == 5


def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError):
        stats.build_report(
            make_config(), [], Period(date(2026, 11, 1), date(2026, 11, 1), ""), "desk"
        )


# --------------------------------------------------------------------------- CSV


def test_csv_has_a_header_one_row_per_group_and_a_total(tmp_path):
    config = make_config()
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "")
    report = stats.build_report(config, _rows(), period, "language")
    target = tmp_path / "november.csv"
    stats.write_csv(report, target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    assert b"\r\n" in raw
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == [
        "From",
        "To",
        "Language",
        "Key",
        "Issued",
        "Served",
        "No-show",
        "Cancelled",
        "Expired",
        "Unresolved",
        "Wait median (min)",
        "Wait 90th percentile (min)",
        "Service median (min)",
    ]
    assert [r[2] for r in rows[1:]] == ["Deutsch (de)", "Українська (uk)", "العربية (ar)", "Total"]
    assert rows[2] == [
        "2026-11-01",
        "2026-11-30",
        "Українська (uk)",
        "uk",
        "3",
        "1",
        "1",
        "0",
        "0",
        "1",
        "5",
        "9",
        "20",
    ]
    assert rows[1][-3:] == ["", "", ""]  # no durations: empty cells, not zero
    assert rows[-1][4:] == ["5", "1", "1", "1", "1", "1", "5", "9", "20"]


def test_csv_header_in_german_names_every_figure_and_its_unit():
    config = make_config()
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "")
    report = stats.build_report(config, _rows(), period, "provider", lang="de")
    rows = list(csv.reader(io.StringIO(stats.csv_text(report)), delimiter=";"))
    assert rows[0][:4] == ["Von", "Bis", "Träger", "Schlüssel"]
    assert rows[0][4:] == [stats.WORDS["de"][name] for name in stats.COLUMNS]
    assert rows[0][-3:] == [
        "Wartezeit Median (Min.)",
        "Wartezeit 90 % (Min.)",
        "Beratungsdauer Median (Min.)",
    ]
    assert rows[-1][2] == "Gesamt"
    # A topic without a provider in topics.toml is not "no longer configured".
    no_provider = [AggregateRow(date(2026, 11, 2), "kim", "", "de", 13, issued=1)]
    for lang, label in (("de", "(kein Träger angegeben)"), ("en", "(no provider given)")):
        groups = stats.build_report(config, no_provider, period, "provider", lang=lang).groups
        assert [g.label for g in groups] == [label]


def test_csv_only_holds_counts_and_durations():
    """No ticket numbers, times of day or desks ever leave through an export."""
    config = make_config()
    report = stats.build_report(
        config, _rows(), Period(date(2026, 11, 1), date(2026, 11, 30), ""), "topic"
    )
    text = stats.csv_text(report)
    assert "A-0" not in text and "kim1" not in text
    for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]:
        assert all(cell == "" or cell.isdigit() for cell in row[4:])


def test_csv_other_delimiters(tmp_path):
    report = stats.build_report(
        make_config(), _rows(), Period(date(2026, 11, 1), date(2026, 11, 30), ""), "hour"
    )
    stats.write_csv(report, tmp_path / "x.csv", delimiter="\t")
    with open(tmp_path / "x.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert rows[1][2] == "12:00-12:59"
    assert rows[0][2] == "Hour issued"  # not when the visitor was served
    german = stats.build_report(
        make_config(), _rows(), Period(date(2026, 11, 1), date(2026, 11, 30), ""), "hour", lang="de"
    )
    assert stats.csv_rows(german)[0][2] == "Gezogen um"


def test_empty_report_has_header_and_a_zero_total():
    report = stats.build_report(
        make_config(), [], Period(date(2026, 8, 1), date(2026, 8, 31), ""), "topic"
    )
    assert report.empty
    rows = list(csv.reader(io.StringIO(stats.csv_text(report)), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][2:] == ["Total", "", "0", "0", "0", "0", "0", "0", "", "", ""]


def test_figures_open_counts_tickets_not_yet_final():
    figures = Figures()
    figures.add_row({"issued": 5, "served": 2, "waiting": 2, "called": 1})
    assert figures.open == 3
