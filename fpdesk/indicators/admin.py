"""Administration indicators: migrants registered and certified, benefits paid on time, the childcare subsidy,
changes entered in time, and the accuracy of the data (from the check findings).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from fpdesk.dates import add_years, age_on
from fpdesk.indicators.base import HIGHER, PERCENT, Counted, Indicator
from fpdesk.indicators.context import INFLOW_KIND, OUTFLOW_KIND, Context
from fpdesk.ledgers.population import CHILDBEARING_AGE, child_is_dead, in_population, is_married
from fpdesk.records import Birth, Migration, Person

MIGRANT_CERT = "0109"                 # 流动人口婚育证明
ONLY_CHILD_FEE, CHILDCARE_SUBSIDY = "01", "04"
CHILDCARE_FROM = dt.date(2025, 1, 1)  # the national childcare subsidy: children born from 2025, under 3


def migrant_registration_rate(ctx: Context) -> Counted:
    migrants = ctx.migrants
    return Counted([m for m, _ in migrants if m.place.strip()], [m for m, _ in migrants])


def _married_woman_of_age(p: Person, day: dt.date) -> bool:
    low, high = CHILDBEARING_AGE
    return (p.sex == "2" and p.birth_date is not None and is_married(p)
            and add_years(day, -(high + 1)) < p.birth_date <= add_years(day, -low))


def _certified(ctx: Context, m: Migration) -> bool:
    return bool(m.certificate_no.strip()) or any(
        c.kind == MIGRANT_CERT for c in ctx.snap.certificates_of.get(m.person_id, ()))


def _migrant_women(ctx: Context, kind: str) -> Counted:
    pairs = [(m, p) for m, p in ctx.migrants if m.kind == kind and _married_woman_of_age(p, ctx.day)]
    return Counted([p for m, p in pairs if _certified(ctx, m)], [p for _, p in pairs])


def migrant_certificate_rate(ctx: Context) -> Counted:
    return _migrant_women(ctx, OUTFLOW_KIND)


def inflow_verification_rate(ctx: Context) -> Counted:
    return _migrant_women(ctx, INFLOW_KIND)


def _on_time(ctx: Context, kinds: frozenset[str] | None) -> Counted:
    first, last = ctx.span.start.year, ctx.day.year
    den, num = [], []
    for b in ctx.snap.benefits:
        if (kinds is not None and b.kind not in kinds) or not first <= b.year <= last:
            continue
        den.append(b)
        if b.paid_date is not None and b.paid_date <= min(ctx.day, dt.date(b.year, 12, 31)):
            num.append(b)
    return Counted(num, den)


def benefits_on_time(ctx: Context) -> Counted:
    return _on_time(ctx, None)


def only_child_fee_on_time(ctx: Context) -> Counted:
    return _on_time(ctx, frozenset({ONLY_CHILD_FEE}))


def childcare_subsidy_coverage(ctx: Context) -> Counted:
    day = ctx.day
    grace = dt.timedelta(days=ctx.setting("childcare_grace_days"))
    since = max(CHILDCARE_FROM, add_years(day, -3) + dt.timedelta(days=1))
    payments: dict[int, list[dt.date]] = defaultdict(list)
    for b in ctx.snap.benefits:
        if b.kind == CHILDCARE_SUBSIDY and b.paid_date is not None and b.paid_date <= day:
            payments[b.person_id].append(b.paid_date)
    due: list[tuple[Birth, dt.date]] = []
    for b in ctx.snap.births:
        if not since <= b.birth_date <= day or child_is_dead(ctx.snap, b, day):
            continue
        mother = ctx.snap.person_by_id.get(b.mother_id)
        if mother is None or not in_population(mother, day):
            continue
        year_began = add_years(b.birth_date, age_on(b.birth_date, day))   # the child's current year of life
        if day - year_began >= grace:
            due.append((b, year_began))
    den, num = [], []
    used: set[tuple[int, int]] = set()          # (person, payment index): a payment to a mother covers one child
    for b, began in sorted(due, key=lambda x: (x[1], x[0].id)):
        den.append(b)
        for who in (b.child_id, b.mother_id):
            hit = next((i for i, paid in enumerate(payments.get(who, ()) if who is not None else ())
                        if paid >= began and (who, i) not in used), None)
            if hit is not None:
                used.add((who, hit))  # type: ignore[arg-type]
                num.append(b)
                break
    return Counted(num, den, note=f"满 {grace.days} 天未发视为未发")


def timely_entry_rate(ctx: Context) -> Counted:
    limit = ctx.setting("timeliness_days")
    lo, hi = ctx.span.start, ctx.day
    events = [e for e in ctx.snap.events if lo <= e.occurred_date <= hi]
    return Counted([e for e in events if (e.entered_date - e.occurred_date).days <= limit], events,
                   note=f"及时：发生后 {limit} 天内录入")


def _accurate(ctx: Context, people: tuple[Person, ...]) -> Counted:
    wrong = ctx.error_persons
    if wrong is None:
        return Counted((), (), note="未运行逻辑检查，无法计算")
    return Counted([p for p in people if p.id not in wrong], people,
                   shortfall=[p for p in people if p.id in wrong])


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
