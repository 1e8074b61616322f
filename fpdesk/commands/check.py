"""``fpdesk check --db FILE [--month YYYY-MM] [--json] [--xlsx OUT] [--strict]``: the ledger logic checks.

The findings grouped by ledger, in Chinese; or a JSON list (``--json``), each finding with ``code``, ``severity``,
``kind``, ``ledger``, ``field``, ``message`` and ``person`` (``name``, ``id_number``, ``roster_no`` — the 人员编号
when the person came from a roster workbook; null when the finding is about a month's table or the board);
``--xlsx`` also writes them to a workbook (问题清单, and the rule catalogue 规则目录).

Exit status 0 when the check ran, whatever it found (issue 5); ``--strict``: 1 when there is any error (not a
warning), for scripts that must stop on a wrong ledger. 2 when the file cannot be checked.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from fpdesk.checks import ERROR, KINDS, SEVERITIES, Finding, ledgers, rule, rules, run_checks
from fpdesk.checks.facts import default_periods
from fpdesk.dates import parse_date, parse_period, period_label
from fpdesk.db import open_village_file
from fpdesk.errors import InputError
from fpdesk.snapshot import Snapshot, load_snapshot


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="逻辑检查：列出台账中的错误和提醒，说明如何改正")
    p.add_argument("--db", required=True, help="村数据文件")
    p.add_argument("--month", "--period", dest="month",
                   help="检查哪个月的报告单和月报表，如 2026-11（默认：上月和本月）")
    p.add_argument("--as-of", dest="as_of", help="数据截至日期（默认今天）")
    p.add_argument("--json", action="store_true", help="以 JSON 列表输出")
    p.add_argument("--xlsx", metavar="OUT", help="同时把问题清单写入 Excel 文件")
    p.add_argument("--strict", action="store_true", help="发现错误（不含提醒）时以状态 1 退出")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    month = parse_period(args.month, field="month") if args.month else None
    as_of = parse_date(args.as_of, field="as_of", label="数据截至日期") if args.as_of else None
    conn = open_village_file(args.db)
    try:
        snap = load_snapshot(conn, as_of=as_of)
    finally:
        conn.close()
    found = run_checks(snap, period=month)
    if args.xlsx:
        write_xlsx(snap, found, path=Path(args.xlsx), masked=_masked(snap))
    if args.json:
        print(json.dumps([as_dict(snap, f) for f in found], ensure_ascii=False, indent=2))
    else:
        print(render_text(snap, found, months=(month,) if month else default_periods(snap), masked=_masked(snap)))
        if args.xlsx:
            print(f"问题清单已写入：{args.xlsx}")
    return 1 if args.strict and any(f.severity == ERROR for f in found) else 0


def _masked(snap: Snapshot) -> bool:
    return snap.settings.get("mask_id_numbers", "1") != "0"


def mask(number: str | None) -> str:
    """An ID number as printed lists show it: the first 6 and the last 4 characters."""
    if not number:
        return ""
    return number if len(number) < 11 else number[:6] + "*" * (len(number) - 10) + number[-4:]


def person_of(snap: Snapshot, f: Finding) -> dict[str, Any] | None:
    """The person a finding is about (name, ID number, 人员编号), or None."""
    p = snap.person_by_id.get(f.person_id) if f.person_id is not None else None
    if p is None:
        return None
    return {"id": p.id, "name": p.name, "id_number": p.id_number or "", "roster_no": p.roster_no or ""}


def as_dict(snap: Snapshot, f: Finding) -> dict[str, Any]:
    """One finding as the JSON output lists it."""
    return {
        "code": f.code, "severity": f.severity, "kind": f.kind, "ledger": f.ledger, "field": f.field,
        "message": f.message, "person": person_of(snap, f),
        "title": rule(f.code).title, "ledger_label": ledgers().get(f.ledger, f.ledger), "field_label": f.field_label,
        "period": f.period, "record": {"table": f.subject.table, "id": f.subject.id},
        "related": [{"table": r.table, "id": r.id} for r in f.related],
    }


def _who(snap: Snapshot, f: Finding, *, masked: bool) -> str:
    p = person_of(snap, f)
    if p is None:
        return period_label(f.period) if f.period else ""
    extra = [f"人员编号 {p['roster_no']}"] if p["roster_no"] else []
    if p["id_number"]:
        extra.append(mask(p["id_number"]) if masked else p["id_number"])
    return p["name"] + (f"（{'，'.join(extra)}）" if extra else "")


def render_text(snap: Snapshot, found: tuple[Finding, ...], *, months: tuple[str, ...], masked: bool = True) -> str:
    """The findings as the clerk reads them: a summary line, then each ledger with its findings."""
    village = snap.village
    head = f"{village.name}（{village.code}）" if village else "村数据文件"
    lines = [f"{head} 逻辑检查，数据截至 {snap.as_of.isoformat()}；报告单和月报表检查："
             f"{'、'.join(period_label(m) for m in months)}"]
    errors = sum(1 for f in found if f.severity == ERROR)
    if not found:
        lines.append("未发现问题。")
        return "\n".join(lines)
    lines.append(f"共 {len(found)} 个问题：错误 {errors} 个，提醒 {len(found) - errors} 个。")
    by_ledger: dict[str, list[Finding]] = {}
    for f in found:
        by_ledger.setdefault(f.ledger, []).append(f)
    for key, items in by_ledger.items():
        n_err = sum(1 for f in items if f.severity == ERROR)
        lines.append("")
        lines.append(f"【{ledgers().get(key, key)}】错误 {n_err}，提醒 {len(items) - n_err}")
        for f in items:
            where = f"{f.field_label}：" if f.field_label else ""
            who = _who(snap, f, masked=masked)
            lines.append(f"  {SEVERITIES[f.severity]} {f.code} {rule(f.code).title}"
                         + (f" —— {who}" if who else ""))
            lines.append(f"      {where}{f.message}")
    counts = Counter(f.kind for f in found)
    lines.append("")
    lines.append("按类别：" + "，".join(f"{KINDS[k]} {counts[k]}" for k in KINDS if counts[k]))
    return "\n".join(lines)


def write_xlsx(snap: Snapshot, found: tuple[Finding, ...], *, path: Path, masked: bool = True) -> None:
    """The findings (问题清单) and the rule catalogue (规则目录) as a workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    if path.suffix.lower() != ".xlsx":
        raise InputError(f"“{path}”应为 .xlsx 文件。", field="xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    head = ("台账", "严重程度", "类别", "规则", "规则名称", "姓名", "人员编号", "身份证号", "字段", "问题与改正方法",
            "月份", "记录")
    ws.append(head)
    for f in found:
        p = person_of(snap, f) or {}
        number = p.get("id_number", "")
        ws.append((ledgers().get(f.ledger, f.ledger), SEVERITIES[f.severity], KINDS[f.kind], f.code, rule(f.code).title,
                   p.get("name", ""), p.get("roster_no", ""), mask(number) if masked else number, f.field_label,
                   f.message, period_label(f.period) if f.period else "", f"{f.subject.table}#{f.subject.id}"))
    catalogue = wb.create_sheet("规则目录")
    catalogue.append(("规则", "规则名称", "严重程度", "类别", "台账", "说明"))
    for code, r in rules().items():
        catalogue.append((code, r.title, SEVERITIES[r.severity], KINDS[r.kind], ledgers().get(r.ledger, r.ledger),
                          r.explanation))
    for sheet, widths in ((ws, (16, 8, 8, 6, 24, 10, 10, 20, 12, 70, 10, 14)), (catalogue, (6, 28, 8, 8, 16, 90))):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + i)].width = width
        wrap = "J" if sheet is ws else "F"
        for cell in sheet[wrap][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
