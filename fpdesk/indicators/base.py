"""What an indicator is and what it returns: a span of time, a value with the records behind it, the registry entry.

Every indicator is a count over records (the numerator) set against another count (the denominator), both over
one span (a month, the statistics year to date, or the whole statistics year). The value keeps both counts and the
refs of the records in each, so a figure on the score panel opens to the people behind it. A zero denominator
gives ``value = None`` ("无数据"), never a crash and never a fake 100%.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import compress
from operator import gt
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from fpdesk.dates import period_bounds, period_label, statistics_year_bounds
from fpdesk.records import Ref

if TYPE_CHECKING:
    from fpdesk.indicators.context import Context

MONTH, YTD, YEAR, LAST12 = "month", "ytd", "year", "last12"
SPAN_KINDS = {MONTH: "当月", YTD: "统计年度累计", YEAR: "统计年度", LAST12: "近12个月"}
PERCENT, PER_MILLE, RATIO = "%", "‰", ""
SCALES = {PERCENT: 100, PER_MILLE: 1000, RATIO: 100}   # a ratio (sex ratio) is "per 100 girls"
HIGHER, LOWER = "higher", "lower"                       # which way is better; None = neither (sex ratio)


@dataclass(frozen=True, slots=True)
class Span:
    """The time an indicator is computed over.

    kind: "month" (当月), "ytd" (the statistics year from 1 October to the end of the month, 累计), "year" (the
    whole statistics year, 1 October – 30 September) or "last12" (the twelve months ending with the month: for
    services due once a year, which a statistics year just begun would show as all undone).
    period: the month it was made for ('2026-11').
    start, end: first and last day, inclusive.
    """

    kind: str
    period: str
    start: dt.date
    end: dt.date

    def day(self, as_of: dt.date) -> dt.date:
        """The day stocks are counted on (married women, measures in force): the span's last day, or the
        snapshot's day when the span has not ended yet (nobody knows the future)."""
        return min(self.end, as_of)

    @property
    def label(self) -> str:
        """The span as the clerk reads it: 2026年11月 / 2025年10月—2026年11月累计 / 2025—2026统计年度."""
        if self.kind == MONTH:
            return period_label(self.period)
        if self.kind == YTD:
            return f"{self.start.year}年{self.start.month}月—{period_label(self.period)}累计"
        if self.kind == YEAR:
            return f"{self.start.year}—{self.end.year}统计年度"
        if self.kind == LAST12:
            return f"近12个月（{self.start.year}年{self.start.month}月—{period_label(self.period)}）"
        return f"{self.start.isoformat()}—{self.end.isoformat()}"


def span_for(period: str, kind: str) -> Span:
    """The span of ``kind`` for the month ``period`` ('2026-11')."""
    first, last = period_bounds(period)
    year_start, year_end = statistics_year_bounds(first)
    if kind == MONTH:
        return Span(MONTH, period, first, last)
    if kind == YTD:
        return Span(YTD, period, year_start, last)
    if kind == YEAR:
        return Span(YEAR, period, year_start, year_end)
    if kind == LAST12:
        year, month = divmod(first.year * 12 + first.month - 1 - 11, 12)
        return Span(LAST12, period, dt.date(year, month + 1, 1), last)
    raise ValueError(f"unknown span kind: {kind}")


