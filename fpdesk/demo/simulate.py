"""The village month by month, from the day its file began to ``as_of``.

Each month the people are sorted once into the groups the steps look at (working age, married women with a
card, people away), with their age that month, so a year of a 10,000-person village costs milliseconds.
"""

from __future__ import annotations

from fpdesk.dates import add_years
from fpdesk.demo import care, fertility, life, moves
from fpdesk.demo.model import DAY, FEMALE, MARRIED, World, month_end


def simulate(world: World) -> None:
    """Every month: deaths, the cards of married women, marriages and divorces, moves, services and benefits."""
    m0 = world.start
    while m0 <= world.as_of:
        m1 = min(month_end(m0), world.as_of)
        present = [p for p in world.persons if p.death is None and p.moved_out is None and p.residence != "3"]
        life.deaths(world, present, m0, m1)
        young, old, card_from = add_years(m1, -18), add_years(m1, -51), add_years(m0, -50)
        working = []
        away = []
        year, md = m1.year, m1.month * 100 + m1.day
        for p in present:
            if p.death is not None or p.moved_out is not None:
                continue
            b = p.birth
            if old < b <= young:
                p.age_now = year - b.year - (b.month * 100 + b.day > md)
                working.append(p)
            elif p.residence == "2" or p.move_out_due is not None:
                p.age_now = year - b.year - (b.month * 100 + b.day > md)
                away.append(p)
        cards = [p for p in working if p.sex == FEMALE and p.marital in MARRIED and p.birth > card_from]
        for w in cards:
            fertility.month(world, w, m0, m1)
        life.family(world, working, m0, m1)
        moves.moves(world, working, away, len(present), m0, m1)
        care.month(world, present, [w for w in cards if w.marital in MARRIED], m0, m1)
        moves.ensure_recent_change(world, working, m0, m1)
        m0 = month_end(m0) + DAY
