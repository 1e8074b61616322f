"""Reading the audit trail (修改记录): who changed what, when, old → new — for one record or the whole village."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from fpdesk import codes
from fpdesk.fields import FIELDS, TABLE_LABELS, field_label


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One written field (or a whole inserted / deleted row).

    op_id, at (timestamp), user, action (service function), summary (what the clerk did).
    table, record_id, kind ("insert" / "update" / "delete"), field ("" for a whole row).
    old, new: the values as the clerk reads them (codes shown as labels).
    """

    op_id: int
    at: str
    user: str
    action: str
    summary: str
    table: str
    record_id: int
    kind: str
    field: str
    old: str
    new: str

    @property
    def table_label(self) -> str:
        return TABLE_LABELS.get(self.table, self.table)

    @property
    def field_label(self) -> str:
        return field_label(self.table, self.field) if self.field else ""


def _shown(table: str, field: str, value: str | None) -> str:
    if value is None:
        return ""
    spec = FIELDS.get(table, {}).get(field)
    if spec is not None and spec.kind == "code" and spec.codes:
        return codes.label(spec.codes, value)
    if spec is not None and spec.kind == "money":
        try:
            return f"{int(value) / 100:.2f}"
        except ValueError:
            return value
    return value


def _row_text(table: str, blob: str | None) -> str:
    """A whole inserted or deleted row as "label: value" pairs."""
    if not blob:
        return ""
    try:
        row = json.loads(blob)
    except ValueError:
        return blob
    return "；".join(f"{field_label(table, k)}：{_shown(table, k, None if v is None else str(v))}"
                    for k, v in row.items() if v not in (None, "", 0) or k in ("quantity",))


_SELECT = ("SELECT a.op_id, o.at, o.user, o.action, o.summary, a.table_name, a.record_id, a.kind, a.field,"
           " a.old_value, a.new_value FROM audit_log a JOIN operation o ON o.id = a.op_id")


def _entry(r: sqlite3.Row | tuple) -> AuditEntry:
    op_id, at, user, action, summary, table, record_id, kind, field, old, new = tuple(r)
    if kind == "update":
        old_text, new_text = _shown(table, field, old), _shown(table, field, new)
    else:
        old_text, new_text = _row_text(table, old), _row_text(table, new)
    return AuditEntry(op_id, at, user, action, summary, table, record_id, kind, field or "", old_text, new_text)


def record_history(conn: sqlite3.Connection, *, table: str, record_id: int) -> tuple[AuditEntry, ...]:
    """Everything ever written to one record, oldest first."""
    rows = conn.execute(_SELECT + " WHERE a.table_name = ? AND a.record_id = ? ORDER BY a.id", (table, record_id))
    return tuple(_entry(r) for r in rows)


def person_history(conn: sqlite3.Connection, person_id: int) -> tuple[AuditEntry, ...]:
    """Everything written to a person and to the records on her card (births, measures, pregnancies, …)."""
    rows = conn.execute(
        _SELECT + " WHERE (a.table_name = 'person' AND a.record_id = :p) OR a.op_id IN ("
        " SELECT op_id FROM change_event WHERE person_id = :p)"
        " OR (a.table_name IN ('measure','pregnancy','service','benefit','migration','certificate','marriage')"
        "     AND a.record_id IN (SELECT id FROM measure WHERE person_id = :p UNION SELECT id FROM pregnancy"
        "     WHERE person_id = :p UNION SELECT id FROM service WHERE person_id = :p UNION SELECT id FROM benefit"
        "     WHERE person_id = :p UNION SELECT id FROM migration WHERE person_id = :p UNION SELECT id FROM"
        "     certificate WHERE person_id = :p UNION SELECT id FROM marriage WHERE person_id = :p))"
        " OR (a.table_name = 'birth' AND a.record_id IN (SELECT id FROM birth WHERE mother_id = :p))"
        " ORDER BY a.id", {"p": person_id})
    return tuple(_entry(r) for r in rows)


def village_log(
    conn: sqlite3.Connection, *, table: str | None = None, action: str | None = None,
    since: dt.date | None = None, until: dt.date | None = None, text: str = "", limit: int = 2000,
) -> tuple[AuditEntry, ...]:
    """The village-wide log, newest first, filtered by table, action, date range and words in the summary."""
    where, params = [], []
    if table:
        where.append("a.table_name = ?")
        params.append(table)
    if action:
        where.append("o.action = ?")
        params.append(action)
    if since:
        where.append("o.at >= ?")
        params.append(since.isoformat())
    if until:
        where.append("o.at < ?")
        params.append((until + dt.timedelta(days=1)).isoformat())
    if text:
        where.append("o.summary LIKE ?")
        params.append(f"%{text}%")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY a.id DESC LIMIT ?"
    return tuple(_entry(r) for r in conn.execute(sql, (*params, limit)))
