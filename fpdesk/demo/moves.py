"""Moves: hukou out (迁出) and in (迁入), work elsewhere (流出) and back (返回), lodgers from elsewhere (流入).

Young people leave for the factories of Guangdong, Zhejiang and Wuhan and many come back; wives follow husbands
half the time; a few households move to town; a few families move in, bringing their past (marriage, children,
contraception) with them as history, and one or two people a month arrive from other provinces to work.
"""

from __future__ import annotations

import datetime as dt

from fpdesk.dates import add_years
from fpdesk.demo import calls
from fpdesk.demo.cards import final_method, institution
from fpdesk.demo.desk import CARD, CHANGE, HISTORY
from fpdesk.demo.life import alive, free_day, succeed_head
from fpdesk.demo.model import FEMALE, MALE, Birth, Person, World, days
from fpdesk.demo.names import DESTINATIONS, FAR, NEARBY, UNIVERSITIES
from fpdesk.demo.population import children, ethnicity, lodger_marriage

_DEST, _DEST_W = [d for d, _ in DESTINATIONS], [w for _, w in DESTINATIONS]
TOWNS = ("县城", "武汉市东西湖区", "县城城关镇", "襄阳市樊城区")


def moves(world: World, working: list[Person], away: list[Person], population: int, m0: dt.date,
          m1: dt.date) -> None:
    """``working``: people of 18–50 this month; ``away``: others who are away or about to move out."""
    rng = world.rng
    r = rng.random
    for group in (working, away):
        for p in group:
            if p.death is not None or p.moved_out is not None:
                continue
            if p.move_out_due is not None:
                if p.move_out_due <= m1:
                    _move_out(world, p, max(p.move_out_due, p.last), p.move_out_place)
                continue
            if p.protected or p.preg is not None:
                continue
            if p.residence == "1" and group is working:
                roll = r()
                if roll >= 0.006 and not (m0.month == 9 and p.age_now == 18):
                    continue
                young = p.sex == FEMALE and any((m1 - b.date).days < 1100 for b in p.births)
                rate = 0.006 if p.sex == MALE else 0.0015 if young else 0.0035
                if m0.month == 9 and p.age_now == 18 and p.education == "60" and p.marital == "10" and r() < 0.25:
                    day = free_day(world, p, m0, m1)
                    if day is not None:
                        _move_out(world, p, day, rng.choice(UNIVERSITIES))
                elif roll < rate:
                    _leave_to_work(world, p, m0, m1)
            elif p.residence == "2" and r() < 0.012:
                day = free_day(world, p, m0, m1)
                if day is not None:
                    world.desk.add(CHANGE, day, (p,), calls.flow_ends(p, day))
                    p.residence, p.flow_place, p.last = "1", "", day
    if r() < len(world.households) * 0.0002:
        _household_moves_away(world, m0, m1)
    if r() < len(world.households) * 0.0002:
        _family_moves_in(world, m0, m1)
    rate = population * 0.0004
    for _ in range(int(rate) + (r() < rate - int(rate))):
        _lodger_arrives(world, world.random_day(m0, m1))
    for p in list(world.inflow):
        if r() < 0.03:
            day = free_day(world, p, m0, m1)
            if day is not None:
                world.desk.add(CHANGE, day, (p,), calls.flow_ends(p, day))
                p.last = day
                world.inflow.remove(p)


def _move_out(world: World, p: Person, day: dt.date, place: str) -> None:
    world.desk.add(CHANGE, day, (p,), calls.move_out(p, day, place))
    p.moved_out, p.last, p.move_out_due = day, day, None
    succeed_head(world, p, day)


def _leave_to_work(world: World, p: Person, m0: dt.date, m1: dt.date) -> None:
    rng = world.rng
    day = free_day(world, p, m0, m1)
    if day is None:
        return
    place = rng.choices(_DEST, _DEST_W)[0]
    going = [p]
    partner = p.spouse
    if partner is not None and alive(partner) and partner.residence == "1" and not partner.protected \
            and partner.preg is None and partner.last <= day and partner.age(day) <= 55 and rng.random() < 0.5:
        going.append(partner)
    for q in going:
        world.desk.add(CHANGE, day, (q,), calls.outflow(q, day, place))
        q.residence, q.flow_place, q.flow_start, q.last = "2", place, day, day


def _household_moves_away(world: World, m0: dt.date, m1: dt.date) -> None:
    """A whole household moves its hukou to town."""
    rng = world.rng
    hh = rng.choice(world.households)
    people = [p for p in hh.members if alive(p)]
    if not people or any(p.protected or p.preg is not None or p.move_out_due for p in people):
        return
    day = world.random_day(max([m0] + [p.last for p in people]), m1) if max(p.last for p in people) <= m1 else None
    if day is None:
        return
    place = rng.choice(TOWNS)
    for p in sorted(people, key=lambda q: q.relation == "01"):      # the head last: nobody is left headless
        world.desk.add(CHANGE, day, (p,), calls.move_out(p, day, place))
        p.moved_out, p.last = day, day


