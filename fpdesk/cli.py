"""The ``fpdesk`` command.

    fpdesk                       open the program on the clerk's village file (first run: create one or the demo)
    fpdesk --db FILE             open the program on FILE
    fpdesk --demo                open the demo village, creating it if absent
    fpdesk demo --db FILE ...    make a demo village
    fpdesk info --db FILE        the village and the number of records in each ledger
    fpdesk roster ...            the roster workbook (template / import / export)

Subcommands live in their own modules, each with ``register(subparsers)`` that adds its parser and sets
``func``; a subcommand's ``func(args)`` returns the exit status. Only the desktop program imports Qt, and only
when it is started.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Callable, Sequence

from fpdesk import __version__
from fpdesk.errors import FpdeskError

# Modules that add subcommands, in the order they appear in --help.
COMMAND_MODULES = ("fpdesk.commands.demo", "fpdesk.commands.info", "fpdesk.commands.roster", "fpdesk.commands.score",
                   "fpdesk.commands.check", "fpdesk.commands.export", "fpdesk.commands.township")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fpdesk", description="村级计划生育台账（一牌一单一卡两册）。不带子命令时打开桌面程序。",
    )
    parser.add_argument("--version", action="version", version=f"fpdesk {__version__}")
    parser.add_argument("--db", help="村数据文件（.sqlite）")
    parser.add_argument("--demo", action="store_true", help="打开演示村（不存在时自动生成）")
    sub = parser.add_subparsers(dest="command", metavar="子命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, desktop: Callable[..., int] | None = None) -> int:
    """Entry point of the ``fpdesk`` console script."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
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
