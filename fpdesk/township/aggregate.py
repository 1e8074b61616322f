"""The township's month (乡镇汇总): its monthly table as the sum of its villages' tables, and every indicator per
village and for the township.

The township table is added up twice — in Python from each village's figures and by the database (``SUM`` over
the submissions in force) — and the two must agree cell by cell; the table's own sums (a total equal to its parts)
are checked on every village and on the township. A township indicator is the sum of the villages' numerators over
the sum of their denominators, never an average of their rates: a village of 300 people does not weigh as much
as one of 3,000.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from fpdesk.dates import parse_period
from fpdesk.indicators import BY_KEY
from fpdesk.indicators.base import SCALES
from fpdesk.township import fields
from fpdesk.township.setup import villages
from fpdesk.township.store import indicator_figures, submissions, table_figures, table_sums


@dataclass(frozen=True, slots=True)
class TableRow:
    """One village's monthly table (or the township's): code, name, values in the order of the table's fields."""

    code: str
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TownshipTable:
    """月报表汇总 of one month.

    period; fields: (key, label) in the form's order; rows: the villages that reported, in the township's list
    order; total: the township (合计), the sum of the rows.
    problems: what the sum checks found (Chinese; empty when the table adds up): the database's sum differing
    from the rows' sum, or a total not equal to its parts in a village or in the township.
    """

    period: str
    fields: tuple[tuple[str, str], ...]
    rows: tuple[TableRow, ...]
    total: TableRow
    problems: tuple[str, ...]

    def column(self, key: str) -> int:
        return [k for k, _ in self.fields].index(key)

    def value(self, code: str, key: str) -> int:
        """One cell ("合计" row: ``code`` = "")."""
        row = self.total if not code else next(r for r in self.rows if r.code == code)
        return row.values[self.column(key)]


@dataclass(frozen=True, slots=True)
class Ratio:
    """An indicator's figures: numerator, denominator, and the value (None when the denominator is 0: 无数据)."""

    numerator: int
    denominator: float
    value: float | None

    @property
    def text(self) -> str:
        return "无数据" if self.value is None else f"{self.value:.1f}"

    @property
    def fraction_text(self) -> str:
        return f"{self.numerator}/{self.denominator:g}"


@dataclass(frozen=True, slots=True)
class IndicatorColumn:
    """One indicator: key, name, unit ("%", "‰", ""), span label ("统计年度累计"), better ("higher"/"lower"/None)."""

    key: str
    name: str
    unit: str
    span: str
    better: str | None


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One village's indicators (or the township's): code, name, ratios in the order of the columns (None when
    the village's file did not carry the indicator)."""

    code: str
    name: str
    ratios: tuple[Ratio | None, ...]


@dataclass(frozen=True, slots=True)
class TownshipIndicators:
    """指标 of one month: columns, a row per village that reported, and the township (Σ numerators / Σ
    denominators)."""

    period: str
    columns: tuple[IndicatorColumn, ...]
    rows: tuple[IndicatorRow, ...]
    total: IndicatorRow


def ratio(numerator: int, denominator: float, unit: str) -> Ratio:
    """numerator / denominator × the unit's scale (exact until the final rounding)."""
    if not denominator:
        return Ratio(numerator, denominator, None)
    value = Fraction(numerator) * SCALES[unit] / Fraction(str(denominator))
    return Ratio(numerator, denominator, float(value))


def _reporting(conn: sqlite3.Connection, period: str) -> list[tuple[str, str, int]]:
    """(code, name, submission id) of every village with a report in force, in the township's list order."""
    current = {s.village_code: s.id for s in submissions(conn, period=period)}
    return [(v.code, v.name, current[v.code]) for v in villages(conn) if v.code in current]


def township_table(conn: sqlite3.Connection, period: str) -> TownshipTable:
    """The township's monthly table for ``period`` with its sums checked (see the module docstring)."""
    month = parse_period(period)
    reporting = _reporting(conn, month)
    figures = table_figures(conn, (sid for _, _, sid in reporting))
    keys = fields.table_keys(f for f in figures.values())
    rows = tuple(TableRow(code, name, tuple(figures[sid].get(k, 0) for k in keys)) for code, name, sid in reporting)
    total = TableRow("", "合计", tuple(sum(r.values[i] for r in rows) for i in range(len(keys))))
    problems = []
    by_db = table_sums(conn, month)
    for i, key in enumerate(keys):
        if by_db.get(key, 0) != total.values[i]:
            problems.append(f"{fields.table_label(key)}：各村相加为 {total.values[i]}，数据库合计为 "
                            f"{by_db.get(key, 0)}，两者不符。")
    for row in rows + (total,):
        values = dict(zip(keys, row.values))
        problems += [f"{row.name}：{p}" for p in fields.sum_problems(values)]
    return TownshipTable(period=month, fields=tuple((k, fields.table_label(k)) for k in keys), rows=rows,
                         total=total, problems=tuple(problems))


def _column(key: str) -> IndicatorColumn:
    base, span = fields.indicator_parts(key)
    entry = BY_KEY.get(base)
    name = entry.name if entry else base
    return IndicatorColumn(key=key, name=name, unit=entry.unit if entry else "", span=fields.span_label(span),
                           better=entry.better if entry else None)


def township_indicators(conn: sqlite3.Connection, period: str, *,
                        keys: Sequence[str] | None = None) -> TownshipIndicators:
    """Every indicator (or those of ``keys``) per village and for the township for ``period``."""
    month = parse_period(period)
    reporting = _reporting(conn, month)
    figures = indicator_figures(conn, (sid for _, _, sid in reporting))
    wanted = tuple(keys) if keys is not None else fields.indicator_keys(figures.values())
    columns = tuple(_column(k) for k in wanted)
    rows = []
    sums: dict[str, list] = {k: [0, Fraction(0), False] for k in wanted}
    for code, name, sid in reporting:
        mine: Mapping[str, tuple[int, float]] = figures[sid]
        ratios = []
        for col in columns:
            pair = mine.get(col.key)
            if pair is None:
                ratios.append(None)
                continue
            ratios.append(ratio(pair[0], pair[1], col.unit))
            acc = sums[col.key]
            acc[0] += pair[0]
            acc[1] += Fraction(str(pair[1]))
            acc[2] = True
        rows.append(IndicatorRow(code, name, tuple(ratios)))
    total = IndicatorRow("", "全乡镇", tuple(
        ratio(sums[c.key][0], float(sums[c.key][1]), c.unit) if sums[c.key][2] else None for c in columns))
    return TownshipIndicators(period=month, columns=columns, rows=tuple(rows), total=total)
