"""更正: correct one field of one record — the record was wrong, nothing happened in the village.

The clerk picks the ledger (table), whose record it is (a person, a household), the record, and the field; the new
value is typed in a widget of the field's kind (a date field gets a date input, a code a drop-down of labels) that
starts with the current value. The core validates it like any entry and audits old → new with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from fpdesk import codes, services
from fpdesk.fields import FIELDS, TABLE_LABELS, FieldSpec
from fpdesk.snapshot import Snapshot
from ui.forms.base import Field, ServiceDialog, make_input
from ui.forms.inputs import InputMixin, set_status
from ui.forms.pickers import household_line, person_line

# table → the snapshot's tuple of its records
RECORDS = {
    "person": "persons", "household": "households", "village_group": "groups", "marriage": "marriages",
    "birth": "births", "measure": "measures", "pregnancy": "pregnancies", "service": "services",
    "benefit": "benefits", "migration": "migrations", "certificate": "certificates",
}
BY_HOUSEHOLD, NO_OWNER = "household", "village_group"


def owner_of(table: str, record: Any) -> int | None:
    """The person a record is filed under (a birth under its mother), or the household / person itself."""
    if table in ("person", BY_HOUSEHOLD):
        return record.id
    return getattr(record, "person_id", None) or getattr(record, "mother_id", None)


def record_line(snap: Snapshot, table: str, r: Any) -> str:
    """How the clerk tells one record of a person from another."""
    d = lambda day: day.isoformat() if day else "—"  # noqa: E731
    if table == "person":
        return person_line(snap, r)
    if table == BY_HOUSEHOLD:
        return household_line(snap, r)
    if table == NO_OWNER:
        return r.name
    if table == "marriage":
        partner = snap.person_by_id.get(r.spouse_id) if r.spouse_id else None
        end = f"，{d(r.end_date)} {codes.label('marital_status', r.end_reason)}" if r.end_date else ""
        spouse = partner.name if partner else r.spouse_name
        return f"{codes.label('marital_status', r.kind)} {d(r.start_date)} 配偶 {spouse}{end}"
    if table == "birth":
        return f"第{r.birth_order}孩 {r.child_name} {d(r.birth_date)}"
    if table == "measure":
        return f"{codes.label('method', r.method)} {d(r.start_date)} 起" + (f" 至 {d(r.end_date)}" if r.end_date else "")
    if table == "pregnancy":
        return f"末次月经 {d(r.lmp_date)}" + (f" {codes.label('pregnancy_outcome', r.outcome)}" if r.outcome else " 在孕")
    if table == "service":
        return f"{codes.label('service_kind', r.kind)} {d(r.service_date)}"
    if table == "benefit":
        return f"{r.year}年 {codes.label('benefit_kind', r.kind)} {r.amount_fen / 100:.2f}元"
    if table == "migration":
        return f"{codes.label('migration_kind', r.kind)} {d(r.start_date)} {r.place}".strip()
    if table == "certificate":
        return f"{codes.label('certificate', r.kind)} {r.number} {d(r.issued_date)}".strip()
    return f"#{r.id}"


def shown(snap: Snapshot, spec: FieldSpec, value: Any) -> str:
    """A stored value as the clerk reads it."""
    if value is None or value == "":
        return "（空）"
    if spec.kind == "code":
        return codes.label(spec.codes or "", value)
    if spec.kind == "money":
        return f"{value / 100:.2f} 元"
    if spec.kind == "flag":
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if spec.kind == "ref":
        if spec.ref == "person" and value in snap.person_by_id:
            return person_line(snap, snap.person_by_id[value])
        if spec.ref == "household" and value in snap.household_by_id:
            return household_line(snap, snap.household_by_id[value])
        if spec.ref == "village_group" and value in snap.group_by_id:
            return snap.group_by_id[value].name
    return str(value)


def editable(spec: FieldSpec, value: Any) -> Any:
    """A stored value as the input for its kind takes it (fen → yuan)."""
    if spec.kind == "money" and value is not None:
        return f"{value / 100:.2f}"
    return value


def value_field(table: str, col: str) -> Field:
    """The spec of the input for a new value of ``table.col``."""
    spec = FIELDS[table][col]
    kind = {"person": "person", "household": "household", "village_group": "group"}.get(spec.ref or "", "") \
        if spec.kind == "ref" else ("id_number" if col in ("id_number", "spouse_id_number") else spec.kind)
    return Field("value", spec.label, kind, codes=spec.codes, blank=not spec.required, include_gone=True)


class ValueInput(QWidget, InputMixin):
    """Holds the input matching the chosen field's kind; swapped when the field changes."""

    def __init__(self, snap: Snapshot) -> None:
        super().__init__()
        self.init_input()
        self.snapshot = snap
        self.inner: InputMixin | None = None
        self._box = QHBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._waiting = QLineEdit()
        self._waiting.setPlaceholderText("先选择更正项目")
        self._waiting.setEnabled(False)
        self._box.addWidget(self._waiting)

    def set_field(self, table: str, col: str) -> None:
        self._waiting.hide()
        if self.inner is not None:
            self._box.removeWidget(self.inner)
            self.inner.deleteLater()
        self.inner = make_input(value_field(table, col), self.snapshot, self)
        self.inner.field_error = self.field_error
        self.inner.value_changed.connect(self.notify)
        self._box.addWidget(self.inner)
        self.inner.show()           # a layout shows a new child only on the next event-loop turn
        self.setFocusProxy(self.inner)

    def value(self) -> Any:
        return self.inner.value() if self.inner is not None else None

    def set_value(self, value: Any) -> None:
        if self.inner is not None:
            self.inner.set_value(value)

    def is_blank(self) -> bool:
        return self.inner is None or self.inner.is_blank()

    def commit(self) -> None:
        if self.inner is not None:
            self.inner.commit()

    def local_problem(self) -> str:
        return self.inner.local_problem() if self.inner is not None else ""

    def show_error(self, message: str) -> None:
        if self.inner is not None:
            self.inner.show_error(message)
        set_status(self, "error")

    def clear_message(self) -> None:
        if self.inner is not None:
            self.inner.clear_message()
        set_status(self, None)


