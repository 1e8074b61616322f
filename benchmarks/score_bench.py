"""Time the live score (issue 6: recomputing the score after one edit on a 10,000-person village, target ≤ 30 ms).

    python benchmarks/score_bench.py                          # the demo village, 10,000 people, seed 7
    python benchmarks/score_bench.py --db village.sqlite      # an existing village file
    python benchmarks/score_bench.py --keep /tmp/demo10k.sqlite   # make the demo once, reuse it next time

After an edit the program loads a new snapshot and runs the checks (their findings feed the per-finding items);
the score then starts from nothing memoised for that snapshot. So each run here loads a fresh snapshot, runs the
checks on it (timed apart: they belong to the checks issue), and times ``score`` alone — the figure the target is
about — and ``diff`` against the previous sheet. "edit" times the whole cycle once, after a real correction made
through ``services.correct_field``: load, check, score, diff. Indicators over each span kind are timed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdesk import services  # noqa: E402
from fpdesk.checks import run_checks  # noqa: E402
from fpdesk.db import open_village_file  # noqa: E402
from fpdesk.indicators import LAST12, MONTH, YEAR, YTD, compute_all, span_for  # noqa: E402
from fpdesk.score import builtin_schemes, diff, score  # noqa: E402
from fpdesk.snapshot import load_snapshot  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _village(args: argparse.Namespace, tmp: Path) -> Path:
    if args.db:
        return Path(args.db)
    keep = Path(args.keep) if args.keep else None
    if keep is not None and keep.exists():
        return keep
    path = keep or tmp / "demo.sqlite"
    started = time.perf_counter()
    try:
        demo = importlib.import_module("fpdesk.demo")
        demo.make_demo_village(path, persons=args.persons, seed=args.seed, as_of=AS_OF)
        how = "fpdesk.demo.make_demo_village"
    except (ImportError, AttributeError):
        from synthetic_village import make_village  # the checks benchmark's SQL-written village
        make_village(path, persons=args.persons, seed=args.seed)
        how = "benchmarks/synthetic_village.py"
    print(f"village: {how}, {args.persons} people, seed {args.seed}: made in {time.perf_counter() - started:.1f} s")
    return path


def _stats(times: list[float]) -> str:
    return f"median {_ms(statistics.median(times))}  min {_ms(min(times))}  max {_ms(max(times))}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the live self-assessment score.")
    parser.add_argument("--db", help="an existing village file (it is copied; the copy gets the test edit)")
    parser.add_argument("--keep", help="where to keep the generated demo village between runs")
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--period", default="2026-11")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        work = tmp / "work.sqlite"
        shutil.copyfile(_village(args, tmp), work)
        conn = open_village_file(work)
        snap = load_snapshot(conn, as_of=AS_OF)
        print(f"snapshot: {len(snap.persons)} persons, {len(snap.births)} births, {len(snap.services)} services, "
              f"{len(snap.events)} change events; period {args.period}")

        loads, checks = [], []
        by_scheme: dict[str, list[float]] = {s.key: [] for s in builtin_schemes()}
        diffs = []
        previous = None
        for _ in range(args.runs):
            t = time.perf_counter()
            snap = load_snapshot(conn, as_of=AS_OF)
            loads.append(time.perf_counter() - t)
            t = time.perf_counter()
            findings = run_checks(snap)
            checks.append(time.perf_counter() - t)
            for scheme in builtin_schemes():
                fresh = load_snapshot(conn, as_of=AS_OF) if scheme is not builtin_schemes()[0] else snap
                found = findings if fresh is snap else run_checks(fresh)
                t = time.perf_counter()
                sheet = score(fresh, scheme, period=args.period, findings=found)
                by_scheme[scheme.key].append(time.perf_counter() - t)
                if scheme.key == "village_2026_example":
                    if previous is not None:
                        t = time.perf_counter()
                        diff(previous, sheet)
                        diffs.append(time.perf_counter() - t)
                    previous = sheet
        print("\nscore alone, on a freshly loaded snapshot (the target: ≤ 30 ms)")
        for key, times in by_scheme.items():
            print(f"  {key:22s} {_stats(times)}")
        print(f"  {'diff':22s} {_stats(diffs)}")
        print("\nthe rest of the cycle after an edit (not the score's)")
        print(f"  {'load_snapshot':22s} {_stats(loads)}")
        print(f"  {'run_checks':22s} {_stats(checks)}  ({len(findings)} findings)")

        print("\nall indicators of one span (a figure panel, not the score)")
        for kind in (MONTH, YTD, YEAR, LAST12):
            fresh = load_snapshot(conn, as_of=AS_OF)
            t = time.perf_counter()
            compute_all(fresh, span_for(args.period, kind), findings=findings)
            print(f"  {kind:22s} {_ms(time.perf_counter() - t)}")

        fills = {"education": "70", "ethnicity": "01", "hukou": "1", "occupation": "务农", "first_marriage_date": ""}
        blank = next((f for f in findings if f.subject.table == "person" and f.field in fills and f.kind == "blank"),
                     None)
        if blank is not None:
            before = score(snap, "village_2026_example", period=args.period, findings=findings)
            value = fills[blank.field]
            if blank.field == "first_marriage_date":   # the start of her first marriage on record
                row = conn.execute("SELECT min(start_date) FROM marriage WHERE person_id = ?",
                                   (blank.subject.id,)).fetchone()
                value = row[0] or "2010-01-01"
            try:
                services.correct_field(conn, table="person", record=blank.subject.id, field=blank.field, value=value,
                                       today=AS_OF)
            except Exception as exc:  # noqa: BLE001 - a field the benchmark cannot fill: skip the edit cycle
                print(f"\n(no edit cycle: {exc})")
                return
            started = time.perf_counter()
            after_snap = load_snapshot(conn, as_of=AS_OF)
            loaded = time.perf_counter()
            after_findings = run_checks(after_snap)
            checked = time.perf_counter()
            after = score(after_snap, "village_2026_example", period=args.period, findings=after_findings)
            scored = time.perf_counter()
            change = diff(before, after)
            done = time.perf_counter()
            print(f"\none edit (fill in {blank.field} of person {blank.subject.id}), village_2026_example: "
                  f"{before.total} -> {after.total} {change.text}")
            print(f"  load {_ms(loaded - started)}  checks {_ms(checked - loaded)}  score {_ms(scored - checked)}"
                  f"  diff {_ms(done - scored)}  total {_ms(done - started)}")
        conn.close()


if __name__ == "__main__":
    main()
