"""One month of village life: deaths (and the widowed), marriages, divorces and remarriages, moves of hukou
in and out, people leaving to work elsewhere (流出) and coming back, people from elsewhere lodging here (流入).

Brides from other villages move in (迁入) and the couple sets up a household of its own (分户); daughters of the
village mostly marry out and move out (迁出) some weeks after the wedding; some stay, with a husband from outside.
"""

from __future__ import annotations

import datetime as dt

from fpdesk.dates import add_years
from fpdesk.demo import calls
from fpdesk.demo.cards import draw_want
from fpdesk.demo.desk import CARD, CHANGE, SERVICE
from fpdesk.demo.fertility import set_measure
from fpdesk.demo.model import FEMALE, MALE, MARRIED, Person, World, days
from fpdesk.demo.names import FAR, NEARBY
from fpdesk.demo.population import ethnicity, outside_spouse

REVERSIBLE = ("700", "600", "100", "300", "200", "910")


def alive(p: Person) -> bool:
    return p.death is None and p.moved_out is None


def free_day(world: World, p: Person, m0: dt.date, m1: dt.date) -> dt.date | None:
    """A day this month on or after the last thing that happened to ``p`` (None when the month is used up)."""
    lo = max(m0, p.last)
    return None if lo > m1 else world.random_day(lo, m1)


# -- deaths -----------------------------------------------------------------------------------------------------
def deaths(world: World, present: list[Person], m0: dt.date, m1: dt.date) -> None:
    for p in present:
        if p.death_plan is not None and p.death_plan <= m1 and alive(p) and not p.protected and p.preg is None \
                and not (p.spouse is not None and p.spouse.protected):
            day = max(p.death_plan, p.last)
            if day <= m1:
                die(world, p, day)
        elif p.outside is not None and p.outside.death_plan is not None and p.outside.death_plan <= m1 and alive(p):
            day = max(p.outside.death_plan, p.last)
            if day <= m1 and not p.protected:
                world.desk.add(CHANGE, day, (p,), calls.widowhood(p, day))
                p.marital, p.marital_change, p.outside, p.last = "30", day, None, day
                _after_marriage_ends(world, p, day)


def die(world: World, p: Person, day: dt.date) -> None:
    spouse = p.spouse if p.spouse is not None and alive(p.spouse) else None
    world.desk.add(CHANGE, day, (p, spouse) if spouse else (p,), calls.death(p, day))
    p.death, p.last = day, day
    if spouse is not None:
        spouse.marital, spouse.marital_change, spouse.spouse = "30", day, None
        spouse.last = max(spouse.last, day)
        _after_marriage_ends(world, spouse, day)
    p.spouse = None
    succeed_head(world, p, day)


def _after_marriage_ends(world: World, w: Person, day: dt.date) -> None:
    """A woman divorced or widowed: half stop their method (未避孕 · 离婚丧偶)."""
    if w.sex == FEMALE and w.method in REVERSIBLE and day < add_years(w.birth, 50) \
            and w.pp_due is None and w.preg is None and world.rng.random() < 0.5:
        set_measure(world, w, max(day, w.last), "000", "A94", "离婚丧偶")


def succeed_head(world: World, gone: Person, day: dt.date) -> None:
    """The head of a household died or left: the spouse, else the eldest, becomes head (与户主关系 更正)."""
    hh = gone.household
    if hh is None or gone.relation != "01":
        return
    rest = [m for m in hh.members if m is not gone and alive(m)]
    if not rest:
        return
    heir = next((m for m in rest if m.relation == "02"), None) or min(rest, key=lambda m: (m.birth, m.roster_no))
    was_child = heir.relation in ("03", "04")
    changes = [(heir, "01")]
    for m in rest:
        if m is heir:
            continue
        if m.relation == "05" or (was_child and m.relation in ("02", "06")):
            changes.append((m, "99"))
        elif was_child and m.relation in ("03", "04"):
            changes.append((m, "07"))
    for m, relation in changes:
        world.desk.add(CARD, day, (gone, m), calls.correct(lambda m=m: m.id, "person", "relation", relation,
                                                           "户主变更"))
        m.relation = relation
    gone.relation = "99" if gone.moved_out else gone.relation


# -- marriages --------------------------------------------------------------------------------------------------
def _bride_hazard(age: int) -> float:
    return 0.012 if age < 22 else 0.026 if age < 28 else 0.015 if age < 32 else 0.006


def _groom_hazard(age: int) -> float:
    return 0.010 if age < 26 else 0.014 if age < 31 else 0.007 if age < 36 else 0.0025


def family(world: World, working: list[Person], m0: dt.date, m1: dt.date) -> None:
    """Marriages, divorces and remarriages among the people of 18–50."""
    r = world.rng.random
    for p in working:
        if p.death is not None or p.moved_out is not None or p.protected or p.preg is not None:
            continue
        age = p.age_now
        marital = p.marital
        if marital == "10":
            if p.residence == "2" or p.residence == "1":
                if p.sex == FEMALE:
                    if 20 <= age <= 35 and r() < _bride_hazard(age):
                        _daughter_marries(world, p, m0, m1)
                elif 22 <= age <= 40 and p.residence == "1" and p.household is not None and r() < _groom_hazard(age):
                    _bride_moves_in(world, p, m0, m1)
        elif p.sex != FEMALE:
            continue
        elif marital in MARRIED:
            if age < 50 and r() < 0.0004 and p.first_marriage and (m1 - p.first_marriage).days > 365:
                _divorce(world, p, m0, m1)
        elif (marital == "30" or marital == "40") and 22 <= age <= 45 and p.residence == "1" and r() < 0.012:
            _remarry(world, p, m0, m1)


