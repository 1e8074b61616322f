"""Making a township file and what it knows about itself: the township, its villages, the reporting deadline day
and the scoring scheme in force (from a month on: a township adopts next year's 细则 without losing this year's).

    init_township(path, name="城关镇", villages=read_village_list("villages.csv"))
    info = township_info(conn)           # Township: name, start month, deadline day
    scheme = scheme_for(conn, "2026-11")  # the Scheme the township scores that month under
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from fpdesk.dates import parse_period, period_of
from fpdesk.deadline import DEFAULT_DEADLINE_DAY, due_date
from fpdesk.errors import InputError
from fpdesk.score import Scheme, SchemeError, read_scheme, scheme_by_name
from fpdesk.score.loader import Problem
from fpdesk.score.select import DEFAULT_SCHEME
from fpdesk.township.db import open_township_file, transaction
from fpdesk.township.errors import TownshipFileError, VillageListError
from fpdesk.township.villages import VillageEntry

# Files of months this long before the township file was made are still taken (last year's backlog).
BACKLOG_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Township:
    """The township of a township file.

    name: 乡镇名称; county: 县区; created_on: the day the file was made.
    start_period: the earliest month whose village files are taken; deadline_day: reports are due on this day
    of the next month (报送截止).
    """

    name: str
    county: str
    created_on: dt.date
    start_period: str
    deadline_day: int

    def due(self, period: str) -> dt.date:
        """The last day to hand in the report of ``period``."""
        return due_date(period, self.deadline_day)


def _months_before(period: str, months: int) -> str:
    index = int(period[:4]) * 12 + int(period[5:7]) - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _check_deadline_day(day: int) -> int:
    if not isinstance(day, int) or not 1 <= day <= 28:
        raise InputError(f"报送截止日应为次月 1 至 28 日之间（现为 {day}）。", field="deadline_day")
    return day


def _scheme_row(scheme: str | Path | Scheme) -> tuple[str, str | None]:
    """(key, TOML text or None) for a shipped scheme's key or name, or the township's own scheme file, which is
    kept whole in the township file so that next year's program scores this year's months the same way."""
    if isinstance(scheme, Scheme):
        if scheme.path is not None and scheme not in _shipped():
            return scheme.key, Path(scheme.path).read_text(encoding="utf-8")
        return scheme.key, None
    text = str(scheme)
    found = scheme_by_name(text)              # raises SchemeError (Chinese) for an unknown or broken scheme
    if found in _shipped():
        return found.key, None
    return found.key, Path(text).read_text(encoding="utf-8")


def _shipped() -> tuple[Scheme, ...]:
    from fpdesk.score import builtin_schemes

    return builtin_schemes()


def init_township(
    path: str | Path, *, name: str, villages: Sequence[VillageEntry], county: str = "",
    deadline_day: int = DEFAULT_DEADLINE_DAY, scheme: str | Path | Scheme = DEFAULT_SCHEME,
    start_period: str | None = None, today: dt.date | None = None,
) -> sqlite3.Connection:
    """Create the township file at ``path`` (which must not exist, or be empty) and return it open.

    start_period: the earliest month taken (default: twelve months before this one, for last year's backlog).
    Raises ``InputError`` / ``VillageListError`` / ``SchemeError`` (Chinese) before anything is created.
    """
    day = today or dt.date.today()
    township_name = " ".join(str(name or "").split())
    if not township_name:
        raise InputError("请填写乡镇名称。", field="name")
    if not villages:
        raise VillageListError("村名单是空的：乡镇至少要有一个村。")
    _check_deadline_day(deadline_day)
    start = parse_period(start_period, field="start_period") if start_period else _months_before(period_of(day),
                                                                                                   BACKLOG_MONTHS)
    key, toml_text = _scheme_row(scheme)
    file = Path(path)
    if file.exists() and file.stat().st_size > 0:
        raise TownshipFileError(f"“{file}”已存在，不会覆盖。请换一个文件名，或先移走原文件。")
    conn = open_township_file(file, create=True)
    try:
        with transaction(conn):
            conn.execute("INSERT INTO township(id, name, county, created_on, start_period, deadline_day)"
                         " VALUES (1, ?, ?, ?, ?, ?)", (township_name, county.strip(), day.isoformat(), start,
                                                        deadline_day))
            conn.executemany("INSERT INTO village(code, name, position, added_on) VALUES (?, ?, ?, ?)",
                             [(v.code, v.name, v.position, day.isoformat()) for v in villages])
            conn.execute("INSERT INTO scheme_in_force(from_period, scheme_key, scheme_toml, set_on)"
                         " VALUES (?, ?, ?, ?)", (start, key, toml_text, day.isoformat()))
    except BaseException:
        conn.close()
        for leftover in (file, Path(f"{file}-wal"), Path(f"{file}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return conn


def township_info(conn: sqlite3.Connection) -> Township:
    """The township row; ``TownshipFileError`` for a file never set up."""
    row = conn.execute("SELECT * FROM township WHERE id = 1").fetchone()
    if row is None:
        raise TownshipFileError("乡镇汇总文件尚未建立乡镇（名称、村名单）。")
    return Township(name=row["name"], county=row["county"], created_on=dt.date.fromisoformat(row["created_on"]),
                    start_period=row["start_period"], deadline_day=row["deadline_day"])


def villages(conn: sqlite3.Connection) -> tuple[VillageEntry, ...]:
    """The township's villages in the order of its own list."""
    return tuple(VillageEntry(code=r["code"], name=r["name"], position=r["position"])
                 for r in conn.execute("SELECT code, name, position FROM village ORDER BY position, code"))


def set_deadline_day(conn: sqlite3.Connection, day: int) -> None:
    """Reports are due on ``day`` of the next month from now on (late/on-time is recomputed for every month)."""
    _check_deadline_day(day)
    with transaction(conn):
        conn.execute("UPDATE township SET deadline_day = ? WHERE id = 1", (day,))


def set_scheme(conn: sqlite3.Connection, scheme: str | Path | Scheme, *, from_period: str,
               today: dt.date | None = None) -> None:
    """Score months from ``from_period`` on under ``scheme`` (a shipped key or name, or the township's file)."""
    start = parse_period(from_period, field="from_period")
    key, toml_text = _scheme_row(scheme)
    with transaction(conn):
        conn.execute("INSERT OR REPLACE INTO scheme_in_force(from_period, scheme_key, scheme_toml, set_on)"
                     " VALUES (?, ?, ?, ?)", (start, key, toml_text, (today or dt.date.today()).isoformat()))


def scheme_for(conn: sqlite3.Connection, period: str) -> Scheme:
    """The scheme in force for ``period``: the latest set from that month or before (the first one for a month
    before any)."""
    row = conn.execute("SELECT scheme_key, scheme_toml FROM scheme_in_force WHERE from_period <= ?"
                       " ORDER BY from_period DESC LIMIT 1", (period,)).fetchone()
    if row is None:
        row = conn.execute("SELECT scheme_key, scheme_toml FROM scheme_in_force ORDER BY from_period LIMIT 1"
                           ).fetchone()
    if row is None:
        return scheme_by_name(DEFAULT_SCHEME)
    if row["scheme_toml"] is None:
        return scheme_by_name(row["scheme_key"])
    try:
        data = tomllib.loads(row["scheme_toml"])
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError(row["scheme_key"], (Problem("error", "", f"乡镇保存的方案文本已损坏：{exc}"),)) from None
    scheme, problems = read_scheme(data)
    if scheme is None:
        raise SchemeError(row["scheme_key"], problems)
    return scheme
