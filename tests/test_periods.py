"""报送 locks the month: a correction that would alter a submitted month is refused until the month is unlocked
with a reason (audited); a change found late is reported as 补报; the next submission is a numbered 更正报."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

import pytest

from fpdesk import services
from fpdesk.errors import InputError, LockedPeriodError
from fpdesk.ledgers import monthly_change_report
from fpdesk.services.periods import locked_periods
from fpdesk.snapshot import load_snapshot
from tests.conftest import TODAY, file_content

OCT = "2026-10"


@dataclass(frozen=True)
class Village:
    mother: int
    husband: int
    birth: int
    child: int
    measure: int
    old_measure: int
    neighbour: int


@pytest.fixture
def village(fresh_db: sqlite3.Connection) -> Village:
    """A couple whose child was born in October 2026 (reported in October), an IUD put in in October, and a
    neighbour with a measure from 2020 (before any report)."""
    c = fresh_db
    base = dt.date(2020, 1, 10)
    services.register_household(c, number="001", group="一组", today=base, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主", "roster_no": "P1"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶", "roster_no": "P2"},
        {"name": "王芳", "sex": "女", "birth_date": "1991-07-01", "relation": "其他", "roster_no": "P3"},
    ])
    ids = {r["roster_no"]: r["id"] for r in c.execute("SELECT id, roster_no FROM person")}
    services.record_marriage(c, person=ids["P2"], spouse=ids["P1"], date="2015-05-01", today=base)
    services.record_marriage(c, person=ids["P3"], date="2014-05-01", today=base, spouse_info={"spouse_name": "刘强"})
    old = services.start_measure(c, person=ids["P3"], method="700", start_date="2020-01-05", today=base)
    birth = services.record_birth(c, mother=ids["P2"], child_name="张小明", sex="男", birth_date="2026-10-12",
                                  today=dt.date(2026, 10, 15))
    measure = services.start_measure(c, person=ids["P2"], method="700", start_date="2026-10-20",
                                     today=dt.date(2026, 10, 22))
    child = c.execute("SELECT child_id FROM birth WHERE id = ?", (birth.record.id,)).fetchone()[0]
    return Village(ids["P2"], ids["P1"], birth.record.id, child, measure.record.id, old.record.id, ids["P3"])


def correct(conn, table, record, field, value):
    return services.correct_field(conn, table=table, record=record, field=field, value=value, reason="核对",
                                  today=TODAY)


def test_submitting_locks_the_month_with_correction_number_0(fresh_db) -> None:
    changes = services.submit_period(fresh_db, period="2026年10月", today=TODAY)
    lock = fresh_db.execute("SELECT * FROM period_lock").fetchone()
    assert (lock["period"], lock["correction_no"], lock["locked"]) == (OCT, 0, 1)
    assert lock["submitted_at"].startswith(TODAY.isoformat())
    op = fresh_db.execute("SELECT * FROM operation WHERE id = ?", (changes.op_id,)).fetchone()
    assert op["action"] == "submit_period" and "2026年10月" in op["summary"]
    assert locked_periods(fresh_db) == {OCT}


def test_each_later_submission_is_the_next_correction(fresh_db) -> None:
    services.submit_period(fresh_db, period=OCT, today=TODAY)
    services.unlock_period(fresh_db, period=OCT, reason="乡镇要求更正", today=TODAY)
    services.submit_period(fresh_db, period=OCT, correction_no=1, today=TODAY)
    services.submit_period(fresh_db, period=OCT, today=TODAY)   # asked for again: the second correction
    lock = fresh_db.execute("SELECT correction_no, locked FROM period_lock").fetchone()
    assert tuple(lock) == (2, 1)


@pytest.mark.parametrize("period, correction_no, field", [
    ("2026-12", None, "period"),       # a month that has not come yet
    ("2026-13", None, "period"),       # no such month
    (OCT, 1, "correction_no"),         # the file says 更正1, but this is the first submission
])
def test_a_submission_that_cannot_be_right_is_refused(fresh_db, period, correction_no, field) -> None:
    before = file_content(fresh_db)
    with pytest.raises(InputError) as err:
        services.submit_period(fresh_db, period=period, correction_no=correction_no, today=TODAY)
    assert err.value.field == field
    assert file_content(fresh_db) == before


def test_unlock_needs_a_reason_and_a_locked_month(fresh_db) -> None:
    with pytest.raises(InputError) as err:
        services.unlock_period(fresh_db, period=OCT, reason="乡镇要求更正", today=TODAY)
    assert err.value.field == "period" and "尚未报送" in str(err.value)
    services.submit_period(fresh_db, period=OCT, today=TODAY)
    with pytest.raises(InputError) as err:
        services.unlock_period(fresh_db, period=OCT, reason="", today=TODAY)
    assert err.value.field == "reason"
    services.unlock_period(fresh_db, period=OCT, reason="乡镇要求更正", today=TODAY)
    with pytest.raises(InputError, match="已经解锁"):
        services.unlock_period(fresh_db, period=OCT, reason="再解一次", today=TODAY)


def test_the_unlock_and_its_reason_are_in_the_audit_log(fresh_db) -> None:
    services.submit_period(fresh_db, period=OCT, today=TODAY)
    changes = services.unlock_period(fresh_db, period=OCT, reason="乡镇通知更正出生登记", user="李芳", today=TODAY)
    op = fresh_db.execute("SELECT * FROM operation WHERE id = ?", (changes.op_id,)).fetchone()
    assert (op["action"], op["user"]) == ("unlock_period", "李芳")
    assert "乡镇通知更正出生登记" in op["summary"]
    audit = {r["field"]: (r["old_value"], r["new_value"]) for r in fresh_db.execute(
        "SELECT * FROM audit_log WHERE op_id = ? AND table_name = 'period_lock'", (changes.op_id,))}
    assert audit == {"locked": ("1", "0"), "unlock_reason": ("", "乡镇通知更正出生登记")}
    assert fresh_db.execute("SELECT unlock_reason FROM period_lock").fetchone()[0] == "乡镇通知更正出生登记"


# (table, record, field, new value): corrections that would alter what October reported
REFUSED = [
    ("birth", "birth", "policy_status", "2"),              # a birth counted in October's table
    ("birth", "birth", "child_name", "张晓明"),             # printed in October's 报告单二
    ("measure", "measure", "method", "810"),               # an IUD insertion counted in October's operations
    ("person", "mother", "name", "李丽娜"),                 # the mother's name on October's 报告单二
    ("person", "mother", "id_number", "420102199205030135"),
    ("person", "child", "birth_date", "2026-09-30"),       # moves a birth out of October
    ("measure", "old_measure", "start_date", "2026-10-03"),  # moves a measure into October
]
# corrections that leave October as it was reported
ALLOWED = [
    ("person", "mother", "occupation", "务农"),             # not on the report
    ("person", "husband", "education", "高中"),             # he is on no October row
    ("measure", "old_measure", "institution", "镇卫生院"),   # a 2020 record
]


@pytest.mark.parametrize("table, who, field, value", REFUSED, ids=[f"{t}.{f}" for t, _, f, _ in REFUSED])
def test_a_correction_into_a_submitted_month_is_refused_until_unlocked(fresh_db, village, table, who, field,
                                                                      value) -> None:
    services.submit_period(fresh_db, period=OCT, today=TODAY)
    before = file_content(fresh_db)
    with pytest.raises(LockedPeriodError) as err:
        correct(fresh_db, table, getattr(village, who), field, value)
    assert err.value.period == OCT
    assert str(err.value) == "2026年10月已报送并锁定，修改该月数据需先解锁并说明原因。"
    assert file_content(fresh_db) == before
    services.unlock_period(fresh_db, period=OCT, reason="核对后更正", today=TODAY)
    correct(fresh_db, table, getattr(village, who), field, value)


@pytest.mark.parametrize("table, who, field, value", ALLOWED, ids=[f"{t}.{f}" for t, _, f, _ in ALLOWED])
def test_a_correction_that_leaves_the_submitted_month_alone_is_allowed(fresh_db, village, table, who, field,
                                                                      value) -> None:
    services.submit_period(fresh_db, period=OCT, today=TODAY)
    correct(fresh_db, table, getattr(village, who), field, value)


def test_a_change_found_late_is_reported_in_the_open_month_and_october_stays_as_submitted(fresh_db, village) -> None:
    services.submit_period(fresh_db, period=OCT, today=TODAY)
    reported = monthly_change_report(load_snapshot(fresh_db, as_of=TODAY), OCT)
    services.record_death(fresh_db, person=village.husband, date="2026-10-25", today=TODAY)
    snap = load_snapshot(fresh_db, as_of=TODAY)
    assert monthly_change_report(snap, OCT).member_rows == reported.member_rows
    assert monthly_change_report(snap, OCT).table.deaths == 0
    november = monthly_change_report(snap, "2026-11")
    assert sorted((r.change_type, r.late_report) for r in november.member_rows) == [("丧偶", True), ("死亡", True)]


def test_corrections_are_free_again_after_unlocking_and_locked_after_resubmitting(fresh_db, village) -> None:
    services.submit_period(fresh_db, period=OCT, today=TODAY)
    services.unlock_period(fresh_db, period=OCT, reason="出生政策属性登记错", today=TODAY)
    correct(fresh_db, "birth", village.birth, "policy_status", "2")
    services.submit_period(fresh_db, period=OCT, today=TODAY)
    with pytest.raises(LockedPeriodError):
        correct(fresh_db, "birth", village.birth, "policy_status", "1")
    assert monthly_change_report(load_snapshot(fresh_db, as_of=TODAY), OCT).table.births.out_of_policy == 1
