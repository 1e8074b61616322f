"""The clerk's desk: what happened in the village waits here until the day the clerk enters it.

The simulation hands over each change as it happens (the day it happened, who it touches, the service call
that records it). The desk decides the entry day — most changes a few days later, a few more than 40 days late —
and then makes every service call in entry order, passing that day as ``today`` so that entry dates, operation
timestamps and the audit trail read like a clerk's real month. A person's changes are never entered out of the
order they happened, so each service sees the records it expects.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass
from typing import Callable, Sequence

from fpdesk import ops

Call = Callable[[sqlite3.Connection, dt.date], None]

# kinds of entries, by how soon the clerk enters them
BASELINE = "baseline"   # the village as it stood when the file began (no change events)
HISTORY = "history"     # the past of a family moving in, entered with its move (no change events)
CHANGE = "change"       # member changes and births (报告单): 1–10 days, sometimes 40+ days late
CARD = "card"           # contraception, pregnancies, corrections: 1–10 days
SERVICE = "service"     # check-ups, follow-ups, supplies: within a week
PAY = "pay"             # benefits and certificates: within a few days
PLANT = "plant"         # the planted errors, entered on the last day

LATE_SHARE = 0.015      # share of member changes entered 40–75 days late
# Days from a change to its entry, most within the week: 1 day (16%), 2 (18%), 3 (16%) … 10 (4%).
_PROMPT = tuple(d for d, share in zip(range(1, 11), (16, 18, 16, 12, 10, 8, 7, 5, 4, 4)) for _ in range(share))


@dataclass(slots=True)
class Entry:
    """One change waiting to be entered.

    occurred: the day it happened.
    delay: days until the clerk enters it (before ordering).
    who: the people and households whose records it touches (their changes are entered in order).
    call: the service call, ``call(conn, today)``.
    kind: BASELINE, HISTORY, CHANGE, CARD, SERVICE, PAY or PLANT.
    day: the entry day, once scheduled.
    """

    occurred: dt.date
    delay: int
    who: tuple[object, ...]
    call: Call
    kind: str
    day: dt.date | None = None


class Desk:
    """The queue of entries; ``run`` writes them all."""

    def __init__(self, *, rng: random.Random, start: dt.date, as_of: dt.date) -> None:
        self.rng = rng
        self.start = start
        self.as_of = as_of
        self.entries: list[Entry] = []
        self.changes_by_month: dict[tuple[int, int], int] = {}

    def add(self, kind: str, occurred: dt.date, who: Sequence[object], call: Call) -> None:
        """Hand over one change: it happened on ``occurred`` and touches the records of ``who``."""
        if occurred > self.as_of:
            raise ValueError(f"the demo cannot enter a change dated after as_of: {occurred}")
        r = self.rng.random
        if kind in (BASELINE, HISTORY, PLANT):
            delay = 0
        elif kind == CHANGE:
            key = (occurred.year, occurred.month)
            self.changes_by_month[key] = self.changes_by_month.get(key, 0) + 1
            delay = 40 + int(r() * 36) if r() < LATE_SHARE else _PROMPT[int(r() * len(_PROMPT))]
        elif kind == CARD:
            delay = _PROMPT[int(r() * len(_PROMPT))]
        elif kind == SERVICE:
            delay = int(r() * 7)
        else:
            delay = int(r() * 4)
        self.entries.append(Entry(occurred, delay, tuple(who), call, kind))

    def _late_recent(self) -> None:
        """A few recent changes entered late: two entered this month — that happened last month if any did early
        enough (the checks look at last month's and this month's reports, so they show there as late entries) —
        and one entered last month."""
        rng = self.rng
        this_month = self.as_of.replace(day=1)
        last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
        day = dt.timedelta(days=1)
        plans = (   # (where the change happened: preferred window first), entered from, entered until, how many
            (((last_month, self.as_of - 41 * day), (self.as_of - 75 * day, self.as_of - 41 * day)),
             this_month, self.as_of, 2),
            (((last_month - 75 * day, this_month - 42 * day),), last_month, this_month - day, 1),
        )
        for windows, entry_from, entry_to, count in plans:
            for lo, hi in windows:
                pool = [e for e in self.entries if e.kind == CHANGE and e.delay < 40 and lo <= e.occurred <= hi]
                if pool:
                    break
            for e in rng.sample(pool, min(count, len(pool))):
                first = max(entry_from, e.occurred + 41 * day)
                e.delay = (first - e.occurred).days + int(rng.random() * ((entry_to - first).days + 1))

    def schedule(self) -> list[Entry]:
        """Entry days for everything, in the order the clerk enters them."""
        self._late_recent()
        last: dict[int, dt.date] = {}
        for e in self.entries:
            day = e.occurred + dt.timedelta(days=e.delay)
            for thing in e.who:
                seen = last.get(id(thing))
                if seen is not None and seen > day:
                    day = seen
            day = min(day, self.as_of)
            e.day = day
            for thing in e.who:
                last[id(thing)] = day
        order = sorted(range(len(self.entries)), key=lambda i: (self.entries[i].day, i))
        return [self.entries[i] for i in order]

    def run(self, conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int:
        """Enter everything (inside the caller's batch). Returns the number of entries."""
        entries = self.schedule()
        total = len(entries)
        step = max(1, total // 200)
        done = 0
        if progress is not None:
            progress(0, total)
        head = [e for e in entries if e.kind == BASELINE]
        with ops.baseline(conn):
            for e in head:
                e.call(conn, e.day)
                done += 1
                if progress is not None and done % step == 0:
                    progress(done, total)
        for e in entries:
            if e.kind == BASELINE:
                continue
            if e.kind == HISTORY:
                with ops.baseline(conn):
                    e.call(conn, e.day)
            else:
                e.call(conn, e.day)
            done += 1
            if progress is not None and done % step == 0:
                progress(done, total)
        if progress is not None:
            progress(total, total)
        return total
