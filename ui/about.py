"""关于: the program's name, version and purpose, and the licences of the font and libraries it carries.

The versions are read at run time (``importlib.metadata``), so the box always tells the truth about the build the
clerk has; in the installed program the libraries' metadata is bundled for this (see ``installer/fpdesk.spec``).
"""

from __future__ import annotations

import importlib
import platform
import re
import sqlite3
from dataclasses import dataclass
from html import escape
from importlib import metadata

from PySide6 import QtCore
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPlainTextEdit, QTextBrowser, QVBoxLayout, QWidget,
)

from fpdesk import APP_NAME, APP_TITLE, __version__
from fpdesk.paths import resources_dir, user_data_dir

PROGRAM_LICENCE = "GPL-3.0-or-later"
FONT_NAME = "文泉驿微米黑（WenQuanYi Micro Hei）"
FONT_LICENCE = "Apache-2.0 或 GPL-3.0-or-later（附字体例外条款），二者任选"
FONT_COPYRIGHT_FILE = "fonts/wqy-microhei.COPYRIGHT.txt"


@dataclass(frozen=True, slots=True)
class Library:
    """A library the program is built on.

    name: as the About box shows it.
    distribution: its package name, for ``importlib.metadata``.
    module: the module to ask for ``__version__`` when the package metadata is missing.
    licence: its licence, in SPDX words.
    """

    name: str
    distribution: str
    module: str
    licence: str


LIBRARIES: tuple[Library, ...] = (
    Library("PySide6（Qt for Python）", "PySide6-Essentials", "PySide6", "LGPL-3.0"),
    Library("sqlite-utils", "sqlite-utils", "sqlite_utils", "Apache-2.0"),
    Library("ReportLab", "reportlab", "reportlab", "BSD"),
    Library("openpyxl", "openpyxl", "openpyxl", "MIT"),
    Library("python-stdnum", "python-stdnum", "stdnum", "LGPL-2.1-or-later"),
    Library("pypinyin", "pypinyin", "pypinyin", "MIT"),
)


def library_version(lib: Library) -> str:
    """The installed version of ``lib``, or 未知 when neither its metadata nor its module says."""
    try:
        return metadata.version(lib.distribution)
    except metadata.PackageNotFoundError:
        pass
    try:
        return str(getattr(importlib.import_module(lib.module), "__version__"))
    except (ImportError, AttributeError):
        return "未知"


def runtime_rows() -> list[tuple[str, str, str]]:
    """(component, version, licence) for everything the About box lists, libraries first."""
    rows = [(lib.name, library_version(lib), lib.licence) for lib in LIBRARIES]
    rows += [
        ("Qt", QtCore.qVersion(), "LGPL-3.0"),
        ("Python", platform.python_version(), "PSF-2.0"),
        ("SQLite", sqlite3.sqlite_version, "公有领域（public domain）"),
    ]
    return rows


def one_line(html: str) -> str:
    """Join the source lines of an HTML text: a line break in Chinese prose would show as a stray space."""
    return re.sub(r"\s*\n\s*", "", html)


def breakable_path(path: object) -> str:
    """A path as HTML that may wrap after each folder: Qt does not break lines at a backslash on its own."""
    return escape(str(path)).replace("\\", "\\\u200b").replace("/", "/\u200b")


def about_html() -> str:
    """The About box's text."""
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td align='right'>{escape(version)}</td><td>&nbsp;&nbsp;{escape(lic)}</td></tr>"
        for name, version, lic in runtime_rows()
    )
    return one_line(f"""
<p>村计生专干在自己电脑上离线记“一牌一单一卡两册”台账的程序：录入一次，公示牌、报告单、档案卡、管理册和服务册同时更新；
自动检查台账中的逻辑错误，计算自评得分，打印月报表，导出报送乡镇的文件。</p>
<p>本村数据只保存在这台电脑上：<code>{breakable_path(user_data_dir())}</code></p>
<p>本程序按 {PROGRAM_LICENCE} 许可证发布。</p>
<h4>内置字体</h4>
<p>{FONT_NAME}，许可证：{FONT_LICENCE}。
版权 © 2008–2009 文泉驿项目，基于 Google Droid 字体（© 2006–2008 Google）。全文见“字体版权说明”。</p>
<h4>使用的开源软件</h4>
<table cellspacing='0' cellpadding='1' width='100%'>
<tr><th align='left'>名称</th><th align='right'>版本</th><th align='left'>&nbsp;&nbsp;许可证</th></tr>
{rows}
</table>
<p>Qt 和 PySide6 以独立的动态库随程序提供，可按 LGPL-3.0 自行替换。</p>
""")


class AboutDialog(QDialog):
    """关于: name, version, what the program is, and the licences."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"关于{APP_TITLE}")
        icon = QLabel()
        icon.setPixmap(QIcon(str(resources_dir() / "icons" / "fpdesk.png")).pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        heading = QLabel(f"<h2 style='margin:0'>{APP_TITLE}</h2><p style='margin:0'>版本 {__version__}（{APP_NAME}）</p>")
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(8)
        top.addWidget(heading, 1)

        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setHtml(about_html())

        buttons = QDialogButtonBox()
        self.font_button = buttons.addButton("字体版权说明…", QDialogButtonBox.ButtonRole.ActionRole)
        self.font_button.clicked.connect(self.show_font_copyright)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(660, 640)

    def show_font_copyright(self) -> None:
        """The font's copyright file, as shipped."""
        path = resources_dir() / FONT_COPYRIGHT_FILE
        try:
            body = path.read_text(encoding="utf-8")
        except OSError:
            body = f"找不到文件：{path}"
        dialog = QDialog(self)
        dialog.setWindowTitle("文泉驿微米黑 版权说明")
        view = QPlainTextEdit(body)
        view.setReadOnly(True)
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(view)
        layout.addWidget(buttons)
        dialog.resize(640, 560)
        dialog.exec()
