"""Rules between the ledgers, of the monthly table, of timeliness and of duplicates.

The clean village's day is 2026-11-23: the months under check are October and November 2026; its live record
keeping began on 2001-12-01 (its first change event), so a change dated later must be in a change report.
"""

from __future__ import annotations

import dataclasses

import pytest

from fpdesk.checks import run_checks
from tests.test_checks_village import CLEAN, Case, case, codes_of, run_case, village

CARD = "person 甲 女 1990-01-01 hh=010 ; marry 甲 外乙 2014-01-01 ; measure 甲 000 2014-01-01 reason=待孕"
OLD_MAN = "person 甲 男 1950-01-01 hh=010"

CASES = [
    # near misses of the rules that compare views built by code (their catches put a wrong view in, below):
    # a child born this month is on the card, in the births register and in the change report
    case("X001", "birth this month", f"{CARD} ; birth 甲 甲子 男 2026-11-05"),
    # the board of a village with a birth and an IUD this year
    case("X006", "board", f"{CARD} ; birth 甲 甲子 男 2026-01-05 ; measure 甲 700 2026-04-01"),
    # an IUD fitted after a first child this month: the operations add up
    case("T002", "IUD this month", f"{CARD} ; birth 甲 甲子 男 2025-11-05 ; measure 甲 700 2026-11-10"),
    # a death in October: November starts where October ended
    case("T005", "death in October", f"{OLD_MAN} died=2026-10-15"),
    # a child added to the card in October without “登记出生”: no change report lists the birth
    case("X002", "no event", f"{CARD} ; birth 甲 甲子 男 2026-10-05 child=no noevent", "X002"),
    # the same child entered properly
    case("X002", "entered", f"{CARD} ; birth 甲 甲子 男 2026-10-05"),
    # a birth of 2000, before the village's live records began (baseline data): nothing to report
    case("X002", "baseline", f"{CARD} ; birth 甲 甲子 男 2000-01-01 child=no noevent rel=继子女"),
    # the report says he died on 14 October, the register says the 15th
    case("X003", "death date", f"{OLD_MAN} died=2026-10-15 noevent ; event 甲 DEATH 2026-10-14", "X003"),
    # the birth record was corrected to another day after the report
    case("X003", "birth date", f"{CARD} ; birth 甲 甲子 男 2026-10-05 child=no noevent ; event 甲 BIRTH 2026-09-30 record=birth:甲子",
         "X003"),
    # the report lists a birth whose record is gone
    case("X003", "no record", f"{CARD} ; event 甲 BIRTH 2025-10-01 record=birth:99", "X003"),
    case("X003", "agrees", f"{OLD_MAN} died=2026-10-15"),
    # a move out in 2025 typed into the register, never reported
    case("X004", "move out", f"{OLD_MAN} out=2025-05-10 noevent", "X004"),
    # a marriage of 2020 typed in without its change
    case("X004", "marriage", f"{CARD} ; marry 甲 外丙 2020-01-01 kind=再婚 noevent", "X004", "M006"),
    # a family that moved in in 2024: its marriage of 2020 and child of 2022 are its history, reported nowhere
    case("X004", "history", """person 甲 男 1990-01-01 hh=010 in=2024-05-01 ; person 乙 女 1992-01-01 hh=010 rel=配偶 in=2024-05-01
                               marry 乙 甲 2020-01-01 noevent ; measure 乙 700 2022-06-01 noevent
                               birth 乙 乙子 男 2022-01-01 noevent in=2024-05-01"""),
    # a move out of 1999 (before the live records began) is baseline
    case("X004", "baseline", f"{OLD_MAN} out=1999-05-10 noevent"),
    case("X004", "reported", f"{OLD_MAN} out=2025-05-10"),
    # Changes reported otherwise than by their own event agreeing with the record (the rule asks by person and
    # type, or by person, type and day, not which record an event points at):
    # a death reported a day off is X003's finding, not an unreported death
    case("X004", "death another day", f"{OLD_MAN} died=2025-05-10 noevent ; event 甲 DEATH 2025-05-11", "X003"),
    # a remarriage reported on its day by an event that names no record
    case("X004", "marriage without record", f"""{CARD} ; marry 甲 外丙 2020-01-01 kind=再婚 noevent
                                                event 甲 REMARRIAGE 2020-01-01""", "X003", "M006"),
    # his outflow reported as someone else's change, though pointing at his record
    case("X004", "outflow of another", f"""{OLD_MAN} ; person 乙 男 1952-01-01 hh=011
                                           flow 甲 out 2025-03-01 noevent as=流 ; event 乙 OUTFLOW 2025-03-01 record=流""",
         "X004"),
    # an outflow reported as an inflow
    case("X004", "outflow as inflow", f"""{OLD_MAN} ; flow 甲 out 2025-03-01 noevent as=流
                                          event 甲 INFLOW 2025-03-01 record=流""", "X004"),
    # the return reported a day late: the report is wrong (X003) and the return of its day unreported (X004)
    case("X004", "return another day", f"""{OLD_MAN} ; flow 甲 out 2025-03-01 end=2025-06-01 noevent as=流
                                           event 甲 OUTFLOW 2025-03-01 record=流 ; event 甲 RETURN 2025-06-02 record=流""",
         "X003", "X004"),
    # the card says 1 January, the child's own register row 2 January
    case("X005", "birth date", f"""{CARD} ; person 甲子 男 2016-01-02 hh=010 rel=子
                                   birth 甲 甲子 男 2016-01-01 child=甲子 ; measure 甲 700 2016-06-01""", "X005"),
    case("X005", "same", f"""{CARD} ; person 甲子 男 2016-01-01 hh=010 rel=子
                             birth 甲 甲子 男 2016-01-01 child=甲子 ; measure 甲 700 2016-06-01"""),
    # a birth this month without a policy status: the table's birth split cannot add up
    case("T001", "no policy", f"{CARD} ; birth 甲 甲子 男 2026-11-05 policy=none", "T001"),
    case("T001", "policy", f"{CARD} ; birth 甲 甲子 男 2026-11-05 policy=政策内"),
    # an old birth without policy status is in no month under check
    case("T001", "old", f"{CARD} ; birth 甲 甲子 男 2020-01-05 policy=none ; measure 甲 700 2020-06-01"),
    # a pregnancy registered this month without policy status
    case("T003", "no policy", f"{CARD} ; preg 甲 2026-09-20 registered=2026-11-02 policy=none", "T003"),
    case("T003", "policy", f"{CARD} ; preg 甲 2026-09-20 registered=2026-11-02 policy=政策内"),
    # a birth reported in November whose child was never added to the population
    case("T004", "child not added", f"{CARD} ; birth 甲 甲子 男 2026-11-05 child=no", "T004"),
    # a death in October typed into the register only
    case("T004", "death not reported", f"{OLD_MAN} died=2026-10-10 noevent", "T004", "X004"),
    case("T004", "child added", f"{CARD} ; birth 甲 甲子 男 2026-11-05"),
    # October was submitted on 3 November; a death of 20 October was entered on 10 November (补报 in November)
    case("T006", "entered after", f"""lock 2026-10 2026-11-03T10:00:00
                                      {OLD_MAN} died=2026-10-20 entered=2026-11-10 period=2026-11""", "T006", "L002"),
    case("T006", "entered before", f"""lock 2026-10 2026-11-03T10:00:00
                                       {OLD_MAN} died=2026-10-20 entered=2026-11-02"""),
    # an IUD fitted in 2020 typed onto the card: no month's table counts the operation
    case("T007", "operation", f"{CARD} ; measure 甲 700 2020-01-01 noevent", "T007"),
    # a pregnancy registration typed in
    case("T007", "pregnancy", f"{CARD} ; preg 甲 2026-09-20 registered=2026-11-02 noevent", "T007"),
    case("T007", "entered", f"{CARD} ; measure 甲 700 2020-01-01"),
    # an IUD and a pregnancy registration whose change a day off counts them all the same (the date is X003's)
    case("T007", "operation another day", f"""{CARD} ; birth 甲 甲子 男 2024-11-05
                                             measure 甲 700 2025-01-01 noevent as=环
                                             event 甲 MEASURE 2025-02-01 record=环""", "X003"),
    case("T007", "pregnancy another day", f"""{CARD} ; preg 甲 2026-09-20 registered=2026-11-02 noevent as=孕
                                             event 甲 PREGNANCY_REGISTERED 2026-11-03 record=孕""", "X003"),
    # a death of 1 October entered 40 days later
    case("L001", "40 days", f"{OLD_MAN} died=2026-10-01 late=40", "L001"),
    case("L001", "30 days", f"{OLD_MAN} died=2026-10-01 late=30"),
    # the township's limit is 10 days
    case("L001", "limit 10", f"setting timeliness_days 10 ; {OLD_MAN} died=2026-10-01 late=20", "L001"),
    # a late entry of 2020 is in no month under check
    case("L001", "old", f"{OLD_MAN} died=2020-10-01 late=100"),
    # a death of 30 October entered 2 November, after October was submitted: a late report of November
    case("L002", "late report", f"{OLD_MAN} died=2026-10-30 entered=2026-11-02 period=2026-11", "L002"),
    case("L002", "own month", f"{OLD_MAN} died=2026-10-30 entered=2026-11-02"),
    # one man entered twice, once without his ID number
    case("U001", "twice", f"{OLD_MAN} ; person 甲 男 1950-01-01 hh=011 id=none as=甲2", "U001"),
    # two men of the same name and birthday, told apart by their ID numbers
    case("U001", "namesakes", f"{OLD_MAN} ; person 甲 男 1950-01-01 hh=011 as=甲2"),
    # the same child twice on the card
    case("U002", "twice", f"{CARD} ; birth 甲 甲子 男 2016-01-01 ; birth 甲 甲子 男 2016-01-01 child=no ; measure 甲 700 2016-06-01",
         "U002"),
    # twins
    case("U002", "twins", f"{CARD} ; birth 甲 甲子 男 2016-01-01 ; birth 甲 甲女 女 2016-01-01 ; measure 甲 700 2016-06-01"),
    # a child the own child of two women
    case("U003", "two mothers", f"""{CARD} ; birth 甲 甲子 男 2016-01-01 ; measure 甲 700 2016-06-01
                                    person 乙 女 1991-01-01 hh=012 ; marry 乙 外丙 2015-01-01 ; measure 乙 700 2017-01-01
                                    birth 乙 甲子 男 2016-01-01 child=甲子""", "U003"),
    # on the stepmother's card the child is a stepchild
    case("U003", "stepmother", f"""{CARD} ; birth 甲 甲子 男 2016-01-01 ; measure 甲 700 2016-06-01
                                   person 乙 女 1991-01-01 hh=012 ; marry 乙 外丙 2015-01-01 ; measure 乙 700 2017-01-01
                                   birth 乙 甲子 男 2016-01-01 child=甲子 rel=继子女"""),
    # the same (ended) marriage twice
    case("U004", "twice", """person 甲 女 1990-01-01 hh=010 ; measure 甲 000 2020-01-01 reason=离婚丧偶
                             marry 甲 外乙 2012-01-01 end=2015-01-01 reason=离婚
                             marry 甲 外乙 2012-01-01 end=2015-01-01 reason=离婚 noevent""", "U004"),
    # remarried to the former husband (复婚): another marriage, another date
    case("U004", "remarried", """person 甲 女 1990-01-01 hh=010 ; measure 甲 000 2014-01-01 reason=待孕
                                 marry 甲 外丙 2010-06-01 end=2012-01-01 reason=离婚
                                 marry 甲 外丙 2013-01-01 kind=复婚"""),
    # a death reported twice
    case("U005", "twice", f"{OLD_MAN} died=2026-05-01 ; event 甲 DEATH 2026-05-01", "U005"),
    case("U005", "once", f"{OLD_MAN} died=2026-05-01"),
]


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_ledger_rules(c: Case) -> None:
    assert codes_of(run_case(c)) == c.expected


