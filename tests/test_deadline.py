"""The deadline countdown in the context bar."""

import datetime as dt

import pytest

from fpdesk.deadline import due_date, next_deadline


@pytest.mark.parametrize(("today", "day", "submitted", "period", "days_left"), [
    (dt.date(2026, 11, 24), 5, frozenset(), "2026-11", 11),              # October's report already past due
    (dt.date(2026, 12, 2), 5, frozenset(), "2026-11", 3),                 # November due on 5 December
    (dt.date(2026, 12, 5), 5, frozenset(), "2026-11", 0),                 # the last day
    (dt.date(2026, 12, 2), 5, frozenset({"2026-11"}), "2026-12", 34),      # submitted early: next is December's
    (dt.date(2027, 1, 30), 31, frozenset(), "2026-12", 1),                # day 31 is clamped in short months
])
def test_next_deadline(today, day, submitted, period, days_left) -> None:
    deadline = next_deadline(today, day, submitted=submitted)
    assert (deadline.period, deadline.days_left) == (period, days_left)


def test_countdown_text() -> None:
    assert next_deadline(dt.date(2026, 12, 2), 5).text == "距11月报表报送截止还有 3 天"
    assert next_deadline(dt.date(2026, 12, 5), 5).text == "11月报表今天截止报送"


def test_due_date_in_february() -> None:
    assert due_date("2027-01", 30) == dt.date(2027, 2, 28)
