"""The list of a workbook's problems as a workbook of its own, for the clerk to work through beside the roster."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from fpdesk.roster.model import Problem
from fpdesk.roster.template import save_workbook

REPORT_SHEET = "花名册问题"
REPORT_HEADERS = ("工作表", "行", "列", "值", "原因")


def write_problem_report(problems: Iterable[Problem], path: str | Path) -> Path:
    """Write the problems to an .xlsx: one row each, 工作表 / 行 / 列 / 值 / 原因, in the order given."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(REPORT_SHEET)
    for letter, width in zip("ABCDE", (12, 8, 16, 24, 70)):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["D"].number_format = "@"
    ws.freeze_panes = "A2"
    header = []
    for text in REPORT_HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F8CBAD")
        header.append(cell)
    ws.append(header)
    for p in problems:
        ws.append([p.sheet or "（文件）", p.row, p.column or None, p.value or None, p.reason])
    return save_workbook(wb, path)
