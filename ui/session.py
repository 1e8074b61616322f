"""The open village: its connection, the current snapshot, and the one signal every view refreshes from.

Views never write to the database. They call ``session.apply(service_function, **kwargs)``; the service does the
change in one transaction and returns ``Changes``; the session brings its snapshot up to date (re-reading only the
rows the action wrote) and emits ``changed`` once, so a birth entered on a card appears at once in the registers,
the change report, the board and the score.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, Signal

from fpdesk.dates import period_of
from fpdesk.db import open_village_file
from fpdesk.filelock import VillageLock, open_exclusive
from fpdesk.ops import Changes
from fpdesk.snapshot import Snapshot, load_snapshot, refresh_snapshot

if TYPE_CHECKING:
    from fpdesk.checks.incremental import CheckResult


class VillageSession(QObject):
    """One open village file."""

    changed = Signal(object)          # Changes of the action just done
    period_changed = Signal(str)      # the month being worked on ('2026-11')

    def __init__(
        self, path: Path, conn: sqlite3.Connection, *, user: str = "", lock: VillageLock | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        self.conn = conn
        self.lock = lock  # the OS lock that keeps other windows and computers out (None in tests)
        self.user = user
        self.today: dt.date | None = None  # None = the real date; tests and demos pin it
        self.period = period_of(self.day())
        self._snapshot: Snapshot | None = None
        self._checked: CheckResult | None = None  # the last check, rule by rule
        self._unchecked: list[Changes] = []        # what was done since it

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> "VillageSession":
        """Open a village file as its only writer (``FileLockedError`` if another window has it)."""
        opened = open_exclusive(path, create=create)
        return cls(Path(path), opened.conn, lock=opened.lock)

    def reopen(self) -> None:
        """Open the connection again after the file was replaced (a restore); views refresh from ``changed``."""
        self.conn = open_village_file(self.path)
        self.reload()

    def reload(self) -> None:
        """Forget the snapshot and the check: the file was written by someone else than ``apply``."""
        self._snapshot = None
        self._checked = None
        self._unchecked = []

    def day(self) -> dt.date:
        """Today, as the ledgers see it."""
        return self.today or dt.date.today()

    @property
    def snapshot(self) -> Snapshot:
        """The village as it is now (brought up to date after each change)."""
        if self._snapshot is None:
            self._snapshot = load_snapshot(self.conn, as_of=self.day())
        return self._snapshot

    @property
    def findings(self) -> tuple:
        """The ledger checks' findings for the snapshot (``fpdesk.checks``): the full check once, then after each
        change only the people it touched are checked again (``checks.incremental.recheck``)."""
        from fpdesk.checks.incremental import check_village, recheck  # the checks load after the window shows

        snap = self.snapshot
        checked = self._checked
        if checked is None or (checked.snapshot is not snap and not self._unchecked):
            checked = check_village(snap)  # first, or the file was read again (``reload``)
        elif checked.snapshot is not snap:
            checked = recheck(checked, snap, self._unchecked)
        self._checked, self._unchecked = checked, []
        return checked.findings

    def set_period(self, period: str) -> None:
        if period != self.period:
            self.period = period
            self.period_changed.emit(period)

    def apply(self, service: Callable[..., Changes], /, **kwargs: Any) -> Changes:
        """Run a core service function as the clerk; InputError propagates to the form that called it."""
        kwargs.setdefault("today", self.today)
        changes = service(self.conn, user=self.user, **kwargs)
        if self._snapshot is not None:
            # only what the action wrote is read again: a full load takes half a second on 10,000 people
            try:
                self._snapshot = refresh_snapshot(self.conn, self._snapshot, changes, as_of=self.day())
            except sqlite3.Error:
                self._snapshot = None  # the action is saved; the next read loads the whole file
        if self._checked is not None:
            self._unchecked.append(changes)
        self.changed.emit(changes)
        return changes

    def close(self) -> None:
        from fpdesk.indicators import carry
        from fpdesk.ledgers.population import forget_previous

        self.conn.close()
        if self.lock is not None:
            self.lock.release()
        # what was kept to redo only an edit's part of the score: the village's records need not stay in memory
        carry.forget()
        forget_previous()
