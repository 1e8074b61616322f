"""``fpdesk roster``: the village roster workbook (村花名册) from the command line.

    fpdesk roster template OUT.xlsx           the blank workbook to fill in Excel or WPS
    fpdesk roster import --db FILE IN.xlsx    bring a village in (FILE is created if absent); all or nothing
    fpdesk roster export --db FILE OUT.xlsx   the whole village back out in the same format
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fpdesk.db import open_village_file
from fpdesk.roster import ImportCancelled, RosterError, export_roster, import_roster, write_template

EXIT_PROBLEMS = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("roster", help="村花名册（Excel）：模板、导入、导出")
    actions = p.add_subparsers(dest="roster_action", metavar="操作", required=True)

    t = actions.add_parser("template", help="写出空白花名册模板")
    t.add_argument("out", metavar="OUT.xlsx", help="要写出的模板文件")
    t.set_defaults(func=run_template)

    i = actions.add_parser("import", help="从花名册导入整村数据（全部导入或不导入）")
    i.add_argument("--db", required=True, help="村数据文件（不存在时新建；须尚无人员）")
    i.add_argument("workbook", metavar="IN.xlsx", help="填好的花名册")
    i.set_defaults(func=run_import)

    e = actions.add_parser("export", help="把整村数据导出为花名册")
    e.add_argument("--db", required=True, help="村数据文件")
    e.add_argument("out", metavar="OUT.xlsx", help="要写出的花名册")
    e.set_defaults(func=run_export)


def _console_progress():
    """Progress on a terminal only: a line that rewrites itself. Nothing when output goes to a file."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, stage: str) -> None:
        end = "\n" if total and done >= total else ""
        print(f"\r{stage}：{done}/{total or '?'}", end=end, file=sys.stderr, flush=True)

    return show


def run_template(args: argparse.Namespace) -> int:
    path = write_template(args.out)
    print(f"已写出花名册模板：{path}")
    return 0


def _remove_new_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_import(args: argparse.Namespace) -> int:
    db = Path(args.db)
    created = not db.exists()
    conn = open_village_file(db, create=True)
    ok = False
    try:
        report = import_roster(conn, args.workbook, progress=_console_progress())
        ok = True
    except RosterError as err:
        print("工作表 / 行 / 列 / 值 / 原因")
        for problem in err.problems:
            print(problem.line())
        print(f"错误：{err}", file=sys.stderr)
        return EXIT_PROBLEMS
    except ImportCancelled as err:
        print(str(err), file=sys.stderr)
        return 130
    finally:
        conn.close()
        if created and not ok:
            _remove_new_file(db)  # a failed import leaves no village file behind that it made itself
    rows = "，".join(f"{sheet} {n} 行" for sheet, n in report.sheets.items())
    print(f"已读取：{rows}")
    print(report.summary())
    for note in report.notes:
        print(f"说明：{note}")
    print(f"用时 {report.seconds:.1f} 秒。村数据文件：{db}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    conn = open_village_file(args.db)
    try:
        path = export_roster(conn, args.out, progress=_console_progress())
        persons = conn.execute("SELECT count(*) FROM person").fetchone()[0]
    finally:
        conn.close()
    print(f"已导出花名册：{path}（{persons} 人）")
    return 0
