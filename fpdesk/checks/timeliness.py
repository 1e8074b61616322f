"""Timeliness (及时性): changes entered within the township's limit of days, and in their own month.

Only changes entered through the program have an entry date; an import is the baseline and writes no change
events, so nothing imported is ever late.
"""

from __future__ import annotations

import datetime as dt

from fpdesk import codes
from fpdesk.checks.facts import NOT_CHANGES, facts, iso, month_bounds, periods_of
from fpdesk.checks.finding import Finding, finding
from fpdesk.dates import period_label, period_of
from fpdesk.snapshot import Snapshot

# Services and benefits paid are not population changes: the report does not list them, lateness is not scored
# (``changes_by_type`` leaves them out).


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
    # Every event as it is stored, services and benefits paid (``NOT_CHANGES``) passed over after the dates: at
    # 400,000 persons reading them all where they lie costs less than reading the changes type by type, scattered
    # among the services (−20 %).
    for e in snap.events:
        if e.report_period not in months and not first <= e.entered_date <= last:
            continue  # neither entered nor reported in a month under check (most changes: long past)
        if e.change_type in NOT_CHANGES:
            continue
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
    # The late reports (补报: dated outside the month they are listed in) of the months under check, from their
    # own changes only: the late reports of every month are a pass over all changes that nothing else needs.
    for listed, events in f.changes_by_period.items():
        if listed not in months:
            continue
        month = month_bounds(listed)
        for e in events:
            if month is not None and month[0] <= e.occurred_date <= month[1]:
                continue  # in its own month
            if (e.entered_date - e.occurred_date).days > limit:
                continue
            what = codes.label("change_type", e.change_type)
            out.append(finding("L002", e.ref, message=f"“{what}”发生于 {iso(e.occurred_date)}，该月报告单报送后才录入，"
                                                      f"列为{period_label(e.report_period)}补报。今后请在当月报送前录入当月变动。",
                               period=e.report_period))
    return out
