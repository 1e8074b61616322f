"""The bundled CJK font: Chinese must never render as boxes, whatever fonts the laptop has."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fpdesk.paths import resources_dir

FONT_FILE = "wqy-microhei.ttc"
BODY_POINT_SIZE = 11  # the brief asks for body text of at least 10.5 pt


def load_bundled_font(app: QApplication) -> str:
    """Register WenQuanYi Micro Hei with Qt and make it the application font. Returns the family name."""
    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = families[0] if families else "WenQuanYi Micro Hei"
    font = QFont(family, BODY_POINT_SIZE)
    app.setFont(font)
    return family
