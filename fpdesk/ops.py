"""One clerk action = one transaction, audited, with the change events it causes (Anki's CollectionOp/OpChanges).

Service functions open an ``operation``; everything they write goes through it, so that
  * the whole action commits or nothing does (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any exception);
  * every written field lands in ``audit_log`` with its old and new value, under one ``operation`` row;
  * each change the monthly report must list becomes a ``change_event`` with the date it happened and the date
    it was entered;
  * the caller gets back a ``Changes`` record saying what changed, which the UI uses to refresh its views.

Inside an outer transaction (a batch such as the demo generator) an operation becomes a SAVEPOINT.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from fpdesk.dates import iso, period_of
from fpdesk.errors import InputError

# Tables a service may write, and which of them are audited as clerk data.
WRITABLE_TABLES = frozenset({
    "village", "village_group", "household", "person", "marriage", "birth", "measure", "pregnancy", "service",
    "benefit", "migration", "certificate", "setting", "period_lock",
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

    @property
    def tables(self) -> frozenset[str]:
        """Every table written."""
        return frozenset(r.table for r in self.inserted + self.updated) | (
            frozenset({"change_event"}) if self.events else frozenset()
        )


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
    record: RecordRef | None = None
    inserted: list[RecordRef] = field(default_factory=list)
    updated: list[RecordRef] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    persons: list[int] = field(default_factory=list)
    result: Changes | None = None

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
        if person_id is not None and person_id not in self.persons:
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
        self._audit(table, new_id, "insert", None, None, json.dumps(row, ensure_ascii=False, sort_keys=True))
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

    def update(self, table: str, record_id: int, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
        """Change fields of a row; only fields whose value differs are written and audited.

        Returns {field: (old, new)} for the fields that changed.
        """
        if table not in WRITABLE_TABLES:
            raise ValueError(f"not a writable table: {table}")
        old_row = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (record_id,)).fetchone()
        if old_row is None:
            raise InputError(f"要修改的记录不存在（{table} #{record_id}）。", field="id")
        changed: dict[str, tuple[Any, Any]] = {}
        for key, value in values.items():
            new = _encode(value) if isinstance(value, (dt.date, dt.datetime)) else value
            if old_row[key] != new:
                changed[key] = (old_row[key], new)
        if changed:
            sets = ", ".join(f"{k} = ?" for k in changed)
            self.conn.execute(
                f"UPDATE {table} SET {sets} WHERE id = ?", tuple(v[1] for v in changed.values()) + (record_id,)
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

    def event(self, *, person_id: int, change_type: str, occurred: dt.date, record: RecordRef | None = None) -> int:
        """Record a change the monthly change report lists.

        It goes into the report of the month it happened in, unless that month was already submitted (locked):
        then it is reported late (补报) in the first open month from the entry date on.
        """
        if occurred > self.today:
            raise InputError(
                f"变动日期 {occurred.isoformat()} 晚于录入日期 {self.today.isoformat()}，不能登记未发生的变动。",
                field="date",
            )
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
        self.conn.execute("UPDATE operation SET summary = ? WHERE id = ?", (self.summary, self.op_id))
        return Changes(
            op_id=self.op_id, action=self.action, summary=self.summary, record=self.record,
            inserted=tuple(self.inserted), updated=tuple(self.updated), events=tuple(self.events),
            periods=tuple(self.periods), persons=tuple(self.persons),
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
    if nested:
        conn.execute("SAVEPOINT op")
    else:
        conn.execute("BEGIN IMMEDIATE")
    try:
        cur = conn.execute(
            "INSERT INTO operation(at, user, action, summary) VALUES (?, ?, ?, ?)",
            (at.isoformat(timespec="seconds"), user, action, summary),
        )
        op = Operation(conn=conn, action=action, op_id=int(cur.lastrowid), today=entry_day, summary=summary)
        yield op
        op.result = op.finish()
    except BaseException:
        if nested:
            conn.execute("ROLLBACK TO op")
            conn.execute("RELEASE op")
        else:
            conn.execute("ROLLBACK")
        raise
    if nested:
        conn.execute("RELEASE op")
    else:
        conn.execute("COMMIT")


@contextmanager
def batch(conn: sqlite3.Connection) -> Iterator[None]:
    """Many operations in one transaction (demo generation, bulk imports): all of them or none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
