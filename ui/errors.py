"""The last line of defence: an unexpected error shows a Chinese message, is logged, and loses nothing.

Every write is one transaction in the core, so an exception in the UI can never leave half a change in the file;
the hook only has to tell the clerk and keep a log for the developers (no personal data: the log has the
exception type and traceback lines, not the values of records).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from fpdesk.errors import FpdeskError
from fpdesk.paths import user_data_dir
from fpdesk.privacy import redact

log = logging.getLogger("fpdesk")


def log_path():
    return user_data_dir() / "logs" / "fpdesk.log"


def setup_logging() -> None:
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if isinstance(exc, FpdeskError):
        message = str(exc)
    else:
        # Only the code locations go to the log: exception messages can carry names or ID numbers.
        frames = redact("".join(traceback.format_tb(tb)))
        log.error("未处理的异常 %s\n%s", kind.__name__, frames)
        message = (
            "程序遇到了一个意外问题，刚才的操作没有完成。\n"
            "已保存的数据不受影响（每次修改都是完整保存或完全不保存）。\n\n"
            f"如问题反复出现，请把日志文件交给技术人员：\n{log_path()}\n\n"
            f"（{dt.datetime.now():%Y-%m-%d %H:%M}，{kind.__name__}）"
        )
    app = QApplication.instance()
    if app is not None:
        QMessageBox.critical(app.activeWindow(), "出错了", message)
    else:
        print(message, file=sys.stderr)


def install_excepthook() -> None:
    sys.excepthook = _excepthook
