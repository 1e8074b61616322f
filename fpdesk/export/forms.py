"""The rows of each form, in the columns of ``format.HEADERS``: one definition the PDF and the workbook share.

Keyed forms (monthly table, board, score, indicators) carry their stable key (``births.first``) in the first
column; the PDF leaves the key out, the workbook keeps it for the township's importer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from fpdesk import codes
from fpdesk.checks import ERROR, KINDS, SEVERITIES, ledgers, rule
from fpdesk.checks.monthly import SIGN
from fpdesk.dates import period_bounds
from fpdesk.export.content import MonthContent
from fpdesk.indicators import SPAN_KINDS
from fpdesk.ledgers.change_report import MonthlyTable

LATE = "是"


@dataclass(frozen=True, slots=True)
class KeyedRow:
    """One row of a keyed form.

    key: the stable key; label: the Chinese item; value: the figure (int, float, text or None).
    note: 说明 (how a total adds up); level: 0 a heading or total row, 1 a part, 2 an "of which" row.
    """

    key: str
    label: str
    value: Any
    note: str = ""
    level: int = 0


def change_rows(c: MonthContent) -> tuple[tuple[Any, ...], ...]:
    """报告单一, one row per member change (format.HEADERS[CHANGES])."""
    return tuple(
        (n, r.group, r.household_no, r.name, c.id_number(r.id_number), r.change_type, r.change_date, r.ethnicity,
         r.education, r.hukou, r.marital_status, r.first_marriage_date, r.residence, r.relation, r.spouse_name,
         LATE if r.late_report else "")
        for n, r in enumerate(c.report.member_rows, start=1))


def birth_rows(c: MonthContent) -> tuple[tuple[Any, ...], ...]:
    """报告单二, one row per child (format.HEADERS[BIRTHS])."""
    return tuple(
        (n, r.group, r.mother_name, c.id_number(r.mother_id_number), r.husband_name, r.birth_order, r.child_name,
         r.sex, r.birth_date, r.policy_status or "未定", r.health, r.blood_relation, LATE if r.late_report else "")
        for n, r in enumerate(c.report.birth_rows, start=1))


_SPLIT = (("first", "政策内一孩"), ("second", "政策内二孩"), ("third_plus", "政策内三孩及以上"),
          ("out_of_policy", "政策外"), ("undetermined", "政策属性未定"))
_OPERATIONS = (("vasectomy", "男扎", 1), ("tubal_ligation", "女扎", 1), ("iud_insertion", "上环", 1),
               ("iud_insertion_after_first_child", "其中：一孩后上环", 2), ("iud_removal", "取环", 1),
               ("implant", "皮埋", 1), ("abortion", "人工流产", 1), ("induced_labour", "引产", 1))


def monthly_rows(t: MonthlyTable) -> tuple[KeyedRow, ...]:
    """月报表, in the order of docs/export-format.md."""
    split_note = "= 一孩 + 二孩 + 三孩及以上 + 政策外 + 未定"
    rows = [KeyedRow("population.start", "期初人口", t.population_start, "上月末户籍人口"),
            KeyedRow("births.total", "出生合计", t.births.total, split_note)]
    rows += [KeyedRow(f"births.{k}", label, getattr(t.births, k), level=1) for k, label in _SPLIT]
    rows += [KeyedRow("births.late", "其中：补报", t.births_late, "往月出生、本月补报（已含在上列各项中）", 2)]
    for key, label, total, late in (("deaths", "死亡", t.deaths, t.deaths_late),
                                    ("moves_in", "迁入", t.moves_in, t.moves_in_late),
                                    ("moves_out", "迁出", t.moves_out, t.moves_out_late)):
        rows += [KeyedRow(f"{key}.total", label, total),
                 KeyedRow(f"{key}.late", "其中：补报", late, "已含在上一行中", 2)]
    rows += [KeyedRow("inflow.total", "流入", t.inflow), KeyedRow("outflow.total", "流出", t.outflow),
             KeyedRow("pregnancies.total", "孕情登记合计", t.pregnancies.total, split_note)]
    rows += [KeyedRow(f"pregnancies.{k}", label, getattr(t.pregnancies, k), level=1) for k, label in _SPLIT]
    rows += [KeyedRow("operations.total", "节育手术合计", t.operations.total,
                      "= 男扎+女扎+上环+取环+皮埋+人工流产+引产（“其中”不计）")]
    rows += [KeyedRow(f"operations.{k}", label, getattr(t.operations, k), level=level)
             for k, label, level in _OPERATIONS]
    rows += [KeyedRow("certificates.total", "发证合计", sum(x.count for x in t.certificates), "= 以下各证之和")]
    rows += [KeyedRow(f"certificates.{x.code}", x.label, x.count, level=1) for x in t.certificates]
    rows += [KeyedRow("marriages.women_first", "女性初婚", t.women_first_marriages),
             KeyedRow("population.end", "期末人口", t.population_end, "本月末户籍人口")]
    return tuple(rows)


def balance_text(c: MonthContent) -> str:
    """The population balance as the monthly table's foot states it: end = start + this month's own births,
    deaths and moves (补报 are already in the start). A change of this month entered after the month was
    submitted is reported later (补报 of a later month): the dated end population has it, this table does not."""
    t = c.report.table
    own = lambda total, late: total - late  # noqa: E731
    births, deaths = own(t.births.total, t.births_late), own(t.deaths, t.deaths_late)
    moves_in, moves_out = own(t.moves_in, t.moves_in_late), own(t.moves_out, t.moves_out_late)
    text = (f"期末人口 {t.population_end} = 期初 {t.population_start} + 出生 {births} − 死亡 {deaths} "
            f"+ 迁入 {moves_in} − 迁出 {moves_out}（补报不计）")
    first, last = period_bounds(c.period)
    later = [e for e in c.snapshot.events if e.change_type in SIGN and first <= e.occurred_date <= last
             and e.report_period > c.period]
    gap = t.balance_gap - sum(SIGN[e.change_type] for e in later)
    if later:
        text += f"，另有本月变动 {len(later)} 项在以后月份补报"
    return text + ("：平衡。" if gap == 0 else f"：不平衡，差 {gap:+d}（原因见问题清单）。")


def board_rows(c: MonthContent) -> tuple[KeyedRow, ...]:
    """公示牌's figures (docs/export-format.md): counts, the clerk and the group heads; nobody else."""
    b = c.board
    rows = [KeyedRow("as_of", "截至日期", b.as_of), KeyedRow("population", "户籍人口", b.population),
            KeyedRow("households", "户数", b.households), KeyedRow("males", "男", b.males, level=1),
            KeyedRow("females", "女", b.females, level=1),
            KeyedRow("married_women", "已婚育龄妇女（15—49岁）", b.married_women),
            KeyedRow("married_women.children_0", "无孩", b.women_no_child, level=1),
            KeyedRow("married_women.children_1", "一孩", b.women_one_child, level=1),
            KeyedRow("married_women.children_2", "二孩", b.women_two_children, level=1),
            KeyedRow("married_women.children_3plus", "三孩及以上", b.women_three_plus_children, level=1),
            KeyedRow("contraception.users", "已落实节育措施", b.contraception_users),
            KeyedRow("contraception.long_acting", "其中：长效措施", b.long_acting, level=2)]
    rows += [KeyedRow(f"contraception.{m.code}", m.label, m.count, level=1)
             for m in b.contraception if m.code != codes.NO_MEASURE]
    rows += [KeyedRow("contraception.none", "未避孕", b.contraception_none),
             KeyedRow("births.total", "本统计年度出生", b.births),
             KeyedRow("births.first", "一孩", b.births_first, level=1),
             KeyedRow("births.second", "二孩", b.births_second, level=1),
             KeyedRow("births.third_plus", "三孩及以上", b.births_third_plus, level=1),
             KeyedRow("births.male", "男孩", b.births_male, level=1),
             KeyedRow("births.female", "女孩", b.births_female, level=1),
             KeyedRow("births.in_policy", "政策内", b.births_in_policy, level=1),
             KeyedRow("births.out_of_policy", "政策外", b.births_out_of_policy, level=1),
             KeyedRow("births.undetermined", "政策属性未定", b.births_undetermined, level=1),
             KeyedRow("sex_ratio", "出生性别比（女=100）", None if b.sex_ratio is None else round(b.sex_ratio, 1)),
             KeyedRow("certificates.first_child", "本年度发放一孩生育服务证", b.first_child_certificates),
             KeyedRow("certificates.second_child", "本年度发放二孩生育服务证", b.second_child_certificates),
             KeyedRow("certificates.honour", "持独生子女父母光荣证", b.honour_certificates),
             KeyedRow("clerk", "计生专干", b.clerk), KeyedRow("phone", "联系电话", c.village.phone)]
    rows += [KeyedRow(f"group_head.{n}", f"中心户长（{g.group}）", g.head)
             for n, g in enumerate(b.group_heads, start=1)]
    return tuple(rows)


