"""The entry dialog every change kind is built on: fields from a spec, one save through the core.

A dialog lists its fields (``Field``, grouped by ``Section``), names its core service function, and the base does
the rest: the inputs in a form with a message line under each, 保存 as the default button (Enter) and 取消 (Esc),
Tab from top to bottom. Saving collects the values into the service's keyword arguments (a dotted name such as
"person.name" goes into a nested mapping) and calls ``session.apply``; an ``InputError`` is shown at the field it
names, with the focus there and the dialog left open; any other core error goes to the message line at the top.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, ClassVar, Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QLayout, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget,
)

from fpdesk.errors import FpdeskError, InputError
from fpdesk.ops import Changes
from fpdesk.snapshot import Snapshot
from ui.forms.inputs import STATUS_STYLE, IdNumberInput, InputMixin, TextInput
from ui.forms.pickers import HouseholdPicker, PersonPicker
from ui.forms.spec import NOTE_STYLE, Field, Section, column, flatten, make_input, put
from ui.session import VillageSession
from ui.widgets import FieldError

# the spec names are part of the dialogs' vocabulary: dialog modules import them from here
__all__ = ["NOTE_STYLE", "Field", "Section", "ServiceDialog", "column", "make_input"]


class ServiceDialog(QDialog):
    """An entry dialog that saves through one core service function.

    Subclasses set ``title``, ``service`` and ``fields`` and may override ``wire`` (connect fields to each other),
    ``collect`` (turn the values into the service's arguments) and ``prefill``.

    Constructor: ``Dialog(session, parent=None, *, today=None, **prefill)`` where prefill names fields, e.g.
    ``BirthDialog(session, mother=12)``. ``today`` is the entry date passed to the service (tests; None = today).
    After a successful save ``changes`` holds what the core changed.
    """

    title: ClassVar[str] = ""
    # the core function (a plain function on the class: read through type(self), so it is never bound)
    service: ClassVar[Callable[..., Changes] | None] = None
    fields: ClassVar[Sequence[Field | Section]] = ()
    intro: ClassVar[str] = ""
    aliases: ClassVar[Mapping[str, str]] = {}     # error field → input name, where the core's name differs
    defaults: ClassVar[Mapping[str, Any]] = {}    # initial values; a callable gets the dialog
    min_width: ClassVar[int] = 600

    def __init__(self, session: VillageSession, parent: QWidget | None = None, *, today: dt.date | None = None,
                 **prefill: Any) -> None:
        super().__init__(parent)
        self.session = session
        self.snapshot: Snapshot = session.snapshot
        self.today = today
        self.changes: Changes | None = None
        self.inputs: dict[str, InputMixin] = {}
        self.specs: dict[str, Field] = {}
        self.rows: dict[str, tuple[QFormLayout, QWidget]] = {}
        self.notes: dict[str, QLabel] = {}
        self.setWindowTitle(self.title)
        self.setStyleSheet(STATUS_STYLE)

        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(8)
        # the dialog follows its content: a message appearing under a field makes it taller instead of squeezing
        # the rows (wrapped messages do not otherwise resize a shown dialog)
        self.layout_.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        self.layout_.addItem(QSpacerItem(self.min_width, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))
        self.message = FieldError()
        self.message.setObjectName("message")
        self.layout_.addWidget(self.message)
        if self.intro:
            intro = QLabel(self.intro)
            intro.setWordWrap(True)
            intro.setStyleSheet(NOTE_STYLE)
            self.layout_.addWidget(intro)
        self.build_body()
        legend = QLabel("带 * 的为必填项　　Enter 保存　　Esc 取消")
        legend.setStyleSheet(NOTE_STYLE)
        self.layout_.addWidget(legend)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.cancel_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.wire()
        self.apply_prefill({k: (v(self) if callable(v) else v) for k, v in self.defaults.items()})
        self.apply_prefill(flatten(prefill))
        self.refresh_tab_order()
        self._shown_once = False

    # ---- building -------------------------------------------------------------------------------------------

    def build_body(self) -> None:
        """Lay out ``fields``; a subclass with a custom body (the household grid) adds to ``layout_`` too."""
        form = self.new_form()
        self.layout_.addLayout(form)
        for item in self.fields:
            if isinstance(item, Section):
                box = QGroupBox(item.title)
                inner = self.new_form()
                box.setLayout(inner)
                for spec in item.fields:
                    self.add_field(inner, spec)
                self.layout_.addWidget(box)
            else:
                self.add_field(form, item)
        self.align_labels()

    def align_labels(self) -> None:
        """One label width for the dialog's forms, so fields in a section line up with those above it."""
        labels = [form.labelForField(holder) for form, holder in self.rows.values()]
        labels = [label for label in labels if isinstance(label, QWidget)]
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)
            if isinstance(label, QLabel):
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    @staticmethod
    def new_form() -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(6)
        return form

    def add_field(self, form: QFormLayout, spec: Field) -> InputMixin:
        """One row: label, the input, its message line and (if any) a grey note."""
        widget = make_input(spec, self.snapshot)
        holder = QWidget()
        # every row spans the field column, so notes and messages wrap at its width, not at a date's
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        # line edits take the row's width; drop-downs, dates and numbers keep their own, left-aligned
        wide = isinstance(widget, (TextInput, IdNumberInput, PersonPicker, HouseholdPicker)) or spec.kind == "custom"
        box.addWidget(widget, 0, Qt.AlignmentFlag(0) if wide else Qt.AlignmentFlag.AlignLeft)
        widget.field_error = FieldError()
        box.addWidget(widget.field_error)
        note = QLabel(spec.note)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        note.setVisible(bool(spec.note))
        box.addWidget(note)
        form.addRow(spec.label + (" *" if spec.required else ""), holder)
        self.inputs[spec.name] = widget
        self.specs[spec.name] = spec
        self.rows[spec.name] = (form, holder)
        self.notes[spec.name] = note
        return widget

    def wire(self) -> None:
        """Connect fields to each other (suggestions, enabling). The base links ID numbers to what they fill."""
        for name, spec in self.specs.items():
            widget = self.inputs[name]
            if isinstance(widget, IdNumberInput):
                widget.fills = {role: self.inputs[target] for role, target in spec.fills.items()}

    def apply_prefill(self, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            if name not in self.inputs:
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
            self.inputs[name].set_value(value)

    def focusable(self) -> list[QWidget]:
        """The inputs in Tab order (top to bottom)."""
        return [w for w in self.inputs.values()]  # type: ignore[misc]

    def refresh_tab_order(self) -> None:
        chain = self.focusable() + [self.save_button, self.cancel_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self._shown_once:      # the first empty field, not the save button QDialog would pick
            self._shown_once = True
            self.focus_first_empty()

    def focus_first_empty(self) -> None:
        for widget in self.focusable():
            if widget.isEnabled() and isinstance(widget, InputMixin) and widget.is_blank():
                widget.setFocus()
                return

    # ---- helpers for subclasses -----------------------------------------------------------------------------

    @property
    def entry_day(self) -> dt.date:
        """The day the entry is made (``today`` in tests)."""
        return self.today or dt.date.today()

    def value(self, name: str) -> Any:
        return self.inputs[name].value()

    def set_note(self, name: str, text: str) -> None:
        self.notes[name].setText(text)
        self.notes[name].setVisible(bool(text))

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Enable a field and its label; a disabled field sends nothing."""
        form, holder = self.rows[name]
        holder.setEnabled(enabled)
        label = form.labelForField(holder)
        if label is not None:
            label.setEnabled(enabled)
        if not enabled:
            self.inputs[name].clear_message()

    def set_row_visible(self, name: str, visible: bool) -> None:
        form, holder = self.rows[name]
        form.setRowVisible(holder, visible)

    def is_active(self, name: str) -> bool:
        form, holder = self.rows[name]
        return holder.isEnabled() and holder.isVisibleTo(self)

    # ---- saving -----------------------------------------------------------------------------------------------

    def collect(self) -> dict[str, Any]:
        """The service's keyword arguments from the inputs (disabled or hidden fields send a blank)."""
        kwargs: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            spec = self.specs[name]
            if not spec.send:
                continue
            value = widget.value() if self.is_active(name) else None
            put(kwargs, name, value)
        return kwargs

    def clear_messages(self) -> None:
        self.message.clear_error()
        for widget in self.inputs.values():
            if widget.property("status") == "error":
                widget.clear_message()

    def check_locally(self) -> bool:
        """Problems the inputs can tell without the core (a date that is no date): shown, focus on the first."""
        first = None
        for name, widget in self.inputs.items():
            problem = widget.local_problem() if self.is_active(name) else ""
            if problem:
                widget.show_error(problem)
                first = first or widget
        if first is not None:
            first.setFocus()
            return False
        return True

    def save(self) -> None:
        """保存: commit the edits, call the service, close on success; errors stay in the dialog."""
        for widget in self.inputs.values():
            widget.commit()
        self.clear_messages()
        if not self.check_locally():
            return
        try:
            kwargs = self.collect()
            self.changes = self.session.apply(type(self).service, today=self.today, **kwargs)  # type: ignore[arg-type]
        except InputError as err:
            self.show_input_error(err)
            return
        except FpdeskError as err:
            self.show_message(str(err))
            return
        self.accept()

    def show_message(self, text: str) -> None:
        """A problem of the whole entry (a locked month, a record gone): the red line at the top."""
        self.message.show_error(text)

    def error_target(self, name: str) -> InputMixin | None:
        """The input an error's field name points at: exact, an alias, the same last part, or a sub-field."""
        name = self.aliases.get(name, name)
        if name in self.inputs:
            return self.inputs[name]
        last = re.sub(r"^.*\.", "", name)
        for key, widget in self.inputs.items():
            if key.endswith("." + last) or key == last:
                return widget
        for key, widget in self.inputs.items():
            if name and key.startswith(name + "."):
                return widget
        return None

    def show_input_error(self, err: InputError) -> None:
        widget = self.error_target(err.field)
        if widget is None or not isinstance(widget, QWidget) or not widget.isVisibleTo(self):
            self.show_message(err.message)
            return
        widget.show_error(err.message)
        widget.setFocus()
