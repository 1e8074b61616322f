"""The main window opens on a village and shows its board; an edit refreshes it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from fpdesk import services
from tests.conftest import TODAY
from ui.app import make_app
from ui.main_window import MainWindow
from ui.session import VillageSession


@pytest.fixture
def session(fresh_db, tmp_path):
    services.register_household(fresh_db, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶"},
    ])
    return VillageSession(Path(tmp_path / "village.sqlite"), fresh_db)


def texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_window_opens_on_the_village_with_its_board(qtbot, session) -> None:
    make_app()
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle().startswith("双河村")
    assert window.context.village.text() == "双河村"
    assert "报送截止" in window.context.deadline.text() or "截止报送" in window.context.deadline.text()
    board = window.pages[0]
    assert board.current is not None and board.current.population == 2
    assert any("双河村计划生育基本情况公示牌" in t for t in texts(board))


def test_an_edit_refreshes_the_board_at_once(qtbot, session) -> None:
    make_app()
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    husband = session.conn.execute("SELECT id FROM person WHERE name = '张伟'").fetchone()[0]
    with qtbot.waitSignal(session.changed):
        session.apply(services.record_move_out, person=husband, date="2026-11-02", today=TODAY)
    assert window.pages[0].current.population == 1
    assert "已保存" in window.saved_label.text()


def test_recent_files_and_a_checked_copy(qtbot, session, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from ui.main_window import recent_files

    make_app()
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert recent_files()[0] == session.path.resolve()
    told = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "副本.sqlite"), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    window.save_copy()
    assert (tmp_path / "副本.sqlite").exists() and "核对无误" in told[0]
    window._fill_recent()
    assert window.recent_menu.actions()[0].text() == str(session.path.resolve())


def test_the_program_shows_its_window_without_loading_what_it_does_not_need_yet(fresh_db, tmp_path) -> None:
    # The program as the clerk starts it, in a process of its own; -X importtime lists every module it loads.
    # The spreadsheet library (roster), the pinyin dictionaries (search) and the subcommands wait until asked.
    path = fresh_db.execute("PRAGMA database_list").fetchone()["file"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FPDESK_EXIT_AFTER_SHOW="1",
               FPDESK_HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui.cli", "--db", path], env=env,
                          capture_output=True, text=True, timeout=120)
    assert "fpdesk: window shown: 双河村" in done.stdout, done.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "ui.main_window" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("openpyxl", "pypinyin") or m.startswith("fpdesk.commands.")}


def test_the_cycle_collector_is_back_on_once_the_window_is_open(qtbot, session) -> None:
    from ui.app import open_main_window

    assert gc.isenabled()
    try:
        window = open_main_window(session)
        qtbot.addWidget(window)
        assert not gc.isenabled()           # paused while the village's records are made
        with qtbot.waitSignal(window.opened, timeout=5000):
            window.show()
        assert gc.isenabled() and window.score_panel.sheet is not None
    finally:
        gc.enable()
