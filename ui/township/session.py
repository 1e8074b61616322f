"""The open township file: its connection, the month being looked at, and what the core says about that month.

Views never compute a figure: they read ``month`` (status, table, indicators, scores, reporting over time), which
the session asks the core for once per change and per month, and they refresh on ``changed``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from fpdesk.dates import period_of, previous_period
from fpdesk.errors import FileLockedError
from fpdesk.filelock import VillageLock
from fpdesk.township import (
    MonthCount, MonthScores, MonthStatus, Township, TownshipFileError, TownshipIndicators, TownshipTable,
    month_scores, month_status, open_township_file, reporting_over_time, township_indicators, township_info,
    township_table,
)
from fpdesk.township.report import key_indicator_keys
from fpdesk.township.status import months_between

LOCKED = "该乡镇汇总文件已在另一个窗口或另一台电脑上打开{holder}，不能再次打开。请先关闭那个窗口后重试。"


@dataclass(frozen=True, slots=True)
class MonthView:
    """What the township window shows for one month (all from the core)."""

    period: str
    status: MonthStatus
    table: TownshipTable
    indicators: TownshipIndicators
    scores: MonthScores
    over_time: tuple[MonthCount, ...]


class TownshipSession(QObject):
    """One open township file, held as its only writer."""

    changed = Signal()            # an import was written: every view reloads
    period_changed = Signal(str)

    def __init__(self, path: Path, conn: sqlite3.Connection, *, lock: VillageLock | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__()
        self.path = path
        self.conn = conn
        self.lock = lock
        self.today = today
        self.township: Township = township_info(conn)
        self.period = self.default_period()
        self._month: MonthView | None = None

    @classmethod
    def open(cls, path: str | Path, *, today: dt.date | None = None) -> "TownshipSession":
        """Open the township file, locking out other windows (``TownshipFileError`` when another has it)."""
        file = Path(path)
        lock = VillageLock(file)
        try:
            lock.acquire()
        except FileLockedError as exc:
            raise TownshipFileError(LOCKED.format(holder=exc.holder)) from None
        try:
            conn = open_township_file(file)
        except BaseException:
            lock.release()
            raise
        return cls(file, conn, lock=lock, today=today)

    def close(self) -> None:
        self.conn.close()
        if self.lock is not None:
            self.lock.release()

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    def months(self) -> tuple[str, ...]:
        """The months a township looks at, newest first: from its first month to this one."""
        return tuple(reversed(months_between(self.township.start_period, period_of(self.day()))))

    def default_period(self) -> str:
        """Last month: the reports the villages are handing in now."""
        last = previous_period(period_of(self.day()))
        return max(last, self.township.start_period)

    def set_period(self, period: str) -> None:
        if period != self.period:
            self.period = period
            self._month = None
            self.period_changed.emit(period)

    def refresh(self) -> None:
        """The township file changed (an import): reload and tell every view."""
        self.township = township_info(self.conn)
        self._month = None
        self.changed.emit()

    @property
    def month(self) -> MonthView:
        if self._month is None:
            scores = month_scores(self.conn, self.period)
            self._month = MonthView(
                period=self.period, status=month_status(self.conn, self.period, today=self.day()),
                table=township_table(self.conn, self.period),
                indicators=township_indicators(self.conn, self.period, keys=key_indicator_keys(scores)),
                scores=scores, over_time=reporting_over_time(self.conn, until=self.period, today=self.day()))
        return self._month
