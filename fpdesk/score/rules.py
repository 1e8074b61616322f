"""Applying one rule of an item: how many points it takes (or, in a bonus item, gives), why, and the records behind.

The rounding of an indicator's gap is the scheme's ("每低一个百分点扣1分"): ``ceil`` (the default) counts a started
percentage point as a whole one, so 85.4% against 88% is 2.6 points short, counted as 3: a self-assessment should
warn the clerk rather than flatter her, and a township reading the same words strictly deducts 3. ``half_up``
counts 2.6 as 3 and 2.4 as 2; ``floor`` only whole points; ``exact`` the gap itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from fpdesk.checks.finding import KINDS, Finding
from fpdesk.indicators import Calculator, IndicatorValue, Span, span_for
from fpdesk.records import Ref
from fpdesk.score.assess import Assessment
from fpdesk.score.scheme import (
    ASSESSED, COUNT, ENTERED, FINDINGS, INDICATOR, MAX, ROUNDINGS, SHORTFALL, Rule,
)

UNIT_WORDS = {"%": "个百分点", "‰": "个千分点", "": "个点"}


@dataclass(frozen=True, slots=True)
class Loss:
    """One reason an item lost points (in a bonus item: earned them).

    rule: the rule's key within the item; kind: the rule kind.
    amount: the points this reason takes (gives), exact, before the item's and the article's caps.
    reason: why, in Chinese, with the figures ("符合政策生育率 85.4%（427/500），低于目标 88% …扣 3 分").
    refs: the records behind it (births out of policy, women not checked, the records with findings).
    indicator: the indicator value it was computed from, if any.
    findings: the findings it counts, if any.
    """

    rule: str
    kind: str
    amount: Fraction
    reason: str
    refs: tuple[Ref, ...] = ()
    indicator: IndicatorValue | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def points(self) -> float:
        """The points as shown (two decimals at most)."""
        return round(float(self.amount), 2)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one rule came to: amount (exact), the loss lines (empty when nothing is lost), remarks that are not
    losses ("无数据，不扣分"), and the indicator values it read."""

    amount: Fraction
    losses: tuple[Loss, ...] = ()
    notes: tuple[str, ...] = ()
    values: tuple[IndicatorValue, ...] = ()


def pts(x: Fraction) -> str:
    """Points as printed: 3, 0.2, 1.4."""
    return f"{round(float(x), 2):g}"


def gap_units(gap: Fraction, rounding: str) -> Fraction:
    """How many (percentage) points a gap counts as under ``rounding``; zero or less counts nothing."""
    if gap <= 0:
        return Fraction(0)
    if rounding == "ceil":
        return Fraction(math.ceil(gap))
    if rounding == "floor":
        return Fraction(math.floor(gap))
    if rounding == "half_up":
        return Fraction(math.floor(gap + Fraction(1, 2)))
    return gap


def _capped(rule: Rule, amount: Fraction) -> Fraction:
    return amount if rule.cap is None else min(amount, rule.cap)


def _gap_outcome(rule: Rule, *, name: str, exact: Fraction, shown: str, unit: str, bonus: bool,
                 records: Sequence = (), value: IndicatorValue | None = None) -> Outcome:
    target = rule.target or Fraction(0)
    below = rule.direction != MAX
    gap = (target - exact) if below else (exact - target)
    if bonus:
        gap = -gap                           # a bonus pays for being beyond the target
    units = gap_units(gap, rule.rounding)
    amount = _capped(rule, units * rule.per)
    if amount <= 0:
        return Outcome(Fraction(0), values=(value,) if value else ())
    side = ("高于" if below else "低于") if bonus else ("低于" if below else "高于")
    word = UNIT_WORDS.get(unit, "个点")
    how = "" if rule.rounding == "exact" or units == gap else f"，{ROUNDINGS[rule.rounding]}"
    verb = "加" if bonus else "扣"
    reason = (f"{name} {shown}，{side}目标 {pts(target)}{unit}：差 {pts(gap)} {word}{how}，"
              f"{pts(units)} × {pts(rule.per)} 分 = {verb} {pts(amount)} 分")
    if rule.cap is not None and amount < units * rule.per:
        reason += f"（本规则最多{verb} {pts(rule.cap)} 分）"
    loss = Loss(rule.key, rule.kind, amount, reason, tuple(r.ref for r in records), value)
    return Outcome(amount, (loss,), values=(value,) if value else ())


def _span(rule_span: str | None, default: Span) -> Span:
    return default if rule_span is None or rule_span == default.kind else span_for(default.period, rule_span)


def indicator_rule(rule: Rule, calc: Calculator, span: Span, *, bonus: bool) -> Outcome:
    v = calc.value(rule.indicator or "", _span(rule.span, span))
    name = rule.label or v.name
    exact = v.exact
    if exact is None:
        return Outcome(Fraction(0), notes=(f"{name}（{v.span.label}）无数据（分母为 0），本规则不计分。",), values=(v,))
    shown = f"{v.text}（{v.fraction_text}，{v.span.label}）"
    records = v.numerator_records if bonus else v.shortfall_records
    return _gap_outcome(rule, name=name, exact=exact, shown=shown, unit=v.unit, bonus=bonus, records=records,
                        value=v)


