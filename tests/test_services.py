"""Every service function: one transaction, audit rows, dated change events, and nothing written on failure."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Callable

import pytest

from fpdesk import ops, services
from fpdesk.codes import Change
from fpdesk.errors import InputError
from tests.conftest import TODAY, file_content


@dataclass(frozen=True)
class Family:
    husband: int
    wife: int
    child: int
    single: int
    bachelor: int
    pregnancy: int
    household: int


@pytest.fixture
def family(fresh_db: sqlite3.Connection) -> Family:
    """A married couple with one child, an IUD, an ongoing pregnancy of a neighbour, and a single woman."""
    conn = fresh_db
    day = dt.date(2020, 1, 10)
    services.register_household(conn, number="001", group="一组", today=day, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主", "roster_no": "P1"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶", "roster_no": "P2"},
    ])
    services.register_household(conn, number="002", group="二组", today=day, members=[
        {"name": "王芳", "sex": "女", "birth_date": "1998-07-01", "relation": "户主", "roster_no": "P3"},
        {"name": "王磊", "sex": "男", "birth_date": "1996-02-11", "relation": "兄弟姐妹", "roster_no": "P4"},
    ])
    ids = {r["roster_no"]: r["id"] for r in conn.execute("SELECT id, roster_no FROM person")}
    services.record_marriage(conn, person=ids["P2"], spouse=ids["P1"], date="2015-05-01", today=day)
    services.record_birth(conn, mother=ids["P2"], child_name="张小明", sex="男", birth_date="2016-03-01", today=day)
    services.start_measure(conn, person=ids["P2"], method="700", start_date="2016-06-01", today=day)
    services.record_marriage(conn, person=ids["P3"], date="2019-10-01", today=day,
                             spouse_info={"spouse_name": "刘强", "spouse_id_number": "420102199001010011"})
    services.record_outflow(conn, person=ids["P4"], date="2025-03-01", place="广东东莞", today=dt.date(2025, 3, 5))
    preg = services.register_pregnancy(conn, person=ids["P3"], lmp_date="2026-08-01", today=dt.date(2026, 9, 20))
    child = conn.execute("SELECT child_id FROM birth").fetchone()[0]
    hh = conn.execute("SELECT id FROM household WHERE number = '001'").fetchone()[0]
    return Family(ids["P1"], ids["P2"], child, ids["P3"], ids["P4"], preg.record.id, hh)


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[sqlite3.Connection, Family], services.__class__]
    event: str | None            # the change type written, or None for an action that is no population change
    bad: Callable[[sqlite3.Connection, Family], object]
    bad_field: str


D = "2026-11-10"
CASES = [
    # setting up the village again updates it; no change event
    Case("setup_village", lambda c, f: services.setup_village(c, code="420102001001", name="双河村", clerk="王丽", today=TODAY),
         None, lambda c, f: services.setup_village(c, code="4201", name="双河村", today=TODAY), "code"),
    Case("add_group", lambda c, f: services.add_group(c, name="三组", head_name="孙七", today=TODAY),
         None, lambda c, f: services.add_group(c, name="一组", today=TODAY), "name"),
    # a household moving in: every member gets a 迁入 event
    Case("register_household", lambda c, f: services.register_household(
            c, number="003", group="一组", moved_in=D, today=TODAY,
            members=[{"name": "陈军", "sex": "男", "birth_date": "1985-01-01"}]),
         Change.MOVE_IN, lambda c, f: services.register_household(
            c, number="003", group="一组", moved_in="2026-13-01", today=TODAY,
            members=[{"name": "陈军", "sex": "男", "birth_date": "1985-01-01"}]), "moved_in"),
    Case("add_person", lambda c, f: services.add_person(
            c, household=f.household, moved_in=D, today=TODAY,
            person={"name": "张母", "sex": "女", "birth_date": "1960-01-01", "relation": "父母"}),
         Change.MOVE_IN, lambda c, f: services.add_person(
            c, household=f.household, today=TODAY, person={"name": "", "sex": "女", "birth_date": "1960-01-01"}),
         "person.name"),
    Case("record_death", lambda c, f: services.record_death(c, person=f.husband, date=D, today=TODAY),
         Change.DEATH, lambda c, f: services.record_death(c, person=99999, date=D, today=TODAY), "person"),
    Case("record_move_out", lambda c, f: services.record_move_out(c, person=f.child, date=D, place="武汉", today=TODAY),
         Change.MOVE_OUT, lambda c, f: services.record_move_out(c, person=f.child, date="", today=TODAY), "date"),
    Case("record_outflow", lambda c, f: services.record_outflow(c, person=f.husband, date=D, place="广东东莞", today=TODAY),
         Change.OUTFLOW, lambda c, f: services.record_outflow(c, person=f.husband, date="2026-12-01", today=TODAY), "date"),
    Case("record_return", lambda c, f: services.record_return(c, person=f.bachelor, date=D, today=TODAY),
         Change.RETURN, lambda c, f: services.record_return(c, person=f.wife, date=D, today=TODAY), "person"),
    Case("record_inflow", lambda c, f: services.record_inflow(
            c, person={"name": "赵敏", "sex": "女", "birth_date": "1995-02-02", "marital_status": "初婚"},
            date=D, place="河南信阳", today=TODAY),
         Change.INFLOW, lambda c, f: services.record_inflow(
            c, person={"name": "赵敏", "sex": "未知", "birth_date": "1995-02-02"}, date=D, today=TODAY), "person.sex"),
    Case("record_marriage", lambda c, f: services.record_marriage(
            c, person=f.bachelor, date=D, today=TODAY, spouse_info={"spouse_name": "孙丽", "spouse_hukou": "农业"}),
         Change.FIRST_MARRIAGE, lambda c, f: services.record_marriage(c, person=f.wife, date=D, today=TODAY,
                                                    spouse_info={"spouse_name": "某某"}), "person"),
    Case("record_divorce", lambda c, f: services.record_divorce(c, person=f.wife, date=D, today=TODAY),
         Change.DIVORCE, lambda c, f: services.record_divorce(c, person=f.child, date=D, today=TODAY), "person"),
    Case("record_widowhood", lambda c, f: services.record_widowhood(c, person=f.single, date=D, today=TODAY),
         Change.WIDOWED, lambda c, f: services.record_widowhood(c, person=f.single, date="2010-01-01", today=TODAY),
         "date"),
    Case("record_birth", lambda c, f: services.record_birth(
            c, mother=f.single, child_name="刘小红", sex="女", birth_date=D, today=TODAY),
         Change.BIRTH, lambda c, f: services.record_birth(
            c, mother=f.husband, child_name="刘小红", sex="女", birth_date=D, today=TODAY), "mother"),
    Case("start_measure", lambda c, f: services.start_measure(
            c, person=f.wife, method="女性绝育术", start_date=D, institution="镇卫生院", today=TODAY),
         Change.MEASURE, lambda c, f: services.start_measure(
            c, person=f.wife, method="999", start_date=D, today=TODAY), "method"),
    Case("stop_measure", lambda c, f: services.stop_measure(
            c, person=f.wife, date=D, no_measure_reason="待孕", reason="取环", today=TODAY),
         Change.MEASURE, lambda c, f: services.stop_measure(
            c, person=f.wife, date=D, no_measure_reason="", today=TODAY), "no_measure_reason"),
    Case("register_pregnancy", lambda c, f: services.register_pregnancy(
            c, person=f.wife, lmp_date="2026-10-01", registered_date=D, policy_status="政策内", today=TODAY),
         Change.PREGNANCY_REGISTERED, lambda c, f: services.register_pregnancy(
            c, person=f.single, lmp_date="2026-10-01", today=TODAY), "person"),
    Case("record_pregnancy_outcome", lambda c, f: services.record_pregnancy_outcome(
            c, pregnancy=f.pregnancy, outcome="人工流产", end_date=D, place="县妇幼保健院", today=TODAY),
         Change.PREGNANCY_ENDED, lambda c, f: services.record_pregnancy_outcome(
            c, pregnancy=f.pregnancy, outcome="人工流产", end_date="2026-01-01", today=TODAY), "end_date"),
    Case("record_service", lambda c, f: services.record_service(
            c, person=f.wife, kind="查环", date=D, result="环位正常", today=TODAY),
         Change.SERVICE, lambda c, f: services.record_service(c, person=f.wife, kind="查环", date="昨天", today=TODAY),
         "date"),
    Case("pay_benefit", lambda c, f: services.pay_benefit(
            c, person=f.wife, kind="独生子女保健费", year=2026, amount="120.00", paid_date=D, today=TODAY),
         Change.BENEFIT, lambda c, f: services.pay_benefit(
            c, person=f.wife, kind="独生子女保健费", year=2026, amount="-5", paid_date=D, today=TODAY), "amount"),
    Case("issue_certificate", lambda c, f: services.issue_certificate(
            c, person=f.wife, kind="0108", number="鄂0001", issued_date=D, today=TODAY),
         Change.CERTIFICATE, lambda c, f: services.issue_certificate(
            c, person=f.wife, kind="光荣证", issued_date=D, today=TODAY), "kind"),
    # a correction is not a population change: audited, no change event
    Case("correct_field", lambda c, f: services.correct_field(
            c, table="person", record=f.wife, field="education", value="高中", reason="核对户口本", today=TODAY),
         None, lambda c, f: services.correct_field(
            c, table="person", record=f.wife, field="birth_date", value="1992-02-30", today=TODAY), "value"),
    # a confirmed exception is bookkeeping about a finding: audited, no change event
    Case("confirm_exception", lambda c, f: services.confirm_exception(
            c, key=f"I001:person:{f.wife}:id_number", note="已核对身份证原件", today=TODAY),
         None, lambda c, f: services.confirm_exception(
            c, key=f"I001:person:{f.wife}:id_number", note="  ", today=TODAY), "note"),
    Case("withdraw_exception", lambda c, f: (
            services.confirm_exception(c, key="D001:service:1:service_date", note="确有其事", today=TODAY),
            services.withdraw_exception(c, key="D001:service:1:service_date", today=TODAY))[1],
         None, lambda c, f: services.withdraw_exception(c, key="D001:service:1:service_date", today=TODAY), "key"),
    Case("set_setting", lambda c, f: services.set_setting(c, key="deadline_day", value="3", today=TODAY),
         None, lambda c, f: services.record_service(c, person=None, kind="查环", date=D, today=TODAY), "person"),
    # 报送 locks a month: bookkeeping about the reports, no change event
    Case("submit_period", lambda c, f: services.submit_period(c, period="2026-10", today=TODAY),
         None, lambda c, f: services.submit_period(c, period="2026-13", today=TODAY), "period"),
    Case("unlock_period", lambda c, f: (
            services.submit_period(c, period="2026-10", today=TODAY),
            services.unlock_period(c, period="2026-10", reason="乡镇通知更正出生登记", today=TODAY))[1],
         None, lambda c, f: services.unlock_period(c, period="2026-10", reason="  ", today=TODAY), "reason"),
]
IDS = [c.name for c in CASES]


def test_every_service_function_has_a_case() -> None:
    assert set(services.__all__) == {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_writes_audit_rows_for_every_record_it_changes(fresh_db, family, case) -> None:
    changes = case.call(fresh_db, family)
    op = fresh_db.execute("SELECT * FROM operation WHERE id = ?", (changes.op_id,)).fetchone()
    assert op["action"] == case.name and op["summary"] and op["at"].startswith(TODAY.isoformat())
    audited = {(r["table_name"], r["record_id"], r["kind"]) for r in fresh_db.execute(
        "SELECT * FROM audit_log WHERE op_id = ?", (changes.op_id,))}
    assert audited, "an action must leave audit rows"
    for ref in changes.inserted:
        assert (ref.table, ref.id, "insert") in audited
    for ref in changes.updated:
        assert (ref.table, ref.id, "update") in audited
    for ref in changes.deleted:
        assert (ref.table, ref.id, "delete") in audited
    for row in fresh_db.execute("SELECT * FROM audit_log WHERE op_id = ? AND kind = 'update'", (changes.op_id,)):
        assert row["field"] and row["old_value"] != row["new_value"]


@pytest.mark.parametrize("case", [c for c in CASES if c.event], ids=[c.name for c in CASES if c.event])
def test_records_the_change_event_with_both_dates(fresh_db, family, case) -> None:
    changes = case.call(fresh_db, family)
    events = fresh_db.execute(
        "SELECT * FROM change_event WHERE op_id = ? ORDER BY id", (changes.op_id,)).fetchall()
    assert [e["id"] for e in events] == list(changes.events)
    assert case.event in {e["change_type"] for e in events}
    for e in events:
        assert e["occurred_date"] == D and e["entered_date"] == TODAY.isoformat()
        assert e["report_period"] == "2026-11"
        assert e["record_table"] and e["record_id"]


@pytest.mark.parametrize("case", [c for c in CASES if not c.event], ids=[c.name for c in CASES if not c.event])
def test_actions_that_are_no_population_change_write_no_event(fresh_db, family, case) -> None:
    changes = case.call(fresh_db, family)
    assert changes.events == ()
    assert fresh_db.execute("SELECT count(*) FROM change_event WHERE op_id = ?", (changes.op_id,)).fetchone()[0] == 0


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_input_names_the_field_and_writes_nothing(fresh_db, family, case) -> None:
    before = file_content(fresh_db)
    with pytest.raises(InputError) as err:
        case.bad(fresh_db, family)
    assert err.value.field == case.bad_field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value)), "the message is for a Chinese clerk"
    assert file_content(fresh_db) == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_failure_midway_leaves_the_file_unchanged(fresh_db, family, case, monkeypatch) -> None:
    before = file_content(fresh_db)

    def fail(*args, **kwargs):
        raise RuntimeError("disk pulled out")

    # the first record is written, then its audit row fails: the whole action must roll back
    monkeypatch.setattr(ops.Operation, "_audit", fail)
    with pytest.raises(RuntimeError):
        case.call(fresh_db, family)
    assert not fresh_db.in_transaction
    assert file_content(fresh_db) == before


def test_insert_audit_keeps_the_whole_new_row(fresh_db, family) -> None:
    changes = services.record_service(fresh_db, person=family.wife, kind="查孕", date=D, today=TODAY)
    row = fresh_db.execute("SELECT * FROM audit_log WHERE op_id = ? AND table_name = 'service'",
                           (changes.op_id,)).fetchone()
    assert json.loads(row["new_value"]) == {
        "person_id": family.wife, "kind": "02", "service_date": D, "result": "", "institution": "", "item": "",
        "quantity": None,
    }


def test_correction_audit_has_old_and_new_value(fresh_db, family) -> None:
    changes = services.correct_field(fresh_db, table="person", record=family.wife, field="name", value="李丽娜",
                                     today=TODAY)
    row = fresh_db.execute("SELECT * FROM audit_log WHERE op_id = ?", (changes.op_id,)).fetchone()
    assert (row["field"], row["old_value"], row["new_value"]) == ("name", "李娜", "李丽娜")


def test_death_of_a_husband_widows_his_wife(fresh_db, family) -> None:
    changes = services.record_death(fresh_db, person=family.husband, date=D, today=TODAY)
    wife = fresh_db.execute("SELECT * FROM person WHERE id = ?", (family.wife,)).fetchone()
    assert (wife["marital_status"], wife["marital_change_date"]) == ("30", D)
    kinds = sorted(r[0] for r in fresh_db.execute("SELECT change_type FROM change_event WHERE op_id = ?",
                                                  (changes.op_id,)))
    assert kinds == [Change.WIDOWED, Change.DEATH]
    assert fresh_db.execute("SELECT count(*) FROM marriage WHERE end_date IS NULL AND "
                            "(person_id = ? OR person_id = ?)", (family.wife, family.husband)).fetchone()[0] == 0


def test_divorce_ends_the_marriage_for_both_partners(fresh_db, family) -> None:
    services.record_divorce(fresh_db, person=family.wife, date=D, today=TODAY)
    rows = fresh_db.execute("SELECT person_id, end_reason FROM marriage WHERE spouse_id IS NOT NULL").fetchall()
    assert sorted(tuple(r) for r in rows) == sorted([(family.wife, "40"), (family.husband, "40")])


def test_second_marriage_is_a_remarriage(fresh_db, family) -> None:
    services.record_divorce(fresh_db, person=family.wife, date="2026-01-05", today=TODAY)
    changes = services.record_marriage(fresh_db, person=family.wife, date=D, today=TODAY,
                                       spouse_info={"spouse_name": "周杰"})
    event = fresh_db.execute("SELECT change_type FROM change_event WHERE op_id = ?", (changes.op_id,)).fetchone()
    assert event[0] == Change.REMARRIAGE
    wife = fresh_db.execute("SELECT * FROM person WHERE id = ?", (family.wife,)).fetchone()
    assert (wife["marital_status"], wife["first_marriage_date"], wife["marital_change_date"]) == ("22", "2015-05-01", D)


def test_birth_closes_the_ongoing_pregnancy_and_suggests_policy(fresh_db, family) -> None:
    services.record_birth(fresh_db, mother=family.single, child_name="刘一", sex="男", birth_date="2026-11-05",
                          today=TODAY)
    preg = fresh_db.execute("SELECT outcome, end_date FROM pregnancy WHERE id = ?", (family.pregnancy,)).fetchone()
    assert tuple(preg) == ("1", "2026-11-05")
    birth = fresh_db.execute("SELECT birth_order, policy_status FROM birth WHERE mother_id = ?",
                             (family.single,)).fetchone()
    assert tuple(birth) == (1, "1")


def test_a_change_into_a_submitted_month_is_reported_late(fresh_db, family) -> None:
    fresh_db.execute("INSERT INTO period_lock(period, submitted_at) VALUES ('2026-10', '2026-11-03T10:00:00')")
    services.record_death(fresh_db, person=family.husband, date="2026-10-20", today=TODAY)
    event = fresh_db.execute("SELECT * FROM change_event WHERE change_type = '09'").fetchone()
    assert (event["occurred_date"], event["report_period"]) == ("2026-10-20", "2026-11")


def test_an_event_in_the_future_is_refused(fresh_db, family) -> None:
    before = file_content(fresh_db)
    with pytest.raises(InputError) as err:
        services.record_death(fresh_db, person=family.husband, date="2026-12-24", today=TODAY)
    assert "晚于录入日期" in str(err.value)
    assert file_content(fresh_db) == before


def test_id_number_fills_birth_date_and_sex(fresh_db) -> None:
    services.register_household(fresh_db, number="009", today=TODAY,
                                members=[{"name": "李娜", "id_number": "420102199205030127"}])
    row = fresh_db.execute("SELECT sex, birth_date FROM person WHERE name = '李娜'").fetchone()
    assert tuple(row) == ("2", "1992-05-03")


def test_batch_rolls_back_every_operation_inside_it(fresh_db, family) -> None:
    before = file_content(fresh_db)
    with pytest.raises(InputError):
        with ops.batch(fresh_db):
            services.record_service(fresh_db, person=family.wife, kind="查环", date=D, today=TODAY)
            services.record_service(fresh_db, person=family.wife, kind="查环", date="bad", today=TODAY)
    assert file_content(fresh_db) == before
