"""The village as it stood when its file began: households, couples, their children and old parents.

A household is built around a couple whose wife's age follows a rural age pyramid (many people in their fifties,
fewer young adults, who have gone to work in the cities). The couple married at a realistic age, had children
under the policy of the time (one child, a second after a girl for rural families, more after 2016), and their
grown daughters have married out; sons who married have households of their own. Some old people are widowed
and live with a son's family. Everything is written as baseline (no change events).
"""

from __future__ import annotations

import datetime as dt

from fpdesk.dates import add_years, age_on
from fpdesk.demo import calls
from fpdesk.demo.cards import open_card
from fpdesk.demo.desk import BASELINE
from fpdesk.demo.model import FEMALE, MALE, Birth, Household, Person, Spouse, World, days, education_for
from fpdesk.demo.names import DESTINATIONS, FAR, NEARBY
from fpdesk.policy import TWO_CHILD_FROM

# Wife's age when the file begins: (from, to, weight).
BANDS = ((20, 24, 3.0), (25, 29, 5.0), (30, 34, 7.0), (35, 39, 6.0), (40, 44, 6.0), (45, 49, 8.0), (50, 54, 10.0),
         (55, 59, 9.0), (60, 64, 8.0), (65, 69, 7.5), (70, 74, 5.0), (75, 79, 3.0), (80, 86, 1.8))
_BAND_W = [b[2] for b in BANDS]
OTHER_ETHNICITIES = ("15", "06", "03", "08")   # 土家族, 苗族, 回族, 壮族


def populate(world: World, target: int) -> None:
    """Households until the village has about ``target`` people, then its outflow and inflow people."""
    rng = world.rng
    weights = [rng.uniform(0.7, 1.3) for _ in world.groups]
    while len(world.persons) < target:
        _family(world, rng.choices(world.groups, weights)[0])
    for p in list(world.persons):
        _baseline_outflow(world, p)
    for _ in range(max(1, round(target * 0.005))):
        _baseline_inflow(world)


def ethnicity(world: World) -> str:
    return "01" if world.rng.random() < 0.975 else world.rng.choice(OTHER_ETHNICITIES)


def outside_spouse(world: World, *, sex: str, birth: dt.date, since: dt.date) -> Spouse:
    """Someone from elsewhere (a nearby county mostly), known on the card by name and ID number."""
    rng = world.rng
    region = rng.choice(NEARBY if rng.random() < 0.8 else FAR)[0]
    return Spouse(name=world.names.full(sex, birth), id_number=world.id_number(region, birth, sex), birth=birth,
                  ethnicity=ethnicity(world), education=education_for(rng, birth, sex, since) or "70",
                  hukou="1" if rng.random() < 0.9 else "2",
                  occupation=rng.choice(("外出务工", "务农", "个体经营", "司机", "建筑工")),
                  death_plan=world.plan_death(birth, world.start))


def children(world: World, married: dt.date, wife_birth: dt.date, rural: bool) -> tuple[list, int, dt.date | None]:
    """The couple's children born before the file began, how many they want, and the next birth if one is
    coming. Policy of each child's time: one child (a rural family whose first is a girl may have a second,
    four years on), two from 2016."""
    rng = world.rng
    until = world.start
    if rng.random() < 0.03:
        return [], 0, None
    kids: list[tuple[dt.date, str]] = []
    t = married + days(rng.randint(300, 900))
    limit = add_years(wife_birth, 43)
    boom_tried = False
    while t <= limit:
        if t >= until:
            return kids, len(kids) + 1, t
        n = len(kids)
        first_girl = n > 0 and kids[0][1] == FEMALE
        p_male = 0.51 if n == 0 else (0.56 if first_girl and t < TWO_CHILD_FROM else 0.52)
        sex = MALE if rng.random() < p_male else FEMALE
        kids.append((t, sex))
        n += 1
        girls = all(s == FEMALE for _, s in kids)
        if t < TWO_CHILD_FROM:
            p = (0.78 if rural and sex == FEMALE else 0.12 if rural else 0.04) if n == 1 else \
                (0.08 if girls else 0.015) if n == 2 else 0.01
            gap = rng.randint(1460, 2555) if n == 1 and rural and sex == FEMALE else rng.randint(730, 2190)
        else:
            p = (0.45 if age_on(wife_birth, t) < 36 else 0.08) if n == 1 else (0.12 if girls else 0.04) if n == 2 \
                else 0.01
            gap = rng.randint(730, 1825)
        if rng.random() < p:
            t = t + days(gap)
            continue
        # 全面两孩 (2016): some one-child families had the second they had been refused
        if n == 1 and t < TWO_CHILD_FROM and not boom_tried and age_on(wife_birth, TWO_CHILD_FROM) < 38:
            boom_tried = True
            if rng.random() < 0.3:
                t = max(t + days(730), TWO_CHILD_FROM + days(rng.randint(60, 1400)))
                continue
        return kids, n, None
    return kids, len(kids), None


