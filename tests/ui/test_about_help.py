"""The clerk's first five minutes: the icon, the welcome, the help (F1) and the About box.

Each dialog is also saved as a picture at the size it has on a 1366×768 laptop. To refresh the pictures in the docs:

    FPDESK_SCREENSHOTS=docs/screenshots pytest -q tests/ui/test_about_help.py
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path, PureWindowsPath

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication, QCommandLinkButton, QDialog, QLabel, QMainWindow, QPlainTextEdit, QPushButton, QWidget,
)

from fpdesk import APP_TITLE, __version__
from fpdesk.paths import resources_dir
from ui.about import LIBRARIES, AboutDialog
from ui.app import make_app
from ui.forms.registry import CHANGE_DIALOGS
from ui.help import HelpDialog, install_help_and_about
from ui.main_window import MainWindow
from ui.welcome import WelcomeDialog

# What a 1366×768 laptop leaves to a window once the taskbar has its 40 pixels.
SCREEN_WIDTH, SCREEN_HEIGHT = 1366, 728


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("FPDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cut_off(dialog: QWidget) -> list[str]:
    """Texts of visible one-line labels and buttons narrower than their text needs."""
    out = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            if widget.width() < widget.sizeHint().width():
                out.append(widget.text())
        elif isinstance(widget, QPushButton) and widget.width() < widget.sizeHint().width():
            out.append(widget.text())
    return out


def shoot(qtbot, dialog: QWidget, path: Path) -> None:
    """Show ``dialog`` and save its picture; it must fit the laptop's screen with nothing cut off."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= SCREEN_WIDTH and dialog.height() <= SCREEN_HEIGHT
    assert not cut_off(dialog)
    assert dialog.grab().save(str(path))


def activate(qtbot, window: QWidget) -> None:
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


# ---- icon -------------------------------------------------------------------------------------------------------

def test_the_application_has_the_ledger_icon() -> None:
    app = make_app()
    icon = app.windowIcon()
    assert not icon.isNull()
    assert icon.pixmap(256, 256).width() == 256
    # The installer's icon for Windows sits beside it.
    assert (resources_dir() / "icons" / "fpdesk.ico").stat().st_size > 0


# ---- About ------------------------------------------------------------------------------------------------------

def test_about_names_the_program_its_font_licence_and_each_library_with_its_version(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    heading = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert APP_TITLE in heading and __version__ in heading
    assert "文泉驿微米黑" in text and "Apache-2.0" in text and "GPL-3.0" in text
    for lib in LIBRARIES:
        assert lib.name in text
        assert metadata.version(lib.distribution) in text, lib.name
        assert lib.licence in text
    assert "LGPL-3.0" in text  # Qt's own


def test_about_shows_the_font_copyright_file(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        shown.append(box.findChild(QPlainTextEdit).toPlainText())
        box.reject()

    QTimer.singleShot(0, read_and_close)
    dialog.font_button.click()  # runs the copyright box until read_and_close closes it
    assert "WenQuanYi" in shown[0] and "Apache" in shown[0]


# ---- help -------------------------------------------------------------------------------------------------------

def test_f1_in_the_main_window_opens_the_help_on_the_monthly_cycle(qtbot, session) -> None:
    window = MainWindow(session)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    help_dialog = window._help_dialog
    qtbot.waitUntil(help_dialog.isVisible)
    text = help_dialog.text.toPlainText()
    for step in ("变动发生就登记", "问题清单", "自评得分", "打印月报表", "报送", "锁定"):
        assert step in text
    for key in ("Tab", "Enter", "Esc", "Ctrl+F", "F1"):
        assert key in text
    assert "备份" in text and "U盘" in text


def test_the_help_menu_has_help_and_about_and_no_second_help_menu(qtbot, session) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    menus = [a for a in window.menuBar().actions() if a.text().replace("&", "").startswith("帮助")]
    assert len(menus) == 1
    texts = {a.text(): a for a in menus[0].menu().actions() if a.text()}
    assert texts["使用帮助"].shortcut().toString() == "F1"
    assert f"关于{APP_TITLE}" in texts


def test_install_adds_a_help_menu_to_a_window_without_one(qtbot) -> None:
    window = QMainWindow()
    help_action, about_action = install_help_and_about(window)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "_help_dialog", None) is not None and window._help_dialog.isVisible())
    qtbot.keyClick(window, Qt.Key.Key_F1)  # a second F1 brings the same help to the front, not a second copy
    assert len(window.findChildren(HelpDialog)) == 1
    assert about_action.text() == f"关于{APP_TITLE}"


def test_the_help_lists_every_entry_key_the_menu_has(qtbot) -> None:
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for menu_text, key, _ in CHANGE_DIALOGS:
        if key:
            assert f"{key} {menu_text}" in text


# ---- welcome ----------------------------------------------------------------------------------------------------

def test_the_welcome_offers_the_four_ways_to_start(qtbot, tmp_path) -> None:
    dialog = WelcomeDialog(tmp_path / "village.sqlite")
    qtbot.addWidget(dialog)
    titles = [b.text() for b in dialog.findChildren(QCommandLinkButton)]
    assert titles == ["新建本村档案", "从村花名册（Excel）导入…", "打开演示村", "打开已有的村数据文件…"]
    assert str(tmp_path / "village.sqlite") in " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_picking_the_demo_closes_the_welcome_with_that_choice(qtbot, tmp_path) -> None:
    dialog = WelcomeDialog(tmp_path / "village.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons["demo"].click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice == "demo"


def test_f1_on_the_welcome_opens_the_help(qtbot, tmp_path) -> None:
    dialog = WelcomeDialog(tmp_path / "village.sqlite")
    activate(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(dialog, "_help_dialog", None) is not None and dialog._help_dialog.isVisible())


# ---- pictures ---------------------------------------------------------------------------------------------------

# The pictures show the folders as a clerk's Windows laptop has them, not the test's temporary ones.
CLERK_DATA = PureWindowsPath(r"C:\Users\李芳\AppData\Roaming\fpdesk")


@pytest.fixture
def clerk_paths(monkeypatch) -> PureWindowsPath:
    import ui.about
    import ui.help

    monkeypatch.setattr(ui.about, "user_data_dir", lambda: CLERK_DATA)
    monkeypatch.setattr(ui.help, "default_village_path", lambda: CLERK_DATA / "village.sqlite")
    monkeypatch.setattr(ui.help, "backup_dir", lambda village: CLERK_DATA / "backups" / "village")
    return CLERK_DATA


def test_screenshot_welcome(qtbot, shots, clerk_paths) -> None:
    shoot(qtbot, WelcomeDialog(clerk_paths / "village.sqlite"), shots / "welcome.png")


def test_screenshot_help_fits_one_screen_without_scrolling(qtbot, shots, clerk_paths) -> None:
    dialog = HelpDialog()
    dialog.resize(*HelpDialog.PREFERRED_SIZE)  # the test screen is smaller than the clerk's laptop
    shoot(qtbot, dialog, shots / "help.png")
    assert dialog.text.verticalScrollBar().maximum() == 0
    assert dialog.text.horizontalScrollBar().maximum() == 0


def test_screenshot_about_fits_without_scrolling(qtbot, shots, clerk_paths) -> None:
    dialog = AboutDialog()
    shoot(qtbot, dialog, shots / "about.png")
    assert dialog.text.verticalScrollBar().maximum() == 0
