"""公示牌 printed: one A4 page in the month's PDF, and the same board as an A3 poster for the village notice wall.

The board is public: counts only, plus the clerk (with the village's phone) and the group heads. No other names,
no ID numbers.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from fpdesk import codes
from fpdesk.export.content import MonthContent
from fpdesk.export.pdf_base import (
    FONT, GRID_COLOUR, HEAD_FILL, MUTED, POSTER, FormStart, build_pdf, escape, frame_height, frame_width, furniture,
    style,
)

ACCENT = colors.HexColor("#8B0000")


def _day(c: MonthContent) -> str:
    d = c.board_day
    return f"{d.year}年{d.month}月{d.day}日"


def _tiles(pairs: list[tuple[str, str]], *, width: float, scale: float) -> Table:
    """Figures as tiles: a row of labels over a row of big numbers."""
    n = len(pairs)
    label = style(9 * scale, align=TA_CENTER)
    data = [[Paragraph(escape(k), label) for k, _ in pairs], [v for _, v in pairs]]
    t = Table(data, colWidths=[width / n] * n, rowHeights=[None, 25 * scale])
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, GRID_COLOUR), ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("FONT", (0, 1), (-1, 1), FONT, 17 * scale), ("TEXTCOLOR", (0, 1), (-1, 1), ACCENT),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * scale), ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * scale),
    ]))
    return t


def _pairs_table(pairs: list[tuple[str, str]], *, width: float, scale: float, per_row: int) -> Table:
    """Label–value pairs in a ruled grid of ``per_row`` pairs per row (methods, group heads)."""
    rows = []
    for i in range(0, len(pairs), per_row):
        chunk = pairs[i:i + per_row] + [("", "")] * (per_row - len(pairs[i:i + per_row]))
        rows.append([cell for pair in chunk for cell in pair])
    label_w, value_w = width / per_row * 0.64, width / per_row * 0.36
    t = Table(rows, colWidths=[label_w, value_w] * per_row)
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, GRID_COLOUR), ("FONT", (0, 0), (-1, -1), FONT, 10.5 * scale),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3 * scale),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * scale),
    ] + [("BACKGROUND", (2 * k, 0), (2 * k, -1), HEAD_FILL) for k in range(per_row)]
      + [("ALIGN", (2 * k + 1, 0), (2 * k + 1, -1), "CENTER") for k in range(per_row)]))
    return t


def _notice_box(*, width: float, scale: float) -> Table:
    """An empty ruled box for the notices posted with the board (奖励扶助对象, 生育登记服务 …): the program keeps
    no list of them, and the names on them are the township's to publish, not the file's."""
    hint = Paragraph(escape("（奖励扶助、特别扶助对象，生育登记服务等公示名单另行张贴）"), style(9 * scale, colour=MUTED))
    t = Table([[hint]], colWidths=[width], rowHeights=[70 * scale])
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, GRID_COLOUR), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _heading(text: str, scale: float) -> Paragraph:
    p = Paragraph(escape(text), style(12.5 * scale, colour=ACCENT))
    p.spaceBefore, p.spaceAfter = 8 * scale, 3 * scale
    return p


def board_story(c: MonthContent, *, width: float, height: float, scale: float = 1.0) -> list[Flowable]:
    """The board as flowables filling one page of ``width`` × ``height`` (shrunk to fit when a village has very
    many groups)."""
    b = c.board
    n = lambda x: str(x)  # noqa: E731
    year = f"{b.year_start.year}年10月1日至{_day(c)}"
    body: list[Flowable] = [
        Paragraph(escape(f"{c.village.name}计划生育基本情况公示牌"), style(22 * scale, align=TA_CENTER,
                                                                   space_after=4 * scale)),
        Paragraph(escape(f"{c.village.township}　{c.village.name}　　数据截至 {_day(c)}"),
                  style(10.5 * scale, align=TA_CENTER, space_after=2 * scale)),
        _heading("一、人口", scale),
        _tiles([("户籍人口", n(b.population)), ("户数", n(b.households)), ("男", n(b.males)), ("女", n(b.females))],
               width=width, scale=scale),
        _heading("二、已婚育龄妇女（15—49周岁）", scale),
        _tiles([("合计", n(b.married_women)), ("无孩", n(b.women_no_child)), ("一孩", n(b.women_one_child)),
                ("二孩", n(b.women_two_children)), ("三孩及以上", n(b.women_three_plus_children))],
               width=width, scale=scale),
        _heading("三、避孕节育", scale),
        _tiles([("已落实措施", n(b.contraception_users)), ("其中长效措施", n(b.long_acting)),
                ("未避孕", n(b.contraception_none))], width=width, scale=scale),
        Spacer(1, 3 * scale),
        _pairs_table([(m.label, n(m.count)) for m in b.contraception if m.code != codes.NO_MEASURE],
                     width=width, scale=scale, per_row=4),
        _heading(f"四、本统计年度出生（{year}）", scale),
        _tiles([("出生合计", n(b.births)), ("一孩", n(b.births_first)), ("二孩", n(b.births_second)),
                ("三孩及以上", n(b.births_third_plus))], width=width, scale=scale),
        Spacer(1, 3 * scale),
        _tiles([("男孩", n(b.births_male)), ("女孩", n(b.births_female)), ("出生性别比", b.sex_ratio_text),
                ("政策内", n(b.births_in_policy)), ("政策外", n(b.births_out_of_policy))], width=width, scale=scale),
        _heading("五、证件", scale),
        _tiles([("本年度一孩生育服务证", n(b.first_child_certificates)),
                ("本年度二孩生育服务证", n(b.second_child_certificates)),
                ("持独生子女父母光荣证", n(b.honour_certificates))], width=width, scale=scale),
        _heading("六、计生专干和中心户长", scale),
        _pairs_table([("计生专干", b.clerk or "　"), ("联系电话", c.village.phone or "　")]
                     + [(f"{g.group}中心户长", g.head or "　") for g in b.group_heads],
                     width=width, scale=scale, per_row=2),
        _heading("七、公示事项", scale),
        _notice_box(width=width, scale=scale),
        Spacer(1, 8 * scale),
        Paragraph(escape("公示日期：＿＿＿＿年＿＿月＿＿日　　　欢迎群众监督"), style(10.5 * scale)),
    ]
    return [KeepInFrame(width, height, body, mode="shrink")]


def board_poster(c: MonthContent) -> bytes:
    """The board alone as an A3 poster."""
    story = [FormStart("board", ""), *board_story(c, width=frame_width(POSTER), height=frame_height(POSTER),
                                                 scale=1.38)]
    return build_pdf(story, furniture=furniture(c), first=POSTER, title=f"{c.village.name} 公示牌",
                     author=c.village.clerk)
