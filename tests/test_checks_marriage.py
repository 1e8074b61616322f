"""Marriage rules: each caught on a bad line and passed on its near miss."""

from __future__ import annotations

import pytest

from tests.test_checks_village import Case, case, codes_of, run_case

WOMAN = "person 甲 女 1990-01-01 hh=010"
MAN = "person 乙 男 1988-01-01 hh=010 rel=配偶"
WAITING = "measure 甲 000 2012-01-01 reason=待孕"   # her card's contraception status
ALONE = "measure 甲 000 2020-01-01 reason=离婚丧偶"  # a divorced or widowed woman keeps her card: no measure, why

CASES = [
    # recorded as divorced, but her marriage was never ended
    case("M001", "divorced", f"{WOMAN} status=离婚 change=2020-01-01 ; marry 甲 外乙 2012-01-01 ; {ALONE}", "M001"),
    # the divorce recorded: the marriage ended
    case("M001", "ended", f"{WOMAN} ; marry 甲 外乙 2012-01-01 end=2020-01-01 reason=离婚 ; {ALONE}"),
    # married, no first-marriage date (the wedding day unknown)
    case("M002", "blank", f"{WOMAN} status=初婚 ; marry 甲 外乙 none ; {WAITING}", "M002"),
    case("M002", "given", f"{WOMAN} status=初婚 first=2012-01-01 ; marry 甲 外乙 none ; {WAITING}"),
    # her record names him, his does not name her
    case("M003", "one way", f"{WOMAN} ; {MAN} ; marry 甲 乙 2012-01-01 oneway ; {WAITING}", "M003"),
    case("M003", "both ways", f"{WOMAN} ; {MAN} ; marry 甲 乙 2012-01-01 ; {WAITING}"),
    # a man recorded as married with no wife anywhere
    case("M004", "no spouse", "person 甲 男 1990-01-01 hh=010 status=初婚 first=2015-01-01", "M004"),
    case("M004", "wife outside", "person 甲 男 1990-01-01 hh=010 ; marry 甲 外乙 2015-01-01"),
    # never married, yet a first-marriage date; or a marriage record
    case("M005", "date", f"{WOMAN} status=未婚 first=2015-01-01", "M005"),
    case("M005", "record", f"{WOMAN} status=未婚 ; marry 甲 外乙 2015-01-01", "M005"),
    case("M005", "single", f"{WOMAN} status=未婚"),
    # a second marriage while the first is still current
    case("M006", "two current", f"{WOMAN} ; marry 甲 外乙 2012-01-01 ; marry 甲 外丙 2016-01-01 kind=再婚 ; {WAITING}",
         "M006"),
    case("M006", "divorced first", f"""{WOMAN} ; marry 甲 外乙 2012-01-01 end=2015-01-01 reason=离婚
                                       marry 甲 外丙 2016-01-01 kind=再婚 ; {WAITING}"""),
    # divorced the year before the wedding
    case("M007", "reversed", f"{WOMAN} ; marry 甲 外乙 2012-01-01 end=2011-01-01 reason=离婚 ; {ALONE}", "M007"),
    case("M007", "in order", f"{WOMAN} ; marry 甲 外乙 2012-01-01 end=2013-01-01 reason=离婚 ; {ALONE}"),
    # two women married to each other (two findings, one per side)
    case("M008", "same sex", f"""{WOMAN} ; person 丙 女 1991-01-01 hh=010 rel=配偶 ; marry 甲 丙 2012-01-01
                                 {WAITING} ; measure 丙 000 2012-01-01 reason=待孕""", "M008"),
    case("M008", "couple", f"{WOMAN} ; {MAN} ; marry 甲 乙 2012-01-01 ; {WAITING}"),
    # her husband died, her marriage (and his) still current
    case("M009", "widow", f"""{WOMAN} ; person 乙 男 1988-01-01 hh=010 rel=配偶 died=2020-01-01
                              marry 甲 乙 2012-01-01 ; {WAITING}""", "M009"),
    case("M009", "widowed", f"""{WOMAN} ; person 乙 男 1988-01-01 hh=010 rel=配偶 died=2020-01-01
                                marry 甲 乙 2012-01-01 end=2020-01-01 reason=丧偶 ; {ALONE}"""),
    # first-marriage date a year after the (first) wedding
    case("M010", "later", f"{WOMAN} first=2013-01-01 ; marry 甲 外乙 2012-01-01 ; {WAITING}", "M010"),
    case("M010", "same", f"{WOMAN} first=2012-01-01 ; marry 甲 外乙 2012-01-01 ; {WAITING}"),
    # a widow without the date she was widowed
    case("M011", "no date", f"{WOMAN} change=none ; marry 甲 外乙 2010-01-01 end=2020-01-01 reason=丧偶 ; {ALONE}", "M011"),
    case("M011", "dated", f"{WOMAN} ; marry 甲 外乙 2010-01-01 end=2020-01-01 reason=丧偶 ; {ALONE}"),
    # recorded as remarried while her only marriage is a first marriage
    case("M012", "kind", f"{WOMAN} status=再婚 change=2012-01-01 ; marry 甲 外乙 2012-01-01 ; {WAITING}", "M012"),
    # recorded as divorced while the marriage ended by the husband's death
    case("M012", "reason", f"{WOMAN} status=离婚 ; marry 甲 外乙 2010-01-01 end=2020-01-01 reason=丧偶 ; {ALONE}", "M012"),
    case("M012", "remarried", f"""{WOMAN} ; marry 甲 外丙 2010-06-01 end=2011-01-01 reason=离婚
                                  marry 甲 外乙 2012-01-01 kind=再婚 ; {WAITING}"""),
]


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_marriage_rules(c: Case) -> None:
    assert codes_of(run_case(c)) == c.expected


def test_one_sided_marriage_points_at_the_record_to_fix() -> None:
    f, = run_case(next(c for c in CASES if c.note == "one way"))
    assert (f.subject.table, f.field, f.ledger) == ("marriage", "spouse_id", "card")
    assert "乙" in f.message and "互为配偶" in f.message
