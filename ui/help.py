"""使用帮助 (F1): one page that walks the clerk through the month, the keys, and where her data lives.

``install_help_and_about(window)`` puts 使用帮助 (F1) and 关于 into a main window's 帮助 menu.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QMainWindow, QMenu, QTextBrowser, QVBoxLayout, QWidget,
)

from fpdesk import APP_TITLE
from fpdesk.backup import backup_dir
from fpdesk.paths import default_village_path
from ui.about import breakable_path, one_line

HELP_MENU_TITLE = "帮助(&H)"

# Keys that hold everywhere, in the words of the help page. The entry dialogs' own keys are read from their
# registry, so the page never promises a key that does not exist.
GENERAL_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "到下一个 / 上一个填写框"),
    ("Enter", "保存当前对话框"),
    ("Esc", "不保存，关闭对话框"),
    ("Ctrl+F", "搜索：姓名、拼音首字母、身份证号或户号"),
    ("F1", "打开本帮助"),
    ("Ctrl+O", "打开另一个村数据文件"),
    ("Ctrl+Q", "退出程序（数据已随时保存）"),
)


def entry_keys() -> list[tuple[str, str]]:
    """(key, what it opens) for the entry dialogs that have a key, in menu order."""
    from ui.forms.registry import CHANGE_DIALOGS

    return [(key, text) for text, key, _ in CHANGE_DIALOGS if key]


def _key_rows(keys: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in keys)


def help_html() -> str:
    """The help page: the month's five steps on the left, the keys and the data on the right."""
    village_file = default_village_path()
    backups = backup_dir(village_file).parent
    entry = "、".join(f"{key} {text}" for key, text in entry_keys())
    return one_line(f"""
<table width="100%" cellspacing="0" cellpadding="0"><tr>
<td width="54%" valign="top" style="padding-right: 18px;">
<h3>每月的工作，五步</h3>
<p>本村的人和事只录入一次：公示牌、报告单、档案卡、管理册和服务册都从同一份记录生成，不用重复抄写。</p>
<ol style="margin-left: 0; -qt-list-indent: 1;">
<li><p><b>变动发生就登记。</b>出生、死亡、结婚、离婚、迁入迁出、流动、孕情、节育措施、服务和奖扶，
都从<b>“登记”</b>菜单或工具栏打开。在档案卡上点按钮登记，登记的就是卡上这位妇女。
登记得晚了，考核算“变动不及时”，所以请当天或当周登记。</p></li>
<li><p><b>检查台账。</b>月底前打开左侧的<b>“问题清单”</b>，括号里是问题条数。
清单列出漏填的项目、互相矛盾的记录和不规范的代码，每条都写明哪里不对。逐条改正，直到清单为空。</p></li>
<li><p><b>看自评得分。</b>窗口右侧是按乡镇考核办法算出的<b>自评得分</b>，每次修改后马上更新。
点开扣了分的条目，可以看到扣分原因和相关记录。</p></li>
<li><p><b>打印月报表，导出报送文件。</b>留意窗口右上角的<b>“距报送截止还有&nbsp;N&nbsp;天”</b>（最后一天显示为红色）。
截止前打印本月的报告单和月报表存档、带去乡镇开会，并导出报送文件，用U盘或电子邮件交给乡镇计生办。</p></li>
<li><p><b>报送并锁定本月。</b>报送后本月数据锁定（显示为灰色），不会被误改。以后发现本月有错，用<b>“更正”</b>登记，
程序会留下修改记录。</p></li>
</ol>
</td>
<td width="46%" valign="top">
<h3>键盘</h3>
<p>不用鼠标也能登记：按键打开对话框，Tab 逐项填写，Enter 保存。</p>
<table cellspacing="0" cellpadding="2">
{_key_rows(list(GENERAL_KEYS))}
</table>
<p>登记：{escape(entry)}。</p>
<h3>数据在哪里，怎么备份</h3>
<p>全村的台账是一个文件：<br><code>{breakable_path(village_file)}</code><br>
每次修改都立即保存（窗口底部显示“已保存”），不用点“保存”。</p>
<p>程序在打开、关闭时和每天自动备份到：<br><code>{breakable_path(backups)}</code></p>
<p><b>每月报送后，再把村数据文件复制一份到U盘</b>另外存放。电脑坏了，有这份文件就能在新电脑上接着用。</p>
<p>文件里有全村人的身份证号、孕情和手术等个人信息：只交给乡镇计生办，不给无关的人。
卸载程序不会删除数据文件夹。</p>
</td>
</tr></table>
""")


class HelpDialog(QDialog):
    """使用帮助: not modal, so it can stay open beside the ledgers while the clerk works."""

    # Everything on one screen of a 1366×768 laptop, without scrolling; smaller screens get a scroll bar.
    PREFERRED_SIZE = (1060, 680)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"使用帮助 - {APP_TITLE}")
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setHtml(help_html())
        buttons = QDialogButtonBox()
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(*_fitting_size(*self.PREFERRED_SIZE))


def _fitting_size(width: int, height: int) -> tuple[int, int]:
    """``width`` × ``height``, shrunk to fit the screen (a 1366×768 laptop leaves about 1366×728 to windows)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return width, height
    available = screen.availableGeometry()
    return min(width, available.width() - 40), min(height, available.height() - 60)


def show_help(window: QWidget) -> HelpDialog:
    """Open the help beside ``window``, or bring it to the front if it is already open."""
    dialog = getattr(window, "_help_dialog", None)
    if dialog is None:
        dialog = HelpDialog(window)
        window._help_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def show_about(window: QWidget) -> None:
    from ui.about import AboutDialog

    AboutDialog(window).exec()


def _help_menu(window: QMainWindow) -> QMenu:
    """The window's 帮助 menu, added at the end of the menu bar if it has none."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and action.text().replace("&", "").startswith("帮助"):
            return menu
    return window.menuBar().addMenu(HELP_MENU_TITLE)


def install_help_and_about(window: QMainWindow) -> tuple[QAction, QAction]:
    """Add 使用帮助 (F1) and 关于 to ``window``'s 帮助 menu; returns the two actions."""
    menu = _help_menu(window)
    help_action = QAction("使用帮助", window)
    help_action.setShortcut(QKeySequence("F1"))
    help_action.triggered.connect(lambda: show_help(window))
    about_action = QAction(f"关于{APP_TITLE}", window)
    about_action.setMenuRole(QAction.MenuRole.AboutRole)
    about_action.triggered.connect(lambda: show_about(window))
    menu.addAction(help_action)
    menu.addSeparator()
    menu.addAction(about_action)
    return help_action, about_action
