"""The birth policy in force on a date, to *suggest* a birth's policy status (政策属性).

A suggestion only: the clerk decides, and what she recorded is never overwritten.
  * before 2016-01-01: one child; rural (agricultural hukou) families whose first child is a girl may have a
    second (the common local exception, 一孩半);
  * 2016-01-01 to 2021-05-30: two children (全面两孩);
  * from 2021-05-31: three children.
"""

from __future__ import annotations

import datetime as dt

from fpdesk.codes import FEMALE

TWO_CHILD_FROM = dt.date(2016, 1, 1)
THREE_CHILD_FROM = dt.date(2021, 5, 31)
IN_POLICY, OUT_OF_POLICY = "1", "2"


def children_allowed(*, birth_date: dt.date, rural: bool, first_child_sex: str | None) -> int:
    """How many children the policy of ``birth_date`` allowed this family."""
    if birth_date >= THREE_CHILD_FROM:
        return 3
    if birth_date >= TWO_CHILD_FROM:
        return 2
    return 2 if rural and first_child_sex == FEMALE else 1


def suggest_policy_status(*, birth_date: dt.date, birth_order: int, rural: bool, first_child_sex: str | None) -> str:
    """"1" (政策内) or "2" (政策外) for a child of ``birth_order`` born on ``birth_date``."""
    allowed = children_allowed(birth_date=birth_date, rural=rural, first_child_sex=first_child_sex)
    return IN_POLICY if birth_order <= allowed else OUT_OF_POLICY
