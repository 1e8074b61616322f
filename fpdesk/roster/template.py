"""The blank roster workbook (花名册模板), and the frame every workbook the program writes is built on.

The same frame carries an export, so an exported village can be filled on in Excel or WPS like the template:
  * headers exactly as the format, required ones marked by colour, the header row frozen;
  * a 填写说明 sheet in Chinese;
  * drop-down lists on the coded columns, from a hidden 代码表 sheet through defined names (a list longer than
    255 characters cannot be written inline, and names work back to Excel 2007 and in WPS). The lists warn rather
    than stop, because a code (700) is as good as its label (宫内节育器);
  * date columns formatted as dates, number-like text (人员编号, 身份证号 ...) formatted as text, so that Excel
    neither turns an ID number into 4.2E+17 nor 001 into 1.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Mapping

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from fpdesk import codes
from fpdesk.errors import FpdeskError
from fpdesk.roster.spec import (
    CODES_SHEET, DATA_SHEETS, HELP_SHEET, TEXT_LIKE_KINDS, VILLAGE_HEADERS, VILLAGE_ITEMS, VILLAGE_SHEET, Column,
    Sheet, coded_tables,
)

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
MONEY_FORMAT = "0.00"
LAST_ROW = 1_048_576
_REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
_OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")

HELP_LINES = (
    "1. 不要改动工作表名称和第一行的列名；列的先后顺序可以调整，格式以外的列导入时会被忽略。",
    "2. 红色列名为必填列。没有数据的工作表可以留空或删除，但“村信息”和“人口”必须有。",
    "3. 日期请填日期，或按 2026-11-23、2026/11/23、2026.11.23 填写；空白表示不详。",
    "4. 带下拉箭头的列请从列表中选择，也可以填代码（如 700 表示宫内节育器）。",
    "5. “人员编号”是本表格自己给每个人编的号，每人一个、不能重复；生育、节育措施、孕情、服务、奖扶各表用它指明是谁。",
    "6. 身份证号按文本填写18位（本模板已把这些列设为文本格式）。号码有误也能导入，导入后由逻辑校验提示。",
    "7. 导入时会一次列出全部格式问题（工作表、行、列、原因）；只要有一处问题就不导入任何数据，改正后重新导入即可。",
    "8. 逻辑矛盾（如母亲比子女年轻）不影响导入，导入后在“逻辑校验”中逐条列出。",
)


def code_range_name(table: str) -> str:
    """The defined name of a code table's label list on the 代码表 sheet."""
    return f"codes_{table}"


def _width(column: Column) -> float:
    by_kind = {"date": 12, "id": 21, "int": 8, "money": 10, "key": 12, "ref": 14}
    width = float(by_kind.get(column.kind, 12))
    if column.codes:
        width = max(width, 2.2 * max(len(v) for v in codes.table(column.codes).values()) + 3)
    return max(width, 2.2 * len(column.header) + 2)


def _number_format(column: Column) -> str | None:
    if column.kind == "date":
        return DATE_FORMAT
    if column.kind in TEXT_LIKE_KINDS or column.kind == "code":
        return TEXT_FORMAT
    if column.kind == "money":
        return MONEY_FORMAT
    return None


