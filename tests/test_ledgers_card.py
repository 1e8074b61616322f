"""档案卡: every section of a woman's card, the list of cards in use, and why a card stops."""

from __future__ import annotations

import sqlite3

import pytest

from fpdesk import services
from fpdesk.errors import InputError, NotFoundError
from fpdesk.ledgers.card import woman_card, woman_cards
from fpdesk.snapshot import load_snapshot
from tests.ledgers_village import D, birth, household, man, marry, woman


@pytest.fixture
def village(fresh_db: sqlite3.Connection) -> dict[str, int]:
    conn = fresh_db
    ids: dict[str, int] = {}
    ids["张伟"], ids["刘芳"] = household(
        conn, "10", man("张伟", "1990-03-01", relation="01", id_number="420102199003010038", education="60",
                       occupation="务农", only_child=True),
        woman("刘芳", "1992-06-10", relation="02", id_number="420102199206100026", ethnicity="01", education="70",
              hukou="1", occupation="务农"))
    (ids["何静"],) = household(conn, "2", woman("何静", "1995-03-03", relation="01"))
    (ids["赵丽"],) = household(conn, "3", woman("赵丽", "1987-07-07", relation="01"), group="二组")
    (ids["孙婆"],) = household(conn, "4", woman("孙婆", "1976-06-01", relation="01"), group="二组")
    (ids["韩雪"],) = household(conn, "5", woman("韩雪", "1999-09-09", relation="01"), group="二组")
    (ids["王梅"],) = household(conn, "6", woman("王梅", "1994-04-04", relation="01"), group="二组")
    ids["安娜"], ids["白雪"] = household(conn, "2a", woman("安娜", "1996-01-01", relation="01"),
                                         woman("白雪", "1997-01-01", relation="02"))
    marry(conn, ids["刘芳"], "2015-05-01", spouse=ids["张伟"])
    marry(conn, ids["何静"], "2019-01-01", outside="钱进", spouse_id_number="420102199101010011",
          spouse_birth_date="1991-01-01", spouse_hukou="2", spouse_occupation="教师")
    marry(conn, ids["赵丽"], "2010-10-01", outside="陈刚")
    services.record_divorce(conn, person=ids["赵丽"], date="2024-01-01", today=D("2026-08-01"))
    for who in ("孙婆", "韩雪", "王梅", "安娜", "白雪"):
        marry(conn, ids[who], "2020-01-01", outside="某")
    services.record_move_out(conn, person=ids["韩雪"], date="2026-06-01", today=D("2026-08-01"))
    services.record_death(conn, person=ids["王梅"], date="2026-07-01", today=D("2026-08-01"))
    services.record_outflow(conn, person=ids["白雪"], date="2025-05-01", place="深圳", certificate_no="流证001",
                            today=D("2026-08-01"))

    liu = ids["刘芳"]
    birth(conn, liu, "张小明", "1", "2016-01-10", birth_cert_no="O420001")
    dead = birth(conn, liu, "张小红", "2", "2018-02-02")
    services.record_death(conn, person=dead, date="2019-01-01", today=D("2026-08-01"))
    services.start_measure(conn, person=liu, method="700", start_date="2016-04-01", institution="镇卫生院",
                           today=D("2026-08-01"))
    services.stop_measure(conn, person=liu, date="2017-05-01", no_measure_reason="A10", reason="取环待孕",
                          today=D("2026-08-01"))
    services.start_measure(conn, person=liu, method="000", start_date="2017-05-15", no_measure_reason="A20",
                           today=D("2026-08-01"))
    services.register_pregnancy(conn, person=liu, lmp_date="2026-03-01", registered_date="2026-04-10",
                                policy_status="1", today=D("2026-08-01"))
    services.record_service(conn, person=liu, kind="02", date="2026-05-01", result="正常", institution="镇卫生院",
                            today=D("2026-08-01"))
    services.pay_benefit(conn, person=liu, kind="01", year=2025, amount="120.50", paid_date="2025-12-20",
                         today=D("2026-08-01"))
    services.issue_certificate(conn, person=liu, kind="0102", number="鄂二2026001", issued_date="2026-02-01",
                               today=D("2026-08-01"))
    services.record_outflow(conn, person=liu, date="2026-06-01", place="广东", today=D("2026-08-01"))
    return ids


