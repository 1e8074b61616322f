"""Turning what the clerk typed into stored values, with a Chinese message naming the field when it can't be."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from fpdesk import codes
from fpdesk.dates import iso, parse_date
from fpdesk.errors import InputError, NotFoundError
from fpdesk.fields import FIELDS, TABLE_LABELS, FieldSpec
from fpdesk.idnumber import clean as clean_id


def clean_value(table: str, column: str, value: Any, *, param: str | None = None) -> Any:
    """The stored form of one field value. ``param`` names the field in the error (defaults to the column)."""
    spec: FieldSpec = FIELDS[table][column]
    where = param or column
    blank = value is None or (isinstance(value, str) and value.strip() == "")
    if blank:
        if spec.required:
            raise InputError(f"{spec.label}不能为空。", field=where)
        return "" if spec.kind == "text" else (0 if spec.kind == "flag" else None)
    if spec.kind == "date":
        return iso(parse_date(value, field=where, label=spec.label))
    if spec.kind == "code":
        return codes.to_code(spec.codes or "", value, field=where)
    if spec.kind in ("int", "ref"):
        if isinstance(value, bool):
            raise InputError(f"{spec.label}应为整数。", field=where)
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            raise InputError(f"{spec.label}“{value}”应为整数。", field=where) from None
        if not SQLITE_INT_MIN <= number <= SQLITE_INT_MAX:  # SQLite could not even store it
            raise InputError(f"{spec.label}“{value}”超出范围。", field=where)
        return number
    if spec.kind == "flag":
        if value in (True, 1, "1", "是", "true", "True"):
            return 1
        if value in (False, 0, "0", "否", "false", "False"):
            return 0
        raise InputError(f"{spec.label}应为“是”或“否”。", field=where)
    if spec.kind == "money":
        try:
            yuan = Decimal(str(value).strip())
        except InvalidOperation:
            raise InputError(f"{spec.label}“{value}”不是有效金额。", field=where) from None
        if not yuan.is_finite() or yuan < 0:  # NaN and Infinity parse as Decimals too
            raise InputError(f"{spec.label}“{value}”应为不小于0、最多两位小数的金额（元）。", field=where)
        try:
            exact = yuan == yuan.quantize(Decimal("0.01"))
        except InvalidOperation:  # more digits than a Decimal holds
            exact = False
        fen = int(yuan * 100) if exact else 0
        if not exact or fen > SQLITE_INT_MAX:
            raise InputError(f"{spec.label}“{value}”应为不小于0、最多两位小数的金额（元），且不能过大。", field=where)
        return fen
    text = str(value).strip()
    if column in ("id_number", "spouse_id_number"):
        text = clean_id(text)
    return text


def clean_values(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Clean several fields of one table; unknown fields are a programming error."""
    return {col: clean_value(table, col, v) for col, v in values.items()}


SQLITE_INT_MIN, SQLITE_INT_MAX = -(2**63), 2**63 - 1


def record_key(value: Any) -> int | None:
    """A record id given as an integer or its text (a spreadsheet's 3.0 too), or None if it is no id at all.

    Anything else — True, 1.5, a list, an integer beyond what SQLite stores — is no id rather than a crash.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        key = value
    elif isinstance(value, str):
        try:
            key = int(value.strip())
        except ValueError:
            return None
    else:
        return None
    return key if SQLITE_INT_MIN <= key <= SQLITE_INT_MAX else None


def require_row(conn: sqlite3.Connection, table: str, record_id: Any, *, field: str) -> sqlite3.Row:
    """The row a reference points at, or ``NotFoundError`` naming the field."""
    what = TABLE_LABELS.get(table, table)
    if record_id is None or record_id == "":
        raise InputError(f"请选择{what}。", field=field)
    key = record_key(record_id)
    if key is None:
        raise NotFoundError(f"{what}编号“{record_id}”无效。", field=field)
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (key,)).fetchone()
    if row is None:
        raise NotFoundError(f"{what}（编号 {key}）不存在。", field=field)
    return row


def require_person(conn: sqlite3.Connection, person_id: Any, *, field: str = "person") -> sqlite3.Row:
    """The person referred to, who must not be recorded as dead."""
    row = require_row(conn, "person", person_id, field=field)
    return row


def require_date(value: Any, *, field: str, label: str) -> dt.date:
    """A required date."""
    day = parse_date(value, field=field, label=label, required=True)
    assert day is not None
    return day


def require_woman(conn: sqlite3.Connection, person_id: Any, *, field: str = "person") -> sqlite3.Row:
    """A woman of the village (cards, measures and pregnancies are kept on the woman)."""
    row = require_row(conn, "person", person_id, field=field)
    if row["sex"] != codes.FEMALE:
        raise InputError(f"{row['name']}是男性；节育措施、孕情记在妻子的档案卡上（男扎也记在妻子卡上）。", field=field)
    return row


def not_dead_at(row: sqlite3.Row, day: dt.date, *, field: str) -> None:
    """Refuse a change dated after the person's recorded death."""
    if row["death_date"] and row["death_date"] < day.isoformat():
        raise InputError(f"{row['name']}已于 {row['death_date']} 死亡，不能登记之后的变动。", field=field)
