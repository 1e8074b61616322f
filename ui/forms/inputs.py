"""Field widgets of the entry dialogs: what the clerk types into, and what each one hands the service.

Every input has the same small surface, so a form can treat them alike:
  value()          what goes to the service function (a code, an ISO date text, a person id, ...)
  set_value(v)     fill it (pre-filling a dialog, an ID number filling the birth date)
  is_blank()       nothing chosen or typed
  commit()         finish a pending edit (normalise a date, resolve a half-typed person)
  value_changed    a ``Notifier`` fired whenever the value changes, by the clerk or by code
  field_error      the ``FieldError`` shown beside it (set by the form)
Status is shown as a coloured outline *and* a worded message (✖ / ⚠), never colour alone.
The drop-downs (``CodeInput``, ``ChoiceInput``) are in ``ui.forms.combos``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from fpdesk.dates import parse_date
from fpdesk.errors import InputError
from fpdesk.idnumber import inspect_id
from ui.widgets import FieldError

ERROR, WARNING = "error", "warning"


class Notifier:
    """A plain-Python signal for wiring the fields of one form to each other.

    Not a Qt ``Signal`` on purpose: in PySide6 6.12.0 every Python-side ``Signal.emit()`` drops one reference to
    ``True`` (emit returns it without an incref); after some 1,700 emits the interpreter aborts ("bool_dealloc").
    Forms emit on every keystroke, so they notify through this instead. Qt's own signals (textChanged …) reaching
    Python slots are not affected.
    """

    def __init__(self) -> None:
        self._slots: list[Callable[..., object]] = []

    def connect(self, slot: Callable[..., object]) -> None:
        self._slots.append(slot)

    def emit(self, *args: object) -> None:
        for slot in list(self._slots):
            slot(*args)

# Outlines for a field's status; the form sets this on the dialog so every input shares it.
STATUS_STYLE = """
QLineEdit[status="error"], QComboBox[status="error"] { border: 2px solid #b00020; border-radius: 3px; padding: 1px; }
QLineEdit[status="warning"], QComboBox[status="warning"] { border: 2px solid #d08a00; border-radius: 3px;
    padding: 1px; }
"""


def set_status(widget: QWidget, status: str | None) -> None:
    """Outline a widget red (error), amber (warning) or not at all."""
    if widget.property("status") == status:
        return
    widget.setProperty("status", status)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.updateGeometry()       # the outline changes the size the widget needs


class InputMixin:
    """The common surface of an input (see the module docstring). Mixed into a Qt widget class."""

    field_error: FieldError | None = None
    value_changed: Notifier

    def init_input(self) -> None:
        """Call from ``__init__``: the input's own notifier."""
        self.value_changed = Notifier()

    def notify(self, *_args: object) -> None:
        """Slot for a Qt signal saying the value changed."""
        self.value_changed.emit()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def is_blank(self) -> bool:
        return self.value() in (None, "")

    def commit(self) -> None:
        """Finish a pending edit. Most inputs have none."""

    def local_problem(self) -> str:
        """An error the input can tell without the core (a date that is no date), or ""."""
        return ""

    def show_error(self, message: str) -> None:
        set_status(self, ERROR)  # type: ignore[arg-type]
        if self.field_error is not None:
            self.field_error.show_error(message)

    def show_warning(self, message: str) -> None:
        set_status(self, WARNING)  # type: ignore[arg-type]
        if self.field_error is not None:
            self.field_error.show_warning(message)

    def clear_message(self) -> None:
        set_status(self, None)  # type: ignore[arg-type]
        if self.field_error is not None:
            self.field_error.clear_error()

    def clear_error_on_edit(self, *_args: object) -> None:
        """The clerk is changing the field: the old error no longer applies."""
        if self.has_error:
            self.clear_message()

    @property
    def has_error(self) -> bool:
        return self.property("status") == ERROR  # type: ignore[attr-defined]


class TextInput(QLineEdit, InputMixin):
    """Free text (names, places, numbers of certificates)."""

    def __init__(self, parent: QWidget | None = None, *, hint: str = "") -> None:
        super().__init__(parent)
        self.init_input()
        self.setPlaceholderText(hint)
        self.textChanged.connect(self.notify)

    def value(self) -> str:
        return self.text().strip()

    def set_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))


