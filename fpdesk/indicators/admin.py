"""Administration indicators: migrants registered and certified, benefits paid on time, the childcare subsidy,
changes entered in time, and the accuracy of the data (from the check findings).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from itertools import chain, compress, pairwise
from operator import attrgetter, not_
from typing import Callable

from fpdesk.dates import add_years, age_on
from fpdesk.indicators.base import HIGHER, PERCENT, Counted, Indicator
from fpdesk.indicators.carry import carried
from fpdesk.indicators.context import INFLOW_KIND, OUTFLOW_KIND, Context
from fpdesk.ledgers.population import CHILDBEARING_AGE, child_is_dead, in_population, is_married
from fpdesk.records import Benefit, Birth, Migration, Person

MIGRANT_CERT = "0109"                 # 流动人口婚育证明
ONLY_CHILD_FEE, CHILDCARE_SUBSIDY = "01", "04"
CHILDCARE_FROM = dt.date(2025, 1, 1)  # the national childcare subsidy: children born from 2025, under 3
_ID = attrgetter("id")


def migrant_registration_rate(ctx: Context) -> Counted:
    migrants = ctx.migrants
    return Counted([m for m, _ in migrants if m.place.strip()], [m for m, _ in migrants])


def _married_women_of_age(day: dt.date) -> Callable[[Person], bool]:
    low, high = CHILDBEARING_AGE
    youngest, oldest = add_years(day, -low), add_years(day, -(high + 1))
    return lambda p: (p.sex == "2" and p.birth_date is not None and is_married(p)
                      and oldest < p.birth_date <= youngest)


def _certified(ctx: Context, m: Migration) -> bool:
    return bool(m.certificate_no.strip()) or any(
        c.kind == MIGRANT_CERT for c in ctx.snap.certificates_of.get(m.person_id, ()))


def _migrant_women(ctx: Context, kind: str) -> Counted:
    of_age = _married_women_of_age(ctx.day)
    pairs = [(m, p) for m, p in ctx.migrants if m.kind == kind and of_age(p)]
    return Counted([p for m, p in pairs if _certified(ctx, m)], [p for _, p in pairs])


def migrant_certificate_rate(ctx: Context) -> Counted:
    return _migrant_women(ctx, OUTFLOW_KIND)


def inflow_verification_rate(ctx: Context) -> Counted:
    return _migrant_women(ctx, INFLOW_KIND)


def _on_time(ctx: Context, kinds: frozenset[str] | None) -> Counted:
    first, last = ctx.span.start.year, ctx.day.year
    day = ctx.day
    benefits = ctx.snap.benefits

    def count() -> Counted:
        den, num, late = [], [], []
        for b in benefits:
            if (kinds is not None and b.kind not in kinds) or not first <= b.year <= last:
                continue
            den.append(b)
            if b.paid_date is not None and b.paid_date <= min(day, dt.date(b.year, 12, 31)):
                num.append(b)
            else:
                late.append(b)
        return Counted(tuple(num), tuple(den), shortfall=tuple(late))

    return carried(("benefits_on_time", kinds, first, day), (benefits,), count)


def benefits_on_time(ctx: Context) -> Counted:
    return _on_time(ctx, None)


def only_child_fee_on_time(ctx: Context) -> Counted:
    return _on_time(ctx, frozenset({ONLY_CHILD_FEE}))


def _childcare_payments(benefits: tuple[Benefit, ...], day: dt.date) -> dict[int, list[dt.date]]:
    """The childcare subsidy paid by ``day``, by the person paid (child or mother): the days paid."""
    payments: dict[int, list[dt.date]] = defaultdict(list)
    for b in benefits:
        if b.kind == CHILDCARE_SUBSIDY and b.paid_date is not None and b.paid_date <= day:
            payments[b.person_id].append(b.paid_date)
    return dict(payments)


def _childcare_years(births: tuple[Birth, ...], since: dt.date, day: dt.date,
                     grace: dt.timedelta) -> tuple[tuple[Birth, dt.date], ...]:
    """The births from ``since`` to ``day`` whose current year of life began ``grace`` or more before ``day``, with
    the day it began, in that order."""
    due = []
    for b in births:
        if since <= b.birth_date <= day:
            year_began = add_years(b.birth_date, age_on(b.birth_date, day))   # the child's current year of life
            if day - year_began >= grace:
                due.append((b, year_began))
    return tuple(sorted(due, key=lambda x: (x[1], x[0].id)))


def childcare_subsidy_coverage(ctx: Context) -> Counted:
    day = ctx.day
    grace = dt.timedelta(days=ctx.setting("childcare_grace_days"))
    since = max(CHILDCARE_FROM, add_years(day, -3) + dt.timedelta(days=1))
    snap = ctx.snap
    payments = carried(("childcare_payments", day), (snap.benefits,), lambda: _childcare_payments(snap.benefits, day))
    years = carried(("childcare_years", since, day, grace), (snap.births,),
                    lambda: _childcare_years(snap.births, since, day, grace))
    den, num = [], []
    used: set[tuple[int, int]] = set()          # (person, payment index): a payment to a mother covers one child
    for b, began in years:
        if child_is_dead(snap, b, day):
            continue
        mother = snap.person_by_id.get(b.mother_id)
        if mother is None or not in_population(mother, day):
            continue
        den.append(b)
        for who in (b.child_id, b.mother_id):
            paid = payments.get(who) if who is not None else None
            if not paid:
                continue
            hit = next((i for i, when in enumerate(paid) if when >= began and (who, i) not in used), None)
            if hit is not None:
                used.add((who, hit))  # type: ignore[arg-type]
                num.append(b)
                break
    return Counted(num, den, note=f"满 {grace.days} 天未发视为未发")


def timely_entry_rate(ctx: Context) -> Counted:
    limit = ctx.setting("timeliness_days")
    lo, hi = ctx.span.start, ctx.day
    everything = ctx.snap.events

    def count() -> Counted:
        events = tuple(e for e in everything if lo <= e.occurred_date <= hi)
        timely = tuple((e.entered_date - e.occurred_date).days <= limit for e in events)
        return Counted(tuple(compress(events, timely)), events, shortfall=tuple(compress(events, map(not_, timely))),
                       note=f"及时：发生后 {limit} 天内录入")

    return carried(("timely_entry_rate", lo, hi, limit), (everything,), count)


def _accurate(ctx: Context, people: tuple[Person, ...]) -> Counted:
    """people: in id order (the population and the card holders are)."""
    wrong = ctx.error_persons
    if wrong is None:
        return Counted((), (), note="未运行逻辑检查，无法计算")
    # the few people with an error, found by id: the rest are the numerator, in the order of ``people``
    at = []
    for i in sorted(wrong):
        pos = bisect_left(people, i, key=_ID)
        if pos < len(people) and people[pos].id == i:
            at.append(pos)
    kept = tuple(chain.from_iterable(people[a + 1:b] for a, b in pairwise([-1, *at, len(people)])))
    return Counted(kept, people, shortfall=tuple(people[i] for i in at))


def data_accuracy(ctx: Context) -> Counted:
    return _accurate(ctx, ctx.population_end)


def card_accuracy(ctx: Context) -> Counted:
    return _accurate(ctx, ctx.card_women)


ADMIN_INDICATORS = (
    Indicator("migrant_registration_rate", "流动人口登记率（信息完整）", PERCENT,
              "分母中已登记来源地（流入）或去向（流出）的",
              "当日在流动中的记录：在本村的流入人员、仍为本村户籍的流出人员",
              HIGHER, migrant_registration_rate),
    Indicator("migrant_certificate_rate", "流出人口办证率", PERCENT,
              "分母中流出登记有婚育证明编号、或持有流动人口婚育证明的",
              "当日在流出中的已婚育龄妇女",
              HIGHER, migrant_certificate_rate),
    Indicator("inflow_verification_rate", "流入人口验证率", PERCENT,
              "分母中流入登记有婚育证明编号、或持有流动人口婚育证明的",
              "当日在本村的流入已婚育龄妇女（15–49 周岁）",
              HIGHER, inflow_verification_rate),
    Indicator("benefits_on_time", "奖扶按时发放率", PERCENT,
              "分母中在所属年度内（且不晚于今天）发放的",
              "所属年度在期内年份的全部奖扶发放记录",
              HIGHER, benefits_on_time),
    Indicator("only_child_fee_on_time", "独生子女保健费发放到位率", PERCENT,
              "分母中在所属年度内发放的",
              "所属年度在期内年份的独生子女保健费发放记录",
              HIGHER, only_child_fee_on_time),
    Indicator("childcare_subsidy_coverage", "育儿补贴发放率", PERCENT,
              "分母中本周岁年度的育儿补贴已发放的（发给孩子本人，或发给母亲、每笔抵一个孩子）",
              "当日未满 3 周岁、2025-01-01 以后出生、在世、母亲为本村户籍人口，且本周岁年度（出生或上个生日起）"
              "已满 childcare_grace_days 天（默认 90）的子女",
              HIGHER, childcare_subsidy_coverage),
    Indicator("timely_entry_rate", "变动录入及时率", PERCENT,
              "分母中在发生后 timeliness_days 天（默认 30）内录入的",
              "发生日期在期内的全部变动",
              HIGHER, timely_entry_rate),
    Indicator("data_accuracy", "统计信息准确率", PERCENT,
              "分母中没有任何“错误”级问题（本人或其名下记录）的人数",
              "当日户籍人口",
              HIGHER, data_accuracy, uses_findings=True),
    Indicator("card_accuracy", "育龄妇女信息准确率", PERCENT,
              "分母中档案卡上没有“错误”级问题的人数",
              "当日持卡育龄妇女（15–49 周岁，已婚或离婚、丧偶）",
              HIGHER, card_accuracy, uses_findings=True),
)
