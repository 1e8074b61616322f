"""已婚育龄妇女档案卡: one card per married woman of childbearing age, every section read from the snapshot.

The card is a view of the records, not a copy: her children are her birth records, her contraception history is
her measure records, and so on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdesk import codes
from fpdesk.dates import add_years
from fpdesk.errors import InputError, NotFoundError
from fpdesk.ledgers.common import person_sort_key, place_of, yuan
from fpdesk.ledgers.population import (
    CHILDBEARING_AGE, age, card_holders, current_children, marriage_on, measure_on,
    spouse_name,
)
from fpdesk.records import (
    Benefit, Birth, Certificate, Marriage, Measure, Migration, Person, PersonId, Pregnancy, Ref, Service,
)
from fpdesk.snapshot import Snapshot

OVER_AGE, MOVED_OUT, DIED = "超龄", "迁出", "死亡"


@dataclass(frozen=True, slots=True)
class Husband:
    """丈夫 on the card: the marriage in force on the card's day; an in-village husband is read from his own person row.

    marriage: the marriage record; person_id: his person row when he is of the village, else None.
    name, id_number, birth_date, ethnicity, education, hukou (labels), occupation, only_child (独生子女).
    marriage_kind: 初婚 / 再婚 / 复婚; married_on: the marriage date.
    """

    marriage: Marriage
    person_id: PersonId | None
    name: str
    id_number: str
    birth_date: dt.date | None
    ethnicity: str
    education: str
    hukou: str
    occupation: str
    only_child: bool
    marriage_kind: str
    married_on: dt.date | None


@dataclass(frozen=True, slots=True)
class CardMarriage:
    """婚姻史: one marriage. record; kind (label); spouse_name; start_date; end_date; end_reason (丧偶/离婚 or "")."""

    record: Marriage
    kind: str
    spouse_name: str
    start_date: dt.date | None
    end_date: dt.date | None
    end_reason: str


@dataclass(frozen=True, slots=True)
class CardChild:
    """子女: record (the birth); order (孩次), name, sex, birth_date, policy_status (政策属性), birth_cert_no
    (出生医学证明编号), health (健康状况), blood_relation (血缘关系) as labels; current: counts among 现有子女."""

    record: Birth
    order: int
    name: str
    sex: str
    birth_date: dt.date
    policy_status: str
    birth_cert_no: str
    health: str
    blood_relation: str
    current: bool


@dataclass(frozen=True, slots=True)
class CardMeasure:
    """节育措施史: record; method (label), start_date, end_date, institution (实施机构), change_reason (变动原因),
    no_measure_reason (未避孕原因 label); current: in force on the card's day."""

    record: Measure
    method: str
    start_date: dt.date | None
    end_date: dt.date | None
    institution: str
    change_reason: str
    no_measure_reason: str
    current: bool


@dataclass(frozen=True, slots=True)
class CardPregnancy:
    """孕情史: record; lmp_date (末次月经), registered_date, expected_date (预产期), policy_status, outcome (label;
    "在孕" while ongoing), end_date, end_place (终止地点)."""

    record: Pregnancy
    lmp_date: dt.date
    registered_date: dt.date | None
    expected_date: dt.date | None
    policy_status: str
    outcome: str
    end_date: dt.date | None
    end_place: str


@dataclass(frozen=True, slots=True)
class CardService:
    """服务: record; kind (label), date, result, institution, item (药具), quantity."""

    record: Service
    kind: str
    date: dt.date
    result: str
    institution: str
    item: str
    quantity: int | None


@dataclass(frozen=True, slots=True)
class CardBenefit:
    """奖扶: record; kind (label), year, amount_fen, amount (元, two decimals), paid_date."""

    record: Benefit
    kind: str
    year: int
    amount_fen: int
    amount: str
    paid_date: dt.date | None


@dataclass(frozen=True, slots=True)
class CardCertificate:
    """证件: record; kind (label), number, issued_date."""

    record: Certificate
    kind: str
    number: str
    issued_date: dt.date | None


