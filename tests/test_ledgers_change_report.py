"""报告单 and 月报表: one month built by hand, with changes in the months around it and a late report."""

from __future__ import annotations

import sqlite3

import pytest

from fpdesk import services
from fpdesk.ledgers.change_report import PolicySplit, monthly_change_report
from fpdesk.snapshot import load_snapshot
from tests.ledgers_village import D, birth, household, lock, man, marry, woman


@pytest.fixture
def october(fresh_db: sqlite3.Connection) -> dict[str, int]:
    """A village whose October 2026 holds one of every change; September is submitted before a late entry."""
    conn = fresh_db
    ids: dict[str, int] = {}
    # --- baseline (entered 2026-08-01, no change events) ---
    ids["张伟"], ids["刘芳"] = household(conn, "1", man("张伟", "1990-03-01", relation="01"),
                                         woman("刘芳", "1992-06-10", relation="02", id_number="420102199206100026"))
    ids["王强"], ids["李秀英"] = household(conn, "2", man("王强", "1950-01-01", relation="01"),
                                           woman("李秀英", "1952-02-02", relation="02"))
    ids["陈刚"], ids["赵丽"] = household(conn, "3", man("陈刚", "1985-05-05", relation="01"),
                                         woman("赵丽", "1987-07-07", relation="02"), group="二组")
    (ids["孙杰"],) = household(conn, "4", man("孙杰", "1998-08-08", relation="01"), group="二组")
    ids["周敏"], ids["周涛"] = household(conn, "5", woman("周敏", "2000-01-01", relation="04"),
                                         man("周涛", "1995-01-01", relation="03"), group="二组")
    (ids["何静"],) = household(conn, "6", woman("何静", "1995-03-03", relation="01"))
    (ids["马丽"],) = household(conn, "7", woman("马丽", "1993-04-04", relation="01"))
    ids["冯梅"], ids["朱老"] = household(conn, "8", woman("冯梅", "1996-06-06", relation="01"),
                                         man("朱老", "1930-01-01", relation="05"), group="二组")
    (ids["韩雪"],) = household(conn, "9", woman("韩雪", "1999-09-09", relation="01"))
    (ids["李娜"],) = household(conn, "10", woman("李娜", "1990-10-10", relation="01"))
    marry(conn, ids["刘芳"], "2015-05-01", spouse=ids["张伟"])
    marry(conn, ids["李秀英"], "1975-01-01", spouse=ids["王强"])
    marry(conn, ids["赵丽"], "2010-10-01", spouse=ids["陈刚"])
    marry(conn, ids["何静"], "2019-01-01", outside="钱进")
    marry(conn, ids["马丽"], "2018-01-01", outside="牛二")
    marry(conn, ids["冯梅"], "2020-01-01", outside="高飞")
    marry(conn, ids["李娜"], "2017-01-01", outside="林木")
    birth(conn, ids["刘芳"], "张小明", "1", "2016-01-10")
    birth(conn, ids["何静"], "钱一", "2", "2020-03-01")
    birth(conn, ids["马丽"], "牛一", "1", "2019-02-02")
    services.start_measure(conn, person=ids["李娜"], method="700", start_date="2018-05-01", today=D("2026-08-01"))

    # --- September (entered in September, then the month is submitted) ---
    services.record_death(conn, person=ids["朱老"], date="2026-09-10", today=D("2026-09-11"))
    birth(conn, ids["冯梅"], "高一", "2", "2026-09-15", today=D("2026-09-20"))
    lock(conn, "2026-09", "2026-10-04T09:00:00")

    # --- October ---
    t = D
    marry(conn, ids["周敏"], "2026-10-03", spouse=ids["孙杰"], today=t("2026-10-03"))
    services.register_pregnancy(conn, person=ids["马丽"], lmp_date="2026-08-20", registered_date="2026-10-02",
                                policy_status="1", today=t("2026-10-02"))
    services.add_person(conn, household=4, person=man("吴军", "1970-07-07", relation="99"), moved_in="2026-10-05",
                        today=t("2026-10-05"))
    ids["大宝"] = birth(conn, ids["刘芳"], "张大宝", "1", "2026-10-08", today=t("2026-10-10"))
    ids["二宝"] = birth(conn, ids["刘芳"], "张二宝", "2", "2026-10-08", today=t("2026-10-10"))
    services.start_measure(conn, person=ids["何静"], method="700", start_date="2026-10-09", today=t("2026-10-09"))
    services.record_service(conn, person=ids["何静"], kind="01", date="2026-10-09", today=t("2026-10-09"))
    # Late: a marriage of 20 September entered after September was submitted -> October's report, 补报.
    marry(conn, ids["韩雪"], "2026-09-20", outside="邓超", today=t("2026-10-10"))
    services.issue_certificate(conn, person=ids["马丽"], kind="0102", issued_date="2026-10-11", today=t("2026-10-11"))
    services.record_death(conn, person=ids["王强"], date="2026-10-12", today=t("2026-10-13"))
    services.record_divorce(conn, person=ids["赵丽"], date="2026-10-15", today=t("2026-10-16"))
    services.record_move_out(conn, person=ids["周涛"], date="2026-10-18", place="武汉", today=t("2026-10-20"))
    services.stop_measure(conn, person=ids["李娜"], date="2026-10-20", no_measure_reason="A10", reason="取环待孕",
                          today=t("2026-10-20"))
    ids["赵丽子"] = birth(conn, ids["赵丽"], "陈小", "1", "2026-10-20", policy_status="2", today=t("2026-10-21"))
    services.record_inflow(conn, person=woman("郑华", "1990-12-12", marital_status="21"), date="2026-10-22",
                           place="河南", today=t("2026-10-22"))
    services.record_pregnancy_outcome(conn, pregnancy=1, outcome="4", end_date="2026-10-28", today=t("2026-10-28"))
    # Entered in November but happened in October (not yet submitted): still October's report, not late.
    services.record_outflow(conn, person=ids["张伟"], date="2026-10-25", place="广东", today=t("2026-11-02"))

    # --- November ---
    services.record_move_out(conn, person=ids["陈刚"], date="2026-11-05", today=t("2026-11-06"))
    services.start_measure(conn, person=ids["韩雪"], method="100", start_date="2026-11-10", today=t("2026-11-10"))
    return ids


