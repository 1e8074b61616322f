"""The demo village in memory: its people, households and women's cards as the simulation sees them.

The simulation decides everything here first (pure Python, one seeded ``random.Random``); the clerk's desk
(``desk.py``) then writes it through the service functions. Ids in the village file are filled in as the
writes happen, so a later write can refer to an earlier one.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from fpdesk.dates import add_years, age_on
from fpdesk.demo.desk import Desk
from fpdesk.demo.names import NamePicker
from fpdesk.idnumber import make_id_number

DAY = dt.timedelta(days=1)
MALE, FEMALE = "1", "2"
MARRIED = ("21", "22", "23")


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def month_end(first: dt.date) -> dt.date:
    return dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1) - DAY


@dataclass(eq=False, slots=True)
class Household:
    """户: number, group name, address, members (everyone who was ever in it), id once written."""

    number: str
    group: str
    address: str
    members: list[Person] = field(default_factory=list)
    id: int | None = None


@dataclass(eq=False, slots=True)
class Spouse:
    """A spouse from outside the village (配偶信息 on the card)."""

    name: str
    id_number: str
    birth: dt.date
    ethnicity: str
    education: str
    hukou: str
    occupation: str
    death_plan: dt.date | None = None

    def info(self) -> dict[str, Any]:
        return {"spouse_name": self.name, "spouse_id_number": self.id_number, "spouse_birth_date": self.birth,
                "spouse_ethnicity": self.ethnicity, "spouse_education": self.education, "spouse_hukou": self.hukou,
                "spouse_occupation": self.occupation}


@dataclass(eq=False, slots=True)
class Birth:
    """One child on a woman's card."""

    date: dt.date
    sex: str
    name: str
    child: Person | None = None
    id: int | None = None


@dataclass(eq=False, slots=True)
class Pregnancy:
    """A pregnancy as it will turn out: registered on ``registered``, ending on ``end`` with ``outcome``."""

    lmp: dt.date
    registered: dt.date
    end: dt.date
    outcome: str                  # "1" live birth, "3" miscarriage, "4" induced abortion
    twins: bool = False
    registered_done: bool = False
    id: int | None = None


@dataclass(eq=False, slots=True)
class Person:
    """A person of the village (or an inflow person), with a woman's card state when she has one."""

    roster_no: str
    name: str
    sex: str
    birth: dt.date
    id_number: str
    ethnicity: str
    education: str | None
    hukou: str
    occupation: str
    relation: str
    household: Household | None
    last: dt.date                 # the latest date of anything that happened to them so far
    id: int | None = None
    death_plan: dt.date | None = None
    death: dt.date | None = None
    moved_out: dt.date | None = None
    move_out_due: dt.date | None = None
    move_out_place: str = ""
    residence: str = "1"
    flow_place: str = ""
    flow_start: dt.date | None = None
    marital: str = "10"
    first_marriage: dt.date | None = None
    marital_change: dt.date | None = None
    spouse: Person | None = None
    outside: Spouse | None = None
    exes: list[Spouse] = field(default_factory=list)
    only_child: bool = False
    marriage_id: int | None = None
    # a woman's card
    births: list[Birth] = field(default_factory=list)
    method: str | None = None
    reason: str | None = None
    method_since: dt.date | None = None
    measure_id: int | None = None
    preg: Pregnancy | None = None
    last_preg_end: dt.date | None = None
    pp_due: dt.date | None = None
    followup: dt.date | None = None
    want: int = 0
    fecund: float = 1.0
    trying_since: dt.date | None = None
    menopause: dt.date | None = None
    only_child_cert: bool = False
    reward: bool = False          # 奖励扶助 family (one child, or two daughters, rural)
    subsidies: list[list[Any]] = field(default_factory=list)   # [child birth date, next due date]
    service_id: int | None = None
    serviced: dt.date | None = None   # the date of her latest service
    protected: bool = False       # a planted error's subject: life leaves her as she is
    age_now: int = 0              # age at the end of the month being simulated

    def age(self, day: dt.date) -> int:
        return age_on(self.birth, day)

    def active(self, day: dt.date) -> bool:
        """In the village's records on ``day``: alive and not moved out."""
        return (self.death is None or self.death > day) and (self.moved_out is None or self.moved_out > day)

    def is_married(self) -> bool:
        return self.marital in MARRIED

    def card(self, day: dt.date) -> bool:
        """Has a card in use: a married woman of the registered population aged 15–49."""
        return (self.sex == FEMALE and self.marital in MARRIED and self.residence != "3" and self.active(day)
                and self.birth <= add_years(day, -15) and day < add_years(self.birth, 50))

    def fields(self) -> dict[str, Any]:
        """The person as ``register_household`` / ``add_person`` take it."""
        return {
            "roster_no": self.roster_no, "relation": self.relation, "name": self.name, "sex": self.sex,
            "birth_date": self.birth, "id_number": self.id_number, "ethnicity": self.ethnicity,
            "education": self.education, "hukou": self.hukou, "occupation": self.occupation,
            "marital_status": self.marital, "first_marriage_date": self.first_marriage,
            "marital_change_date": self.marital_change, "residence": self.residence,
            "only_child": int(self.only_child),
        }


@dataclass(slots=True)
class VillageInfo:
    code: str
    region: str
    name: str
    township: str
    county: str
    clerk: str
    phone: str


