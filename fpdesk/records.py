"""Domain records: frozen rows of the village file as the ledgers read them (dates as ``datetime.date``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NewType

PersonId = NewType("PersonId", int)
HouseholdId = NewType("HouseholdId", int)
GroupId = NewType("GroupId", int)


@dataclass(frozen=True, slots=True)
class Ref:
    """What a finding or a figure points at.

    table: the table of the record.
    id: the record id.
    person_id: the person the record belongs to (for opening the card), or None.
    """

    table: str
    id: int
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class Village:
    """村信息.

    code: 12-digit statistical division code.
    name, township, county, clerk, phone: as recorded.
    """

    code: str
    name: str
    township: str
    county: str
    clerk: str
    phone: str


@dataclass(frozen=True, slots=True)
class Group:
    """村民小组.

    id, name: the group.
    head_name: 中心户长.
    """

    id: GroupId
    name: str
    head_name: str


@dataclass(frozen=True, slots=True)
class Household:
    """户.

    id: record id.
    number: 户编号.
    group_id: its village group, or None.
    address: 住址.
    """

    id: HouseholdId
    number: str
    group_id: GroupId | None
    address: str


@dataclass(frozen=True, slots=True)
class Person:
    """人员: anyone who lives or lived in the village.

    id, roster_no (人员编号), household_id, relation (与户主关系 code).
    name, sex ("1"/"2"), birth_date, id_number.
    ethnicity, education, hukou, occupation: codes / text.
    marital_status: code as recorded; first_marriage_date, marital_change_date.
    residence: "1" 常住, "2" 流出, "3" 流入.
    moved_in_date, moved_out_date, death_date: None when not applicable.
    only_child: 独生子女.
    note: 备注.
    """

    id: PersonId
    roster_no: str | None
    household_id: HouseholdId | None
    relation: str | None
    name: str
    sex: str
    birth_date: dt.date | None
    id_number: str | None
    ethnicity: str | None
    education: str | None
    hukou: str | None
    occupation: str
    marital_status: str | None
    first_marriage_date: dt.date | None
    marital_change_date: dt.date | None
    residence: str
    moved_in_date: dt.date | None
    moved_out_date: dt.date | None
    death_date: dt.date | None
    only_child: bool
    note: str

    @property
    def ref(self) -> Ref:
        return Ref("person", self.id, self.id)


@dataclass(frozen=True, slots=True)
class Marriage:
    """A person's spouse record.

    id, person_id; spouse_id when the spouse is of the village, else the spouse_* identity fields.
    kind: 21 初婚, 22 再婚, 23 复婚. start_date, end_date, end_reason (30 丧偶, 40 离婚).
    """

    id: int
    person_id: PersonId
    spouse_id: PersonId | None
    spouse_name: str
    spouse_id_number: str
    spouse_birth_date: dt.date | None
    spouse_ethnicity: str | None
    spouse_education: str | None
    spouse_hukou: str | None
    spouse_occupation: str
    spouse_only_child: bool
    kind: str
    start_date: dt.date | None
    end_date: dt.date | None
    end_reason: str | None

    @property
    def current(self) -> bool:
        return self.end_date is None

    @property
    def ref(self) -> Ref:
        return Ref("marriage", self.id, self.person_id)


@dataclass(frozen=True, slots=True)
class Birth:
    """生育: a child a woman bore or raises.

    id, mother_id, child_id (the child's person row or None), child_name, child_sex, birth_date,
    birth_order (孩次), policy_status ("1" 政策内 / "2" 政策外 / None), birth_cert_no, blood_relation, health.
    """

    id: int
    mother_id: PersonId
    child_id: PersonId | None
    child_name: str
    child_sex: str
    birth_date: dt.date
    birth_order: int
    policy_status: str | None
    birth_cert_no: str
    blood_relation: str
    health: str

    @property
    def ref(self) -> Ref:
        return Ref("birth", self.id, self.mother_id)


@dataclass(frozen=True, slots=True)
class Measure:
    """节育措施.

    id, person_id, method (code; "000" none), start_date, end_date (None = current), institution,
    change_reason, no_measure_reason.
    """

    id: int
    person_id: PersonId
    method: str
    start_date: dt.date | None
    end_date: dt.date | None
    institution: str
    change_reason: str
    no_measure_reason: str | None

    @property
    def ref(self) -> Ref:
        return Ref("measure", self.id, self.person_id)


@dataclass(frozen=True, slots=True)
class Pregnancy:
    """孕情.

    id, person_id, lmp_date, registered_date, expected_date, policy_status, outcome (None = ongoing), end_date,
    end_place.
    """

    id: int
    person_id: PersonId
    lmp_date: dt.date
    registered_date: dt.date | None
    expected_date: dt.date | None
    policy_status: str | None
    outcome: str | None
    end_date: dt.date | None
    end_place: str

    @property
    def ref(self) -> Ref:
        return Ref("pregnancy", self.id, self.person_id)


@dataclass(frozen=True, slots=True)
class Service:
    """服务册 entry.

    id, person_id, kind (service_kind code), service_date, result, institution, item, quantity.
    """

    id: int
    person_id: PersonId
    kind: str
    service_date: dt.date
    result: str
    institution: str
    item: str
    quantity: int | None

    @property
    def ref(self) -> Ref:
        return Ref("service", self.id, self.person_id)


@dataclass(frozen=True, slots=True)
class Benefit:
    """奖扶发放.

    id, person_id, kind, year, amount_fen (分), paid_date.
    """

    id: int
    person_id: PersonId
    kind: str
    year: int
    amount_fen: int
    paid_date: dt.date | None

    @property
    def ref(self) -> Ref:
        return Ref("benefit", self.id, self.person_id)


@dataclass(frozen=True, slots=True)
class Migration:
    """流动: kind "1" 流入 / "2" 流出.

    id, person_id, kind, start_date, place, end_date (None = still away / still here), certificate_no.
    """

    id: int
    person_id: PersonId
    kind: str
    start_date: dt.date
    place: str
    end_date: dt.date | None
    certificate_no: str

    @property
    def ref(self) -> Ref:
        return Ref("migration", self.id, self.person_id)


@dataclass(frozen=True, slots=True)
class Certificate:
    """证件.

    id, person_id, kind, number, issued_date.
    """

    id: int
    person_id: PersonId
    kind: str
    number: str
    issued_date: dt.date | None

    @property
    def ref(self) -> Ref:
        return Ref("certificate", self.id, self.person_id)


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """变动: one line of the change report (or a dated change used for timeliness).

    id, person_id, change_type, occurred_date, entered_date, report_period ('2026-11'),
    record_table / record_id: the record behind it.
    """

    id: int
    person_id: PersonId
    change_type: str
    occurred_date: dt.date
    entered_date: dt.date
    report_period: str
    record_table: str | None
    record_id: int | None

    @property
    def ref(self) -> Ref:
        return Ref("change_event", self.id, self.person_id)

    @property
    def late_report(self) -> bool:
        """补报: reported in a later month than it happened."""
        day = self.occurred_date
        if day.year >= 1000:  # the ISO text is several times faster than strftime, and the same from year 1000 on
            return day.isoformat()[:7] != self.report_period
        return day.strftime("%Y-%m") != self.report_period


@dataclass(frozen=True, slots=True)
class PeriodLock:
    """A submitted (报送) month.

    period, submitted_at, correction_no (0 first submission, n = n-th 更正报), locked, unlock_reason.
    """

    period: str
    submitted_at: str
    correction_no: int
    locked: bool
    unlock_reason: str
