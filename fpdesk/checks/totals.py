"""The numbers the whole-village rules compare, kept as running sums so that an edit need not recount them.

Five rules compare totals of the whole village: the board against the registers (X006), the month's operations
against their parts (T002), the month's population balance (T004), this month's start against last month's end
(T005) and last month's submitted end against this month's start (T006). Each compares counts of women, births,
changes and people — sums over persons of what each person's own records and change events add. ``totals(snap)``
gives those differences as one mapping; it adds up: the totals of a village are the totals of any split of its
people into parts. So after an edit, ``checks.incremental`` subtracts the totals of the people it touched as they
were and adds them as they are, and runs a rule in full only when its totals show something to find (``GATES``).

A gate is a necessary condition of its rule's findings, never a replacement: when it opens, the rule itself runs
on the whole snapshot and says what it finds.
"""

from __future__ import annotations

from typing import Callable, Mapping

from fpdesk.checks import cross_ledger, monthly
from fpdesk.checks.facts import NOT_CHANGES, default_periods
from fpdesk.dates import period_bounds, previous_period
from fpdesk.ledgers.change_report import monthly_change_report
from fpdesk.snapshot import Snapshot

Totals = dict[tuple, int]


def totals(snap: Snapshot) -> Totals:
    """The compared numbers of ``snap`` as differences that are zero when the rule has nothing to find (see the
    module docstring), with zeros left out."""
    out: Totals = {}

    def add(key: tuple, n: int) -> None:
        if n:
            out[key] = out.get(key, 0) + n

    for what, on_board, in_books in cross_ledger.board_and_registers(snap):
        add(("X006", what), on_board - in_books)
    months = default_periods(snap)
    for p in months:
        t = monthly_change_report(snap, p).table
        ops = t.operations
        parts = (ops.vasectomy + ops.tubal_ligation + ops.iud_insertion + ops.iud_removal + ops.implant
                 + ops.abortion + ops.induced_labour)
        add(("T002", p, "parts"), parts - ops.total)
        add(("T002", p, "first"), ops.iud_insertion - ops.iud_insertion_after_first_child)
        add(("T004", p), t.balance_gap)
        add(("T005", p, "start"), t.population_start)
        add(("T005", p, "end"), t.population_end)
    bounds = {p: period_bounds(p) for p in months}
    submitted = {p: monthly.submitted_on(snap, previous_period(p)) for p in months}
    for e in snap.events:
        sign = monthly.SIGN.get(e.change_type)
        if sign is None or e.change_type in NOT_CHANGES:
            continue
        for p in months:
            first, last = bounds[p]
            # T004: a change of this month reported in a later one (补报) is in the dated end population
            if first <= e.occurred_date <= last and e.report_period > p \
                    and e.occurred_date.isoformat()[:7] != e.report_period:
                add(("T004", p), -sign)
            # T006: a change of last month or before, entered after last month was submitted, listed this month
            day = submitted[p]
            if day is not None and e.report_period == p and e.occurred_date < first and e.entered_date > day:
                add(("T006", p), sign)
    return {k: n for k, n in out.items() if n}


def combine(base: Mapping[tuple, int], minus: Mapping[tuple, int], plus: Mapping[tuple, int]) -> Totals:
    """``base`` − ``minus`` + ``plus``, zeros left out."""
    out = dict(base)
    for parts, sign in ((minus, -1), (plus, 1)):
        for key, n in parts.items():
            v = out.get(key, 0) + sign * n
            if v:
                out[key] = v
            else:
                out.pop(key, None)
    return out


def _t002(t: Mapping[tuple, int], months: tuple[str, ...]) -> bool:
    return any(t.get(("T002", p, "parts")) or t.get(("T002", p, "first"), 0) < 0 for p in months)


def _t005(t: Mapping[tuple, int], months: tuple[str, ...]) -> bool:
    return any(t.get(("T005", p, "start"), 0) != t.get(("T005", previous_period(p), "end"), 0)
               for p in months if previous_period(p) in months)


# Whether a rule may find anything, given the totals and the months under check.
GATES: Mapping[Callable, Callable[[Mapping[tuple, int], tuple[str, ...]], bool]] = {
    cross_ledger.check_board_matches_registers: lambda t, months: any(k[0] == "X006" for k in t),
    monthly.check_operations_add_up: _t002,
    monthly.check_population_balances: lambda t, months: any(t.get(("T004", p)) for p in months),
    monthly.check_month_starts_where_last_ended: _t005,
    monthly.check_submitted_month_unchanged: lambda t, months: any(t.get(("T006", p)) for p in months),
}
