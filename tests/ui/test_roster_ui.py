"""导入花名册 in the desktop program: progress, the problem list, nothing written on problems."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from fpdesk.db import open_village_file
from tests.roster_books import minimal, set_cell, write_book
from ui import roster_ui
from ui.app import make_app


@pytest.fixture
def shown(monkeypatch):
    """Message boxes and the problem dialog are recorded instead of waiting for a click."""
    seen: dict[str, list] = {"info": [], "warning": [], "problems": []}
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: seen["info"].append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: seen["warning"].append(text))
    monkeypatch.setattr(roster_ui.ProblemsDialog, "exec", lambda self: seen["problems"].append(self))
    make_app()
    return seen


def test_a_good_workbook_becomes_a_new_village_file(tmp_path, shown) -> None:
    book = write_book(tmp_path / "花名册.xlsx", minimal())
    target = tmp_path / "new.sqlite"
    assert roster_ui.import_workbook(None, book, target) == target
    conn = open_village_file(target)
    assert [r[0] for r in conn.execute("SELECT name FROM person ORDER BY id")] == ["张伟", "李娜", "张小红", "黄梅"]
    assert "导入完成" not in shown["warning"] and "人口 4 行" in shown["info"][0]


def test_problems_are_listed_with_sheet_row_column_and_nothing_is_written(tmp_path, shown) -> None:
    sheets = minimal()
    set_cell(sheets, "人口", 3, "出生日期", "1988-13-40")
    set_cell(sheets, "节育措施", 2, "措施", "上天环")
    book = write_book(tmp_path / "花名册.xlsx", sheets)
    target = tmp_path / "new.sqlite"
    assert roster_ui.import_workbook(None, book, target) is None
    assert not target.exists()
    dialog = shown["problems"][0]
    cells = [[dialog.model.index(r, c).data() for c in range(5)] for r in range(dialog.model.rowCount())]
    assert ["人口", "3", "出生日期", "1988-13-40"] == cells[0][:4]
    assert ["节育措施", "2", "措施", "上天环"] == cells[1][:4]
    dialog.copy()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0] == "工作表\t行\t列\t值\t原因" and copied[1].startswith("人口\t3\t出生日期\t1988-13-40\t")
