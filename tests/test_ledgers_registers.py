"""管理册 and 服务册: the registers and the service book a clerk works from."""

from __future__ import annotations

import sqlite3

import pytest

from fpdesk import services
from fpdesk.ledgers.registers import (
    births_register, certificate_register, contraception_register, migrant_register, population_register,
    pregnancy_register,
)
from fpdesk.ledgers.service_book import benefits_paid, service_book, supplies_handed_out
from fpdesk.snapshot import load_snapshot
from tests.ledgers_village import D, birth, household, man, marry, woman


@pytest.fixture
def village(fresh_db: sqlite3.Connection) -> dict[str, int]:
    conn = fresh_db
    ids: dict[str, int] = {}
    ids["张伟"], ids["刘芳"] = household(conn, "1", man("张伟", "1990-03-01", relation="01"),
                                         woman("刘芳", "1992-06-10", relation="02"))
    ids["何静"], ids["何父"] = household(conn, "2", woman("何静", "1995-03-03", relation="01"),
                                         man("何父", "1950-01-01", relation="05"), group="二组")
    (ids["马丽"],) = household(conn, "3", woman("马丽", "1993-04-04", relation="01"), group="二组")
    (ids["周涛"],) = household(conn, "4", man("周涛", "1995-01-01", relation="01"))
    marry(conn, ids["刘芳"], "2015-05-01", spouse=ids["张伟"])
    marry(conn, ids["何静"], "2019-01-01", outside="钱进")
    marry(conn, ids["马丽"], "2018-01-01", outside="牛二")
    ids["小明"] = birth(conn, ids["刘芳"], "张小明", "1", "2016-01-10")
    services.register_pregnancy(conn, person=ids["何静"], lmp_date="2026-01-10", registered_date="2026-03-01",
                                today=D("2026-08-01"))
    birth(conn, ids["何静"], "钱一", "2", "2026-10-05", today=D("2026-10-06"))
    services.record_divorce(conn, person=ids["刘芳"], date="2026-09-01", today=D("2026-09-02"))
    ids["张二"] = birth(conn, ids["刘芳"], "张二", "1", "2026-10-20", today=D("2026-10-21"))
    services.record_death(conn, person=ids["何父"], date="2026-09-01", today=D("2026-09-02"))
    services.record_move_out(conn, person=ids["周涛"], date="2026-08-15", today=D("2026-08-16"))
    services.record_outflow(conn, person=ids["马丽"], date="2026-03-01", place="广东", today=D("2026-08-01"))
    ids["郑华"] = services.record_inflow(conn, person=woman("郑华", "1990-12-12", marital_status="21"),
                                        date="2026-10-22", place="河南", household=1, today=D("2026-10-22")).record.id
    services.start_measure(conn, person=ids["何静"], method="700", start_date="2026-11-05", institution="镇卫生院",
                           today=D("2026-11-05"))
    services.register_pregnancy(conn, person=ids["马丽"], lmp_date="2026-09-01", registered_date="2026-10-15",
                                policy_status="1", today=D("2026-10-15"))
    services.issue_certificate(conn, person=ids["何静"], kind="0101", issued_date="2026-10-02", today=D("2026-10-02"))
    services.issue_certificate(conn, person=ids["马丽"], kind="0109", issued_date="2026-02-20", today=D("2026-08-01"))
    for who, kind, day, item, qty in [("何静", "01", "2026-11-06", "", None), ("马丽", "06", "2026-10-03", "避孕套", 20),
                                      ("刘芳", "06", "2026-10-09", "避孕套", 10),
                                      ("刘芳", "06", "2026-11-09", "口服避孕药", 3),
                                      ("何静", "07", "2026-09-09", "", None)]:
        services.record_service(conn, person=ids[who], kind=kind, date=day, item=item, quantity=qty,
                                today=D("2026-11-10"))
    for who, kind, year, amount, day in [("刘芳", "01", 2025, "120", "2025-12-20"),
                                         ("刘芳", "01", 2026, "120.5", "2026-06-01"),
                                         ("何父", "02", 2026, "960", "2026-03-01"),
                                         ("马丽", "04", 2026, "3600", "2026-10-01")]:
        services.pay_benefit(conn, person=ids[who], kind=kind, year=year, amount=amount, paid_date=day,
                             today=D("2026-11-10"))
    return ids


def test_population_register_lists_everyone_with_a_status(fresh_db, village, today):
    rows = population_register(load_snapshot(fresh_db, as_of=today))
    assert [(r.group, r.household_no, r.name, r.status) for r in rows] == [
        ("一组", "1", "张伟", "在册"), ("一组", "1", "刘芳", "在册"), ("一组", "1", "张小明", "在册"),
        ("一组", "1", "张二", "在册"), ("一组", "1", "郑华", "流入"),
        ("一组", "4", "周涛", "迁出"),
        ("二组", "2", "何静", "在册"), ("二组", "2", "钱一", "在册"), ("二组", "2", "何父", "死亡"),
        ("二组", "3", "马丽", "流出"),
    ]
    by_name = {r.name: r for r in rows}
    assert by_name["周涛"].status_date == D("2026-08-15")
    assert by_name["马丽"].status_date == D("2026-03-01")
    assert by_name["刘芳"].marital_status == "离婚" and by_name["张伟"].relation == "户主"
    assert by_name["张小明"].age == 10


