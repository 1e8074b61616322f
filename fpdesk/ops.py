"""One clerk action = one transaction, audited, with the change events it causes (Anki's CollectionOp/OpChanges).

Service functions open an ``operation``; everything they write goes through it, so that
  * the whole action commits or nothing does (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any exception);
  * every written field lands in ``audit_log`` with its old and new value, under one ``operation`` row;
  * each change the monthly report must list becomes a ``change_event`` with the date it happened and the date
    it was entered;
  * the caller gets back a ``Changes`` record saying what changed, which the UI uses to refresh its views.

Inside an outer transaction (a batch such as the demo generator) an operation becomes a SAVEPOINT.

Inside ``baseline(conn)`` operations record the village as it stood before the file began (the demo village's
starting population, its women's past births and measures): audited as usual, but with no change events, as
``register_household`` without ``moved_in`` already does for people.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from fpdesk.dates import iso, period_of
from fpdesk.errors import InputError, StorageError

# One encoder for every audited row: json.dumps with these options builds a new encoder on each call.
_AUDIT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)

# The connection whose operations currently write baseline records (see ``baseline``).
_BASELINE: ContextVar[sqlite3.Connection | None] = ContextVar("fpdesk_baseline", default=None)
# The connection whose batch runs its operations without a savepoint each (see ``batch``).
_NO_SAVEPOINTS: ContextVar[sqlite3.Connection | None] = ContextVar("fpdesk_no_savepoints", default=None)

# Actions that rewrite what was recorded (更正) rather than record a new change: they may not alter what a
# submitted month reported until it is unlocked. A change found late is no correction: it is reported as 补报.
CORRECTIONS = frozenset({"correct_field"})

# Tables a service may write, and which of them are audited as clerk data.
WRITABLE_TABLES = frozenset({
    "village", "village_group", "household", "person", "marriage", "birth", "measure", "pregnancy", "service",
    "benefit", "migration", "certificate", "setting", "period_lock", "finding_exception",
})


@dataclass(frozen=True, slots=True)
class RecordRef:
    """A record in the village file.

    table: the table name.
    id: its primary key.
    """

    table: str
    id: int


@dataclass(frozen=True, slots=True)
class Changes:
    """What one clerk action changed.

    op_id: the ``operation`` row.
    action: the service function's name.
    summary: what was done, in Chinese.
    record: the main record the action created or changed.
    inserted: records created.
    updated: records changed (at least one field differs).
    events: ``change_event`` ids written.
    periods: report months whose change report gained a row.
    persons: persons touched, for refreshing cards and registers.
    deleted: bookkeeping rows removed (a withdrawn exception); people and their records are never deleted.
    """

    op_id: int
    action: str
    summary: str
    record: RecordRef | None
    inserted: tuple[RecordRef, ...]
    updated: tuple[RecordRef, ...]
    events: tuple[int, ...]
    periods: tuple[str, ...]
    persons: tuple[int, ...]
    deleted: tuple[RecordRef, ...] = ()

    @property
    def tables(self) -> frozenset[str]:
        """Every table written."""
        return frozenset(r.table for r in self.inserted + self.updated + self.deleted) | (
            frozenset({"change_event"}) if self.events else frozenset()
        )


# SQLite's primary result codes for a disk that refuses a write, and what the clerk is told.
_STORAGE_ERRORS: Mapping[int, tuple[str, str]] = {
    sqlite3.SQLITE_FULL: ("full", "磁盘空间已满，刚才的操作没有保存（之前保存的数据完好）。请清理磁盘空间后重试。"),
    sqlite3.SQLITE_READONLY: (
        "readonly",
        "村数据文件是只读的（可能在光盘或写保护的U盘上，或文件被设为只读），刚才的操作没有保存。"
        "请把文件复制到电脑硬盘上再打开。",
    ),
    sqlite3.SQLITE_IOERR: (
        "io",
        "读写村数据文件时出错（可能U盘被拔出、网络断开或磁盘故障），刚才的操作没有保存。"
        "请检查文件所在的位置后重新打开。",
    ),
    sqlite3.SQLITE_CANTOPEN: (
        "io", "无法打开村数据文件所在的位置（可能U盘被拔出或文件夹被移动），刚才的操作没有保存。",
    ),
    sqlite3.SQLITE_BUSY: ("busy", "村数据文件正被另一个程序使用，刚才的操作没有保存，请稍后重试。"),
}


def storage_error(exc: BaseException) -> StorageError | None:
    """The clerk's message for a write the disk refused (full, read-only, I/O error), or None for other errors."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(exc, sqlite3.Error) or code is None:
        return None
    found = _STORAGE_ERRORS.get(code & 0xFF)
    return None if found is None else StorageError(found[1], reason=found[0])


