"""Contraception indicators: prevalence, the long-acting rate (county definitions differ: a village setting),
its timeliness, and the follow-up of women using supplies.

All of them count married women of childbearing age (已婚育龄妇女) on the span's stock day with the measure in
force that day; refs on both sides are the women (person refs), so the shortfall is the women to visit.
"""

from __future__ import annotations

import datetime as dt
from operator import and_

from fpdesk import codes
from fpdesk.indicators.base import HIGHER, PERCENT, Counted, Indicator, picked
from fpdesk.indicators.carry import carried
from fpdesk.indicators.context import LONG_ACTING_SCOPE, OUT_OF_POLICY, Context
from fpdesk.ledgers.population import has_measure
from fpdesk.records import Measure

# No measure, for a reason that means she cannot conceive or is not married: not in the prevalence denominator.
CANNOT_CONCEIVE = frozenset({"A30", "A31", "A93", "A94"})   # 绝经, 子宫切除, 不孕症, 离婚丧偶
SUPPLY_METHODS = frozenset({"100", "200", "400", "500", "600"})   # 药具: pill, injection, ring, spermicide, condom
SUPPLY_SERVICE = frozenset({"06"})                                 # 药具发放
ALL_WOMEN, RECENT_BIRTHS = "all_women", "recent_births"


def _can_conceive(m: Measure | None) -> bool:
    return not (m is not None and m.method == codes.NO_MEASURE and m.no_measure_reason in CANNOT_CONCEIVE)


def contraceptive_prevalence(ctx: Context) -> Counted:
    measures = ctx.women_measures
    counted, with_measure = carried(("prevalence", ctx.day), (measures,), lambda: (
        tuple(map(_can_conceive, measures)), tuple(map(has_measure, measures))))
    return picked(ctx.women, map(and_, counted, with_measure), counted)


def _recent_mothers_flags(ctx: Context, *, out_of_policy: bool = False) -> tuple[bool, ...]:
    """For each woman, whether she gave birth (亲生) in the last ``long_acting_years`` years up to the stock day
    (to an out-of-policy child, if asked)."""
    recent = ctx.recent_births
    if out_of_policy:
        return carried(("recent_out_of_policy_mothers", ctx.day), (recent,), lambda: tuple(
            any(b.policy_status == OUT_OF_POLICY for b in mine) for mine in recent))
    return carried(("recent_mothers", ctx.day), (recent,), lambda: tuple(map(bool, recent)))


def _long_acting(m: Measure | None) -> bool:
    return m is not None and m.method in codes.LONG_ACTING_METHODS


def _long_acting_flags(ctx: Context) -> tuple[bool, ...]:
    measures = ctx.women_measures
    return carried(("long_acting", ctx.day), (measures,), lambda: tuple(map(_long_acting, measures)))


def long_acting_rate(ctx: Context) -> Counted:
    scope = ctx.snap.settings.get(LONG_ACTING_SCOPE, RECENT_BIRTHS)
    counted = (True,) * len(ctx.women) if scope == ALL_WOMEN else _recent_mothers_flags(ctx)
    note = "口径：全部已婚育龄妇女" if scope == ALL_WOMEN else f"口径：近 {ctx.setting('long_acting_years')} 年内生育的已婚育龄妇女"
    return picked(ctx.women, map(and_, counted, _long_acting_flags(ctx)), counted, note=note)


def _timely_flags(ctx: Context, days: dt.timedelta) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """For each woman: her latest recent birth was ``days`` or more ago; and she took a long-acting measure
    within ``days`` of it."""
    day, recent, measures_of = ctx.day, ctx.recent_births, ctx.snap.measures_of

    def flags() -> tuple[tuple[bool, ...], tuple[bool, ...]]:
        due, done = [], []
        for i, mine in zip(ctx.women_ids, recent):
            born = mine[-1].birth_date if mine else None
            is_due = born is not None and born + days <= day
            due.append(is_due)
            done.append(is_due and any(m.method in codes.LONG_ACTING_METHODS and m.start_date is not None
                                       and born <= m.start_date <= born + days for m in measures_of.get(i, ())))
        return tuple(due), tuple(done)

    return carried(("long_acting_timely", day, days), (ctx.women_ids, recent, measures_of), flags)


def long_acting_timely_rate(ctx: Context) -> Counted:
    days = dt.timedelta(days=ctx.setting("long_acting_timely_days"))
    due, done = _timely_flags(ctx, days)
    return picked(ctx.women, done, due, note=f"及时：生育后 {days.days} 天内落实")


def out_of_policy_long_acting_rate(ctx: Context) -> Counted:
    counted = _recent_mothers_flags(ctx, out_of_policy=True)
    return picked(ctx.women, map(and_, counted, _long_acting_flags(ctx)), counted)


def _supplies(m: Measure | None) -> bool:
    return m is not None and m.method in SUPPLY_METHODS


def supply_follow_up(ctx: Context) -> Counted:
    measures, served = ctx.women_measures, ctx.served(SUPPLY_SERVICE)
    using, visited = carried(("supply_follow_up", ctx.day, ctx.span.start), (measures, served), lambda: (
        tuple(map(_supplies, measures)), tuple(map(and_, map(_supplies, measures), served))))
    return picked(ctx.women, visited, using)


CONTRACEPTION_INDICATORS = (
    Indicator("contraceptive_prevalence", "综合避孕率", PERCENT,
              "分母中当日节育措施不是“未避孕”的人数",
              "当日已婚育龄妇女，不含未避孕且原因为绝经、子宫切除、不孕症、离婚丧偶的",
              HIGHER, contraceptive_prevalence),
    Indicator("long_acting_rate", "长效节育措施落实率", PERCENT,
              "分母中当日措施为上环、皮埋、女扎或男扎的人数",
              "当日已婚育龄妇女中近 N 年（设置 long_acting_years，默认 3）内生育过的；"
              "设置 long_acting_scope = all_women 时为全部已婚育龄妇女",
              HIGHER, long_acting_rate),
    Indicator("long_acting_timely_rate", "长效节育措施及时率", PERCENT,
              "分母中在最近一次生育后 N 天内（设置 long_acting_timely_days，默认 180）落实长效措施的人数",
              "近 N 年内生育、且最近一次生育已满 long_acting_timely_days 天的已婚育龄妇女",
              HIGHER, long_acting_timely_rate),
    Indicator("out_of_policy_long_acting_rate", "政策外生育对象长效措施落实率", PERCENT,
              "分母中当日措施为上环、皮埋、女扎或男扎的人数",
              "近 N 年内有政策外生育的已婚育龄妇女",
              HIGHER, out_of_policy_long_acting_rate),
    Indicator("supply_follow_up", "药具随访服务率", PERCENT,
              "分母中期内有“药具发放”服务记录的人数",
              "当日措施为口服药、注射针、阴道环、外用药或避孕套的已婚育龄妇女",
              HIGHER, supply_follow_up),
)
