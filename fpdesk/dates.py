"""Dates as the ledgers write them (2026-11-23), months as periods ('2026-11'), and the statistics year."""

from __future__ import annotations

import datetime as dt
import re

from fpdesk.errors import InputError

_DATE_RE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")
_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_PERIOD_RE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})月?\s*$")


def parse_date(value: object, *, field: str, label: str = "日期", required: bool = False) -> dt.date | None:
    """Read a date given as ``date``, ``datetime`` or text (2026-11-23, 2026/11/23, 2026.11.23, 20261123)."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if required:
            raise InputError(f"{label}不能为空。", field=field)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _DATE_RE.match(value) or _COMPACT_RE.match(value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
    raise InputError(f"{label}“{value}”不是有效日期，请按 2026-11-23 的格式填写。", field=field)


def iso(day: dt.date | None) -> str | None:
    """The stored form of a date."""
    return None if day is None else day.isoformat()


def from_iso(text: str | None) -> dt.date | None:
    """A stored date back to ``date``."""
    return None if not text else dt.date.fromisoformat(text)


def period_of(day: dt.date) -> str:
    """The month a date falls in, as '2026-11'."""
    return f"{day.year:04d}-{day.month:02d}"


def parse_period(value: object, *, field: str = "period") -> str:
    """A month given as '2026-11', '2026/11' or '2026年11月'."""
    if isinstance(value, dt.date):
        return period_of(value)
    m = _PERIOD_RE.match(str(value)) if value is not None else None
    if m and 1 <= int(m[2]) <= 12:
        return f"{int(m[1]):04d}-{int(m[2]):02d}"
    raise InputError(f"月份“{value}”无效，请按 2026-11 的格式填写。", field=field)


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a month."""
    year, month = int(period[:4]), int(period[5:7])
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def previous_period(period: str) -> str:
    """The month before."""
    first, _ = period_bounds(period)
    return period_of(first - dt.timedelta(days=1))


def period_label(period: str) -> str:
    """'2026-11' as the clerk reads it: 2026年11月."""
    return f"{period[:4]}年{int(period[5:7])}月"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 Feb becomes 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in full years on ``day`` (周岁)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def statistics_year_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The statistics year (1 Oct – 30 Sep) containing ``day``."""
    start_year = day.year if day.month >= 10 else day.year - 1
    return dt.date(start_year, 10, 1), dt.date(start_year + 1, 9, 30)