def _undo(conn: sqlite3.Connection, *, nested: bool) -> None:
    """Roll back the failed action. After a full disk or an I/O error SQLite may already have rolled back the
    whole transaction itself; then there is nothing left to undo, and trying would hide the real error."""
    if not conn.in_transaction:
        return
    try:
        if nested:
            conn.execute("ROLLBACK TO op")
            conn.execute("RELEASE op")
        else:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the journal is rolled back when the file is next opened; the first error is the one to report


def _commit(conn: sqlite3.Connection, *, nested: bool) -> None:
    """COMMIT (RELEASE inside a batch); a commit the disk refuses is undone and reported as ``StorageError``."""
    try:
        conn.execute("RELEASE op" if nested else "COMMIT")
    except sqlite3.Error as exc:
        _undo(conn, nested=nested)
        converted = storage_error(exc)
        if converted is None:
            raise
        raise converted from exc


# No change in a village's population that its file reports on happened before this.
EARLIEST_EVENT = dt.date(1900, 1, 1)


def _encode(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


@dataclass(slots=True)
class Operation:
    """The open transaction of one clerk action. Use through ``operation()``."""

    conn: sqlite3.Connection
    action: str
    op_id: int
    today: dt.date
    summary: str = ""
    baseline: bool = False
    initial_summary: str = ""
    record: RecordRef | None = None
    inserted: list[RecordRef] = field(default_factory=list)
    updated: list[RecordRef] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    persons: list[int] = field(default_factory=list)
    deleted: list[RecordRef] = field(default_factory=list)
    result: Changes | None = None
    _touched: set[int] = field(default_factory=set, repr=False)

    def _audit(self, table: str, record_id: int, kind: str, fld: str | None, old: Any, new: Any) -> None:
        self.conn.execute(
            "INSERT INTO audit_log(op_id, table_name, record_id, kind, field, old_value, new_value)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.op_id, table, record_id, kind, fld, old, new),
        )

    def audit_setting(self, key: str, old: str | None, new: str) -> None:
        """Settings are keyed by name, not id: audited as record 0 of table setting, field = key."""
        self._audit("setting", 0, "update", key, old, new)

    def touch_person(self, person_id: int | None) -> None:
        """Note a person whose card or register rows change."""
        # a set for membership: scanning the list made an operation touching 10,000 people quadratic (an import)
        if person_id is not None and person_id not in self._touched:
            self._touched.add(person_id)
            self.persons.append(person_id)

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        """Insert a row; the audit keeps the whole new row as JSON."""
        if table not in WRITABLE_TABLES:
            raise ValueError(f"not a writable table: {table}")
        row = {k: _encode(v) if isinstance(v, (dt.date, dt.datetime)) else v for k, v in values.items()}
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))
        new_id = int(cur.lastrowid if "id" not in row else row["id"])
        self._audit(table, new_id, "insert", None, None, _AUDIT_JSON.encode(row))
        ref = RecordRef(table, new_id)
        self.inserted.append(ref)
        if self.record is None:
            self.record = ref
        if table == "person":
            self.touch_person(new_id)
        elif "person_id" in row:
            self.touch_person(row["person_id"])
        elif "mother_id" in row:
            self.touch_person(row["mother_id"])
        return new_id

    def delete(self, table: str, rowid: int) -> None:
        """Delete a row (only bookkeeping rows such as a withdrawn exception; people are never deleted); the audit
        keeps the whole old row as JSON."""
        if table not in WRITABLE_TABLES or table in ("person", "household", "village"):
            raise ValueError(f"rows of {table} are not deleted")
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,))
        old = cur.fetchone()
        if old is None:
            raise InputError(f"要删除的记录不存在（{table} #{rowid}）。", field="id")
        self.conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        self._audit(table, rowid, "delete", None, _AUDIT_JSON.encode(dict(zip(old.keys(), tuple(old)))), None)
        ref = RecordRef(table, rowid)
        self.deleted.append(ref)
        if self.record is None:
            self.record = ref

    def update(self, table: str, record_id: int, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
        """Change fields of a row; only fields whose value differs are written and audited.

        record_id: the row's rowid — its ``id``, or for ``period_lock`` (keyed by its month) the rowid.
        A correction (an action in ``CORRECTIONS``) that would alter what a submitted, locked month reported raises
        ``LockedPeriodError`` before anything is written (``fpdesk.services.periods.refuse_locked_correction``).
        Returns {field: (old, new)} for the fields that changed.
        """
        if table not in WRITABLE_TABLES:
            raise ValueError(f"not a writable table: {table}")
        old_row = self.conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (record_id,)).fetchone()
        if old_row is None:
            raise InputError(f"要修改的记录不存在（{table} #{record_id}）。", field="id")
        changed: dict[str, tuple[Any, Any]] = {}
        for key, value in values.items():
            new = _encode(value) if isinstance(value, (dt.date, dt.datetime)) else value
            if old_row[key] != new:
                changed[key] = (old_row[key], new)
        if changed and self.action in CORRECTIONS:
            from fpdesk.services.periods import refuse_locked_correction  # (periods imports this module)

            refuse_locked_correction(self.conn, table=table, record_id=record_id, changed=changed)
        if changed:
            sets = ", ".join(f"{k} = ?" for k in changed)
            self.conn.execute(
                f"UPDATE {table} SET {sets} WHERE rowid = ?", tuple(v[1] for v in changed.values()) + (record_id,)
            )
            for key, (old, new) in changed.items():
                self._audit(table, record_id, "update", key, _encode(old), _encode(new))
            ref = RecordRef(table, record_id)
            if ref not in self.updated:
                self.updated.append(ref)
            if self.record is None:
                self.record = ref
            keys = old_row.keys()
            if table == "person":
                self.touch_person(record_id)
            elif "person_id" in keys:
                self.touch_person(old_row["person_id"])
            elif "mother_id" in keys:
                self.touch_person(old_row["mother_id"])
        return changed

    def event(
        self, *, person_id: int, change_type: str, occurred: dt.date, record: RecordRef | None = None,
        field: str = "date",
    ) -> int | None:
        """Record a change the monthly change report lists; returns its id (None in a baseline: nothing written).

        field: the service's parameter that gave ``occurred``, named in the error when it lies in the future.

        It goes into the report of the month it happened in, unless that month was already submitted (locked):
        then it is reported late (补报) in the first open month from the entry date on.
        """
        if self.baseline:
            return None
        if occurred > self.today:
            raise InputError(
                f"变动日期 {occurred.isoformat()} 晚于录入日期 {self.today.isoformat()}，不能登记未发生的变动。",
                field=field,
            )
        if occurred < EARLIEST_EVENT:  # a typo; and a report month before 1000 cannot even be stored
            raise InputError(f"变动日期 {occurred.isoformat()} 早于{EARLIEST_EVENT.year}年，请核对。", field=field)
        period = period_of(occurred)
        if self._locked(period):
            period = period_of(self.today)
            while self._locked(period):
                year, month = int(period[:4]), int(period[5:])
                period = f"{year + (month == 12):04d}-{month % 12 + 1:02d}"
        cur = self.conn.execute(
            "INSERT INTO change_event(person_id, change_type, occurred_date, entered_date, report_period,"
            " record_table, record_id, op_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (person_id, change_type, iso(occurred), iso(self.today), period,
             record.table if record else None, record.id if record else None, self.op_id),
        )
        event_id = int(cur.lastrowid)
        self.events.append(event_id)
        if period not in self.periods:
            self.periods.append(period)
        self.touch_person(person_id)
        return event_id

    def _locked(self, period: str) -> bool:
        row = self.conn.execute("SELECT locked FROM period_lock WHERE period = ?", (period,)).fetchone()
        return bool(row and row[0])

    def finish(self) -> Changes:
        if self.summary != self.initial_summary:  # most services never change it: spare the write
            self.conn.execute("UPDATE operation SET summary = ? WHERE id = ?", (self.summary, self.op_id))
        return Changes(
            op_id=self.op_id, action=self.action, summary=self.summary, record=self.record,
            inserted=tuple(self.inserted), updated=tuple(self.updated), events=tuple(self.events),
            periods=tuple(self.periods), persons=tuple(self.persons), deleted=tuple(self.deleted),
        )


