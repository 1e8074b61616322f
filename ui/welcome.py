"""First run without a village file: create the village, open the demo, or open an existing file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCommandLinkButton, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QVBoxLayout, QWidget,
)

from fpdesk import APP_TITLE, __version__, services
from fpdesk.paths import resources_dir
from fpdesk.db import open_village_file
from fpdesk.errors import InputError
from ui.widgets import FieldError


class NewVillageDialog(QDialog):
    """建立本村档案: the village's code, name, township, county and clerk."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle("新建本村档案")
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        form = QFormLayout()
        for key, label, hint in (
            ("code", "村代码", "12位统计用区划代码，如 420102001001"),
            ("name", "村名称", "如 双河村"),
            ("township", "乡镇", ""),
            ("county", "县区", ""),
            ("clerk", "专干姓名", ""),
            ("phone", "联系电话", ""),
        ):
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            self.fields[key] = edit
            self.errors[key] = FieldError()
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(edit)
            box.addWidget(self.errors[key])
            holder = QWidget()
            holder.setLayout(box)
            box.setContentsMargins(0, 0, 0, 0)
            form.addRow(label + ("*" if key in ("code", "name") else ""), holder)
        self.fields["code"].setMaxLength(12)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("建立")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        where = QLabel(f"数据文件将保存在：{path}")
        where.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(540)  # the code's placeholder must show whole

    def accept(self) -> None:
        for err in self.errors.values():
            err.clear_error()
        values = {k: e.text().strip() for k, e in self.fields.items()}
        existed = self.path.exists()
        conn = open_village_file(self.path, create=True)
        try:
            services.setup_village(conn, **values)
        except InputError as exc:
            conn.close()
            if not existed:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(self.path) + suffix).unlink(missing_ok=True)
            self.errors.get(exc.field, self.errors["name"]).show_error(exc.message)
            self.fields.get(exc.field, self.fields["name"]).setFocus()
            return
        conn.close()
        super().accept()


# The four ways to start, as (choice, title, what it means for the clerk).
CHOICES: tuple[tuple[str, str, str], ...] = (
    ("new", "新建本村档案", "填写村代码、村名称、乡镇和专干姓名，从头开始录入。"),
    ("roster", "从村花名册（Excel）导入…", "已经有按村花名册格式整理的 Excel 表，一次导入全村。"),
    ("demo", "打开演示村", "一个虚构的村子，先练习怎么用，不影响本村的数据。"),
    ("open", "打开已有的村数据文件…", "从U盘或旧电脑拷来的村数据文件（.sqlite）。"),
)


class WelcomeDialog(QDialog):
    """The first screen when there is no village file yet. ``choice`` and ``path`` say what the clerk picked."""

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default_path = default_path
        self.choice: str | None = None
        self.path: Path | None = None
        self.setWindowTitle(f"欢迎使用{APP_TITLE}")

        icon = QLabel()
        icon.setPixmap(QIcon(str(resources_dir() / "icons" / "fpdesk.png")).pixmap(56, 56))
        title = QLabel(f"<h2 style='margin:0'>欢迎使用{APP_TITLE}</h2><p style='margin:0'>版本 {__version__}</p>")
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(8)
        top.addWidget(title, 1)
        intro = QLabel("“一牌一单一卡两册”录入一次，台账、逻辑检查、自评得分和月报表都由程序生成。"
                       "这台电脑上还没有本村的数据，请选择怎么开始：")
        intro.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        self.buttons: dict[str, QCommandLinkButton] = {}
        for key, text, description in CHOICES:
            button = QCommandLinkButton(text, description)
            font = button.font()
            font.setPointSizeF(font.pointSizeF())  # set, not inherited: Qt would draw both lines at 9 pt otherwise
            button.setFont(font)
            button.clicked.connect(lambda _=False, k=key: self._pick(k))
            self.buttons[key] = button
            layout.addWidget(button)

        where = QLabel(f"本村数据将保存在：{default_path}")
        where.setWordWrap(True)
        where.setStyleSheet("color: #555;")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        footer = QDialogButtonBox()
        help_button = footer.addButton("使用帮助（F1）", QDialogButtonBox.ButtonRole.HelpRole)
        help_button.clicked.connect(self.show_help)
        footer.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        footer.rejected.connect(self.reject)
        layout.addWidget(footer)
        QShortcut(QKeySequence("F1"), self, self.show_help)
        self.buttons["new"].setFocus()
        self.setMinimumWidth(560)

    def show_help(self) -> None:
        from ui.help import show_help

        show_help(self)

    def _pick(self, key: str) -> None:
        if key == "new":
            dialog = NewVillageDialog(self.default_path, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            self.path = self.default_path
        elif key == "roster":
            from ui import roster_ui

            path = roster_ui.choose_and_import(self)
            if path is None:
                return
            self.path = path
        elif key == "open":
            name, _ = QFileDialog.getOpenFileName(self, "打开村数据文件", str(Path.home()), "村数据文件 (*.sqlite *.db)")
            if not name:
                return
            self.path = Path(name)
        self.choice = key
        self.accept()
