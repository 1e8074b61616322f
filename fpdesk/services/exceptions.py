"""Confirmed exceptions (确认例外): a finding the clerk has checked and knows to be true of the village.

It is never hidden: the finding stays in the list, marked with the note, and reports say it was confirmed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from fpdesk.errors import InputError
from fpdesk.ops import Changes, operation


def confirm_exception(
    conn: sqlite3.Connection, *, key: str, note: str, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Mark the finding ``key`` (``Finding.key``) as a confirmed exception with the clerk's note (why it is so)."""
    key_text = str(key or "").strip()
    code = key_text.split(":", 1)[0]
    if not code or ":" not in key_text:
        raise InputError("要确认的问题无效。", field="key")
    note_text = str(note or "").strip()
    if not note_text:
        raise InputError("请写明为什么这是实际情况（例如：已核对户口本，确有其事）。", field="note")
    if conn.execute("SELECT 1 FROM finding_exception WHERE key = ?", (key_text,)).fetchone():
        raise InputError("这个问题已确认为例外。", field="key")
    with operation(conn, "confirm_exception", user=user, today=today, summary=f"确认例外 {code}：{note_text}") as op:
        op.insert("finding_exception", {
            "key": key_text, "code": code, "note": note_text, "user": user,
            "confirmed_at": dt.datetime.combine(op.today, dt.datetime.now().time()).isoformat(timespec="seconds"),
        })
    assert op.result
    return op.result


def withdraw_exception(
    conn: sqlite3.Connection, *, key: str, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Withdraw a confirmed exception: the finding counts as an error again."""
    row = conn.execute("SELECT rowid, code FROM finding_exception WHERE key = ?", (str(key or "").strip(),)).fetchone()
    if row is None:
        raise InputError("这个问题没有被确认为例外。", field="key")
    with operation(conn, "withdraw_exception", user=user, today=today, summary=f"撤销例外 {row['code']}") as op:
        op.delete("finding_exception", row["rowid"])
    assert op.result
    return op.result