class DateInput(QLineEdit, InputMixin):
    """A date typed as 2026-11-23, 2026/11/23, 2026.11.23 or 20261123; shown as 2026-11-23 once the clerk leaves it.

    An impossible date is marked red at once when she leaves the field; the service refuses it too.
    """

    def __init__(self, parent: QWidget | None = None, *, label: str = "日期") -> None:
        super().__init__(parent)
        self.init_input()
        self.label = label
        self.setPlaceholderText("如 2026-11-23")
        self.setMaxLength(12)
        self.setMaximumWidth(170)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9\-/.]{0,12}"), self))
        self.editingFinished.connect(self.commit)
        self.textChanged.connect(self.notify)
        self.textEdited.connect(self.clear_error_on_edit)

    def date(self) -> dt.date | None:
        """The date typed, or None when blank or not a date."""
        try:
            return parse_date(self.text(), field="", label=self.label)
        except InputError:
            return None

    def local_problem(self) -> str:
        try:
            parse_date(self.text(), field="", label=self.label)
        except InputError as exc:
            return exc.message
        return ""

    def commit(self) -> None:
        problem = self.local_problem()
        if problem:
            self.show_error(problem)
            return
        day = self.date()
        if day is not None and self.text() != day.isoformat():
            self.setText(day.isoformat())
        if self.has_error:
            self.clear_message()

    def value(self) -> str:
        day = self.date()
        return day.isoformat() if day else self.text().strip()

    def set_value(self, value: Any) -> None:
        if isinstance(value, dt.date):
            value = value.isoformat()
        self.setText("" if value is None else str(value))


class IntInput(QLineEdit, InputMixin):
    """A whole number (孩次, 年度, 数量), right-aligned."""

    def __init__(self, parent: QWidget | None = None, *, hint: str = "") -> None:
        super().__init__(parent)
        self.init_input()
        self.setPlaceholderText(hint)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self))
        self.setMaximumWidth(110)
        self.textChanged.connect(self.notify)

    def value(self) -> int | None:
        text = self.text().strip()
        return int(text) if text else None

    def set_value(self, value: Any) -> None:
        self.setText("" if value in (None, "") else str(int(value)))


class MoneyInput(QLineEdit, InputMixin):
    """An amount in yuan with at most two decimals (the file stores fen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.init_input()
        self.setPlaceholderText("元，如 120.00")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}(\.\d{0,2})?"), self))
        self.setMaximumWidth(170)
        self.textChanged.connect(self.notify)

    def value(self) -> str:
        return self.text().strip()

    def set_value(self, value: Any) -> None:
        self.setText("" if value in (None, "") else str(value))


class FlagInput(QCheckBox, InputMixin):
    """是 / 否 (独生子女): Space toggles it."""

    def __init__(self, parent: QWidget | None = None, *, text: str = "是") -> None:
        super().__init__(text, parent)
        self.init_input()
        self.toggled.connect(self.notify)

    def value(self) -> int:
        return 1 if self.isChecked() else 0

    def is_blank(self) -> bool:
        return not self.isChecked()

    def set_value(self, value: Any) -> None:
        self.setChecked(value in (True, 1, "1", "是"))


class IdNumberInput(QLineEdit, InputMixin):
    """A resident ID number, checked as it is typed (GB 11643).

    A malformed number (not 18 characters, letters, a birth date that does not exist) can be nobody's: it is
    refused at the field, red. A well-formed number with a wrong check digit is an amber warning: the record can
    still be saved (a card may really carry it), and the checks report it later. A well-formed number fills the
    birth date and sex inputs in ``fills`` when they are blank.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.init_input()
        self._fills: dict[str, InputMixin] = {}
        self.setPlaceholderText("18位")
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9xX ]{0,21}"), self))
        self.setMinimumWidth(190)
        self.textChanged.connect(self._typed)
        self.editingFinished.connect(self.commit)

    @property
    def fills(self) -> dict[str, InputMixin]:
        """The inputs a well-formed number fills when blank: {"birth_date": input, "sex": input}."""
        return self._fills

    @fills.setter
    def fills(self, targets: dict[str, InputMixin]) -> None:
        self._fills = dict(targets)
        what = "和".join(w for role, w in (("birth_date", "出生日期"), ("sex", "性别")) if role in targets)
        self.setPlaceholderText(f"18位，填后自动带出{what}" if what else "18位")

    def _typed(self, _text: str) -> None:
        self.value_changed.emit()
        number = self.value()
        if len(number) < 18:
            if self.property("status") is not None and not self.has_error:
                self.clear_message()
            return
        info = inspect_id(number)
        if not info.well_formed:
            self.show_error(self.local_problem())
        elif info.problem:
            self.show_warning(info.problem + "（可以保存）")
        else:
            self.clear_message()
        if info.well_formed:
            birth, sex = self.fills.get("birth_date"), self.fills.get("sex")
            if birth is not None and birth.is_blank():
                birth.set_value(info.birth_date)
            if sex is not None and sex.is_blank():
                sex.set_value(info.sex)

    def commit(self) -> None:
        problem = self.local_problem()
        if problem:
            self.show_error(problem)

    def local_problem(self) -> str:
        number = self.value()
        if number and not inspect_id(number).well_formed:
            return "身份证号应为18位（前17位数字，末位为数字或X），其中出生日期须真实存在；没有身份证号请留空。"
        return ""

    def value(self) -> str:
        return self.text().replace(" ", "").strip().upper()

    def set_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))

