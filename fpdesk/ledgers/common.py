"""Small pieces the ledgers share: where a person lives (组别, 户编号), sort keys, code counts, money and ranges."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter, not_
from types import MappingProxyType
from typing import Any, Iterable, Mapping, TypeVar

from fpdesk import codes
from fpdesk.dates import period_bounds
from fpdesk.records import ChangeEvent, Person
from fpdesk.snapshot import NOT_CHANGES, Snapshot  # noqa: F401 (NOT_CHANGES: the ledgers' and checks' name for it)

T = TypeVar("T")
_DIGITS = re.compile(r"(\d+)")
_LAST = 1 << 62  # sorts after any real id: people without a group or household come last
_TYPE = attrgetter("change_type")


@dataclass(frozen=True, slots=True)
class CodeCount:
    """A count per code, for the tables that list every code of a table (methods, certificates, kinds).

    code: the stored code.
    label: its Chinese label.
    count: how many.
    """

    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Place:
    """Where a person belongs in the ledgers.

    group: 组别 (group name, "" when none).
    household_no: 户编号 ("" when none).
    address: 住址.
    """

    group: str
    household_no: str
    address: str


_NOWHERE = Place("", "", "")


def place_of(snap: Snapshot, person: Person) -> Place:
    """组别, 户编号 and address of a person, through the snapshot's lookups."""
    # the same for everyone in a household: a register of 10,000 people asks for ~3,000 of them
    places: dict[int, Place] = snap.derived("place_of", dict)
    place = places.get(person.household_id)  # type: ignore[arg-type]
    if place is None:
        hh = snap.household_of(person)
        if hh is None:
            return _NOWHERE
        group = snap.group_by_id.get(hh.group_id) if hh.group_id is not None else None
        place = places[hh.id] = Place(group.name if group else "", hh.number, hh.address)
    return place


def natural_key(text: str) -> tuple:
    """Sort key that puts household "2" before "10" (numbers inside the text compare as numbers)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _DIGITS.split(text) if part)


_NO_HOUSEHOLD = (_LAST, ((2, 0, ""),))


def person_sort_key(snap: Snapshot, person: Person) -> tuple:
    """Group (in the order the groups were set up), household number, relation to the head, oldest first."""
    # the household's part once per household: the number's natural key is a regular-expression split
    orders: dict[int, tuple] = snap.derived("household_order", dict)
    order = orders.get(person.household_id)  # type: ignore[arg-type]
    if order is None:
        hh = snap.household_of(person)
        if hh is None:
            order = _NO_HOUSEHOLD
        else:
            order = orders[hh.id] = (hh.group_id if hh.group_id is not None else _LAST, natural_key(hh.number))
    return (*order, person.relation or "99", person.birth_date or dt.date.max, person.id)


def code_counts(table: str, counts: Mapping[str, int]) -> tuple[CodeCount, ...]:
    """Every code of ``table`` in code-table order with its count (zero included), then unknown codes found."""
    known = codes.table(table)
    rows = [CodeCount(code, lab, counts.get(code, 0)) for code, lab in known.items()]
    rows += [CodeCount(code, code, n) for code, n in sorted(counts.items()) if code not in known]
    return tuple(rows)


def yuan(fen: int) -> str:
    """Money stored in fen (分) as yuan with two decimals: 360000 -> "3600.00". Exact, no float."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def date_range(
    *, period: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """Inclusive bounds from a month ('2026-11') or from start/end (None = open). Not both."""
    if period is not None:
        if start is not None or end is not None:
            raise ValueError("give a period or a date range, not both")
        return period_bounds(period)
    return start, end


def within(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    """``day`` lies in [start, end]; an unknown day lies in no bounded range."""
    if day is None:
        return start is None and end is None
    return (start is None or day >= start) and (end is None or day <= end)


def by_id(records: Iterable[T]) -> dict[int, T]:
    """Records keyed by id (the snapshot keeps lookups per owner; reports that follow record_id need these)."""
    return {r.id: r for r in records}  # type: ignore[attr-defined]


def records_by_id(snap: Snapshot, field: str) -> Mapping[int, Any]:
    """The records of one of the snapshot's tables ("births", "marriages" …) by id: ``by_id``, made once per
    snapshot (each month's change report and several checks follow record ids)."""
    return snap.derived(("by_id", field), lambda: by_id(getattr(snap, field)))




def changes_by_type(snap: Snapshot) -> Mapping[str, tuple[ChangeEvent, ...]]:
    """The change events that are changes (``NOT_CHANGES`` left out) by change type, each type's in id order, the
    types in the order they first occur; made once per snapshot (the change reports and the checks read a few
    types each)."""
    def by_type() -> Mapping[str, tuple[ChangeEvent, ...]]:
        # The events are in id order: the services and benefits are passed over in C (a third the time of
        # gathering each person's changes and sorting them by id again: ~0.3 s of a 1,000,000-person check).
        events = snap.events
        out: dict[str, list[ChangeEvent]] = defaultdict(list)
        for e in compress(events, map(not_, map(NOT_CHANGES.__contains__, map(_TYPE, events)))):
            out[e.change_type].append(e)
        return MappingProxyType({t: tuple(changes) for t, changes in out.items()})

    return snap.derived("changes_by_type", by_type)


def changes_by_period(snap: Snapshot) -> Mapping[str, tuple[ChangeEvent, ...]]:
    """The change events that are changes (``NOT_CHANGES`` left out) by the report period they are listed in;
    within a period by type (in ``changes_by_type`` order), then id."""
    def by_period() -> Mapping[str, tuple[ChangeEvent, ...]]:
        out: dict[str, list[ChangeEvent]] = defaultdict(list)
        for events in changes_by_type(snap).values():
            for e in events:
                out[e.report_period].append(e)
        return MappingProxyType({p: tuple(events) for p, events in out.items()})

    return snap.derived("changes_by_period", by_period)


def changes_of_period(snap: Snapshot, period: str) -> tuple[ChangeEvent, ...]:
    """The changes listed in the report of ``period`` ('2026-10'): ``changes_by_period``'s."""
    return changes_by_period(snap).get(period, ())