@dataclass(frozen=True, slots=True)
class CardMigration:
    """流动: record; kind (流入 / 流出), start_date, place, end_date (返回), certificate_no (婚育证明)."""

    record: Migration
    kind: str
    start_date: dt.date
    place: str
    end_date: dt.date | None
    certificate_no: str


@dataclass(frozen=True, slots=True)
class WomanCard:
    """档案卡 of one woman, as of ``as_of``.

    ref, person: her person row. as_of: the card's day.
    Identity: name, id_number, birth_date, age (周岁), ethnicity, education, hukou (labels), occupation, only_child.
    Household: group (组别), household_no (户编号), address (住址), relation (与户主关系), residence (居住状况).
    Marriage: marital_status_code / marital_status, first_marriage_date (初婚日期), marital_change_date (婚姻变动日期),
    husband (current spouse, None when none: a divorced or widowed woman has none), marriages (history).
    children (births of her, by order), current_children (现有子女 count), measures (history), current_measure,
    pregnancies, services, benefits, certificates, migrations.
    cancellation: why the card is no longer active — 超龄 (50 and over), 迁出, 死亡 (the earliest) — or None;
    cancellation_date: when.
    """

    ref: Ref
    person: Person
    as_of: dt.date
    name: str
    id_number: str
    birth_date: dt.date | None
    age: int | None
    ethnicity: str
    education: str
    hukou: str
    occupation: str
    only_child: bool
    group: str
    household_no: str
    address: str
    relation: str
    residence: str
    marital_status_code: str | None
    marital_status: str
    first_marriage_date: dt.date | None
    marital_change_date: dt.date | None
    husband: Husband | None
    marriages: tuple[CardMarriage, ...]
    children: tuple[CardChild, ...]
    current_children: int
    measures: tuple[CardMeasure, ...]
    current_measure: CardMeasure | None
    pregnancies: tuple[CardPregnancy, ...]
    services: tuple[CardService, ...]
    benefits: tuple[CardBenefit, ...]
    certificates: tuple[CardCertificate, ...]
    migrations: tuple[CardMigration, ...]
    cancellation: str | None
    cancellation_date: dt.date | None


def _husband(snap: Snapshot, woman: Person) -> Husband | None:
    m = marriage_on(snap, woman, snap.as_of)
    if m is None:
        return None
    him = snap.person_by_id.get(m.spouse_id) if m.spouse_id is not None else None
    kind = codes.label("marital_status", m.kind)
    if him is not None:
        return Husband(m, him.id, him.name, him.id_number or "", him.birth_date,
                       codes.label("ethnicity", him.ethnicity), codes.label("education", him.education),
                       codes.label("hukou", him.hukou), him.occupation, him.only_child, kind, m.start_date)
    return Husband(m, None, m.spouse_name, m.spouse_id_number, m.spouse_birth_date,
                   codes.label("ethnicity", m.spouse_ethnicity), codes.label("education", m.spouse_education),
                   codes.label("hukou", m.spouse_hukou), m.spouse_occupation, m.spouse_only_child, kind, m.start_date)


def cancellation(woman: Person, day: dt.date) -> tuple[str | None, dt.date | None]:
    """注销: why and when a woman's card stopped on or before ``day`` — 死亡, 迁出 or 超龄 (her 50th birthday),
    whichever came first; (None, None) while it is active."""
    reasons = [(woman.death_date, DIED), (woman.moved_out_date, MOVED_OUT)]
    if woman.birth_date is not None:
        reasons.append((add_years(woman.birth_date, CHILDBEARING_AGE[1] + 1), OVER_AGE))
    due = sorted((when, why) for when, why in reasons if when is not None and when <= day)
    return (due[0][1], due[0][0]) if due else (None, None)


def woman_card(snap: Snapshot, person_id: int) -> WomanCard:
    """The card (档案卡) of one woman on ``snap.as_of``; any woman of the file has one to show, active or not."""
    woman = snap.person_by_id.get(person_id)
    if woman is None:
        raise NotFoundError(f"人员（编号 {person_id}）不存在。", field="person")
    if woman.sex != codes.FEMALE:
        raise InputError(f"{woman.name}是男性，档案卡建在妻子名下。", field="person")
    return _card(snap, woman)


