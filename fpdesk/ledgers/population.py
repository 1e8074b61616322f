"""Who counts, and what a person's state was on a day: the definitions every ledger, check and indicator reuses.

户籍人口 (registered population), 已婚育龄妇女 (married women of childbearing age), 现有子女 (current children), and a
person's marriage, marital status, residence and contraception on a given day. The snapshot keeps each person's
current fields only; the dated records (marriage, migration, measure) let a past month's report be rebuilt later
and read the same as when it was submitted.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left
from collections import OrderedDict
from itertools import compress, islice
from operator import attrgetter, is_not
from typing import Callable

from fpdesk import codes
from fpdesk.dates import age_on
from fpdesk.records import Birth, Marriage, Measure, Person
from fpdesk.snapshot import Snapshot

MARRIED_STATUSES = frozenset({"20", "21", "22", "23"})  # 已婚, 初婚, 再婚, 复婚
EVER_MARRIED_STATUSES = MARRIED_STATUSES | {"30", "40"}  # … and 丧偶, 离婚: they keep their card
CHILDBEARING_AGE = (15, 49)                            # 育龄: 15–49 周岁 inclusive
DEAD_HEALTH = "4"                                      # health code 死亡
INFLOW, OUTFLOW, RESIDENT = "3", "2", "1"
_ID = attrgetter("id")


def in_population(person: Person, day: dt.date) -> bool:
    """户籍人口: the person is in the village's registered (hukou) population on ``day``.

    Counted: not an inflow person (居住状况 流入 "3": their hukou is elsewhere; outflow people "2" still count),
    born on or before the day (an unknown birth date counts as present), not dead on or before the day, not moved
    out (迁出) on or before the day, and moved in (迁入) on or before the day or never (a baseline member).
    """
    return (
        person.residence != INFLOW
        and (person.birth_date is None or person.birth_date <= day)
        and (person.death_date is None or person.death_date > day)
        and (person.moved_out_date is None or person.moved_out_date > day)
        and (person.moved_in_date is None or person.moved_in_date <= day)
    )


def _spans(snap: Snapshot) -> tuple[tuple[Person, dt.date, dt.date], ...]:
    """(person, first day in the population, first day out of it) of everyone who is not an inflow person:
    ``in_population(p, day)`` is ``first <= day < out`` (an unknown date bounds nothing)."""
    out = []
    for p in snap.persons:
        if p.residence == INFLOW:
            continue
        born, came, died, left = p.birth_date, p.moved_in_date, p.death_date, p.moved_out_date
        first = born if came is None else came if born is None or came > born else born
        gone = died if left is None else left if died is None or left < died else died
        out.append((p, _DAWN if first is None else first, _NEVER if gone is None else gone))
    return tuple(out)


_DAWN = dt.date.min
_NEVER = dt.date.max  # (no day under check is the last day of year 9999)


def population_on(snap: Snapshot, day: dt.date) -> tuple[Person, ...]:
    """Everyone in the registered population on ``day`` (see ``in_population``), in id order."""
    # The board, each month's change report and the checks all ask for the same few days: each is worked out once
    # per snapshot, from everyone's span in the population worked out once too (or from the previous snapshot's).
    if day >= _NEVER:
        return tuple(p for p in snap.persons if in_population(p, day))

    def everyone() -> tuple[Person, ...]:
        spans = snap.derived("population_spans", lambda: _spans(snap))
        return tuple(p for p, first, out in spans if first <= day < out)

    return snap.derived(("population_on", day), lambda: _carried_over(
        snap, ("population_on", day), lambda p: in_population(p, day), everyone))


def card_holders(snap: Snapshot, day: dt.date) -> tuple[Person, ...]:
    """Every woman with a card in use on ``day`` (see ``has_card``), in id order."""
    # sex and marital status first: they turn away most people before the age is worked out
    return snap.derived(("card_holders", day), lambda: _carried_over(
        snap, ("card_holders", day), lambda p: has_card(p, day), lambda: tuple(
            p for p in population_on(snap, day)
            if p.sex == codes.FEMALE and p.marital_status in EVER_MARRIED_STATUSES and has_card(p, day))))


def married_women(snap: Snapshot, day: dt.date) -> tuple[Person, ...]:
    """已婚育龄妇女 on ``day`` (see ``is_married_woman_of_childbearing_age``): the card holders who are married
    now, in id order."""
    return snap.derived(("married_women", day), lambda: _carried_over(
        snap, ("married_women", day), lambda p: p.marital_status in MARRIED_STATUSES and has_card(p, day),
        lambda: tuple(p for p in card_holders(snap, day) if p.marital_status in MARRIED_STATUSES)))


# After an edit the session's snapshot is brought up to date (``refresh_snapshot``): the same person objects but
# the few re-read. The population, the card holders and the married women of a day are then patched from the
# previous snapshot's, looking at the changed persons only, instead of walking 10,000 people again (the live score
# after a correction needs them on a snapshot the checks may not have looked at as a whole).
_PATCH_AT_MOST = 64        # more changed persons than this: an import, worked out again from everyone
_KEEP, _KEEP_EACH = 32, 8  # (kind, day) results kept; for each, the latest few (see _carried_over)
_previous: OrderedDict[tuple[str, dt.date], list[tuple[tuple[Person, ...], tuple[Person, ...]]]] = OrderedDict()
_previous_lock = threading.Lock()


def _carried_over(snap: Snapshot, key: tuple[str, dt.date], test: Callable[[Person], bool],
                  everyone: Callable[[], tuple[Person, ...]]) -> tuple[Person, ...]:
    """The persons of ``snap`` who pass ``test``, in id order: ``everyone()``, or a recent result for a snapshot
    of as many persons, with those changed since then looked at again. The latest few results are kept: between
    two edits the checks look at small snapshots of the family edited too; and a village closed is soon let go."""
    global _last_changed
    persons = snap.persons
    with _previous_lock:
        recent = list(_previous.get(key, ()))
    before = next((k for k in recent if len(k[0]) == len(persons)), None)
    out = _patched(*before, persons, test) if before is not None else None
    whole = out is None
    if whole:
        out = everyone()
    with _previous_lock:
        # (worked out from everyone: the results for other snapshots of as many persons are no help any more — a
        # file read again — and would keep a county file's persons alive)
        others = [k for k in _previous.get(key, ()) if k[0] is not persons
                  and not (whole and len(k[0]) == len(persons))]
        if whole:
            _last_changed = None  # (it holds the persons of the snapshot let go)
        _previous[key] = [(persons, out), *others][:_KEEP_EACH]
        _previous.move_to_end(key)
        while len(_previous) > _KEEP:
            _previous.popitem(last=False)
    return out


def forget_previous() -> None:
    """Drop the results kept for patching (the village is closed: its records need not stay in memory)."""
    global _last_changed
    with _previous_lock:
        _previous.clear()
        _last_changed = None


def _changed(before: tuple[Person, ...], persons: tuple[Person, ...]) -> list[int]:
    """Where two persons tuples of one length hold different objects, the first ``_PATCH_AT_MOST + 1`` of them
    (more are not patched: a file loaded again differs everywhere and is told at once). The population and the
    card holders of each day ask about the same two."""
    global _last_changed
    last = _last_changed
    if last is not None and last[0] is before and last[1] is persons:
        return last[2]
    changed = list(islice(compress(range(len(persons)), map(is_not, persons, before)), _PATCH_AT_MOST + 1))
    _last_changed = (before, persons, changed)
    return changed


_last_changed: tuple[tuple[Person, ...], tuple[Person, ...], list[int]] | None = None


def _patched(before: tuple[Person, ...], members: tuple[Person, ...], persons: tuple[Person, ...],
             test: Callable[[Person], bool]) -> tuple[Person, ...] | None:
    """``members`` (who passed ``test`` among ``before``) for ``persons``, or None when they are not the same
    people (an id-ordered tuple with a few records replaced: a person added or deleted is not patched)."""
    if persons is before:
        return members
    changed = _changed(before, persons)
    if len(changed) > _PATCH_AT_MOST:
        return None
    out = list(members)
    for i in changed:
        person = persons[i]
        if person.id != before[i].id:
            return None
        pos = bisect_left(out, person.id, key=_ID)
        here = pos < len(out) and out[pos].id == person.id
        if test(person):
            if here:
                out[pos] = person
            else:
                out.insert(pos, person)
        elif here:
            del out[pos]
    return tuple(out)


def is_married(person: Person) -> bool:
    """已婚: the recorded marital status is 已婚 20, 初婚 21, 再婚 22 or 复婚 23 (not 未婚, 丧偶, 离婚, 其他)."""
    return person.marital_status in MARRIED_STATUSES


def age(person: Person, day: dt.date) -> int | None:
    """周岁 on ``day``, or None when the birth date is unknown."""
    return None if person.birth_date is None else age_on(person.birth_date, day)


def is_married_woman_of_childbearing_age(person: Person, day: dt.date) -> bool:
    """已婚育龄妇女: a woman in the registered population on ``day`` (outflow women included), aged 15–49 周岁 on
    that day, whose recorded marital status is married (``is_married``). A woman whose birth date is unknown is
    not counted (her age cannot be told). These are the women who have a card (档案卡).

    The marital status is the one recorded now; for a day long past use ``marital_status_on``.
    """
    if person.sex != codes.FEMALE or not is_married(person) or not in_population(person, day):
        return False
    years = age(person, day)
    return years is not None and CHILDBEARING_AGE[0] <= years <= CHILDBEARING_AGE[1]


def child_is_dead(snap: Snapshot, birth: Birth, day: dt.date) -> bool:
    """The child of a birth record has died by ``day``: its own person row has a death date on or before the day,
    or the birth record's health (健康状况) is 死亡 "4"."""
    if birth.health == DEAD_HEALTH:
        return True
    child = snap.person_by_id.get(birth.child_id) if birth.child_id is not None else None
    return child is not None and child.death_date is not None and child.death_date <= day