def test_card_sections(fresh_db, village, today):
    card = woman_card(load_snapshot(fresh_db, as_of=today), village["刘芳"])
    # identity and household
    assert (card.name, card.id_number, card.birth_date, card.age) == ("刘芳", "420102199206100026", D("1992-06-10"), 34)
    assert (card.ethnicity, card.education, card.hukou, card.occupation) == ("汉族", "初中", "农业", "务农")
    assert (card.group, card.household_no, card.address, card.relation) == ("一组", "10", "一组10号", "配偶")
    assert card.residence == "流出"
    # marriage
    assert (card.marital_status_code, card.marital_status, card.first_marriage_date) == ("21", "初婚", D("2015-05-01"))
    h = card.husband
    assert h is not None and h.person_id == village["张伟"]
    assert (h.name, h.id_number, h.education, h.occupation, h.only_child) == (
        "张伟", "420102199003010038", "高中", "务农", True)
    assert (h.marriage_kind, h.married_on) == ("初婚", D("2015-05-01"))
    assert [(m.kind, m.spouse_name, m.end_reason) for m in card.marriages] == [("初婚", "张伟", "")]
    # children: ordered, the dead child shown but not counted
    assert [(c.order, c.name, c.sex, c.current) for c in card.children] == [(1, "张小明", "男", True),
                                                                           (2, "张小红", "女", False)]
    assert card.children[0].birth_cert_no == "O420001"
    assert card.children[0].policy_status == "政策内" and card.children[0].blood_relation == "亲生"
    assert card.current_children == 1
    # contraception history, the one in force last
    assert [(m.method, m.start_date, m.end_date, m.no_measure_reason, m.current) for m in card.measures] == [
        ("宫内节育器", D("2016-04-01"), D("2017-05-01"), "", False),
        ("未避孕", D("2017-05-01"), D("2017-05-15"), "待孕", False),
        ("未避孕", D("2017-05-15"), None, "现孕", True),
    ]
    assert card.measures[0].institution == "镇卫生院" and card.measures[0].change_reason == "取环待孕"
    assert card.current_measure is card.measures[-1]
    # pregnancies, services, benefits, certificates, migrations
    (p,) = card.pregnancies
    assert (p.lmp_date, p.expected_date, p.policy_status, p.outcome) == (
        D("2026-03-01"), D("2026-12-06"), "政策内", "在孕")
    assert [(s.kind, s.date, s.result) for s in card.services] == [("查孕", D("2026-05-01"), "正常")]
    assert [(b.kind, b.year, b.amount_fen, b.amount) for b in card.benefits] == [("独生子女保健费", 2025, 12050, "120.50")]
    assert [(c.kind, c.number) for c in card.certificates] == [("二孩生育服务证", "鄂二2026001")]
    assert [(m.kind, m.start_date, m.place, m.end_date) for m in card.migrations] == [
        ("流出", D("2026-06-01"), "广东", None)]
    assert card.cancellation is None and card.cancellation_date is None
    assert card.ref.table == "person" and card.ref.id == village["刘芳"]


def test_husband_from_outside_the_village(fresh_db, village, today):
    h = woman_card(load_snapshot(fresh_db, as_of=today), village["何静"]).husband
    assert h is not None and h.person_id is None
    assert (h.name, h.id_number, h.birth_date, h.hukou, h.occupation) == (
        "钱进", "420102199101010011", D("1991-01-01"), "非农业", "教师")


def test_divorced_woman_has_no_husband(fresh_db, village, today):
    card = woman_card(load_snapshot(fresh_db, as_of=today), village["赵丽"])
    assert card.husband is None
    assert card.marital_status == "离婚" and card.marital_change_date == D("2024-01-01")
    assert [(m.spouse_name, m.end_date, m.end_reason) for m in card.marriages] == [("陈刚", D("2024-01-01"), "离婚")]


@pytest.mark.parametrize(("who", "reason", "since"), [
    ("韩雪", "迁出", "2026-06-01"),
    ("王梅", "死亡", "2026-07-01"),
    ("孙婆", "超龄", "2026-06-01"),   # her 50th birthday
    ("刘芳", None, None),
])
def test_cancellation(fresh_db, village, today, who, reason, since):
    card = woman_card(load_snapshot(fresh_db, as_of=today), village[who])
    assert card.cancellation == reason
    assert card.cancellation_date == (D(since) if since else None)


def test_cards_in_use_sorted_by_group_household_name(fresh_db, village, today):
    cards = woman_cards(load_snapshot(fresh_db, as_of=today))
    # Household "2" before "2a" before "10" in 一组; 白雪 (outflow) and 赵丽 (divorced) keep their cards; 孙婆 (over
    # age), 韩雪 (moved out) and 王梅 (dead) have none.
    assert [(c.group, c.household_no, c.name) for c in cards] == [
        ("一组", "2", "何静"), ("一组", "2a", "安娜"), ("一组", "2a", "白雪"), ("一组", "10", "刘芳"),
        ("二组", "3", "赵丽"),
    ]
    assert all(c.cancellation is None for c in cards)


def test_card_of_a_man_or_of_nobody(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    with pytest.raises(InputError):
        woman_card(snap, village["张伟"])
    with pytest.raises(NotFoundError):
        woman_card(snap, 9999)
