"""Service indicators from the service book (服务册): check-ups (三查), IUD checks (透环), follow-up after operations,
pregnancies registered and followed up.

The service codes have no separate "pregnancy follow-up visit"; a 查孕 (02) service during the pregnancy counts
as the follow-up.
"""

from __future__ import annotations

import datetime as dt
from itertools import repeat
from operator import and_

from fpdesk import codes
from fpdesk.indicators.base import HIGHER, PERCENT, Counted, Indicator, picked
from fpdesk.indicators.carry import carried
from fpdesk.indicators.context import IN_POLICY, Context
from fpdesk.ledgers.population import INFLOW
from fpdesk.records import Birth, Measure, Pregnancy

CHECKUP = frozenset({"01", "02", "03"})       # 查环, 查孕, 查病
IUD_CHECK = frozenset({"04"})                 # 透环
POST_OP = frozenset({"05"})                   # 术后随访
PREGNANCY_VISIT = frozenset({"02"})           # 查孕, as the pregnancy follow-up
IUD = "700"
FOLLOW_UP_DUE = dt.timedelta(days=30)         # an operation is due for follow-up 30 days after it
FOLLOW_UP_ROUND = dt.timedelta(days=90)       # a pregnancy is visited at least once a quarter (查孕 rounds)
TERM_WINDOW = dt.timedelta(days=320)          # a pregnancy's LMP is at most this long before its birth
LIVE_BIRTH = "1"


def checkup_coverage(ctx: Context) -> Counted:
    women = ctx.women
    return picked(women, ctx.served(CHECKUP), repeat(True, len(women)))


def _iud(m: Measure | None) -> bool:
    return m is not None and m.method == IUD


def iud_check_coverage(ctx: Context) -> Counted:
    measures, served = ctx.women_measures, ctx.served(IUD_CHECK)
    fitted, checked = carried(("iud_check_coverage", ctx.day, ctx.span.start), (measures, served), lambda: (
        tuple(map(_iud, measures)), tuple(map(and_, map(_iud, measures), served))))
    return picked(ctx.women, checked, fitted)


def post_op_follow_up(ctx: Context) -> Counted:
    first, last = ctx.span.start - FOLLOW_UP_DUE, ctx.day - FOLLOW_UP_DUE   # due (op + 30 days) in the span
    measures = ctx.snap.measures
    due = carried(("post_op_due", first, last), (measures,), lambda: tuple(
        m for m in measures if m.start_date is not None and first <= m.start_date <= last
        and m.method in codes.LONG_ACTING_METHODS))
    den, num = [], []
    for m in due:
        person = ctx.snap.person_by_id.get(m.person_id)
        if person is None or person.residence == INFLOW:
            continue
        den.append(m)
        if ctx.services(m.person_id, POST_OP, start=m.start_date, end=ctx.day):
            num.append(m)
    return Counted(num, den)


def _registered_before(p: Pregnancy, day: dt.date) -> bool:
    return p.registered_date is not None and p.registered_date < day


def pregnancy_registration_rate(ctx: Context) -> Counted:
    cases: list[tuple[Birth | Pregnancy, bool]] = []
    deliveries: dict[tuple[int, dt.date], Birth] = {}
    for b in ctx.births:                      # twins: one pregnancy
        deliveries.setdefault((b.mother_id, b.birth_date), b)
    for (mother, born), birth in deliveries.items():
        registered = any(born - TERM_WINDOW <= p.lmp_date < born and _registered_before(p, born)
                         and (p.end_date is None or p.end_date >= born)
                         for p in ctx.snap.pregnancies_of.get(mother, ()))
        cases.append((birth, registered))
    for p in ctx.snap.pregnancies:
        if p.outcome in (None, LIVE_BIRTH) or p.end_date is None or not ctx.in_window(p.end_date):
            continue
        woman = ctx.snap.person_by_id.get(p.person_id)
        if woman is None or woman.residence == INFLOW:
            continue
        cases.append((p, _registered_before(p, p.end_date)))
    return Counted([r for r, ok in cases if ok], [r for r, _ in cases])


def _followed_up(ctx: Context, *, in_policy_only: bool) -> Counted:
    den, num = [], []
    for p in ctx.snap.pregnancies:
        if in_policy_only and p.policy_status != IN_POLICY:
            continue
        if p.registered_date is None or p.registered_date > ctx.day:
            continue
        if p.end_date is not None and p.end_date < ctx.span.start:
            continue  # over before the span
        until = min(p.end_date or ctx.day, ctx.day)
        if until - p.registered_date < FOLLOW_UP_ROUND:
            continue  # not yet a whole round of visits since it was registered
        woman = ctx.snap.person_by_id.get(p.person_id)
        if woman is None or woman.residence == INFLOW:
            continue
        den.append(p)
        if ctx.services(p.person_id, PREGNANCY_VISIT, start=p.registered_date, end=until):
            num.append(p)
    return Counted(num, den)


def in_policy_pregnancy_follow_up(ctx: Context) -> Counted:
    return _followed_up(ctx, in_policy_only=True)


def pregnancy_follow_up(ctx: Context) -> Counted:
    return _followed_up(ctx, in_policy_only=False)


_DUE = "期内在孕（或期内结束）、登记后在孕已满 90 天（一轮季度随访）的孕情"
_VISIT = "分母中登记后、孕期内有“查孕”服务记录的"

CARE_INDICATORS = (
    Indicator("checkup_coverage", "三查服务率", PERCENT,
              "分母中期内有查环、查孕或查病服务记录的人数",
              "当日已婚育龄妇女",
              HIGHER, checkup_coverage),
    Indicator("iud_check_coverage", "透环服务率", PERCENT,
              "分母中期内有“透环”服务记录的人数",
              "当日措施为宫内节育器的已婚育龄妇女",
              HIGHER, iud_check_coverage),
    Indicator("post_op_follow_up", "节育术后随访率", PERCENT,
              "分母中术后至今有“术后随访”服务记录的",
              "上环、皮埋、女扎、男扎手术记录中，手术满 30 天之日落在期内的（流入人员除外）",
              HIGHER, post_op_follow_up),
    Indicator("pregnancy_registration_rate", "怀孕对象登记上报率", PERCENT,
              "分母中在分娩（或终止）之前已登记孕情的",
              "期内的妊娠结局：本村户籍母亲的分娩（双胞胎计1次）及死产、流产、引产",
              HIGHER, pregnancy_registration_rate),
    Indicator("in_policy_pregnancy_follow_up", "政策内怀孕随访率", PERCENT,
              _VISIT, "政策内" + _DUE, HIGHER, in_policy_pregnancy_follow_up),
    Indicator("pregnancy_follow_up", "孕产妇随访率（母婴安全）", PERCENT,
              _VISIT, _DUE + "（不分政策属性）", HIGHER, pregnancy_follow_up),
)