@contextmanager
def operation(
    conn: sqlite3.Connection,
    action: str,
    *,
    user: str = "",
    today: dt.date | None = None,
    summary: str = "",
) -> Iterator[Operation]:
    """Run one clerk action as one transaction. ``op.result`` holds the ``Changes`` after the block.

    today: the entry date (defaults to the real date); the demo generator and tests pass it to backdate entries.
    """
    now = dt.datetime.now()
    entry_day = today or now.date()
    at = now if today is None else dt.datetime.combine(entry_day, dt.time(9, 0))
    nested = conn.in_transaction
    # inside batch(conn, savepoints=False) an operation has no savepoint of its own: the batch is all-or-nothing
    own = not nested or _NO_SAVEPOINTS.get() is not conn
    try:
        if own:
            conn.execute("SAVEPOINT op" if nested else "BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        converted = storage_error(exc)
        if converted is None:
            raise
        raise converted from exc
    try:
        cur = conn.execute(
            "INSERT INTO operation(at, user, action, summary) VALUES (?, ?, ?, ?)",
            (at.isoformat(timespec="seconds"), user, action, summary),
        )
        op = Operation(conn=conn, action=action, op_id=int(cur.lastrowid), today=entry_day, summary=summary,
                       baseline=_BASELINE.get() is conn, initial_summary=summary)
        yield op
        op.result = op.finish()
    except sqlite3.Error as exc:
        if own:
            _undo(conn, nested=nested)
        converted = storage_error(exc)
        if converted is None:
            raise
        raise converted from exc
    except BaseException:
        if own:
            _undo(conn, nested=nested)
        raise
    if own:
        _commit(conn, nested=nested)


@contextmanager
def baseline(conn: sqlite3.Connection) -> Iterator[None]:
    """Services called on ``conn`` inside this block write the village's starting state: their records and audit
    as usual, but no change events — those changes happened before the monthly reports this file keeps.

    Used by the demo village for its starting population (past marriages, births, measures, flows, certificates).
    """
    token = _BASELINE.set(conn)
    try:
        yield
    finally:
        _BASELINE.reset(token)


@contextmanager
def batch(conn: sqlite3.Connection, *, savepoints: bool = True) -> Iterator[None]:
    """Many operations in one transaction (demo generation, bulk imports): all of them or none.

    savepoints=False: the operations inside get no SAVEPOINT each (about a tenth faster). Only for a batch that is
    abandoned whole on the first error, as the demo generator's is: a caller who caught a service's error inside
    it and went on would keep the failed operation's partial writes.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        converted = storage_error(exc)
        if converted is None:
            raise
        raise converted from exc
    token = None if savepoints else _NO_SAVEPOINTS.set(conn)
    try:
        yield
    except BaseException:
        _undo(conn, nested=False)
        raise
    finally:
        if token is not None:
            _NO_SAVEPOINTS.reset(token)
    _commit(conn, nested=False)
