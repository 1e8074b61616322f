"""Correcting a field (更正): the record was wrong, nothing happened in the village.

A correction writes no change event (the monthly report lists changes in the population, not typing errors); the
audit log keeps the old and the new value with the reason.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from fpdesk.errors import InputError
from fpdesk.fields import FIELDS, TABLE_LABELS
from fpdesk.ops import Changes, operation
from fpdesk.services.validate import clean_value, require_row


def correct_field(
    conn: sqlite3.Connection, *, table: str, record: int, field: str, value: Any, reason: str = "",
    user: str = "", today: dt.date | None = None,
) -> Changes:
    """Set one field of one record to a corrected value, validated like any entry."""
    if table not in FIELDS or table == "village":
        raise InputError(f"不能更正“{TABLE_LABELS.get(table, table)}”。", field="table")
    spec = FIELDS[table].get(field)
    if spec is None:
        raise InputError(f"{TABLE_LABELS[table]}没有“{field}”这一项。", field="field")
    row = require_row(conn, table, record, field="record")
    new = clean_value(table, field, value, param="value")
    if spec.kind == "ref" and new is not None:
        require_row(conn, spec.ref or "", new, field="value")
    if field == "roster_no" and new:
        clash = conn.execute("SELECT id FROM person WHERE roster_no = ? AND id <> ?", (new, row["id"])).fetchone()
        if clash:
            raise InputError(f"人员编号“{new}”已被其他人使用。", field="value")
    if table == "person" and field == "roster_no" and new == "":
        new = None
    summary = f"更正 {TABLE_LABELS[table]}#{row['id']} {spec.label}" + (f"（{reason.strip()}）" if reason.strip() else "")
    with operation(conn, "correct_field", user=user, today=today, summary=summary) as op:
        op.update(table, row["id"], {field: new})
    assert op.result
    return op.result
