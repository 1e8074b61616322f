"""The ``fpdesk`` command.

    fpdesk                       open the program on the clerk's village file (first run: create one or the demo)
    fpdesk --db FILE             open the program on FILE
    fpdesk --demo                open the demo village, creating it if absent
    fpdesk demo --db FILE ...    make a demo village
    fpdesk info --db FILE        the village and the number of records in each ledger
    fpdesk roster ...            the roster workbook (template / import / export)

Subcommands live in their own modules, each with ``register(subparsers)`` that adds its parser and sets
``func``; a subcommand's ``func(args)`` returns the exit status. A subcommand's module is imported only when that
subcommand is asked for. Only the desktop program imports Qt, and only when it is started.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Callable, Sequence

from fpdesk import __version__
from fpdesk.errors import FpdeskError

# Modules that add subcommands, in the order they appear in --help. A subcommand's module is named after it:
# ``fpdesk.commands.demo`` adds ``fpdesk demo``.
COMMAND_MODULES = ("fpdesk.commands.demo", "fpdesk.commands.info", "fpdesk.commands.roster", "fpdesk.commands.score",
                   "fpdesk.commands.check", "fpdesk.commands.export", "fpdesk.commands.township")
# What ``fpdesk --help`` says of each subcommand, so that listing them imports none of their modules: together
# they import openpyxl, the checks and the scoring, a third of a second that every start of the desktop program
# paid. Each line is the one its module's own parser has (tests/test_cli.py holds them together).
COMMAND_HELP = {
    "demo": "生成演示村（已有同名文件时替换）",
    "info": "显示村信息和各台账记录数",
    "roster": "村花名册（Excel）：模板、导入、导出",
    "score": "按考核方案计算本村自评得分，并说明每一处扣分",
    "check": "逻辑检查：列出台账中的错误和提醒，说明如何改正",
    "export": "导出月报：PDF 报表、公示牌和报送乡镇的 Excel 文件；--submit 报送并锁定该月",
    "township": "乡镇：导入各村月报、汇总、考核排名",
}


def command_name(module: str) -> str:
    """The subcommand a command module adds: ``fpdesk.commands.demo`` → ``demo``."""
    return module.rpartition(".")[2]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of ``fpdesk``. Only ``command``'s module is imported, to add its real parser; every other
    subcommand is listed by its name and help line alone, which is all ``fpdesk --help`` shows of it."""
    parser = argparse.ArgumentParser(
        prog="fpdesk", description="村级计划生育台账（一牌一单一卡两册）。不带子命令时打开桌面程序。",
    )
    parser.add_argument("--version", action="version", version=f"fpdesk {__version__}")
    parser.add_argument("--db", help="村数据文件（.sqlite）")
    parser.add_argument("--demo", action="store_true", help="打开演示村（不存在时自动生成）")
    sub = parser.add_subparsers(dest="command", metavar="子命令")
    for module in COMMAND_MODULES:
        name = command_name(module)
        if name == command:
            importlib.import_module(module).register(sub)
        else:  # a stand-in: it takes any arguments, so that ``main`` can tell which subcommand was asked for
            sub.add_parser(name, help=COMMAND_HELP.get(name), add_help=False)
    return parser


def main(argv: Sequence[str] | None = None, *, desktop: Callable[..., int] | None = None) -> int:
    """Entry point of the ``fpdesk`` console script."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    argv = sys.argv[1:] if argv is None else list(argv)
    # Which subcommand, if any (``--help`` and ``--version`` are answered here); then its real parser.
    asked, _ = build_parser().parse_known_args(argv)
    args = build_parser(asked.command).parse_args(argv)
    if args.command is None:
        if desktop is None:  # the core alone has no window: ``ui.cli`` passes the desktop program in
            print("错误：桌面程序未安装，只能使用子命令（fpdesk --help）。", file=sys.stderr)
            return 2
        return desktop(db=args.db, demo=args.demo)
    try:
        return int(args.func(args) or 0)
    except FpdeskError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `fpdesk check | head`: the reader stopped listening, that is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the interpreter's flush at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
