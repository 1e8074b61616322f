"""The registry of indicators (a tuple: nobody appends to it) and the calculator that evaluates them."""

from __future__ import annotations

from types import MappingProxyType
from typing import Iterable, Mapping, Sequence

from fpdesk.checks import run_checks
from fpdesk.checks.finding import Finding
from fpdesk.indicators.admin import ADMIN_INDICATORS
from fpdesk.indicators.base import HIGHER, Indicator, IndicatorValue, Span, rate
from fpdesk.indicators.births import BIRTH_INDICATORS
from fpdesk.indicators.care import CARE_INDICATORS
from fpdesk.indicators.contraception import CONTRACEPTION_INDICATORS
from fpdesk.indicators.context import Context
from fpdesk.snapshot import Snapshot

INDICATORS: tuple[Indicator, ...] = BIRTH_INDICATORS + CONTRACEPTION_INDICATORS + CARE_INDICATORS + ADMIN_INDICATORS
BY_KEY: Mapping[str, Indicator] = MappingProxyType({i.key: i for i in INDICATORS})
assert len(BY_KEY) == len(INDICATORS), "indicator keys must be unique"


def indicator(key: str) -> Indicator:
    """The registry entry of ``key``; KeyError for an unknown key."""
    return BY_KEY[key]


def evaluate(ind: Indicator, ctx: Context) -> IndicatorValue:
    """One indicator over the context's span."""
    c = ind.compute(ctx)
    num = len(c.numerator) if c.numerator_count is None else c.numerator_count
    den = len(c.denominator) if c.denominator_count is None else c.denominator_count
    if c.shortfall is not None:
        short = tuple(c.shortfall)
    elif ind.better == HIGHER:
        counted = {id(r) for r in c.numerator}     # the same record objects of one snapshot: identity will do
        short = tuple(r for r in c.denominator if id(r) not in counted)
    else:
        short = tuple(c.numerator)
    note = f"分子：{ind.numerator}；分母：{ind.denominator}" + (f"（{c.note}）" if c.note else "")
    return IndicatorValue(
        key=ind.key, name=ind.name, unit=ind.unit, span=ctx.span, day=ctx.day, numerator=num, denominator=den,
        value=rate(num, den, ind.unit), numerator_records=tuple(c.numerator), denominator_records=tuple(c.denominator),
        shortfall_records=short, better=ind.better, note=note,
    )


class Calculator:
    """Indicator values of one snapshot, each computed once per span (the shared counts of a span once too).

    findings: the check findings (for the accuracy indicators), or None when the checks were not run.
    """

    def __init__(self, snap: Snapshot, findings: Sequence[Finding] | None = None) -> None:
        self.snap = snap
        self.findings = findings
        self._contexts: dict[Span, Context] = {}
        self._values: dict[tuple[str, Span], IndicatorValue] = {}

    def context(self, span: Span) -> Context:
        ctx = self._contexts.get(span)
        if ctx is None:
            ctx = self._contexts[span] = Context(self.snap, span, self.findings)
        return ctx

    def value(self, key: str, span: Span) -> IndicatorValue:
        """The indicator ``key`` over ``span``."""
        hit = self._values.get((key, span))
        if hit is None:
            hit = self._values[(key, span)] = evaluate(BY_KEY[key], self.context(span))
        return hit


def compute(snap: Snapshot, key: str, span: Span, *, findings: Sequence[Finding] | None = None) -> IndicatorValue:
    """One indicator of ``snap`` over ``span``."""
    return Calculator(snap, findings).value(key, span)


def compute_all(
    snap: Snapshot, span: Span, *, keys: Iterable[str] | None = None, findings: Sequence[Finding] | None = None,
) -> Mapping[str, IndicatorValue]:
    """Every indicator (or those of ``keys``) over ``span``, in registry order, sharing one pass."""
    calc = Calculator(snap, findings)
    wanted = [i.key for i in INDICATORS] if keys is None else list(keys)
    return MappingProxyType({k: calc.value(k, span) for k in wanted})


def default_findings(snap: Snapshot) -> tuple[Finding, ...]:
    """The findings of the full check (``fpdesk.checks.run_checks``)."""
    return tuple(run_checks(snap))
