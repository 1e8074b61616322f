"""Completeness and timeliness of a month (报送情况): which villages reported, which late, which are missing.

A month's report is due on the township's deadline day of the next month. A village's report counts as handed in
on the day of its first submission for the month (``Submission.handed_in``); a correction later on does not make
an on-time report late, and is shown as 更正 n 次. Before the deadline a village that has not reported is 待报
(not yet due); after it, 未报 (missing).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from fpdesk.dates import parse_period, period_bounds, period_of
from fpdesk.township.setup import Township, township_info, villages
from fpdesk.township.store import Submission, submissions
from fpdesk.township.villages import VillageEntry

ON_TIME, LATE, AWAITING, MISSING = "on_time", "late", "awaiting", "missing"
STATE_LABELS = {ON_TIME: "按时报送", LATE: "逾期报送", AWAITING: "待报送", MISSING: "未报送"}


@dataclass(frozen=True, slots=True)
class VillageMonth:
    """One village in one month.

    village; state: "on_time", "late", "awaiting" (not reported, deadline not passed), "missing".
    due: the deadline; handed_in: the day of its first report (None when none); days_late: days after the
    deadline (0 when on time or not reported).
    current: the submission in force (None when none); corrections: how many corrections were imported.
    """

    village: VillageEntry
    state: str
    due: dt.date
    handed_in: dt.date | None
    days_late: int
    current: Submission | None
    corrections: int

    @property
    def reported(self) -> bool:
        return self.current is not None

    @property
    def label(self) -> str:
        """What the list shows: 按时报送 / 逾期 3 天 / 待报送 / 未报送, with 更正 n 次."""
        text = f"逾期 {self.days_late} 天" if self.state == LATE else STATE_LABELS[self.state]
        return text + (f"（更正 {self.corrections} 次）" if self.corrections else "")


@dataclass(frozen=True, slots=True)
class MonthStatus:
    """The township's reporting for one month.

    period; due: the deadline; today: the day it was worked out on; villages: every village in list order.
    """

    period: str
    due: dt.date
    today: dt.date
    villages: tuple[VillageMonth, ...]

    def _with(self, *states: str) -> tuple[VillageMonth, ...]:
        return tuple(v for v in self.villages if v.state in states)

    @property
    def reported(self) -> tuple[VillageMonth, ...]:
        return self._with(ON_TIME, LATE)

    @property
    def on_time(self) -> tuple[VillageMonth, ...]:
        return self._with(ON_TIME)

    @property
    def late(self) -> tuple[VillageMonth, ...]:
        return self._with(LATE)

    @property
    def missing(self) -> tuple[VillageMonth, ...]:
        """Not reported, whether or not the deadline has passed."""
        return self._with(MISSING, AWAITING)

    @property
    def summary(self) -> str:
        """已报 38/40（按时 36，逾期 2），未报 2：…"""
        n = len(self.villages)
        text = f"已报 {len(self.reported)}/{n}（按时 {len(self.on_time)}，逾期 {len(self.late)}）"
        if self.missing:
            word = "未报" if self.today > self.due else "待报"
            names = "、".join(v.village.name for v in self.missing[:8]) + ("等" if len(self.missing) > 8 else "")
            text += f"，{word} {len(self.missing)}：{names}"
        return text


def _village_month(village: VillageEntry, history: list[Submission], *, due: dt.date,
                   today: dt.date) -> VillageMonth:
    current = next((s for s in history if s.in_force), None)
    if current is None:
        return VillageMonth(village=village, state=AWAITING if today <= due else MISSING, due=due, handed_in=None,
                            days_late=0, current=None, corrections=0)
    first = min(s.handed_in for s in history)
    late = (first - due).days
    return VillageMonth(village=village, state=LATE if late > 0 else ON_TIME, due=due, handed_in=first,
                        days_late=max(0, late), current=current, corrections=len(history) - 1)


def month_status(conn: sqlite3.Connection, period: str, *, today: dt.date | None = None) -> MonthStatus:
    """Which villages reported ``period``, on time or late, and which have not."""
    month = parse_period(period)
    info = township_info(conn)
    day = today or dt.date.today()
    due = info.due(month)
    by_village: dict[str, list[Submission]] = {}
    for s in submissions(conn, period=month, in_force=None):
        by_village.setdefault(s.village_code, []).append(s)
    rows = tuple(_village_month(v, by_village.get(v.code, []), due=due, today=day) for v in villages(conn))
    return MonthStatus(period=month, due=due, today=day, villages=rows)


@dataclass(frozen=True, slots=True)
class MonthCount:
    """One month of the submissions-over-time chart: period, on_time, late, missing (deadline passed), awaiting
    (not reported, deadline not yet passed), villages (the township's number of villages)."""

    period: str
    on_time: int
    late: int
    missing: int
    awaiting: int
    villages: int


def months_between(first: str, last: str) -> tuple[str, ...]:
    """Every month from ``first`` to ``last`` inclusive."""
    out = []
    month = first
    while month <= last:
        out.append(month)
        month = period_of(period_bounds(month)[1] + dt.timedelta(days=1))
    return tuple(out)


def reporting_over_time(conn: sqlite3.Connection, *, until: str | None = None, months: int = 12,
                        today: dt.date | None = None) -> tuple[MonthCount, ...]:
    """On time / late / missing per month for the last ``months`` months up to ``until`` (default: last month),
    from the first month any village reported (the months before the township used the program would only show
    every village as missing)."""
    info: Township = township_info(conn)
    day = today or dt.date.today()
    last = parse_period(until) if until else period_of(day.replace(day=1) - dt.timedelta(days=1))
    first = conn.execute("SELECT min(period) FROM submission").fetchone()[0] or last
    span = months_between(max(info.start_period, min(first, last)), last)[-months:]
    if not span:
        return ()
    all_villages = villages(conn)
    history: dict[tuple[str, str], list[Submission]] = {}
    for s in submissions(conn, in_force=None):
        if span[0] <= s.period <= span[-1]:
            history.setdefault((s.period, s.village_code), []).append(s)
    out = []
    for month in span:
        due = info.due(month)
        states = [_village_month(v, history.get((month, v.code), []), due=due, today=day).state for v in all_villages]
        out.append(MonthCount(period=month, on_time=states.count(ON_TIME), late=states.count(LATE),
                              missing=states.count(MISSING), awaiting=states.count(AWAITING),
                              villages=len(all_villages)))
    return tuple(out)
