"""Which scheme and which month a village is scored under: the village settings ``score_scheme`` and
``score_period``.

score_scheme: a scheme key (``fpdesk score --scheme`` lists them) or the path of a township's scheme file; when
unset, the 2026 example scheme (today's policy).
score_period: a month ('2026-11'); when unset, the month whose report is due next (the one the clerk is
working on: last month until its deadline, this month after).
"""

from __future__ import annotations

from typing import Sequence

from fpdesk.checks.finding import Finding
from fpdesk.dates import parse_period
from fpdesk.deadline import DEFAULT_DEADLINE_DAY, next_deadline
from fpdesk.errors import InputError
from fpdesk.score.engine import ScoreSheet, score
from fpdesk.score.loader import scheme_by_name
from fpdesk.score.scheme import Scheme
from fpdesk.snapshot import Snapshot

SCHEME_SETTING, PERIOD_SETTING = "score_scheme", "score_period"
DEFAULT_SCHEME = "village_2026_example"


def village_scheme(snap: Snapshot) -> Scheme:
    """The scheme the village is scored under (``SchemeError`` when the setting names none that exists)."""
    return scheme_by_name(snap.settings.get(SCHEME_SETTING, "").strip() or DEFAULT_SCHEME)


def village_period(snap: Snapshot) -> str:
    """The month the village is scored for."""
    text = snap.settings.get(PERIOD_SETTING, "").strip()
    if text:
        try:
            return parse_period(text)
        except InputError:
            pass  # a damaged setting falls back to the month being worked on
    submitted = frozenset(lock.period for lock in snap.locks)
    return next_deadline(snap.as_of, snap.setting_int("deadline_day", DEFAULT_DEADLINE_DAY),
                         submitted=submitted).period


def village_score(snap: Snapshot, *, findings: Sequence[Finding] | None = None) -> ScoreSheet:
    """The score under the village's own scheme and month (what the score panel shows)."""
    return score(snap, village_scheme(snap), period=village_period(snap), findings=findings)
