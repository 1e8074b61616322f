"""Service functions for a woman's card: contraception, pregnancies, services, benefits, certificates."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from fpdesk import codes
from fpdesk.codes import Change
from fpdesk.errors import InputError
from fpdesk.ops import Changes, RecordRef, operation
from fpdesk.services.validate import (
    clean_value, not_dead_at, require_date, require_person, require_row, require_woman,
)

GESTATION = dt.timedelta(days=280)


def _current_measure(conn: sqlite3.Connection, person_id: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM measure WHERE person_id = ? AND end_date IS NULL ORDER BY start_date DESC, id DESC LIMIT 1",
        (person_id,),
    ).fetchone()


def start_measure(
    conn: sqlite3.Connection, *, person: int, method: Any, start_date: Any, institution: str = "",
    reason: str = "", no_measure_reason: Any = None, user: str = "", today: dt.date | None = None,
) -> Changes:
    """Start or change a contraception measure (落实 / 变更节育措施); the current one ends the same day.

    method "000" (未避孕) needs ``no_measure_reason``.
    """
    return _new_measure(conn, action="start_measure", person=person, method=method, start_date=start_date,
                        date_field="start_date", institution=institution, reason=reason,
                        no_measure_reason=no_measure_reason, user=user, today=today)


def _new_measure(
    conn: sqlite3.Connection, *, action: str, person: int, method: Any, start_date: Any, date_field: str,
    institution: str, reason: str, no_measure_reason: Any, user: str, today: dt.date | None,
) -> Changes:
    woman = require_woman(conn, person)
    method_code = clean_value("measure", "method", method)
    day = require_date(start_date, field=date_field, label="开始日期")
    not_dead_at(woman, day, field="person")
    why_none = clean_value("measure", "no_measure_reason", no_measure_reason)
    if method_code == codes.NO_MEASURE and not why_none:
        raise InputError("未避孕时须填写未避孕原因。", field="no_measure_reason")
    if method_code != codes.NO_MEASURE and why_none:
        raise InputError("已落实节育措施时不应填写未避孕原因。", field="no_measure_reason")
    current = _current_measure(conn, woman["id"])
    if current is not None and current["start_date"] and day.isoformat() < current["start_date"]:
        raise InputError(f"开始日期早于当前措施的开始日期 {current['start_date']}。", field=date_field)
    label = codes.label("method", method_code)
    with operation(conn, action, user=user, today=today, summary=f"{woman['name']} 节育措施：{label}") as op:
        if current is not None:
            op.update("measure", current["id"], {"end_date": day, "change_reason": str(reason).strip()
                                                 or current["change_reason"]})
        mid = op.insert("measure", {
            "person_id": woman["id"], "method": method_code, "start_date": day,
            "institution": str(institution).strip(), "change_reason": str(reason).strip(),
            "no_measure_reason": why_none,
        })
        op.record = RecordRef("measure", mid)
        op.event(person_id=woman["id"], change_type=Change.MEASURE, occurred=day, record=RecordRef("measure", mid),
                 field=date_field)
    assert op.result
    return op.result


def stop_measure(
    conn: sqlite3.Connection, *, person: int, date: Any, no_measure_reason: Any, reason: str = "",
    user: str = "", today: dt.date | None = None,
) -> Changes:
    """Stop the current measure (e.g. IUD removed to plan a pregnancy): from ``date`` she has none, for a reason."""
    woman = require_woman(conn, person)
    if _current_measure(conn, woman["id"]) is None:
        raise InputError(f"{woman['name']}当前没有节育措施记录。", field="person")
    return _new_measure(conn, action="stop_measure", person=person, method=codes.NO_MEASURE, start_date=date,
                        date_field="date", institution="", reason=reason, no_measure_reason=no_measure_reason,
                        user=user, today=today)


def register_pregnancy(
    conn: sqlite3.Connection, *, person: int, lmp_date: Any, registered_date: Any = None, policy_status: Any = None,
    user: str = "", today: dt.date | None = None,
) -> Changes:
    """Register a pregnancy (孕情登记); the expected date is the last period + 280 days."""
    woman = require_woman(conn, person)
    lmp = require_date(lmp_date, field="lmp_date", label="末次月经日期")
    entry = today or dt.date.today()
    registered = require_date(registered_date, field="registered_date", label="登记日期") \
        if registered_date not in (None, "") else entry
    if lmp > entry:  # also keeps lmp + 280 days a real date
        raise InputError(f"末次月经日期 {lmp} 晚于录入日期 {entry}。", field="lmp_date")
    if registered < lmp:
        raise InputError("登记日期早于末次月经日期。", field="registered_date")
    not_dead_at(woman, lmp, field="person")
    policy = clean_value("pregnancy", "policy_status", policy_status)
    if conn.execute("SELECT 1 FROM pregnancy WHERE person_id = ? AND outcome IS NULL", (woman["id"],)).fetchone():
        raise InputError(f"{woman['name']}已有一条未结束的孕情，请先登记其结果。", field="person")
    with operation(conn, "register_pregnancy", user=user, today=today, summary=f"{woman['name']} 孕情登记") as op:
        pid = op.insert("pregnancy", {
            "person_id": woman["id"], "lmp_date": lmp, "registered_date": registered,
            "expected_date": lmp + GESTATION, "policy_status": policy,
        })
        op.event(person_id=woman["id"], change_type=Change.PREGNANCY_REGISTERED, occurred=registered,
                 record=RecordRef("pregnancy", pid), field="registered_date")
    assert op.result
    return op.result


def record_pregnancy_outcome(
    conn: sqlite3.Connection, *, pregnancy: int, outcome: Any, end_date: Any, place: str = "",
    user: str = "", today: dt.date | None = None,
) -> Changes:
    """The outcome of a pregnancy (活产, 死产, 自然流产, 人工流产, 引产). A live birth is recorded with
    ``record_birth``, which also closes the pregnancy; this records the other outcomes (or a live birth whose
    child is not of the village)."""
    preg = require_row(conn, "pregnancy", pregnancy, field="pregnancy")
    woman = require_person(conn, preg["person_id"])
    result = clean_value("pregnancy", "outcome", outcome)
    if result is None:
        raise InputError("请选择孕产结果。", field="outcome")
    day = require_date(end_date, field="end_date", label="终止日期")
    if day.isoformat() < preg["lmp_date"]:
        raise InputError(f"终止日期早于末次月经日期 {preg['lmp_date']}。", field="end_date")
    if preg["outcome"] is not None:
        raise InputError("该孕情已登记结果；如需更正请使用“更正”。", field="pregnancy")
    label = codes.label("pregnancy_outcome", result)
    with operation(conn, "record_pregnancy_outcome", user=user, today=today,
                   summary=f"{woman['name']} 孕情结果：{label}") as op:
        op.update("pregnancy", preg["id"], {"outcome": result, "end_date": day, "end_place": str(place).strip()})
        op.event(person_id=woman["id"], change_type=Change.PREGNANCY_ENDED, occurred=day,
                 record=RecordRef("pregnancy", preg["id"]), field="end_date")
    assert op.result
    return op.result


def record_service(
    conn: sqlite3.Connection, *, person: int, kind: Any, date: Any, result: str = "", institution: str = "",
    item: str = "", quantity: Any = None, user: str = "", today: dt.date | None = None,
) -> Changes:
    """A service given (服务册): 查环, 查孕, 查病, 透环, 术后随访, 药具发放, 宣传教育."""
    who = require_person(conn, person)
    kind_code = clean_value("service", "kind", kind)
    day = require_date(date, field="date", label="服务日期")
    not_dead_at(who, day, field="person")
    qty = clean_value("service", "quantity", quantity)
    if qty is not None and qty < 0:
        raise InputError("数量不能为负数。", field="quantity")
    label = codes.label("service_kind", kind_code)
    with operation(conn, "record_service", user=user, today=today, summary=f"{who['name']} {label}") as op:
        sid = op.insert("service", {
            "person_id": who["id"], "kind": kind_code, "service_date": day, "result": str(result).strip(),
            "institution": str(institution).strip(), "item": str(item).strip(), "quantity": qty,
        })
        op.event(person_id=who["id"], change_type=Change.SERVICE, occurred=day, record=RecordRef("service", sid))
    assert op.result
    return op.result


def pay_benefit(
    conn: sqlite3.Connection, *, person: int, kind: Any, year: Any, amount: Any, paid_date: Any,
    user: str = "", today: dt.date | None = None,
) -> Changes:
    """A benefit paid (奖扶发放): amount in yuan (元)."""
    who = require_person(conn, person)
    kind_code = clean_value("benefit", "kind", kind)
    year_value = clean_value("benefit", "year", year)
    if not 1970 <= year_value <= 2100:
        raise InputError(f"年度“{year}”无效。", field="year")
    fen = clean_value("benefit", "amount_fen", amount, param="amount")
    day = require_date(paid_date, field="paid_date", label="发放日期")
    label = codes.label("benefit_kind", kind_code)
    with operation(conn, "pay_benefit", user=user, today=today,
                   summary=f"{who['name']} {label} {fen / 100:.2f}元") as op:
        bid = op.insert("benefit", {
            "person_id": who["id"], "kind": kind_code, "year": year_value, "amount_fen": fen, "paid_date": day,
        })
        op.event(person_id=who["id"], change_type=Change.BENEFIT, occurred=day, record=RecordRef("benefit", bid),
                 field="paid_date")
    assert op.result
    return op.result


def issue_certificate(
    conn: sqlite3.Connection, *, person: int, kind: Any, issued_date: Any, number: str = "",
    user: str = "", today: dt.date | None = None,
) -> Changes:
    """A certificate issued (发证): 生育服务证, 独生子女父母光荣证, 婚育证明 ..."""
    who = require_person(conn, person)
    kind_code = clean_value("certificate", "kind", kind)
    day = require_date(issued_date, field="issued_date", label="发证日期")
    label = codes.label("certificate", kind_code)
    with operation(conn, "issue_certificate", user=user, today=today, summary=f"{who['name']} {label}") as op:
        cid = op.insert("certificate", {
            "person_id": who["id"], "kind": kind_code, "number": str(number).strip(), "issued_date": day,
        })
        op.event(person_id=who["id"], change_type=Change.CERTIFICATE, occurred=day,
                 record=RecordRef("certificate", cid), field="issued_date")
    assert op.result
    return op.result
