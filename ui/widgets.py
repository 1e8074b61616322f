"""Small widgets shared by the forms."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5a00;"


class FieldError(QLabel):
    """The message shown beside a field (red = error, amber = warning), with a word, never colour alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    def show_error(self, message: str) -> None:
        self.setStyleSheet(ERROR_STYLE)
        self.setText("✖ " + message)
        self.show()

    def show_warning(self, message: str) -> None:
        self.setStyleSheet(WARNING_STYLE)
        self.setText("⚠ " + message)
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()
