"""计划生育管理册: the registers the clerk manages from.

人口登记 (everyone, by group and household), 出生登记, 节育措施登记, 孕情登记, 流动人口登记 (inflow and outflow) and
发证登记. Each row carries a ``ref`` to open its record, display labels, and the codes and dates behind them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdesk import codes
from fpdesk.ledgers.common import date_range, person_sort_key, place_of, within
from fpdesk.ledgers.population import (
    INFLOW, OUTFLOW, age, births_before, card_holders, current_children, marital_status_on,
    marriage_on, measure_on, residence_on, spouse_name,
)
from fpdesk.records import Birth, Measure, Person, PersonId, Ref
from fpdesk.snapshot import Snapshot

ON_REGISTER, DEAD, MOVED_OUT, OUTFLOWN, INFLOWN = "在册", "死亡", "迁出", "流出", "流入"


@dataclass(frozen=True, slots=True)
class PopulationRow:
    """人口登记: one person, the dead and departed included.

    ref; group (组别), household_no (户编号), name, sex, birth_date, age (周岁 on the register's day), id_number,
    relation (与户主关系), ethnicity, education, hukou (labels); marital_status, residence: on the register's day.
    status: 在册 / 死亡 / 迁出 / 流出 / 流入 on the register's day; status_date: the date behind it (None for 在册).
    """

    ref: Ref
    group: str
    household_no: str
    name: str
    sex: str
    birth_date: dt.date | None
    age: int | None
    id_number: str
    relation: str
    ethnicity: str
    education: str
    hukou: str
    marital_status: str
    residence: str
    status: str
    status_date: dt.date | None


def _status(snap: Snapshot, person: Person, day: dt.date, residence: str) -> tuple[str, dt.date | None]:
    """在册 / 死亡 / 迁出 / 流出 / 流入 and its date; ``residence`` is ``residence_on(snap, person, day)``."""
    if person.death_date is not None and person.death_date <= day:
        return DEAD, person.death_date
    if person.moved_out_date is not None and person.moved_out_date <= day:
        return MOVED_OUT, person.moved_out_date
    if person.residence == INFLOW:
        return INFLOWN, next((m.start_date for m in snap.migrations_of.get(person.id, ()) if m.kind == "1"), None)
    if residence == OUTFLOW:
        return OUTFLOWN, next((m.start_date for m in reversed(snap.migrations_of.get(person.id, ()))
                               if m.kind == "2" and m.start_date <= day), None)
    return ON_REGISTER, None


def _arrived(snap: Snapshot, person: Person, day: dt.date) -> bool:
    """Born, moved in and (for inflow people) arrived by ``day``."""
    if (person.birth_date is not None and person.birth_date > day) or \
            (person.moved_in_date is not None and person.moved_in_date > day):
        return False
    inflows = [m.start_date for m in snap.migrations_of.get(person.id, ()) if m.kind == "1"]
    return not inflows or min(inflows) <= day


def _labels(table: str) -> dict[str | None, str]:
    """``codes.label`` of one code table as a dict, for the register's 70,000 look-ups without a Python call each:
    ``labels.get(code, code)`` is the label, an unknown code itself, no code ("" or None) ""."""
    return {**codes.table(table), None: "", "": ""}


def population_register(
    snap: Snapshot, *, day: dt.date | None = None, group_id: int | None = None, household_id: int | None = None,
) -> tuple[PopulationRow, ...]:
    """人口登记 on ``day`` (default the snapshot's day): everyone who had come into the village by then, by group,
    household and relation to the head; optionally one group or one household."""
    day = day or snap.as_of
    sex, relation, ethnicity, education, hukou, marital, residence_label = map(_labels, (
        "sex", "relation", "ethnicity", "education", "hukou", "marital_status", "residence"))
    people = []
    for p in snap.persons:  # chosen first, then sorted: the sort key is the costly part
        if household_id is not None and p.household_id != household_id:
            continue
        if group_id is not None:
            hh = snap.household_of(p)
            if hh is None or hh.group_id != group_id:
                continue
        if _arrived(snap, p, day):
            people.append(p)
    people.sort(key=lambda p: person_sort_key(snap, p))
    rows = []
    for p in people:
        place = place_of(snap, p)
        residence = residence_on(snap, p, day)
        status, since = _status(snap, p, day, residence)
        marital_status = marital_status_on(snap, p, day)
        rows.append(PopulationRow(
            p.ref, place.group, place.household_no, p.name, sex.get(p.sex, p.sex), p.birth_date, age(p, day),
            p.id_number or "", relation.get(p.relation, p.relation), ethnicity.get(p.ethnicity, p.ethnicity),
            education.get(p.education, p.education), hukou.get(p.hukou, p.hukou),
            marital.get(marital_status, marital_status), residence_label.get(residence, residence), status, since))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class BirthRow:
    """出生登记 (and 报告单二): one child.

    ref: the birth record (person_id = the mother); event: the change event that reported it, when read from a
    change report, else None.
    group, household_no: the mother's. mother_name, mother_id_number; husband_name: her spouse in force on the
    birth date ("" when none — a divorced mother has no husband on the form).
    birth_order (孩次), child_name, sex_code / sex, birth_date, policy_status_code / policy_status (政策属性),
    birth_cert_no, health_code / health, blood_relation_code / blood_relation; late_report (补报, report only).
    """

    ref: Ref
    event: Ref | None
    group: str
    household_no: str
    mother_name: str
    mother_id_number: str
    husband_name: str
    birth_order: int
    child_name: str
    sex_code: str
    sex: str
    birth_date: dt.date
    policy_status_code: str | None
    policy_status: str
    birth_cert_no: str
    health_code: str
    health: str
    blood_relation_code: str
    blood_relation: str
    late_report: bool


def birth_row(snap: Snapshot, birth: Birth, *, event: Ref | None = None, late_report: bool = False) -> BirthRow:
    """One birth as the births register and part 2 of the change report show it."""
    mother = snap.person_by_id[birth.mother_id]
    place = place_of(snap, mother)
    husband = marriage_on(snap, mother, birth.birth_date)
    return BirthRow(
        birth.ref, event, place.group, place.household_no, mother.name, mother.id_number or "",
        spouse_name(snap, husband) if husband else "", birth.birth_order, birth.child_name, birth.child_sex,
        codes.label("sex", birth.child_sex), birth.birth_date, birth.policy_status,
        codes.label("policy_status", birth.policy_status), birth.birth_cert_no, birth.health,
        codes.label("health", birth.health), birth.blood_relation, codes.label("blood_relation", birth.blood_relation),
        late_report)


def births_register(
    snap: Snapshot, *, period: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
) -> tuple[BirthRow, ...]:
    """出生登记: every birth record dated in the month or range (all when none given), by date and order."""
    lo, hi = date_range(period=period, start=start, end=end)
    births = sorted((b for b in snap.births if within(b.birth_date, lo, hi)),
                    key=lambda b: (b.birth_date, b.mother_id, b.birth_order, b.id))
    return tuple(birth_row(snap, b) for b in births)


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """节育措施登记: one card-holding woman and her measure in force.

    ref: the measure record, or her person row when she has none; person_id.
    group, household_no, name, id_number, age, current_children (现有子女).
    method_code / method: the measure ("000" 未避孕 when none); start_date, institution.
    no_measure_reason_code / no_measure_reason: why none (未避孕原因); "未登记" when she has no record at all.
    long_acting: IUD, implant or sterilisation.
    """

    ref: Ref
    person_id: PersonId
    group: str
    household_no: str
    name: str
    id_number: str
    age: int | None
    current_children: int
    method_code: str
    method: str
    start_date: dt.date | None
    institution: str
    no_measure_reason_code: str | None
    no_measure_reason: str
    long_acting: bool


def measures_in_force(snap: Snapshot, day: dt.date | None = None) -> tuple[tuple[Person, Measure | None], ...]:
    """The women of 节育措施登记 on ``day`` (default the snapshot's day) — every card-holding woman (``has_card``),
    in id order — each with the measure in force that day (None when she has none): what
    ``contraception_register`` lists before it sorts and labels them (the board is checked against these)."""
    day = day or snap.as_of
    return tuple((w, measure_on(snap, w, day)) for w in card_holders(snap, day))


def register_method(measure: Measure | None) -> str:
    """The method code 节育措施登记 shows for a woman's measure in force: "000" 未避孕 when she has none."""
    return measure.method if measure else codes.NO_MEASURE


def contraception_register(
    snap: Snapshot, *, day: dt.date | None = None, group_id: int | None = None,
) -> tuple[MeasureRow, ...]:
    """节育措施登记 on ``day`` (default the snapshot's day): every card-holding woman (``has_card``) with the
    measure in force that day, by group and household; optionally one group."""
    day = day or snap.as_of
    rows = []
    for w, m in sorted(measures_in_force(snap, day), key=lambda wm: person_sort_key(snap, wm[0])):
        hh = snap.household_of(w)
        if group_id is not None and (hh is None or hh.group_id != group_id):
            continue
        place = place_of(snap, w)
        method = register_method(m)
        reason = m.no_measure_reason if m else None
        rows.append(MeasureRow(
            m.ref if m else w.ref, w.id, place.group, place.household_no, w.name, w.id_number or "", age(w, day),
            len(current_children(snap, w, day)), method, codes.label("method", method), m.start_date if m else None,
            m.institution if m else "", reason, codes.label("no_measure_reason", reason) if m else "未登记",
            method in codes.LONG_ACTING_METHODS))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class PregnancyRow:
    """孕情登记: one pregnancy.

    ref; group, household_no, name, id_number; order (孩次 = her births before the last period + 1);
    lmp_date (末次月经), registered_date, expected_date (预产期); policy_status_code / policy_status;
    outcome_code (None while ongoing) / outcome ("在孕" while ongoing); end_date, end_place.
    """

    ref: Ref
    group: str
    household_no: str
    name: str
    id_number: str
    order: int
    lmp_date: dt.date
    registered_date: dt.date | None
    expected_date: dt.date | None
    policy_status_code: str | None
    policy_status: str
    outcome_code: str | None
    outcome: str
    end_date: dt.date | None
    end_place: str


def pregnancy_register(
    snap: Snapshot, *, period: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
    ongoing: bool = False,
) -> tuple[PregnancyRow, ...]:
    """孕情登记: pregnancies registered in the month or range (by registration date, else the last period), all
    when none given; ``ongoing`` keeps only those without an outcome. By registration date."""
    lo, hi = date_range(period=period, start=start, end=end)
    rows = []
    for p in snap.pregnancies:
        when = p.registered_date or p.lmp_date
        if not within(when, lo, hi) or (ongoing and p.outcome is not None):
            continue
        woman = snap.person_by_id[p.person_id]
        place = place_of(snap, woman)
        rows.append((when, p.id, PregnancyRow(
            p.ref, place.group, place.household_no, woman.name, woman.id_number or "",
            births_before(snap, woman, p.lmp_date) + 1, p.lmp_date, p.registered_date, p.expected_date,
            p.policy_status, codes.label("policy_status", p.policy_status), p.outcome,
            codes.label("pregnancy_outcome", p.outcome) if p.outcome else "在孕", p.end_date, p.end_place)))
    return tuple(r for *_, r in sorted(rows, key=lambda t: t[:2]))


@dataclass(frozen=True, slots=True)
class MigrantRow:
    """流动人口登记: one inflow (流入) or outflow (流出) record.

    ref; kind_code / kind; group, household_no, name, sex, birth_date, id_number, marital_status;
    start_date (流动日期), place (from / to), end_date (返回 / 离开), certificate_no (婚育证明);
    current: still away (outflow) or still here (inflow) on the snapshot's day.
    """

    ref: Ref
    kind_code: str
    kind: str
    group: str
    household_no: str
    name: str
    sex: str
    birth_date: dt.date | None
    id_number: str
    marital_status: str
    start_date: dt.date
    place: str
    end_date: dt.date | None
    certificate_no: str
    current: bool


def migrant_register(
    snap: Snapshot, *, kind: str | None = None, period: str | None = None, start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[MigrantRow, ...]:
    """流动人口登记: inflow ("1") and outflow ("2") records, optionally one kind, and only those in force at some
    time in the month or range. By kind, then start date."""
    lo, hi = date_range(period=period, start=start, end=end)
    rows = []
    for m in snap.migrations:
        if kind is not None and m.kind != kind:
            continue
        if (hi is not None and m.start_date > hi) or (lo is not None and m.end_date is not None and m.end_date < lo):
            continue
        p = snap.person_by_id[m.person_id]
        place = place_of(snap, p)
        rows.append(MigrantRow(
            m.ref, m.kind, codes.label("migration_kind", m.kind), place.group, place.household_no, p.name,
            codes.label("sex", p.sex), p.birth_date, p.id_number or "", codes.label("marital_status", p.marital_status),
            m.start_date, m.place, m.end_date, m.certificate_no,
            m.start_date <= snap.as_of and (m.end_date is None or m.end_date > snap.as_of)))
    return tuple(sorted(rows, key=lambda r: (r.kind_code, r.start_date, r.ref.id)))


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """发证登记: one certificate. ref; kind_code / kind; number; issued_date; name, id_number, group, household_no."""

    ref: Ref
    kind_code: str
    kind: str
    number: str
    issued_date: dt.date | None
    name: str
    id_number: str
    group: str
    household_no: str


def certificate_register(
    snap: Snapshot, *, kind: str | None = None, period: str | None = None, start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[CertificateRow, ...]:
    """发证登记: certificates issued in the month or range (all when none given), optionally one kind; by date."""
    lo, hi = date_range(period=period, start=start, end=end)
    rows = []
    for c in snap.certificates:
        if (kind is not None and c.kind != kind) or not within(c.issued_date, lo, hi):
            continue
        p = snap.person_by_id[c.person_id]
        place = place_of(snap, p)
        rows.append(CertificateRow(c.ref, c.kind, codes.label("certificate", c.kind), c.number, c.issued_date, p.name,
                                   p.id_number or "", place.group, place.household_no))
    return tuple(sorted(rows, key=lambda r: (r.issued_date or dt.date.min, r.ref.id)))
