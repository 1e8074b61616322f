"""The village files the performance harness measures, made once and kept under benchmarks/out/ (git-ignored).

    demo_village(1000)            the demo village (fpdesk.demo), 1,000 people: ~1 s to make
    demo_village(10000)           ~10 s to make
    county_file(10, base)         100,000 people: the 10,000-person demo village ten times over, in one file
    county_file(100, base)        1,000,000 people: a county-sized file, a hundred times over
    township_corpus(40, base)     40 villages of a township (copies of ``base`` under their own codes and names),
                                  each with its October 2026 file exported and submitted, and the township file

The demo generator makes ~1,000 people a second, so a 1,000,000-person file made by it would take a quarter of an
hour. The big files are made instead by copying the rows of one demo village inside SQLite
(``INSERT … SELECT`` from the attached demo file), copy ``k`` with every id shifted past the copies before it,
household numbers and roster numbers suffixed ``-k``, names given a two-character suffix (the same on the
person and on the birth and marriage rows that name them, so the copies are not duplicates of each other for the
checks) and ID numbers moved to a region code of their own with the check digit recomputed (a number that was
wrong on purpose in the demo stays wrong). Groups, the village, settings and locks are the demo's; the audit log
is copy 0's only (no ledger reads it). So a copy is the demo village again, with the same planted errors.

Every file is made under a temporary name and renamed when complete; a file present is reused. ``RECIPE`` is part
of every file name: change it when the way files are made changes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from stdnum.cn import ric

OUT = Path(__file__).resolve().parent / "out"
RECIPE = "r1"
AS_OF = dt.date(2026, 11, 23)     # the day every village stands on (the demo's simulated "today")
PERIOD = "2026-10"                # the month exported and imported (submitted before the 5 November deadline)
MADE_AT = dt.datetime(2026, 11, 3, 9, 30)
SEED = 7
TOWNSHIP, COUNTY, TOWNSHIP_CODE = "城关镇", "江岸区", "420102001"
_DIGITS = "零一二三四五六七八九"

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def _finish(tmp: Path, path: Path) -> Path:
    tmp.replace(path)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    return path


def demo_village(persons: int, *, seed: int = SEED, log: Log = _quiet) -> Path:
    """The demo village of ``persons`` people as of ``AS_OF`` (made by ``fpdesk.demo``, then kept)."""
    from fpdesk.demo import make_demo_village

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"village_{persons}_s{seed}_{RECIPE}.sqlite"
    if path.exists():
        return path
    started = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    make_demo_village(tmp, persons=persons, seed=seed, as_of=AS_OF)
    log(f"made {path.name}: demo village of {persons:,} people in {time.perf_counter() - started:.1f} s")
    return _finish(tmp, path)


# ---- copies of a village inside one file ------------------------------------------------------------------------

# Tables copied row for row, with the columns that hold ids of other tables ({column: table}).
_COPIED = {
    "household": {"id": "household"},
    "person": {"id": "person", "household_id": "household"},
    "marriage": {"id": "marriage", "person_id": "person", "spouse_id": "person"},
    "birth": {"id": "birth", "mother_id": "person", "child_id": "person"},
    "measure": {"id": "measure", "person_id": "person"},
    "pregnancy": {"id": "pregnancy", "person_id": "person"},
    "service": {"id": "service", "person_id": "person"},
    "benefit": {"id": "benefit", "person_id": "person"},
    "migration": {"id": "migration", "person_id": "person"},
    "certificate": {"id": "certificate", "person_id": "person"},
    "change_event": {"id": "change_event", "person_id": "person"},
}
# Columns rewritten for copy k (besides the ids): SQL over the source column, with :k and :suffix bound.
_REWRITTEN = {
    "household": {"number": "number || '-' || :k"},
    "person": {"roster_no": "CASE WHEN roster_no IS NULL THEN NULL ELSE roster_no || '-' || :k END",
               "name": "name || :suffix", "id_number": "bench_id(id_number, :k)"},
    "marriage": {"spouse_name": "CASE WHEN spouse_id IS NULL THEN spouse_name ELSE spouse_name || :suffix END"},
    "birth": {"child_name": "child_name || :suffix"},
}


class _IdNumbers:
    """Copy k's ID numbers: the region (digits 1–6) replaced by one of its own for each (copy, region), so that
    no two copies share a number; the check digit recomputed, or kept wrong when it was wrong."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        used = {r[0][2:6] for r in conn.execute("SELECT id_number FROM src.person WHERE length(id_number) = 18")}
        self._free = (f"{n:04d}" for n in range(1000, 10000) if f"{n:04d}" not in used)
        self._region: dict[tuple[int, str], str] = {}

    def __call__(self, number: str | None, k: int) -> str | None:
        if not number or len(number) != 18 or not number[:17].isdigit():
            return number  # blank or malformed on purpose: the copy keeps it
        key = (k, number[:6])
        region = self._region.get(key)
        if region is None:
            region = self._region[key] = number[:2] + next(self._free)
        body = region + number[6:17]
        right = ric.calc_check_digit(body + "0")
        was_right = ric.calc_check_digit(number) == number[17]
        return body + (right if was_right else "0123456789X"[("0123456789X".index(right) + 1) % 11])


