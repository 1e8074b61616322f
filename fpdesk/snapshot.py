"""A read-only snapshot of the whole village: every ledger, check and indicator reads from this.

Loading reads each table once into frozen records and builds the lookups the ledgers need (per person, per
mother, per household). The snapshot never changes; after an edit the caller loads a new one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, TypeVar

from fpdesk.records import (
    Benefit, Birth, Certificate, ChangeEvent, Group, Household, Marriage, Measure, Migration, PeriodLock, Person,
    Pregnancy, Service, Village,
)

T = TypeVar("T")
_d = dt.date.fromisoformat


def _date(text: str | None) -> dt.date | None:
    return _d(text) if text else None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The village as of one moment.

    as_of: the day the snapshot stands for ("today" for ages, current measures, deadlines).
    village: 村信息, or None in a file not yet set up.
    groups, households, persons, marriages, births, measures, pregnancies, services, benefits, migrations,
    certificates, events, locks: every row, ordered by id.
    settings: the village settings.
    exceptions: findings confirmed as exceptions, {Finding.key: the clerk's note}.
    person_by_id, household_by_id, group_by_id: lookups.
    marriages_of, births_of (by mother), measures_of, pregnancies_of, services_of, benefits_of, migrations_of,
    certificates_of, members_of (by household): records grouped by owner, in date order.
    """

    as_of: dt.date
    village: Village | None
    groups: tuple[Group, ...]
    households: tuple[Household, ...]
    persons: tuple[Person, ...]
    marriages: tuple[Marriage, ...]
    births: tuple[Birth, ...]
    measures: tuple[Measure, ...]
    pregnancies: tuple[Pregnancy, ...]
    services: tuple[Service, ...]
    benefits: tuple[Benefit, ...]
    migrations: tuple[Migration, ...]
    certificates: tuple[Certificate, ...]
    events: tuple[ChangeEvent, ...]
    locks: tuple[PeriodLock, ...]
    settings: Mapping[str, str]
    exceptions: Mapping[str, str]
    person_by_id: Mapping[int, Person]
    household_by_id: Mapping[int, Household]
    group_by_id: Mapping[int, Group]
    marriages_of: Mapping[int, tuple[Marriage, ...]]
    births_of: Mapping[int, tuple[Birth, ...]]
    measures_of: Mapping[int, tuple[Measure, ...]]
    pregnancies_of: Mapping[int, tuple[Pregnancy, ...]]
    services_of: Mapping[int, tuple[Service, ...]]
    benefits_of: Mapping[int, tuple[Benefit, ...]]
    migrations_of: Mapping[int, tuple[Migration, ...]]
    certificates_of: Mapping[int, tuple[Certificate, ...]]
    members_of: Mapping[int, tuple[Person, ...]]

    def setting_int(self, key: str, default: int) -> int:
        """A numeric setting, falling back to ``default`` when absent or damaged."""
        try:
            return int(self.settings.get(key, default))
        except ValueError:
            return default

    def group_of(self, person: Person) -> Group | None:
        """The village group of a person's household."""
        hh = self.household_by_id.get(person.household_id) if person.household_id else None
        return self.group_by_id.get(hh.group_id) if hh and hh.group_id else None

    def household_of(self, person: Person) -> Household | None:
        """A person's household."""
        return self.household_by_id.get(person.household_id) if person.household_id else None

    def current_spouse(self, person: Person) -> Marriage | None:
        """The person's current marriage record (no end date), if any."""
        for m in reversed(self.marriages_of.get(person.id, ())):
            if m.end_date is None:
                return m
        return None

    def current_measure(self, person: Person) -> Measure | None:
        """The woman's current contraception record (no end date), latest start first."""
        current = [m for m in self.measures_of.get(person.id, ()) if m.end_date is None]
        return current[-1] if current else None


def _group(records: Iterable[T], key: Callable[[T], int | None], sort: Callable[[T], object]) -> Mapping[int, tuple[T, ...]]:
    out: dict[int, list[T]] = defaultdict(list)
    for r in records:
        k = key(r)
        if k is not None:
            out[k].append(r)
    return MappingProxyType({k: tuple(sorted(v, key=sort)) for k, v in out.items()})


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    cur = conn.execute(sql)
    cur.row_factory = None  # plain tuples: several times faster than sqlite3.Row for whole tables
    return cur.fetchall()


