"""The monthly report file's format (月报文件, ``fpdesk-month`` version 1): sheet names, headers, keys, the file
name, and the content hash. docs/export-format.md describes it; the writer (``xlsx.py``) and the reader
(``reader.py``) both take every name from here, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Iterable, Mapping, Sequence

FORMAT_NAME = "fpdesk-month"
FORMAT_VERSION = 1

MANIFEST = "清单"
CHANGES, BIRTHS, MONTHLY, BOARD, SCORE, INDICATORS, FINDINGS = (
    "报告单一", "报告单二", "月报表", "公示牌", "自评得分", "指标", "问题汇总",
)
# Data sheets in workbook order (after 清单), each with the manifest key of its row count.
DATA_SHEETS: tuple[tuple[str, str], ...] = (
    (CHANGES, "rows.changes"), (BIRTHS, "rows.births"), (MONTHLY, "rows.monthly"), (BOARD, "rows.board"),
    (SCORE, "rows.score"), (INDICATORS, "rows.indicators"), (FINDINGS, "rows.findings"),
)
SHEET_ORDER = (MANIFEST,) + tuple(name for name, _ in DATA_SHEETS)

TITLE_ROW, INFO_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
MANIFEST_HEADER_ROW, MANIFEST_FIRST_ROW = 2, 3

HEADERS: Mapping[str, tuple[str, ...]] = {
    MANIFEST: ("键", "项目", "内容"),
    CHANGES: ("序号", "组别", "户编号", "姓名", "身份证号", "变动类型", "变动日期", "民族", "文化程度", "户口性质",
              "婚姻状况", "初婚日期", "居住状况", "与户主关系", "配偶姓名", "补报"),
    BIRTHS: ("序号", "组别", "母亲姓名", "身份证号", "丈夫姓名", "孩次", "子女姓名", "性别", "出生日期", "政策属性",
             "健康状况", "血缘关系", "补报"),
    MONTHLY: ("键", "项目", "数量", "说明"),
    BOARD: ("键", "项目", "数值"),
    SCORE: ("键", "条款", "内容", "分值", "得分", "扣分", "扣分原因及说明"),
    INDICATORS: ("键", "指标", "统计口径", "分子", "分母", "数值", "单位", "定义"),
    FINDINGS: ("代码", "规则", "严重程度", "类别", "台账", "问题数", "其中已确认例外"),
}

TITLES: Mapping[str, str] = {
    MANIFEST: "月报文件清单",
    CHANGES: "全员人口信息报告单（一）成员变动",
    BIRTHS: "全员人口信息报告单（二）出生",
    MONTHLY: "计划生育月报表",
    BOARD: "村级计划生育基本情况公示牌",
    SCORE: "目标管理责任制自评得分表",
    INDICATORS: "考核指标（分子、分母）",
    FINDINGS: "逻辑检查问题汇总",
}

HASH_KEY = "content_sha256"
# Manifest fields in order: (key, label). Row counts follow DATA_SHEETS.
MANIFEST_FIELDS: tuple[tuple[str, str], ...] = (
    ("format", "格式名称"), ("format_version", "格式版本"), ("village_code", "村代码"), ("village_name", "村名称"),
    ("township", "乡镇"), ("county", "县（区）"), ("period", "报告期"),
    ("correction_no", "更正次数（0 为首次报送）"), ("submitted", "是否报送（1 是，0 否：草稿）"),
    ("generated_at", "生成时间"), ("as_of", "数据截至"), ("app_version", "程序版本"),
    ("id_numbers_masked", "身份证号已遮盖（1 是，0 否）"),
    ("score_scheme", "考核方案"), ("score_total", "自评总分"), ("score_maximum", "满分"),
    ("rows.changes", "报告单一行数"), ("rows.births", "报告单二行数"), ("rows.monthly", "月报表行数"),
    ("rows.board", "公示牌行数"), ("rows.score", "自评得分行数"), ("rows.indicators", "指标行数"),
    ("rows.findings", "问题汇总行数"),
    ("findings.errors", "逻辑检查错误（未确认例外）"), ("findings.warnings", "逻辑检查提醒（未确认例外）"),
    ("findings.confirmed", "已确认例外"),
    (HASH_KEY, "内容校验码（SHA-256）"),
)

# The monthly table's sums: total key -> its parts. Certificates add up every ``certificates.{code}`` row.
SUMS: Mapping[str, tuple[str, ...]] = {
    "births.total": ("births.first", "births.second", "births.third_plus", "births.out_of_policy",
                     "births.undetermined"),
    "pregnancies.total": ("pregnancies.first", "pregnancies.second", "pregnancies.third_plus",
                          "pregnancies.out_of_policy", "pregnancies.undetermined"),
    "operations.total": ("operations.vasectomy", "operations.tubal_ligation", "operations.iud_insertion",
                         "operations.iud_removal", "operations.implant", "operations.abortion",
                         "operations.induced_labour"),
}
CERTIFICATES_TOTAL = "certificates.total"
SPANS = ("month", "ytd", "last12")


def sum_parts(monthly: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """Every total of the monthly table with the keys it is the sum of."""
    parts = dict(SUMS)
    parts[CERTIFICATES_TOTAL] = tuple(k for k in monthly if k.startswith("certificates.") and k != CERTIFICATES_TOTAL)
    return parts


def sum_gaps(monthly: Mapping[str, int]) -> tuple[str, ...]:
    """The totals of a monthly table that are not the sum of their parts, as Chinese sentences (none: all hold)."""
    out = []
    for total, keys in sum_parts(monthly).items():
        if total not in monthly:
            continue
        parts = sum(monthly.get(k, 0) for k in keys)
        if monthly[total] != parts:
            out.append(f"{total} = {monthly[total]}，但各项之和为 {parts}")
    return tuple(out)


def file_stem(village_code: str, period: str, correction_no: int) -> str:
    """``420102001001_2026-10``, or ``420102001001_2026-10_更正1`` for the first correction."""
    return f"{village_code}_{period}" + (f"_更正{correction_no}" if correction_no else "")


# ---- the content hash ---------------------------------------------------------------------------------------

def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def canonical(value: Any) -> str:
    """One cell's canonical text (docs/export-format.md, "The content hash")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{round(value, 6):.6f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _escape(str(value))


def _empty(value: Any) -> bool:
    return value is None or value == ""


def content_hash(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> str:
    """SHA-256 (hex) of the canonical text of ``sheets``: (sheet name, rows from row 1) in workbook order."""
    digest = hashlib.sha256()
    for title, rows in sheets:
        digest.update(f"§{_escape(title)}\n".encode("utf-8"))
        blank_run = 0
        for row in rows:
            cells = list(row)
            while cells and _empty(cells[-1]):
                cells.pop()
            if title == MANIFEST and cells and cells[0] == HASH_KEY:
                cells = cells[:2]
            if not cells:
                blank_run += 1     # an empty row counts only when a non-empty row follows it
                continue
            if blank_run:
                digest.update(b"\n" * blank_run)
                blank_run = 0
            digest.update(("\t".join(canonical(v) for v in cells) + "\n").encode("utf-8"))
    return digest.hexdigest()
