"""The township's test villages: 40 small demo villages of 城关镇, each with its October 2026 file submitted, made
once per test session (and by ``benchmarks/township_bench.py``), plus the helpers the township tests share.

Files are made the way the village program makes them (``fpdesk.export``: the month's content, the workbook, the
submission that locks the month), with the moment of making fixed, so that the tests do not depend on the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from fpdesk import services
from fpdesk.db import open_village_file
from fpdesk.demo import make_demo_village
from fpdesk.export import file_stem, month_content
from fpdesk.export.xlsx import write_workbook
from fpdesk.services.periods import submit_period, unlock_period
from fpdesk.snapshot import load_snapshot

TODAY = dt.date(2026, 11, 23)            # the villages' data stand on this day
PERIOD = "2026-10"
MADE_AT = dt.datetime(2026, 11, 3, 9, 30)   # before the deadline (5 November)
TOWNSHIP = "城关镇"
COUNTY = "江岸区"
TOWNSHIP_CODE = "420102001"
N_VILLAGES = 40
_NAMES = [f"{a}{b}村" for a in "东西南北新老上下" for b in ("河", "山", "湾", "岗", "坪")]


@dataclass(frozen=True, slots=True)
class Village:
    """A generated village: code, name, its village file, its October file (the first submission)."""

    code: str
    name: str
    db: Path
    october: Path


def village_code(n: int, township_code: str = TOWNSHIP_CODE) -> str:
    return f"{township_code}{200 + n:03d}"


def export(db: Path, out_dir: Path, *, period: str = PERIOD, made_at: dt.datetime = MADE_AT,
           today: dt.date = TODAY, submit: bool = True) -> Path:
    """Export ``period`` of the village file ``db`` into ``out_dir`` as the village program does — the month's
    content, its workbook, the submission that locks the month (unless ``submit`` is False) — made at ``made_at``
    (``export_month`` takes the clock's time; the tests must not). Returns the workbook's path."""
    conn = open_village_file(db)
    try:
        snap = load_snapshot(conn, as_of=today)
        content = month_content(snap, period=period, submitted=submit, generated_at=made_at)
        data = write_workbook(content)
        if submit:
            submit_period(conn, period=period, correction_no=content.correction_no, today=today)
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{file_stem(content.village.code, period, content.correction_no)}.xlsx"
        path.write_bytes(data)
        return path
    finally:
        conn.close()


def make_village(folder: Path, n: int, *, code: str | None = None, name: str | None = None,
                 township: str = TOWNSHIP, persons: int | None = None) -> Village:
    """Village ``n`` (1 …): a demo village set up as one of the township's, with its October file."""
    code = code or village_code(n)
    name = name or _NAMES[(n - 1) % len(_NAMES)]
    db = folder / "villages" / f"{code}.sqlite"
    make_demo_village(db, persons=persons or 200 + 30 * (n % 5), seed=1000 + n, as_of=TODAY)
    conn = open_village_file(db)
    try:
        services.setup_village(conn, code=code, name=name, township=township, county=COUNTY, today=TODAY)
    finally:
        conn.close()
    return Village(code=code, name=name, db=db, october=export(db, folder / "files"))


def correct_october(village: Village, folder: Path, *, made_at: dt.datetime = MADE_AT + dt.timedelta(days=10)) -> Path:
    """The village's October correction (更正报): unlock, record a death missed in October, submit again.
    Works on a copy of the village file under ``folder``; returns the correction's workbook."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"{village.code}-corrected.sqlite"
    shutil.copy(village.db, db)
    conn = open_village_file(db)
    try:
        unlock_period(conn, period=PERIOD, reason="乡镇通知补录10月死亡", today=TODAY)
        person = conn.execute("SELECT id FROM person WHERE death_date IS NULL AND moved_out_date IS NULL"
                              " ORDER BY birth_date LIMIT 1").fetchone()[0]
        services.record_death(conn, person=person, date="2026-10-15", today=TODAY)
    finally:
        conn.close()
    return export(db, folder, made_at=made_at)


def first_report_again(village: Village, folder: Path, *, made_at: dt.datetime) -> Path:
    """The village's October exported again as a first report (correction 0), made at ``made_at``: as from the
    village file restored from a backup made before October was submitted."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"{village.code}-restored.sqlite"
    shutil.copy(village.db, db)
    raw = sqlite3.connect(db)
    raw.execute("DELETE FROM period_lock")
    raw.commit()
    raw.close()
    return export(db, folder, made_at=made_at)


@functools.cache
def _corpus(folder: str, count: int) -> tuple[Village, ...]:
    base = Path(folder)
    return tuple(make_village(base, n) for n in range(1, count + 1))


def corpus(folder: Path, count: int = N_VILLAGES) -> tuple[Village, ...]:
    """``count`` villages under ``folder`` (made once per process and folder)."""
    return _corpus(str(folder), count)


def villages_csv(path: Path, villages: tuple[Village, ...]) -> Path:
    path.write_text("村代码,村名称\n" + "".join(f"{v.code},{v.name}\n" for v in villages), encoding="utf-8-sig")
    return path


def township_file(folder: Path, villages: tuple[Village, ...], *, name: str = "township.sqlite") -> Path:
    """A new township file for 城关镇 with ``villages``."""
    from fpdesk.township import init_township, read_village_list

    path = folder / name
    conn = init_township(path, name=TOWNSHIP, county=COUNTY, villages=read_village_list(
        villages_csv(folder / f"{name}.csv", villages)), today=TODAY)
    conn.close()
    return path


def content(conn: sqlite3.Connection) -> list[str]:
    """Every row of every table as SQL text: equal before and after = the file's content is unchanged."""
    return list(conn.iterdump())


_SESSION_DIR: Path | None = None


@pytest.fixture(scope="session")
def township_villages() -> tuple[Village, ...]:
    """The 40 villages of 城关镇 with their October files (made once per session)."""
    global _SESSION_DIR
    if _SESSION_DIR is None:
        _SESSION_DIR = Path(tempfile.mkdtemp(prefix="fpdesk-township-"))
    return corpus(_SESSION_DIR)


def test_corpus_villages_are_distinct(township_villages):
    # 40 villages, 40 codes, 40 names, 40 October files named as the format says
    assert len({v.code for v in township_villages}) == N_VILLAGES
    assert len({v.name for v in township_villages}) == N_VILLAGES
    assert all(v.october.name == f"{v.code}_{PERIOD}.xlsx" for v in township_villages)
