"""Small roster workbooks written by hand with openpyxl, as a clerk's spreadsheet would be, for the reader tests."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Rows = list[list[Any]]

# A valid little village: a couple in household 01 with a daughter, an inflow woman without a household.
# Sheet name -> rows, the header first.
MINIMAL: dict[str, Rows] = {
    "村信息": [["项目", "内容"], ["村代码", "420102001001"], ["村名称", "双河村"], ["乡镇", "城关镇"]],
    "人口": [
        ["人员编号", "户编号", "组别", "姓名", "性别", "出生日期", "身份证号", "婚姻状况", "初婚日期", "配偶人员编号",
         "居住状况", "流动日期", "流动地点"],
        ["1", "01", "一组", "张伟", "男", "1985-04-02", "420102198504020111", "初婚", "2010-05-01", "2", None, None,
         None],
        ["2", "01", "一组", "李娜", "女", "1988-09-17", "420102198809170222", "初婚", "2010-05-01", "1", None, None,
         None],
        ["3", "01", "一组", "张小红", "女", "2016-08-20", None, "未婚", None, None, None, None, None],
        ["4", None, None, "黄梅", "女", "1995-03-08", None, None, None, None, "流入", "2026-02-01", "湖南省长沙市"],
    ],
    "生育": [
        ["母亲人员编号", "子女人员编号", "子女姓名", "性别", "出生日期", "孩次"],
        ["2", "3", "张小红", "女", "2016-08-20", 1],
    ],
    "节育措施": [
        ["人员编号", "措施", "开始日期", "终止日期", "未避孕原因"],
        ["2", "宫内节育器", "2016-10-08", None, None],
        ["4", "未避孕", None, None, "待孕"],
    ],
    "孕情": [["人员编号", "末次月经日期", "孕产结果"], ["4", "2026-06-01", None]],
    "服务": [["人员编号", "服务类型", "服务日期"], ["2", "查环", "2026-03-10"]],
    "奖扶": [["人员编号", "类型", "年度", "金额"], ["2", "独生子女保健费", 2025, 120]],
}


def minimal() -> dict[str, Rows]:
    """A fresh copy of MINIMAL to change."""
    return copy.deepcopy(MINIMAL)


def write_book(path: Path, sheets: dict[str, Rows]) -> Path:
    """Write the sheets as given (values as Python objects: dates become date cells, ints number cells)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def set_cell(sheets: dict[str, Rows], sheet: str, row: int, header: str, value: Any) -> None:
    """Set the cell of spreadsheet row ``row`` (1 = header) under ``header``."""
    column = sheets[sheet][0].index(header)
    sheets[sheet][row - 1][column] = value


def drop_column(sheets: dict[str, Rows], sheet: str, header: str) -> None:
    column = sheets[sheet][0].index(header)
    for row in sheets[sheet]:
        del row[column]


def as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
