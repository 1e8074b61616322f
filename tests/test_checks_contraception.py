"""Contraception and pregnancy rules: each caught on a bad line and passed on its near miss."""

from __future__ import annotations

import pytest

from tests.test_checks_village import Case, case, codes_of, run_case

CARD = "person 甲 女 1990-01-01 hh=010 ; marry 甲 外乙 2014-01-01"   # a married woman of 36: she has a card
WAITING = "measure 甲 000 2014-01-01 reason=待孕"                    # planning a child
MOTHER = f"{CARD} ; birth 甲 甲子 男 2015-01-01"                      # with one child, born 2015

CASES = [
    # an IUD with no date
    case("C001", "no start", f"{CARD} ; measure 甲 700 none", "C001"),
    case("C001", "dated", f"{CARD} ; measure 甲 700 2015-06-01"),
    # a woman who died: her card is closed as it was
    case("C001", "died", """person 甲 女 1990-01-01 hh=010 died=2025-01-01
                            marry 甲 外乙 2014-01-01 end=2025-01-01 reason=丧偶 ; measure 甲 700 none"""),
    # "no contraception" without a reason
    case("C002", "no reason", f"{CARD} ; measure 甲 000 2014-01-01", "C002"),
    case("C002", "reason", f"{CARD} ; {WAITING}"),
    # an IUD with the reason "planning a child" left over
    case("C003", "reason with IUD", f"{CARD} ; measure 甲 700 2015-06-01 reason=待孕", "C003"),
    case("C003", "IUD", f"{CARD} ; measure 甲 700 2015-06-01"),
    # the pill recorded until mid-2016 though the IUD began in January
    case("C004", "overlap", f"{CARD} ; measure 甲 100 2015-01-01 end=2016-06-01 ; measure 甲 700 2016-01-01", "C004"),
    # two current measures at once
    case("C004", "two current", f"{CARD} ; measure 甲 100 2015-01-01 ; measure 甲 700 2016-01-01 keep", "C004"),
    # the pill until the day the IUD began
    case("C004", "back to back", f"{CARD} ; measure 甲 100 2015-01-01 end=2016-01-01 ; measure 甲 700 2016-01-01"),
    # the pill ended before it began
    case("C005", "reversed", f"{CARD} ; measure 甲 100 2015-01-01 end=2014-06-01 ; measure 甲 700 2016-01-01", "C005"),
    case("C005", "in order", f"{CARD} ; measure 甲 100 2015-01-01 end=2015-06-01 ; measure 甲 700 2016-01-01"),
    # an IUD and a pregnancy at once: the failure is not recorded
    case("C006", "IUD and pregnant", f"{CARD} ; measure 甲 700 2014-06-01 ; preg 甲 2026-09-01", "C006"),
    # the IUD was taken out and "no contraception · pregnant" recorded
    case("C006", "recorded", f"""{CARD} ; measure 甲 700 2014-06-01 ; preg 甲 2026-09-01
                                 measure 甲 000 2026-09-25 reason=现孕"""),
    # the pill still current during a pregnancy
    case("C007", "pill and pregnant", f"{CARD} ; measure 甲 100 2014-06-01 ; preg 甲 2026-09-01", "C007"),
    case("C007", "recorded", f"{CARD} ; measure 甲 100 2014-06-01 ; preg 甲 2026-09-01 ; measure 甲 000 2026-09-25 reason=现孕"),
    # "pregnant" with no pregnancy registered
    case("C008", "no pregnancy", f"{CARD} ; measure 甲 000 2026-01-01 reason=现孕", "C008"),
    # once the pregnancy ended (a miscarriage) the reason is stale
    case("C008", "ended", f"""{CARD} ; preg 甲 2026-01-01 outcome=自然流产 end=2026-03-01
                              measure 甲 000 2026-01-20 reason=现孕""", "C008"),
    case("C008", "pregnant", f"{CARD} ; preg 甲 2026-09-01 ; measure 甲 000 2026-09-25 reason=现孕"),
    # the youngest child is 22 months old; the card still shows the condom of before the birth
    case("C009", "stale", f"{CARD} ; measure 甲 600 2014-01-01 ; birth 甲 甲子 男 2025-01-01", "C009"),
    # a month after the birth: "under a month postpartum", never updated
    case("C009", "postpartum", f"{CARD} ; birth 甲 甲子 男 2025-01-01 ; measure 甲 000 2025-01-05 reason=产后一月",
         "C009"),
    # an IUD three months after the birth
    case("C009", "IUD after birth", f"{CARD} ; measure 甲 600 2014-01-01 ; birth 甲 甲子 男 2025-01-01 ; measure 甲 700 2025-04-01"),
    # the child is four months old: not yet due
    case("C009", "not yet", f"{CARD} ; measure 甲 600 2014-01-01 ; birth 甲 甲子 男 2026-07-20"),
    # a married woman with no contraception record at all
    case("C010", "none", CARD, "C010"),
    # a single woman has no card
    case("C010", "single", "person 甲 女 1990-01-01 hh=010"),
    case("C010", "recorded", f"{CARD} ; {WAITING}"),
    # a child born in 2020 while the IUD fitted in 2015 was recorded until December 2019
    case("C011", "IUD birth", f"""{MOTHER} ; measure 甲 700 2015-03-01 end=2019-12-01 ; birth 甲 甲女 女 2020-01-01
                                  measure 甲 810 2020-03-01""", "C011"),
    # the IUD out in March 2019, the child conceived after
    case("C011", "removed", f"""{MOTHER} ; measure 甲 700 2015-03-01 end=2019-03-01 ; birth 甲 甲女 女 2020-01-01
                                measure 甲 810 2020-03-01"""),
    # a husband's vasectomy recorded on the husband
    case("C012", "on the man", "person 甲 男 1990-01-01 hh=010 ; measure 甲 820 2015-01-01", "C012"),
    case("C012", "on the wife", f"{CARD} ; measure 甲 820 2015-01-01"),
    # the pill for a girl of 14
    case("C013", "age 14", "person 甲 女 2005-01-01 hh=010 ; measure 甲 100 2019-06-01", "C013"),
    case("C013", "age 15", "person 甲 女 2005-01-01 hh=010 ; measure 甲 100 2020-01-01"),
    # a pregnancy past 42 weeks with no outcome
    case("P001", "overdue", f"{CARD} ; {WAITING} ; preg 甲 2025-06-01", "P001"),
    case("P001", "ongoing", f"{CARD} ; {WAITING} ; preg 甲 2026-03-01"),
    # she moved away while pregnant: followed where she lives now
    case("P001", "moved away", f"""person 甲 女 1990-01-01 hh=010 out=2025-09-01 ; marry 甲 外乙 2014-01-01
                                   {WAITING} ; preg 甲 2025-06-01"""),
    # an abortion dated before the last period
    case("P002", "end first", f"{CARD} ; {WAITING} ; preg 甲 2024-01-01 outcome=人工流产 end=2023-12-01", "P002"),
    # registered before the last period
    case("P002", "registered first", f"{CARD} ; {WAITING} ; preg 甲 2024-01-01 registered=2023-12-20 outcome=人工流产 end=2024-02-01",
         "P002"),
    case("P002", "in order", f"{CARD} ; {WAITING} ; preg 甲 2024-01-01 outcome=人工流产 end=2024-02-01"),
    # an outcome without its date; a date without its outcome (and so overdue)
    case("P003", "no date", f"{CARD} ; {WAITING} ; preg 甲 2024-01-01 outcome=人工流产", "P003"),
    case("P003", "no outcome", f"{CARD} ; {WAITING} ; preg 甲 2024-01-01 end=2024-02-01", "P003", "P001"),
    case("P003", "complete", f"{CARD} ; {WAITING} ; preg 甲 2024-01-01 outcome=人工流产 end=2024-02-01"),
    # a second pregnancy beginning before the first ended
    case("P004", "overlap", f"""{CARD} ; {WAITING} ; preg 甲 2024-01-01 outcome=自然流产 end=2024-05-01
                                preg 甲 2024-04-01 outcome=人工流产 end=2024-06-01""", "P004"),
    case("P004", "after", f"""{CARD} ; {WAITING} ; preg 甲 2024-01-01 outcome=自然流产 end=2024-05-01
                              preg 甲 2024-06-01 outcome=人工流产 end=2024-08-01"""),
    # a live birth with no child on the card
    case("P005", "no child", f"{CARD} ; {WAITING} ; preg 甲 2024-01-01 outcome=活产 end=2024-10-01", "P005"),
    case("P005", "child", f"""{CARD} ; {WAITING} ; preg 甲 2024-01-01 outcome=活产 end=2024-10-01
                              birth 甲 甲子 男 2024-10-01 ; measure 甲 700 2025-01-01"""),
]


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_contraception_and_pregnancy_rules(c: Case) -> None:
    assert codes_of(run_case(c)) == c.expected


def test_a_pregnant_woman_with_an_iud_is_told_to_end_the_measure() -> None:
    f, = run_case(next(c for c in CASES if c.note == "IUD and pregnant"))
    assert (f.subject.table, f.field, f.severity, f.kind) == ("measure", "end_date", "error", "logic")
    assert "宫内节育器" in f.message and "现孕" in f.message
    assert f.related and f.related[0].table == "pregnancy"
