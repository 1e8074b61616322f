"""Builders for the ledger tests: a village entered by hand through the real service functions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from fpdesk import services
from fpdesk.ops import Changes

D = dt.date.fromisoformat
BASELINE = D("2026-08-01")  # the day the village was first entered (no change events for baseline members)


def man(name: str, born: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "sex": "1", "birth_date": born, "marital_status": "10", **fields}


def woman(name: str, born: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "sex": "2", "birth_date": born, "marital_status": "10", **fields}


def household(conn: sqlite3.Connection, number: str, *members: dict[str, Any], group: str = "一组",
              moved_in: str | None = None, today: dt.date = BASELINE) -> list[int]:
    """Register a household; returns its members' person ids in the order given."""
    ch = services.register_household(conn, number=number, group=group, members=list(members), moved_in=moved_in,
                                     address=f"{group}{number}号", today=today)
    return [r.id for r in ch.inserted if r.table == "person"]


def marry(conn: sqlite3.Connection, person: int, date: str, *, spouse: int | None = None, outside: str = "",
          today: dt.date = BASELINE, **spouse_info: Any) -> Changes:
    """A marriage to a village spouse (``spouse``) or to someone from outside (``outside`` = his name)."""
    info = {"spouse_name": outside, **spouse_info} if outside else None
    return services.record_marriage(conn, person=person, date=date, spouse=spouse, spouse_info=info, today=today)


def birth(conn: sqlite3.Connection, mother: int, name: str, sex: str, date: str, *,
          today: dt.date = BASELINE, **kw: Any) -> int:
    """A birth; returns the child's person id (or the birth id when the child is not added to the household)."""
    ch = services.record_birth(conn, mother=mother, child_name=name, sex=sex, birth_date=date, today=today, **kw)
    people = [r.id for r in ch.inserted if r.table == "person"]
    return people[0] if people else next(r.id for r in ch.inserted if r.table == "birth")


def lock(conn: sqlite3.Connection, period: str, submitted: str) -> None:
    """The month was submitted (报送) and is locked: later entries for it are reported late (补报)."""
    conn.execute("INSERT INTO period_lock(period, submitted_at) VALUES (?, ?)", (period, submitted))