def gompertz(age: int) -> float:
    """Yearly probability of dying at ``age`` (rural China, roughly: 1‰ at 40, 8‰ at 60, 5% at 80)."""
    return min(0.6, math.exp(-10.3 + 0.092 * age))


class World:
    """Everything the simulation knows, and the factories that keep names, numbers and ids consistent."""

    def __init__(self, *, rng: random.Random, start: dt.date, as_of: dt.date, village: VillageInfo,
                 groups: list[str]) -> None:
        self.rng = rng
        self.start = start
        self.as_of = as_of
        self.village = village
        self.groups = groups
        self.names = NamePicker(rng)
        self.desk = Desk(rng=rng, start=start, as_of=as_of)
        self.persons: list[Person] = []
        self.inflow: list[Person] = []
        self.subsidized: list[Person] = []     # mothers paid 育儿补贴
        self.households: list[Household] = []
        self._hh_seq = {g: 0 for g in groups}
        self._ids: set[str] = set()
        self._cert_seq = 0
        self.institutions = (f"{village.township}卫生院", f"{village.county}妇幼保健院",
                             f"{village.township}计生服务站")
        self.twins_due = add_years(start, 1) + days(180)
        self.twins_done = False
        self.stale_postpartum: Person | None = None   # planted error E12, chosen as it happens

    # -- numbers --------------------------------------------------------------------------------------------
    def id_number(self, region: str, birth: dt.date, sex: str) -> str:
        """A valid ID number nobody else in the file has."""
        while True:
            number = make_id_number(region=region, birth_date=birth, sequence=self.rng.randrange(1000), sex=sex)
            if number not in self._ids:
                self._ids.add(number)
                return number

    def new_household(self, group: str) -> Household:
        self._hh_seq[group] += 1
        gi = self.groups.index(group) + 1
        seq = self._hh_seq[group]
        hh = Household(number=f"{gi:02d}{seq:03d}", group=group,
                       address=f"{self.village.name}{group}{seq}号")
        self.households.append(hh)
        return hh

    def certificate_no(self, day: dt.date) -> str:
        self._cert_seq += 1
        return f"{self.village.region}{day.year}{self._cert_seq:05d}"

    # -- people ---------------------------------------------------------------------------------------------
    def new_person(self, *, sex: str, birth: dt.date, surname: str | None = None, region: str | None = None,
                   ethnicity: str = "01", hukou: str = "1", relation: str = "99",
                   household: Household | None = None, since: dt.date | None = None,
                   only_child: bool = False) -> Person:
        """A person with a name, ID number, education and occupation fitting their birth date."""
        rng = self.rng
        roster_no = f"P{len(self.persons) + 1:06d}"
        p = Person(
            roster_no=roster_no, name=self.names.full(sex, birth, surname), sex=sex, birth=birth,
            id_number=self.id_number(region or self.village.region, birth, sex),
            ethnicity=ethnicity, education=education_for(rng, birth, sex, since or self.start), hukou=hukou,
            occupation="", relation=relation, household=household, last=max(birth, since or self.start),
            only_child=only_child,
        )
        p.occupation = occupation_for(rng, p, since or self.start)
        p.death_plan = self.plan_death(birth, since or self.start)
        self.persons.append(p)
        if household is not None:
            household.members.append(p)
        return p

    def plan_death(self, birth: dt.date, since: dt.date) -> dt.date | None:
        """When this person will die, if before ``as_of``: year by year from ``since``."""
        rng = self.rng
        year = since.year
        while year <= self.as_of.year:
            if rng.random() < gompertz(year - birth.year):
                lo = max(since, dt.date(year, 1, 1), birth + DAY)
                hi = min(self.as_of, dt.date(year, 12, 31))
                return None if hi < lo else lo + days(rng.randint(0, (hi - lo).days))
            year += 1
        return None

    def random_day(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo if hi <= lo else lo + days(int(self.rng.random() * ((hi - lo).days + 1)))


_EDU = (  # (born before, [(code, weight)])
    (1950, (("90", 45), ("80", 45), ("70", 10))),
    (1965, (("90", 15), ("80", 50), ("70", 30), ("60", 5))),
    (1980, (("80", 25), ("70", 55), ("60", 14), ("40", 4), ("30", 2))),
    (1995, (("80", 5), ("70", 48), ("60", 20), ("40", 10), ("30", 11), ("20", 6))),
    (2100, (("70", 25), ("60", 28), ("40", 15), ("30", 19), ("20", 12), ("10", 1))),
)


def education_for(rng: random.Random, birth: dt.date, sex: str, day: dt.date) -> str | None:
    """文化程度 by birth cohort; children get the school they are in, infants none."""
    age = age_on(birth, day)
    if age < 6:
        return None
    if age < 12:
        return "80"
    if age < 15:
        return "70"
    if age < 18:
        return "70" if rng.random() < 0.3 else "60"
    for before, table in _EDU:
        if birth.year < before:
            codes_, weights = zip(*table)
            return rng.choices(codes_, weights)[0]
    return "70"


def occupation_for(rng: random.Random, p: Person, day: dt.date) -> str:
    age = age_on(p.birth, day)
    if age < 6:
        return ""
    if age < 19:
        return "学生"
    if age >= 70:
        return "无"
    if p.education in ("10", "20", "30") and rng.random() < 0.5:
        return rng.choice(("公司职员", "教师", "技术员", "自由职业"))
    return rng.choice(("务农", "务农", "务农", "外出务工", "外出务工", "个体经营", "建筑工", "司机"))
