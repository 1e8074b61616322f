"""What several indicators of one span share, worked out once: the population at the span's start and end, the
births and deaths in it, the married women and their measures on its last day.

Each piece is computed on first use, so a scheme that needs only births never walks the women. What depends on
the snapshot and a day alone (the population, the married women, their measures) is kept on the snapshot
(``Snapshot.derived``), where the checks, the board and the change reports find the same population and card
holders. After an edit, what the women's own records give (their measure, their services in a span) and what
whole tables give (the births, the change events, the benefits of a span) is carried over from the previous
snapshot wherever those records are the same objects (``carry``): the score after one correction looks again at
the married women, and at no table.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from functools import cached_property
from operator import attrgetter
from typing import Any, Callable, Hashable, Mapping, Sequence, TypeVar

from fpdesk.checks.finding import ERROR, Finding
from fpdesk.dates import add_years
from fpdesk.indicators.base import Span
from fpdesk.indicators.carry import carried, interned, per_owner
from fpdesk.ledgers.population import INFLOW, card_holders, married_women, measure_in_force, population_on
from fpdesk.records import Birth, Measure, Migration, Person, Service
from fpdesk.snapshot import Snapshot

OWN_CHILD = "1"                      # blood_relation 亲生: only these are births of the village
IN_POLICY, OUT_OF_POLICY = "1", "2"
INFLOW_KIND, OUTFLOW_KIND = "1", "2"      # migration.kind 流入 / 流出
_DAY = dt.timedelta(days=1)
_ID = attrgetter("id")
T = TypeVar("T")

# Village settings read by the indicators, with their defaults.
SETTING_DEFAULTS = {
    "timeliness_days": 30,          # a change entered more than N days after it happened is late (township's N)
    "long_acting_years": 3,         # long-acting rate: women who gave birth in the last N years
    "long_acting_timely_days": 180,  # long-acting measure "timely" when taken within N days of the birth
    "multichild_min_order": 3,      # out-of-policy "multi-child" birth: order ≥ N (2 under the one-child policy)
    "childcare_grace_days": 90,     # 育儿补贴: a child's year's payment is due N days into that year of life
}
LONG_ACTING_SCOPE = "long_acting_scope"  # "recent_births" (default) or "all_women"


def _service_date(s: Service) -> dt.date:
    return s.service_date


def _birth_key(b: Birth) -> tuple[dt.date, int]:
    return b.birth_date, b.id


def _any_service(mine: tuple[Service, ...], kinds: frozenset[str], lo: dt.date, hi: dt.date) -> bool:
    """A service of ``kinds`` between ``lo`` and ``hi`` among a person's services (in date order)."""
    for s in mine[bisect_left(mine, lo, key=_service_date):]:
        if s.service_date > hi:
            return False
        if s.kind in kinds:
            return True
    return False


def present(p: Person, day: dt.date) -> bool:
    """Born, alive, moved in and not moved out on ``day``: ``population.in_population`` without the inflow test
    (an inflow person is present in the village without being of its registered population)."""
    return ((p.birth_date is None or p.birth_date <= day) and (p.death_date is None or p.death_date > day)
            and (p.moved_out_date is None or p.moved_out_date > day)
            and (p.moved_in_date is None or p.moved_in_date <= day))


