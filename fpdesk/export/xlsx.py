"""The month's forms as a workbook for the township (docs/export-format.md): one sheet per form, the manifest
清单 first, and the content hash over every cell.

Each sheet is first built as a grid of values (exactly what will be in the cells), the hash is taken over the
grids, then the grids are written with their styles. The values are normalised the way a reader gets them back
(line ends as LF, characters Excel cannot hold removed), so the reader's hash of the file equals the writer's.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from fpdesk.export import format as fmt
from fpdesk.export import forms
from fpdesk.export.content import MonthContent

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E8E8E8")
_SECTION_FILL = PatternFill("solid", fgColor="F4F4F4")
_TITLE_FONT = Font(name="宋体", size=14, bold=True)
_BOLD = Font(name="宋体", size=10.5, bold=True)
_BODY = Font(name="宋体", size=10.5)
_KEY_FONT = Font(name="Consolas", size=9, color="666666")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center")
_RIGHT = Alignment(horizontal="right", vertical="center")
DATE_FORMAT = "yyyy-mm-dd"
FOOTER = "填报人：＿＿＿＿＿　审核人：＿＿＿＿＿　填报日期：＿＿＿＿年＿＿月＿＿日"


def clean(value: Any) -> Any:
    """A value as the workbook will hold it, and a reader will get back: text with LF line ends and no characters
    Excel refuses; a float with the 16 significant digits openpyxl writes."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, float):
        return float("%.16g" % value)
    return value


@dataclass
class Grid:
    """One sheet before it is written: its cells by row (row 1 first), and how to show them.

    widths: column widths (characters); landscape: print across; wrap_columns: 1-based columns that wrap;
    key_column: the 1-based column holding the keys (grey, small) or 0; bold_rows: 1-based rows in bold.
    """

    name: str
    rows: list[list[Any]]
    widths: Sequence[float]
    landscape: bool = False
    wrap_columns: frozenset[int] = frozenset()
    key_column: int = 0
    bold_rows: set[int] = field(default_factory=set)
    header_row: int = fmt.HEADER_ROW


def _form_grid(c: MonthContent, sheet: str, rows: Sequence[Sequence[Any]], widths: Sequence[float], **kw: Any) -> Grid:
    headers = fmt.HEADERS[sheet]
    info = c.place_text + ("　　" + c.status_text if c.status_text else "")
    blank = [None] * (len(headers) - 1)
    grid = [[fmt.TITLES[sheet] + (f"（{c.period_label}）" if sheet != fmt.BOARD else ""), *blank], [info, *blank],
            list(headers)]
    grid += [[clean(v) for v in row] for row in rows]
    return Grid(sheet, grid, widths, **kw)


def build_grids(c: MonthContent) -> list[Grid]:
    """Every sheet of the workbook, the manifest last built (it counts the others) but first in the workbook."""
    monthly = forms.monthly_rows(c.report.table)
    board = forms.board_rows(c)
    score = forms.score_rows(c)
    grids = [
        _form_grid(c, fmt.CHANGES, forms.change_rows(c), (5, 8, 8, 9, 21, 9, 11, 7, 10, 8, 8, 11, 8, 9, 9, 5),
                   landscape=True),
        _form_grid(c, fmt.BIRTHS, forms.birth_rows(c), (5, 8, 9, 21, 9, 5, 9, 5, 11, 8, 8, 8, 5), landscape=True),
        _form_grid(c, fmt.MONTHLY, [(r.key, ("　" * r.level) + r.label, r.value, r.note) for r in monthly],
                   (30, 22, 9, 44), key_column=1, wrap_columns=frozenset({4}),
                   bold_rows={fmt.FIRST_DATA_ROW + i for i, r in enumerate(monthly) if r.level == 0}),
        _form_grid(c, fmt.BOARD, [(r.key, ("　" * r.level) + r.label, r.value) for r in board], (30, 30, 14),
                   key_column=1),
        _form_grid(c, fmt.SCORE, [r.cells for r in score], (14, 7, 40, 7, 7, 7, 60), landscape=True, key_column=1,
                   wrap_columns=frozenset({3, 7}),
                   bold_rows={fmt.FIRST_DATA_ROW + i for i, r in enumerate(score) if r.level < 2}),
        _form_grid(c, fmt.INDICATORS, forms.indicator_rows(c), (36, 22, 30, 9, 9, 10, 5, 60), landscape=True,
                   key_column=1, wrap_columns=frozenset({8})),
        _form_grid(c, fmt.FINDINGS, forms.finding_summary_rows(c), (7, 36, 8, 9, 18, 8, 12), key_column=1),
    ]
    return [manifest_grid(c, grids), *grids]


