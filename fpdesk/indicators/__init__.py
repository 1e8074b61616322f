"""Indicators (指标): every rate the township scores a village on, with an exact numerator and denominator.

    span = span_for("2026-11", YTD)                 # or MONTH, YEAR, LAST12; spans_for gives the first three
    v = compute(snap, "policy_birth_rate", span)    # IndicatorValue: value (None = 无数据), counts, refs
    v.shortfall_refs                                # the births out of policy: open them to fix or explain

Each definition (numerator and denominator in the clerk's words) is on its registry entry, ``INDICATORS``; the
village settings that change a definition are listed in ``context.SETTING_DEFAULTS`` and ``long_acting_scope``.
"""

from fpdesk.indicators.base import (
    HIGHER, LAST12, LOWER, MONTH, PER_MILLE, PERCENT, RATIO, SPAN_KINDS, YEAR, YTD, Indicator, IndicatorValue, Span,
    span_for, spans_for,
)
from fpdesk.indicators.context import SETTING_DEFAULTS, Context
from fpdesk.indicators.registry import (
    BY_KEY, INDICATORS, Calculator, compute, compute_all, default_findings, evaluate, indicator,
)

__all__ = [
    "BY_KEY", "Calculator", "Context", "HIGHER", "INDICATORS", "Indicator", "IndicatorValue", "LAST12", "LOWER",
    "MONTH", "PERCENT", "PER_MILLE", "RATIO", "SETTING_DEFAULTS", "SPAN_KINDS", "Span", "YEAR", "YTD", "compute",
    "compute_all", "default_findings", "evaluate", "indicator", "span_for", "spans_for",
]
