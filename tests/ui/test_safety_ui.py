"""Backups, restore, the audit trail and the password, as the clerk meets them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from fpdesk import privacy, services
from fpdesk.backup import list_backups
from fpdesk.errors import FileLockedError
from tests.conftest import TODAY, file_content
from ui import safety_ui
from ui.main_window import MainWindow
from ui.session import VillageSession


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    """Backups go under the user data folder: a fresh one per test, so no test sees another's backups."""
    monkeypatch.setenv("FPDESK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def opened(tmp_path):
    """A village file opened as the program opens it: exclusively."""
    path = tmp_path / "双河村.sqlite"
    session = VillageSession.open(path, create=True)
    services.setup_village(session.conn, code="420102001001", name="双河村", today=TODAY)
    services.register_household(session.conn, number="001", today=TODAY, members=[
        {"name": "王芳", "sex": "女", "birth_date": "1990-01-01", "education": "初中"}])
    session.today = TODAY
    yield session
    session.close()


@pytest.fixture
def said(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: seen.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: seen.append("!" + text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return seen


def test_a_file_open_in_another_window_is_refused_plainly(opened) -> None:
    with pytest.raises(FileLockedError) as err:
        VillageSession.open(opened.path)
    assert "已在另一个窗口或另一台电脑上打开" in str(err.value)


def test_the_window_backs_up_on_open_and_shows_when(qtbot, opened) -> None:
    window = MainWindow(opened)
    qtbot.addWidget(window)
    assert [b.reason for b in list_backups(opened.path)] == ["open"]
    assert window.backup_label.text().startswith("上次备份：")


def test_the_opening_backup_holds_the_file_as_it_was_before_the_first_change(qtbot, opened) -> None:
    as_opened = file_content(opened.conn)
    window = MainWindow(opened)
    qtbot.addWidget(window)
    wang_fang = opened.conn.execute("SELECT id FROM person WHERE name = '王芳'").fetchone()[0]
    opened.apply(services.correct_field, table="person", record=wang_fang, field="education", value="20")
    [made] = list_backups(opened.path)
    assert made.reason == "open"
    copy = sqlite3.connect(made.path.as_uri() + "?mode=ro", uri=True)
    try:
        assert file_content(copy) == as_opened != file_content(opened.conn)
    finally:
        copy.close()


def test_reopening_an_unchanged_file_adds_no_backup(qtbot, opened) -> None:
    qtbot.addWidget(MainWindow(opened))
    qtbot.addWidget(MainWindow(opened))  # opened again, nothing written between
    assert [b.reason for b in list_backups(opened.path)] == ["open"]


def test_backup_to_a_usb_stick_is_checked(qtbot, opened, tmp_path, said, monkeypatch) -> None:
    stick = tmp_path / "U盘"
    stick.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(stick))
    safety_ui.backup_to_folder(None, opened)
    copies = list(stick.glob("*.sqlite"))
    assert len(copies) == 1 and "已备份并核对无误" in said[0] and "双河村" in said[0]


def test_restore_brings_back_the_backup_and_keeps_the_current_file(qtbot, opened, said) -> None:
    safety_ui.backup_quietly(opened, "open")
    person = opened.conn.execute("SELECT id FROM person").fetchone()[0]
    services.correct_field(opened.conn, table="person", record=person, field="name", value="王芳芳", today=TODAY)
    dialog = safety_ui.RestoreDialog(opened)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(0)
    assert "双河村" in dialog.info.text()
    dialog.do_restore()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert opened.conn.execute("SELECT name FROM person").fetchone()[0] == "王芳"
    assert "restore" in {b.reason for b in list_backups(opened.path)}
    assert "已恢复" in said[-1]


def test_audit_dialog_shows_old_and_new(qtbot, opened) -> None:
    person = opened.conn.execute("SELECT id FROM person").fetchone()[0]
    services.correct_field(opened.conn, table="person", record=person, field="education", value="高中",
                           today=TODAY, user="李芳")
    dialog = safety_ui.AuditDialog(opened, person_id=person)
    qtbot.addWidget(dialog)
    rows = [[dialog.model.index(r, c).data() for c in range(9)] for r in range(dialog.model.rowCount())]
    assert ["李芳", "更正 人员#1 文化程度", "人员", "1", "修改", "文化程度", "初中", "高中"] == rows[-1][1:]
    village = safety_ui.AuditDialog(opened)
    qtbot.addWidget(village)
    assert village.model.rowCount() >= 3


def test_password_dialog_stores_a_hash_and_the_prompt_checks_it(qtbot, opened, monkeypatch) -> None:
    dialog = safety_ui.PasswordDialog(opened)
    qtbot.addWidget(dialog)
    dialog.new.setText("shuanghe2026")
    dialog.again.setText("shuanghe2026")
    dialog.minutes.setText("10")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert privacy.verify_password(opened.conn, "shuanghe2026") and privacy.idle_lock_minutes(opened.conn) == 10
    stored = opened.conn.execute("SELECT value FROM setting WHERE key = 'password_hash'").fetchone()[0]
    assert "shuanghe2026" not in stored
    mismatch = safety_ui.PasswordDialog(opened)
    qtbot.addWidget(mismatch)
    mismatch.current.setText("shuanghe2026")
    mismatch.new.setText("a")
    mismatch.again.setText("b")
    mismatch.save()
    assert "不一致" in mismatch.message.text()
