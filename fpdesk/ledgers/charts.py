"""The figures behind the board's charts: the population pyramid and births by month."""

from __future__ import annotations

from dataclasses import dataclass

from fpdesk import codes
from fpdesk.dates import period_bounds, period_label, period_of, previous_period
from fpdesk.ledgers.population import age, population_on
from fpdesk.snapshot import Snapshot

BAND_YEARS = 10
TOP_BAND = 80  # 80岁及以上 in one band: ten-year bands stay readable on a laptop screen


@dataclass(frozen=True, slots=True)
class PyramidBand:
    """One age band of the population pyramid (人口金字塔).

    label: "0-9", "10-19" … "80+". low: the band's first age. males, females: people in it.
    """

    label: str
    low: int
    males: int
    females: int


@dataclass(frozen=True, slots=True)
class MonthBirths:
    """Births of one month (by birth date).

    period ('2026-11'), label ('2026年11月'), males, females.
    """

    period: str
    label: str
    males: int
    females: int

    @property
    def total(self) -> int:
        return self.males + self.females


def age_pyramid(snap: Snapshot) -> tuple[PyramidBand, ...]:
    """The registered population on ``snap.as_of`` by ten-year age band and sex; unknown ages are left out."""
    bands = list(range(0, TOP_BAND + 1, BAND_YEARS))
    males = dict.fromkeys(bands, 0)
    females = dict.fromkeys(bands, 0)
    for person in population_on(snap, snap.as_of):
        years = age(person, snap.as_of)
        if years is None:
            continue
        low = min(years // BAND_YEARS * BAND_YEARS, TOP_BAND)
        if person.sex == codes.MALE:
            males[low] += 1
        elif person.sex == codes.FEMALE:
            females[low] += 1
    return tuple(PyramidBand(f"{low}+" if low == TOP_BAND else f"{low}-{low + BAND_YEARS - 1}", low,
                             males[low], females[low]) for low in bands)


def births_by_month(snap: Snapshot, *, months: int = 12) -> tuple[MonthBirths, ...]:
    """Births (every birth record, by its birth date) in each of the last ``months`` months up to as_of, oldest
    first."""
    periods = [period_of(snap.as_of)]
    for _ in range(months - 1):
        periods.append(previous_period(periods[-1]))
    periods.reverse()
    start, _ = period_bounds(periods[0])
    counts = {p: [0, 0] for p in periods}
    for b in snap.births:
        if start <= b.birth_date <= snap.as_of:
            slot = counts.get(period_of(b.birth_date))
            if slot is not None:
                slot[0 if b.child_sex == codes.MALE else 1] += 1
    return tuple(MonthBirths(p, period_label(p), m, f) for p, (m, f) in counts.items())