def test_october_report_lists_exactly_the_changes_recorded_that_month(fresh_db, october, today):
    report = monthly_change_report(load_snapshot(fresh_db, as_of=today), "2026-10")
    assert report.period_label == "2026年10月"
    assert report.village_name == "双河村"
    # Part 1: this month's changes by date, then the 补报 (a change of a submitted month, entered in October).
    assert [(r.name, r.change_type, r.change_date.isoformat(), r.late_report) for r in report.member_rows] == [
        ("周敏", "初婚", "2026-10-03", False),   # an in-village couple: one row for each partner
        ("孙杰", "初婚", "2026-10-03", False),
        ("吴军", "迁入", "2026-10-05", False),
        ("王强", "死亡", "2026-10-12", False),
        ("李秀英", "丧偶", "2026-10-12", False),  # the death widows his wife
        ("赵丽", "离婚", "2026-10-15", False),
        ("陈刚", "离婚", "2026-10-15", False),
        ("周涛", "迁出", "2026-10-18", False),
        ("郑华", "流入", "2026-10-22", False),
        ("张伟", "流出", "2026-10-25", False),   # entered 2 November: still October's change
        ("韩雪", "初婚", "2026-09-20", True),    # 补报
    ]
    # Part 2: one row per child, twins as two rows; nothing of September or November.
    assert [(r.child_name, r.mother_name, r.husband_name, r.birth_order, r.sex, r.policy_status, r.late_report)
            for r in report.birth_rows] == [
        ("张大宝", "刘芳", "张伟", 2, "男", "政策内", False),
        ("张二宝", "刘芳", "张伟", 3, "女", "政策内", False),
        ("陈小", "赵丽", "", 1, "男", "政策外", False),  # born after her divorce: no husband on the form
    ]


def test_member_rows_show_the_person_as_on_the_change_date(fresh_db, october, today):
    rows = {(r.name, r.change_type): r for r in monthly_change_report(load_snapshot(fresh_db, as_of=today),
                                                                     "2026-10").member_rows}
    zhou = rows["周敏", "初婚"]
    assert (zhou.group, zhou.household_no, zhou.spouse_name, zhou.marital_status) == ("二组", "5", "孙杰", "初婚")
    assert zhou.first_marriage_date == D("2026-10-03")
    assert rows["王强", "死亡"].spouse_name == "李秀英"
    assert rows["王强", "死亡"].marital_status == "初婚"        # as he was, not "widowed" by his own death
    assert rows["李秀英", "丧偶"].spouse_name == "王强"
    assert rows["李秀英", "丧偶"].marital_status == "丧偶"
    assert rows["李秀英", "丧偶"].record.table == "marriage"
    assert rows["李秀英", "丧偶"].record.person_id == october["李秀英"]  # her own marriage row
    assert (rows["赵丽", "离婚"].spouse_name, rows["赵丽", "离婚"].marital_status) == ("陈刚", "离婚")
    assert rows["张伟", "流出"].residence == "流出"
    assert rows["张伟", "流出"].spouse_name == "刘芳"
    assert rows["郑华", "流入"].residence == "流入"
    assert rows["吴军", "迁入"].relation == "其他"
    assert rows["韩雪", "初婚"].spouse_name == "邓超"
    assert rows["周敏", "初婚"].ref.table == "change_event"
    assert rows["周敏", "初婚"].ref.person_id == october["周敏"]


