"""全员人口信息报告单: the monthly change report — part 1 member changes, part 2 births, and the monthly table (月报表).

Everything is counted from the ``change_event`` rows of the month's report period (报告期), so the table always
agrees with the rows: a change entered after its month was submitted (locked) lands in the first open month as a
late report (补报) and is counted there. Only the start and end population are counted from dates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

from fpdesk import codes
from fpdesk.codes import Change
from fpdesk.dates import period_bounds, period_label
from fpdesk.ledgers.common import CodeCount, changes_of_period, code_counts, place_of, records_by_id
from fpdesk.ledgers.population import (
    births_before, current_children, marital_status_on, marriage_on, population_on, residence_on, spouse_name,
)
from fpdesk.ledgers.registers import BirthRow, birth_row
from fpdesk.records import ChangeEvent, Marriage, Measure, PersonId, Pregnancy, Ref
from fpdesk.snapshot import Snapshot

IUD, FEMALE_STERILISATION, MALE_STERILISATION, IMPLANT = "700", "810", "820", "300"
ABORTION, INDUCED_LABOUR = "4", "5"  # pregnancy outcomes 人工流产, 引产
_DAY = dt.timedelta(days=1)
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class MemberChangeRow:
    """报告单一 · one member change (成员变动).

    ref: the change event (person_id opens the card); record: the record behind it (marriage, migration, person).
    person_id; group (组别), household_no (户编号), name (姓名), id_number (身份证号).
    change_type_code, change_type (变动类型 label), change_date (变动日期).
    ethnicity (民族), education (文化程度), hukou (户口性质): labels as recorded.
    marital_status_code, marital_status (婚姻状况 on the change date); first_marriage_date (初婚日期, if by then).
    residence_code, residence (居住状况 on the change date); relation (与户主关系); spouse_name (配偶姓名).
    late_report: 补报 — the change happened in an earlier month.
    """

    ref: Ref
    record: Ref | None
    person_id: PersonId
    group: str
    household_no: str
    name: str
    id_number: str
    change_type_code: str
    change_type: str
    change_date: dt.date
    ethnicity: str
    education: str
    hukou: str
    marital_status_code: str | None
    marital_status: str
    first_marriage_date: dt.date | None
    residence_code: str
    residence: str
    relation: str
    spouse_name: str
    late_report: bool


@dataclass(frozen=True, slots=True)
class PolicySplit:
    """Births or pregnancies by 政策属性 and 孩次 (the four splits of the monthly table, plus 未定).

    first, second, third_plus: 政策内 by order (一孩, 二孩, 三孩及以上).
    out_of_policy: 政策外.
    undetermined: no policy status recorded (未定), kept apart so the split can be checked.
    """

    first: int
    second: int
    third_plus: int
    out_of_policy: int
    undetermined: int

    @property
    def in_policy(self) -> int:
        """政策内."""
        return self.first + self.second + self.third_plus

    @property
    def total(self) -> int:
        """合计 = 政策内 + 政策外 + 未定."""
        return self.in_policy + self.out_of_policy + self.undetermined


@dataclass(frozen=True, slots=True)
class Operations:
    """节育手术 of the month.

    vasectomy (男扎 820), tubal_ligation (女扎 810), iud_insertion (上环 700), iud_insertion_after_first_child
    (其中一孩后上环: she had exactly one current child that day), iud_removal (取环: an IUD record ended when the
    next measure began), implant (皮埋 300), abortion (人工流产, outcome 4), induced_labour (引产, outcome 5).
    """

    vasectomy: int
    tubal_ligation: int
    iud_insertion: int
    iud_insertion_after_first_child: int
    iud_removal: int
    implant: int
    abortion: int
    induced_labour: int

    @property
    def total(self) -> int:
        """手术合计: the sum of the kinds, without the "of which" row."""
        return (self.vasectomy + self.tubal_ligation + self.iud_insertion + self.iud_removal + self.implant
                + self.abortion + self.induced_labour)


@dataclass(frozen=True, slots=True)
class MonthlyTable:
    """月报表 of one report period.

    period: '2026-10'.
    births: 出生 by policy and order; births_late: of which 补报 (born in an earlier month).
    deaths, deaths_late: 死亡 and of which 补报; moves_in, moves_in_late: 迁入; moves_out, moves_out_late: 迁出.
    inflow, outflow: 流入, 流出.
    pregnancies: 孕情登记 by policy and order (order = her births before the last period + 1).
    operations: 节育手术.
    certificates: 发证 per certificate kind (every kind, zeros included).
    women_first_marriages: 女性初婚.
    population_start: 期初人口, the population on the previous month's last day; population_end: 期末人口, on
    the period's last day.
    """

    period: str
    births: PolicySplit
    births_late: int
    deaths: int
    deaths_late: int
    moves_in: int
    moves_in_late: int
    moves_out: int
    moves_out_late: int
    inflow: int
    outflow: int
    pregnancies: PolicySplit
    operations: Operations
    certificates: tuple[CodeCount, ...]
    women_first_marriages: int
    population_start: int
    population_end: int

    @property
    def balance_gap(self) -> int:
        """期末 − (期初 + 出生 − 死亡 + 迁入 − 迁出), counting this month's own changes (补报 left out, since the
        dated start population already holds them). Zero when the ledger balances; otherwise some population change
        dated this month is not in this month's report (entered after the month was locked, so it is a 补报 of a
        later month; or recorded without its change, e.g. a birth of a child not added to the household, or the
        death of an inflow person)."""
        net = ((self.births.total - self.births_late) - (self.deaths - self.deaths_late)
               + (self.moves_in - self.moves_in_late) - (self.moves_out - self.moves_out_late))
        return self.population_end - (self.population_start + net)


@dataclass(frozen=True, slots=True)
class ChangeReport:
    """The change report of one month.

    period ('2026-10'), period_label ('2026年10月'), village_name, village_code.
    member_rows: 报告单一, this month's changes first (by date), then 补报.
    birth_rows: 报告单二 (one per child; ``event`` and ``late_report`` set), the same order.
    table: 月报表.
    """

    period: str
    period_label: str
    village_name: str
    village_code: str
    member_rows: tuple[MemberChangeRow, ...]
    birth_rows: tuple[BirthRow, ...]
    table: MonthlyTable


def _row_order(e: ChangeEvent) -> tuple:
    return (e.late_report, e.occurred_date, e.id)


def _member_row(snap: Snapshot, event: ChangeEvent, marriages: dict[int, Marriage]) -> MemberChangeRow | None:
    person = snap.person_by_id.get(event.person_id)
    if person is None:
        return None
    # A death row shows the person as they were the day before (the death ends their own marriage that day).
    day = event.occurred_date - _DAY if event.change_type == Change.DEATH else event.occurred_date
    # A marriage, divorce or widowhood row names the spouse of that marriage (which has just ended for the last
    # two); any other row names the spouse in force that day.
    marriage = marriages.get(event.record_id) if event.record_table == "marriage" else None
    if marriage is None or marriage.person_id != person.id:
        marriage = marriage_on(snap, person, day)
    status = marital_status_on(snap, person, day)
    residence = residence_on(snap, person, day)
    place = place_of(snap, person)
    first = person.first_marriage_date
    return MemberChangeRow(
        ref=event.ref,
        record=Ref(event.record_table, event.record_id, person.id) if event.record_table and event.record_id else None,
        person_id=person.id, group=place.group, household_no=place.household_no, name=person.name,
        id_number=person.id_number or "", change_type_code=event.change_type,
        change_type=codes.label("change_type", event.change_type), change_date=event.occurred_date,
        ethnicity=codes.label("ethnicity", person.ethnicity), education=codes.label("education", person.education),
        hukou=codes.label("hukou", person.hukou), marital_status_code=status,
        marital_status=codes.label("marital_status", status),
        first_marriage_date=first if first is not None and first <= event.occurred_date else None,
        residence_code=residence, residence=codes.label("residence", residence),
        relation=codes.label("relation", person.relation),
        spouse_name=spouse_name(snap, marriage) if marriage else "", late_report=event.late_report,
    )


def policy_split(pairs: list[tuple[str | None, int]]) -> PolicySplit:
    """Count (policy status, order) pairs into the monthly table's split."""
    c = Counter[str]()
    for status, order in pairs:
        if status == "1":
            c["first" if order <= 1 else "second" if order == 2 else "third_plus"] += 1
        elif status == "2":
            c["out_of_policy"] += 1
        else:
            c["undetermined"] += 1
    return PolicySplit(c["first"], c["second"], c["third_plus"], c["out_of_policy"], c["undetermined"])


