"""Contraception indicators: prevalence, the long-acting rate (county definitions differ: a village setting),
its timeliness, and the follow-up of women using supplies.

All of them count married women of childbearing age (已婚育龄妇女) on the span's stock day with the measure in
force that day; refs on both sides are the women (person refs), so the shortfall is the women to visit.
"""

from __future__ import annotations

import datetime as dt

from fpdesk import codes
from fpdesk.indicators.base import HIGHER, PERCENT, Counted, Indicator
from fpdesk.indicators.context import LONG_ACTING_SCOPE, OUT_OF_POLICY, Context
from fpdesk.ledgers.population import has_measure
from fpdesk.records import Person

# No measure, for a reason that means she cannot conceive or is not married: not in the prevalence denominator.
CANNOT_CONCEIVE = frozenset({"A30", "A31", "A93", "A94"})   # 绝经, 子宫切除, 不孕症, 离婚丧偶
SUPPLY_METHODS = frozenset({"100", "200", "400", "500", "600"})   # 药具: pill, injection, ring, spermicide, condom
SUPPLY_SERVICE = frozenset({"06"})                                 # 药具发放
ALL_WOMEN, RECENT_BIRTHS = "all_women", "recent_births"


def contraceptive_prevalence(ctx: Context) -> Counted:
    den, num = [], []
    for w in ctx.women:
        m = ctx.measures[w.id]
        if m is not None and m.method == codes.NO_MEASURE and m.no_measure_reason in CANNOT_CONCEIVE:
            continue
        den.append(w)
        if has_measure(m):
            num.append(w)
    return Counted(num, den)


def _recent_mothers(ctx: Context, *, out_of_policy: bool = False) -> list[tuple[Person, dt.date]]:
    """Women who gave birth (亲生) in the last ``long_acting_years`` years up to the stock day, with the date of
    their latest such birth (of an out-of-policy birth, if asked)."""
    recent = ctx.recent_births
    out = []
    for w in ctx.women:
        mine = recent.get(w.id)
        if mine and out_of_policy:
            mine = [b for b in mine if b.policy_status == OUT_OF_POLICY]
        if mine:
            out.append((w, mine[-1].birth_date))
    return out


def _long_acting(ctx: Context, w: Person) -> bool:
    m = ctx.measures[w.id]
    return m is not None and m.method in codes.LONG_ACTING_METHODS


def long_acting_rate(ctx: Context) -> Counted:
    scope = ctx.snap.settings.get(LONG_ACTING_SCOPE, RECENT_BIRTHS)
    women = list(ctx.women) if scope == ALL_WOMEN else [w for w, _ in _recent_mothers(ctx)]
    note = "口径：全部已婚育龄妇女" if scope == ALL_WOMEN else f"口径：近 {ctx.setting('long_acting_years')} 年内生育的已婚育龄妇女"
    return Counted([w for w in women if _long_acting(ctx, w)], women, note=note)


def long_acting_timely_rate(ctx: Context) -> Counted:
    days = dt.timedelta(days=ctx.setting("long_acting_timely_days"))
    den, num = [], []
    for w, born in _recent_mothers(ctx):
        if born + days > ctx.day:
            continue  # not due yet
        den.append(w)
        if any(m.method in codes.LONG_ACTING_METHODS and m.start_date is not None
               and born <= m.start_date <= born + days for m in ctx.snap.measures_of.get(w.id, ())):
            num.append(w)
    return Counted(num, den, note=f"及时：生育后 {days.days} 天内落实")


def out_of_policy_long_acting_rate(ctx: Context) -> Counted:
    women = [w for w, _ in _recent_mothers(ctx, out_of_policy=True)]
    return Counted([w for w in women if _long_acting(ctx, w)], women)


def supply_follow_up(ctx: Context) -> Counted:
    den, num = [], []
    for w in ctx.women:
        m = ctx.measures[w.id]
        if m is None or m.method not in SUPPLY_METHODS:
            continue
        den.append(w)
        if ctx.services(w.id, SUPPLY_SERVICE):
            num.append(w)
    return Counted(num, den)


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