def test_population_register_on_an_earlier_day_and_by_group(fresh_db, village):
    snap = load_snapshot(fresh_db, as_of=D("2026-11-23"))
    august = population_register(snap, day=D("2026-08-20"))
    assert {r.name: r.status for r in august} == {
        "张伟": "在册", "刘芳": "在册", "张小明": "在册", "周涛": "迁出", "何静": "在册", "何父": "在册", "马丽": "流出"}
    assert {r.name: r.marital_status for r in august}["刘芳"] == "初婚"  # she divorced on 1 September
    # by relation to the head: 户主, 女, 父母
    assert [r.name for r in population_register(snap, group_id=2)] == ["何静", "钱一", "何父", "马丽"]
    assert [r.name for r in population_register(snap, household_id=3)] == ["马丽"]


def test_births_register(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    rows = births_register(snap, period="2026-10")
    assert [(r.child_name, r.mother_name, r.husband_name, r.birth_order, r.group) for r in rows] == [
        ("钱一", "何静", "钱进", 1, "二组"),
        ("张二", "刘芳", "", 2, "一组"),   # born after her divorce
    ]
    assert rows[0].ref.table == "birth" and rows[0].ref.person_id == village["何静"] and rows[0].event is None
    assert len(births_register(snap)) == 3
    assert [r.child_name for r in births_register(snap, start=D("2016-01-10"), end=D("2016-01-10"))] == ["张小明"]
    with pytest.raises(ValueError):
        births_register(snap, period="2026-10", start=D("2026-10-01"))


def test_contraception_register(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    rows = contraception_register(snap)
    # 刘芳 is divorced and keeps her card: listed with no measure recorded yet (the clerk records 000 + A94).
    # 马丽 (outflow) is listed; she has no measure record at all.
    assert [(r.name, r.method, r.no_measure_reason, r.long_acting, r.current_children) for r in rows] == [
        ("刘芳", "未避孕", "未登记", False, 2), ("何静", "宫内节育器", "", True, 1), ("马丽", "未避孕", "未登记", False, 0)]
    assert rows[1].ref.table == "measure" and rows[1].start_date == D("2026-11-05")
    assert rows[2].ref.table == "person" and rows[2].method_code == "000"
    october = contraception_register(snap, day=D("2026-10-31"))
    assert [(r.name, r.method_code) for r in october] == [("刘芳", "000"), ("何静", "000"), ("马丽", "000")]
    assert [r.name for r in contraception_register(snap, group_id=1)] == ["刘芳"]


def test_pregnancy_register(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    rows = pregnancy_register(snap)
    # 何静's pregnancy ended with her October birth (a live birth closes it).
    assert [(r.name, r.order, r.outcome, r.policy_status) for r in rows] == [
        ("何静", 1, "活产", ""), ("马丽", 1, "在孕", "政策内")]
    assert [r.name for r in pregnancy_register(snap, ongoing=True)] == ["马丽"]
    assert [r.name for r in pregnancy_register(snap, period="2026-10")] == ["马丽"]
    assert rows[1].expected_date == D("2027-06-08")


def test_migrant_register(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    rows = migrant_register(snap)
    assert [(r.kind, r.name, r.place, r.current) for r in rows] == [("流入", "郑华", "河南", True),
                                                                     ("流出", "马丽", "广东", True)]
    assert [r.name for r in migrant_register(snap, kind="2")] == ["马丽"]
    assert [r.name for r in migrant_register(snap, period="2026-09")] == ["马丽"]  # 郑华 came in October


def test_certificate_register(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    assert [(r.kind, r.name) for r in certificate_register(snap)] == [
        ("流动人口婚育证明", "马丽"), ("一孩生育服务证", "何静")]
    assert [r.name for r in certificate_register(snap, kind="0101", period="2026-10")] == ["何静"]
    assert certificate_register(snap, period="2026-11") == ()


def test_service_book(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    book = service_book(snap, start=D("2026-10-01"), end=D("2026-11-30"))
    assert [(r.date, r.kind, r.name) for r in book.rows] == [
        (D("2026-10-03"), "药具发放", "马丽"), (D("2026-10-09"), "药具发放", "刘芳"),
        (D("2026-11-06"), "查环", "何静"), (D("2026-11-09"), "药具发放", "刘芳")]
    assert book.total == 4
    assert {c.code: c.count for c in book.by_kind if c.count} == {"01": 1, "06": 3}
    assert [r.name for r in service_book(snap, kind="07").rows] == ["何静"]


def test_supplies_handed_out(fresh_db, village, today):
    supplies = supplies_handed_out(load_snapshot(fresh_db, as_of=today), period="2026-10")
    assert [(r.name, r.item, r.quantity) for r in supplies.rows] == [("马丽", "避孕套", 20), ("刘芳", "避孕套", 10)]
    assert [(t.item, t.times, t.quantity) for t in supplies.totals] == [("避孕套", 2, 30)]


def test_benefits_paid_with_exact_totals(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    year = benefits_paid(snap, year=2026)
    assert [(r.name, r.kind, r.amount) for r in year.rows] == [
        ("何父", "奖励扶助", "960.00"), ("刘芳", "独生子女保健费", "120.50"), ("马丽", "育儿补贴", "3600.00")]
    assert (year.total_fen, year.total) == (468050, "4680.50")
    assert [(k.label, k.count, k.amount) for k in year.by_kind] == [
        ("独生子女保健费", 1, "120.50"), ("奖励扶助", 1, "960.00"), ("育儿补贴", 1, "3600.00")]
    everything = benefits_paid(snap, kind="01")
    assert (len(everything.rows), everything.total) == (2, "240.50")
    assert benefits_paid(snap, period="2026-10").total == "3600.00"