def _operations(snap: Snapshot, events: list[ChangeEvent], measures: dict[int, Measure],
                pregnancies: dict[int, Pregnancy]) -> Operations:
    """节育手术 from the month's measure changes (20) and pregnancy ends (22)."""
    methods, outcomes = Counter[str](), Counter[str]()
    after_first = removals = 0
    for e in events:
        m = measures.get(e.record_id) if e.change_type == Change.MEASURE and e.record_table == "measure" else None
        p = pregnancies.get(e.record_id) if e.change_type == Change.PREGNANCY_ENDED and \
            e.record_table == "pregnancy" else None
        if p is not None:
            outcomes[p.outcome or ""] += 1
        if m is None:
            continue
        methods[m.method] += 1
        if m.start_date is None:
            continue
        woman = snap.person_by_id[m.person_id]
        if m.method == IUD and len(current_children(snap, woman, m.start_date)) == 1:
            after_first += 1
        # start_measure ends the current measure on the day the next begins: an IUD ending that day was removed.
        if any(o.method == IUD and o.end_date == m.start_date and o.id != m.id
               for o in snap.measures_of.get(m.person_id, ())):
            removals += 1
    return Operations(
        vasectomy=methods[MALE_STERILISATION], tubal_ligation=methods[FEMALE_STERILISATION],
        iud_insertion=methods[IUD], iud_insertion_after_first_child=after_first, iud_removal=removals,
        implant=methods[IMPLANT], abortion=outcomes[ABORTION], induced_labour=outcomes[INDUCED_LABOUR],
    )


