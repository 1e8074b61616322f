"""What the roster workbook's reader and importer hand back: problems, rows read, the import report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from fpdesk.errors import FpdeskError
from fpdesk.ops import Changes
from fpdesk.roster.spec import SHEET_BY_NAME, VILLAGE_HEADERS, sheet_rank

# progress(done, total, stage): ``done`` of ``total`` rows of the stage ("读取花名册", "写入村数据文件", ...);
# total is 0 when not known in advance.
Progress = Callable[[int, int, str], None]
# cancel(): True when the clerk asked to stop; checked every few hundred rows.
Cancel = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Problem:
    """A structural problem of the workbook, as the clerk sees it in the list.

    sheet: the sheet name ("" for the file as a whole).
    row: the spreadsheet row number (1 = header row), or None for the sheet or file as a whole.
    column: the column header ("" when not about one column).
    value: the cell's content as text ("" when empty or not about one cell).
    reason: what is wrong and what to do, in Chinese.
    """

    sheet: str
    row: int | None
    column: str
    value: str
    reason: str

    def line(self) -> str:
        """One line for a console or a log: 工作表 / 行 / 列 / 值 / 原因."""
        where = f"第{self.row}行" if self.row is not None else "-"
        return " / ".join((self.sheet or "（文件）", where, self.column or "-", self.value or "-", self.reason))


def _column_rank(problem: Problem) -> int:
    sheet = SHEET_BY_NAME.get(problem.sheet)
    headers = [c.header for c in sheet.columns] if sheet else list(VILLAGE_HEADERS)
    return headers.index(problem.column) if problem.column in headers else len(headers)


def sort_problems(problems: list[Problem]) -> tuple[Problem, ...]:
    """Problems in workbook order: sheet, row, column (the sort is stable, so ties keep their order)."""
    return tuple(sorted(problems, key=lambda p: (sheet_rank(p.sheet), p.row or 0, _column_rank(p))))


class RosterError(FpdeskError):
    """The workbook cannot be imported as it is: every problem found, all of them.

    problems: the problems, in workbook order.
    """

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"花名册有 {len(self.problems)} 处问题，未导入任何数据。请改正后重新导入。")


class ImportCancelled(FpdeskError):
    """The clerk cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__("已取消导入，村数据文件没有改变。")


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One data row as read.

    line: its spreadsheet row number.
    values: {column key: value}; dates as ``datetime.date``, codes as codes, money in fen, blanks as None.
    """

    line: int
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


@dataclass(frozen=True, slots=True)
class RosterData:
    """A workbook read without structural problems.

    village: {code, name, township, county, clerk, phone}.
    persons, births, measures, pregnancies, services, benefits: the rows of each data sheet, in sheet order.
    notes: what the clerk should know that did not stop the import (ignored columns, ...), in Chinese.
    """

    village: Mapping[str, str]
    persons: tuple[RosterRow, ...]
    births: tuple[RosterRow, ...]
    measures: tuple[RosterRow, ...]
    pregnancies: tuple[RosterRow, ...]
    services: tuple[RosterRow, ...]
    benefits: tuple[RosterRow, ...]
    notes: tuple[str, ...]

    @property
    def rows_by_sheet(self) -> Mapping[str, int]:
        """Data rows read per sheet."""
        return {"人口": len(self.persons), "生育": len(self.births), "节育措施": len(self.measures),
                "孕情": len(self.pregnancies), "服务": len(self.services), "奖扶": len(self.benefits)}


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did.

    sheets: data rows read per sheet ({"人口": 1234, "生育": ...}).
    records: records written per table ({"person": 1234, "household": ..., "marriage": ...}).
    notes: what the clerk should know (ignored columns, rows imported with a default ...), in Chinese.
    op_id: the ``operation`` row the whole import is audited under.
    seconds: how long reading and writing took.
    changes: what the operation changed (every record it wrote), for the views to refresh from.
    """

    sheets: Mapping[str, int]
    records: Mapping[str, int]
    notes: tuple[str, ...]
    op_id: int
    seconds: float
    changes: Changes

    def summary(self) -> str:
        """One line in Chinese: what was imported."""
        r = self.records
        return (f"已导入：{r.get('person', 0)} 人，{r.get('household', 0)} 户，{r.get('village_group', 0)} 个村民小组；"
                f"婚姻 {r.get('marriage', 0)}，生育 {r.get('birth', 0)}，节育措施 {r.get('measure', 0)}，"
                f"孕情 {r.get('pregnancy', 0)}，服务 {r.get('service', 0)}，奖扶 {r.get('benefit', 0)}，"
                f"流动 {r.get('migration', 0)}，证件 {r.get('certificate', 0)}。")
