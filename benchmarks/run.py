"""The performance harness: one command for the numbers that matter to clerks and townships (issue 10).

    python benchmarks/run.py [--quick]    # villages of 1,000, 10,000 and 100,000 people, a township of 40 villages
    python benchmarks/run.py --full       # … and the 1,000,000-person county file, a township of 100 × 10,000
    python benchmarks/run.py --only live,check --runs 11
    python benchmarks/run.py --src /path/to/other/checkout    # the same figures for another version (before/after)
    python benchmarks/run.py --only check --profile    # … with a pyinstrument profile of each (benchmarks/out/profiles)
    python benchmarks/run.py --detail checks           # the check rule by rule (bench_checks.py), the 10,000 village

It makes the village files it needs once (benchmarks/villages.py; kept in benchmarks/out/, git-ignored), then
times every figure several times and prints, for each, the median and the spread (min–max) of the wall clock, the
median CPU time (the figure to trust when the machine is shared), the target, and the figure as a multiple of the
floor: the same board figures computed by SQLite alone on the same file (benchmarks/floor.py). The table also
goes to benchmarks/out/results.json with the machine it was made on.

Figures (--only takes these keys):
    floor   the floor: the board's figures by SQL alone, per file
    load    load_snapshot of the whole file (opening a village)
    check   the full check (run_checks) of a freshly loaded snapshot           target 10k ≤ 100 ms, 1M ≤ 10 s
    live    the live score after one correction (apply → snapshot → checks → score)      target 10k ≤ 30 ms
            (a card's particulars: education), and after a birth-date correction (every rule reads it)
    cold    cold start to the main window shown (a new process, offscreen)              target 10k ≤ 1.5 s
    register  opening the 10,000-row population register (rows, model, view painted)   target ≤ 200 ms
    search  a keystroke in the search box over that register (z, zs, 张三, 1101 …)      target ≤ 50 ms
    export  the month's export (PDF + XLSX + poster) from the snapshot in hand          target 10k ≤ 1 s
    import  the township's import of 40 village files                                    target ≤ 5 s
    aggregate  the township's month: table, indicators, scores and ranking     target (1,000,000 people) ≤ 5 s

The rule-by-rule timings of the check are in benchmarks/bench_checks.py, the score's parts in
benchmarks/score_bench.py, the export's stages in benchmarks/export_bench.py, the township import's in
benchmarks/township_bench.py; ``--detail`` runs them (the first three on the harness's own 10,000-person village).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent

# What a figure may take (seconds), by (figure, persons): from issue 10.
TARGETS = {
    ("live", 10_000): 0.030, ("check", 10_000): 0.100, ("cold", 10_000): 1.5, ("register", 10_000): 0.200,
    ("export", 10_000): 1.0, ("import", 40): 5.0, ("check", 1_000_000): 10.0, ("aggregate", 1_000_000): 5.0,
    ("search", 10_000): 0.050,  # not issue 10's: a clerk on an old laptop feels every keystroke past it
}
KEYS = ("floor", "load", "check", "live", "cold", "register", "search", "export", "import", "aggregate")
# --detail: the single-figure scripts, kept for their finer breakdowns: (script, its arguments, given the 10,000
# village with --db)
DETAILS = {
    "checks": ("bench_checks.py", ["--as-of", "2026-11-23"], True),
    "score": ("score_bench.py", [], True),
    "export": ("export_bench.py", [], True),
    "township": ("township_bench.py", [], False),
}


@dataclass
class Row:
    """One line of the table."""

    key: str
    figure: str
    scale: str                  # what it ran on ("10,000 people", "40 villages")
    persons: int
    runs: object                # figures.Runs, or None when the module is not there yet
    target: float | None = None
    floor: float | None = None
    note: str = ""
    parts: dict[str, float] = field(default_factory=dict)


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def machine() -> dict[str, object]:
    """Where the figures come from."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration, ValueError):
        pass
    try:
        from PySide6 import __version__ as pyside
    except ImportError:
        pyside = ""
    return {"cpu": model or platform.machine(), "cores": os.cpu_count(), "memory": memory,
            "os": platform.platform(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "pyside6": pyside, "calibration_ms": round(calibration_ms(), 1)}


def calibration_ms() -> float:
    """CPU time of a fixed pure-Python loop (sum(range(10**6)), best of 5): ~10 ms on a 2020s laptop with
    Python 3.11 (as benchmarks/bench_checks.py): the yardstick between machines."""
    best = float("inf")
    for _ in range(5):
        t0 = time.thread_time()
        sum(range(10**6))
        best = min(best, time.thread_time() - t0)
    return best * 1000


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the figures that matter (issue 10).")
    parser.add_argument("--quick", action="store_true",
                        help="the default: villages of 1,000, 10,000 and 100,000 people and a township of 40 villages "
                             "(~3 min the first time, ~1.5 min after)")
    parser.add_argument("--full", action="store_true",
                        help="also the 1,000,000-person county file and a township of 100 × 10,000 people "
                             "(~8 min the first time, ~6 min after; ~6 GB of memory while checking)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of the 1,000 / 10,000 figures (default 7)")
    parser.add_argument("--only", default="", help="comma-separated figure keys: " + ",".join(KEYS))
    parser.add_argument("--src", help="time the fpdesk of another checkout (its root folder) instead of this one")
    parser.add_argument("--json", default=str(HERE / "out" / "results.json"), help="where to write the results")
    parser.add_argument("--profile", action="store_true",
                        help="record each figure with pyinstrument (pip install -e '.[bench]') into "
                             "benchmarks/out/profiles/; the times are then not comparable")
    parser.add_argument("--detail", choices=sorted(DETAILS), help="run a single-figure script with its finer "
                                                                    "breakdown instead")
    args = parser.parse_args(argv)
    src = Path(args.src).resolve() if args.src else None
    sys.path[:0] = [str(HERE), str(src or HERE.parent)]
    if args.detail:
        return detail(args.detail)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="fpdesk-bench-"))
    os.environ.setdefault("XDG_CONFIG_HOME", str(work / "config"))   # the register's Qt settings: not the user's
    os.environ.setdefault("FPDESK_HOME", str(work / "home"))

    import figures
    import villages

    only = {k.strip() for k in args.only.split(",") if k.strip()}
    unknown = only - set(KEYS)
    if unknown:
        parser.error(f"unknown figure keys: {', '.join(sorted(unknown))}")
    want = lambda key: not only or key in only  # noqa: E731
    small, medium, big = args.runs, max(3, args.runs // 2), 2
    started = time.perf_counter()
    info = machine()
    info["load_average_before"] = load_average()
    import fpdesk

    print(f"fpdesk {fpdesk.__version__} from {Path(fpdesk.__file__).parent.parent}", file=sys.stderr)
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731

    rows: list[Row] = []
    errors: list[str] = []

    def attempt(what: str, fn):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - one broken figure must not hide the others
            errors.append(f"{what}: {type(exc).__name__}: {exc}")
            log(f"!! {what} failed:\n" + traceback.format_exc())
            return None

    def add(key: str, figure: str, scale: str, persons: int, runs, *, floor: float | None = None,
            target: float | None = None, note: str = "") -> Row:
        row = Row(key, figure, scale, persons, runs, target, floor, note)
        if runs is not None:
            row.parts = {k: statistics.median(v) for k, v in runs.parts.items()}
        rows.append(row)
        return row

    def measure(key: str, figure: str, scale: str, persons: int, fn, *, floor: float | None = None,
                target: float | None = None) -> Row | None:
        """Time one figure; a module that is not there yet (export, township) gives a row saying so."""
        if not want(key):
            return None
        log(f"… {figure} ({scale})")
        failed = len(errors)
        runs = attempt(f"{figure} ({scale})", profiled(fn, f"{key}-{persons}") if args.profile and key != "cold"
                       else fn)
        note = "" if runs is not None or len(errors) > failed else "its module is not there yet"
        return add(key, figure, scale, persons, runs, floor=floor, target=target, note=note)

    # the village files
    files = {n: attempt(f"village of {n:,}", lambda n=n: villages.demo_village(n, log=log)) for n in (1_000, 10_000)}
    if files[10_000] is not None:
        files[100_000] = attempt("village of 100,000", lambda: villages.county_file(10, files[10_000], log=log))
        if args.full:
            files[1_000_000] = attempt("county of 1,000,000",
                                       lambda: villages.county_file(100, files[10_000], log=log))

    for n, db in files.items():
        if db is None:
            continue
        scale = f"{villages._persons(db):,} people"
        runs_here = small if n <= 10_000 else medium if n <= 100_000 else big
        log(f"… floor ({scale})")
        result = attempt(f"floor ({scale})", lambda db=db: figures.floor(db, max(runs_here, 3)))
        floor = statistics.median(result[0].wall) if result else None
        if result is not None:
            add("floor", "floor: board figures by SQL", scale, n, result[0],
                note="SQL and program differ: " + "; ".join(result[1]) if result[1] else "")
        if want("load") or want("check"):
            log(f"… load and check ({scale})")
            out = attempt(f"load and check ({scale})", lambda db=db: figures.load_and_check(db, runs_here))
            if out is not None:
                if want("load"):
                    add("load", "load snapshot (open the file)", scale, n, out[0], floor=floor)
                if want("check"):
                    add("check", "full check (run_checks)", scale, n, out[1], floor=floor,
                        target=TARGETS.get(("check", n)), note=f"{out[2]} findings")
        if n <= 100_000:  # nobody edits a county file at a desk
            measure("live", "live score after one correction", scale, n,
                    lambda db=db: figures.live_score(db, runs_here, work), floor=floor,
                    target=TARGETS.get(("live", n)))
            measure("live", "live score after a birth-date correction", scale, n,
                    lambda db=db: figures.live_score(db, runs_here, work, field="birth_date"), floor=floor)
        if n == 10_000:
            measure("cold", "cold start to the main window", scale, n,
                    lambda db=db: figures.cold_start(db, medium, work, src=src, profile=HERE / "out" / "profiles" /
                                                     "cold-10000.txt" if args.profile else None), floor=floor,
                    target=TARGETS[("cold", n)])
            measure("register", "open the population register", scale, n,
                    lambda db=db: figures.register_open(db, small), floor=floor, target=TARGETS[("register", n)])
            measure("search", "a keystroke in the register's search", scale, n,
                    lambda db=db: figures.register_search(db, small), floor=floor, target=TARGETS[("search", n)])
            measure("export", "month export (PDF + XLSX + poster)", scale, n,
                    lambda db=db: figures.export(db, medium, work), floor=floor, target=TARGETS[("export", n)])

    # the township: 40 villages of 1,000 people (a township); with --full 100 of 10,000 (a county's million)
    townships = [(40, files.get(1_000))] + ([(100, files.get(10_000))] if args.full else [])
    for count, base in townships:
        if base is None or not (want("import") or want("aggregate")):
            continue
        corpus = attempt(f"township of {count} villages",
                         lambda count=count, base=base: villages.township_corpus(count, base, log=log))
        if corpus is None:
            continue
        scale = f"{count} villages, {corpus.persons:,} people"
        log(f"… floor ({scale})")
        floor_runs = attempt(f"floor ({scale})", lambda: figures.villages_floor(corpus.villages, medium))
        floor = statistics.median(floor_runs.wall) if floor_runs else None
        if floor_runs is not None:
            add("floor", "floor: board figures by SQL, every village file", scale, corpus.persons, floor_runs)
        imported = work / "township-imported.sqlite"
        imported.unlink(missing_ok=True)
        row = measure("import", f"township import of {count} files", scale, corpus.persons,
                      lambda: figures.township_import(corpus.township, corpus.files, medium, work), floor=floor,
                      target=TARGETS.get(("import", count)))
        if want("aggregate") and not imported.exists() and row is None:  # the import is what makes its input
            attempt(f"township import of {count} files ({scale})",
                    lambda: figures.township_import(corpus.township, corpus.files, 1, work))
        if imported.exists():
            measure("aggregate", "township aggregate (table, indicators, ranking)", scale, corpus.persons,
                    lambda: figures.township_aggregate(imported, small), floor=floor,
                    target=TARGETS[("aggregate", 1_000_000)] if corpus.persons >= 1_000_000 else None)

    info["load_average_after"] = load_average()
    info["seconds"] = round(time.perf_counter() - started, 1)
    print_table(rows, info, errors)
    write_json(Path(args.json), rows, info, errors, sys.argv[1:] if argv is None else argv)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if errors else 0


def profiled(fn, name: str):
    """``fn`` recorded by pyinstrument; the profile goes to benchmarks/out/profiles/``name``.txt."""
    def run():
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        try:
            return fn()
        finally:
            profiler.stop()
            folder = HERE / "out" / "profiles"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.txt").write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
            print(f"   profile: {folder / (name + '.txt')}", file=sys.stderr)
    return run


def detail(name: str) -> int:
    """Run one of the single-figure scripts (on the harness's 10,000-person demo village when it takes one)."""
    import runpy

    import villages

    script, extra, village = DETAILS[name]
    if village:
        extra = ["--db", str(villages.demo_village(10_000, log=lambda text: print(text, file=sys.stderr))), *extra]
    sys.argv = [str(HERE / script), *extra]
    runpy.run_path(str(HERE / script), run_name="__main__")
    return 0


def print_table(rows: list[Row], info: dict, errors: list[str]) -> None:
    print(f"\nfpdesk performance — {dt.datetime.now():%Y-%m-%d %H:%M}, {info['cpu']} ({info['cores']} cores, "
          f"{info['memory']}), Python {info['python']}, SQLite {info['sqlite']}")
    print(f"calibration {info['calibration_ms']} ms (≈10 ms on a 2020s laptop); load average "
          f"{info['load_average_before']} before, {info['load_average_after']} after; {info['seconds']:.0f} s in all\n")
    header = ("figure", "on", "median", "spread (min–max)", "CPU", "runs", "target", "", "× floor")
    lines = [header]
    for r in rows:
        runs = r.runs
        if runs is None or not runs.wall:
            lines.append((r.figure, r.scale, "—", r.note or "failed", "", "", _ms(r.target) if r.target else "", "", ""))
            continue
        median = statistics.median(runs.wall)
        met = "" if r.target is None else ("✔" if median <= r.target else "✘")
        ratio = f"{median / r.floor:.1f}" if r.floor else ""
        lines.append((r.figure, r.scale, _ms(median), f"{_ms(min(runs.wall))} – {_ms(max(runs.wall))}",
                      _ms(statistics.median(runs.cpu)), str(len(runs.wall)), _ms(r.target) if r.target else "",
                      met, ratio))
        for name, seconds in r.parts.items():
            lines.append((f"    {name}", "", _ms(seconds), "", "", "", "", "", ""))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for i, line in enumerate(lines):
        print("  ".join(cell.ljust(w) if j < 2 or j == 3 else cell.rjust(w) for j, (cell, w) in
                        enumerate(zip(line, widths))).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    notes = [f"{r.figure} ({r.scale}): {r.note}" for r in rows if r.note and r.runs is not None and r.runs.wall]
    for note in notes:
        print("note:", note)
    for error in errors:
        print("FAILED:", error)


def write_json(path: Path, rows: list[Row], info: dict, errors: list[str], argv: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    figures = []
    for r in rows:
        runs = r.runs
        entry = {"key": r.key, "figure": r.figure, "on": r.scale, "persons": r.persons, "target_s": r.target,
                 "floor_s": r.floor, "note": r.note}
        if runs is not None and runs.wall:
            median = statistics.median(runs.wall)
            entry.update(runs=len(runs.wall), median_s=median, min_s=min(runs.wall), max_s=max(runs.wall),
                         cpu_median_s=statistics.median(runs.cpu), wall_s=runs.wall,
                         met=None if r.target is None else median <= r.target,
                         ratio_to_floor=median / r.floor if r.floor else None,
                         parts_median_s=r.parts)
        figures.append(entry)
    data = {"generated": dt.datetime.now().isoformat(timespec="seconds"), "arguments": argv, "machine": info,
            "figures": figures, "errors": errors}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n(written to {path})")


if __name__ == "__main__":
    sys.exit(main())
