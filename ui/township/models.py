"""The township window's tables: the records each shows (joined from the core's results, never computed here) and
their columns, for ``ui.tables.RecordTableModel``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from fpdesk.township import TownshipIndicators, TownshipTable
from fpdesk.township import fields
from fpdesk.township.status import AWAITING, LATE, MISSING, ON_TIME
from ui.tables import Column, Index, RecordTableModel
from ui.township.session import MonthView


class TotalsModel(RecordTableModel):
    """A RecordTableModel whose total lines (合计, 全乡镇) are bold: ``bold(record)`` says which."""

    def __init__(self, columns, *, bold: Callable[[Any], bool], **kwargs: Any) -> None:
        super().__init__(columns, **kwargs)
        self.bold = bold

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and self.bold(self.record(index.row())):
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)

def points(value: float | None) -> Decimal | None:
    """A score as the sheets print it (86.97), still sorting as a number (the table shows floats with one
    decimal, which would make 86.97 and 87.04 both 87.0)."""
    return None if value is None else Decimal(f"{value:.2f}")


STATE_SIGNS = {ON_TIME: "✔", LATE: "⚠", AWAITING: "…", MISSING: "✖"}
STATE_TONES = {LATE: "warning", MISSING: "error", AWAITING: "muted"}


@dataclass(frozen=True, slots=True)
class VillageRow:
    """One village in the list: code, name, state ("on_time" …), label (按时报送 / 逾期 3 天 …), handed_in,
    corrections, file_name; score, rank, flags (None / "" when it did not report)."""

    code: str
    name: str
    state: str
    label: str
    handed_in: dt.date | None
    corrections: int
    file_name: str
    score: float | None
    self_score: float | None
    rank: int | None
    flags: str


def village_rows(month: MonthView) -> tuple[VillageRow, ...]:
    out = []
    for v in month.status.villages:
        ranked = month.scores.ranked(v.village.code)
        out.append(VillageRow(
            code=v.village.code, name=v.village.name, state=v.state, label=f"{STATE_SIGNS[v.state]} {v.label}",
            handed_in=v.handed_in, corrections=v.corrections, file_name=v.current.file_name if v.current else "",
            score=ranked.total if ranked else None, self_score=v.current.score_total if v.current else None,
            rank=ranked.rank if ranked else None, flags=ranked.flag_text if ranked else ""))
    return tuple(out)


VILLAGE_COLUMNS = (
    Column("村名称", lambda r: r.name, width=80),
    Column("报送情况", lambda r: r.label, width=180),
    Column("得分", lambda r: points(r.score), numeric=True, width=64),
    Column("名次", lambda r: r.rank, numeric=True, width=44),
)

STATUS_COLUMNS = (
    Column("村代码", lambda r: r.code, width=120),
    Column("村名称", lambda r: r.name, width=80),
    Column("报送情况", lambda r: r.label, width=200),
    Column("报送日期", lambda r: r.handed_in, width=100),
    Column("更正", lambda r: r.corrections or None, numeric=True, width=50),
    Column("导入文件", lambda r: r.file_name),
)


def village_tone(row: VillageRow) -> str | None:
    return STATE_TONES.get(row.state)


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One line of the township's monthly table: key, label (indented), level, total, values by village."""

    key: str
    label: str
    level: int
    total: int
    values: tuple[int, ...]


def table_rows(table: TownshipTable) -> tuple[FieldRow, ...]:
    return tuple(FieldRow(key=k, label="　" * fields.table_level(k) + fields.table_short_label(k),
                          level=fields.table_level(k), total=table.total.values[i],
                          values=tuple(r.values[i] for r in table.rows))
                 for i, (k, _) in enumerate(table.fields))


def table_columns(table: TownshipTable) -> tuple[Column, ...]:
    return (Column("项目", lambda r: r.label, width=190), Column("全乡镇合计", lambda r: r.total, numeric=True, width=90)) + \
        tuple(Column(row.name, lambda r, i=i: r.values[i], numeric=True, width=64) for i, row in enumerate(table.rows))


def indicator_columns(ind: TownshipIndicators) -> tuple[Column, ...]:
    def cell(i: int):
        def value(row) -> str:
            x = row.ratios[i]
            if x is None:
                return "—"
            return f"{x.text}{ind.columns[i].unit if x.value is not None else ''}（{x.fraction_text}）"
        return value

    return (Column("村名称", lambda r: r.name, width=80),) + tuple(
        Column(f"{c.name}\n{c.span}", cell(i), numeric=True, width=150) for i, c in enumerate(ind.columns))


@dataclass(frozen=True, slots=True)
class RankRow:
    """One line of the ranking: rank, name, total, self_score (the village's own), flags, vetoed, lagging."""

    rank: int
    name: str
    total: float
    self_score: float | None
    flags: str
    vetoed: bool
    lagging: bool


def rank_rows(month: MonthView) -> tuple[RankRow, ...]:
    own = {v.village.code: v.current.score_total for v in month.status.villages if v.current is not None}
    return tuple(RankRow(rank=r.rank, name=r.name, total=r.total, self_score=own.get(r.code), flags=r.flag_text,
                         vetoed=r.vetoed, lagging=r.lagging) for r in month.scores.ranking)


RANKING_COLUMNS = (
    Column("名次", lambda r: r.rank, numeric=True, width=48),
    Column("村名称", lambda r: r.name, width=80),
    Column("得分", lambda r: points(r.total), numeric=True, width=64),
    Column("村自评", lambda r: points(r.self_score), numeric=True, width=64),
    Column("标记", lambda r: r.flags),
)


def ranking_tone(r: RankRow) -> str | None:
    return "error" if r.vetoed else "warning" if r.lagging else None
