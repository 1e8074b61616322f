"""The score (自评得分) of a village under a scheme for a month: every item, every lost point with its reason and
the records behind it, and the veto and lagging flags.

Caps ("扣完为止"): an item never goes below zero, an article never scores above its points (seed 000 第三篇 第四条:
items of 3 + 2 + 2 under an article of 5), a bonus article never gives more than its points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from fpdesk.gcpause import no_cyclic_gc
from fpdesk import checks
from fpdesk.checks.facts import default_periods
from fpdesk.checks.finding import Finding
from fpdesk.dates import parse_period
from fpdesk.indicators import Calculator, IndicatorValue, Span, default_findings, span_for
from fpdesk.score.assess import VETO_PREFIX, Assessment, assessments
from fpdesk.score.loader import scheme_by_name
from fpdesk.score.rules import Loss, apply_rule, pts
from fpdesk.score.scheme import ASSESSED, COUNT, UNASSESSED_ZERO, Article, Item, Scheme, Veto
from fpdesk.snapshot import Snapshot

VETO, WARN, INFO = "veto", "warning", "info"


def _f(x: Fraction) -> float:
    return round(float(x), 2)


@dataclass(frozen=True, slots=True)
class Flag:
    """A remark on the whole sheet.

    code: "veto_total" (below the veto line), "veto_event" (a veto condition met), "lagging" (below the lagging
    line), "unassessed", "no_checks", "example". level: "veto", "warning" or "info". text: Chinese.
    """

    code: str
    level: str
    text: str


@dataclass(frozen=True, slots=True)
class ItemScore:
    """One item on the sheet.

    key, text: the item; points: what it scores (after its own cap), maximum: its points.
    losses: every reason it lost (a bonus item: earned) points, each with its records; their sum may exceed
    the maximum ("扣完为止": ``capped``). notes: remarks that are not losses ("无数据，不扣分").
    assessed: for an item the clerk assesses, whether she has (None for a computed item).
    bonus: a bonus item (points are earned, not lost). values: the indicator values it read.
    exact: ``points`` as an exact fraction.
    """

    key: str
    text: str
    points: float
    maximum: float
    losses: tuple[Loss, ...]
    notes: tuple[str, ...]
    assessed: bool | None
    bonus: bool
    capped: bool
    values: tuple[IndicatorValue, ...]
    exact: Fraction

    @property
    def lost(self) -> float:
        """Points lost (0 for a bonus item)."""
        return 0.0 if self.bonus else round(self.maximum - self.points, 2)


@dataclass(frozen=True, slots=True)
class ArticleScore:
    """One article: key, no (第四条), title; points (after its cap) and maximum; items; bonus.
    capped_by: how much the article's cap took off the sum of its items (0 when none); exact: exact points."""

    key: str
    no: str
    title: str
    points: float
    maximum: float
    items: tuple[ItemScore, ...]
    bonus: bool
    capped_by: float
    exact: Fraction


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """The score of one village under one scheme for one month.

    scheme_key, scheme_name; example: the scheme is our own example.
    period: the month scored; span: the default span of its computed rules; as_of: the snapshot's day.
    total: the points (bonus included); maximum: the scheme's total; bonus: the bonus points in the total.
    articles; flags (veto, lagging, remarks); vetoed: a one-vote veto applies.
    findings_checked: the check findings were available (else per-finding rules were not scored).
    exact: ``total`` as an exact fraction.
    """

    scheme_key: str
    scheme_name: str
    example: bool
    period: str
    span: Span
    as_of: dt.date
    total: float
    maximum: float
    bonus: float
    articles: tuple[ArticleScore, ...]
    flags: tuple[Flag, ...]
    findings_checked: bool
    exact: Fraction

    @property
    def vetoed(self) -> bool:
        return any(f.level == VETO for f in self.flags)

    @property
    def items(self) -> tuple[ItemScore, ...]:
        return tuple(i for a in self.articles for i in a.items)

    def item(self, key: str) -> ItemScore:
        for i in self.items:
            if i.key == key:
                return i
        raise KeyError(key)

    def article(self, key: str) -> ArticleScore:
        for a in self.articles:
            if a.key == key or a.no == key:
                return a
        raise KeyError(key)


def _score_item(item: Item, *, bonus: bool, scheme: Scheme, calc: Calculator, span: Span,
                findings: Sequence[Finding] | None, assessment: Assessment | None) -> ItemScore:
    losses: list[Loss] = []
    notes: list[str] = []
    values: list[IndicatorValue] = []
    amount = Fraction(0)
    for rule in item.rules:
        out = apply_rule(rule, calc=calc, span=span, findings=findings, assessment=assessment, bonus=bonus)
        amount += out.amount
        losses += out.losses
        notes += out.notes
        values += out.values
    assessed = None if not item.needs_clerk else assessment is not None
    if assessed is False and item.qualitative:
        notes = []  # one remark for the whole item instead of one per rule
        if scheme.unassessed == UNASSESSED_ZERO and not bonus:
            losses.append(Loss("", ASSESSED, item.points, f"尚未自评，按零分计（{pts(item.points)} 分）"))
            amount = item.points
        else:
            notes.append("尚未自评，按满分计。" if not bonus else "尚未自评，不加分。")
    if bonus:
        earned = min(item.points, amount)
    else:
        earned = max(Fraction(0), item.points - amount)
    if assessment is not None and assessment.note and not losses:
        notes.append(f"专干说明：{assessment.note}")
    return ItemScore(key=item.key, text=item.text, points=_f(earned), maximum=_f(item.points), losses=tuple(losses),
                     notes=tuple(notes), assessed=assessed, bonus=bonus, capped=amount > item.points,
                     values=tuple(values), exact=earned)


