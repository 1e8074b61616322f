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
    if not isinstance(table, str) or table not in FIELDS or table == "village":
        raise InputError(f"不能更正“{TABLE_LABELS.get(table, table) if isinstance(table, str) else table}”。",
                         field="table")
    spec = FIELDS[table].get(field) if isinstance(field, str) else None
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
    if row[field] == new:  # nothing to correct: an empty operation would only clutter the history
        raise InputError(f"{spec.label}已经是“{'' if new is None else new}”，无需更正。", field="value")
    why = "" if reason is None else str(reason).strip()
    summary = f"更正 {TABLE_LABELS[table]}#{row['id']} {spec.label}" + (f"（{why}）" if why else "")
    try:
        with operation(conn, "correct_field", user=user, today=today, summary=summary) as op:
            op.update(table, row["id"], {field: new})
    except sqlite3.IntegrityError as exc:
        # One field changed alone can clash with the rest of its record or with other records; the file's own
        # rules catch that (the operation has rolled back), and the clerk is told what kind of clash it is.
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_CONSTRAINT_UNIQUE":
            raise InputError(f"{spec.label}“{new}”已被其他{TABLE_LABELS[table]}记录使用。", field="value") from None
        raise InputError(
            f"{TABLE_LABELS[table]}的{spec.label}不能改为“{'' if new is None else new}”：与该记录的其他内容或数据规则不符"
            "（例如孩次须大于0，终止日期与终止原因须同时填写，配偶不能是本人）。",
            field="value",
        ) from None
    assert op.result
    return op.result