def _family(world: World, group: str) -> None:
    rng = world.rng
    start = world.start
    lo, hi, _ = rng.choices(BANDS, _BAND_W)[0]
    wife_age = rng.randint(lo, hi)
    wife_birth = add_years(start, -wife_age) - days(rng.randint(1, 364))
    gap = max(-2, min(8, round(rng.gauss(2.3, 2.0))))
    husband_birth = add_years(wife_birth, -gap) + days(rng.randint(-120, 120))
    legal = max(add_years(wife_birth, 20), add_years(husband_birth, 22))
    married = wife_birth + days(int(rng.gauss(22.2 if wife_birth.year >= 1975 else 21.4, 1.7) * 365.25))
    married = max(married, legal + days(rng.randint(0, 200)))
    if married > start - days(45):
        return
    rural = rng.random() < 0.94
    kids, want, coming = children(world, married, wife_birth, rural)

    state = "couple"
    roll = rng.random()
    if wife_age >= 55:
        widow = min(0.6, max(0.0, (wife_age - 52) * 0.02))
        widower = min(0.35, max(0.0, (wife_age - 58) * 0.012))
        state = "widow" if roll < widow else "widower" if roll < widow + widower else "couple"
    elif wife_age <= 49 and coming is None:
        state = "divorced" if roll < 0.025 else "widow" if roll < 0.03 else "outside" if roll < 0.08 else "couple"
    end = None
    if state in ("widow", "widower", "divorced"):
        lo_end = max([married] + [k[0] for k in kids]) + days(300)
        if lo_end >= start - days(30):
            state = "couple"
        else:
            end = world.random_day(lo_end, start - days(30))

    # Who lives in the household is decided before anyone is created, so roster numbers have no gaps.
    has_husband, has_wife = state in ("couple", "widower"), state != "widower"
    stays = []
    for day, sex in kids:
        age = age_on(day, start)
        leave = min(0.95, (age - 20) * 0.14) if sex == FEMALE else min(0.85, (age - 23) * 0.12)
        stays.append(age < 18 or rng.random() > leave)
    parent = None
    if state == "couple" and wife_age <= 48 and rng.random() < 0.28:
        parent_birth = add_years(husband_birth, -rng.randint(24, 32)) - days(rng.randint(0, 300))
        if age_on(parent_birth, start) <= 92:
            parent = (FEMALE if rng.random() < 0.7 else MALE, parent_birth)
    count = has_husband + has_wife + sum(stays) + (parent is not None)
    lone_son = None
    if count == 1:          # an old widow(er) alone: lives with an unmarried son, or is in a son's household
        lone_son = add_years(wife_birth if has_wife else husband_birth, rng.randint(24, 32)) + days(rng.randint(0, 300))
        if wife_age < 55 or rng.random() < 0.45 or lone_son > add_years(start, -26):
            return
    while count > 6:
        if parent is not None:
            parent = None
        else:
            stays[stays.index(True)] = False
        count -= 1
    card_age = has_wife and wife_age <= 49
    one_child_cert = (card_age and len(kids) == 1 and coming is None and want <= 1
                      and kids[0][0] < min(TWO_CHILD_FROM, start) and rng.random() < 0.6)

    hh = world.new_household(group)
    fam_eth = ethnicity(world)
    own_daughter = state in ("outside", "divorced")     # she is of the village, her husband is not
    surname = world.names.village_surname()
    hukou = "1" if rural else "2"
    outside = None
    if state in ("outside", "divorced") or (state == "widow" and card_age):
        outside = outside_spouse(world, sex=MALE, birth=husband_birth, since=married)
        outside.death_plan = None
    kid_surname = surname
    if outside is not None and (state != "outside" or rng.random() < 0.7):
        kid_surname = outside.name[0]
    members: list[Person] = []
    husband = wife = None
    if has_husband:
        husband = world.new_person(sex=MALE, birth=husband_birth, surname=surname, ethnicity=fam_eth, hukou=hukou,
                                   relation="01", household=hh)
        members.append(husband)
    if has_wife:
        region = world.village.region if own_daughter or rng.random() < 0.6 else rng.choice(NEARBY)[0]
        wife = world.new_person(sex=FEMALE, birth=wife_birth, surname=surname if own_daughter else None,
                                region=region, ethnicity=fam_eth if rng.random() < 0.9 else ethnicity(world),
                                hukou=hukou if rng.random() < 0.97 else ("2" if rural else "1"),
                                relation="02" if husband else "01", household=hh)
        members.append(wife)
    births: list[Birth] = []
    for (day, sex), stay in zip(kids, stays):
        child = None
        if stay:
            child = world.new_person(sex=sex, birth=day, surname=kid_surname,
                                     ethnicity=wife.ethnicity if wife else fam_eth,
                                     hukou=wife.hukou if wife else hukou, relation="03" if sex == MALE else "04",
                                     household=hh, only_child=one_child_cert)
            members.append(child)
        name = child.name if child else world.names.full(sex, day, kid_surname)
        births.append(Birth(date=day, sex=sex, name=name, child=child))
    if parent is not None:
        psex, pbirth = parent
        elder = world.new_person(sex=psex, birth=pbirth, surname=surname if psex == MALE else None,
                                 ethnicity=fam_eth, hukou=hukou, relation="05", household=hh)
        _widowed_long_ago(world, elder)
        members.append(elder)
    if lone_son is not None:
        members.append(world.new_person(sex=MALE, birth=lone_son, surname=surname, ethnicity=fam_eth, hukou=hukou,
                                        relation="03", household=hh))
    _write(world, hh, members, husband=husband, wife=wife, outside=outside, married=married, state=state,
           end=end, births=births, want=want, coming=coming, rural=rural, one_child_cert=one_child_cert)