def _score_article(article: Article, *, scheme: Scheme, calc: Calculator, span: Span,
                   findings: Sequence[Finding] | None, found: Mapping[str, Assessment]) -> ArticleScore:
    items = tuple(_score_item(i, bonus=article.bonus, scheme=scheme, calc=calc, span=span, findings=findings,
                              assessment=found.get(i.key)) for i in article.items)
    raw = sum((i.exact for i in items), Fraction(0))
    points = min(article.points, raw)
    return ArticleScore(key=article.key, no=article.no, title=article.title, points=_f(points),
                        maximum=_f(article.points), items=items, bonus=article.bonus,
                        capped_by=_f(raw - points), exact=points)


def _veto_flag(veto: Veto, *, calc: Calculator, span: Span, found: Mapping[str, Assessment]) -> Flag | None:
    if veto.kind == ASSESSED:
        a = found.get(VETO_PREFIX + veto.key)
        if a is not None and a.veto:
            return Flag("veto_event", VETO, f"一票否决：{veto.text}（专干登记：{a.note}）")
        return None
    v = calc.value(veto.indicator or "", span if veto.span in (None, span.kind) else span_for(span.period, veto.span))
    if veto.kind == COUNT:
        if v.numerator > veto.above:
            what = v.name.removesuffix("率")
            return Flag("veto_event", VETO, f"一票否决：{veto.text}（{what} {v.numerator} 例，{v.span.label}）")
        return None
    exact = v.exact
    if exact is None or veto.target is None:
        return None
    wrong = exact < veto.target if veto.direction == "min" else exact > veto.target
    if wrong:
        return Flag("veto_event", VETO, f"一票否决：{veto.text}（{v.name} {v.text}，目标 {pts(veto.target)}{v.unit}）")
    return None


def score(
    snap: Snapshot, scheme: Scheme | str, *, period: str, findings: Sequence[Finding] | None = None,
    run_checks: bool = True,
) -> ScoreSheet:
    """Score the village of ``snap`` under ``scheme`` for the month ``period`` ('2026-11').

    findings: the check findings (pass them when already computed, e.g. by the findings panel); when None they
    are computed with ``fpdesk.checks.run_checks`` — the month rules for ``period`` when it is neither last month
    nor this month (``run_checks=False``: per-finding rules are left unscored).
    """
    plan = scheme_by_name(scheme) if isinstance(scheme, str) else scheme
    period = parse_period(period)
    with no_cyclic_gc():
        return _score(snap, plan, period=period, findings=findings, run_checks=run_checks)


def _score(snap: Snapshot, plan: Scheme, *, period: str, findings: Sequence[Finding] | None,
           run_checks: bool) -> ScoreSheet:
    if findings is None and run_checks:
        # the month rules look at last month and this month unless told; a past month is checked for itself
        findings = default_findings(snap) if period in default_periods(snap) else checks.run_checks(snap, period=period)
    span = span_for(period, plan.span)
    calc = Calculator(snap, findings)
    found = assessments(snap.settings, plan.key, period)
    articles = tuple(_score_article(a, scheme=plan, calc=calc, span=span, findings=findings, found=found)
                     for a in plan.articles)
    bonus = sum((a.exact for a in articles if a.bonus), Fraction(0))
    total = sum((a.exact for a in articles), Fraction(0))
    flags: list[Flag] = []
    if plan.veto_below is not None and total < plan.veto_below:
        flags.append(Flag("veto_total", VETO, f"总分 {pts(total)} 分，低于 {pts(plan.veto_below)} 分：一票否决。"))
    elif plan.lagging_below is not None and total < plan.lagging_below:
        flags.append(Flag("lagging", WARN, f"总分 {pts(total)} 分，低于 {pts(plan.lagging_below)} 分："
                                           f"如在全镇排名倒数三位，将列为后进村重点管理。"))
    flags += [f for v in plan.vetoes if (f := _veto_flag(v, calc=calc, span=span, found=found)) is not None]
    open_items = [i.key for a in articles for i in a.items if i.assessed is False]
    if open_items:
        flags.append(Flag("unassessed", INFO, f"尚有 {len(open_items)} 项需专干自评或填报：{'、'.join(open_items)}。"))
    if findings is None:
        flags.append(Flag("no_checks", INFO, "未运行逻辑检查：按检查问题扣分的项目暂未计分。"))
    if plan.example:
        flags.append(Flag("example", INFO, "本方案为程序自带示例，不是上级正式考核文件；请以乡镇下发的方案为准。"))
    return ScoreSheet(
        scheme_key=plan.key, scheme_name=plan.name, example=plan.example, period=period, span=span,
        as_of=snap.as_of, total=_f(total), maximum=_f(plan.total), bonus=_f(bonus), articles=articles,
        flags=tuple(flags), findings_checked=findings is not None, exact=total,
    )
