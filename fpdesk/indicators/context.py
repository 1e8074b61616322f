"""What several indicators of one span share, worked out once: the population at the span's start and end, the
births and deaths in it, the married women and their measures on its last day.

Each piece is computed on first use, so a scheme that needs only births never walks the women. A walk over the
persons for each population day (the end of the span; its start only for the rates per mean population) is the
only O(persons) step; everything else walks the women, the births or one person's own records.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from functools import cached_property
from typing import Any, Callable, Sequence, TypeVar

from fpdesk import codes
from fpdesk.checks.facts import facts
from fpdesk.checks.finding import ERROR, Finding
from fpdesk.dates import add_years
from fpdesk.indicators.base import Span
from fpdesk.ledgers.population import (
    CHILDBEARING_AGE, EVER_MARRIED_STATUSES, INFLOW, MARRIED_STATUSES, measure_on,
)
from fpdesk.records import Birth, Measure, Migration, Person, Service
from fpdesk.snapshot import Snapshot

OWN_CHILD = "1"                      # blood_relation 亲生: only these are births of the village
IN_POLICY, OUT_OF_POLICY = "1", "2"
INFLOW_KIND, OUTFLOW_KIND = "1", "2"      # migration.kind 流入 / 流出
_DAY = dt.timedelta(days=1)
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


def present(p: Person, day: dt.date) -> bool:
    """Born, alive, moved in and not moved out on ``day``: ``population.in_population`` without the inflow test
    (an inflow person is present in the village without being of its registered population)."""
    return ((p.birth_date is None or p.birth_date <= day) and (p.death_date is None or p.death_date > day)
            and (p.moved_out_date is None or p.moved_out_date > day)
            and (p.moved_in_date is None or p.moved_in_date <= day))


class Context:
    """Shared counts of one snapshot over one span (see the module docstring).

    snap, span; day: the day stocks are counted on (``span.day``); findings: the check findings, or None when
    the checks were not run. shared: what depends on the snapshot and a day only (the population, the women and
    their measures), shared by the contexts of one calculator whose spans end on the same day.
    """

    def __init__(self, snap: Snapshot, span: Span, findings: Sequence[Finding] | None = None,
                 shared: dict[tuple[dt.date, str], Any] | None = None) -> None:
        self.snap = snap
        self.span = span
        self.day = span.day(snap.as_of)
        self.findings = findings
        self._shared = {} if shared is None else shared

    def _on(self, day: dt.date, name: str, make: Callable[[], T]) -> T:
        key = (day, name)
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def setting(self, key: str) -> int:
        """A numeric indicator setting (see ``SETTING_DEFAULTS``); never below zero."""
        return max(0, self.snap.setting_int(key, SETTING_DEFAULTS[key]))

    def in_window(self, day: dt.date | None) -> bool:
        """``day`` falls in the span, up to the stock day (nothing after the snapshot's day is counted)."""
        return day is not None and self.span.start <= day <= self.day

    def _population_on(self, day: dt.date) -> tuple[Person, ...]:
        # ``present`` inlined (plus the inflow test): the one walk over everyone, so kept tight
        return tuple(p for p in self.snap.persons if p.residence != INFLOW
                     and (p.birth_date is None or p.birth_date <= day) and (p.death_date is None or p.death_date > day)
                     and (p.moved_out_date is None or p.moved_out_date > day)
                     and (p.moved_in_date is None or p.moved_in_date <= day))

    @property
    def population_start(self) -> tuple[Person, ...]:
        """户籍人口 on the day before the span starts (期初)."""
        before = self.span.start - _DAY
        return self._on(before, "population", lambda: self._population_on(before))

    @property
    def population_end(self) -> tuple[Person, ...]:
        """户籍人口 on the stock day (期末)."""
        if self.day == self.snap.as_of:
            # the checks work out today's population of this snapshot too; share it (same definition)
            return self._on(self.day, "population", lambda: facts(self.snap).present)
        return self._on(self.day, "population", lambda: self._population_on(self.day))

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
        persons = self.snap.person_by_id
        out = []
        for b in self.snap.births:
            if b.blood_relation != OWN_CHILD or not self.in_window(b.birth_date):
                continue
            mother = persons.get(b.mother_id)
            if mother is not None and mother.residence != INFLOW and present(mother, b.birth_date):
                out.append(b)
        return tuple(sorted(out, key=lambda b: (b.birth_date, b.id)))

    @cached_property
    def deaths(self) -> tuple[Person, ...]:
        """死亡 in the span: people of the registered population (the day before) whose death date is in it."""
        return tuple(p for p in self.snap.persons
                     if p.death_date is not None and self.in_window(p.death_date) and p.residence != INFLOW
                     and present(p, p.death_date - _DAY))

    def _women(self, statuses: frozenset[str]) -> tuple[Person, ...]:
        low, high = CHILDBEARING_AGE
        youngest = add_years(self.day, -low)          # born on or before: at least 15
        oldest = add_years(self.day, -(high + 1))     # born after: at most 49
        return tuple(p for p in self.population_end
                     if p.sex == codes.FEMALE and p.marital_status in statuses and p.birth_date is not None
                     and oldest < p.birth_date <= youngest)

    @property
    def women(self) -> tuple[Person, ...]:
        """已婚育龄妇女 on the stock day (``population.is_married_woman_of_childbearing_age``)."""
        return self._on(self.day, "women", lambda: self._women(MARRIED_STATUSES))

    @property
    def card_women(self) -> tuple[Person, ...]:
        """Women with a card in use on the stock day (``population.has_card``: 15–49, married, divorced or
        widowed)."""
        return self._on(self.day, "card_women", lambda: self._women(EVER_MARRIED_STATUSES))

    @property
    def migrants(self) -> tuple[tuple[Migration, Person], ...]:
        """Flow records in force on the stock day whose person is still of the village that day (inflow people
        alive and present, outflow people in the registered population), with the person."""
        return self._on(self.day, "migrants", self._migrants)

    def _migrants(self) -> tuple[tuple[Migration, Person], ...]:
        out = []
        day = self.day
        for m in self.snap.migrations:
            if m.start_date > day or (m.end_date is not None and m.end_date <= day):
                continue
            p = self.snap.person_by_id.get(m.person_id)
            if p is not None and present(p, day) and (m.kind == INFLOW_KIND or p.residence != INFLOW):
                out.append((m, p))
        return tuple(out)

    @property
    def measures(self) -> dict[int, Measure | None]:
        """Each woman's measure in force on the stock day (None = no record)."""
        return self._on(self.day, "measures",
                        lambda: {w.id: measure_on(self.snap, w, self.day) for w in self.women})

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
    def recent_births(self) -> dict[int, list[Birth]]:
        """Each woman's own children (亲生) born in the ``long_acting_years`` years up to the stock day, in date
        order; women without such a birth are left out."""
        return self._on(self.day, "recent_births", self._recent_births)

    def _recent_births(self) -> dict[int, list[Birth]]:
        since = add_years(self.day, -self.setting("long_acting_years"))
        out = {}
        for w in self.women:
            mine = [b for b in self.snap.births_of.get(w.id, ())
                    if b.blood_relation == OWN_CHILD and since < b.birth_date <= self.day]
            if mine:
                out[w.id] = sorted(mine, key=lambda b: (b.birth_date, b.id))
        return out

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
