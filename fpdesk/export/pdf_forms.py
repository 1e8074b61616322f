"""The month's forms as one PDF, laid out like the paper forms: 报告单一 and 报告单二 (landscape), 月报表, 公示牌,
自评得分, and last the check findings of the month (问题清单).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Paragraph, Spacer

from fpdesk.checks import ledgers
from fpdesk.export import format as fmt
from fpdesk.export import forms
from fpdesk.export.content import MonthContent
from fpdesk.export.pdf_base import (
    LANDSCAPE, PORTRAIT, Column, FormStart, build_pdf, escape, frame_height, frame_width, ruled_table,
    furniture, signature_line, style, title_block,
)
from fpdesk.export.pdf_board import board_story

CHANGE_COLUMNS = (
    Column("序号", 24, "r"), Column("组别", 36), Column("户编号", 38), Column("姓名", 44), Column("身份证号", 92),
    Column("变动类型", 42, "c"), Column("变动日期", 52, "c"), Column("民族", 32, "c"), Column("文化程度", 42, "c"),
    Column("户口性质", 42, "c"), Column("婚姻状况", 42, "c"), Column("初婚日期", 52, "c"), Column("居住状况", 42, "c"),
    Column("与户主关系", 50, "c"), Column("配偶姓名", 44), Column("补报", 26, "c"),
)
BIRTH_COLUMNS = (
    Column("序号", 24, "r"), Column("组别", 38), Column("母亲姓名", 50), Column("身份证号", 96), Column("丈夫姓名", 50),
    Column("孩次", 28, "c"), Column("子女姓名", 50), Column("性别", 26, "c"), Column("出生日期", 56, "c"),
    Column("政策属性", 42, "c"), Column("健康状况", 42, "c"), Column("血缘关系", 42, "c"), Column("补报", 26, "c"),
)
LIST_SIZE = 9


def _texts(rows: tuple[tuple, ...]) -> list[list[str]]:
    return [[forms.cell_text(v) for v in row] for row in rows]


Form = tuple[str, list[Flowable]]   # (page template, flowables): one form, starting on a new page


def _form(c: MonthContent, sheet: str, template: str, body: list[Flowable], *, title: str | None = None) -> Form:
    """One form: its title, its body, the signature line; on pages of ``template``."""
    name = title or fmt.TITLES[sheet]
    return template, [FormStart(sheet, name), *title_block(name, c.place_text, c.status_text), *body,
                      signature_line()]


def _change_list(c: MonthContent, sheet: str, columns: tuple[Column, ...], rows: tuple[tuple, ...], *,
                 late: int, unit: str, empty: str) -> Form:
    """报告单一 or 二: the ruled list in landscape, and how many of its rows are late reports."""
    body: list[Flowable] = [ruled_table(columns, _texts(rows), width=frame_width(LANDSCAPE), size=LIST_SIZE,
                                        empty_text=empty)]
    if late:
        body += [Spacer(1, 3), Paragraph(f"其中补报 {late} {unit}：发生在以前月份、本月发现后补报（补报栏为“是”）。",
                                         style(9))]
    return _form(c, sheet, LANDSCAPE, body)


def change_report_part1(c: MonthContent) -> Form:
    return _change_list(c, fmt.CHANGES, CHANGE_COLUMNS, forms.change_rows(c),
                        late=sum(r.late_report for r in c.report.member_rows), unit="条", empty="本月无成员变动")


def change_report_part2(c: MonthContent) -> Form:
    return _change_list(c, fmt.BIRTHS, BIRTH_COLUMNS, forms.birth_rows(c),
                        late=sum(r.late_report for r in c.report.birth_rows), unit="人", empty="本月无出生")


def monthly_table(c: MonthContent) -> Form:
    rows = forms.monthly_rows(c.report.table)
    cols = (Column("项目", 40, "l"), Column("数量", 14, "r"), Column("说明", 76))
    texts = [["　" * r.level + r.label, forms.cell_text(r.value), r.note] for r in rows]
    shaded = [i for i, r in enumerate(rows) if r.level == 0]
    table = ruled_table(cols, texts, width=frame_width(PORTRAIT), size=10, shaded_rows=shaded, padding=1.6)
    foot = Paragraph(escape(forms.balance_text(c)), style(10))
    foot.spaceBefore = 6
    return _form(c, fmt.MONTHLY, PORTRAIT, [table, foot])


def score_sheet(c: MonthContent) -> Form:
    s = c.sheet
    head = [Paragraph(escape(f"考核方案：{s.scheme_name}"), style(10)),
            Paragraph(escape(f"考核期：{s.span.label}（数据截至 {s.as_of.isoformat()}）"), style(10)),
            Paragraph(escape(f"总分：{s.total:g} / {s.maximum:g}") + (f"（含加分 {s.bonus:g}）" if s.bonus else ""),
                      style(14, space_after=3))]
    head += [Paragraph(escape(f"· {f.text}"), style(9.5, colour="#B00000" if f.level == "veto" else "#333333"))
             for f in s.flags]
    head.append(Spacer(1, 6))
    rows = forms.score_rows(c)[1:]   # the total is printed above the table
    cols = (Column("条款", 34, "c"), Column("内容", 168), Column("分值", 28, "r"), Column("得分", 30, "r"),
            Column("扣分", 28, "r"), Column("扣分原因及说明", 222))
    texts = [[r.clause, r.text, forms.cell_text(r.maximum), forms.cell_text(r.points), forms.cell_text(r.lost),
              r.reasons] for r in rows]
    shaded = [i for i, r in enumerate(rows) if r.level == 1]
    table = ruled_table(cols, texts, width=frame_width(PORTRAIT), size=8.5, shaded_rows=shaded, padding=1.5)
    return _form(c, fmt.SCORE, PORTRAIT, [*head, table])


def findings_list(c: MonthContent) -> Form:
    confirmed = len(c.confirmed)
    summary = (f"本月逻辑检查共发现问题 {len(c.findings)} 处：错误 {c.errors} 处，提醒 {c.warnings} 处，"
               f"已确认例外 {confirmed} 处。" if c.findings else "本月逻辑检查未发现问题。")
    body: list[Flowable] = [Paragraph(escape(summary), style(10, space_after=6))]
    if c.findings:
        names = ledgers()
        cols = (Column("序号", 26, "r"), Column("代码", 32, "c"), Column("状态", 34, "c"), Column("台账", 64),
                Column("对象", 88), Column("问题及改正办法", 268))
        texts = [[str(n), f.code, forms.finding_status(c, f.key, f.severity), names.get(f.ledger, f.ledger),
                  c.finding_subject(f), c.finding_text(f)] for n, f in enumerate(c.findings, start=1)]
        body.append(ruled_table(cols, texts, width=frame_width(PORTRAIT), size=8.5))
    return _form(c, "findings", PORTRAIT, body, title="逻辑检查问题清单")


def month_pdf(c: MonthContent) -> bytes:
    """Every form of the month in one PDF (A4; the change report in landscape)."""
    board: Form = (PORTRAIT, [FormStart(fmt.BOARD, fmt.TITLES[fmt.BOARD]),
                              *board_story(c, width=frame_width(PORTRAIT), height=frame_height(PORTRAIT))])
    parts = [change_report_part1(c), change_report_part2(c), monthly_table(c), board, score_sheet(c),
             findings_list(c)]
    story: list[Flowable] = []
    for n, (template, flowables) in enumerate(parts):
        if n:
            story += [NextPageTemplate(template), PageBreak()]
        story += flowables
    return build_pdf(story, furniture=furniture(c), first=parts[0][0],
                     title=f"{c.village.name} {c.period_label} 月报", author=c.village.clerk)
