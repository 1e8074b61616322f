"""Registering a household with its members (登记户 / 整户迁入): the household's fields and a small member grid.

Each member is one row of inputs (name, ID number, sex, birth date, relation, ethnicity, marital status, education,
hukou); Tab runs along a row and on to the next. An error the core names as "members[2].birth_date" outlines that
cell and is said on that row's message line. Empty rows are left out.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from fpdesk import services
from fpdesk.errors import InputError
from fpdesk.snapshot import Snapshot
from ui.forms.base import NOTE_STYLE, Field, ServiceDialog, column, make_input
from ui.forms.inputs import IdNumberInput, InputMixin
from ui.widgets import FieldError

# (column, width in pixels) of the member grid, in Tab order
MEMBER_COLUMNS = (
    ("name", 92), ("id_number", 190), ("sex", 84), ("birth_date", 116), ("relation", 100), ("ethnicity", 96),
    ("marital_status", 90), ("education", 120), ("hukou", 90),
)
MEMBER_ERROR = re.compile(r"^members\[(\d+)\](?:\.(\w+))?$")


class MemberRow(QWidget):
    """One member of the household being registered."""

    def __init__(self, snap: Snapshot, on_remove: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs: dict[str, InputMixin] = {}
        self.error = FieldError()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        line = QHBoxLayout()
        line.setSpacing(6)
        for col, width in MEMBER_COLUMNS:
            widget = make_input(column("person", col), snap, self)
            widget.setFixedWidth(width)
            widget.field_error = self.error
            self.inputs[col] = widget
            line.addWidget(widget)
        remove = QPushButton("删除")
        remove.setFixedWidth(remove.sizeHint().width())
        remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        remove.setToolTip("删除这一行（Ctrl+Del）")
        remove.clicked.connect(lambda: on_remove(self))
        line.addWidget(remove)
        line.addStretch()
        outer.addLayout(line)
        outer.addWidget(self.error)
        id_input = self.inputs["id_number"]
        assert isinstance(id_input, IdNumberInput)
        id_input.fills = {"birth_date": self.inputs["birth_date"], "sex": self.inputs["sex"]}
        id_input.setPlaceholderText("填后自动带出生日期、性别")

    def values(self) -> dict[str, Any]:
        return {col: w.value() for col, w in self.inputs.items() if not w.is_blank()}

    def is_empty(self) -> bool:
        """No one in it: name, ID number and birth date blank (codes copied from the row above don't count)."""
        return all(self.inputs[col].is_blank() for col in ("name", "id_number", "birth_date"))

    def clear_messages(self) -> None:
        for widget in self.inputs.values():
            widget.clear_message()


def next_household_number(snap: Snapshot) -> str:
    """One more than the highest all-digit household number, as wide as the others (001, 002 …)."""
    numbers = [h.number for h in snap.households if h.number.isdigit()]
    if not numbers:
        return "001"
    width = max(len(n) for n in numbers)
    return str(max(int(n) for n in numbers) + 1).zfill(width)


class HouseholdDialog(ServiceDialog):
    """登记户: a household and its members. Prefill: number=, group=, address=, moved_in=;
    ``members=[{name, sex, birth_date, id_number, relation, …}, …]`` fills the grid."""

    title = "登记户"
    service = services.register_household
    intro = "建档时登记本村已有的户（不算变动）。从外地整户迁入的，填写迁入日期，每人记一条迁入。"
    fields = (
        Field("number", "户编号", required=True),
        Field("group", "村民小组", "group"),
        Field("address", "住址"),
        Field("moved_in", "迁入日期", "date", note="整户从外地迁入时填写；建档登记不填"),
    )
    defaults = {"number": lambda d: next_household_number(d.snapshot)}
    aliases = {"date": "moved_in"}
    move_in_required = False

    def __init__(self, *args: Any, members: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        self.member_rows: list[MemberRow] = []
        self._sent_rows: list[MemberRow] = []
        self._initial_members = members
        super().__init__(*args, **kwargs)

    def build_body(self) -> None:
        super().build_body()
        for _form, holder in self.rows.values():     # the household's own fields need no full width
            holder.setMaximumWidth(460)
        box = QGroupBox("家庭成员（每行一人；填身份证号自动带出出生日期和性别）")
        inner = QVBoxLayout(box)
        header = QHBoxLayout()
        header.setSpacing(6)
        for col, width in MEMBER_COLUMNS:
            spec = column("person", col)
            label = QLabel(spec.label + (" *" if spec.required else ""))
            label.setFixedWidth(width)
            header.addWidget(label)
        header.addStretch()
        inner.addLayout(header)
        self.rows_widget = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_widget)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(4)
        self.rows_layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rows_widget)
        scroll.setMinimumHeight(200)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        probe = MemberRow(self.snapshot, lambda _row: None)     # as wide as a row, plus a vertical scroll bar
        scroll.setMinimumWidth(probe.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)
        probe.deleteLater()
        inner.addWidget(scroll)
        self.members_error = FieldError()
        inner.addWidget(self.members_error)
        tools = QHBoxLayout()
        self.add_button = QPushButton("添加成员（Ctrl+N）")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_member_at_focus)
        tools.addWidget(self.add_button)
        hint = QLabel("Ctrl+Del 删除光标所在的行")
        hint.setStyleSheet(NOTE_STYLE)
        tools.addWidget(hint)
        tools.addStretch()
        inner.addLayout(tools)
        self.layout_.addWidget(box, 1)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.add_member_at_focus)
        QShortcut(QKeySequence("Ctrl+Del"), self, activated=self.remove_focused_member)

    def wire(self) -> None:
        super().wire()
        for member in self._initial_members or [{"relation": "01"}]:
            row = self.add_member()
            for col, value in member.items():
                row.inputs[col].set_value(value)

    # ---- rows -------------------------------------------------------------------------------------------------

    def add_member(self, *, focus: bool = False) -> MemberRow:
        row = MemberRow(self.snapshot, self.remove_member)
        if self.member_rows:        # a family mostly shares ethnicity and hukou: start from the row above
            above = self.member_rows[-1]
            for col in ("ethnicity", "hukou"):
                row.inputs[col].set_value(above.inputs[col].value())
        self.member_rows.append(row)
        self.rows_layout.insertWidget(self.rows_layout.count() - 1, row)
        row.show()                  # a layout shows a new child only on the next event-loop turn
        if hasattr(self, "save_button"):
            self.refresh_tab_order()
        if focus:
            row.inputs["name"].setFocus()
        return row

    def add_member_at_focus(self) -> None:
        self.add_member(focus=True)

    def remove_member(self, row: MemberRow) -> None:
        if len(self.member_rows) == 1:
            for widget in row.inputs.values():
                widget.set_value(None)
            row.clear_messages()
            return
        index = self.member_rows.index(row)
        self.member_rows.remove(row)
        self.rows_layout.removeWidget(row)
        row.deleteLater()
        self.refresh_tab_order()
        self.member_rows[min(index, len(self.member_rows) - 1)].inputs["name"].setFocus()

    def remove_focused_member(self) -> None:
        focus = self.focusWidget()
        for row in self.member_rows:
            if focus is not None and row.isAncestorOf(focus):
                self.remove_member(row)
                return

    def focusable(self) -> list[QWidget]:
        cells = [w for row in self.member_rows for w in row.inputs.values()]
        return super().focusable() + cells  # type: ignore[operator]

    # ---- saving -----------------------------------------------------------------------------------------------

    def collect(self) -> dict[str, Any]:
        kwargs = super().collect()
        if self.move_in_required and not kwargs.get("moved_in"):
            raise InputError("迁入日期不能为空。", field="moved_in")
        self._sent_rows = [row for row in self.member_rows if not row.is_empty()]
        kwargs["members"] = [row.values() for row in self._sent_rows]
        return kwargs

    def save(self) -> None:
        for row in self.member_rows:
            for widget in row.inputs.values():
                widget.commit()
        super().save()

    def clear_messages(self) -> None:
        super().clear_messages()
        self.members_error.clear_error()
        for row in self.member_rows:
            row.clear_messages()

    def check_locally(self) -> bool:
        if not super().check_locally():
            return False
        for n, row in enumerate(self.member_rows, start=1):
            for widget in row.inputs.values():
                problem = widget.local_problem()
                if problem:
                    widget.show_error(f"第 {n} 行：{problem}")
                    widget.setFocus()
                    return False
        return True

    def show_input_error(self, err: InputError) -> None:
        match = MEMBER_ERROR.match(err.field)
        if err.field == "members":
            self.members_error.show_error(err.message)
            self.member_rows[0].inputs["name"].setFocus()
            return
        if match is None or int(match[1]) >= len(self._sent_rows):
            super().show_input_error(err)
            return
        row = self._sent_rows[int(match[1])]
        n = self.member_rows.index(row) + 1
        widget = row.inputs.get(match[2] or "") or row.inputs["name"]
        widget.show_error(f"第 {n} 行：{err.message}")
        widget.setFocus()


class HouseholdMoveInDialog(HouseholdDialog):
    """整户迁入: a whole household moves into the village; every member gets a 迁入 on the date."""

    title = "整户迁入"
    intro = "从外地整户迁入本村（新立户），每人记一条迁入变动。一人迁入已有的户请用“迁入”。"
    fields = (
        Field("number", "户编号", required=True),
        Field("group", "村民小组", "group"),
        Field("address", "住址"),
        Field("moved_in", "迁入日期", "date", required=True),
    )
    move_in_required = True
