"""Time the township import (issue 8: importing 40 village files, target ≤ 5 s in total).

    python benchmarks/township_bench.py                 # 40 villages of ~200–320 people, files cached
    python benchmarks/township_bench.py --villages 40 --runs 5 --fresh

The 40 villages' October files are made once (demo villages, submitted through ``fpdesk.export``) and cached
under ``benchmarks/out/township/`` (git-ignored); ``--fresh`` makes them again. Each run imports all of them into
a new township file, timed as the township office lives it: the preview (read and check every file, weigh it
against the township file), then accepting it (one transaction per file). Then a second import of the same files
(every one "unchanged"), the month's aggregation and ranking, and the report (PDF + XLSX).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fpdesk.township import (  # noqa: E402
    apply_import, import_files, month_report, month_scores, open_township_file, preview_import, township_table,
    write_report,
)
from tests.test_township_villages import PERIOD, TODAY, corpus, township_file  # noqa: E402

CACHE = ROOT / "benchmarks" / "out" / "township"


def _villages(count: int, fresh: bool):
    """The villages and their files, cached on disk between runs (the file list is the cache's index)."""
    if fresh and CACHE.exists():
        shutil.rmtree(CACHE)
    files = sorted((CACHE / "files").glob("*.xlsx")) if CACHE.exists() else []
    if len(files) >= count:
        return files[:count], 0.0
    shutil.rmtree(CACHE, ignore_errors=True)
    started = time.perf_counter()
    made = corpus(CACHE, count)
    return [v.october for v in made], time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="make the village files again")
    args = parser.parse_args()

    files, made = _villages(args.villages, args.fresh)
    if made:
        print(f"made {len(files)} village files in {made:.1f} s (cached in {CACHE})")
    size = sum(f.stat().st_size for f in files)
    print(f"{len(files)} files, {size / 1024:.0f} KiB in all")

    from tests.test_township_villages import Village

    villages = tuple(Village(code=f.stem.split("_")[0], name=f"村{n}", db=Path(), october=f)
                     for n, f in enumerate(files, start=1))
    times = {"preview": [], "accept": [], "total": [], "again": [], "aggregate": [], "report": []}
    with tempfile.TemporaryDirectory(prefix="township-bench-") as tmp:
        for run in range(args.runs):
            folder = Path(tmp) / f"run{run}"
            folder.mkdir()
            conn = open_township_file(township_file(folder, villages))
            t0 = time.perf_counter()
            preview = preview_import(conn, files, today=TODAY)
            t1 = time.perf_counter()
            summary = apply_import(conn, preview)
            t2 = time.perf_counter()
            assert len(summary.imported) == len(files), summary.text
            again = import_files(conn, files, today=TODAY)
            t3 = time.perf_counter()
            assert len(again.unchanged) == len(files), again.text
            township_table(conn, PERIOD)
            month_scores(conn, PERIOD)
            t4 = time.perf_counter()
            write_report(month_report(conn, PERIOD, today=TODAY), folder / "report")
            t5 = time.perf_counter()
            conn.close()
            for key, value in (("preview", t1 - t0), ("accept", t2 - t1), ("total", t2 - t0), ("again", t3 - t2),
                               ("aggregate", t4 - t3), ("report", t5 - t4)):
                times[key].append(value)
    labels = {"preview": "preview (read + check + weigh)", "accept": "accept (write, 1 transaction/file)",
              "total": f"import of {len(files)} files", "again": "second import (all unchanged)",
              "aggregate": "table + scores + ranking", "report": "report PDF + XLSX"}
    print(f"{args.runs} runs; median (min – max):")
    for key, values in times.items():
        print(f"  {labels[key]:<38} {statistics.median(values):6.2f} s  ({min(values):.2f} – {max(values):.2f})")
    total = statistics.median(times["total"])
    print(f"target: import of 40 files ≤ 5 s — {'met' if total <= 5 else 'NOT met'} ({total:.2f} s)")
    return 0 if total <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
