"""The township's monthly report as a workbook: one sheet per table, numbers as numbers (so the office can go on
in Excel), a title row, frozen headers, ruled cells.

Sheets: 报送情况, 乡镇月报表, 各村月报表, 指标 (every indicator, every span, long form: 村 × 指标 × 口径 with
分子、分母、数值), 考核排名, 更正记录.
"""

from __future__ import annotations

import io
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fpdesk.dates import period_label
from fpdesk.township import fields
from fpdesk.township.report import MonthReport

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="E8E8E8")
_TOTAL = PatternFill("solid", fgColor="F4F4F4")
_FLAG = PatternFill("solid", fgColor="FBE3E3")
_FONT = Font(name="宋体", size=10.5)
_BOLD = Font(name="宋体", size=10.5, bold=True)
_TITLE = Font(name="宋体", size=14, bold=True)


def _sheet(wb: Workbook, title: str, heading: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
           widths: Sequence[float], shaded: Sequence[int] = (), flagged: Sequence[int] = (),
           note: str = "") -> None:
    ws = wb.create_sheet(title)
    ws.append([heading])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
    ws.cell(1, 1).font = _TITLE
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([note] if note else [])
    if note:
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(1, len(headers)))
        ws.cell(2, 1).font = _FONT
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for c in range(1, len(headers) + 1):
        cell = ws.cell(3, c)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in range(len(rows)):
        fill = _TOTAL if r in shaded else _FLAG if r in flagged else None
        for c in range(1, len(headers) + 1):
            cell = ws.cell(4 + r, c)
            cell.border, cell.font = _BORDER, (_BOLD if r in shaded else _FONT)
            if fill is not None:
                cell.fill = fill
            if isinstance(cell.value, float):
                cell.number_format = "0.0###"
    ws.freeze_panes = "B4"
    ws.page_setup.orientation = "landscape" if len(headers) > 8 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "3:3"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def report_workbook(r: MonthReport) -> bytes:
    """The report as .xlsx bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    label = f"{r.township.name} {period_label(r.period)}"
    s = r.status
    _sheet(wb, "报送情况", f"{label} 报送情况", ("村代码", "村名称", "报送情况", "报送日期", "逾期天数", "更正次数", "导入文件"),
           [(v.village.code, v.village.name, v.label, v.handed_in, v.days_late or None, v.corrections or None,
             v.current.file_name if v.current else "") for v in s.villages],
           widths=(15, 10, 22, 12, 9, 9, 36), flagged=[i for i, v in enumerate(s.villages) if not v.reported or v.days_late],
           note=f"{s.summary}。报送截止 {s.due.isoformat()}。")
    t = r.table
    check = "校验：合计与分项相符，各村相加与数据库汇总一致。" if not t.problems else "校验发现问题：" + "；".join(t.problems)
    _sheet(wb, "乡镇月报表", f"{label} 计划生育月报表（各村汇总）", ("键", "项目", "全乡镇合计", "说明"),
           [(k, "　" * fields.table_level(k) + fields.table_short_label(k), t.total.values[i], fields.table_note(k))
            for i, (k, _) in enumerate(t.fields)],
           widths=(30, 24, 12, 50), shaded=[i for i, (k, _) in enumerate(t.fields) if fields.table_level(k) == 0],
           note=f"{len(t.rows)} 个村之和。{check}")
    _sheet(wb, "各村月报表", f"{label} 各村月报表", ("村代码", "村名称") + tuple(name for _, name in t.fields),
           [(row.code, row.name) + row.values for row in t.rows + (t.total,)],
           widths=(15, 10) + (9,) * len(t.fields), shaded=[len(t.rows)],
           note="键：" + "，".join(k for k, _ in t.fields))
    ind = r.indicators
    rows = []
    for row in ind.rows + (ind.total,):
        for col, x in zip(ind.columns, row.ratios):
            if x is not None:
                rows.append((row.code, row.name, col.name, col.span, x.numerator, x.denominator,
                             None if x.value is None else round(x.value, 4), col.unit, col.key))
    _sheet(wb, "指标", f"{label} 考核指标（分子、分母）", ("村代码", "村名称", "指标", "统计口径", "分子", "分母", "数值",
                                                    "单位", "键"),
           rows, widths=(15, 10, 24, 14, 8, 10, 10, 6, 34),
           note="全乡镇 = 各村分子之和 ÷ 各村分母之和（不是各村比率的平均）；数值为空表示分母为 0（无数据）。")
    sc = r.scores
    own = {v.village.code: v.current for v in s.villages if v.current is not None}
    _sheet(wb, "考核排名", f"{label} 目标管理责任制考核排名", ("名次", "村代码", "村名称", "得分", "村自评", "一票否决",
                                                         "后进村", "标记"),
           [(x.rank, x.code, x.name, x.total, own[x.code].score_total if x.code in own else None,
             "是" if x.vetoed else "", "是" if x.lagging else "", x.flag_text) for x in sc.ranking],
           widths=(6, 15, 10, 8, 8, 9, 8, 48), flagged=[i for i, x in enumerate(sc.ranking) if x.flags],
           note=f"考核方案：{sc.scheme.name}。未报送的村不参加排名："
                f"{'、'.join(v.village.name for v in s.missing) or '无'}。")
    _sheet(wb, "更正记录", f"{label} 更正记录（已被更正报替代的报表）", ("村代码", "村名称", "文件", "报次", "生成时间",
                                                             "导入时间", "被替代于"),
           [(x.village_code, x.village_name, x.file_name, x.correction, x.generated_at, x.imported_at,
             x.superseded_by) for x in r.corrections], widths=(15, 10, 36, 6, 18, 18, 9))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
