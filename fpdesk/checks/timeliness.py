"""Timeliness (及时性): changes entered within the township's limit of days, and in their own month.

Only changes entered through the program have an entry date; an import is the baseline and writes no change
events, so nothing imported is ever late.
"""

from __future__ import annotations

import datetime as dt

from fpdesk import codes
from fpdesk.checks.facts import facts, iso, month_bounds, periods_of
from fpdesk.checks.finding import Finding, finding
from fpdesk.dates import period_label, period_of
from fpdesk.snapshot import Snapshot

# Services and benefits paid are not population changes: the report does not list them, lateness is not scored
# (``facts.changes`` leaves them out).


def _subject(snap: Snapshot, e):
    person = snap.person_by_id.get(e.person_id)
    return person.ref if person is not None and e.record_table in (None, "person") else e.ref


def check_changes_entered_in_time(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """变动录入及时: a change entered (or reported) in the month was entered within N days of happening (N is the
    setting “timeliness_days”, the township's limit, 30 unless set). It counts in the month it was entered."""
    f = facts(snap)
    limit = f.timeliness_days
    months = set(periods_of(snap, period))
    # the days of the months under check (one or two months running)
    bounds = [b for b in map(month_bounds, months) if b is not None] or [(dt.date.max, dt.date.min)]
    first, last = min(b[0] for b in bounds), max(b[1] for b in bounds)
    out = []
    for e in f.changes:
        if e.report_period not in months and not first <= e.entered_date <= last:
            continue  # neither entered nor reported in a month under check (most changes: long past)
        days = (e.entered_date - e.occurred_date).days
        if days <= limit:
            continue
        entered = period_of(e.entered_date)
        if entered not in months and e.report_period not in months:
            continue
        what = codes.label("change_type", e.change_type)
        out.append(finding("L001", e.ref, message=f"“{what}”发生于 {iso(e.occurred_date)}，{iso(e.entered_date)} 才录入，"
                                                  f"晚了{days}天（规定{limit}天内）。数据已无需更改；今后请在变动发生后{limit}天内录入。",
                           period=entered))
    return out


def check_changes_reported_in_their_month(snap: Snapshot, *, period: str | None = None) -> list[Finding]:
    """当月变动当月报: a change goes in the report of the month it happened; one entered after that month was
    submitted is a late report (补报) in a later month. (A change also entered more than N days late is counted
    once, as late entry.)"""
    f = facts(snap)
    limit = f.timeliness_days
    months = set(periods_of(snap, period))
    out = []
    for e in f.late_reports:
        if e.report_period not in months:
            continue
        if (e.entered_date - e.occurred_date).days > limit:
            continue
        what = codes.label("change_type", e.change_type)
        out.append(finding("L002", e.ref, message=f"“{what}”发生于 {iso(e.occurred_date)}，该月报告单报送后才录入，"
                                                  f"列为{period_label(e.report_period)}补报。今后请在当月报送前录入当月变动。",
                           period=e.report_period))
    return out
