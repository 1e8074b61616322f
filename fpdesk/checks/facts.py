"""What several checks need to know about one snapshot, worked out once per snapshot.

Checks stay pure functions of the snapshot; this only memoises derived lookups (who is in the population, who has
a card, which change events point at which record, the months under check) so that the full check is one pass per
question instead of one per rule. The memo holds one snapshot, and ``run_checks`` drops it when it is done.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Iterable, Mapping, TypeVar

from fpdesk.codes import Change
from fpdesk.dates import period_bounds, period_of, previous_period
from fpdesk.idnumber import IdInfo, inspect_id
from fpdesk.ledgers.change_report import ChangeReport, monthly_change_report
from fpdesk.ledgers.common import NOT_CHANGES  # noqa: F401 (the rules' name for it: checks.totals reads it here)
from fpdesk.ledgers.common import changes_by_period, changes_by_type, records_by_id
from fpdesk.ledgers.population import card_holders, population_on
from fpdesk.records import ChangeEvent, Marriage, Measure, Person, Pregnancy
from fpdesk.snapshot import Snapshot

T = TypeVar("T")
RECORD_EVENTS = (Change.BIRTH, Change.MEASURE, Change.PREGNANCY_REGISTERED, Change.PREGNANCY_ENDED,
                 Change.FIRST_MARRIAGE, Change.REMARRIAGE, Change.REMARRIED_FORMER)
TIMELINESS_DAYS = 30  # default of the setting ``timeliness_days`` (the township's N)
MARRIED = frozenset({"20", "21", "22", "23"})
EVER_MARRIED = MARRIED | {"30", "40"}


def iso(day: dt.date | None) -> str:
    """A date as the ledgers print it; "（空）" when blank."""
    return day.isoformat() if day else "（空）"


def default_periods(snap: Snapshot) -> tuple[str, ...]:
    """The report months checked unless one is asked for: last month (due at the deadline) and this month."""
    this = period_of(snap.as_of)
    return (previous_period(this), this)


_ATTR = {"birth": "births", "marriage": "marriages", "measure": "measures", "pregnancy": "pregnancies",
         "migration": "migrations", "certificate": "certificates", "service": "services", "benefit": "benefits"}


@dataclass(frozen=True, slots=True)
class IdProblems:
    """What is wrong with the village's ID numbers.

    malformed: persons whose number is not a well-formed 18-character ID number.
    bad_check: (person, info) whose check digit is wrong.
    birth, sex: (person, info) whose number disagrees with the recorded birth date / sex.
    shared: {number: the persons holding it} for numbers held by more than one person.
    """

    malformed: tuple[Person, ...]
    bad_check: tuple[tuple[Person, IdInfo], ...]
    birth: tuple[tuple[Person, IdInfo], ...]
    sex: tuple[tuple[Person, IdInfo], ...]
    shared: Mapping[str, tuple[Person, ...]]


def month_bounds(period: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a report period written as ``period_of`` writes it ('2026-10'), else None."""
    try:
        first, last = period_bounds(period)
    except (TypeError, ValueError):
        return None
    return (first, last) if period_of(first) == period else None


def periods_of(snap: Snapshot, period: str | None) -> tuple[str, ...]:
    """The months a month rule looks at: the one asked for, else ``default_periods``."""
    return (period,) if period else default_periods(snap)


