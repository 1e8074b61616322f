"""公示牌 (村级计生基本情况挂牌): the village's basic situation at a glance.

The board is posted publicly: it carries counts only, plus the clerk's and the group heads' names. No other
personal data goes on it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter

from fpdesk import codes
from fpdesk.dates import statistics_year_bounds
from fpdesk.ledgers.common import CodeCount, code_counts
from fpdesk.ledgers.population import (
    MARRIED_STATUSES, card_holders, current_children, in_population, measure_on, population_on,
)
from fpdesk.snapshot import Snapshot

FIRST_CHILD_CERT, SECOND_CHILD_CERT, HONOUR_CERT = "0101", "0102", "0108"


@dataclass(frozen=True, slots=True)
class GroupHead:
    """A village group and its head (中心户长), as the board lists them.

    group: 组名.
    head: 中心户长 name ("" when not recorded).
    """

    group: str
    head: str


@dataclass(frozen=True, slots=True)
class Board:
    """The board's figures on ``as_of``.

    village_name, village_code, township: 村名称, 统计用区划代码, 乡镇.
    as_of: the day the figures stand for; year_start, year_end: the statistics year (1 Oct – 30 Sep) containing it.
    population: 户籍人口 (see ``population.in_population``); households: 户数 with at least one member counted;
    males, females: of the population.
    married_women: 已婚育龄妇女 (15–49); women_no_child, women_one_child, women_two_children,
    women_three_plus_children: those women by 现有子女 (0 / 1 / 2 / 3+).
    contraception: per method code (code-table order, zeros included) among those women, by the measure in force
    on as_of; women with no record count under 未避孕 "000". contraception_users: with a measure other than 000;
    long_acting: of them IUD, implant, female or male sterilisation (长效措施).
    births: 出生 in the statistics year up to as_of; births_first, births_second, births_third_plus: by 孩次;
    births_male, births_female: by sex; births_in_policy, births_out_of_policy, births_undetermined: by 政策属性
    (未定 = none recorded).
    sex_ratio: 出生性别比 = male / female × 100, None when there is no female birth (no fake number).
    clerk: 计生专干. group_heads: 中心户长 per group, in group order.
    first_child_certificates, second_child_certificates: 一孩 / 二孩生育服务证 issued this statistics year;
    honour_certificates: 独生子女父母光荣证 held by people in the population on as_of.
    """

    village_name: str
    village_code: str
    township: str
    as_of: dt.date
    year_start: dt.date
    year_end: dt.date
    population: int
    households: int
    males: int
    females: int
    married_women: int
    women_no_child: int
    women_one_child: int
    women_two_children: int
    women_three_plus_children: int
    contraception: tuple[CodeCount, ...]
    contraception_users: int
    long_acting: int
    births: int
    births_first: int
    births_second: int
    births_third_plus: int
    births_male: int
    births_female: int
    births_in_policy: int
    births_out_of_policy: int
    births_undetermined: int
    sex_ratio: float | None
    clerk: str
    group_heads: tuple[GroupHead, ...]
    first_child_certificates: int
    second_child_certificates: int
    honour_certificates: int

    @property
    def contraception_none(self) -> int:
        """未避孕: married women 15–49 without a measure in force (no record, or 000)."""
        return self.married_women - self.contraception_users

    @property
    def sex_ratio_text(self) -> str:
        """The sex ratio as printed: one decimal, or "—" when it cannot be computed."""
        return "—" if self.sex_ratio is None else f"{self.sex_ratio:.1f}"


def sex_ratio(male: int, female: int) -> float | None:
    """出生性别比 = male births / female births × 100; None when there are no female births."""
    return None if female == 0 else male * 100 / female


def board(snap: Snapshot) -> Board:
    """The board (公示牌) of the village on ``snap.as_of``."""
    # made once per snapshot: the board screen, the check that it matches the registers and the export read it
    return snap.derived("board", lambda: _board(snap))


_SEX, _HOUSEHOLD = attrgetter("sex"), attrgetter("household_id")


def _board(snap: Snapshot) -> Board:
    day = snap.as_of
    people = population_on(snap, day)
    sexes = Counter(map(_SEX, people))  # (counted in C: the population is most of the village)
    males, females = sexes[codes.MALE], sexes[codes.FEMALE]
    households = set(map(_HOUSEHOLD, people))
    households.discard(None)
    by_children = Counter[int]()
    methods = Counter[str]()
    # 已婚育龄妇女 (``is_married_woman_of_childbearing_age``): the card holders who are married now
    for woman in card_holders(snap, day):
        if woman.marital_status not in MARRIED_STATUSES:
            continue
        children = len(current_children(snap, woman, day)) if woman.id in snap.births_of else 0
        by_children[min(children, 3)] += 1
        measure = measure_on(snap, woman, day)
        methods[measure.method if measure is not None else codes.NO_MEASURE] += 1
    married_women = sum(by_children.values())

    year_start, year_end = statistics_year_bounds(day)
    last = min(year_end, day)
    births = [b for b in snap.births if year_start <= b.birth_date <= last]
    male = sum(1 for b in births if b.child_sex == codes.MALE)
    female = sum(1 for b in births if b.child_sex == codes.FEMALE)
    issued = Counter(c.kind for c in snap.certificates
                     if c.issued_date is not None and year_start <= c.issued_date <= last)
    # (held by someone counted in ``people``: ``in_population`` is who they are, asked of the few holders)
    honour = sum(1 for c in snap.certificates if c.kind == HONOUR_CERT
                 and (c.issued_date is None or c.issued_date <= day)
                 and (holder := snap.person_by_id.get(c.person_id)) is not None and in_population(holder, day))
    village = snap.village
    return Board(
        village_name=village.name if village else "", village_code=village.code if village else "",
        township=village.township if village else "", as_of=day, year_start=year_start, year_end=year_end,
        population=len(people), households=len(households), males=males, females=females,
        married_women=married_women, women_no_child=by_children[0], women_one_child=by_children[1],
        women_two_children=by_children[2], women_three_plus_children=by_children[3],
        contraception=code_counts("method", methods),
        contraception_users=married_women - methods[codes.NO_MEASURE],
        long_acting=sum(n for code, n in methods.items() if code in codes.LONG_ACTING_METHODS),
        births=len(births),
        births_first=sum(1 for b in births if b.birth_order == 1),
        births_second=sum(1 for b in births if b.birth_order == 2),
        births_third_plus=sum(1 for b in births if b.birth_order >= 3),
        births_male=male, births_female=female,
        births_in_policy=sum(1 for b in births if b.policy_status == "1"),
        births_out_of_policy=sum(1 for b in births if b.policy_status == "2"),
        births_undetermined=sum(1 for b in births if b.policy_status not in ("1", "2")),
        sex_ratio=sex_ratio(male, female),
        clerk=village.clerk if village else "",
        group_heads=tuple(GroupHead(g.name, g.head_name) for g in snap.groups),
        first_child_certificates=issued[FIRST_CHILD_CERT], second_child_certificates=issued[SECOND_CHILD_CERT],
        honour_certificates=honour,
    )
