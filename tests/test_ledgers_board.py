"""公示牌: the counts a clerk posts, and the definitions behind them."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from fpdesk import services
from fpdesk.ledgers.board import board, sex_ratio
from fpdesk.ledgers.population import (
    current_children, in_population, is_married_woman_of_childbearing_age, marital_status_on, population_on,
)
from fpdesk.snapshot import load_snapshot
from tests.ledgers_village import D, birth, household, man, marry, woman


@pytest.fixture
def village(fresh_db: sqlite3.Connection) -> dict[str, int]:
    conn = fresh_db
    ids: dict[str, int] = {}
    # 一组
    ids["张伟"], ids["刘芳"] = household(conn, "1", man("张伟", "1990-03-01", relation="01"),
                                         woman("刘芳", "1992-06-10", relation="02"))
    (ids["何静"],) = household(conn, "2", woman("何静", "1995-03-03", relation="01"))
    ids["马丽"], ids["马父"] = household(conn, "3", woman("马丽", "1993-04-04", relation="01"),
                                         man("马父", "1960-01-01", relation="05"))
    # 二组
    (ids["冯梅"],) = household(conn, "4", woman("冯梅", "1996-06-06", relation="01"), group="二组")
    (ids["李娜"],) = household(conn, "5", woman("李娜", "1990-10-10", relation="01"), group="二组")
    (ids["赵丽"],) = household(conn, "6", woman("赵丽", "1987-07-07", relation="01"), group="二组")
    (ids["孙婆"],) = household(conn, "7", woman("孙婆", "1975-01-01", relation="01"), group="二组")
    (ids["周敏"],) = household(conn, "8", woman("周敏", "2000-01-01", relation="01"), group="二组")
    (ids["韩雪"],) = household(conn, "9", woman("韩雪", "1999-09-09", relation="01"), group="二组")
    for who, when, husband in [("何静", "2019-01-01", "钱进"), ("马丽", "2012-01-01", "牛二"),
                               ("冯梅", "2020-01-01", "高飞"), ("李娜", "2017-01-01", "林木"),
                               ("赵丽", "2010-10-01", "陈刚"), ("孙婆", "1995-01-01", "孙公"),
                               ("周敏", "2022-01-01", "孙杰"), ("韩雪", "2021-01-01", "邓超")]:
        marry(conn, ids[who], when, outside=husband)
    marry(conn, ids["刘芳"], "2015-05-01", spouse=ids["张伟"])
    services.record_divorce(conn, person=ids["赵丽"], date="2024-01-01", today=D("2026-08-01"))

    # 刘芳: one child, then twin boys this statistics year -> three children
    birth(conn, ids["刘芳"], "张小明", "1", "2016-01-10")
    birth(conn, ids["刘芳"], "张大宝", "1", "2026-10-08", today=D("2026-10-10"))
    birth(conn, ids["刘芳"], "张二宝", "1", "2026-10-08", today=D("2026-10-10"))
    # 何静: one child
    birth(conn, ids["何静"], "钱一", "2", "2020-03-01")
    # 马丽: a step-child, her own first child (died), her second child: two current children
    birth(conn, ids["马丽"], "牛继", "1", "2010-05-05", blood_relation="3")
    dead = birth(conn, ids["马丽"], "牛一", "2", "2015-02-02")
    services.record_death(conn, person=dead, date="2018-03-03", today=D("2026-08-01"))
    birth(conn, ids["马丽"], "牛二", "1", "2018-08-08")
    # 李娜: a child who lives elsewhere and is recorded as dead (health 死亡): no current child
    birth(conn, ids["李娜"], "林一", "1", "2019-09-09", add_to_household=False, health="4")

    services.start_measure(conn, person=ids["何静"], method="700", start_date="2021-01-01", today=D("2026-08-01"))
    services.start_measure(conn, person=ids["马丽"], method="810", start_date="2019-01-01", today=D("2026-08-01"))
    services.start_measure(conn, person=ids["冯梅"], method="000", no_measure_reason="A10", start_date="2025-01-01",
                           today=D("2026-08-01"))
    services.start_measure(conn, person=ids["李娜"], method="820", start_date="2020-01-01", today=D("2026-08-01"))
    services.start_measure(conn, person=ids["周敏"], method="100", start_date="2023-01-01", today=D("2026-08-01"))
    services.record_outflow(conn, person=ids["周敏"], date="2025-03-01", place="广东", today=D("2026-08-01"))
    services.record_move_out(conn, person=ids["韩雪"], date="2026-06-01", today=D("2026-08-01"))
    ids["郑华"] = services.record_inflow(conn, person=woman("郑华", "1990-12-12", marital_status="21"),
                                        date="2026-03-01", today=D("2026-08-01")).record.id
    # A girl born in September, to the inflow woman: the last statistics year
    birth(conn, ids["郑华"], "郑小", "2", "2026-09-20", add_to_household=False, today=D("2026-09-21"))

    services.issue_certificate(conn, person=ids["冯梅"], kind="0101", issued_date="2026-10-15", today=D("2026-10-15"))
    services.issue_certificate(conn, person=ids["马丽"], kind="0102", issued_date="2026-05-01", today=D("2026-08-01"))
    services.issue_certificate(conn, person=ids["何静"], kind="0108", issued_date="2021-06-01", today=D("2026-08-01"))
    services.issue_certificate(conn, person=ids["韩雪"], kind="0108", issued_date="2022-06-01", today=D("2026-08-01"))
    return ids


def test_board_counts(fresh_db, village, today):
    b = board(load_snapshot(fresh_db, as_of=today))
    assert (b.village_name, b.village_code, b.township, b.clerk) == ("双河村", "420102001001", "城关镇", "李芳")
    assert (b.year_start, b.year_end) == (D("2026-10-01"), D("2027-09-30"))
    # 19 people were entered; 韩雪 moved out, 郑华 is an inflow person, 牛一 died.
    assert b.population == 19 - 3
    assert b.households == 8                    # household 9 (韩雪) has nobody left
    assert (b.males, b.females) == (7, 9)
    # 刘芳 3+, 何静 1, 马丽 2 (step-child counts, dead child does not), 冯梅 0, 李娜 0, 周敏 0 (outflow, counted);
    # not 赵丽 (divorced), 孙婆 (51), 韩雪 (moved out), 郑华 (inflow).
    assert b.married_women == 6
    assert (b.women_no_child, b.women_one_child, b.women_two_children, b.women_three_plus_children) == (3, 1, 1, 1)
    methods = {c.code: c.count for c in b.contraception}
    assert methods == {"700": 1, "810": 1, "820": 1, "300": 0, "100": 1, "200": 0, "400": 0, "500": 0, "600": 0,
                       "910": 0, "900": 0, "000": 2}  # 000: 刘芳 (no record) and 冯梅 (待孕)
    assert (b.contraception_users, b.contraception_none, b.long_acting) == (4, 2, 3)
    assert sum(c.count for c in b.contraception) == b.married_women


def test_board_births_and_notices(fresh_db, village, today):
    b = board(load_snapshot(fresh_db, as_of=today))
    # Only the twins fall in the statistics year from 1 October 2026.
    assert (b.births, b.births_first, b.births_second, b.births_third_plus) == (2, 0, 1, 1)
    assert (b.births_male, b.births_female) == (2, 0)
    assert (b.births_in_policy, b.births_out_of_policy, b.births_undetermined) == (2, 0, 0)
    assert b.sex_ratio is None and b.sex_ratio_text == "—"   # no girls born: no ratio, never a made-up one
    assert [(g.group, g.head) for g in b.group_heads] == [("一组", "王五"), ("二组", "赵六")]
    assert (b.first_child_certificates, b.second_child_certificates) == (1, 0)  # the 0102 was last year
    assert b.honour_certificates == 1   # 韩雪 moved out with hers


def test_board_carries_no_personal_data(fresh_db, village, today):
    b = board(load_snapshot(fresh_db, as_of=today))
    text = repr(b)
    for name in ("刘芳", "何静", "马丽", "冯梅", "李娜", "张大宝", "郑华"):
        assert name not in text
    names = {f.name for f in dataclasses.fields(b)}
    assert not names & {"women", "persons", "rows", "children"}


def test_sex_ratio():
    assert sex_ratio(0, 0) is None
    assert sex_ratio(3, 0) is None
    assert sex_ratio(0, 2) == 0.0
    assert sex_ratio(107, 100) == pytest.approx(107.0)


def test_board_sex_ratio_with_girls(fresh_db, village, today):
    birth(fresh_db, village["冯梅"], "高一", "2", "2026-11-01", policy_status="2", today=D("2026-11-02"))
    b = board(load_snapshot(fresh_db, as_of=today))
    assert (b.births_male, b.births_female, b.sex_ratio_text) == (2, 1, "200.0")
    assert (b.births, b.births_first, b.births_out_of_policy) == (3, 1, 1)
    assert b.women_one_child == 2


def test_board_of_an_empty_village(empty_db, today):
    b = board(load_snapshot(empty_db, as_of=today))
    assert (b.village_name, b.population, b.households, b.married_women, b.births) == ("", 0, 0, 0, 0)
    assert b.sex_ratio is None and b.group_heads == ()


# --- the shared definitions ---

@pytest.mark.parametrize(("fields", "day", "expected"), [
    ({}, "2026-11-23", True),                                             # a baseline member
    ({"birth_date": "2026-11-23"}, "2026-11-23", True),                   # born that day
    ({"birth_date": "2026-11-24"}, "2026-11-23", False),                  # not born yet
    ({"death_date": "2026-11-23"}, "2026-11-23", False),                  # died that day
    ({"death_date": "2026-11-24"}, "2026-11-23", True),
    ({"moved_out_date": "2026-11-23"}, "2026-11-23", False),              # moved out that day
    ({"moved_in_date": "2026-11-23"}, "2026-11-23", True),                # moved in that day
    ({"moved_in_date": "2026-11-24"}, "2026-11-23", False),
    ({"residence": "2"}, "2026-11-23", True),                             # outflow: hukou still here
    ({"residence": "3"}, "2026-11-23", False),                            # inflow: hukou elsewhere
    ({"birth_date": None}, "2026-11-23", True),                           # unknown birth date counts
])
def test_in_population(fields, day, expected):
    from fpdesk.records import Person
    base = dict(id=1, roster_no=None, household_id=1, relation="01", name="甲", sex="2", birth_date=D("1990-01-01"),
                id_number=None, ethnicity=None, education=None, hukou="1", occupation="", marital_status="21",
                first_marriage_date=None, marital_change_date=None, residence="1", moved_in_date=None,
                moved_out_date=None, death_date=None, only_child=False, note="")
    base.update({k: (D(v) if isinstance(v, str) and k.endswith("date") else v) for k, v in fields.items()})
    assert in_population(Person(**base), D(day)) is expected


def test_married_woman_age_bounds(fresh_db, today):
    ids = household(fresh_db, "1", woman("十五", "2011-11-23"), woman("四九", "1976-11-24"),
                    woman("五十", "1976-11-23"), man("男", "1990-01-01"))
    for i, when in zip(ids, ["2026-11-23", "2000-01-01", "2000-01-01"]):
        marry(fresh_db, i, when, outside="某", today=today)
    marry(fresh_db, ids[3], "2015-01-01", outside="某女", today=today)
    snap = load_snapshot(fresh_db, as_of=today)
    p = snap.person_by_id
    assert is_married_woman_of_childbearing_age(p[ids[0]], today)        # 15 today
    assert is_married_woman_of_childbearing_age(p[ids[1]], today)        # 49, 50 tomorrow
    assert not is_married_woman_of_childbearing_age(p[ids[2]], today)    # 50 today
    assert not is_married_woman_of_childbearing_age(p[ids[3]], today)    # a man


def test_current_children_and_marital_status_on_a_day(fresh_db, village, today):
    snap = load_snapshot(fresh_db, as_of=today)
    ma = snap.person_by_id[village["马丽"]]
    assert [b.child_name for b in current_children(snap, ma, today)] == ["牛继", "牛二"]
    assert [b.child_name for b in current_children(snap, ma, D("2016-01-01"))] == ["牛继", "牛一"]  # before the death
    liu = snap.person_by_id[village["刘芳"]]
    assert len(current_children(snap, liu, D("2026-10-07"))) == 1
    zhao = snap.person_by_id[village["赵丽"]]
    assert [marital_status_on(snap, zhao, D(d)) for d in ("2009-01-01", "2010-10-01", "2023-12-31", "2024-01-01")] \
        == ["10", "21", "21", "40"]
    assert len(population_on(snap, D("2026-10-07"))) == 16 - 2   # the day before the twins


def test_age_pyramid_and_births_by_month(fresh_db, today):
    from fpdesk.ledgers.charts import age_pyramid, births_by_month
    from tests.ledgers_village import birth, household, man, marry, woman

    wife, husband, grandma = household(fresh_db, "9", woman("周敏", "1994-02-01"), man("吴刚", "1992-06-30"),
                                       woman("吴奶奶", "1930-01-01"))
    marry(fresh_db, wife, "2019-10-01", spouse=husband)
    birth(fresh_db, wife, "吴一", "2", "2026-01-15", today=today)
    birth(fresh_db, wife, "吴二", "1", "2026-11-02", today=today)
    snap = load_snapshot(fresh_db, as_of=today)
    bands = {b.label: (b.males, b.females) for b in age_pyramid(snap)}
    assert bands["0-9"] == (1, 1) and bands["30-39"] == (1, 1) and bands["80+"] == (0, 1)
    assert sum(m + f for m, f in bands.values()) == 5
    months = births_by_month(snap)
    assert [m.period for m in months][0] == "2025-12" and months[-1].period == "2026-11"
    assert {m.period: (m.males, m.females) for m in months if m.total} == {"2026-01": (0, 1), "2026-11": (1, 0)}
