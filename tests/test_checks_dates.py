"""Ages and dates: each rule caught on a bad line and passed on its near miss."""

from __future__ import annotations

import pytest

from tests.test_checks_village import Case, case, codes_of, run_case

WOMAN = "person 甲 女 1990-01-01 hh=010"
WED = "marry 甲 外乙 2015-01-01"
CARD = f"{WOMAN} ; {WED}"                         # a married woman of 36: she has a card
WAITING = "measure 甲 000 2015-01-01 reason=待孕"  # her contraception status, planning a child

CASES = [
    # a check-up dated next week
    case("D001", "future service", f"{WOMAN} ; service 甲 查病 2026-12-01", "D001"),
    # today is not the future; an expected date of delivery next year is fine (the clean village has one)
    case("D001", "today", f"{WOMAN} ; service 甲 查病 2026-11-23"),
    # a check-up a year before she was born
    case("D002", "before birth", f"{WOMAN} ; service 甲 查病 1989-05-01", "D002"),
    case("D002", "birthday", f"{WOMAN} ; service 甲 查病 1990-01-01"),
    # a service to a man after his death (his son is now the head)
    case("D003", "after death", """person 甲 男 1950-01-01 hh=010 rel=父母 died=2020-01-01
                                    person 乙 男 1980-01-01 hh=010 rel=户主
                                    service 甲 查病 2021-03-01""", "D003"),
    case("D003", "before death", """person 甲 男 1950-01-01 hh=010 rel=父母 died=2020-01-01
                                     person 乙 男 1980-01-01 hh=010 rel=户主
                                     service 甲 查病 2019-12-31"""),
    # married at 14: impossible (a wrong birth or wedding date)
    case("D004", "married at 14", f"person 甲 女 2000-01-01 hh=010 ; marry 甲 外乙 2014-06-01 ; {WAITING}", "D004"),
    # a boy of 11 recorded as married (and so without first-marriage date or wife)
    case("D004", "married boy", "person 甲 男 2015-01-01 hh=010 status=初婚", "D004", "M002", "M004"),
    # married at 15: possible, below the legal age (a warning of the next rule, not this one)
    case("D004", "married at 15", f"person 甲 女 2000-01-01 hh=010 ; marry 甲 外乙 2015-01-01 ; {WAITING}", "D005"),
    # a woman married at 19 in 2010, a man at 21
    case("D005", "woman 19", f"person 甲 女 1991-01-01 hh=010 ; marry 甲 外乙 2010-06-01 ; {WAITING}", "D005"),
    case("D005", "man 21", "person 甲 男 1989-01-01 hh=010 ; marry 甲 外乙 2010-06-01", "D005"),
    # at 19 in 1975 she was of legal age (18 before the 1980 Marriage Law)
    case("D005", "1975 law", "person 甲 女 1956-01-01 hh=010 ; marry 甲 外乙 1975-06-01"),
    # a woman's own child born when she was 14 (she has never married: also a non-marital birth)
    case("D006", "mother 14", """person 甲 女 1995-01-01 hh=010
                                 birth 甲 甲子 男 2009-06-01""", "D006", "D007"),
    # an adopted child of that age is no contradiction
    case("D006", "adopted", """person 甲 女 1995-01-01 hh=010
                               birth 甲 甲子 男 2009-06-01 rel=收养"""),
    # her own child born a year before her wedding
    case("D007", "before wedding", f"{CARD} ; birth 甲 甲子 男 2014-03-01 ; measure 甲 700 2015-01-01", "D007"),
    # a stepchild may be older than the marriage; her own child born on the wedding day is no warning
    case("D007", "stepchild", f"{CARD} ; birth 甲 甲子 男 2014-03-01 rel=继子女 ; measure 甲 700 2015-01-01"),
    case("D007", "wedding day", f"{CARD} ; birth 甲 甲子 男 2015-01-01 ; measure 甲 700 2015-06-01"),
    # children 1 and 3, no 2
    case("D008", "gap", f"""{CARD} ; birth 甲 甲子 男 2016-01-01 ; birth 甲 甲女 女 2018-01-01 order=3
                            measure 甲 700 2018-06-01""", "D008"),
    case("D008", "1 and 2", f"""{CARD} ; birth 甲 甲子 男 2016-01-01 ; birth 甲 甲女 女 2018-01-01 order=2
                               measure 甲 700 2018-06-01"""),
    # two children both first
    case("D009", "two firsts", f"""{CARD} ; birth 甲 甲子 男 2016-01-01 ; birth 甲 甲女 女 2018-01-01 order=1
                                  measure 甲 700 2018-06-01""", "D009"),
    # twins: orders 1 and 2 on the same day
    case("D009", "twins", f"""{CARD} ; birth 甲 甲子 男 2016-01-01 ; birth 甲 甲女 女 2016-01-01
                             measure 甲 700 2016-06-01"""),
    # two own children two months apart
    case("D010", "two months", f"""{CARD} ; birth 甲 甲子 男 2016-01-01 ; birth 甲 甲女 女 2016-03-01
                                  measure 甲 700 2016-06-01""", "D010"),
    case("D010", "a year", f"""{CARD} ; birth 甲 甲子 男 2016-01-01 ; birth 甲 甲女 女 2017-03-01
                              measure 甲 700 2017-06-01"""),
    # the second child born before the first
    case("D011", "reversed", f"""{CARD} ; birth 甲 甲子 男 2018-01-01 ; birth 甲 甲女 女 2016-01-01
                                measure 甲 700 2018-06-01""", "D011"),
    # a stepchild older than her own first child may carry order 2
    case("D011", "stepchild", f"""{CARD} ; birth 甲 甲子 男 2018-01-01 ; birth 甲 甲女 女 2016-01-01 rel=继子女
                                 measure 甲 700 2018-06-01"""),
    # a child born when the mother was 51
    case("D012", "mother 51", """person 甲 女 1960-01-01 hh=010 ; marry 甲 外乙 1985-01-01
                                 birth 甲 甲子 男 2011-06-01""", "D012"),
    case("D012", "mother 49", """person 甲 女 1962-01-01 hh=010 ; marry 甲 外乙 1985-01-01
                                 birth 甲 甲子 男 2011-06-01"""),
    # an IUD fitted at 51, a pregnancy at 52
    case("D013", "IUD at 51", """person 甲 女 1970-01-01 hh=010 ; marry 甲 外乙 1995-01-01
                                 measure 甲 700 2021-01-01""", "D013"),
    case("D013", "pregnant at 52", """person 甲 女 1970-01-01 hh=010 ; marry 甲 外乙 1995-01-01
                                      preg 甲 2022-01-01 outcome=自然流产 end=2022-03-01""", "D013"),
    # menopause recorded after 50 is what happens
    case("D013", "menopause", """person 甲 女 1970-01-01 hh=010 ; marry 甲 外乙 1995-01-01
                                 measure 甲 000 2021-01-01 reason=绝经"""),
]


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_date_rules(c: Case) -> None:
    assert codes_of(run_case(c)) == c.expected


def test_a_future_date_names_the_field_and_the_ledger() -> None:
    f, = run_case(CASES[0])
    assert (f.code, f.ledger, f.subject.table, f.field) == ("D001", "services", "service", "service_date")
    assert "2026-12-01" in f.message and "请更正" in f.message