def _new_card(world: World, w: Person, day: dt.date) -> None:
    """A new wife's card: planning a child (or condoms for a while), and the newly-weds' talk (宣传教育)."""
    if world.rng.random() < 0.8:
        set_measure(world, w, day, "000", "A10", "新婚待孕")
        w.trying_since = day
    else:
        set_measure(world, w, day, "600", None, "新婚避孕")
    w.want = draw_want(world, w, day)
    world.desk.add(SERVICE, day, (w,), calls.service(w, "07", day, result="新婚夫妇优生优育宣传",
                                                     institution=world.institutions[2]))
    w.serviced = day


def _daughter_marries(world: World, w: Person, m0: dt.date, m1: dt.date) -> None:
    rng = world.rng
    day = free_day(world, w, max(m0, add_years(w.birth, 20)), m1)
    if day is None:
        return
    husband = outside_spouse(world, sex=MALE, birth=add_years(day, -rng.randint(22, 30)) - days(rng.randint(0, 300)),
                             since=day)
    world.desk.add(CHANGE, day, (w,), calls.marriage(w, day, outside=husband))
    w.marital, w.first_marriage, w.outside, w.last = "21", day, husband, day
    _new_card(world, w, day)
    if rng.random() < 0.6 and w.relation != "01":    # she goes to live in his village
        w.move_out_due = day + days(rng.randint(0, 45))
        w.move_out_place = next(place for region, place in NEARBY + FAR if region == husband.id_number[:6])


def _bride_moves_in(world: World, man: Person, m0: dt.date, m1: dt.date) -> None:
    rng = world.rng
    desk = world.desk
    day = free_day(world, man, max(m0, add_years(man.birth, 22)), m1)
    if day is None:
        return
    region, place = rng.choice(NEARBY) if rng.random() < 0.8 else rng.choice(FAR)
    birth = add_years(day, -rng.randint(20, 27)) - days(rng.randint(0, 300))
    old = man.household
    assert old is not None
    if man.relation == "01":
        hh = old
        bride = world.new_person(sex=FEMALE, birth=birth, region=region, ethnicity=ethnicity(world),
                                 relation="02", household=hh, since=day)
        desk.add(CHANGE, day, (hh, bride), calls.add_person(hh, bride, moved_in=day))
    else:                                               # 分户: the couple's own household
        hh = world.new_household(old.group)
        bride = world.new_person(sex=FEMALE, birth=birth, region=region, ethnicity=ethnicity(world),
                                 relation="02", household=hh, since=day)
        desk.add(CHANGE, day, (hh, bride), calls.register_household(hh, [bride], moved_in=day, from_place=place))
        desk.add(CARD, day, (man, hh), calls.correct(lambda: man.id, "person", "household_id", lambda: hh.id, "分户"))
        desk.add(CARD, day, (man,), calls.correct(lambda: man.id, "person", "relation", "01", "分户，立为户主"))
        old.members.remove(man)
        hh.members.append(man)
        man.household, man.relation = hh, "01"
    bride.last = day
    desk.add(CHANGE, day, (bride, man), calls.marriage(bride, day, spouse=man))
    for a, b in ((bride, man), (man, bride)):
        a.marital, a.first_marriage, a.spouse, a.last = "21", day, b, day
    _new_card(world, bride, day)


def _divorce(world: World, w: Person, m0: dt.date, m1: dt.date) -> None:
    rng = world.rng
    day = free_day(world, w, m0, m1)
    husband = w.spouse
    if day is None or (husband is not None and (not alive(husband) or husband.last > day or husband.protected)):
        return
    world.desk.add(CHANGE, day, (w, husband) if husband else (w,), calls.divorce(w, day))
    w.marital, w.marital_change, w.last = "40", day, day
    if husband is not None:
        husband.marital, husband.marital_change, husband.spouse, husband.last = "40", day, None, day
        w.spouse = None
        if w.relation == "02" and rng.random() < 0.6:
            w.move_out_due = day + days(rng.randint(30, 120))
            w.move_out_place = rng.choice(NEARBY)[1]
    else:
        w.exes.append(w.outside)
        w.outside = None
    _after_marriage_ends(world, w, day)


def _remarry(world: World, w: Person, m0: dt.date, m1: dt.date) -> None:
    rng = world.rng
    day = free_day(world, w, m0, m1)
    if day is None or w.move_out_due is not None:
        return
    former = w.exes and rng.random() < 0.2
    husband = w.exes[-1] if former else outside_spouse(
        world, sex=MALE, birth=add_years(w.birth, -rng.randint(0, 6)) - days(rng.randint(0, 300)), since=day)
    world.desk.add(CHANGE, day, (w,), calls.marriage(w, day, outside=husband))
    w.marital, w.marital_change, w.outside, w.last = ("23" if former else "22"), day, husband, day
    w.want = len(w.births) + (1 if w.age(day) < 40 and rng.random() < 0.6 else 0)
    if w.method is None or (w.method == "000" and w.reason in ("A94", "A10")) or w.method in REVERSIBLE:
        if len(w.births) < w.want:
            set_measure(world, w, day, "000", "A10", "再婚待孕")
            w.trying_since = day
        elif w.method is None or w.method == "000":
            set_measure(world, w, day, "600", None, "再婚避孕")
