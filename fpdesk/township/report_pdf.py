"""The township's monthly report as a PDF, laid out like the villages' printed forms (the same page furniture,
ruled tables and embedded font: ``fpdesk.export.pdf_base``): 报送情况, 乡镇月报表, 各村月报表 (landscape, in
column groups), 考核指标 (landscape), 考核排名, and the corrections received.
"""

from __future__ import annotations

from typing import Sequence

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Paragraph, Spacer

from fpdesk.dates import period_label
from fpdesk.export.pdf_base import (
    LANDSCAPE, PORTRAIT, Column, FormStart, Furniture, build_pdf, escape, frame_width, ruled_table,
    signature_line, style, title_block,
)
from fpdesk.township import fields
from fpdesk.township.aggregate import Ratio
from fpdesk.township.report import MonthReport
from fpdesk.township.status import LATE, MISSING

Form = tuple[str, list[Flowable]]
TABLE_GROUP = 13          # monthly-table columns per landscape table
INDICATOR_GROUP = 8       # indicator columns per landscape table
RED, AMBER = "#B00000", "#8A5A00"


def _info(r: MonthReport) -> str:
    bits = [f"县（区）：{r.township.county}" if r.township.county else "", f"乡镇：{r.township.name}",
            f"报告期：{period_label(r.period)}", f"报送截止：{r.status.due.isoformat()}"]
    return "　　".join(b for b in bits if b)


def _form(r: MonthReport, key: str, title: str, template: str, body: list[Flowable], *, sign: bool = True) -> Form:
    out = [FormStart(key, title), *title_block(title, _info(r)), *body]
    return template, out + ([signature_line()] if sign else [])


def _note(text: str, *, colour: str = "#000000", size: float = 10, after: float = 4) -> Paragraph:
    return Paragraph(escape(text), style(size, colour=colour, space_after=after))


def reporting(r: MonthReport) -> Form:
    s = r.status
    cols = (Column("序号", 22, "r"), Column("村代码", 62, "c"), Column("村名称", 56), Column("报送情况", 70),
            Column("报送日期", 50, "c"), Column("导入文件", 150))
    rows = []
    for n, v in enumerate(s.villages, start=1):
        rows.append([str(n), v.village.code, v.village.name, v.label,
                     v.handed_in.isoformat() if v.handed_in else "", v.current.file_name if v.current else ""])
    shaded = [i for i, v in enumerate(s.villages) if v.state in (LATE, MISSING)]
    body: list[Flowable] = [_note(f"报送情况：{s.summary}。"),
                            _note("报送日期按村里生成月报文件的日期计；晚于报送截止日为逾期。底色行为逾期或未报。",
                                  size=9, colour="#555555"),
                            ruled_table(cols, rows, width=frame_width(PORTRAIT), size=9.5, shaded_rows=shaded)]
    return _form(r, "status", "报送情况", PORTRAIT, body, sign=False)


def township_monthly(r: MonthReport) -> Form:
    t = r.table
    cols = (Column("项目", 44), Column("全乡镇合计", 18, "r"), Column("说明", 70))
    rows = [["　" * fields.table_level(k) + fields.table_short_label(k), str(t.total.values[i]), fields.table_note(k)]
            for i, (k, _) in enumerate(t.fields)]
    shaded = [i for i, (k, _) in enumerate(t.fields) if fields.table_level(k) == 0]
    check = ("校验：各项合计与分项相符；各村相加与数据库汇总一致。" if not t.problems
             else "校验发现问题：" + "；".join(t.problems))
    body: list[Flowable] = [
        _note(f"本表为 {len(t.rows)} 个村月报表之和（{r.status.summary}）。"),
        ruled_table(cols, rows, width=frame_width(PORTRAIT), size=10, shaded_rows=shaded, padding=1.4),
        Spacer(1, 4), _note(check, colour=RED if t.problems else "#000000", size=9.5),
        _note(fields.balance_text(dict(zip((k for k, _ in t.fields), t.total.values))), size=9.5)]
    return _form(r, "monthly", "乡镇计划生育月报表（各村汇总）", PORTRAIT, body)


def _groups(items: Sequence, size: int) -> list[Sequence]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


def villages_monthly(r: MonthReport) -> Form:
    t = r.table
    body: list[Flowable] = []
    keys = list(range(len(t.fields)))
    for n, group in enumerate(_groups(keys, TABLE_GROUP)):
        cols = (Column("村名称", 60),) + tuple(Column(t.fields[i][1], 34, "r") for i in group)
        rows = [[row.name] + [str(row.values[i]) for i in group] for row in t.rows + (t.total,)]
        if n:
            body.append(Spacer(1, 10))
        body.append(ruled_table(cols, rows, width=frame_width(LANDSCAPE), size=8.5, shaded_rows=[len(rows) - 1],
                                empty_text="本月没有村报送"))
    return _form(r, "villages", "各村月报表", LANDSCAPE, body, sign=False)


