"""Charts of a statistics report: text bars and a weekday x hour grid for the terminal, and the
same as inline SVG for the HTML report (no library: a few rectangles and text, drawn so that
they read the same on screen and on paper, and nothing is fetched from anywhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from kiosk.core.stats import Report

EIGHTHS = " ▏▎▍▌▋▊▉"
BLOCK = "█"
# a light-to-dark blue scale: readable in greyscale print, and for red-green colour blindness
HEAT = ("#f3f7fb", "#d6e6f4", "#abd0e6", "#6aaed6", "#3787c0", "#105ba4", "#08306b")
BAR = "#3787c0"
INK = "#1b1b1b"
GRID = "#c8c8c8"


def issued(report: Report) -> list[tuple[str, int]]:
    """(label, numbers issued) per group of the report, in its order."""
    return [(group.label, group.figures.issued) for group in report.groups]


def text_bars(items: list[tuple[str, int]], width: int = 80) -> list[str]:
    """One line per item: label, a bar in eighths of a block, the number; fits `width`."""
    if not items:
        return []
    label_width = min(max(len(label) for label, _ in items), 24)
    most = max(value for _, value in items)
    number_width = len(str(most))
    room = max(width - label_width - number_width - 3, 10)
    lines = []
    for label, value in items:
        eighths = round(value * room * 8 / most) if most else 0
        bar = BLOCK * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")
        shown = label if len(label) <= label_width else label[: label_width - 1] + "…"
        lines.append(f"{shown:<{label_width}} {bar:<{room}} {value:>{number_width}}".rstrip())
    return lines


@dataclass(frozen=True)
class Grid:
    """Numbers issued per weekday (rows, 0 = Monday) and hour of issue (columns)."""

    weekdays: tuple[int, ...]
    hours: tuple[int, ...]
    counts: dict[tuple[int, int], int]

    @property
    def most(self) -> int:
        return max(self.counts.values(), default=0)

    def row_total(self, weekday: int) -> int:
        return sum(self.counts.get((weekday, hour), 0) for hour in self.hours)

    def column_total(self, hour: int) -> int:
        return sum(self.counts.get((weekday, hour), 0) for weekday in self.weekdays)


def grid(report: Report) -> Grid:
    """The grid of a report grouped by weekday-hour: weekdays and hours that had numbers."""
    counts: dict[tuple[int, int], int] = {}
    for group in report.groups:
        day_key, _, hour_text = group.key.partition("-")
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(day_key)
        counts[(weekday, int(hour_text))] = group.figures.issued
    used = [key for key, value in counts.items() if value]
    weekdays = tuple(sorted({w for w, _ in used}))
    hours = tuple(range(min(h for _, h in used), max(h for _, h in used) + 1)) if used else ()
    return Grid(weekdays, hours, counts)


def heat_level(value: int, most: int) -> int:
    """0 for nothing, else 1..len(HEAT)-1 in proportion to the largest cell."""
    if value <= 0 or most <= 0:
        return 0
    return max(1, round(value * (len(HEAT) - 1) / most))


# -- SVG --------------------------------------------------------------------------------------

FONT = "font-family=\"'DejaVu Sans', Arial, Helvetica, sans-serif\""


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" {FONT} font-size="11">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _nice_top(most: int) -> tuple[int, int]:
    """A round axis maximum above `most` and its step (1, 2, 5 x 10^n), about 4 steps."""
    if most <= 0:
        return 1, 1
    step = 1
    while most / step > 5:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if most / step <= 5:
                break
    top = -(-most // step) * step
    return top, step


def svg_columns(items: list[tuple[str, int]], title: str, width: int = 680) -> str:
    """Vertical columns with the number on top and the label below (turned when crowded)."""
    count = max(len(items), 1)
    top, step = _nice_top(max((v for _, v in items), default=0))
    crowded = count > 14
    left, right, upper = 34, 6, 14
    lower = 62 if crowded else 24
    height = 190 + lower
    plot_w, plot_h = width - left - right, height - upper - lower
    slot = plot_w / count
    body = []
    for tick in range(0, top + 1, step):
        y = upper + plot_h - tick * plot_h / top
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
            f'<text x="{left - 4}" y="{y + 3.5:.1f}" text-anchor="end" fill="{INK}">{tick}</text>'
        )
    for index, (label, value) in enumerate(items):
        x = left + index * slot
        bar_h = value * plot_h / top
        y = upper + plot_h - bar_h
        body.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bar_h:.1f}" fill="{BAR}"><title>{escape(label)}: {value}</title></rect>'
        )
        if value and (slot >= 16 or not crowded):
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'font-size="{9 if crowded else 11}" fill="{INK}">{value}</text>'
            )
        base = upper + plot_h
        if crowded:
            body.append(
                f'<text transform="translate({x + slot / 2 + 3:.1f},{base + 6}) rotate(-60)" '
                f'text-anchor="end" font-size="9.5" fill="{INK}">{escape(label)}</text>'
            )
        else:
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{base + 15}" text-anchor="middle" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    body.append(
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{width - right}" y2="{upper + plot_h}" '
        f'stroke="{INK}" stroke-width="0.8"/>'
    )
    return _svg(width, height, body, title)


def svg_rows(items: list[tuple[str, int]], title: str, width: int = 680) -> str:
    """Horizontal bars for long labels (topics, languages): label, bar, number."""
    row_h, label_w, number_w = 22, 250, 40
    height = max(len(items), 1) * row_h + 6
    most = max((v for _, v in items), default=0) or 1
    room = width - label_w - number_w - 10
    body = []
    for index, (label, value) in enumerate(items):
        y = 3 + index * row_h
        length = value * room / most
        body.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
            f'fill="{BAR}"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{label_w + length + 5:.1f}" y="{y + 15}" fill="{INK}">{value}</text>'
        )
    return _svg(width, height, body, title)


def svg_heat(cells: Grid, weekday_names: tuple[str, ...], title: str, width: int = 680) -> str:
    """Weekday rows x hour columns, each cell shaded by its count and labelled with it."""
    left, upper, total_w = 40, 20, 44
    hours = cells.hours or (0,)
    cell_w = (width - left - total_w) / len(hours)
    cell_h = 26
    height = upper + (len(cells.weekdays) + 1) * cell_h + 6
    most = cells.most
    body = []
    for column, hour in enumerate(hours):
        x = left + column * cell_w + cell_w / 2
        body.append(f'<text x="{x:.1f}" y="{upper - 6}" text-anchor="middle">{hour:02d}</text>')
    body.append(
        f'<text x="{left + len(hours) * cell_w + total_w / 2:.1f}" y="{upper - 6}" '
        f'text-anchor="middle">Σ</text>'
    )
    for row, weekday in enumerate(cells.weekdays):
        y = upper + row * cell_h
        body.append(
            f'<text x="{left - 6}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(weekday_names[weekday])}</text>"
        )
        for column, hour in enumerate(hours):
            value = cells.counts.get((weekday, hour), 0)
            level = heat_level(value, most)
            x = left + column * cell_w
            ink = "#ffffff" if level >= 4 else INK
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 1:.1f}" height="{cell_h - 1}" '
                f'fill="{HEAT[level]}" stroke="{GRID}" stroke-width="0.4"/>'
            )
            if value:
                body.append(
                    f'<text x="{x + cell_w / 2:.1f}" y="{y + cell_h / 2 + 4:.1f}" '
                    f'text-anchor="middle" fill="{ink}">{value}</text>'
                )
        body.append(
            f'<text x="{left + len(hours) * cell_w + total_w / 2:.1f}" '
            f'y="{y + cell_h / 2 + 4:.1f}" text-anchor="middle" font-weight="bold">'
            f"{cells.row_total(weekday)}</text>"
        )
    y = upper + len(cells.weekdays) * cell_h
    body.append(f'<text x="{left - 6}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">Σ</text>')
    for column, hour in enumerate(hours):
        x = left + column * cell_w + cell_w / 2
        body.append(
            f'<text x="{x:.1f}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="middle" '
            f'font-weight="bold">{cells.column_total(hour)}</text>'
        )
    return _svg(width, height, body, title)
