"""The monthly reporting deadline (报送截止): the report of a month is due on a set day of the next month."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from fpdesk.dates import period_bounds, period_of, previous_period

DEFAULT_DEADLINE_DAY = 5


@dataclass(frozen=True, slots=True)
class Deadline:
    """The next report due.

    period: the month whose report is due ('2026-11').
    due: the last day to hand it in.
    days_left: days from today to ``due`` (0 = today is the last day).
    """

    period: str
    due: dt.date
    days_left: int

    @property
    def text(self) -> str:
        """The countdown as the context bar shows it."""
        month = f"{int(self.period[5:])}月报表"
        if self.days_left == 0:
            return f"{month}今天截止报送"
        return f"距{month}报送截止还有 {self.days_left} 天"


def due_date(period: str, deadline_day: int) -> dt.date:
    """The deadline of a month's report: ``deadline_day`` of the following month (clamped to its length)."""
    _, last = period_bounds(period)
    nxt = last + dt.timedelta(days=1)
    day = max(1, min(deadline_day, calendar.monthrange(nxt.year, nxt.month)[1]))
    return nxt.replace(day=day)


def next_deadline(today: dt.date, deadline_day: int = DEFAULT_DEADLINE_DAY, *, submitted: frozenset[str] = frozenset()) -> Deadline:
    """The report due next: last month's while its deadline has not passed and it is not yet submitted, else this
    month's."""
    last_month = previous_period(period_of(today))
    due = due_date(last_month, deadline_day)
    if today <= due and last_month not in submitted:
        return Deadline(last_month, due, (due - today).days)
    this_month = period_of(today)
    due = due_date(this_month, deadline_day)
    return Deadline(this_month, due, (due - today).days)
