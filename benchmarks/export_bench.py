"""Time the month's export (issue 7: PDF + XLSX of a 10,000-person village's month, target ≤ 1 s).

    python benchmarks/export_bench.py                      # demo village, 10,000 people, seed 7 (cached)
    python benchmarks/export_bench.py --db village.sqlite  # an existing village file (copied first)

The demo village takes ~10 s to build; it is kept in benchmarks/out/ (git-ignored) and reused.

What is timed:
  export     the export itself — gathering the month (change report, board, score, indicators), the workbook,
             the PDF, the A3 poster, and writing the three files atomically — from a loaded snapshot and the
             month's check findings, as the desktop program has them. This is the figure the target is about.
  parts      the same, stage by stage.
  snapshot / checks   loading the village and running the month's checks, timed apart (they belong to the core
             and the checks issue, and the program has them already).
  cold       ``export_month`` from the open file: snapshot + checks + export, as ``fpdesk export`` runs it.
Each figure is over the month of the demo with the most report rows and over ``--period`` (default 2026-10).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdesk.checks import run_checks  # noqa: E402
from fpdesk.db import open_village_file  # noqa: E402
from fpdesk.export import export_month, month_content  # noqa: E402
from fpdesk.export.month import render_month, save_month  # noqa: E402
from fpdesk.export.pdf_board import board_poster  # noqa: E402
from fpdesk.export.pdf_forms import month_pdf  # noqa: E402
from fpdesk.export.xlsx import write_workbook  # noqa: E402
from fpdesk.snapshot import load_snapshot  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
CACHE = Path(__file__).resolve().parent / "out"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _stats(times: list[float]) -> str:
    return f"median {_ms(statistics.median(times))}  min {_ms(min(times))}  max {_ms(max(times))}"


def _village(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    path = CACHE / f"demo{args.persons // 1000}k_seed{args.seed}.sqlite"
    if not path.exists():
        from fpdesk.demo import make_demo_village

        CACHE.mkdir(exist_ok=True)
        started = time.perf_counter()
        make_demo_village(path, persons=args.persons, seed=args.seed, as_of=AS_OF)
        print(f"village: demo, {args.persons} people, seed {args.seed}: made in {time.perf_counter() - started:.1f} s"
              f" and kept as {path}")
    return path


def _timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def bench_month(conn, snap, period: str, out: Path, runs: int) -> float:
    started = time.perf_counter()
    findings = run_checks(snap, period=period)
    checks = time.perf_counter() - started
    content = month_content(snap, period=period, findings=findings)
    rows = len(content.report.member_rows) + len(content.report.birth_rows)
    print(f"\n{period}: {len(content.report.member_rows)} member changes, {len(content.report.birth_rows)} births, "
          f"{len(findings)} findings ({rows} list rows)")
    print(f"  checks (apart)   {_ms(checks)}")
    export, rendered = _timed(lambda: save_month(render_month(snap, period=period, findings=findings), out), runs)
    verdict = "OK" if statistics.median(export) <= 1.0 else "OVER"
    print(f"  export           {_stats(export)}   {verdict} (target ≤ 1 s)")
    for name, fn in (
        ("  · gather", lambda: month_content(snap, period=period, findings=findings)),
        ("  · workbook", lambda: write_workbook(content)),
        ("  · pdf", lambda: month_pdf(content)),
        ("  · poster A3", lambda: board_poster(content)),
    ):
        times, _ = _timed(fn, runs)
        print(f"{name:17}{_stats(times)}")
    sizes = ", ".join(f"{p.suffix} {p.stat().st_size // 1024} KB" for p in rendered)
    print(f"  files            {sizes}")
    cold, _ = _timed(lambda: export_month(conn, period=period, out_dir=out, today=AS_OF), max(1, runs // 3))
    print(f"  cold (+snapshot +checks)  {_stats(cold)}")
    return statistics.median(export)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the monthly export.")
    parser.add_argument("--db", help="an existing village file (copied first)")
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--period", default="2026-10")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        work = tmp / "work.sqlite"
        shutil.copyfile(_village(args), work)
        conn = open_village_file(work)
        times, snap = _timed(lambda: load_snapshot(conn, as_of=AS_OF), 3)
        print(f"snapshot: {len(snap.persons)} persons, {len(snap.events)} change events; load {_stats(times)}")
        busiest = Counter(e.report_period for e in snap.events if e.change_type in
                          {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"}).most_common(1)[0][0]
        worst = max(bench_month(conn, snap, period, tmp / "out", args.runs)
                    for period in dict.fromkeys([args.period, busiest]))
        print(f"\nexport of one month (PDF + XLSX + A3 poster), worst median: {worst:.2f} s "
              f"({'within' if worst <= 1.0 else 'OVER'} the 1 s target)")
        conn.close()


if __name__ == "__main__":
    main()