class Facts:
    """Derived lookups over one snapshot (see the module docstring). Each is computed on first use."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self._reported: dict[tuple[str, tuple[str, ...]], frozenset[int]] = {}

    @cached_property
    def present(self) -> tuple[Person, ...]:
        """户籍人口 today (``population.in_population`` on as_of)."""
        return population_on(self.snap, self.snap.as_of)

    @cached_property
    def present_ids(self) -> frozenset[int]:
        return frozenset(p.id for p in self.present)

    @cached_property
    def card_women(self) -> tuple[Person, ...]:
        """The women with a card in use today (``population.has_card``: 15–49, married, divorced or widowed)."""
        return card_holders(self.snap, self.snap.as_of)

    @cached_property
    def changes_by_type(self) -> Mapping[str, tuple[ChangeEvent, ...]]:
        """The change events that are changes (``NOT_CHANGES`` left out) by change type, the types in the order
        they first occur."""
        return changes_by_type(self.snap)

    def events_of(self, types: Iterable[str]) -> list[ChangeEvent]:
        """The change events of the given types (services and benefits paid are none: ``NOT_CHANGES``)."""
        by_type = self.changes_by_type
        return [e for t in types for e in by_type.get(t, ())]

    @cached_property
    def changes_by_period(self) -> Mapping[str, tuple[ChangeEvent, ...]]:
        """The changes by the report month they are listed in (as the change reports read them)."""
        return changes_by_period(self.snap)

    def reported_records(self, table: str, change_types: Iterable[str]) -> frozenset[int]:
        """The ids of the ``table`` records ("birth", "marriage", "measure", "pregnancy") that a change event of
        one of ``change_types`` points at (worked out once per question)."""
        types = tuple(change_types)
        key = (table, types)
        found = self._reported.get(key)
        if found is None:
            found = self._reported[key] = frozenset(
                e.record_id for e in self.events_of(types) if e.record_table == table and e.record_id is not None)
        return found

    @cached_property
    def baseline(self) -> dt.date | None:
        """The day live record keeping began: changes dated before it are the baseline (a roster import or a
        first registration writes no change events), changes on or after it must be in a change report.

        The setting ``baseline_date`` when the file has one, else the earliest entry date of any change event;
        None when no change was ever entered (a freshly imported village: nothing to compare).
        """
        text = self.snap.settings.get("baseline_date")
        if text:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        return min((e.entered_date for e in self.snap.events), default=None)

    @cached_property
    def id_problems(self) -> IdProblems:
        """The persons whose ID number is malformed, has a wrong check digit, or disagrees with the recorded
        birth date or sex, and the numbers held by more than one person — one pass over everyone."""
        malformed, bad_check, birth, sex = [], [], [], []
        first: dict[str, Person] = {}              # each number's first holder
        shared: dict[str, list[Person]] = {}       # the numbers held twice: all their holders
        for p in self.snap.persons:
            if not p.id_number:
                continue
            info = id_info(p.id_number)
            if not info.well_formed:
                malformed.append(p)
                continue
            if not info.check_ok:
                bad_check.append((p, info))
            if p.birth_date is not None and info.birth_date != p.birth_date:
                birth.append((p, info))
            if info.sex != p.sex:
                sex.append((p, info))
            holder = first.setdefault(info.number, p)
            if holder is not p:
                shared.setdefault(info.number, [holder]).append(p)
        # in the order the numbers first occur (persons are in id order)
        in_order = sorted(shared.items(), key=lambda item: item[1][0].id)
        return IdProblems(tuple(malformed), tuple(bad_check), tuple(birth), tuple(sex),
                          MappingProxyType({n: tuple(people) for n, people in in_order}))

    @cached_property
    def first_marriage(self) -> Mapping[int, tuple[dt.date, object, str]]:
        """Each person's earliest known marriage date: (date, the record it is on, its column) — the person's
        first-marriage date or an earlier marriage record's start."""
        out = {p.id: (p.first_marriage_date, p, "first_marriage_date")
               for p in self.snap.persons if p.first_marriage_date is not None}
        for m in self.snap.marriages:
            if m.start_date is not None:
                best = out.get(m.person_id)
                if best is None or m.start_date < best[0]:
                    out[m.person_id] = (m.start_date, m, "start_date")
        return MappingProxyType(out)

    @cached_property
    def current_marriage(self) -> Mapping[int, Marriage]:
        """Each person's current marriage record, by person (``Snapshot.current_spouse``: the latest begun that
        has no end date), for those who have one."""
        return _latest_open(self.snap.marriages_of)

    @cached_property
    def current_measure(self) -> Mapping[int, Measure]:
        """Each woman's current contraception record, by person (``Snapshot.current_measure``: the latest begun
        that has no end date), for those who have one."""
        return _latest_open(self.snap.measures_of)

    @cached_property
    def present_members(self) -> Mapping[int, list[Person]]:
        """The members of each household who are in the population today, in id order (households with
        none left out)."""
        members: dict[int, list[Person]] = defaultdict(list)
        for p in self.present:
            if p.household_id is not None:
                members[p.household_id].append(p)
        return MappingProxyType(dict(members))

    @cached_property
    def current_measures(self) -> tuple[Measure, ...]:
        """Measure records without an end date, of women still in the population (a card that was cancelled by
        death or moving away is history: its last measure is left as it was)."""
        present = self.present_ids
        return tuple(m for m in self.snap.measures if m.end_date is None and m.person_id in present)

    def by_id(self, table: str) -> Mapping[int, object]:
        """The records of a table by id (births, marriages, measures, pregnancies, migrations, certificates)."""
        return records_by_id(self.snap, _ATTR[table])

    @cached_property
    def ongoing_pregnancy(self) -> Mapping[int, Pregnancy]:
        """Each woman's latest pregnancy without an outcome (women still in the population)."""
        out = {}
        present = self.present_ids
        for p in self.snap.pregnancies:
            if p.outcome is None and p.person_id in present:
                prev = out.get(p.person_id)
                if prev is None or (p.lmp_date, p.id) > (prev.lmp_date, prev.id):
                    out[p.person_id] = p
        return MappingProxyType(out)

    @cached_property
    def timeliness_days(self) -> int:
        """N of "entered more than N days after it happened" (setting ``timeliness_days``, default 30)."""
        return max(0, self.snap.setting_int("timeliness_days", TIMELINESS_DAYS))

    def report(self, period: str) -> ChangeReport:
        """The real change report and monthly table of a month (built once per snapshot)."""
        return monthly_change_report(self.snap, period)