def _suffix(k: int) -> str:
    return "" if k == 0 else _DIGITS[k // 10 % 10] + _DIGITS[k % 10]


def _copy_sql(table: str, columns: list[str]) -> str:
    ids, rewritten = _COPIED[table], _REWRITTEN.get(table, {})
    exprs = []
    for c in columns:
        if c in rewritten:
            exprs.append(rewritten[c])
        elif c == "id":
            exprs.append(f"id + :off_{table}")
        elif c in ids:
            exprs.append(f"CASE WHEN {c} IS NULL THEN NULL ELSE {c} + :off_{ids[c]} END")
        elif table == "change_event" and c == "record_id":
            shifts = " ".join(f"WHEN '{t}' THEN record_id + :off_{t}" for t in _COPIED if t != "change_event")
            exprs.append(f"CASE record_table {shifts} ELSE record_id END")
        else:
            exprs.append(c)
    return f"INSERT INTO main.{table} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM src.{table} ORDER BY id"


def county_file(copies: int, base: Path, *, log: Log = _quiet) -> Path:
    """``copies`` times the village ``base`` in one village file (see the module docstring)."""
    persons = _persons(base)
    path = OUT / f"county_{persons * copies}_{base.stem}.sqlite"  # (the stem names the recipe)
    if path.exists():
        return path
    started = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    shutil.copyfile(base, tmp)
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("ATTACH DATABASE ? AS src", (str(base),))
        conn.create_function("bench_id", 2, _IdNumbers(conn), deterministic=True)
        stride = {t: (conn.execute(f"SELECT max(id) FROM src.{t}").fetchone()[0] or 0) + 1 for t in _COPIED}
        columns = {t: [r[1] for r in conn.execute(f"PRAGMA src.table_info({t})")] for t in _COPIED}
        statements = {t: _copy_sql(t, columns[t]) for t in _COPIED}
        conn.execute("BEGIN")
        for k in range(1, copies):
            params = {"k": k, "suffix": _suffix(k), **{f"off_{t}": k * n for t, n in stride.items()}}
            for table, sql in statements.items():
                conn.execute(sql, params)
            if k % 10 == 0:
                log(f"  {path.name}: {k}/{copies} copies")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    log(f"made {path.name}: {copies} × {base.name} in {time.perf_counter() - started:.1f} s")
    return _finish(tmp, path)


def _persons(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM person").fetchone()[0]
    finally:
        conn.close()


# ---- a township of villages -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Township:
    """A township corpus: the township file with its village list (nothing imported), the villages' files and
    their October files (workbooks), and how many people the villages hold together."""

    township: Path
    villages: tuple[Path, ...]
    files: tuple[Path, ...]
    persons: int


def township_corpus(count: int, base: Path, *, log: Log = _quiet) -> Township:
    """``count`` villages of 城关镇, each the village ``base`` under its own code and name, each with its October
    exported and submitted as the village program does it (``fpdesk.export.export_month``), and the township
    file listing them."""
    from fpdesk import services
    from fpdesk.db import open_village_file
    from fpdesk.export import export_month
    from fpdesk.township import init_township, read_village_list

    folder = OUT / f"township_{count}x{base.stem}"
    done = folder / "complete"
    persons = _persons(base) * count
    codes = [f"{TOWNSHIP_CODE}{200 + n:03d}" for n in range(1, count + 1)]
    villages = tuple(folder / "villages" / f"{code}.sqlite" for code in codes)
    township = folder / "township.sqlite"
    if done.exists():
        files = tuple(sorted((folder / "files").glob("*.xlsx")))
        return Township(township, villages, files, persons)
    started = time.perf_counter()
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "villages").mkdir(parents=True)
    files = []
    for n, (code, db) in enumerate(zip(codes, villages), start=1):
        shutil.copyfile(base, db)
        conn = open_village_file(db)
        try:
            services.setup_village(conn, code=code, name=f"第{n}村", township=TOWNSHIP, county=COUNTY, today=AS_OF)
            result = export_month(conn, period=PERIOD, out_dir=folder / "export" / code, submit=True, today=AS_OF)
        finally:
            conn.close()
        (folder / "files").mkdir(exist_ok=True)
        files.append(shutil.copy2(result.xlsx, folder / "files" / result.xlsx.name))
        if n % 10 == 0:
            log(f"  {folder.name}: {n}/{count} villages exported")
    listing = folder / "villages.csv"
    listing.write_text("村代码,村名称\n" + "".join(f"{c},第{n}村\n" for n, c in enumerate(codes, start=1)),
                       encoding="utf-8-sig")
    init_township(township, name=TOWNSHIP, county=COUNTY, villages=read_village_list(listing), today=AS_OF).close()
    done.write_text(f"{count} villages, {persons} persons\n")
    log(f"made {folder.name}: {count} villages exported and a township file in {time.perf_counter() - started:.1f} s")
    return Township(township, villages, tuple(Path(f) for f in sorted(files)), persons)
