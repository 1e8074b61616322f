"""报送 locks the month: submitting a month, unlocking it with a reason, and the guard on corrections.

What a lock stops, and what it lets through (docs/export-format.md, "Submission, the lock and corrections"):

* A **new** change found late — a birth missed in October, entered in November after October was submitted — is
  allowed: it is reported in the first open month as a late report (补报), as the filling rules demand
  (``ops.Operation.event``). October's own rows and table stay as submitted.
* A **correction** (更正, ``correct_field``) that would alter what a submitted month reported is refused with
  ``LockedPeriodError`` until the month is unlocked with a reason (audited): a field of a record reported in, or
  dated in, a locked month (the birth, marriage, measure, pregnancy, migration, certificate behind a row or a
  count); a field a locked month's change report prints of a person on it (name, ID number, ethnicity …); or a
  date moved into or out of a locked month.
* After the corrections, the month is submitted again: its lock's correction number goes up by one, and its file
  is a numbered correction (更正报, ``{村代码}_{YYYY-MM}_更正{n}.xlsx``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any, Mapping

from fpdesk.codes import Change
from fpdesk.dates import parse_period, period_label, period_of
from fpdesk.errors import InputError, LockedPeriodError
from fpdesk.fields import FIELDS
from fpdesk.ops import EARLIEST_EVENT, Changes, operation

# Person fields the change report prints (报告单一/二) or counts by; correcting one of them for a person on a
# locked month's report changes that report. (occupation, only_child, roster_no and note are not on it.)
REPORTED_PERSON_FIELDS = frozenset({
    "name", "id_number", "sex", "birth_date", "ethnicity", "education", "hukou", "marital_status",
    "first_marriage_date", "marital_change_date", "residence", "relation", "household_id", "moved_in_date",
    "moved_out_date", "death_date",
})
_REPORT_ROWS = tuple(sorted(Change.MEMBER_CHANGES | {Change.BIRTH}))


def _month(period: Any) -> str:
    """A report month given as '2026-10' or '2026年10月', within the years a village file reports on."""
    month = parse_period(period, field="period")
    if month < period_of(EARLIEST_EVENT):
        raise InputError(f"月份“{period}”无效，请按 2026-10 的格式填写。", field="period")
    return month


def _lock_row(conn: sqlite3.Connection, period: str) -> sqlite3.Row | None:
    return conn.execute("SELECT rowid, * FROM period_lock WHERE period = ?", (period,)).fetchone()


def locked_periods(conn: sqlite3.Connection) -> frozenset[str]:
    """The months submitted and currently locked."""
    return frozenset(r[0] for r in conn.execute("SELECT period FROM period_lock WHERE locked = 1"))


def submit_period(
    conn: sqlite3.Connection, *, period: Any, correction_no: int | None = None, user: str = "",
    today: dt.date | None = None,
) -> Changes:
    """报送: record that the month was handed to the township, and lock it.

    The first submission has correction number 0; each later one (after an unlock and corrections, or when the
    township asks for the month again) is the next 更正报, n = 1, 2, …
    correction_no: the number the exported file carries; refused when it is not the number this submission gets
    (the file would say something else than the village file).
    """
    month = _month(period)
    entry = today or dt.date.today()
    if month > period_of(entry):
        raise InputError(f"{period_label(month)}还没有到，不能报送。", field="period")
    current = _lock_row(conn, month)
    number = 0 if current is None else current["correction_no"] + 1
    if correction_no is not None and correction_no != number:
        raise InputError(f"{period_label(month)}本次报送应为{'首次报送' if number == 0 else f'第{number}次更正报'}，"
                         f"与导出的文件（{'首次报送' if correction_no == 0 else f'更正{correction_no}'}）不符，请重新导出。",
                         field="correction_no")
    what = "报送" if number == 0 else f"报送更正报（第{number}次）"
    with operation(conn, "submit_period", user=user, today=today, summary=f"{period_label(month)} {what}，锁定该月") as op:
        at = dt.datetime.combine(op.today, dt.datetime.now().time()).isoformat(timespec="seconds")
        if current is None:
            op.insert("period_lock", {"period": month, "submitted_at": at, "correction_no": 0, "locked": 1,
                                      "unlock_reason": ""})
        else:
            op.update("period_lock", current["rowid"], {"submitted_at": at, "correction_no": number, "locked": 1})
    assert op.result
    return op.result


def unlock_period(
    conn: sqlite3.Connection, *, period: Any, reason: str, user: str = "", today: dt.date | None = None,
) -> Changes:
    """解锁: open a submitted month for corrections, for a reason (kept with the lock and in the audit log).
    Its next submission is a numbered 更正报."""
    month = _month(period)
    why = str(reason or "").strip()
    if not why:
        raise InputError("请说明解锁的原因（例如：乡镇通知更正10月出生登记）。", field="reason")
    current = _lock_row(conn, month)
    if current is None:
        raise InputError(f"{period_label(month)}尚未报送，不需要解锁。", field="period")
    if not current["locked"]:
        raise InputError(f"{period_label(month)}已经解锁（原因：{current['unlock_reason']}）。", field="period")
    with operation(conn, "unlock_period", user=user, today=today, summary=f"解锁 {period_label(month)}：{why}") as op:
        op.update("period_lock", current["rowid"], {"locked": 0, "unlock_reason": why})
    assert op.result
    return op.result


def _reported_in(conn: sqlite3.Connection, locked: frozenset[str], sql: str, args: tuple) -> str | None:
    marks = ", ".join("?" for _ in locked)
    row = conn.execute(f"SELECT min(report_period) FROM change_event WHERE report_period IN ({marks}) AND ({sql})",
                       tuple(sorted(locked)) + args).fetchone()
    return row[0] if row else None


def _dated_in(conn: sqlite3.Connection, locked: frozenset[str], table: str, record_id: int) -> str | None:
    dates = [col for col, spec in FIELDS.get(table, {}).items() if spec.kind == "date"]
    if not dates:
        return None
    row = conn.execute(f"SELECT {', '.join(dates)} FROM {table} WHERE rowid = ?", (record_id,)).fetchone()
    found = sorted(v[:7] for v in (row or ()) if isinstance(v, str) and v[:7] in locked)
    return found[0] if found else None


def refuse_locked_correction(
    conn: sqlite3.Connection, *, table: str, record_id: int, changed: Mapping[str, tuple[Any, Any]],
) -> None:
    """Raise ``LockedPeriodError`` when correcting ``changed`` ({field: (old, new)}) of the record would alter what a
    locked month reported (see the module's docstring). Called by ``ops.Operation.update`` for corrections."""
    locked = locked_periods(conn)
    if not locked or not changed:
        return
    specs = FIELDS.get(table, {})
    for fld, (old, new) in changed.items():
        if specs.get(fld) is not None and specs[fld].kind == "date":
            for value in (old, new):
                if isinstance(value, str) and value[:7] in locked:
                    raise LockedPeriodError(value[:7])
    if table == "person":
        if not REPORTED_PERSON_FIELDS & set(changed):
            return
        kinds = ", ".join("?" for _ in _REPORT_ROWS)
        hit = _reported_in(conn, locked, (
            f"(person_id = ? AND change_type IN ({kinds}))"
            " OR (record_table = 'birth' AND record_id IN (SELECT id FROM birth WHERE mother_id = ?))"
            " OR (record_table = 'marriage' AND record_id IN (SELECT id FROM marriage WHERE spouse_id = ?))"),
            (record_id, *_REPORT_ROWS, record_id, record_id)) or _dated_in(conn, locked, table, record_id)
    else:
        hit = _reported_in(conn, locked, "record_table = ? AND record_id = ?", (table, record_id)) \
            or _dated_in(conn, locked, table, record_id)
    if hit:
        raise LockedPeriodError(hit)
