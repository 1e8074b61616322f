"""The score month by month through the statistics year (the score panel's chart).

Each month is scored as it stands in today's file: its computed items over that month's span (stocks on the
month's last day), the clerk's assessments in force then, and today's check findings (the ledgers keep no record
of which errors existed in a past month, so per-finding items show today's errors in every month).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from fpdesk.checks.finding import Finding
from fpdesk.dates import period_bounds, period_of, statistics_year_bounds
from fpdesk.indicators import default_findings
from fpdesk.score.engine import score
from fpdesk.score.loader import scheme_by_name
from fpdesk.score.scheme import Scheme
from fpdesk.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class MonthScore:
    """One point of the chart: period ('2026-11'), total, vetoed (a one-vote veto applies)."""

    period: str
    total: float
    vetoed: bool


def statistics_year_months(period: str) -> tuple[str, ...]:
    """The months of the statistics year of ``period``, from October up to ``period``."""
    day, _ = statistics_year_bounds(period_bounds(period)[0])
    months = []
    while (month := period_of(day)) <= period:
        months.append(month)
        day = period_bounds(month)[1] + dt.timedelta(days=1)
    return tuple(months)


def score_by_month(
    snap: Snapshot, scheme: Scheme | str, *, period: str, findings: Sequence[Finding] | None = None,
) -> tuple[MonthScore, ...]:
    """The total of each month of the statistics year up to ``period``, oldest first."""
    plan = scheme_by_name(scheme) if isinstance(scheme, str) else scheme
    found = default_findings(snap) if findings is None else findings
    out = []
    for month in statistics_year_months(period):
        sheet = score(snap, plan, period=month, findings=found, run_checks=False)
        out.append(MonthScore(month, sheet.total, sheet.vetoed))
    return tuple(out)