def test_october_monthly_table_counts_and_balance(fresh_db, october, today):
    table = monthly_change_report(load_snapshot(fresh_db, as_of=today), "2026-10").table
    assert table.births == PolicySplit(first=0, second=1, third_plus=1, out_of_policy=1, undetermined=0)
    assert table.births.total == 3 and table.births_late == 0
    assert (table.deaths, table.moves_in, table.moves_out, table.inflow, table.outflow) == (1, 1, 1, 1, 1)
    # 马丽 had one child before her last period: a second pregnancy, in policy.
    assert table.pregnancies == PolicySplit(first=0, second=1, third_plus=0, out_of_policy=0, undetermined=0)
    ops = table.operations
    assert (ops.iud_insertion, ops.iud_insertion_after_first_child, ops.iud_removal, ops.abortion) == (1, 1, 1, 1)
    assert (ops.vasectomy, ops.tubal_ligation, ops.implant, ops.induced_labour) == (0, 0, 0, 0)
    assert ops.total == 3  # the "of which after a first child" row is not added
    assert {c.code: c.count for c in table.certificates if c.count} == {"0102": 1}
    assert table.women_first_marriages == 2  # 周敏, and 韩雪's late report
    # Population: 18 on 30 September (朱老 died and 高一 was born in September), then +3 births −1 death +1 −1.
    assert table.population_start == 18
    assert table.population_end == 20
    assert table.population_end == (table.population_start + table.births.total - table.deaths
                                    + table.moves_in - table.moves_out)
    assert table.balance_gap == 0


def test_neighbouring_months_keep_their_own_changes(fresh_db, october, today):
    snap = load_snapshot(fresh_db, as_of=today)
    september = monthly_change_report(snap, "2026-09")
    assert [(r.name, r.change_type) for r in september.member_rows] == [("朱老", "死亡")]
    assert [r.child_name for r in september.birth_rows] == ["高一"]
    november = monthly_change_report(snap, "2026-11")
    assert [(r.name, r.change_type) for r in november.member_rows] == [("陈刚", "迁出")]
    assert november.birth_rows == ()
    # This month's start is last month's end.
    assert september.table.population_end == monthly_change_report(snap, "2026-10").table.population_start
    assert november.table.population_start == 20 and november.table.population_end == 19
    assert november.table.balance_gap == 0


def test_a_change_entered_after_its_month_was_submitted_is_reported_late(fresh_db, today):
    """A birth of September entered after September was locked is October's 补报; an October birth entered after
    October was locked is November's. Each month's table agrees with its rows; the dated population shows the gap."""
    (mother,) = household(fresh_db, "1", woman("刘芳", "1992-06-10", relation="01"))
    marry(fresh_db, mother, "2015-05-01", outside="张伟")
    lock(fresh_db, "2026-09", "2026-10-04T09:00:00")
    birth(fresh_db, mother, "张一", "1", "2026-09-25", today=D("2026-10-06"))
    lock(fresh_db, "2026-10", "2026-11-04T09:00:00")
    birth(fresh_db, mother, "张二", "2", "2026-10-30", today=D("2026-11-08"))
    snap = load_snapshot(fresh_db, as_of=today)

    october = monthly_change_report(snap, "2026-10")
    assert [(r.child_name, r.late_report) for r in october.birth_rows] == [("张一", True)]
    assert (october.table.births.total, october.table.births_late) == (1, 1)
    assert (october.table.population_start, october.table.population_end) == (2, 3)  # 张一 is in September's count
    assert october.table.balance_gap == 1  # 张二 was born in October but is reported in November

    november = monthly_change_report(snap, "2026-11")
    assert [(r.child_name, r.late_report) for r in november.birth_rows] == [("张二", True)]
    assert (november.table.births.total, november.table.births_late) == (1, 1)
    assert november.table.balance_gap == 0


def test_empty_month(fresh_db, today):
    report = monthly_change_report(load_snapshot(fresh_db, as_of=today), "2026-10")
    assert report.member_rows == () and report.birth_rows == ()
    assert report.table.births.total == 0 and report.table.operations.total == 0
    assert report.table.population_start == report.table.population_end == 0
    assert [c.code for c in report.table.certificates] == ["0101", "0102", "0122", "0108", "0109"]


def test_birth_without_policy_status_is_counted_apart(fresh_db, today):
    """A birth whose 政策属性 was cleared counts as 未定, so births = 政策内 + 政策外 + 未定 can be checked."""
    (mother,) = household(fresh_db, "1", woman("刘芳", "1992-06-10", relation="01"))
    birth(fresh_db, mother, "张一", "1", "2026-10-02", today=D("2026-10-03"))
    services.correct_field(fresh_db, table="birth", record=1, field="policy_status", value=None, today=today)
    table = monthly_change_report(load_snapshot(fresh_db, as_of=today), "2026-10").table
    assert table.births == PolicySplit(0, 0, 0, 0, 1)
    assert table.births.in_policy + table.births.out_of_policy + table.births.undetermined == table.births.total