def _latest_open(groups: Mapping[int, tuple[T, ...]]) -> Mapping[int, T]:
    """For each owner, the last of her records (in start order) that has no end date, if any."""
    out = {}
    for owner, records in groups.items():
        for r in reversed(records):
            if r.end_date is None:  # type: ignore[attr-defined]
                out[owner] = r
                break
    return MappingProxyType(out)


# Big enough for a county file's numbers: a cache smaller than the file's set of numbers keeps none of them when
# they are read in turn, so a 1,000,000-person check re-inspected every number every time (6 s of its 30; ~0.3 KB
# a number).
@lru_cache(maxsize=2_000_000)
def id_info(number: str) -> IdInfo:
    """``inspect_id``, remembered across snapshots: after an edit the next check reads the same numbers again."""
    return inspect_id(number)


_memo_lock = threading.Lock()
_memo: tuple[Snapshot, Facts] | None = None


def forget() -> None:
    """Drop the memo, so that a snapshot the caller is done with is not kept alive by it."""
    global _memo
    with _memo_lock:
        _memo = None


def facts(snap: Snapshot) -> Facts:
    """The derived lookups of ``snap`` (memoised for the most recent snapshot until ``forget``)."""
    global _memo
    with _memo_lock:
        if _memo is not None and _memo[0] is snap:
            return _memo[1]
        f = Facts(snap)
        _memo = (snap, f)
        return f


def arrived(snap: Snapshot, person: Person | None, day: dt.date) -> bool:
    """The person had come to the village by ``day``: moved in (迁入) or arrived as an inflow person (流入) on or
    before it, or was here from the start. What happened to a family before it came is its history, written with
    its move and reported nowhere."""
    if person is None:
        return False
    if person.moved_in_date is not None and person.moved_in_date > day:
        return False
    if person.residence == "3":
        starts = [m.start_date for m in snap.migrations_of.get(person.id, ()) if m.kind == "1"]
        if starts and min(starts) > day:
            return False
    return True
