"""Drop-downs the clerk picks from by typing: a code table by its Chinese labels, or items a form supplies.

Typing pinyin initials (hz → 汉族), the Chinese itself (through the input method) or the code selects the item;
the same single letter again steps to the next item with that initial (n → 男, n → 女).
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from PySide6.QtCore import QElapsedTimer, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget

from fpdesk import codes
from fpdesk.search import initials, search_key
from ui.forms.inputs import InputMixin


class _KeyboardSearchCombo(QComboBox):
    """A drop-down the clerk can pick from by typing: pinyin initials (hz → 汉族), Chinese (汉), or the code.

    Typing the same single letter again steps to the next item with that initial (n → 男, n → 女).
    """

    RESET_MS = 1200

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._typed = ""
        self._clock = QElapsedTimer()
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.setToolTip("可直接输入拼音首字母或汉字查找，如 hz → 汉族；↑↓ 选择")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def _matches(self, index: int, query: str, *, loose: bool) -> bool:
        label = self.itemText(index)
        if not label:
            return False
        if loose:
            return query in label
        letters = initials(label)
        spelled = query.isascii() and query.isalpha() and len(query) <= len(letters) and all(
            query[k] in letters[k] for k in range(len(query)))
        return label.startswith(query) or spelled or str(self.itemData(index) or "") == query

    def search(self, query: str, *, cycle: bool = False) -> bool:
        """Select the first item matching ``query`` (after the current one when cycling); True if found.

        Labels that start with it (or whose pinyin initials spell it, or whose code it is) come before labels that
        merely contain it.
        """
        query = search_key(query)
        n = self.count()
        if not query or not n:
            return False
        start = (self.currentIndex() + 1) if cycle else 0
        order = [(start + k) % n for k in range(n)]
        for loose in (False, True):
            for i in order:
                if self._matches(i, query, loose=loose):
                    self.setCurrentIndex(i)
                    return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        text = event.text()
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        if plain and len(text) == 1 and text.isascii() and text.isalnum():
            fresh = not self._clock.isValid() or self._clock.elapsed() > self.RESET_MS
            self._clock.restart()
            if fresh:
                self._typed = ""
            repeat = self._typed == text.lower() or (self._typed and set(self._typed) == {text.lower()})
            if repeat:
                self.search(text, cycle=True)
                self._typed += text.lower()
                return
            self._typed += text.lower()
            if not self.search(self._typed):
                self._typed = text.lower()
                self.search(self._typed)
            return
        if event.key() == Qt.Key.Key_Backspace or event.key() == Qt.Key.Key_Delete:
            if self.itemText(0) == "":
                self.setCurrentIndex(0)
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802 (Qt API)
        if event.commitString():
            self.search(event.commitString())
        event.accept()


class CodeInput(_KeyboardSearchCombo, InputMixin):
    """A code picked by its Chinese label (value = the code). ``blank`` adds an empty first item."""

    def __init__(self, table: str, parent: QWidget | None = None, *, blank: bool = True,
                 only: Iterable[str] | None = None) -> None:
        super().__init__(parent)
        self.init_input()
        self.table = table
        allowed = set(only) if only is not None else None
        if blank:
            self.addItem("", None)
        for code, label in codes.table(table).items():
            if allowed is None or code in allowed:
                self.addItem(label, code)
        if not blank:
            self.setCurrentIndex(-1)
            self.setPlaceholderText("请选择")
        self.currentIndexChanged.connect(self.notify)
        self.currentIndexChanged.connect(self.clear_error_on_edit)

    def value(self) -> str | None:
        return self.currentData() if self.currentIndex() >= 0 else None

    def set_value(self, value: Any) -> None:
        code = codes.lookup(self.table, value) if value not in (None, "") else None
        index = self.findData(code) if code is not None else (0 if self.itemText(0) == "" else -1)
        self.setCurrentIndex(index)


class ChoiceInput(_KeyboardSearchCombo, InputMixin):
    """A choice among items the form supplies (village groups, a woman's pregnancies, the fields of a table)."""

    def __init__(self, parent: QWidget | None = None, *, items: Sequence[tuple[str, Any]] = (),
                 blank: bool = False) -> None:
        super().__init__(parent)
        self.init_input()
        self.blank = blank
        self.set_items(items)
        self.currentIndexChanged.connect(self.notify)
        self.currentIndexChanged.connect(self.clear_error_on_edit)

    def set_items(self, items: Sequence[tuple[str, Any]]) -> None:
        """Replace the items, keeping the current value when it is still offered."""
        current = self.value()
        self.blockSignals(True)
        self.clear()
        if self.blank:
            self.addItem("", None)
        for label, value in items:
            self.addItem(label, value)
        self.blockSignals(False)
        found = self.findData(current) if current is not None else -1
        self.setCurrentIndex(found if found >= 0 else (0 if self.count() and (self.blank or self.count() == 1)
                                                        else -1))
        self.notify()

    def value(self) -> Any:
        return self.currentData() if self.currentIndex() >= 0 else None

    def set_value(self, value: Any) -> None:
        self.setCurrentIndex(self.findData(value) if value is not None else (0 if self.blank else -1))