def current_children(snap: Snapshot, woman: Person, day: dt.date) -> tuple[Birth, ...]:
    """现有子女 of a woman on ``day``, by the filling rules: every child of her birth records born on or before the
    day — her own, adopted (收养) and step-children (继子女), and children married or moved out — except the dead
    (see ``child_is_dead``). In birth-order order."""
    return tuple(b for b in snap.births_of.get(woman.id, ())
                 if b.birth_date <= day and not child_is_dead(snap, b, day))


def births_before(snap: Snapshot, woman: Person, day: dt.date) -> int:
    """How many birth records a woman has dated before ``day`` (the dead included: 孩次 counts every birth).
    A pregnancy's order is ``births_before(lmp) + 1``."""
    return sum(1 for b in snap.births_of.get(woman.id, ()) if b.birth_date < day)


def _active(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """A dated record is in force on ``day``: started on or before it (unknown start: always) and not ended by it
    (the end date is the first day it no longer holds)."""
    return (start is None or start <= day) and (end is None or end > day)


def marriage_on(snap: Snapshot, person: Person, day: dt.date) -> Marriage | None:
    """The person's marriage in force on ``day`` (a marriage ended by divorce or death on that day is not)."""
    for m in reversed(snap.marriages_of.get(person.id, ())):
        if _active(m.start_date, m.end_date, day):
            return m
    return None


def marital_status_on(snap: Snapshot, person: Person, day: dt.date) -> str | None:
    """婚姻状况 on ``day``: the kind (21/22/23) of the marriage in force, else the end reason (30 丧偶 / 40 离婚)
    of the last marriage ended by then; 未婚 "10" before a first marriage; the recorded status when the person has
    no marriage records at all (a baseline entry)."""
    marriages = snap.marriages_of.get(person.id, ())
    if not marriages:
        return person.marital_status
    current = marriage_on(snap, person, day)
    if current is not None:
        return current.kind
    ended = [m for m in marriages if m.end_date is not None and m.end_date <= day]
    if ended:
        return max(ended, key=lambda m: (m.end_date, m.id)).end_reason
    if person.first_marriage_date is None or person.first_marriage_date > day:
        return "10"
    return person.marital_status


def spouse_name(snap: Snapshot, marriage: Marriage) -> str:
    """The spouse's name: the in-village spouse's own person row when linked, else the recorded spouse name."""
    spouse = snap.person_by_id.get(marriage.spouse_id) if marriage.spouse_id is not None else None
    return spouse.name if spouse is not None else marriage.spouse_name


def residence_on(snap: Snapshot, person: Person, day: dt.date) -> str:
    """居住状况 on ``day``: 流入 "3" for an inflow person; 流出 "2" while an outflow record (流出登记) is in force;
    else 常住 "1". A person with no outflow records keeps the recorded status (a baseline entry)."""
    if person.residence == INFLOW:
        return INFLOW
    outflows = [m for m in snap.migrations_of.get(person.id, ()) if m.kind == "2"]
    if not outflows:
        return person.residence
    return OUTFLOW if any(_active(m.start_date, m.end_date, day) for m in outflows) else RESIDENT


def measure_on(snap: Snapshot, woman: Person, day: dt.date) -> Measure | None:
    """The contraception record (节育措施) in force on ``day``: started on or before it and not ended by it; the
    latest started when records overlap. None when she has no record then. Method "000" means 未避孕."""
    return measure_in_force(snap.measures_of.get(woman.id, ()), day)


def measure_in_force(measures: tuple[Measure, ...], day: dt.date) -> Measure | None:
    """``measure_on`` given her measures (``Snapshot.measures_of``, in start order)."""
    for m in reversed(measures):
        if _active(m.start_date, m.end_date, day):
            return m
    return None


def has_measure(measure: Measure | None) -> bool:
    """A measure in force that is not 未避孕 "000"."""
    return measure is not None and measure.method != codes.NO_MEASURE


def has_card(person: Person, day: dt.date) -> bool:
    """持卡育龄妇女: a woman with an active card (档案卡) on ``day`` — in the registered population (outflow
    women included), aged 15–49 周岁, and married or once married (divorced and widowed women keep their card:
    WIS records them with the no-measure reason A94 离婚丧偶 and only cancels a card for over-age, moving out or
    death). The board's 已婚育龄妇女 count is narrower: see ``is_married_woman_of_childbearing_age``.
    """
    if person.sex != codes.FEMALE or person.marital_status not in EVER_MARRIED_STATUSES:
        return False
    if not in_population(person, day):
        return False
    years = age(person, day)
    return years is not None and CHILDBEARING_AGE[0] <= years <= CHILDBEARING_AGE[1]
