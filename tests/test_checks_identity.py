"""Identity, household and code rules: each caught on a bad line and passed on its near miss."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.idnumber import make_id_number
from tests.test_checks_village import CLEAN, Case, case, codes_of, run_case, village

GOOD = make_id_number(region="420102", birth_date=dt.date(1990, 1, 1), sequence=51, sex="2")   # a woman's
BAD_CHECK = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
MAN = make_id_number(region="420102", birth_date=dt.date(1990, 1, 1), sequence=52, sex="1")
OLD = make_id_number(region="420102", birth_date=dt.date(1989, 12, 31), sequence=51, sex="2")
WAITING = "measure 甲 000 2015-01-01 reason=待孕"    # a newly married woman's card: no measure, planning a child
HUSBAND = make_id_number(region="420102", birth_date=dt.date(1988, 8, 8), sequence=53, sex="1")

CASES = [
    # a typo in the last digit: the check digit no longer matches (a warning, the number is kept)
    case("I001", "typo", f"person 甲 女 1990-01-01 hh=010 id={BAD_CHECK}", "I001"),
    # the same woman with her real number
    case("I001", "valid", f"person 甲 女 1990-01-01 hh=010 id={GOOD}"),
    # an old 15-digit number, or letters in it
    case("I002", "15 digits", "person 甲 女 1990-01-01 hh=010 id=420102900101512", "I002"),
    case("I002", "letters", "person 甲 女 1990-01-01 hh=010 id=42010219900101O12X", "I002"),
    # a lower-case x at the end is the same number (cleaned), not a format error
    case("I002", "lower x", "person 甲 女 1949-12-31 hh=010 id=11010519491231002x"),
    # birth date typed 1990-01-01 but the card says 1989-12-31
    case("I003", "date differs", f"person 甲 女 1990-01-01 hh=010 id={OLD}", "I003"),
    case("I003", "date agrees", f"person 甲 女 1989-12-31 hh=010 id={OLD}"),
    # a woman entered with a man's number (17th digit odd)
    case("I004", "sex differs", f"person 甲 女 1990-01-01 hh=010 id={MAN}", "I004"),
    case("I004", "sex agrees", f"person 甲 男 1990-01-01 hh=010 id={MAN}"),
    # two people of one family share one number (and are otherwise different people)
    case("I005", "shared", f"""person 甲 女 1990-01-01 hh=010 id={GOOD}
                               person 乙 女 1990-01-01 hh=010 id={GOOD}""", "I005"),
    case("I005", "distinct", f"""person 甲 女 1990-01-01 hh=010 id={GOOD}
                                 person 乙 女 1990-01-01 hh=010"""),
    # no birth date at all
    case("I006", "blank", "person 甲 男 none hh=010", "I006"),
    # a dead man without a birth date is history, not the register
    case("I006", "dead", "person 甲 男 none hh=010 died=2000-01-01 noevent"),
    # a married woman of 36 whose card has no ID number
    case("I007", "card blank", f"""person 甲 女 1990-01-01 hh=010 id=none
                                  marry 甲 外乙 2015-01-01 ; {WAITING}""", "I007"),
    # an unmarried woman may be without one (no card)
    case("I007", "no card", "person 甲 女 1990-01-01 hh=010 id=none"),
    # her ethnicity and hukou type are blank on the card: two findings of one rule
    case("I008", "card blanks", f"""person 甲 女 1990-01-01 hh=010 eth=none hukou=none
                                   marry 甲 外乙 2015-01-01 ; {WAITING}""", "I008"),
    case("I008", "man", "person 甲 男 1990-01-01 hh=010 eth=none edu=none hukou=none"),
    # the outside husband's number on her card says he was born on another day
    case("I009", "husband born", f"""person 甲 女 1990-01-01 hh=010
                                     marry 甲 外乙 2015-01-01 sid={HUSBAND} sborn=1988-08-09 ; {WAITING}""", "I009"),
    case("I009", "husband woman", f"""person 甲 女 1990-01-01 hh=010
                                      marry 甲 外乙 2015-01-01 sid={GOOD} ; {WAITING}""", "I009"),
    case("I009", "husband ok", f"""person 甲 女 1990-01-01 hh=010
                                   marry 甲 外乙 2015-01-01 sid={HUSBAND} sborn=1988-08-08 ; {WAITING}"""),
    # a code that is in no code table (typed "汉" instead of 汉族; a method code 701)
    case("K001", "ethnicity", "person 甲 男 1990-01-01 hh=010 eth=汉", "K001"),
    case("K001", "method", """person 甲 女 1990-01-01 hh=010
                              marry 甲 外乙 2015-01-01
                              measure 甲 701 2016-01-01""", "K001"),
    case("K001", "labels", """person 甲 男 1990-01-01 hh=010 eth=回族 edu=高中 hukou=非农业"""),
    # a resident with no household
    case("H001", "no household", "person 甲 男 1990-01-01 hh=none", "H001"),
    # an inflow person needs none
    case("H001", "inflow", """person 甲 男 1990-01-01 hh=none res=流入
                              flow 甲 in 2026-01-05"""),
    # a household whose only head moved out: nobody is head any more
    case("H002", "no head", """person 甲 男 1950-01-01 hh=010 out=2026-03-01
                               person 乙 男 1980-01-01 hh=010 rel=子""", "H002"),
    # two heads
    case("H002", "two heads", """person 甲 男 1950-01-01 hh=010
                                 person 乙 男 1980-01-01 hh=010 rel=户主""", "H002"),
    case("H002", "one head", """person 甲 男 1950-01-01 hh=010
                                person 乙 男 1980-01-01 hh=010 rel=子"""),
    # a household in no group
    case("H003", "no group", """household 010 group=none
                                person 甲 男 1950-01-01 hh=010""", "H003"),
    case("H003", "group", """household 010 group=二组
                             person 甲 男 1950-01-01 hh=010"""),
]


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_identity_rules(c: Case) -> None:
    assert codes_of(run_case(c)) == c.expected


def test_a_bad_check_digit_points_at_the_id_number_and_says_what_to_do() -> None:
    f, = [f for f in run_case(next(c for c in CASES if c.note == "typo")) if f.code == "I001"]
    assert (f.severity, f.kind, f.ledger, f.field, f.subject.table) == ("warning", "conformity", "population",
                                                                        "id_number", "person")
    assert BAD_CHECK in f.message and "核对" in f.message
    assert f.person_id == f.subject.id


def test_card_blanks_are_one_finding_per_field() -> None:
    found = [f for f in run_case(next(c for c in CASES if c.note == "card blanks")) if f.code == "I008"]
    assert sorted(f.field for f in found) == ["ethnicity", "hukou"]


def test_the_clean_village_passes_every_rule() -> None:
    from fpdesk.checks import run_checks
    assert run_checks(village(CLEAN)) == ()