def _family_moves_in(world: World, m0: dt.date, m1: dt.date) -> None:
    """A couple from a nearby county moves its hukou here; its marriage and children came before the file."""
    rng = world.rng
    day = world.random_day(m0, m1)
    region, place = rng.choice(NEARBY)
    start = world.start
    wife_birth = add_years(day, -rng.randint(26, 48)) - days(rng.randint(0, 300))
    husband_birth = add_years(wife_birth, -rng.randint(0, 4)) - days(rng.randint(0, 200))
    married = max(add_years(wife_birth, 21), add_years(husband_birth, 22)) + days(rng.randint(0, 900))
    if married >= start - days(400):
        return
    kids, _, _ = children(world, married, wife_birth, True)
    kids = [k for k in kids if k[0] < start - days(30)]
    hh = world.new_household(rng.choice(world.groups))
    surname = world.names.surname()
    eth = ethnicity(world)
    husband = world.new_person(sex=MALE, birth=husband_birth, surname=surname, region=region, ethnicity=eth,
                               relation="01", household=hh, since=day)
    wife = world.new_person(sex=FEMALE, birth=wife_birth, region=region, ethnicity=eth, relation="02",
                            household=hh, since=day)
    kid_people = [world.new_person(sex=sex, birth=d, surname=surname, region=region, ethnicity=eth,
                                   relation="03" if sex == MALE else "04", household=hh, since=day)
                  if (day - d).days < 18 * 365 else None for d, sex in kids]
    members = [husband, wife, *(c for c in kid_people if c is not None)]
    for p in members:
        p.last = day
    desk = world.desk
    desk.add(CHANGE, day, (hh, *members), calls.register_household(hh, members, moved_in=day, from_place=place))
    desk.add(HISTORY, day, (wife, husband), calls.marriage(wife, married, spouse=husband))
    for a, b in ((wife, husband), (husband, wife)):
        a.marital, a.first_marriage, a.spouse = "21", married, b
    if wife.age(day) > 49:
        return
    for (born, sex), child in zip(kids, kid_people):
        b = Birth(date=born, sex=sex, name=child.name if child else world.names.full(sex, born, surname), child=child)
        wife.births.append(b)
        desk.add(HISTORY, day, (wife,), calls.birth(wife, b))
        if child is not None:
            desk.add(HISTORY, day, (wife, child), calls.correct(lambda b=b: b.id, "birth", "child_id",
                                                                lambda c=child: c.id, "关联本户子女"))
    last = wife.births[-1].date if wife.births else married
    method = final_method(world, len(wife.births), last) if wife.births else "600"
    since = min(last + days(rng.randint(42, 120)), day)
    desk.add(HISTORY, day, (wife,), calls.measure(wife, since, method, reason="迁入前已落实",
                                                  institution=institution(world, method)))
    wife.method, wife.reason, wife.method_since, wife.want = method, None, since, len(wife.births)


def _lodger_arrives(world: World, day: dt.date) -> None:
    """Someone from another province comes to work and lodges with a household (流入)."""
    rng = world.rng
    region, place = rng.choice(FAR if rng.random() < 0.7 else NEARBY)
    sex = MALE if rng.random() < 0.6 else FEMALE
    birth = add_years(day, -rng.randint(20, 45)) - days(rng.randint(0, 364))
    host = rng.choice(world.households)
    p = world.new_person(sex=sex, birth=birth, region=region, ethnicity=ethnicity(world), relation="99", since=day)
    p.residence, p.death_plan, p.flow_place, p.last = "3", None, place, day
    lodger_marriage(world, p, day, 0.55)
    cert = world.certificate_no(day) if p.marital == "21" and sex == FEMALE and day < dt.date(2021, 5, 31) else ""
    world.desk.add(CHANGE, day, (p, host), calls.inflow(p, day, place=place, hh=host, certificate_no=cert))
    if p.marital == "21" and sex == FEMALE:
        method = rng.choice(("700", "700", "600", "810"))
        world.desk.add(CARD, day, (p,), calls.measure(p, day, method, reason="流入登记",
                                                      institution=institution(world, method)))
        p.method, p.method_since = method, day
    world.inflow.append(p)


def late_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """Days of last month from which a change entered more than 40 days late is entered this month."""
    this_month = as_of.replace(day=1)
    return (this_month - days(1)).replace(day=1), min(this_month - days(1), as_of - days(41))


def ensure_recent_change(world: World, working: list[Person], m0: dt.date, m1: dt.date) -> None:
    """This month's and last month's change reports are never empty, and last month has a change early enough
    to be entered late this month: if nothing happened, someone leaves to work (a small village can have a quiet
    month; a demo should not)."""
    this_month = world.as_of.replace(day=1)
    if m0 < (this_month - days(1)).replace(day=1):
        return
    lo, hi = m0, m1
    if m0 < this_month:
        early_lo, early_hi = late_window(world.as_of)
        if early_lo <= early_hi and not any(e.kind == CHANGE and early_lo <= e.occurred <= early_hi
                                            for e in world.desk.entries[-3000:]):
            lo, hi = early_lo, early_hi
        elif world.desk.changes_by_month.get((m0.year, m0.month)):
            return
    elif world.desk.changes_by_month.get((m0.year, m0.month)):
        return
    for p in working:
        if alive(p) and p.residence == "1" and 20 <= p.age_now <= 45 and not p.protected and p.preg is None \
                and p.move_out_due is None and p.last <= hi:
            _leave_to_work(world, p, lo, hi)
            return