def count_rule(rule: Rule, calc: Calculator, span: Span, *, bonus: bool) -> Outcome:
    v = calc.value(rule.indicator or "", _span(rule.span, span))
    records = v.shortfall_records if rule.of == SHORTFALL else v.numerator_records
    if not records:
        return Outcome(Fraction(0), values=(v,))
    refs = tuple(r.ref for r in records)
    amount = _capped(rule, rule.per * len(refs))
    verb = "加" if bonus else "扣"
    what = rule.label or (f"{v.name}未达标" if rule.of == SHORTFALL else v.name.removesuffix("率"))
    reason = f"{what} {len(refs)} 例（{v.span.label}）× {pts(rule.per)} 分 = {verb} {pts(amount)} 分"
    return Outcome(amount, (Loss(rule.key, rule.kind, amount, reason, refs, v),), values=(v,))


def _matches(rule: Rule, f: Finding, span: Span) -> bool:
    if rule.kinds and f.kind not in rule.kinds:
        return False
    if rule.severities and f.severity not in rule.severities:
        return False
    if rule.codes and f.code not in rule.codes:
        return False
    first = f"{span.start.year:04d}-{span.start.month:02d}"
    return f.period is None or first <= f.period <= span.period


def findings_rule(rule: Rule, findings: Sequence[Finding] | None, span: Span) -> Outcome:
    what = rule.label or "、".join(KINDS[k] for k in (rule.kinds or tuple(KINDS)))
    if findings is None:
        return Outcome(Fraction(0), notes=(f"{what}：未运行逻辑检查，暂不计分。",))
    hits = tuple(f for f in findings if _matches(rule, f, span))
    if not hits:
        return Outcome(Fraction(0))
    amount = _capped(rule, rule.per * len(hits))
    refs = tuple(dict.fromkeys(f.subject for f in hits))
    reason = f"{what} {len(hits)} 处 × {pts(rule.per)} 分 = 扣 {pts(amount)} 分"
    if rule.cap is not None and amount < rule.per * len(hits):
        reason += f"（本规则最多扣 {pts(rule.cap)} 分）"
    return Outcome(amount, (Loss(rule.key, rule.kind, amount, reason, refs, findings=hits),))


def entered_rule(rule: Rule, assessment: Assessment | None, *, bonus: bool) -> Outcome:
    value = assessment.values.get(rule.key) if assessment is not None else None
    if value is None:
        return Outcome(Fraction(0), notes=(f"{rule.label}：尚未填报，暂不计分。",))
    shown = f"{pts(value)}%（专干填报{('：' + assessment.note) if assessment and assessment.note else ''}）"
    return _gap_outcome(rule, name=rule.label, exact=value, shown=shown, unit="%", bonus=bonus)


def assessed_rule(rule: Rule, assessment: Assessment | None, *, bonus: bool) -> Outcome:
    if assessment is None:
        what = rule.label or "、".join(o.text for o in rule.options) or "专干自评"
        return Outcome(Fraction(0), notes=(f"{what}：尚未自评，暂不扣分。",))
    verb = "加" if bonus else "扣"
    note = f"：{assessment.note}" if assessment.note else ""
    losses = []
    for option in rule.options:
        times = assessment.options.get(option.key, 0)
        if times:
            amount = option.points * times
            count = f" × {times} 次" if option.repeat else ""
            losses.append(Loss(rule.key, rule.kind, amount,
                               f"{option.text}{count}，{verb} {pts(amount)} 分（专干自评{note}）"))
    free = assessment.points.get(rule.key, Fraction(0))
    if free:
        label = rule.label or "专干自评"
        losses.append(Loss(rule.key, rule.kind, free, f"{label}{verb} {pts(free)} 分{note or '（未写说明）'}"))
    total = sum((x.amount for x in losses), Fraction(0))
    return Outcome(_capped(rule, total), tuple(losses))


def apply_rule(rule: Rule, *, calc: Calculator, span: Span, findings: Sequence[Finding] | None,
               assessment: Assessment | None, bonus: bool) -> Outcome:
    """The outcome of one rule."""
    if rule.kind == INDICATOR:
        return indicator_rule(rule, calc, span, bonus=bonus)
    if rule.kind == COUNT:
        return count_rule(rule, calc, span, bonus=bonus)
    if rule.kind == FINDINGS:
        return findings_rule(rule, findings, _span(rule.span, span))
    if rule.kind == ENTERED:
        return entered_rule(rule, assessment, bonus=bonus)
    if rule.kind == ASSESSED:
        return assessed_rule(rule, assessment, bonus=bonus)
    raise ValueError(f"unknown rule kind {rule.kind}")

