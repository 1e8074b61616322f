"""Time the full check (``fpdesk.checks.run_checks``) of a village: the figure issue 5 asks for (≤ 100 ms for
10,000 people).

    python benchmarks/bench_checks.py                      # a synthetic clean village of 10,000 people
    python benchmarks/bench_checks.py --persons 100000
    python benchmarks/bench_checks.py --db village.sqlite  # an existing village file (e.g. `fpdesk demo`)
    python benchmarks/bench_checks.py --demo               # the demo village, when fpdesk.demo can make one

Each run checks a freshly loaded snapshot (after an edit the program loads a new one, so nothing memoised for a
snapshot is reused). "first" is the first run in the process (ID numbers not yet seen, code tables not yet read);
"median/min/max" are the following runs. CPU time is printed beside wall-clock time because a shared machine's
wall clock measures the neighbours; a calibration loop makes figures from different machines comparable. The
slowest rules are listed so a regression points at its cause.
"""

from __future__ import annotations

import argparse
import os
import gc
import datetime as dt
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdesk.checks import CHECKS, CODE_OF, PERIOD_CHECKS, run_checks  # noqa: E402
from fpdesk.checks.facts import forget  # noqa: E402
from fpdesk.db import open_village_file  # noqa: E402
from fpdesk.snapshot import load_snapshot  # noqa: E402

AS_OF = dt.date(2026, 11, 23)


def _village(args: argparse.Namespace, tmp: Path) -> Path:
    if args.db:
        return Path(args.db)
    path = tmp / "village.sqlite"
    if args.demo:
        demo = importlib.import_module("fpdesk.demo")
        demo.make_demo_village(path, persons=args.persons, seed=args.seed)
        return path
    from synthetic_village import make_village
    return make_village(path, persons=args.persons, seed=args.seed)


def calibration_ms() -> float:
    """CPU time of a fixed pure-Python loop (sum(range(10**6)), best of 5): about 10 ms on a 2020s laptop with
    Python 3.11. Printed with the figures so that runs on a slower or busy machine can be compared."""
    best = float("inf")
    for _ in range(5):
        t0 = time.thread_time()
        sum(range(10**6))
        best = min(best, time.thread_time() - t0)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the full ledger check.")
    parser.add_argument("--db", help="an existing village file")
    parser.add_argument("--demo", action="store_true", help="use fpdesk.demo.make_demo_village")
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--as-of", default=None, help="the snapshot's day (default: today for --db, else 2026-11-23)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = _village(args, Path(tmp))
        conn = open_village_file(path)
        day = dt.date.fromisoformat(args.as_of) if args.as_of else (dt.date.today() if args.db else AS_OF)
        snap = load_snapshot(conn, as_of=day)
        print(f"village: {len(snap.persons)} persons, {len(snap.births)} births, {len(snap.measures)} measures, "
              f"{len(snap.events)} change events, as of {day}; {len(CHECKS)} rules")
        times, cpu = [], []
        found = ()
        for _ in range(args.runs + 1):
            snap = None
            snap = load_snapshot(conn, as_of=day)  # as after an edit: a new snapshot, nothing memoised for it
            t0, c0 = time.perf_counter(), time.thread_time()
            found = run_checks(snap)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        fresh = load_snapshot(conn, as_of=day)  # for the rule-by-rule timing: nothing worked out for it yet
        conn.close()
    print(f"full check, wall clock: first {times[0]:.1f} ms; then median {statistics.median(times[1:]):.1f} ms "
          f"(min {min(times[1:]):.1f}, max {max(times[1:]):.1f}, {len(times) - 1} runs); {len(found)} findings")
    cal = calibration_ms()
    median = statistics.median(cpu[1:])
    print(f"full check, CPU time:   first {cpu[0]:.1f} ms; then median {median:.1f} ms "
          f"(min {min(cpu[1:]):.1f}) — the figure to compare when other programs share the machine")
    print(f"calibration: sum(range(10**6)) takes {cal:.1f} ms here; the full check is {median / cal:.1f} of it "
          f"(≈ {median / cal * 10:.0f} ms where the calibration takes 10 ms)")

    # per rule, on a fresh snapshot (nothing worked out for it: neither fpdesk.checks.facts nor what the ledgers
    # keep on the snapshot), in registry order with the cycle collector paused as run_checks does; the lookups the
    # rules share go to their first user
    s = fresh
    forget()
    per_rule = []
    gc.disable()
    try:
        for check in CHECKS:
            t0 = time.thread_time()
            check(s, period=None) if check in PERIOD_CHECKS else check(s)
            per_rule.append(((time.thread_time() - t0) * 1000, CODE_OF[check], check.__name__))
    finally:
        forget()
        gc.enable()
    print("slowest rules (CPU time; shared lookups charged to their first user):")
    for ms, code, name in sorted(per_rule, reverse=True)[:int(os.environ.get("FPDESK_TOP_RULES", "8"))]:
        print(f"  {code} {name:<45} {ms:6.1f} ms")


if __name__ == "__main__":
    main()