class CorrectionDialog(ServiceDialog):
    """更正: one field of one record. Prefill: table=, record=, field= (and value= for a proposed value)."""

    title = "更正"
    service = services.correct_field
    intro = "记录登错时在这里更正（不算变动，不进报告单），修改前后的值和原因记入修改记录。"
    fields = (
        Field("table", "台账", "choice", required=True, blank=False),
        Field("person", "人员", "person", include_gone=True, send=False),
        Field("household", "户", "household", send=False),
        Field("record", "记录", "choice", required=True, blank=False),
        Field("field", "更正项目", "choice", required=True, blank=False),
        Field("value", "改为", "custom", factory=ValueInput),
        Field("reason", "更正原因", hint="如 核对户口本"),
    )
    defaults = {"table": "person"}

    def wire(self) -> None:
        super().wire()
        self.inputs["table"].set_items([(TABLE_LABELS[t], t) for t in RECORDS])
        self.inputs["table"].value_changed.connect(self._table_changed)
        self.inputs["person"].picked.connect(self._owner_changed)
        self.inputs["household"].picked.connect(self._owner_changed)
        self.inputs["record"].value_changed.connect(self._field_changed)
        self.inputs["field"].value_changed.connect(self._field_changed)
        self._table_changed()

    def table(self) -> str:
        return self.value("table") or "person"

    def record(self) -> Any:
        rid = self.value("record")
        return next((r for r in getattr(self.snapshot, RECORDS[self.table()]) if r.id == rid), None)

    def _table_changed(self) -> None:
        table = self.table()
        self.set_row_visible("person", table not in (BY_HOUSEHOLD, NO_OWNER))
        self.set_row_visible("household", table == BY_HOUSEHOLD)
        self.inputs["field"].set_items([(spec.label, col) for col, spec in FIELDS[table].items()])
        self._owner_changed()

    def _owner_changed(self, *_args: object) -> None:
        table = self.table()
        owner = self.value("household") if table == BY_HOUSEHOLD else self.value("person")
        records = [r for r in getattr(self.snapshot, RECORDS[table])
                   if table == NO_OWNER or (owner is not None and owner_of(table, r) == owner)]
        self.inputs["record"].set_items([(record_line(self.snapshot, table, r), r.id) for r in records])
        self.set_note("record", "" if records or (owner is None and table != NO_OWNER)
                      else f"没有{TABLE_LABELS[table]}记录。")
        self._field_changed()

    def _field_changed(self) -> None:
        table, col, record = self.table(), self.value("field"), self.record()
        box = self.inputs["value"]
        if col is None:
            return
        spec = FIELDS[table][col]
        if getattr(self, "_shown_field", None) != (table, col):
            box.set_field(table, col)
            self._shown_field = (table, col)
            self.refresh_tab_order()
        current = getattr(record, col, None) if record is not None else None
        box.set_value(editable(spec, current))
        self.set_note("field", f"现在是：{shown(self.snapshot, spec, current)}" if record is not None else "")

    def apply_prefill(self, values: Mapping[str, Any]) -> None:
        values = dict(values)
        ordered: dict[str, Any] = {}
        if "table" in values:
            ordered["table"] = values.pop("table")
        table = ordered.get("table", self.table())
        if "record" in values and "person" not in values and "household" not in values and table != NO_OWNER:
            rec = next((r for r in getattr(self.snapshot, RECORDS[table]) if r.id == values["record"]), None)
            if rec is not None:
                ordered["household" if table == BY_HOUSEHOLD else "person"] = owner_of(table, rec)
        for key in ("person", "household", "record", "field", "value"):
            if key in values:
                ordered[key] = values.pop(key)
        ordered.update(values)
        super().apply_prefill(ordered)