def woman_cards(snap: Snapshot) -> tuple[WomanCard, ...]:
    """The cards in use: every woman of childbearing age in the population on ``snap.as_of`` who is or was married
    (outflow, divorced and widowed women included; see ``population.has_card``), by group, household number, name."""
    women = list(card_holders(snap, snap.as_of))
    women.sort(key=lambda p: (person_sort_key(snap, p)[:2], p.name, p.id))
    return tuple(_card(snap, w) for w in women)


def _card(snap: Snapshot, woman: Person) -> WomanCard:
    day = snap.as_of
    place = place_of(snap, woman)
    in_force = measure_on(snap, woman, day)
    living = {b.id for b in current_children(snap, woman, day)}
    measures = tuple(
        CardMeasure(m, codes.label("method", m.method), m.start_date, m.end_date, m.institution, m.change_reason,
                    codes.label("no_measure_reason", m.no_measure_reason), m is in_force)
        for m in snap.measures_of.get(woman.id, ()))
    children = tuple(
        CardChild(b, b.birth_order, b.child_name, codes.label("sex", b.child_sex), b.birth_date,
                  codes.label("policy_status", b.policy_status), b.birth_cert_no, codes.label("health", b.health),
                  codes.label("blood_relation", b.blood_relation), b.id in living)
        for b in snap.births_of.get(woman.id, ()))
    why, when = cancellation(woman, day)
    return WomanCard(
        ref=woman.ref, person=woman, as_of=day, name=woman.name, id_number=woman.id_number or "",
        birth_date=woman.birth_date, age=age(woman, day), ethnicity=codes.label("ethnicity", woman.ethnicity),
        education=codes.label("education", woman.education), hukou=codes.label("hukou", woman.hukou),
        occupation=woman.occupation, only_child=woman.only_child, group=place.group,
        household_no=place.household_no, address=place.address, relation=codes.label("relation", woman.relation),
        residence=codes.label("residence", woman.residence), marital_status_code=woman.marital_status,
        marital_status=codes.label("marital_status", woman.marital_status),
        first_marriage_date=woman.first_marriage_date, marital_change_date=woman.marital_change_date,
        husband=_husband(snap, woman),
        marriages=tuple(
            CardMarriage(m, codes.label("marital_status", m.kind), spouse_name(snap, m), m.start_date, m.end_date,
                         codes.label("marital_status", m.end_reason))
            for m in snap.marriages_of.get(woman.id, ())),
        children=children, current_children=len(living),
        measures=measures, current_measure=next((c for c in measures if c.current), None),
        pregnancies=tuple(
            CardPregnancy(p, p.lmp_date, p.registered_date, p.expected_date,
                          codes.label("policy_status", p.policy_status),
                          codes.label("pregnancy_outcome", p.outcome) if p.outcome else "在孕", p.end_date,
                          p.end_place)
            for p in snap.pregnancies_of.get(woman.id, ())),
        services=tuple(CardService(s, codes.label("service_kind", s.kind), s.service_date, s.result, s.institution,
                                   s.item, s.quantity) for s in snap.services_of.get(woman.id, ())),
        benefits=tuple(CardBenefit(b, codes.label("benefit_kind", b.kind), b.year, b.amount_fen, yuan(b.amount_fen),
                                   b.paid_date) for b in snap.benefits_of.get(woman.id, ())),
        certificates=tuple(CardCertificate(c, codes.label("certificate", c.kind), c.number, c.issued_date)
                           for c in snap.certificates_of.get(woman.id, ())),
        migrations=tuple(CardMigration(m, codes.label("migration_kind", m.kind), m.start_date, m.place, m.end_date,
                                       m.certificate_no) for m in snap.migrations_of.get(woman.id, ())),
        cancellation=why, cancellation_date=when,
    )