def monthly_change_report(snap: Snapshot, period: str) -> ChangeReport:
    """The change report (报告单) and monthly table (月报表) of the report period ``period`` ('2026-10')."""
    # made once per snapshot: the checks, the report screen, the export and the score all read it
    return snap.derived(("monthly_change_report", period), lambda: _change_report(snap, period))


def _change_report(snap: Snapshot, period: str) -> ChangeReport:
    # (services and benefits paid are in no part of the report: ``changes_of_period`` leaves them out)
    events = sorted(changes_of_period(snap, period), key=_row_order)
    marriages, births, pregnancies = (records_by_id(snap, t) for t in ("marriages", "births", "pregnancies"))

    def records(kind: str, table: str, index: dict[int, R]) -> list[tuple[ChangeEvent, R]]:
        return [(e, r) for e in events if e.change_type == kind and e.record_table == table
                and (r := index.get(e.record_id)) is not None]

    member_rows = tuple(r for r in (_member_row(snap, e, marriages) for e in events
                                    if e.change_type in Change.MEMBER_CHANGES) if r is not None)
    born = records(Change.BIRTH, "birth", births)
    registered = records(Change.PREGNANCY_REGISTERED, "pregnancy", pregnancies)
    issued = records(Change.CERTIFICATE, "certificate", records_by_id(snap, "certificates"))
    kinds = Counter(e.change_type for e in events)
    late = Counter(e.change_type for e in events if e.late_report)
    first_day, last_day = period_bounds(period)
    table = MonthlyTable(
        period=period,
        births=policy_split([(b.policy_status, b.birth_order) for _, b in born]),
        births_late=sum(1 for e, _ in born if e.late_report),
        deaths=kinds[Change.DEATH], deaths_late=late[Change.DEATH],
        moves_in=kinds[Change.MOVE_IN], moves_in_late=late[Change.MOVE_IN],
        moves_out=kinds[Change.MOVE_OUT], moves_out_late=late[Change.MOVE_OUT],
        inflow=kinds[Change.INFLOW], outflow=kinds[Change.OUTFLOW],
        pregnancies=policy_split([
            (p.policy_status, births_before(snap, snap.person_by_id[p.person_id], p.lmp_date) + 1)
            for _, p in registered]),
        operations=_operations(snap, events, records_by_id(snap, "measures"), pregnancies),
        certificates=code_counts("certificate", Counter(c.kind for _, c in issued)),
        women_first_marriages=sum(1 for e in events if e.change_type == Change.FIRST_MARRIAGE
                                  and (p := snap.person_by_id.get(e.person_id)) is not None
                                  and p.sex == codes.FEMALE),
        population_start=len(population_on(snap, first_day - _DAY)),
        population_end=len(population_on(snap, last_day)),
    )
    village = snap.village
    return ChangeReport(
        period=period, period_label=period_label(period), village_name=village.name if village else "",
        village_code=village.code if village else "", member_rows=member_rows,
        birth_rows=tuple(birth_row(snap, b, event=e.ref, late_report=e.late_report) for e, b in born), table=table,
    )