def load_snapshot(conn: sqlite3.Connection, *, as_of: dt.date | None = None) -> Snapshot:
    """Read the whole village file into a snapshot (one read transaction, so the ledgers agree with each other)."""
    day = as_of or dt.date.today()
    own_tx = not conn.in_transaction
    if own_tx:
        conn.execute("BEGIN")
    try:
        v = _rows(conn, "SELECT code, name, township, county, clerk, phone FROM village WHERE id = 1")
        village = Village(*v[0]) if v else None
        groups = tuple(Group(*r) for r in _rows(conn, "SELECT id, name, head_name FROM village_group ORDER BY id"))
        households = tuple(Household(*r) for r in _rows(
            conn, "SELECT id, number, group_id, address FROM household ORDER BY id"))
        persons = tuple(
            Person(r[0], r[1], r[2], r[3], r[4], r[5], _date(r[6]), r[7], r[8], r[9], r[10], r[11], r[12],
                   _date(r[13]), _date(r[14]), r[15], _date(r[16]), _date(r[17]), _date(r[18]), bool(r[19]), r[20])
            for r in _rows(conn, "SELECT id, roster_no, household_id, relation, name, sex, birth_date, id_number,"
                                 " ethnicity, education, hukou, occupation, marital_status, first_marriage_date,"
                                 " marital_change_date, residence, moved_in_date, moved_out_date, death_date,"
                                 " only_child, note FROM person ORDER BY id"))
        marriages = tuple(
            Marriage(r[0], r[1], r[2], r[3], r[4], _date(r[5]), r[6], r[7], r[8], r[9], bool(r[10]), r[11],
                     _date(r[12]), _date(r[13]), r[14])
            for r in _rows(conn, "SELECT id, person_id, spouse_id, spouse_name, spouse_id_number, spouse_birth_date,"
                                 " spouse_ethnicity, spouse_education, spouse_hukou, spouse_occupation,"
                                 " spouse_only_child, kind, start_date, end_date, end_reason FROM marriage ORDER BY id"))
        births = tuple(
            Birth(r[0], r[1], r[2], r[3], r[4], _d(r[5]), r[6], r[7], r[8], r[9], r[10])
            for r in _rows(conn, "SELECT id, mother_id, child_id, child_name, child_sex, birth_date, birth_order,"
                                 " policy_status, birth_cert_no, blood_relation, health FROM birth ORDER BY id"))
        measures = tuple(
            Measure(r[0], r[1], r[2], _date(r[3]), _date(r[4]), r[5], r[6], r[7])
            for r in _rows(conn, "SELECT id, person_id, method, start_date, end_date, institution, change_reason,"
                                 " no_measure_reason FROM measure ORDER BY id"))
        pregnancies = tuple(
            Pregnancy(r[0], r[1], _d(r[2]), _date(r[3]), _date(r[4]), r[5], r[6], _date(r[7]), r[8])
            for r in _rows(conn, "SELECT id, person_id, lmp_date, registered_date, expected_date, policy_status,"
                                 " outcome, end_date, end_place FROM pregnancy ORDER BY id"))
        services = tuple(
            Service(r[0], r[1], r[2], _d(r[3]), r[4], r[5], r[6], r[7])
            for r in _rows(conn, "SELECT id, person_id, kind, service_date, result, institution, item, quantity"
                                 " FROM service ORDER BY id"))
        benefits = tuple(
            Benefit(r[0], r[1], r[2], r[3], r[4], _date(r[5]))
            for r in _rows(conn, "SELECT id, person_id, kind, year, amount_fen, paid_date FROM benefit ORDER BY id"))
        migrations = tuple(
            Migration(r[0], r[1], r[2], _d(r[3]), r[4], _date(r[5]), r[6])
            for r in _rows(conn, "SELECT id, person_id, kind, start_date, place, end_date, certificate_no"
                                 " FROM migration ORDER BY id"))
        certificates = tuple(
            Certificate(r[0], r[1], r[2], r[3], _date(r[4]))
            for r in _rows(conn, "SELECT id, person_id, kind, number, issued_date FROM certificate ORDER BY id"))
        events = tuple(
            ChangeEvent(r[0], r[1], r[2], _d(r[3]), _d(r[4]), r[5], r[6], r[7])
            for r in _rows(conn, "SELECT id, person_id, change_type, occurred_date, entered_date, report_period,"
                                 " record_table, record_id FROM change_event ORDER BY id"))
        locks = tuple(PeriodLock(r[0], r[1], r[2], bool(r[3]), r[4]) for r in _rows(
            conn, "SELECT period, submitted_at, correction_no, locked, unlock_reason FROM period_lock ORDER BY period"))
        settings = MappingProxyType(dict(_rows(conn, "SELECT key, value FROM setting")))
        exceptions = MappingProxyType(dict(_rows(conn, "SELECT key, note FROM finding_exception")))
    finally:
        if own_tx:
            conn.execute("COMMIT")

    by_start = lambda r: (r.start_date or dt.date.min, r.id)  # noqa: E731
    return Snapshot(
        as_of=day, village=village, groups=groups, households=households, persons=persons, marriages=marriages,
        births=births, measures=measures, pregnancies=pregnancies, services=services, benefits=benefits,
        migrations=migrations, certificates=certificates, events=events, locks=locks, settings=settings,
        exceptions=exceptions,
        person_by_id=MappingProxyType({p.id: p for p in persons}),
        household_by_id=MappingProxyType({h.id: h for h in households}),
        group_by_id=MappingProxyType({g.id: g for g in groups}),
        marriages_of=_group(marriages, lambda r: r.person_id, by_start),
        births_of=_group(births, lambda r: r.mother_id, lambda r: (r.birth_order, r.birth_date, r.id)),
        measures_of=_group(measures, lambda r: r.person_id, by_start),
        pregnancies_of=_group(pregnancies, lambda r: r.person_id, lambda r: (r.lmp_date, r.id)),
        services_of=_group(services, lambda r: r.person_id, lambda r: (r.service_date, r.id)),
        benefits_of=_group(benefits, lambda r: r.person_id, lambda r: (r.year, r.id)),
        migrations_of=_group(migrations, lambda r: r.person_id, by_start),
        certificates_of=_group(certificates, lambda r: r.person_id, lambda r: (r.issued_date or dt.date.min, r.id)),
        members_of=_group(persons, lambda r: r.household_id, lambda r: (r.relation or "99", r.id)),
    )
