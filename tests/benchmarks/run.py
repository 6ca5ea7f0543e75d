"""Run every benchmark and print one Markdown table (medians, ratios against baselines measured
in the same run, goals), then the details and the machine.

    python -m tests.benchmarks.run            # from the repository root, about 2-3 minutes
    python tests/benchmarks/run.py --quick    # fewer repetitions, about 1 minute
    python -m tests.benchmarks.run --only store,staff --json out.json

These machines are noisy: every figure is a median over repeated runs, baselines are measured
in the same run, interleaved with what they are compared to, and the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `tests.benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import ms, spread  # noqa: E402

PARTS = ("cold", "tap", "store", "staff", "refresh", "memory")

med = statistics.median


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        import textual

        textual_version = textual.__version__
    except Exception:  # pragma: no cover
        textual_version = "?"
    fs = "?"
    try:
        from kiosk.core.store import filesystem_type

        fs = filesystem_type(Path("/tmp")) or "?"
    except Exception:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), {ram} RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, Textual {textual_version}, "
        f"data in /tmp ({fs})"
    )


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma list of {PARTS}")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures here")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    q = args.quick
    raw: dict[str, object] = {"machine": machine(), "load_before": load()}
    rows: list[tuple[str, str, str, str, str, str]] = []
    notes: list[str] = []
    started = time.monotonic()

    if "cold" in parts:
        from tests.benchmarks import terminal

        r = terminal.cold_start(4 if q else 7)
        raw["cold"] = r
        k, m = med(r["kiosk"]), med(r["minimal"])
        rows.append(
            (
                "cold start: process start to language screen drawn (pty 100x30)",
                ms(k),
                f"minimal Textual app {ms(m)}",
                f"{k / m:.2f}",
                "ratio <= 1.3",
                yes(k / m <= 1.3),
            )
        )
        notes.append(f"cold start kiosk {spread(r['kiosk'])}, minimal {spread(r['minimal'])}")

    if "tap" in parts:
        from tests.benchmarks import tap

        r = tap.run(8 if q else 15)
        raw["tap"] = r
        t, b = med(r["ticket"]), med(r["bare"])
        s_, d = med(r["topics"]), med(r["done"])
        rows.append(
            (
                "tap-to-ticket: topic key to number + QR drawn, ticket on disk (pilot)",
                ms(t),
                f"bare screen switch {ms(b)}",
                f"{t / b:.1f}",
                "median <= 20 ms; ratio <= 3",
                f"median {yes(t <= 0.020)}; ratio {yes(t / b <= 3)}",
            )
        )
        rows.append(
            (
                "language key to topic screen drawn (pilot)",
                ms(s_),
                f"bare screen switch {ms(b)}",
                f"{s_ / b:.1f}",
                "median <= 20 ms",
                yes(s_ <= 0.020),
            )
        )
        rows.append(
            (
                "Done to a fresh language screen drawn (pilot)",
                ms(d),
                f"bare screen switch {ms(b)}",
                f"{d / b:.1f}",
                "median <= 20 ms",
                yes(d <= 0.020),
            )
        )
        notes.append(
            f"tap-to-ticket {spread(r['ticket'])}, bare switch {spread(r['bare'])}, "
            f"topic screen {spread(r['topics'])}, Done to start {spread(r['done'])}"
        )

    if "store" in parts:
        from tests.benchmarks import store_cost

        r = store_cost.run(3 if q else 5, 10, 100 if q else 200)
        raw["store"] = r
        times = r["times"]
        empty = med(times["empty"])
        base0 = med(times["300+0"])
        for case in ("300+0", "300+30", "300+365"):
            c = med(times[case])
            days = case.split("+")[1]
            rows.append(
                (
                    f"issue cost: today 300 tickets, {days} days of history",
                    ms(c),
                    f"empty folder {ms(empty)}",
                    f"{c / empty:.2f} (to 0 days: {c / base0:.2f})",
                    "ratio <= 1.2, flat in history",
                    yes(c / empty <= 1.2)
                    + ("" if case == "300+0" else f"; flat {yes(c / base0 <= 1.2)}"),
                )
            )
        first = med(r["first"]["300+365"])
        rows.append(
            (
                "  (info) first operation of the day, 365 days of history",
                ms(first),
                f"first start ever {ms(med(r['first_no_marker']))}",
                "",
                "",
                "",
            )
        )
        single, contended = med(r["single"]), med(r["contended"])
        rows.append(
            (
                "issues per second: one process / 4 processes contending",
                f"{single:.0f}/s / {contended:.0f}/s",
                "",
                f"{contended / single:.2f}",
                "(figure)",
                "",
            )
        )
        for case in store_cost.CASES:
            notes.append(
                f"issue {case}: {spread(times[case])}; first op {ms(med(r['first'][case]))}"
            )
        notes.append(
            f"issues/s single {[round(x) for x in r['single']]}, "
            f"4 contending {[round(x) for x in r['contended']]}; "
            f"folders built in {r['build_seconds']:.0f} s"
        )

    if "staff" in parts:
        from tests.benchmarks import freshness

        r = freshness.run(6 if q else 12)
        raw["staff"] = r
        a = r["after_issue"]
        rows.append(
            (
                "staff freshness: issue in another process to number on staff screen (pty)",
                f"{ms(med(a))} (max {ms(max(a))})",
                "",
                "",
                "<= 1 s",
                yes(max(a) <= 1.0),
            )
        )
        notes.append(
            f"staff freshness {spread(a)} after issue returned, {spread(r['from_call'])} from call"
        )

    if "refresh" in parts:
        from tests.benchmarks import staff_refresh

        r = staff_refresh.run(5 if q else 9)
        raw["refresh"] = r
        for count, figures in r.items():
            rows.append(
                (
                    f"staff list refresh at {count} tickets/day (read + update + draw)",
                    f"{figures['read_ms'] + figures['refresh_ms']:.0f} ms",
                    "",
                    "",
                    "<= 2x at 300" if count == 3000 else "",
                    yes(figures["refresh_ms"] <= 2.2 * r[300]["refresh_ms"])
                    if count == 3000
                    else "",
                )
            )
        top = r[3000]["visible_worst_ms"]
        rows.append(
            (
                "new ticket on the staff list at 3000 tickets/day (poll + read + refresh)",
                f"{top:.0f} ms",
                "",
                "",
                "<= 1 s",
                yes(top <= 1000),
            )
        )

    if "memory" in parts:
        from tests.benchmarks import tap, terminal

        n = 10 if q else 40
        r = terminal.kiosk_session(n)
        bare = terminal.bare_switch_pty(5 if q else 10)
        visits = (20, 100) if q else (50, 500)
        rss = tap.memory(visits)
        raw["memory"] = {**r, "bare_pty": bare, "pilot_rss_kib": rss}
        first, last = rss[visits[0]] / 1024, rss[visits[1]] / 1024
        rows.append(
            (
                f"memory: RSS (pilot process) after {visits[0]} / {visits[1]} visitors",
                f"{first:.1f} MB / {last:.1f} MB",
                f"after start {rss[0] / 1024:.1f} MB",
                f"{last / first:.2f}",
                "no growth (ratio <= 1.05)",
                yes(last / first <= 1.05),
            )
        )
        notes.append(
            f"kiosk process in a pty: RSS {r['rss_start_kib'] / 1024:.1f} MB after start, "
            + ", ".join(f"{v}: {kib / 1024:.1f} MB" for v, kib in r["rss_by_visits"].items())
        )
        tap_pty, bare_pty = med(r["tap"]), med(bare)
        rows.append(
            (
                "tap-to-ticket as a terminal sees it (pty, 100x30)",
                ms(tap_pty),
                f"bare screen switch {ms(bare_pty)}",
                f"{tap_pty / bare_pty:.1f}",
                "median <= 35 ms; ratio <= 3",
                f"median {yes(tap_pty <= 0.035)}; ratio {yes(tap_pty / bare_pty <= 3)}",
            )
        )
        notes.append(f"tap-to-ticket in pty {spread(r['tap'])}, bare switch in pty {spread(bare)}")

    raw["load_after"] = load()
    raw["seconds"] = time.monotonic() - started
    print("| benchmark | median | baseline (same run) | ratio | goal | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for note in notes:
        print(f"- {note}")
    print(
        f"- machine: {raw['machine']}; load average {raw['load_before']} before, "
        f"{raw['load_after']} after; {raw['seconds']:.0f} s in all"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(raw, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
