"""``fpdesk township``: the township office's side (乡镇汇总) from the command line.

    fpdesk township init --db T.sqlite --name 城关镇 --villages villages.csv   make the township file
    fpdesk township import --db T.sqlite FILE_OR_FOLDER... [--preview]          import villages' monthly files
    fpdesk township status --db T.sqlite --month 2026-10                        who reported, who is late/missing
    fpdesk township report --db T.sqlite --month 2026-10 --out DIR              the month's report (PDF + XLSX)

``import`` prints one line per file (已导入 / 已更正替换 / 相同未变 / 拒收 and why) and exits with status 1 when
any file was refused, so a script can tell; each accepted file is imported whole, a refused one not at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fpdesk.dates import parse_date, parse_period, period_label
from fpdesk.deadline import DEFAULT_DEADLINE_DAY
from fpdesk.score.select import DEFAULT_SCHEME
from fpdesk.township import (
    ACTION_LABELS, REJECTED, import_files, preview_import, init_township, month_report, month_scores, month_status, open_township_file,
    read_village_list, township_info, township_table, write_report,
)

EXIT_REJECTED = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("township", help="乡镇：导入各村月报、汇总、考核排名")
    actions = p.add_subparsers(dest="township_action", metavar="操作", required=True)

    i = actions.add_parser("init", help="建立乡镇汇总文件（乡镇名称、村名单）")
    i.add_argument("--db", required=True, help="要建立的乡镇汇总文件（.sqlite）")
    i.add_argument("--name", required=True, help="乡镇名称")
    i.add_argument("--villages", required=True, metavar="CSV", help="村名单：每行“村代码,村名称”")
    i.add_argument("--county", default="", help="县（区）")
    i.add_argument("--deadline-day", dest="deadline_day", type=int, default=DEFAULT_DEADLINE_DAY,
                   help=f"报送截止：次月几日（默认 {DEFAULT_DEADLINE_DAY}）")
    i.add_argument("--scheme", default=DEFAULT_SCHEME, help="考核方案（代号或方案文件；默认 %(default)s）")
    i.add_argument("--start", help="接收月报的起始月份，如 2025-10（默认：12个月前）")
    i.set_defaults(func=run_init)

    m = actions.add_parser("import", help="导入各村月报文件（可给文件或文件夹）")
    m.add_argument("--db", required=True, help="乡镇汇总文件")
    m.add_argument("files", nargs="+", metavar="FILE", help="月报文件（.xlsx）或存放月报文件的文件夹")
    m.add_argument("--preview", action="store_true", help="只检查、列出导入后的结果，不写入")
    m.add_argument("--today", help=argparse.SUPPRESS)   # the day months are judged on (tests)
    m.set_defaults(func=run_import)

    s = actions.add_parser("status", help="某月报送情况：已报、逾期、未报")
    s.add_argument("--db", required=True, help="乡镇汇总文件")
    s.add_argument("--month", required=True, help="月份，如 2026-10")
    s.add_argument("--today", help=argparse.SUPPRESS)
    s.set_defaults(func=run_status)

    r = actions.add_parser("report", help="某月乡镇汇总报表（PDF 和 Excel）")
    r.add_argument("--db", required=True, help="乡镇汇总文件")
    r.add_argument("--month", required=True, help="月份，如 2026-10")
    r.add_argument("--out", required=True, metavar="DIR", help="报表存放的文件夹")
    r.add_argument("--today", help=argparse.SUPPRESS)
    r.set_defaults(func=run_report)


def _today(args: argparse.Namespace):
    return parse_date(args.today, field="today", label="日期") if getattr(args, "today", None) else None


def _progress():
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, stage: str) -> None:
        print(f"\r\033[K{stage}：{done}/{total}", end="\n" if done >= total else "", file=sys.stderr, flush=True)

    return show


def run_init(args: argparse.Namespace) -> int:
    entries = read_village_list(args.villages)
    start = parse_period(args.start, field="start") if args.start else None
    conn = init_township(args.db, name=args.name, villages=entries, county=args.county,
                         deadline_day=args.deadline_day, scheme=args.scheme, start_period=start)
    try:
        info = township_info(conn)
    finally:
        conn.close()
    print(f"已建立乡镇汇总文件：{args.db}")
    print(f"乡镇：{info.name}　村：{len(entries)} 个　报送截止：次月 {info.deadline_day} 日　"
          f"接收起始月份：{period_label(info.start_period)}")
    return 0


def _lines(rows: list[tuple[str, str, str, str, str, tuple[str, ...]]]) -> None:
    """(label, file, village, period, reason, warnings) as one line per file, the labels in one column."""
    width = max((len(r[0]) for r in rows), default=4)
    for label, file_name, village, period, reason, warnings in rows:
        who = f"{village} {period_label(period)}　" if village and len(period) == 7 else ""
        print(f"{label:\u3000<{width}}　{file_name}　{who}{reason}" + "".join(f"　⚠ {w}" for w in warnings))


def run_import(args: argparse.Namespace) -> int:
    conn = open_township_file(args.db)
    try:
        if args.preview:
            preview = preview_import(conn, args.files, today=_today(args), progress=_progress())
            _lines([(ACTION_LABELS[i.action], i.file_name, i.village_name, i.period, i.reason, i.warnings)
                    for i in preview.items])
            print(f"预览（未写入）：{preview.text}。" if preview.items else "没有找到月报文件（.xlsx）。")
            return EXIT_REJECTED if preview.count(REJECTED) or not preview.items else 0
        summary = import_files(conn, args.files, today=_today(args), progress=_progress())
    finally:
        conn.close()
    _lines([(o.label, o.file_name, o.village_name, o.period, o.reason, o.warnings) for o in summary.outcomes])
    if not summary.outcomes:
        print("没有找到月报文件（.xlsx）。")
    print(f"合计：{summary.text}。")
    return EXIT_REJECTED if summary.rejected or not summary.outcomes else 0


def run_status(args: argparse.Namespace) -> int:
    month = parse_period(args.month, field="month")
    conn = open_township_file(args.db)
    try:
        status = month_status(conn, month, today=_today(args))
        info = township_info(conn)
        table = township_table(conn, month)
        scores = month_scores(conn, month)
    finally:
        conn.close()
    print(f"{info.name} {period_label(month)} 报送情况（截止 {status.due.isoformat()}）：{status.summary}")
    for n, v in enumerate(status.villages, start=1):
        day = v.handed_in.isoformat() if v.handed_in else ""
        ranked = scores.ranked(v.village.code)
        score = f"得分 {ranked.total:.2f}，第 {ranked.rank} 名" if ranked else ""
        flags = f"　{ranked.flag_text}" if ranked and ranked.flags else ""
        print(f"{n:>3}　{v.village.code}　{v.village.name}　{v.label}　{day}　{score}{flags}")
    if table.problems:
        print("汇总校验发现问题：" + "；".join(table.problems))
    return 0


def run_report(args: argparse.Namespace) -> int:
    month = parse_period(args.month, field="month")
    conn = open_township_file(args.db)
    try:
        report = month_report(conn, month, today=_today(args))
    finally:
        conn.close()
    pdf, xlsx = write_report(report, Path(args.out))
    print(f"{report.title}：{report.status.summary}")
    print(f"已写出：{pdf}")
    print(f"已写出：{xlsx}")
    return 0
