"""`kiosk stats --by hour|day|weekday-hour` draws bars or a weekday x hour grid in the terminal;
`kiosk stats --html FILE` writes one self-contained report with charts as inline SVG."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from datetime import date

import pytest

from kiosk.cli import main
from kiosk.core import charts
from kiosk.core.clock import FixedClock
from kiosk.core.config import load_config
from kiosk.core.store import Store
from tests.config_copy import SHIPPED
from tests.stats_data import generate, local


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """2-8 November 2026 with the shipped config, generated through the store."""
    folder = tmp_path_factory.mktemp("week")
    config = load_config(SHIPPED)
    clock = FixedClock(local(date(2026, 11, 2), "07:00"))
    visits = generate(
        Store(folder, config, clock), clock, config, date(2026, 11, 2), date(2026, 11, 8), seed=3
    )
    return folder, visits


def stats(capsys, monkeypatch, folder, *args):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("KIOSK_NOW", raising=False)
    argv = ["stats", "--config", str(SHIPPED), "--data", str(folder), "--now", "2026-11-09T10:00"]
    code = main([*argv, "--from", "2026-11-02", "--to", "2026-11-08", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def bar_lines(out: str) -> list[str]:
    """The lines under "Gezogene Nummern:" up to the blank line that ends the bars."""
    return out[out.index("Gezogene Nummern:") :].split("\n\n")[0].splitlines()[1:]


def test_by_hour_draws_a_bar_per_hour_as_long_as_its_count(week, capsys, monkeypatch):
    folder, visits = week
    per_hour = Counter(v.arrive.hour for v in visits)
    out = stats(capsys, monkeypatch, folder, "--by", "hour")
    bars = bar_lines(out)
    assert len(bars) == len(per_hour)
    longest = max(per_hour.values())
    for line in bars:
        assert len(line) <= 80, line
        hour = int(line[:2])
        assert line.endswith(f" {per_hour[hour]}"), line
        blocks = line.count(charts.BLOCK)
        if per_hour[hour] == longest:
            assert blocks == max(b.count(charts.BLOCK) for b in bars)
    # proportional: half the count, about half the bar
    lengths = {int(b[:2]): b.count(charts.BLOCK) for b in bars}
    top = max(lengths, key=lambda h: per_hour[h])
    for hour, blocks in lengths.items():
        assert abs(blocks / lengths[top] - per_hour[hour] / per_hour[top]) < 0.05


def test_by_day_bars_name_day_and_weekday(week, capsys, monkeypatch):
    folder, visits = week
    per_day = Counter(v.day for v in visits)
    out = stats(capsys, monkeypatch, folder, "--by", "day")
    bars = bar_lines(out)
    assert [line[:6] for line in bars] == [
        f"{d.day:02d}. {'MoDiMiDoFrSaSo'[d.weekday() * 2 :][:2]}" for d in sorted(per_day)
    ]
    for line, day in zip(bars, sorted(per_day), strict=True):
        assert line.endswith(f" {per_day[day]}")


def test_weekday_hour_grid_has_the_counts_of_each_weekday_and_hour(week, capsys, monkeypatch):
    folder, visits = week
    cells = Counter((v.arrive.weekday(), v.arrive.hour) for v in visits)
    out = stats(capsys, monkeypatch, folder, "--by", "weekday-hour")
    lines = out.splitlines()
    head = next(
        line for line in lines if line.strip().startswith(f"{min(h for _, h in cells):02d}")
    )
    hours = [int(h) for h in head.split()[:-1]]
    assert hours == list(range(min(h for _, h in cells), max(h for _, h in cells) + 1))
    names = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
    for weekday in sorted({w for w, _ in cells}):
        row = next(line for line in lines if line.startswith(names[weekday] + " "))
        values = row.split()[1:]
        expected = [str(cells[(weekday, h)]) if cells[(weekday, h)] else "·" for h in hours]
        assert values == [*expected, str(sum(cells[(weekday, h)] for h in hours))]
    total = next(line for line in lines if line.startswith("Σ "))
    assert total.split()[-1] == str(len(visits))


def test_weekday_hour_in_json_and_csv_keys(week, capsys, monkeypatch, tmp_path):
    folder, visits = week
    out = stats(capsys, monkeypatch, folder, "--by", "weekday-hour", "--json", "--lang", "en")
    data = json.loads(out)
    cells = Counter((v.arrive.weekday(), v.arrive.hour) for v in visits)
    keys = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    got = {g["key"]: g["issued"] for g in data["groups"]}
    assert got == {f"{keys[w]}-{h:02d}": n for (w, h), n in cells.items()}
    assert any(g["label"].startswith("Mon 1") for g in data["groups"])


def _html(capsys, monkeypatch, folder, tmp_path, lang):
    target = tmp_path / f"report-{lang}.html"
    out = stats(capsys, monkeypatch, folder, "--html", str(target), "--lang", lang)
    assert str(target) in out
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_html_report_is_self_contained_with_charts(week, capsys, monkeypatch, tmp_path, lang):
    folder, visits = week
    page = _html(capsys, monkeypatch, folder, tmp_path, lang)
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    # nothing is loaded from anywhere: no script, stylesheet link, image, font or URL
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|src=", page)
    assert set(re.findall(r"https?://[^\"' )]+", page)) == {"http://www.w3.org/2000/svg"}
    assert page.count("<svg") == 5  # per day, per hour, weekday x hour, topics, languages
    assert "@page { size: A4 portrait" in page
    title = "Statistik" if lang == "de" else "Statistics"
    assert f"Service-Point Integration: {title}" in page
    assert f"<b>{len(visits)}</b>" in page  # the number of tickets issued, as a figure
    heading = "Wochentag × Stunde" if lang == "de" else "Weekday × hour"
    assert heading in page


@pytest.mark.browser
def test_html_report_opens_in_chromium_without_requests_and_prints_on_a4(
    week, capsys, monkeypatch, tmp_path
):
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true and no chromium on PATH")
        pytest.skip("no chromium on PATH (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    folder, visits = week
    _html(capsys, monkeypatch, folder, tmp_path, "de")
    target = tmp_path / "report-de.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 794, "height": 1123})
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(target.as_uri())
            assert requests == [target.as_uri()]  # the file itself, nothing else
            drawn = page.evaluate(
                "[...document.querySelectorAll('svg')].map(s => s.getBoundingClientRect().height)"
            )
            assert len(drawn) == 5 and all(height > 50 for height in drawn)
            page.emulate_media(media="print")
            pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in sizes)
    assert 1 <= len(sizes) <= 4
