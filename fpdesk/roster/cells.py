"""Reading one cell as its column's type. Each reader returns the value or raises ``CellError`` with the reason.

Spreadsheets come from Excel, WPS and older county systems, so a cell is read the way a clerk would read it: a date
may be a date cell, a date-time cell, text in three spellings or an 8-digit number; a code column takes the code
or its label; a number column takes a number cell or text digits.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from openpyxl.utils.datetime import from_excel

from fpdesk import codes
from fpdesk.dates import parse_date
from fpdesk.errors import InputError
from fpdesk.idnumber import clean as clean_id
from fpdesk.roster.spec import Column

# Excel serial numbers read as dates in a date column: 1927-05-18 .. 2099-12-31. Smaller numbers are more likely
# a year or an age typed into the wrong column than a date, so they are refused rather than guessed.
_SERIAL_MIN, _SERIAL_MAX = 10_000, 73_050
_TIME_SUFFIX = re.compile(r"^(\S+?)(?:T|\s+)\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")  # "2026-11-23 00:00:00" from a system
_MAX_CHOICES = 12


class CellError(ValueError):
    """A cell that cannot be read as its column's type; ``reason`` is the clerk's message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_blank(value: Any) -> bool:
    """An empty cell, or one holding only spaces."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def shown(value: Any) -> str:
    """A cell's content as the clerk would see it, for a problem's value."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _whole(value: Any) -> int | None:
    """A number cell holding a whole number, as int; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def read_text(value: Any) -> str:
    """Free text; a number cell gives its digits (1.0 -> "1"), a date cell its ISO date."""
    if isinstance(value, (dt.date, dt.datetime)):
        return shown(value)
    whole = _whole(value)
    if whole is not None:
        return str(whole)
    return str(value).strip()


def read_id_number(value: Any) -> str:
    """An ID number: text as written (cleaned), a number cell as its digits.

    A number cell holds a double: past 15 digits Excel shows zeros, so those are the digits read (not the binary
    noise of the double, 420102198504020096), and the checks then report the number as wrong.
    """
    if isinstance(value, float) and value.is_integer() and value >= 1e15:
        return str(int(Decimal(f"{value:.15g}")))
    whole = _whole(value)
    if whole is not None:
        return str(whole)
    if isinstance(value, float):
        raise CellError("身份证号不应是带小数的数字，请把这一列设为文本格式后重新填写。")
    return clean_id(str(value))


def read_date(value: Any) -> dt.date:
    """A date cell, a date-time cell, text 2026-11-23 / 2026/11/23 / 2026.11.23, or a number 20261123."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    whole = _whole(value)
    if whole is not None:
        if 19_000_101 <= whole <= 21_001_231:
            value = str(whole)
        elif _SERIAL_MIN <= whole <= _SERIAL_MAX:
            return from_excel(whole).date()
    if isinstance(value, str):
        text = value.strip()
        m = _TIME_SUFFIX.match(text)
        if m:
            text = m[1]
        try:
            day = parse_date(text, field="", required=True)
        except InputError:
            day = None
        if day is not None:
            return day
    raise CellError("不是有效日期，请填写日期，或按 2026-11-23、2026/11/23、2026.11.23 的格式填写。")


def read_int(value: Any) -> int:
    """A whole number: a number cell or text digits."""
    whole = _whole(value)
    if whole is not None:
        return whole
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        return int(value)
    raise CellError("应为整数。")


def _bounded(lowest: int, highest: int) -> Callable[[Any], int]:
    def read(value: Any) -> int:
        number = read_int(value)
        if not lowest <= number <= highest:
            raise CellError(f"应为 {lowest} 到 {highest} 之间的整数。")
        return number
    return read


MAX_YUAN = 10**9  # no benefit is a billion yuan; beyond it the amount is a typing error (and would not fit)


def read_money(value: Any) -> int:
    """Yuan (a number cell or text such as 120、120.5、￥1,200元) to fen."""
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        raise CellError("不是有效金额，请填写以元为单位的数字。")
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_YUAN:
            raise CellError("金额应为不小于0、最多两位小数的数字（单位：元）。")
        yuan = Decimal(repr(value))
        rounded = yuan.quantize(Decimal("0.01"))
        if abs(yuan - rounded) < Decimal("0.000001"):  # 120.30000000000001 from a formula is 120.30
            yuan = rounded
    else:
        text = str(value).strip().replace(",", "").replace("，", "").lstrip("￥¥").removesuffix("元").strip()
        try:
            yuan = Decimal(text)
        except InvalidOperation:
            raise CellError("不是有效金额，请填写以元为单位的数字。") from None
    if not yuan.is_finite() or yuan < 0 or yuan > MAX_YUAN or yuan != yuan.quantize(Decimal("0.01")):
        raise CellError("金额应为不小于0、最多两位小数的数字（单位：元）。")
    return int(yuan * 100)


def read_code(table: str, value: Any) -> str:
    """A code or its label; a number cell may drop leading zeros (1 for 民族 01)."""
    entries = codes.table(table)
    code = codes.lookup(table, value)
    whole = _whole(value)
    if code is None and whole is not None:
        for candidate in (str(whole), *(str(whole).zfill(len(c)) for c in entries)):
            if candidate in entries:
                code = candidate
                break
    if code is None:
        choices = list(entries.values())
        listed = "、".join(choices[:_MAX_CHOICES]) + ("等，见下拉列表" if len(choices) > _MAX_CHOICES else "")
        raise CellError(f"不是有效的{codes.TABLE_NAMES.get(table, table)}，可填：{listed}（或其代码）。")
    return code


def reader_for(column: Column) -> Callable[[Any], Any]:
    """The cell reader of a column."""
    if column.kind == "date":
        return read_date
    if column.kind == "code":
        table = column.codes or ""
        return lambda value: read_code(table, value)
    if column.kind == "int":
        return read_int if column.bounds is None else _bounded(*column.bounds)
    if column.kind == "money":
        return read_money
    if column.kind == "id":
        return read_id_number
    return read_text
