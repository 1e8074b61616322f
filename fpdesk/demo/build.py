"""Making the demo village file: simulate in memory, write it all through the services in one transaction into
a temporary file next to the target, then put that file in the target's place in one step."""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from fpdesk import ops
from fpdesk.dates import statistics_year_bounds
from fpdesk.db import open_village_file
from fpdesk.demo import calls
from fpdesk.demo.desk import BASELINE
from fpdesk.demo.model import World, VillageInfo
from fpdesk.demo.names import COUNTIES, GROUP_NAMES, VILLAGE_NAMES
from fpdesk.demo.plants import PlantedError, plant_errors
from fpdesk.demo.population import populate
from fpdesk.demo.simulate import simulate
from fpdesk.errors import InputError

HISTORY_YEARS = 5
BASELINE_SHARE = 0.93     # the starting population; births, brides and newcomers bring it to ``persons``


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What ``make_demo_village`` made.

    path: the village file.
    village: the village's name; code: its 12-digit code.
    start: the day the file's records begin (baseline); as_of: the simulated "today".
    persons, households, births, events: rows of person, household, birth and change_event.
    planted: the deliberate errors, one per kind (see ``fpdesk.demo``).
    seconds: how long it took (wall clock; not part of the file).
    """

    path: Path
    village: str
    code: str
    start: dt.date
    as_of: dt.date
    persons: int
    households: int
    births: int
    events: int
    planted: tuple[PlantedError, ...]
    seconds: float


def history_start(as_of: dt.date) -> dt.date:
    """The first day of the statistics year (1 October) five years before the one ``as_of`` is in."""
    first, _ = statistics_year_bounds(as_of)
    return first.replace(year=first.year - HISTORY_YEARS)


def _village(rng: random.Random, persons: int) -> tuple[VillageInfo, list[str]]:
    region, county, towns = rng.choice(COUNTIES)
    ti = rng.randrange(len(towns))
    info = VillageInfo(code=f"{region}{101 + ti:03d}{rng.randint(200, 230):03d}", region=region,
                       name=rng.choice(VILLAGE_NAMES), township=towns[ti], county=county, clerk="",
                       phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}")
    return info, list(GROUP_NAMES[:max(5, min(10, round(persons / 450)))])


def plan_village(*, persons: int, seed: int, as_of: dt.date) -> tuple[World, tuple[PlantedError, ...]]:
    """The whole village decided in memory (nothing written yet)."""
    rng = random.Random(seed)
    start = history_start(as_of)
    info, groups = _village(rng, persons)
    world = World(rng=rng, start=start, as_of=as_of, village=info, groups=groups)
    names = world.names
    info.clerk = names.full("2", dt.date(rng.randint(1975, 1988), 6, 1))
    heads = [(g, names.full("1", dt.date(rng.randint(1960, 1980), 6, 1), names.village_surname())) for g in groups]
    world.desk.add(BASELINE, start, (), calls.setup(
        code=info.code, name=info.name, township=info.township, county=info.county, clerk=info.clerk,
        phone=info.phone, groups=heads,
        settings=[("baseline_date", start.isoformat()), ("demo_village", "1")]))
    populate(world, round(persons * BASELINE_SHARE))
    simulate(world)
    return world, plant_errors(world)


def make_demo_village(
    path: str | Path, *, persons: int = 3000, seed: int = 1, as_of: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Make (or replace) the demo village file at ``path``: about ``persons`` people, five years and more of
    history up to ``as_of`` (default today), and the planted errors. The same persons, seed and as_of make the
    same records. progress(done, total) is called as the records are written."""
    if persons < 200:
        raise InputError("演示村至少需要200人。", field="persons")
    started = time.perf_counter()
    day = as_of or dt.date.today()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    world, planted = plan_village(persons=persons, seed=seed, as_of=day)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".building", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = open_village_file(tmp, create=True)
        try:
            # A half-built temporary file is worthless, so no journal on disk while it is built.
            conn.execute("PRAGMA journal_mode = MEMORY")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA cache_size = -65536")
            with ops.batch(conn, savepoints=False):      # any error abandons the whole file
                world.desk.run(conn, progress)
            counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("person", "household", "birth", "change_event")}
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
        _replace(tmp, target)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return DemoSummary(
        path=target, village=world.village.name, code=world.village.code, start=world.start, as_of=day,
        persons=counts["person"], households=counts["household"], births=counts["birth"],
        events=counts["change_event"], planted=planted, seconds=time.perf_counter() - started,
    )


def _replace(tmp: Path, target: Path) -> None:
    """Put the finished file in place in one step (``os.replace``), after it is safely on disk. A stale WAL of an
    old file at the target would be read as part of the new one, so it goes first."""
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    # mkstemp makes the file private (0600); give it the mode of the file it replaces, or the usual one
    if target.exists():
        os.chmod(tmp, target.stat().st_mode & 0o777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
        stale.unlink(missing_ok=True)
    try:
        os.replace(tmp, target)
    except PermissionError as exc:
        raise InputError(f"无法替换“{target}”（文件可能正被打开），请关闭后重试。", field="db") from exc
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