def test_the_month_asked_for_is_the_month_checked() -> None:
    # a death of 1 March entered on 10 April: in March's report, entered late in April
    snap = village(CLEAN, f"{OLD_MAN} died=2026-03-01 late=40")
    assert codes_of(run_checks(snap)) == set()
    late, = run_checks(snap, period="2026-03")
    assert (late.code, late.period, late.ledger) == ("L001", "2026-04", "change_report")
    assert codes_of(run_checks(snap, period="2026年4月")) == {"L001"}
    assert codes_of(run_checks(snap, period="2026-05")) == set()


def test_a_late_entry_counts_in_the_month_it_was_entered() -> None:
    # a death of 20 August entered on 2 November lands in August's report, and is late in November
    f, = run_checks(village(CLEAN, f"{OLD_MAN} died=2026-08-20 entered=2026-11-02"))
    assert (f.code, f.period) == ("L001", "2026-11") and "74天" in f.message


def test_a_population_gap_names_the_people_behind_it() -> None:
    f, = [f for f in run_case(next(c for c in CASES if c.note == "child not added")) if f.code == "T004"]
    assert f.period == "2026-11" and f.subject.table == "monthly_table"
    assert "甲子" in f.message and f.related and f.related[0].table == "birth"


# The rules that compare two views built by code can only fail when a view is wrong: a view that disagrees is
# put in by hand to show the rule catches it.