def spans_for(period: str) -> tuple[Span, Span, Span]:
    """The month, the statistics year to date and the whole statistics year of ``period``."""
    return span_for(period, MONTH), span_for(period, YTD), span_for(period, YEAR)


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """One indicator over one span.

    key: the indicator's stable key ("policy_birth_rate"); name: its Chinese name; unit: "%", "‰" or "".
    span: what it was computed over; day: the day stocks were counted on.
    numerator, denominator: the counts (the denominator of a rate per mean population may end in .5).
    value: numerator / denominator × scale, or None when the denominator is zero ("无数据").
    numerator_records, denominator_records: the records counted on each side (births, women, services ...),
    as the snapshot holds them; ``numerator_refs`` / ``denominator_refs`` give their refs.
    shortfall_records: the records that pull the figure the wrong way (see ``shortfall_refs``).
    better: "higher", "lower" or None — which way the indicator is good.
    note: the definition applied, in Chinese.
    """

    key: str
    name: str
    unit: str
    span: Span
    day: dt.date
    numerator: int
    denominator: int | float
    value: float | None
    numerator_records: tuple[Any, ...] = field(repr=False)
    denominator_records: tuple[Any, ...] = field(repr=False)
    shortfall_records: tuple[Any, ...] = field(repr=False)
    better: str | None = None
    note: str = ""

    @property
    def exact(self) -> Fraction | None:
        """The value as an exact fraction (what targets are compared with), or None for no data."""
        if not self.denominator:
            return None
        return Fraction(self.numerator) * SCALES[self.unit] / Fraction(self.denominator)

    @property
    def numerator_refs(self) -> tuple[Ref, ...]:
        """Refs of the records in the numerator (made on asking: a population is 10,000 of them)."""
        return tuple(r.ref for r in self.numerator_records)

    @property
    def denominator_refs(self) -> tuple[Ref, ...]:
        """Refs of the records in the denominator."""
        return tuple(r.ref for r in self.denominator_records)

    @property
    def shortfall_refs(self) -> tuple[Ref, ...]:
        """The records that pull the indicator the wrong way: for a "higher is better" rate, those in the
        denominator but not in the numerator (births out of policy, women not checked); otherwise the numerator."""
        return tuple(r.ref for r in self.shortfall_records)

    @property
    def text(self) -> str:
        """The value as printed: one decimal with its unit, or "无数据"."""
        if self.value is None:
            return "无数据"
        return f"{self.value:.1f}{self.unit}"

    @property
    def fraction_text(self) -> str:
        """Numerator and denominator as printed: "427/500"."""
        den = self.denominator
        den_text = f"{den:g}" if isinstance(den, float) else str(den)
        return f"{self.numerator}/{den_text}"


@dataclass(frozen=True, slots=True)
class Indicator:
    """A registry entry.

    key: stable key used in schemes ("policy_birth_rate"); never reused for another definition.
    name: Chinese name (符合政策生育率); unit: "%", "‰" or "".
    numerator, denominator: the exact definitions, in Chinese, as the clerk reads them.
    better: "higher", "lower" or None.
    compute: the function of a ``Context`` that counts (returns ``Counted``).
    uses_findings: needs the check findings (data accuracy).
    """

    key: str
    name: str
    unit: str
    numerator: str
    denominator: str
    better: str | None
    compute: Callable[["Context"], "Counted"]
    uses_findings: bool = False


@dataclass(frozen=True, slots=True)
class Counted:
    """What an indicator function counts: the records on each side (any record with a ``ref``), and the counts
    when they are not just the lengths (natural growth subtracts deaths; a mean population is (start + end) / 2).

    numerator, denominator: sequences of records; shortfall: the records pulling the wrong way when the function
    knows them (default: for a "higher is better" rate the denominator's records not in the numerator, else the
    numerator). numerator_count, denominator_count: None = the lengths. note: extra remark.
    """

    numerator: Sequence[Any]
    denominator: Sequence[Any]
    numerator_count: int | None = None
    denominator_count: int | float | None = None
    shortfall: Sequence[Any] | None = None
    note: str = ""


def picked(records: Sequence[Any], numerator: Iterable[bool], denominator: Iterable[bool], *,
           note: str = "") -> Counted:
    """A higher-is-better rate over some of ``records``, from a flag per record for each side (the numerator's
    flags within the denominator's): the shortfall is the denominator's records not in the numerator."""
    numerator, denominator = tuple(numerator), tuple(denominator)
    return Counted(tuple(compress(records, numerator)), tuple(compress(records, denominator)),
                   shortfall=tuple(compress(records, map(gt, denominator, numerator))), note=note)


def rate(num: int, den: int | float, unit: str) -> float | None:
    """num / den × scale, None for a zero denominator."""
    if not den:
        return None
    return num * SCALES[unit] / den
