"""The floor: the board's figures (公示牌) computed by SQLite alone, straight from the village file.

No snapshot, no records, no Python per person: what the same numbers cost when the database does all the work.
Every harness figure is printed as a multiple of this floor on the same file, so that a figure that grows faster
than the data shows up, and figures from different machines can be compared.

``board_sql(conn, day)`` gives the figures; ``board_program(snap)`` the same figures from ``fpdesk.ledgers.board``;
``agree`` says where they differ (the harness prints it: a floor that does not compute the same thing is no floor).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Mapping

from fpdesk import codes
from fpdesk.dates import add_years, statistics_year_bounds

# The registered population on :day (fpdesk.ledgers.population.in_population).
_PRESENT = """residence <> '3' AND (birth_date IS NULL OR birth_date <= :day)
  AND (death_date IS NULL OR death_date > :day) AND (moved_out_date IS NULL OR moved_out_date > :day)
  AND (moved_in_date IS NULL OR moved_in_date <= :day)"""

_POPULATION = f"""SELECT count(*), count(DISTINCT household_id), sum(sex = '1'), sum(sex = '2')
FROM person WHERE {_PRESENT}"""

# 已婚育龄妇女 and the measure in force on :day (the latest started when several are), 000 when none.
_METHODS = f"""SELECT coalesce((
    SELECT method FROM measure WHERE measure.person_id = person.id
      AND (start_date IS NULL OR start_date <= :day) AND (end_date IS NULL OR end_date > :day)
    ORDER BY coalesce(start_date, '0000-01-01') DESC, id DESC LIMIT 1), '000'), count(*)
FROM person WHERE sex = '2' AND marital_status IN ('20', '21', '22', '23') AND {_PRESENT}
  AND birth_date IS NOT NULL AND birth_date <= :age15 AND birth_date > :age50
GROUP BY 1"""

_BIRTHS = """SELECT count(*), sum(birth_order = 1), sum(birth_order = 2), sum(birth_order >= 3), sum(child_sex = '1'),
  sum(child_sex = '2'), sum(policy_status = '1'), sum(policy_status = '2')
FROM birth WHERE birth_date BETWEEN :start AND :last"""

KEYS = ("population", "households", "males", "females", "married_women", "contraception_users", "long_acting",
        "births", "births_first", "births_second", "births_third_plus", "births_male", "births_female",
        "births_in_policy", "births_out_of_policy")


def board_sql(conn: sqlite3.Connection, day: dt.date) -> dict[str, int]:
    """The board's main figures on ``day``, by SQL alone."""
    start, end = statistics_year_bounds(day)
    params = {"day": day.isoformat(), "age15": add_years(day, -15).isoformat(),
              "age50": add_years(day, -50).isoformat(), "start": start.isoformat(),
              "last": min(end, day).isoformat()}
    population, households, males, females = conn.execute(_POPULATION, params).fetchone()
    methods = dict(conn.execute(_METHODS, params).fetchall())
    births = conn.execute(_BIRTHS, params).fetchone()
    married = sum(methods.values())
    figures = [population, households, males, females, married, married - methods.get(codes.NO_MEASURE, 0),
               sum(n for m, n in methods.items() if m in codes.LONG_ACTING_METHODS), *births]
    return dict(zip(KEYS, (int(x or 0) for x in figures)))


def board_program(snap) -> dict[str, int]:
    """The same figures from the program's own board (``fpdesk.ledgers.board``)."""
    from fpdesk.ledgers.board import board

    b = board(snap)
    return {k: getattr(b, k) for k in KEYS}


def agree(sql: Mapping[str, int], program: Mapping[str, int]) -> list[str]:
    """The figures on which the floor and the program differ ("" when they agree)."""
    return [f"{k}: SQL {sql[k]} ≠ program {program[k]}" for k in KEYS if sql[k] != program[k]]
