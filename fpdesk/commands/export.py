"""``fpdesk export --db FILE --month YYYY-MM --out DIR [--submit]``: the month's report forms.

Writes ``{村代码}_{YYYY-MM}.xlsx`` (for the township), ``.pdf`` (the forms to print) and ``_公示牌A3.pdf`` (the
board as a poster) into DIR; once a month has been submitted, later exports are numbered corrections
(``..._更正1``). ``--submit`` (报送) records the submission and locks the month in the village file.
The workbook's format: docs/export-format.md.
"""

from __future__ import annotations

import argparse

from fpdesk.dates import parse_date, parse_period, period_label


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="导出月报：PDF 报表、公示牌和报送乡镇的 Excel 文件；--submit 报送并锁定该月")
    p.add_argument("--db", required=True, help="村数据文件")
    p.add_argument("--month", "--period", dest="month", required=True, help="报告期，如 2026-10")
    p.add_argument("--out", required=True, help="保存到哪个文件夹（如U盘）")
    p.add_argument("--submit", action="store_true", help="报送：记录报送并锁定该月（之后修改该月数据需先解锁）")
    p.add_argument("--as-of", dest="as_of", help="数据截至日期（默认今天）")
    p.add_argument("--user", default="", help="操作人（记入修改记录）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from fpdesk.db import open_village_file
    from fpdesk.export import export_month   # reportlab and openpyxl load only for this command

    month = parse_period(args.month, field="month")
    today = parse_date(args.as_of, field="as_of", label="数据截至日期") if args.as_of else None
    conn = open_village_file(args.db)
    try:
        result = export_month(conn, period=month, out_dir=args.out, submit=args.submit, user=args.user, today=today)
    finally:
        conn.close()
    kind = "首次报送" if result.correction_no == 0 else f"更正报（第{result.correction_no}次）"
    state = "已报送，该月已锁定" if result.submitted else "草稿，未报送（报送请加 --submit）"
    print(f"{period_label(month)}月报：{kind}，{state}。")
    for path in (result.xlsx, result.pdf, result.poster):
        print(f"  {path}")
    counts = "，".join(f"{sheet} {n} 行" for sheet, n in result.rows.items())
    print(f"内容：{counts}。")
    print(f"逻辑检查：错误 {result.errors} 处，提醒 {result.warnings} 处，已确认例外 {result.confirmed} 处。"
          f"用时 {result.seconds:.1f} 秒。")
    return 0