class Context:
    """Shared counts of one snapshot over one span (see the module docstring).

    snap, span; day: the day stocks are counted on (``span.day``); findings: the check findings, or None when
    the checks were not run.
    """

    def __init__(self, snap: Snapshot, span: Span, findings: Sequence[Finding] | None = None) -> None:
        self.snap = snap
        self.span = span
        self.day = span.day(snap.as_of)
        self.findings = findings

    def _on(self, name: str, make: Callable[[], T]) -> T:
        """What depends on the snapshot and the stock day only, made once per snapshot."""
        return self.snap.derived(("indicators", name, self.day), make)

    def setting(self, key: str) -> int:
        """A numeric indicator setting (see ``SETTING_DEFAULTS``); never below zero."""
        return max(0, self.snap.setting_int(key, SETTING_DEFAULTS[key]))

    def in_window(self, day: dt.date | None) -> bool:
        """``day`` falls in the span, up to the stock day (nothing after the snapshot's day is counted)."""
        return day is not None and self.span.start <= day <= self.day

    @property
    def population_start(self) -> tuple[Person, ...]:
        """户籍人口 on the day before the span starts (期初)."""
        return population_on(self.snap, self.span.start - _DAY)

    @property
    def population_end(self) -> tuple[Person, ...]:
        """户籍人口 on the stock day (期末)."""
        return population_on(self.snap, self.day)

    @cached_property
    def population_either(self) -> tuple[Person, ...]:
        """Everyone in the population at the start or at the end (the people behind a mean population)."""
        end = self.population_end
        seen = {p.id for p in end}
        return end + tuple(p for p in self.population_start if p.id not in seen)

    @cached_property
    def births(self) -> tuple[Birth, ...]:
        """出生 in the span: birth records of one's own child (亲生; adopted and step-children were born elsewhere)
        dated in the span, whose mother was in the registered population that day (an inflow mother reports
        where her hukou is). Twins are two births. In date order."""
        lo, hi = self.span.start, self.day
        everyone = self.snap.births
        dated = carried(("births_in", lo, hi), (everyone,), lambda: tuple(sorted(
            (b for b in everyone if b.blood_relation == OWN_CHILD and lo <= b.birth_date <= hi), key=_birth_key)))
        persons = self.snap.person_by_id
        return tuple(b for b in dated if (mother := persons.get(b.mother_id)) is not None
                     and mother.residence != INFLOW and present(mother, b.birth_date))

    @cached_property
    def deaths(self) -> tuple[Person, ...]:
        """死亡 in the span: people of the registered population (the day before) whose death date is in it."""
        return tuple(p for p in self.snap.persons
                     if p.death_date is not None and self.in_window(p.death_date) and p.residence != INFLOW
                     and present(p, p.death_date - _DAY))

    @property
    def women(self) -> tuple[Person, ...]:
        """已婚育龄妇女 on the stock day (``population.is_married_woman_of_childbearing_age``): the card holders
        who are married now, as the board counts them. In id order."""
        return married_women(self.snap, self.day)

    @property
    def card_women(self) -> tuple[Person, ...]:
        """Women with a card in use on the stock day (``population.has_card``: 15–49, married, divorced or
        widowed)."""
        return card_holders(self.snap, self.day)

    @property
    def women_ids(self) -> tuple[int, ...]:
        """The ids of ``women``: the same object from one snapshot to the next while they are the same women."""
        return self._on("women_ids", lambda: interned(("women_ids", self.day), tuple(map(_ID, self.women))))

    def of_women(self, name: Hashable, groups: Mapping[int, tuple[Any, ...]],
                 value: Callable[[tuple[Any, ...]], T]) -> tuple[T, ...]:
        """``value`` of each woman's own records in ``groups`` (``snap.measures_of``, ``snap.services_of`` ...),
        in the order of ``women``. name: says what ``value`` is, with every plain value it reads but the stock
        day. A woman's value is carried over from the previous snapshot while her records are the same."""
        return per_owner(("of_women", name, self.day), self.women_ids, groups, value)

    @property
    def migrants(self) -> tuple[tuple[Migration, Person], ...]:
        """Flow records in force on the stock day whose person is still of the village that day (inflow people
        alive and present, outflow people in the registered population), with the person."""
        return self._on("migrants", self._migrants)

    def _migrants(self) -> tuple[tuple[Migration, Person], ...]:
        day = self.day
        everything = self.snap.migrations
        in_force = carried(("migrations_in_force", day), (everything,), lambda: tuple(
            m for m in everything if m.start_date <= day and (m.end_date is None or m.end_date > day)))
        persons = self.snap.person_by_id
        out = []
        for m in in_force:
            p = persons.get(m.person_id)
            if p is not None and present(p, day) and (m.kind == INFLOW_KIND or p.residence != INFLOW):
                out.append((m, p))
        return tuple(out)

    @property
    def women_measures(self) -> tuple[Measure | None, ...]:
        """Each woman's measure in force on the stock day (None = no record), in the order of ``women``."""
        day = self.day
        return self.of_women("measure", self.snap.measures_of, lambda mine: measure_in_force(mine, day))

    def served(self, kinds: frozenset[str]) -> tuple[bool, ...]:
        """Whether each woman had a service of ``kinds`` in the span up to the stock day, in the order of
        ``women``."""
        lo, hi = self.span.start, self.day
        return self.of_women(("served", kinds, lo), self.snap.services_of,
                             lambda mine: _any_service(mine, kinds, lo, hi))

    def services(self, person_id: int, kinds: frozenset[str], *, start: dt.date | None = None,
                 end: dt.date | None = None) -> list[Service]:
        """A person's services of ``kinds`` between ``start`` and ``end`` (default: the span up to the stock day)."""
        lo = self.span.start if start is None else start
        hi = self.day if end is None else end
        mine = self.snap.services_of.get(person_id, ())
        out = []
        for s in mine[bisect_left(mine, lo, key=_service_date):]:   # in date order: skip to the span
            if s.service_date > hi:
                break
            if s.kind in kinds:
                out.append(s)
        return out

    @property
    def recent_births(self) -> tuple[tuple[Birth, ...], ...]:
        """Each woman's own children (亲生) born in the ``long_acting_years`` years up to the stock day, in date
        order (most have none), in the order of ``women``."""
        day = self.day
        since = add_years(day, -self.setting("long_acting_years"))
        return self.of_women(("recent_births", since), self.snap.births_of, lambda mine: tuple(sorted(
            (b for b in mine if b.blood_relation == OWN_CHILD and since < b.birth_date <= day), key=_birth_key)))

    @cached_property
    def error_persons(self) -> frozenset[int] | None:
        """Persons with at least one error finding about their own record or a record on their card (the
        finding's subject); None when the checks were not run."""
        if self.findings is None:
            return None
        out: set[int] = set()
        for f in self.findings:
            if f.severity != ERROR:
                continue
            if f.subject.person_id is not None:
                out.add(f.subject.person_id)
            elif f.subject.table == "person":
                out.add(f.subject.id)
        return frozenset(out)
