"""A read-only snapshot of the whole village: every ledger, check and indicator reads from this.

Loading reads each table once into frozen records and builds the lookups the ledgers need (per person, per
mother, per household). The snapshot never changes. After an edit the caller either loads a new one
(``load_snapshot``) or, knowing what the edit changed (the service's ``Changes``), has ``refresh_snapshot``
re-read only the rows it wrote and rebuild only the lookups they are in: a few milliseconds instead of half a
second on a 10,000-person village. Both give equal snapshots (tests/test_snapshot_refresh.py).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from bisect import bisect_left
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterable, Iterator, Mapping, TypeVar

from fpdesk.gcpause import no_cyclic_gc
from fpdesk.codes import Change, tables as code_tables
from fpdesk.records import (
    Benefit, Birth, Certificate, ChangeEvent, Group, Household, Marriage, Measure, Migration, PeriodLock, Person,
    Pregnancy, Service, Village,
)

if TYPE_CHECKING:
    from fpdesk.ops import Changes

T = TypeVar("T")
_d = dt.date.fromisoformat


def _date(text: str | None) -> dt.date | None:
    return _d(text) if text else None


class _Shared(dict):
    """Every code of the code tables (and the table names change events point at), each as one string that every
    record holding it shares: ``_C[text]`` is that string, or ``text`` itself when it is no known code.

    SQLite hands back a new string for every cell. Read through this, a 10,000-person village's "20"s (已婚) are
    one object instead of thousands: the checks' comparisons with the code constants and their code-table
    look-ups then find their string by identity with its hash worked out already (a fifth of a full check went
    to hashing and comparing fresh copies), and a county file holds hundreds of MB less. It costs the load less
    than it saves the check."""

    __slots__ = ()

    def __missing__(self, text: str | None) -> str | None:
        return text


_C = _Shared({code: code for entries in code_tables().values() for code in entries})
_C[None] = None  # (a blank field: found without a call to __missing__)


class _Periods(dict):
    """The report periods of change events ('2026-10'), each as one shared string (as ``_Shared``: the checks and
    reports group and look up a village's changes by period). Kept as they come; a file of nonsense periods stops
    adding them at ``AT_MOST``."""

    __slots__ = ()
    AT_MOST = 10_000

    def __missing__(self, text: str) -> str:
        if len(self) < self.AT_MOST:
            self[text] = text
        return text


_P = _Periods()


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
    marriages_to (by spouse_id), births_as_child (by child_id): the other side of the links between persons.
    changes_of (by person), changes_on (by the record behind them, (record_table, record_id)): the change
    events, services given and benefits paid left out. births_as_child, changes_of and changes_on are in id order.
    _memo: what ``derived`` worked out from this snapshot (not part of its value: equal snapshots may differ here).
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
    changes_of: Mapping[int, tuple[ChangeEvent, ...]]
    marriages_to: Mapping[int, tuple[Marriage, ...]]
    births_as_child: Mapping[int, tuple[Birth, ...]]
    changes_on: Mapping[tuple[str | None, int], tuple[ChangeEvent, ...]]
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """A lookup worked out from this snapshot alone, made once: ``make()`` the first time ``key`` is asked,
        the same object after. For what several ledgers and checks each rebuilt from scratch (the population on
        a day, a table's records by id); ``key`` names the function and its arguments. The result is shared:
        nobody may change it."""
        try:
            return self._memo[key]
        except KeyError:
            return self._memo.setdefault(key, make())

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


# ---- how each table is read -------------------------------------------------------------------------------------

def _person(r: tuple) -> Person:
    return Person(r[0], r[1], r[2], _C[r[3]], r[4], _C[r[5]], _date(r[6]), r[7], _C[r[8]], _C[r[9]], _C[r[10]], r[11],
                  _C[r[12]], _date(r[13]), _date(r[14]), _C[r[15]], _date(r[16]), _date(r[17]), _date(r[18]),
                  bool(r[19]), r[20])


def _marriage(r: tuple) -> Marriage:
    return Marriage(r[0], r[1], r[2], r[3], r[4], _date(r[5]), _C[r[6]], _C[r[7]], _C[r[8]], r[9], bool(r[10]),
                    _C[r[11]], _date(r[12]), _date(r[13]), _C[r[14]])


def _birth(r: tuple) -> Birth:
    return Birth(r[0], r[1], r[2], r[3], _C[r[4]], _d(r[5]), r[6], _C[r[7]], r[8], _C[r[9]], _C[r[10]])


def _measure(r: tuple) -> Measure:
    return Measure(r[0], r[1], _C[r[2]], _date(r[3]), _date(r[4]), r[5], r[6], _C[r[7]])


def _pregnancy(r: tuple) -> Pregnancy:
    return Pregnancy(r[0], r[1], _d(r[2]), _date(r[3]), _date(r[4]), _C[r[5]], _C[r[6]], _date(r[7]), r[8])


def _service(r: tuple) -> Service:
    return Service(r[0], r[1], _C[r[2]], _d(r[3]), r[4], r[5], r[6], r[7])


def _benefit(r: tuple) -> Benefit:
    return Benefit(r[0], r[1], _C[r[2]], r[3], r[4], _date(r[5]))


def _migration(r: tuple) -> Migration:
    return Migration(r[0], r[1], _C[r[2]], _d(r[3]), r[4], _date(r[5]), r[6])


def _certificate(r: tuple) -> Certificate:
    return Certificate(r[0], r[1], _C[r[2]], r[3], _date(r[4]))


def _event(r: tuple) -> ChangeEvent:
    return ChangeEvent(r[0], r[1], _C[r[2]], _d(r[3]), _d(r[4]), _P[r[5]], _C[r[6]], r[7])


@dataclass(frozen=True, slots=True)
class _Table:
    """A table the snapshot holds record by record: its Snapshot field, the SELECT (no WHERE / ORDER BY) and the
    row-to-record function."""

    field: str
    select: str
    make: Callable[[tuple], Any]


_TABLES: Mapping[str, _Table] = MappingProxyType({
    "village_group": _Table("groups", "SELECT id, name, head_name FROM village_group", lambda r: Group(*r)),
    "household": _Table("households", "SELECT id, number, group_id, address FROM household", lambda r: Household(*r)),
    "person": _Table("persons", "SELECT id, roster_no, household_id, relation, name, sex, birth_date, id_number,"
                                " ethnicity, education, hukou, occupation, marital_status, first_marriage_date,"
                                " marital_change_date, residence, moved_in_date, moved_out_date, death_date,"
                                " only_child, note FROM person", _person),
    "marriage": _Table("marriages", "SELECT id, person_id, spouse_id, spouse_name, spouse_id_number,"
                                    " spouse_birth_date, spouse_ethnicity, spouse_education, spouse_hukou,"
                                    " spouse_occupation, spouse_only_child, kind, start_date, end_date, end_reason"
                                    " FROM marriage", _marriage),
    "birth": _Table("births", "SELECT id, mother_id, child_id, child_name, child_sex, birth_date, birth_order,"
                              " policy_status, birth_cert_no, blood_relation, health FROM birth", _birth),
    "measure": _Table("measures", "SELECT id, person_id, method, start_date, end_date, institution, change_reason,"
                                  " no_measure_reason FROM measure", _measure),
    "pregnancy": _Table("pregnancies", "SELECT id, person_id, lmp_date, registered_date, expected_date,"
                                       " policy_status, outcome, end_date, end_place FROM pregnancy", _pregnancy),
    "service": _Table("services", "SELECT id, person_id, kind, service_date, result, institution, item, quantity"
                                  " FROM service", _service),
    "benefit": _Table("benefits", "SELECT id, person_id, kind, year, amount_fen, paid_date FROM benefit", _benefit),
    "migration": _Table("migrations", "SELECT id, person_id, kind, start_date, place, end_date, certificate_no"
                                      " FROM migration", _migration),
    "certificate": _Table("certificates", "SELECT id, person_id, kind, number, issued_date FROM certificate",
                          _certificate),
    "change_event": _Table("events", "SELECT id, person_id, change_type, occurred_date, entered_date,"
                                     " report_period, record_table, record_id FROM change_event", _event),
})

_C.update((name, name) for name in _TABLES)  # change_event.record_table

# Small tables read whole every time (a refresh too): settings are written without a record reference
# (``Operation.audit_setting``), locks and exceptions are keyed by text.
_SMALL_TABLES = frozenset({"village", "setting", "period_lock", "finding_exception"})

_by_start = lambda r: (r.start_date or dt.date.min, r.id)  # noqa: E731

# Services given and benefits paid are entered as change events (dated, with an entry date) but change nobody's
# state: the change report lists none of them, and changes_of and changes_on leave them out. They are two thirds of
# a village's events.
NOT_CHANGES = frozenset({Change.SERVICE, Change.BENEFIT})
# The grouped lookups: (Snapshot field, the records' Snapshot field, owner, order within an owner: None for id
# order, the order records are read in, which saves sorting the biggest table's groups).
_GROUPS: tuple[tuple[str, str, Callable[[Any], Hashable], Callable[[Any], Any] | None], ...] = (
    ("marriages_of", "marriages", attrgetter("person_id"), _by_start),
    ("births_of", "births", attrgetter("mother_id"), lambda r: (r.birth_order, r.birth_date, r.id)),
    ("measures_of", "measures", attrgetter("person_id"), _by_start),
    ("pregnancies_of", "pregnancies", attrgetter("person_id"), lambda r: (r.lmp_date, r.id)),
    ("services_of", "services", attrgetter("person_id"), lambda r: (r.service_date, r.id)),
    ("benefits_of", "benefits", attrgetter("person_id"), lambda r: (r.year, r.id)),
    ("migrations_of", "migrations", attrgetter("person_id"), _by_start),
    ("certificates_of", "certificates", attrgetter("person_id"), lambda r: (r.issued_date or dt.date.min, r.id)),
    ("members_of", "persons", attrgetter("household_id"), lambda r: (r.relation or "99", r.id)),
    ("changes_of", "events", lambda e: e.person_id if e.change_type not in NOT_CHANGES else None, None),
    ("marriages_to", "marriages", attrgetter("spouse_id"), _by_start),
    ("births_as_child", "births", attrgetter("child_id"), None),
    ("changes_on", "events", lambda e: (e.record_table, e.record_id)
        if e.record_id is not None and e.change_type not in NOT_CHANGES else None, None),
)
# The grouped lookups by the person who owns the records (every record of these tables has one).
_OWNED_BY_PERSON = frozenset({"marriages_of", "births_of", "measures_of", "pregnancies_of", "services_of",
                              "benefits_of", "migrations_of", "certificates_of"})
_BY_ID: tuple[tuple[str, str], ...] = (
    ("person_by_id", "persons"), ("household_by_id", "households"), ("group_by_id", "groups"),
)
_ID = attrgetter("id")


def _group(
    records: Iterable[T], key: Callable[[T], Hashable], sort: Callable[[T], object] | None,
) -> Mapping[Any, tuple[T, ...]]:
    """Records (id-ordered) by owner, each owner's in ``sort`` order (None: as they come, by id)."""
    out: dict[Any, list[T]] = defaultdict(list)
    for r in records:
        k = key(r)
        if k is not None:
            out[k].append(r)
    if sort is None:
        return MappingProxyType({k: tuple(v) for k, v in out.items()})
    return MappingProxyType({k: tuple(sorted(v, key=sort)) for k, v in out.items()})


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    cur = conn.execute(sql, params)
    cur.row_factory = None  # plain tuples: several times faster than sqlite3.Row for whole tables
    return cur.fetchall()


@contextmanager
def _reading(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction, so that the ledgers agree with each other (unless the caller already has one)."""
    own_tx = not conn.in_transaction
    if own_tx:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if own_tx:
            conn.execute("COMMIT")


def _small_tables(conn: sqlite3.Connection) -> dict[str, Any]:
    v = _rows(conn, "SELECT code, name, township, county, clerk, phone FROM village WHERE id = 1")
    return {
        "village": Village(*v[0]) if v else None,
        "locks": tuple(PeriodLock(r[0], r[1], r[2], bool(r[3]), r[4]) for r in _rows(
            conn, "SELECT period, submitted_at, correction_no, locked, unlock_reason FROM period_lock"
                  " ORDER BY period")),
        "settings": MappingProxyType(dict(_rows(conn, "SELECT key, value FROM setting"))),
        "exceptions": MappingProxyType(dict(_rows(conn, "SELECT key, note FROM finding_exception"))),
    }


def load_snapshot(conn: sqlite3.Connection, *, as_of: dt.date | None = None) -> Snapshot:
    """Read the whole village file into a snapshot (one read transaction, so the ledgers agree with each other)."""
    day = as_of or dt.date.today()
    with no_cyclic_gc():
        with _reading(conn):
            values = _small_tables(conn)
            for spec in _TABLES.values():
                values[spec.field] = tuple(map(spec.make, _rows(conn, spec.select + " ORDER BY id")))
        return assemble(day, values)


def assemble(as_of: dt.date, values: dict[str, Any]) -> Snapshot:
    """A snapshot of the given records (every records field, id-ordered, and the small tables: village, settings,
    locks, exceptions), its lookups built here. ``values`` is filled in and used up."""
    for name, records in _BY_ID:
        values[name] = MappingProxyType({r.id: r for r in values[records]})
    for name, records, key, sort in _GROUPS:
        values[name] = _group(values[records], key, sort)
    return Snapshot(as_of=as_of, **values)


def records_owned(snap: Snapshot, persons: Iterable[int]) -> dict[str, tuple]:
    """Every records field of the snapshot cut down to ``persons`` (ids of persons in it, in any order): the
    persons, their households, the records they own (as mother for births) and their change events (``changes_of``:
    services and benefits paid left out), id-ordered. The groups whole."""
    by_id = snap.person_by_id
    ids = sorted(i for i in set(persons) if i in by_id)
    out: dict[str, tuple] = {
        "persons": tuple(by_id[i] for i in ids),
        "households": tuple(sorted({snap.household_by_id[h] for i in ids
                                    if (h := by_id[i].household_id) is not None and h in snap.household_by_id},
                                   key=_ID)),
        "groups": snap.groups,
    }
    for name, records, _, _ in _GROUPS:
        if name in _OWNED_BY_PERSON:
            lookup = getattr(snap, name)
            out[records] = tuple(sorted((r for i in ids for r in lookup.get(i, ())), key=_ID))
    out["events"] = tuple(sorted((e for i in ids for e in snap.changes_of.get(i, ())), key=_ID))
    return out


# ---- after an edit ----------------------------------------------------------------------------------------------

# Above this many changed rows of one table, that table is read whole (an import, not a clerk's edit).
_WHOLE_TABLE_FROM = 2000
_IN_CHUNK = 500  # ids per "WHERE id IN (...)": well under SQLite's oldest limit of 999 variables


def refresh_snapshot(
    conn: sqlite3.Connection, snap: Snapshot, changes: "Changes | Iterable[Changes]", *, as_of: dt.date | None = None,
) -> Snapshot:
    """The snapshot ``snap`` brought up to date after ``changes`` (one service call's ``Changes``, or several in
    the order they were made), equal to what ``load_snapshot`` would read now.

    Only the rows the changes name are read again (inserted, updated and deleted records, the change events
    written), plus the small tables a service may write without naming a row (the village, settings, period locks,
    confirmed exceptions). Lookups are rebuilt only for the owners of the changed rows; every other field of the
    new snapshot is the old one's object. A change to a table this module does not know falls back to a full load.

    as_of: the new snapshot's day (default: the old one's).
    """
    day = as_of or snap.as_of
    batches = (changes,) if hasattr(changes, "inserted") else tuple(changes)  # type: ignore[arg-type]
    wanted: dict[str, set[int]] = defaultdict(set)
    for c in batches:
        for ref in (*c.inserted, *c.updated, *c.deleted):
            wanted[ref.table].add(ref.id)
        if c.events:
            wanted["change_event"].update(c.events)
    for table in _SMALL_TABLES:
        wanted.pop(table, None)
    if any(table not in _TABLES for table in wanted):
        return load_snapshot(conn, as_of=day)

    with no_cyclic_gc(), _reading(conn):
        values = _small_tables(conn)
        fresh: dict[str, dict[int, Any] | None] = {}
        for table, ids in wanted.items():
            spec = _TABLES[table]
            if len(ids) >= _WHOLE_TABLE_FROM:
                fresh[table] = None
                values[spec.field] = tuple(map(spec.make, _rows(conn, spec.select + " ORDER BY id")))
                continue
            got: dict[int, Any] = {}
            ordered = sorted(ids)
            for i in range(0, len(ordered), _IN_CHUNK):
                chunk = tuple(ordered[i:i + _IN_CHUNK])
                marks = ", ".join("?" * len(chunk))
                for r in _rows(conn, f"{spec.select} WHERE id IN ({marks})", chunk):
                    got[r[0]] = spec.make(r)
            fresh[table] = got

    # per records field: (records replaced or removed, records new or changed), or None when read whole
    delta: dict[str, tuple[list, list] | None] = {}
    for table, ids in wanted.items():
        spec = _TABLES[table]
        got = fresh[table]
        if got is None:
            delta[spec.field] = None
            continue
        values[spec.field], old, new = _merge(getattr(snap, spec.field), ids, got)
        delta[spec.field] = (old, new)

    for name, records in _BY_ID:
        if records in delta:
            values[name] = _reindex(getattr(snap, name), getattr(snap, records), values[records], delta[records])
    for name, records, key, sort in _GROUPS:
        if records in delta:
            d = delta[records]
            values[name] = _group(values[records], key, sort) if d is None else \
                _regroup(getattr(snap, name), getattr(snap, records), d[0], d[1], key, sort)
    return replace(snap, as_of=day, **values)


def _merge(old: tuple[T, ...], ids: Iterable[int], got: Mapping[int, T]) -> tuple[tuple[T, ...], list[T], list[T]]:
    """The id-ordered records with those of ``ids`` re-read (``got``; an id missing from it was deleted).
    Returns the new tuple, the old records replaced or removed, and the new versions."""
    rows = list(old)
    replaced, new = [], []
    for i in sorted(ids):
        pos = bisect_left(rows, i, key=_ID)
        here = pos < len(rows) and rows[pos].id == i
        record = got.get(i)
        if here:
            replaced.append(rows[pos])
            if record is None:
                del rows[pos]
            else:
                rows[pos] = record
        elif record is not None:
            rows.insert(pos, record)
        if record is not None:
            new.append(record)
    return tuple(rows), replaced, new


def _reindex(
    old: Mapping[int, T], old_records: tuple[T, ...], records: tuple[T, ...], delta: tuple[list, list] | None,
) -> Mapping[int, T]:
    """An id lookup after a merge, in the order a full load gives (ascending id)."""
    if delta is None:
        return MappingProxyType({r.id: r for r in records})
    replaced, new = delta
    out = old.copy()  # type: ignore[attr-defined]  (a MappingProxyType: a copy of its dict)
    kept = {r.id for r in new}
    for r in replaced:
        if r.id not in kept:
            del out[r.id]
    for r in new:
        out[r.id] = r  # an id already there keeps its place
    last = old_records[-1].id if old_records else 0
    if any(r.id < last and r.id not in old for r in new):  # a new id below the largest: not at the end
        out = {r.id: r for r in records}
    return MappingProxyType(out)


def _min_id(records: Iterable[Any]) -> int:
    return min(r.id for r in records)


def _regroup(
    old_map: Mapping[int, tuple[T, ...]], old_records: tuple[T, ...], replaced: list[T], new: list[T],
    key: Callable[[T], Hashable], sort: Callable[[T], object] | None,
) -> Mapping[Any, tuple[T, ...]]:
    """A grouped lookup after a merge: only the owners of the replaced and new records are regrouped. Owners are
    in the order a full load gives: by their lowest record id."""
    sort = sort or _ID
    changed = {r.id for r in replaced} | {r.id for r in new}
    incoming: dict[int, list[T]] = defaultdict(list)
    for r in new:
        k = key(r)
        if k is not None:
            incoming[k].append(r)
    owners = {key(r) for r in replaced} | set(incoming)
    owners.discard(None)
    if not owners:
        return old_map
    out = old_map.copy()  # type: ignore[attr-defined]
    in_order = True
    arriving: list[tuple[int, int, tuple[T, ...]]] = []
    for k in owners:
        before = out.get(k, ())
        group = [r for r in before if r.id not in changed] + incoming.get(k, [])
        if not group:
            out.pop(k, None)
        elif before:
            out[k] = tuple(sorted(group, key=sort))  # keeps its place, which is right while its lowest id is
            in_order = in_order and _min_id(before) == _min_id(group)
        else:
            arriving.append((_min_id(group), k, tuple(sorted(group, key=sort))))
    # new owners go to the end, lowest id first: right when each one's lowest record is newer than all before
    last_id = old_records[-1].id if old_records else 0
    for first, k, group in sorted(arriving, key=lambda a: a[0]):
        out[k] = group
        in_order = in_order and first > last_id
    if not in_order:
        out = dict(sorted(out.items(), key=lambda kv: _min_id(kv[1])))
    return MappingProxyType(out)
