"""计划生育服务册: the services delivered, the supplies handed out and the benefits paid, with their totals.

Money is kept in fen (分) and summed exactly; it is shown as yuan with two decimals.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from fpdesk import codes
from fpdesk.ledgers.common import CodeCount, code_counts, date_range, place_of, within, yuan
from fpdesk.records import Person, Ref, Service
from fpdesk.snapshot import Snapshot

SUPPLIES = "06"  # service kind 药具发放


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One service given: ref; date; kind_code / kind (服务类型); name, id_number, group, household_no of the person
    served; result, institution (服务机构), item (药具), quantity."""

    ref: Ref
    date: dt.date
    kind_code: str
    kind: str
    name: str
    id_number: str
    group: str
    household_no: str
    result: str
    institution: str
    item: str
    quantity: int | None


@dataclass(frozen=True, slots=True)
class ServiceBook:
    """Services in a range: rows (by date), by_kind (every service kind with its count), total (all rows)."""

    rows: tuple[ServiceRow, ...]
    by_kind: tuple[CodeCount, ...]

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class SupplyTotal:
    """药具 handed out per item: item (name as recorded), times (发放次数), quantity (数量; blanks count 0)."""

    item: str
    times: int
    quantity: int


@dataclass(frozen=True, slots=True)
class SupplyBook:
    """药具发放: rows (the 药具发放 services, by date) and totals per item (by item name)."""

    rows: tuple[ServiceRow, ...]
    totals: tuple[SupplyTotal, ...]


@dataclass(frozen=True, slots=True)
class BenefitRow:
    """One benefit paid (奖扶发放): ref; kind_code / kind; year (年度); amount_fen and amount (元); paid_date;
    name, id_number, group, household_no of the recipient."""

    ref: Ref
    kind_code: str
    kind: str
    year: int
    amount_fen: int
    amount: str
    paid_date: dt.date | None
    name: str
    id_number: str
    group: str
    household_no: str


@dataclass(frozen=True, slots=True)
class MoneyTotal:
    """A total per benefit kind: code, label, count (人次), amount_fen, amount (元)."""

    code: str
    label: str
    count: int
    amount_fen: int
    amount: str


@dataclass(frozen=True, slots=True)
class BenefitBook:
    """Benefits paid: rows (by year, date), by_kind (kinds that occur, in code-table order), total_fen / total (元)."""

    rows: tuple[BenefitRow, ...]
    by_kind: tuple[MoneyTotal, ...]
    total_fen: int

    @property
    def total(self) -> str:
        return yuan(self.total_fen)


def _service_row(snap: Snapshot, s: Service, who: Person) -> ServiceRow:
    place = place_of(snap, who)
    return ServiceRow(s.ref, s.service_date, s.kind, codes.label("service_kind", s.kind), who.name,
                      who.id_number or "", place.group, place.household_no, s.result, s.institution, s.item,
                      s.quantity)


def service_book(
    snap: Snapshot, *, kind: str | None = None, period: str | None = None, start: dt.date | None = None,
    end: dt.date | None = None,
) -> ServiceBook:
    """服务册: services given in the month or range (all when none given), optionally of one kind (服务类型 code)."""
    lo, hi = date_range(period=period, start=start, end=end)
    chosen = sorted((s for s in snap.services if (kind is None or s.kind == kind) and within(s.service_date, lo, hi)),
                    key=lambda s: (s.service_date, s.id))
    rows = tuple(_service_row(snap, s, snap.person_by_id[s.person_id]) for s in chosen)
    return ServiceBook(rows, code_counts("service_kind", Counter(r.kind_code for r in rows)))


def supplies_handed_out(
    snap: Snapshot, *, period: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
) -> SupplyBook:
    """药具发放: free contraceptive supplies handed out in the month or range, with totals per item."""
    rows = service_book(snap, kind=SUPPLIES, period=period, start=start, end=end).rows
    times, qty = Counter[str](), Counter[str]()
    for r in rows:
        times[r.item] += 1
        qty[r.item] += r.quantity or 0
    return SupplyBook(rows, tuple(SupplyTotal(item, times[item], qty[item]) for item in sorted(times)))


def benefits_paid(
    snap: Snapshot, *, year: int | None = None, kind: str | None = None, period: str | None = None,
    start: dt.date | None = None, end: dt.date | None = None,
) -> BenefitBook:
    """奖扶发放: benefits of a year (年度) and/or kind, optionally paid in a month or date range, with totals."""
    lo, hi = date_range(period=period, start=start, end=end)
    rows = []
    for b in snap.benefits:
        if (year is not None and b.year != year) or (kind is not None and b.kind != kind):
            continue
        if not within(b.paid_date, lo, hi):
            continue
        who = snap.person_by_id[b.person_id]
        place = place_of(snap, who)
        rows.append(BenefitRow(b.ref, b.kind, codes.label("benefit_kind", b.kind), b.year, b.amount_fen,
                               yuan(b.amount_fen), b.paid_date, who.name, who.id_number or "", place.group,
                               place.household_no))
    rows.sort(key=lambda r: (r.year, r.paid_date or dt.date.min, r.ref.id))
    count, fen = Counter[str](), Counter[str]()
    for r in rows:
        count[r.kind_code] += 1
        fen[r.kind_code] += r.amount_fen
    by_kind = tuple(MoneyTotal(c.code, c.label, c.count, fen[c.code], yuan(fen[c.code]))
                    for c in code_counts("benefit_kind", count) if c.count)
    return BenefitBook(tuple(rows), by_kind, sum(fen.values()))