def _widowed_long_ago(world: World, p: Person) -> None:
    """An old person whose spouse died before the file began (no marriage record kept: before the card)."""
    rng = world.rng
    p.marital = "30"
    p.first_marriage = add_years(p.birth, rng.randint(22, 25)) + days(rng.randint(0, 300))
    p.marital_change = world.random_day(add_years(p.first_marriage, 15), world.start - days(60))


def _write(world: World, hh: Household, members: list[Person], *, husband: Person | None, wife: Person | None,
           outside: Spouse | None, married: dt.date, state: str, end: dt.date | None, births: list[Birth],
           want: int, coming: dt.date | None, rural: bool, one_child_cert: bool) -> None:
    rng = world.rng
    start = world.start
    desk = world.desk
    card_age = wife is not None and age_on(wife.birth, start) <= 49
    old = [p for p in (husband, wife) if p is not None and age_on(p.birth, start) >= 50]
    if state in ("widow", "widower") and not card_age:
        survivor = wife or husband
        survivor.marital, survivor.first_marriage, survivor.marital_change = "30", married, end
    desk.add(BASELINE, start, (hh, *members), calls.register_household(hh, members))
    if wife is not None and husband is not None:
        desk.add(BASELINE, start, (wife, husband), calls.marriage(wife, married, spouse=husband))
        for a, b in ((wife, husband), (husband, wife)):
            a.marital, a.first_marriage, a.spouse = "21", married, b
    elif wife is not None and outside is not None:
        desk.add(BASELINE, start, (wife,), calls.marriage(wife, married, outside=outside))
        wife.marital, wife.first_marriage, wife.outside = "21", married, outside
        if state in ("divorced", "widow"):
            ender = calls.divorce if state == "divorced" else calls.widowhood
            desk.add(BASELINE, start, (wife,), ender(wife, end))
            wife.marital, wife.marital_change, wife.outside = ("40" if state == "divorced" else "30"), end, None
            if state == "divorced":
                wife.exes.append(outside)
    if rural and old and rng.random() < 0.15:
        for p in old:
            p.reward = True
        holder = wife or husband
        issued = dt.date(rng.randint(1984, 1996), rng.randint(1, 12), rng.randint(1, 28))
        if issued < start and issued > add_years(holder.birth, 20):
            desk.add(BASELINE, start, (holder,), calls.certificate(holder, "0108", issued, world.certificate_no(issued)))
    if wife is not None and card_age:
        open_card(world, wife, births=births, married=married, want=want, coming=coming, ended=end,
                  one_child_cert=one_child_cert)