def _num(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One row of the score sheet (format.HEADERS[SCORE]); level 0 total, 1 article, 2 item."""

    key: str
    clause: str
    text: str
    maximum: float
    points: float
    lost: float | None
    reasons: str
    level: int

    @property
    def cells(self) -> tuple[Any, ...]:
        return (self.key, self.clause, self.text, self.maximum, self.points, self.lost, self.reasons)


def score_rows(c: MonthContent) -> tuple[ScoreRow, ...]:
    """自评得分: the total, then each article and its items with the points lost and why."""
    s = c.sheet
    rows = [ScoreRow("total", "总分", s.scheme_name, s.maximum, s.total, round(s.maximum + s.bonus - s.total, 2),
                     "\n".join(f.text for f in s.flags), 0)]
    for a in s.articles:
        note = f"各项合计超过本条分值，按 {_num(a.maximum)} 分封顶。" if a.capped_by else ""
        rows.append(ScoreRow(f"article.{a.key}", a.no.rstrip("、"), a.title + ("（加分项）" if a.bonus else ""),
                             a.maximum, a.points, None if a.bonus else round(a.maximum - a.points, 2), note, 1))
        for i in a.items:
            sign = "+" if i.bonus else "−"
            lines = [f"{sign}{_num(x.points)}　{x.reason}" for x in i.losses]
            if i.capped:
                lines.append(f"（扣完为止：本项最多{'加' if i.bonus else '扣'} {_num(i.maximum)} 分）")
            lines += list(i.notes)
            rows.append(ScoreRow(f"item.{i.key}", i.key, i.text, i.maximum, i.points,
                                 None if i.bonus else i.lost, "\n".join(lines), 2))
    return tuple(rows)


def indicator_rows(c: MonthContent) -> tuple[tuple[Any, ...], ...]:
    """指标 (format.HEADERS[INDICATORS]): each indicator over each span, numerator and denominator."""
    return tuple(
        (f"{v.key}.{v.span.kind}", v.name, f"{SPAN_KINDS[v.span.kind]}（{v.span.label}）", v.numerator, v.denominator,
         None if v.value is None else round(v.value, 4), v.unit, v.note)
        for v in c.indicators)


def finding_summary_rows(c: MonthContent) -> tuple[tuple[Any, ...], ...]:
    """问题汇总 (format.HEADERS[FINDINGS]): per rule code, in the findings' order, counts only."""
    total = Counter(f.code for f in c.findings)
    confirmed = Counter(f.code for f in c.findings if f.key in c.confirmed)
    names = ledgers()
    out = []
    for code in dict.fromkeys(f.code for f in c.findings):
        r = rule(code)
        out.append((code, r.title, SEVERITIES.get(r.severity, r.severity), KINDS.get(r.kind, r.kind),
                    names.get(r.ledger, r.ledger), total[code], confirmed[code]))
    return tuple(out)


def finding_status(c: MonthContent, key: str, severity: str) -> str:
    """错误 / 提醒 / 已确认例外：note."""
    if key in c.confirmed:
        return f"已确认例外：{c.confirmed[key]}"
    return "错误" if severity == ERROR else "提醒"


def cell_text(value: Any) -> str:
    """A value as the PDF prints it: dates 2026-11-23, numbers without a trailing .0, None as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)
