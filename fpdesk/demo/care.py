"""The service book (服务册): quarterly check-ups (三查) on the village's check-up day — the IUD check (查环) for
IUD users, once a year by X-ray (透环), the pregnancy check (查孕) for the others, a gynaecological check (查病)
in autumn; sterilised women and those past menopause have the yearly 查病 only —, follow-up visits after operations, condoms and pills handed out half-yearly, the newly-weds' talk — and the
benefits paid: 奖励扶助 to rural parents of 60 and over (July), 独生子女保健费 to only-child parents (December),
育儿补贴 for children born from 2025 (3,600 yuan a year until three).
"""

from __future__ import annotations

import datetime as dt

from fpdesk.dates import add_years, age_on
from fpdesk.demo import calls
from fpdesk.demo.desk import PAY, SERVICE
from fpdesk.demo.life import alive
from fpdesk.demo.model import FEMALE, Person, World, days

QUARTER_MONTHS = (3, 6, 9, 12)
REWARD_YUAN = 960          # 奖励扶助: 80 yuan a month per parent
ONLY_CHILD_YUAN = 120      # 独生子女保健费: 10 yuan a month
SUBSIDY_YUAN = 3600        # 育儿补贴


def month(world: World, present: list[Person], cards: list[Person], m0: dt.date, m1: dt.date) -> None:
    if m0.month in QUARTER_MONTHS:
        _checkups(world, cards, m0, m1)
    for w in cards:
        if w.followup is not None and w.followup <= m1 and alive(w):
            day = max(w.followup, w.last)
            if day <= m1:
                world.desk.add(SERVICE, day, (w,), calls.service(w, "05", day, result="恢复良好",
                                                                 institution=world.institutions[0]))
                w.followup = None
                w.last = w.serviced = day
    if m0.month == 7:
        _reward(world, present, m0, m1)
    if m0.month == 12:
        _only_child_fee(world, present, m0, m1)
    for w in world.subsidized:
        if w.subsidies and alive(w):
            _subsidy(world, w, m1)


def _checkups(world: World, cards: list[Person], m0: dt.date, m1: dt.date) -> None:
    """The village's check-up day (集中服务日) this quarter; most come that day, a few within the month."""
    rng = world.rng
    desk = world.desk
    station = world.institutions[2]
    meet = m0.replace(day=rng.randint(8, 16))
    for w in cards:
        if not alive(w) or w.last > m1:
            continue
        if w.residence == "1":
            if w.method in ("810", "820") or w.reason == "A30":
                # sterilised or past menopause: no IUD or pregnancy checks, the yearly gynaecological one only
                if m0.month == 9 and rng.random() < 0.8:
                    day = max(meet + days(rng.choice((0, 0, 1, 3))), w.last)
                    if day <= m1:
                        desk.add(SERVICE, day, (w,), calls.service(w, "03", day, result="未见异常",
                                                                   institution=world.institutions[0]))
                        w.last = w.serviced = day
                continue
            if rng.random() >= 0.95:
                continue
            day = max(meet + days(rng.choice((0, 0, 0, 0, 1, 2, 5, 9))), w.last)
            if day > m1:
                continue
            pregnant = w.preg is not None and w.preg.registered_done
            if w.method == "700":      # once a year the IUD check is the X-ray (透环)
                kind, result, where = ("04", "环位正常", world.institutions[0]) if m0.month == 3 and rng.random() < 0.85 \
                    else ("01", "环位正常", station)
            else:
                kind, result, where = "02", "已孕" if pregnant else "未孕", station
            desk.add(SERVICE, day, (w,), calls.service(w, kind, day, result=result, institution=where))
            if m0.month == 9 and rng.random() < 0.6:
                result = rng.choices(("未见异常", "阴道炎", "宫颈炎"), (85, 10, 5))[0]
                desk.add(SERVICE, day, (w,), calls.service(w, "03", day, result=result,
                                                           institution=world.institutions[0]))
            if w.method in ("600", "100") and m0.month in (6, 12):     # half a year's supply
                item, qty = ("避孕套", 60) if w.method == "600" else ("短效口服避孕药（盒）", 6)
                desk.add(SERVICE, day, (w,), calls.service(w, "06", day, institution="村卫生室", item=item,
                                                           quantity=qty))
            w.last = w.serviced = day
        elif w.residence == "2" and m0.month in (6, 12) and rng.random() < 0.7:
            day = max(meet, w.last)
            if day <= m1:
                desk.add(SERVICE, day, (w,), calls.service(w, "02", day, result="未孕",
                                                           institution=f"{w.flow_place}（孕检证明寄回）"))
                w.last = w.serviced = day
    if m0.month in (6, 12):
        for p in world.inflow:
            if p.sex == FEMALE and p.marital == "21" and age_on(p.birth, meet) < 50 and rng.random() < 0.6:
                day = max(meet, p.last)
                if day <= m1:
                    desk.add(SERVICE, day, (p,), calls.service(p, "02", day, result="未孕", institution=station))
                    p.last = day


def _pay_day(world: World, p: Person, day: dt.date, m1: dt.date) -> dt.date | None:
    day = max(day, p.last)
    return day if day <= m1 else None


def _reward(world: World, present: list[Person], m0: dt.date, m1: dt.date) -> None:
    """奖励扶助: each parent of a rural one-child or two-daughter family, from the year they turn 60."""
    payday = m0.replace(day=world.rng.randint(10, 20))
    for p in present:
        if p.reward and alive(p) and p.hukou == "1" and p.birth.year <= m0.year - 60:
            day = _pay_day(world, p, payday, m1)
            if day is not None:
                world.desk.add(PAY, day, (p,), calls.benefit(p, "02", m0.year, REWARD_YUAN, day))
                p.last = day


def _only_child_fee(world: World, present: list[Person], m0: dt.date, m1: dt.date) -> None:
    """独生子女保健费: mothers holding the only-child certificate, while the child is under 18."""
    payday = m0.replace(day=world.rng.randint(10, 20))
    for w in present:
        if w.only_child_cert and alive(w) and w.births and age_on(w.births[0].date, m0.replace(day=1, month=1)) < 18:
            day = _pay_day(world, w, payday, m1)
            if day is not None:
                world.desk.add(PAY, day, (w,), calls.benefit(w, "01", m0.year, ONLY_CHILD_YUAN, day))
                w.last = day


def _subsidy(world: World, w: Person, m1: dt.date) -> None:
    """育儿补贴: 3,600 yuan for each year of the child's life until three, paid to the mother."""
    for entry in list(w.subsidies):
        born, due = entry
        if due > m1:
            continue
        if due >= add_years(born, 3):
            w.subsidies.remove(entry)
            continue
        day = max(due, w.last)
        if day > m1:
            continue
        world.desk.add(PAY, day, (w,), calls.benefit(w, "04", day.year, SUBSIDY_YUAN, day))
        w.last = day
        entry[1] = add_years(born, age_on(born, day) + 1) + days(world.rng.randint(15, 60))
