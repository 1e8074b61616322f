"""A scoring scheme (目标管理责任制考核方案) as data: articles of items, each item scored by rules.

Points are exact fractions (0.2 × 7 is 1.4, not 1.4000000000000001); the score sheet shows them as numbers with
at most two decimals.

Rule kinds (``Rule.kind``):
  indicator  an indicator against a target: ``per`` points per percentage point (per mille, point) on the wrong
             side, the gap rounded as ``rounding`` says (the scheme's own words: "每低一个百分点扣1分").
  count      ``per`` points per record an indicator counts (its numerator, or its shortfall): "每例扣5分".
  findings   ``per`` points per check finding of the given kinds, severities, rule codes: "逻辑错误每项扣0.2分".
  entered    like ``indicator``, for a rate the ledgers cannot know (a survey, the fee realised): the clerk enters
             the figure with a note.
  assessed   the clerk's own assessment: she ticks ``options`` (fixed deductions, "未召开育龄群众大会扣2分") or
             enters the points lost, with a note (定性考核).
An item in a bonus article (加分项) earns instead of losing: the same rules, counted the other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

INDICATOR, COUNT, FINDINGS, ENTERED, ASSESSED = "indicator", "count", "findings", "entered", "assessed"
RULE_KINDS = {
    INDICATOR: "指标（按目标差额扣分）", COUNT: "按例扣分", FINDINGS: "按检查问题扣分",
    ENTERED: "填报率（按目标差额扣分）", ASSESSED: "定性自评",
}
CLERK_KINDS = frozenset({ENTERED, ASSESSED})      # rules that need the clerk's own assessment
ROUNDINGS = {
    "ceil": "不足一个百分点按一个百分点计",
    "half_up": "差额四舍五入到整百分点",
    "floor": "不足一个百分点不扣",
    "exact": "按实际差额计",
}
MIN, MAX = "min", "max"           # the value must be at least / at most the target
NUMERATOR, SHORTFALL = "numerator", "shortfall"
UNASSESSED_FULL, UNASSESSED_ZERO = "full", "zero"


@dataclass(frozen=True, slots=True)
class Option:
    """A fixed deduction the clerk ticks in an assessed rule.

    key: unique within the item; text: what happened (Chinese); points: lost each time; repeat: may be counted
    more than once ("每次扣1分").
    """

    key: str
    text: str
    points: Fraction
    repeat: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """How an item loses (or, in a bonus item, earns) points; see the module docstring for the kinds.

    kind, key (unique within the item, names entered figures), label (what it measures, Chinese; "" = the
    indicator's name).
    indicator: indicator key (indicator, count); span: "month" / "ytd" / "year" (None = the scheme's).
    target, direction ("min" / "max"), rounding: for indicator and entered rules.
    per: points per unit (percentage point, record, finding).
    of: count rules count the indicator's "numerator" or its "shortfall".
    kinds, severities, codes: which findings a findings rule counts (empty codes = any rule).
    cap: the most this rule may take (None = only the item's own points).
    options: the fixed deductions of an assessed rule (empty = the clerk enters the points).
    """

    kind: str
    key: str
    label: str = ""
    indicator: str | None = None
    span: str | None = None
    target: Fraction | None = None
    direction: str = MIN
    rounding: str = "ceil"
    per: Fraction = Fraction(0)
    of: str = NUMERATOR
    kinds: tuple[str, ...] = ()
    severities: tuple[str, ...] = ("error",)
    codes: tuple[str, ...] = ()
    cap: Fraction | None = None
    options: tuple[Option, ...] = ()


@dataclass(frozen=True, slots=True)
class Item:
    """考核项目.

    key: unique in the scheme ("4.1"); stored assessments are keyed by it.
    text: the item as the scheme words it; points: its maximum; rules: how it loses points.
    guide: the scheme's 考核办法 for the item, shown to the clerk ("" when none).
    """

    key: str
    text: str
    points: Fraction
    rules: tuple[Rule, ...]
    guide: str = ""

    @property
    def needs_clerk(self) -> bool:
        """Some of its rules are assessed or entered by the clerk."""
        return any(r.kind in CLERK_KINDS for r in self.rules)

    @property
    def qualitative(self) -> bool:
        """Only the clerk can assess it (定性项目)."""
        return bool(self.rules) and all(r.kind in CLERK_KINDS for r in self.rules)


@dataclass(frozen=True, slots=True)
class Article:
    """条: a group of items with its own maximum (an article never scores above its points: "扣完为止").

    key: unique in the scheme; no: its number as printed ("第四条"); title; points; items.
    bonus: a bonus article (加分项): its items earn points, up to its points, on top of the scheme's total.
    """

    key: str
    no: str
    title: str
    points: Fraction
    items: tuple[Item, ...]
    bonus: bool = False


@dataclass(frozen=True, slots=True)
class Veto:
    """A one-vote-veto condition (一票否决).

    key: unique in the scheme; text: the condition (Chinese).
    kind: "assessed" (the clerk records that it happened, with a note), "count" (an indicator counts more than
    ``above`` records) or "indicator" (an indicator is on the wrong side of ``target``).
    indicator, span, above, target, direction: for the computed kinds.
    """

    key: str
    text: str
    kind: str = ASSESSED
    indicator: str | None = None
    span: str | None = None
    above: int = 0
    target: Fraction | None = None
    direction: str = MIN


@dataclass(frozen=True, slots=True)
class Scheme:
    """考核方案.

    key: stable code ("village_2006"), the value of the village setting ``score_scheme``.
    name: full Chinese title; short_name: for lists; year; source: where it comes from; note: remarks.
    example: our own example, not an official document.
    total: the maximum of the non-bonus articles (checked against their sum).
    span: default span of computed rules ("ytd"): the statistics year to the end of the scored month.
    veto_below: a total below it is a one-vote veto (None = no such rule); lagging_below: below it a village in
    the bottom three is a lagging village (后进).
    unassessed: a qualitative item the clerk has not assessed counts "full" or "zero".
    articles, vetoes; warnings: what the loader noticed but accepted (Chinese); path: the file it came from.
    """

    key: str
    name: str
    short_name: str
    year: int
    source: str
    note: str
    example: bool
    total: Fraction
    span: str
    veto_below: Fraction | None
    lagging_below: Fraction | None
    unassessed: str
    articles: tuple[Article, ...]
    vetoes: tuple[Veto, ...]
    warnings: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, in order."""
        return tuple(i for a in self.articles for i in a.items)

    def item(self, key: str) -> Item:
        """The item ``key``; KeyError when the scheme has none."""
        for a in self.articles:
            for i in a.items:
                if i.key == key:
                    return i
        raise KeyError(key)

    def article_of(self, item_key: str) -> Article:
        """The article holding item ``item_key``."""
        for a in self.articles:
            if any(i.key == item_key for i in a.items):
                return a
        raise KeyError(item_key)

    def veto(self, key: str) -> Veto:
        """The veto condition ``key``."""
        for v in self.vetoes:
            if v.key == key:
                return v
        raise KeyError(key)
