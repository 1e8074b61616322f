"""自评: the clerk's own assessment of a qualitative item (or an entered figure, or a veto event), with a note."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
    QWidget,
)

from fpdesk.errors import FpdeskError
from fpdesk.score import assessments, builtin_schemes, record_assessment, scheme_by_name
from fpdesk.score.scheme import ASSESSED, ENTERED, Item, Scheme
from fpdesk.services import set_setting
from ui.session import VillageSession


class AssessmentDialog(QDialog):
    """One item of the scheme: its text and guide, a field per clerk-assessed rule, and the note."""

    def __init__(self, session: VillageSession, scheme: Scheme, period: str, item: Item,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.scheme, self.period, self.item = session, scheme, period, item
        self.setWindowTitle(f"自评：{item.key} {item.text[:20]}")
        saved = assessments(session.snapshot.settings, scheme.key, period).get(item.key)
        form = QFormLayout()
        self.points: dict[str, QDoubleSpinBox] = {}
        self.options: dict[str, QSpinBox] = {}
        self.values: dict[str, QDoubleSpinBox] = {}
        for rule in item.rules:
            if rule.kind == ASSESSED and rule.options:
                for option in rule.options:
                    box = QSpinBox()
                    box.setRange(0, 20 if option.repeat else 1)
                    box.setSuffix(" 次")
                    box.setValue(saved.options.get(option.key, 0) if saved else 0)
                    form.addRow(f"{option.text}（扣 {float(option.points):g} 分{'/次' if option.repeat else ''}）",
                                box)
                    self.options[option.key] = box
            elif rule.kind == ASSESSED:
                box = QDoubleSpinBox()
                box.setRange(0, float(item.points))
                box.setSingleStep(0.5)
                box.setDecimals(1)
                box.setValue(float(saved.points.get(rule.key, 0)) if saved else 0)
                form.addRow(f"{rule.label or '扣分'}（最多 {float(item.points):g} 分）", box)
                self.points[rule.key] = box
            elif rule.kind == ENTERED:
                box = QDoubleSpinBox()
                box.setRange(0, 100)
                box.setDecimals(1)
                box.setSuffix(" %")
                box.setValue(float(saved.values.get(rule.key, 0)) if saved and rule.key in saved.values else 0)
                target = f"，目标 {float(rule.target):g}%" if rule.target is not None else ""
                form.addRow(f"{rule.label or '数值'}{target}", box)
                self.values[rule.key] = box
        self.note = QLineEdit(saved.note if saved else "")
        self.note.setPlaceholderText("依据：检查了什么、数据从哪来（扣分时必填）")
        form.addRow("说明", self.note)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        text = QLabel(f"<b>{item.key}　{item.text}</b>（{float(item.points):g} 分）"
                      + (f"<br><span style='color:#555'>{item.guide}</span>" if item.guide else ""))
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def save(self) -> None:
        try:
            self.session.apply(
                record_assessment, scheme=self.scheme, period=self.period, item=self.item.key,
                points={k: b.value() for k, b in self.points.items()},
                options={k: b.value() for k, b in self.options.items() if b.value()},
                values={k: b.value() for k, b in self.values.items()}, note=self.note.text())
        except FpdeskError as exc:
            self.message.setText("✖ " + str(exc))
            return
        self.accept()


def scheme_picker(session: VillageSession, parent: QWidget | None = None) -> QComboBox:
    """The village's scoring scheme (a village setting), picked by name."""
    combo = QComboBox(parent)
    current = session.snapshot.settings.get("score_scheme", "")
    for scheme in builtin_schemes():
        combo.addItem(scheme.short_name + ("（示例）" if scheme.example else ""), scheme.key)
    index = combo.findData(current) if current else -1
    if index < 0:
        from fpdesk.score import village_scheme

        index = combo.findData(village_scheme(session.snapshot).key)
    combo.setCurrentIndex(max(index, 0))

    def chosen(_index: int) -> None:
        key = combo.currentData()
        if key and key != session.snapshot.settings.get("score_scheme"):
            scheme_by_name(key)
            session.apply(set_setting, key="score_scheme", value=key)

    combo.currentIndexChanged.connect(chosen)
    return combo