def manifest_values(c: MonthContent, grids: Sequence[Grid]) -> dict[str, Any]:
    """The manifest fields (docs/export-format.md), without the hash."""
    v = c.village
    counts = row_counts(grids)
    values: dict[str, Any] = {
        "format": fmt.FORMAT_NAME, "format_version": fmt.FORMAT_VERSION, "village_code": v.code,
        "village_name": v.name, "township": v.township, "county": v.county, "period": c.period,
        "correction_no": c.correction_no, "submitted": int(c.submitted),
        "generated_at": c.generated_at.isoformat(timespec="seconds"), "as_of": c.as_of.isoformat(),
        "app_version": c.app_version, "id_numbers_masked": int(c.mask_ids), "score_scheme": c.sheet.scheme_key,
        "score_total": c.sheet.total, "score_maximum": c.sheet.maximum,
        "findings.errors": c.errors, "findings.warnings": c.warnings, "findings.confirmed": len(c.confirmed),
        fmt.HASH_KEY: "",
    }
    values.update({key: counts[sheet] for sheet, key in fmt.DATA_SHEETS})
    return values


def manifest_grid(c: MonthContent, grids: Sequence[Grid]) -> Grid:
    values = manifest_values(c, grids)
    rows: list[list[Any]] = [[fmt.TITLES[fmt.MANIFEST], None, None], list(fmt.HEADERS[fmt.MANIFEST])]
    rows += [[key, label, clean(values[key])] for key, label in fmt.MANIFEST_FIELDS]
    grid = Grid(fmt.MANIFEST, rows, (22, 30, 68), key_column=1, header_row=fmt.MANIFEST_HEADER_ROW)
    digest = fmt.content_hash([(g.name, g.rows) for g in [grid, *grids]])
    rows[-1][2] = digest
    assert rows[-1][0] == fmt.HASH_KEY
    return grid


def _write(ws: Any, g: Grid) -> None:
    width = len(g.rows[g.header_row - 1])
    for col, w in enumerate(g.widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    for r, row in enumerate(g.rows, start=1):
        title = r < g.header_row
        header = r == g.header_row
        bold = r in g.bold_rows
        for col, value in enumerate(row, start=1):
            if value is None and not (header or r > g.header_row):
                continue
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"   # text, not a formula
            if title:
                cell.font = _TITLE_FONT if r == 1 else _BODY
                cell.alignment = _CENTER if r == 1 else _LEFT
                continue
            cell.border = _BORDER
            if header:
                cell.font, cell.fill, cell.alignment = _BOLD, _HEAD_FILL, _CENTER
                continue
            cell.font = _KEY_FONT if col == g.key_column else (_BOLD if bold else _BODY)
            if bold:
                cell.fill = _SECTION_FILL
            if isinstance(value, (dt.date, dt.datetime)):
                cell.number_format = DATE_FORMAT
                cell.alignment = _RIGHT
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = "0"
            elif col in g.wrap_columns:
                cell.alignment = _WRAP
    for r in range(1, g.header_row):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.row_dimensions[1].height = 26
    ws.freeze_panes = ws.cell(row=g.header_row + 1, column=1)
    ws.print_title_rows = f"{g.header_row}:{g.header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if g.landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.left.text = FOOTER if g.name != fmt.MANIFEST else ""
    ws.oddFooter.right.text = "第 &P 页 共 &N 页"


def row_counts(grids: Sequence[Grid]) -> dict[str, int]:
    """Data rows per data sheet, {sheet name: rows}."""
    return {g.name: len(g.rows) - fmt.FIRST_DATA_ROW + 1 for g in grids if g.name != fmt.MANIFEST}


def write_workbook(c: MonthContent, grids: Sequence[Grid] | None = None) -> bytes:
    """The workbook of the month as bytes (from ``build_grids(c)`` when already built)."""
    wb = Workbook()
    wb.remove(wb.active)
    for g in grids if grids is not None else build_grids(c):
        _write(wb.create_sheet(g.name), g)
    wb.properties.creator = f"fpdesk {c.app_version}"
    wb.properties.title = f"{c.village.name} {c.period_label} 月报"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
