"""``fpdesk demo --db FILE [--persons N] [--seed S] [--as-of YYYY-MM-DD]``: make the demo village."""

from __future__ import annotations

import argparse
import datetime as dt

from fpdesk.errors import InputError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请按 2026-11-23 的格式填写。") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="生成演示村（已有同名文件时替换）")
    p.add_argument("--db", required=True, help="要生成的村数据文件")
    p.add_argument("--persons", type=int, default=3000, help="人数（默认3000）")
    p.add_argument("--seed", type=int, default=1, help="随机种子（默认1；相同参数生成相同数据）")
    p.add_argument("--as-of", type=_date, default=None, help="模拟的“今天”（默认今天）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from fpdesk.demo import make_demo_village

    if args.persons < 200:
        raise InputError("演示村至少需要200人。", field="persons")
    s = make_demo_village(args.db, persons=args.persons, seed=args.seed, as_of=args.as_of)
    print(f"演示村已生成：{s.path}")
    print(f"村名：{s.village}（{s.code}）  台账起始：{s.start}  模拟今天：{s.as_of}")
    print(f"人数：{s.persons}  户数：{s.households}  出生：{s.births}  变动：{s.events}")
    print(f"预置错误 {len(s.planted)} 条：")
    for e in s.planted:
        print(f"  {e.code} {e.title}：{e.roster_no} {e.name}（{e.detail}）")
    print(f"用时 {s.seconds:.1f} 秒")
    return 0