def test_board_disagreeing_with_the_registers_is_caught(monkeypatch) -> None:
    from fpdesk.checks import cross_ledger
    from fpdesk.ledgers.board import board as real_board
    snap = village(CLEAN)
    assert cross_ledger.check_board_matches_registers(snap) == []
    monkeypatch.setattr(cross_ledger, "board", lambda s: dataclasses.replace(real_board(s), long_acting=99))
    f, = cross_ledger.check_board_matches_registers(snap)
    assert f.code == "X006" and f.ledger == "board" and "长效措施" in f.message and "99" in f.message


def test_a_card_child_missing_from_the_births_register_is_caught(monkeypatch) -> None:
    from fpdesk.checks import cross_ledger
    from fpdesk.ledgers.registers import births_register as real_register
    snap = village(CLEAN, f"{CARD} ; birth 甲 甲子 男 2026-11-05")
    assert cross_ledger.check_card_births_in_register(snap) == []
    monkeypatch.setattr(cross_ledger, "births_register", lambda s, **kw: real_register(s, **kw)[1:])
    f, = cross_ledger.check_card_births_in_register(snap)
    assert (f.code, f.subject.table, f.period) == ("X001", "birth", "2026-11") and "甲子" in f.message


def test_a_monthly_table_that_does_not_add_up_is_caught(monkeypatch) -> None:
    from fpdesk.checks import facts as facts_module, monthly
    from fpdesk.ledgers.change_report import monthly_change_report as real_report

    def wrong(snap, period):
        rep = real_report(snap, period)
        ops = dataclasses.replace(rep.table.operations, iud_insertion_after_first_child=rep.table.operations.iud_insertion + 1)
        return dataclasses.replace(rep, table=dataclasses.replace(rep.table, operations=ops, population_end=-1))

    snap = village(CLEAN)
    assert monthly.check_operations_add_up(snap) == [] and monthly.check_month_starts_where_last_ended(snap) == []
    monkeypatch.setattr(facts_module, "monthly_change_report", wrong)
    snap = village(CLEAN)  # a new snapshot: the reports are built again, wrongly
    assert {f.code for f in monthly.check_operations_add_up(snap)} == {"T002"}
    assert {f.code for f in monthly.check_month_starts_where_last_ended(snap)} == {"T005"}


def test_an_imported_village_has_no_late_and_no_unreported_changes() -> None:
    snap = village("noevents", CLEAN, f"{OLD_MAN} died=2026-10-15", CARD.replace("甲", "乙"),
                   "birth 乙 乙子 男 2026-10-05")
    assert not snap.events
    assert codes_of(run_checks(snap)) & {"L001", "L002", "X002", "X004", "T004", "T007"} == set()
