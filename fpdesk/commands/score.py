"""``fpdesk score --db FILE [--scheme NAME] [--period YYYY-MM] [--json]``: the village's self-assessment score.

Without --scheme / --period the village's own settings apply (``score_scheme``, ``score_period``; see
``fpdesk.score.select``). ``--list`` shows the shipped schemes.
"""

from __future__ import annotations

import argparse
import json
import sys

from fpdesk.dates import parse_date, parse_period
from fpdesk.db import open_village_file
from fpdesk.score import as_dict, builtin_schemes, render_text, scheme_by_name, score
from fpdesk.score.select import village_period, village_scheme
from fpdesk.snapshot import load_snapshot


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="按考核方案计算本村自评得分，并说明每一处扣分")
    p.add_argument("--db", help="村数据文件")
    p.add_argument("--scheme", help="考核方案（代号、名称或方案文件路径；默认用本村设置）")
    p.add_argument("--period", help="考核月份，如 2026-11（默认用本村设置或当前报表月份）")
    p.add_argument("--as-of", dest="as_of", help="数据截至日期（默认今天）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（不含姓名、身份证号）")
    p.add_argument("--brief", action="store_true", help="只列各项得分，不列扣分原因")
    p.add_argument("--list", action="store_true", help="列出程序自带的考核方案")
    p.set_defaults(func=run)


def _list() -> int:
    for s in builtin_schemes():
        mark = "（示例）" if s.example else ""
        print(f"{s.key}\t{s.short_name}{mark}\t{s.name}")
        for w in s.warnings:
            print(f"\t提醒：{w}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    if not args.db:
        print("错误：请用 --db 指定村数据文件。", file=sys.stderr)
        return 2
    as_of = parse_date(args.as_of, field="as_of", label="数据截至日期") if args.as_of else None
    conn = open_village_file(args.db)
    try:
        snap = load_snapshot(conn, as_of=as_of)
    finally:
        conn.close()
    plan = scheme_by_name(args.scheme) if args.scheme else village_scheme(snap)
    period = parse_period(args.period, field="period") if args.period else village_period(snap)
    sheet = score(snap, plan, period=period)
    if args.json:
        print(json.dumps(as_dict(sheet), ensure_ascii=False, indent=2))
    else:
        print(render_text(sheet, details=not args.brief))
        for w in plan.warnings:
            print(f"提醒（方案）：{w}")
    return 0