def _ratio_text(x: Ratio | None, unit: str) -> str:
    if x is None:
        return "—"
    if x.value is None:
        return f"无数据\n{x.fraction_text}"
    return f"{x.value:.1f}{unit}\n{x.fraction_text}"


def indicators(r: MonthReport) -> Form:
    ind = r.key_indicators
    body: list[Flowable] = [_note("每格：指标值，下行为分子/分母。全乡镇指标 = 各村分子之和 ÷ 各村分母之和（不是各村比率的平均）。",
                                  size=9, colour="#555555")]
    for n, group in enumerate(_groups(list(range(len(ind.columns))), INDICATOR_GROUP)):
        cols = (Column("村名称", 56),) + tuple(
            Column(f"{ind.columns[i].name}（{ind.columns[i].span}）", 46, "r") for i in group)
        rows = [[row.name] + [_ratio_text(row.ratios[i], ind.columns[i].unit) for i in group]
                for row in ind.rows + (ind.total,)]
        if n:
            body.append(Spacer(1, 10))
        body.append(ruled_table(cols, rows, width=frame_width(LANDSCAPE), size=8, shaded_rows=[len(rows) - 1],
                                empty_text="本月没有村报送", padding=1.2))
    return _form(r, "indicators", "各村考核指标", LANDSCAPE, body, sign=False)


def ranking(r: MonthReport) -> Form:
    sc = r.scores
    scheme = sc.scheme
    lines = [f"考核方案：{scheme.name}（满分 {float(scheme.total):g} 分）。"]
    if scheme.veto_below is not None:
        lines.append(f"总分低于 {float(scheme.veto_below):g} 分实行“一票否决”；"
                     + (f"排名倒数三位且总分低于 {float(scheme.lagging_below):g} 分的村列为后进村。"
                        if scheme.lagging_below is not None else ""))
    lines.append("得分由乡镇按本方案、依各村月报文件中的指标分子分母和问题数计算；定性项目采用村自评（同一方案时）。")
    cols = (Column("名次", 22, "c"), Column("村代码", 60, "c"), Column("村名称", 54), Column("得分", 32, "r"),
            Column("村自评", 32, "r"), Column("标记", 150))
    own = {v.village.code: v.current for v in r.status.villages if v.current is not None}
    rows = []
    for x in sc.ranking:
        sub = own.get(x.code)
        self_score = f"{sub.score_total:.2f}" if sub is not None and sub.score_total is not None else ""
        rows.append([str(x.rank), x.code, x.name, f"{x.total:.2f}", self_score, x.flag_text])
    flagged = [i for i, x in enumerate(sc.ranking) if x.flags]
    body: list[Flowable] = [_note(t, size=9.5) for t in lines]
    body.append(ruled_table(cols, rows, width=frame_width(PORTRAIT), size=9.5, shaded_rows=flagged,
                            empty_text="本月没有村报送"))
    missing = [v.village.name for v in r.status.missing]
    if missing:
        body += [Spacer(1, 4), _note(f"未报送、未参加排名：{'、'.join(missing)}。", colour=AMBER, size=9.5)]
    return _form(r, "ranking", "目标管理责任制考核排名", PORTRAIT, body)


def corrections(r: MonthReport) -> Form | None:
    if not r.corrections:
        return None
    names = {v.village.code: v.village.name for v in r.status.villages}
    cols = (Column("村名称", 50), Column("被替代的报表", 120), Column("报次", 40, "c"), Column("生成时间", 62, "c"),
            Column("导入时间", 62, "c"))
    rows = [[names.get(s.village_code, s.village_name), s.file_name, "首次报送" if not s.correction else f"更正{s.correction}",
             s.generated_at.isoformat(sep=" ", timespec="minutes"), s.imported_at.isoformat(sep=" ", timespec="minutes")]
            for s in r.corrections]
    body: list[Flowable] = [_note("以下报表已被村里的更正报替代，保留备查；汇总和排名只用现行的报表。", size=9.5),
                            ruled_table(cols, rows, width=frame_width(PORTRAIT), size=9)]
    return _form(r, "history", "更正记录", PORTRAIT, body, sign=False)


def report_pdf(r: MonthReport) -> bytes:
    """Every part of the township's month in one PDF."""
    parts = [p for p in (reporting(r), township_monthly(r), villages_monthly(r), indicators(r), ranking(r),
                         corrections(r)) if p is not None]
    story: list[Flowable] = []
    for n, (template, flowables) in enumerate(parts):
        if n:
            story += [NextPageTemplate(template), PageBreak()]
        story += flowables
    furniture = Furniture(head_left=f"{r.township.name}　{period_label(r.period)}", head_right="",
                          foot_right=f"fpdesk {r.app_version} · 生成于 {r.generated_at:%Y-%m-%d %H:%M}")
    return build_pdf(story, furniture=furniture, first=parts[0][0], title=r.title, author=r.township.name)