def _baseline_outflow(world: World, p: Person) -> None:
    """Working-age people who were already away working when the file began (流出)."""
    rng = world.rng
    start = world.start
    age = age_on(p.birth, start)
    if p.residence != "1" or not 18 <= age <= 50:
        return
    young_child = any(age_on(b.date, start) < 3 for b in p.births)
    share = 0.28 if p.sex == MALE else (0.05 if young_child else 0.17)
    follows = p.sex == FEMALE and p.spouse is not None and p.spouse.residence == "2" and rng.random() < 0.5
    if not follows and rng.random() >= share:
        return
    if follows:
        day, place = p.spouse.flow_start, p.spouse.flow_place
    else:
        place = rng.choices([d for d, _ in DESTINATIONS], [w for _, w in DESTINATIONS])[0]
        day = world.random_day(max(add_years(p.birth, 17), start - days(2000)), start - days(30))
    cert = ""
    if p.sex == FEMALE and p.is_married() and day < dt.date(2021, 5, 31):
        cert = world.certificate_no(day)
        world.desk.add(BASELINE, start, (p,), calls.certificate(p, "0109", day, cert))
    world.desk.add(BASELINE, start, (p,), calls.outflow(p, day, place, cert))
    p.residence, p.flow_place, p.flow_start = "2", place, day


def lodger_marriage(world: World, p: Person, arrived: dt.date, share: float) -> None:
    """Some people from elsewhere are married (their spouse is not of the village): from their legal age on."""
    wed = add_years(p.birth, (20 if p.sex == FEMALE else 22) + world.rng.randint(0, 5)) + days(world.rng.randint(0, 300))
    if world.rng.random() < share and wed < arrived - days(30):
        p.marital, p.first_marriage = "21", wed


def _baseline_inflow(world: World) -> None:
    """People from elsewhere living in the village (流入), lodging with a household."""
    rng = world.rng
    start = world.start
    region, place = rng.choice(FAR if rng.random() < 0.7 else NEARBY)
    sex = MALE if rng.random() < 0.6 else FEMALE
    birth = add_years(start, -rng.randint(20, 45)) - days(rng.randint(0, 364))
    host = rng.choice(world.households)
    p = world.new_person(sex=sex, birth=birth, region=region, ethnicity=ethnicity(world), relation="99")
    p.residence = "3"
    p.death_plan = None
    arrived = world.random_day(start - days(900), start - days(30))
    lodger_marriage(world, p, arrived, 0.6)
    cert = world.certificate_no(arrived) if p.marital == "21" and sex == FEMALE and arrived < dt.date(2021, 5, 31) else ""
    world.desk.add(BASELINE, start, (p,), calls.inflow(p, arrived, place=place, hh=host, certificate_no=cert))
    p.flow_place = place
    if p.marital == "21" and sex == FEMALE:
        method = rng.choice(("700", "700", "600", "810"))
        world.desk.add(BASELINE, start, (p,), calls.measure(p, arrived, method, reason="流入登记",
                                                            institution=world.institutions[0] if method != "600" else ""))
        p.method, p.method_since = method, arrived
    world.inflow.append(p)
