"""Fixtures for the Qt tests: the application as the program makes it, and a session on a fresh village."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths

from ui.app import make_app
from ui.session import VillageSession


@pytest.fixture(scope="session")
def qapp(qapp_args):
    """The QApplication made by ``ui.app.make_app``: the bundled CJK font at body size, as the clerk sees it.

    QSettings go to a test location so a test never changes the real program's settings.
    """
    QStandardPaths.setTestModeEnabled(True)
    return make_app(qapp_args)


@pytest.fixture
def session(fresh_db: sqlite3.Connection) -> VillageSession:
    """The open village over ``fresh_db`` (the village and two groups, nobody in it)."""
    path = Path(fresh_db.execute("PRAGMA database_list").fetchone()["file"])
    return VillageSession(path, fresh_db)


# ---- typing as the clerk does ---------------------------------------------------------------------------------
# qtbot.keyClicks with Chinese text aborts the process (a Qt assertion), so Chinese arrives as an input method's
# commit string, as it does from a real pinyin IME. Keys go to an open completer popup first, like real keys.

def focused():
    """The widget with the keyboard focus."""
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget()


def type_text(qtbot, text: str) -> None:
    """Type into the focused widget: ASCII as key clicks, anything else through the input method."""
    widget = focused()
    assert widget is not None, "nothing has the focus"
    type_into(qtbot, widget, text)


def type_into(qtbot, widget, text: str) -> None:
    """Type into ``widget`` as the clerk does: ASCII as key clicks, anything else as the input method's commit
    string (keyClicks with Chinese aborts the process)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press(qtbot, key, times: int = 1) -> None:
    """Press a key (Qt.Key_Tab, Qt.Key_Return, ...) where the keyboard is: an open popup, else the focus."""
    from PySide6.QtWidgets import QApplication

    for _ in range(times):
        target = QApplication.activePopupWidget() or focused()
        assert target is not None, "nothing has the focus"
        qtbot.keyClick(target, key)


def show_dialog(qtbot, dialog):
    """Show a dialog as the active window and wait until a field has the keyboard focus."""
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and focused() is not None and dialog.isAncestorOf(focused()))
    return dialog