def _cell(ws: Any, value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
          alignment: Alignment | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _help_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    for letter, width in zip("ABCD", (14, 16, 8, 70)):
        ws.column_dimensions[letter].width = width
    ws.append([_cell(ws, "村花名册填写说明", font=_TITLE)])
    ws.append([])
    for line in HELP_LINES:
        ws.append([line])
    ws.append([])
    ws.append([_cell(ws, h, font=_BOLD) for h in ("工作表", "列名", "必填", "说明")])
    ws.append([VILLAGE_SHEET, "（每项一行）", "", "“项目”列写项目名，“内容”列写内容。"])
    for label, _, required, hint in VILLAGE_ITEMS:
        ws.append(["", label, "是" if required else "", hint])
    for sheet in DATA_SHEETS:
        ws.append([_cell(ws, sheet.name, font=_BOLD), "", "", sheet.hint])
        for column in sheet.columns:
            hint = column.hint
            if column.codes and len(codes.table(column.codes)) <= 12:
                choices = "、".join(codes.table(column.codes).values())
                hint = f"{hint}（可选：{choices}）" if hint else f"可选：{choices}"
            elif column.codes:
                hint = hint or "从下拉列表中选择"
            ws.append(["", column.header, "是" if column.required else "", _cell(ws, hint, alignment=_WRAP)])


def _village_sheet(wb: Workbook, village: Mapping[str, str] | None) -> None:
    ws = wb.create_sheet(VILLAGE_SHEET)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["B"].number_format = TEXT_FORMAT
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, h, font=_BOLD, fill=_REQUIRED_FILL) for h in VILLAGE_HEADERS])
    for label, key, _, _ in VILLAGE_ITEMS:
        ws.append([label, (village or {}).get(key) or None])


def _codes_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(CODES_SHEET)
    ws.sheet_state = "hidden"
    ordered = coded_tables()
    labels = [list(codes.table(t).values()) for t in ordered]
    ws.append([codes.TABLE_NAMES.get(t, t) for t in ordered])
    for i in range(max(len(ls) for ls in labels)):
        ws.append([ls[i] if i < len(ls) else None for ls in labels])
    for index, (table, ls) in enumerate(zip(ordered, labels), start=1):
        letter = get_column_letter(index)
        wb.defined_names.add(DefinedName(code_range_name(table),
                                         attr_text=f"'{CODES_SHEET}'!${letter}$2:${letter}${len(ls) + 1}"))


def _data_sheet(wb: Workbook, sheet: Sheet) -> Any:
    ws = wb.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        dim = ws.column_dimensions[letter]
        dim.width = _width(column)
        fmt = _number_format(column)
        if fmt:
            dim.number_format = fmt
        if column.codes:
            name = codes.TABLE_NAMES.get(column.codes, column.header)
            dv = DataValidation(
                type="list", formula1=code_range_name(column.codes), allow_blank=True, showErrorMessage=True,
                errorStyle="warning", errorTitle=f"{column.header}不在列表中",
                error=f"请从下拉列表中选择{name}，或填写其代码。", sqref=f"{letter}2:{letter}{LAST_ROW}",
            )
            ws.data_validations.append(dv)
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, c.header, font=_BOLD, fill=_REQUIRED_FILL if c.required else _OPTIONAL_FILL)
               for c in sheet.columns])
    return ws


def new_workbook(village: Mapping[str, str] | None = None) -> tuple[Workbook, dict[str, Any]]:
    """A write-only workbook with every sheet set up and its header row written.

    Returns (workbook, {data sheet name: worksheet}) for the caller to append data rows to, in column order.
    """
    wb = Workbook(write_only=True)
    _help_sheet(wb)
    _village_sheet(wb, village)
    sheets = {sheet.name: _data_sheet(wb, sheet) for sheet in DATA_SHEETS}
    _codes_sheet(wb)
    return wb, sheets


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save to a temporary file beside ``path`` and rename it into place: a failed save leaves no half file."""
    target = Path(path)
    if not target.parent.is_dir():
        raise FpdeskError(f"无法写入“{target}”：文件夹“{target.parent}”不存在。")
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".xlsx.part")
    os.close(fd)
    try:
        wb.save(temp)
        os.replace(temp, target)
    except PermissionError as exc:
        _remove(temp)
        raise FpdeskError(f"无法写入“{target}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。") from exc
    except OSError as exc:
        _remove(temp)
        raise FpdeskError(f"无法写入“{target}”（{exc.strerror or exc}）。") from exc
    except BaseException:
        _remove(temp)
        raise
    return target


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def write_template(path: str | Path) -> Path:
    """Write the blank roster workbook (花名册模板) the clerk fills in Excel or WPS."""
    wb, _ = new_workbook()
    return save_workbook(wb, path)
