"""Completeness and timeliness of a month: reported on time, late (made after the deadline day of the next month),
not yet due, missing; and the months over time for the chart."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.township import import_files, month_status, open_township_file, reporting_over_time, set_deadline_day
from fpdesk.township.status import AWAITING, LATE, MISSING, ON_TIME, months_between
from tests.test_township_villages import (  # noqa: F401  (township_villages is a fixture)
    PERIOD, TODAY, correct_october, first_report_again, township_file, township_villages,
)


@pytest.fixture
def four(township_villages, tmp_path):
    """A township of four villages: one reported on time, one late, one corrected after the deadline, one not."""
    vs = township_villages[:4]
    conn = open_township_file(township_file(tmp_path, vs))
    late = first_report_again(vs[1], tmp_path / "late", made_at=dt.datetime(2026, 11, 9, 16, 0))
    corrected = correct_october(vs[2], tmp_path / "corr", made_at=dt.datetime(2026, 11, 20, 10, 0))
    import_files(conn, [vs[0].october, late, vs[2].october, corrected], today=TODAY)
    yield conn, vs
    conn.close()


def test_who_reported_on_time_late_or_not_at_all(four):
    conn, vs = four
    status = month_status(conn, PERIOD, today=TODAY)
    assert status.due == dt.date(2026, 11, 5)
    states = {v.village.code: (v.state, v.days_late, v.label) for v in status.villages}
    assert states == {
        vs[0].code: (ON_TIME, 0, "按时报送"),
        vs[1].code: (LATE, 4, "逾期 4 天"),
        vs[2].code: (ON_TIME, 0, "按时报送（更正 1 次）"),    # a later correction does not make it late
        vs[3].code: (MISSING, 0, "未报送"),
    }
    assert status.summary == f"已报 3/4（按时 2，逾期 1），未报 1：{vs[3].name}"


def test_before_the_deadline_a_village_not_reported_is_awaited(four):
    conn, vs = four
    status = month_status(conn, PERIOD, today=dt.date(2026, 11, 4))
    assert [v.state for v in status.villages][3] == AWAITING
    assert status.summary.endswith(f"待报 1：{vs[3].name}")


def test_the_deadline_day_is_the_townships(four):
    conn, vs = four
    set_deadline_day(conn, 10)
    status = month_status(conn, PERIOD, today=TODAY)
    assert [v.state for v in status.villages][:2] == [ON_TIME, ON_TIME]


def test_reporting_over_time(four):
    conn, _ = four
    # from the first month anyone reported
    months = reporting_over_time(conn, until="2026-11", today=TODAY)
    assert [(m.period, m.on_time, m.late, m.missing, m.awaiting) for m in months] == [
        ("2026-10", 2, 1, 1, 0), ("2026-11", 0, 0, 0, 4)]      # November's reports are not due yet


def test_months_between():
    assert months_between("2025-11", "2026-02") == ("2025-11", "2025-12", "2026-01", "2026-02")
