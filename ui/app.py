"""Starting the desktop program: Qt, the bundled font, the village file, the main window."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox, QProgressDialog

from fpdesk import APP_NAME, APP_TITLE, __version__
from fpdesk.errors import FpdeskError
from fpdesk.paths import default_village_path, demo_village_path, resources_dir
from ui.errors import install_excepthook, setup_logging
from ui.fonts import load_bundled_font
from ui.session import VillageSession
from ui.welcome import WelcomeDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the house font and names (QSettings keys hang off these)."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "fpdesk.png")))
    load_bundled_font(app)
    install_chinese_qt_texts(app)
    return app


def install_chinese_qt_texts(app: QApplication) -> None:
    """Qt's own dialogs (file dialogs, standard buttons, print preview) in Chinese, whatever the system locale."""
    if getattr(app, "_fpdesk_translator", None) is not None:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(translator)
        app._fpdesk_translator = translator  # keep it alive with the app
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


# Set to 1 to quit as soon as the main window is on screen: the installer test starts the bundled program this
# way to prove that it opens a village, without anyone to close it.
EXIT_AFTER_SHOW = "FPDESK_EXIT_AFTER_SHOW"


def exit_after_show(app: QApplication, window: QMainWindow) -> None:
    """With ``FPDESK_EXIT_AFTER_SHOW=1``, paint the window once, report it on stdout and quit."""
    if os.environ.get(EXIT_AFTER_SHOW) != "1":
        return

    def report_and_quit() -> None:
        picture = window.grab()  # paints every visible widget, so a screen that cannot draw fails here
        print(f"fpdesk: window shown: {window.windowTitle()} (visible={window.isVisible()}, "
              f"painted {picture.width()}x{picture.height()})", flush=True)
        app.quit()

    QTimer.singleShot(0, report_and_quit)


def create_demo(path: Path) -> None:
    """Generate the demo village with a progress dialog."""
    from fpdesk.demo import make_demo_village

    progress = QProgressDialog("正在生成演示村数据…", "", 0, 100)
    progress.setWindowTitle("演示村")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.show()

    def report(done: int, total: int) -> None:
        progress.setValue(int(100 * done / max(total, 1)))
        QApplication.processEvents()

    make_demo_village(path, progress=report)
    progress.close()


def choose_village(*, db: str | None, demo: bool) -> Path | None:
    """Which village file to open: the one given, the demo, the clerk's own, or what the welcome screen picks."""
    if db:
        return Path(db)
    if demo:
        path = demo_village_path()
        if not path.exists():
            create_demo(path)
        return path
    path = default_village_path()
    if path.exists():
        return path
    welcome = WelcomeDialog(path)
    if welcome.exec() != QDialog.DialogCode.Accepted or welcome.choice is None:
        return None
    if welcome.choice == "demo":
        return choose_village(db=None, demo=True)
    return welcome.path


def open_main_window(session: VillageSession) -> "MainWindow":
    """The main window on ``session``, to be shown.

    Opening a village makes a few hundred thousand records that live as long as the window, and the cycle
    collector would walk them all again and again while they are being made (a tenth of a second of the start,
    more on a slow laptop). It waits until the window is on screen and its first check done (``opened``);
    reference counting frees everything meanwhile, as ever.
    """
    from ui.main_window import MainWindow

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        window = MainWindow(session)
    except BaseException:
        if was_enabled:
            gc.enable()
        raise
    if was_enabled:
        window.opened.connect(gc.enable)
    return window


def run(*, db: str | None = None, demo: bool = False) -> int:
    """Open the program; returns the process exit status."""
    app = make_app()
    setup_logging()
    install_excepthook()
    try:
        path = choose_village(db=db, demo=demo)
        if path is None:
            return 0
        from fpdesk.township import is_township_file

        if is_township_file(path):  # township mode: the same program opens the township's file
            from ui.township import open_township_window

            township = open_township_window(path)
            exit_after_show(app, township)
            return app.exec()
        session = VillageSession.open(path)
    except FpdeskError as exc:
        QMessageBox.critical(None, "无法打开村数据文件", str(exc))
        return 2
    from ui.safety_ui import ask_password

    if not ask_password(session):
        session.close()
        return 0
    window = open_main_window(session)
    window.show()
    exit_after_show(app, window)
    status = app.exec()
    session.close()
    return status
