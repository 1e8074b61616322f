"""First run without a village file: create the village, open the demo, or open an existing file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from fpdesk import APP_TITLE, services
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
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"数据文件将保存在：{path}"))
        layout.addLayout(form)
        layout.addWidget(buttons)

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


class WelcomeDialog(QDialog):
    """The first screen when there is no village file yet. ``choice`` and ``path`` say what the clerk picked."""

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default_path = default_path
        self.choice: str | None = None
        self.path: Path | None = None
        self.setWindowTitle(f"欢迎使用{APP_TITLE}")
        title = QLabel(f"<h2>欢迎使用{APP_TITLE}</h2>"
                       "<p>“一牌一单一卡两册”一次录入，台账、逻辑校验、自评得分和月报表自动生成。</p>"
                       "<p>这台电脑上还没有本村的数据。请选择：</p>")
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        for key, text in (
            ("new", "新建本村档案（填写村代码、村名称、专干）"),
            ("roster", "从村花名册（Excel）导入…"),
            ("demo", "打开演示村（先看看程序怎么用）"),
            ("open", "打开已有的村数据文件…"),
        ):
            button = QPushButton(text)
            button.setMinimumHeight(40)
            button.clicked.connect(lambda _=False, k=key: self._pick(k))
            layout.addWidget(button)
        layout.addStretch()
        self.setMinimumWidth(460)

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
