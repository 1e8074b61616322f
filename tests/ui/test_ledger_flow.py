"""One birth entered on a card, by keyboard, shows up in every ledger at once; search finds people by pinyin."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fpdesk import services
from tests.conftest import TODAY
from tests.ui.conftest import focused, press, type_text
from ui.forms import BirthDialog
from ui.main_window import MainWindow
from ui.pages.board import BoardPage
from ui.pages.cards import CardsPage
from ui.pages.registers import RegistersPage
from ui.pages.report import ReportPage


@pytest.fixture
def window(qtbot, session):
    """双河村 with 张伟 and 李娜 (married, no children) and 王芳, on 2026-11-23, the main window on the cards."""
    services.register_household(session.conn, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶"},
    ])
    services.register_household(session.conn, number="002", group="二组", today=TODAY, members=[
        {"name": "王芳", "sex": "女", "birth_date": "1985-01-09", "relation": "户主", "marital_status": "初婚",
         "first_marriage_date": "2008-01-01"},
    ])
    ids = dict(session.conn.execute("SELECT name, id FROM person").fetchall())
    services.record_marriage(session.conn, person=ids["李娜"], spouse=ids["张伟"], date="2020-05-01", today=TODAY)
    session.today = TODAY
    session.period = "2026-11"
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    win.nav.setCurrentRow(win.pages.index(win.page(CardsPage)))
    return win


def card_names(window) -> list[str]:
    cards = window.page(CardsPage)
    return [cards.list.proxy.index(r, 2).data() for r in range(cards.list.proxy.rowCount())]


def test_a_birth_entered_on_a_card_by_keyboard_appears_in_every_ledger(qtbot, window, session) -> None:
    board = window.page(BoardPage)
    board.refresh_if_stale()
    births_before = board.current.births
    cards = window.page(CardsPage)
    cards.show_person(session.conn.execute("SELECT id FROM person WHERE name = '李娜'").fetchone()[0])

    qtbot.keyClick(window, Qt.Key.Key_F2)                        # 出生登记, for the woman on the card
    dialog = window.dialog
    assert isinstance(dialog, BirthDialog)
    qtbot.waitUntil(lambda: focused() is not None and dialog.isAncestorOf(focused()))
    assert dialog.value("mother") == cards.person_id
    type_text(qtbot, "张小红")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "4201022026")                            # a typo: only 10 digits
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "nn")                                    # 女
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "20261105")
    press(qtbot, Qt.Key.Key_Return)
    # refused at the field, with its message; nothing written
    id_input = dialog.inputs["id_number"]
    assert id_input.has_error and "18位" in id_input.field_error.text() and id_input.field_error.isVisible()
    assert session.conn.execute("SELECT count(*) FROM birth").fetchone()[0] == 0
    assert dialog.isVisible()

    id_input.setFocus()
    id_input.selectAll()
    press(qtbot, Qt.Key.Key_Delete)                           # no ID number yet for a newborn
    with qtbot.waitSignal(session.changed, timeout=2000):
        press(qtbot, Qt.Key.Key_Return)

    # the card
    assert "张小红" in cards.card.toPlainText()
    # the births register
    registers = window.page(RegistersPage)
    window.nav.setCurrentRow(window.pages.index(registers))
    registers.tabs.setCurrentIndex(1)
    births = registers.tables[1]
    assert [births.model.record(r).child_name for r in range(births.model.rowCount())] == ["张小红"]
    # the month's change report, part 2
    report = window.page(ReportPage)
    window.nav.setCurrentRow(window.pages.index(report))
    assert [r.child_name for r in report.report.birth_rows] == ["张小红"]
    assert report.report.table.births.total == 1
    # the board
    window.nav.setCurrentRow(window.pages.index(board))
    assert board.current.births == births_before + 1 and board.current.births_female == 1


def test_pinyin_initials_find_a_woman(qtbot, window) -> None:
    assert card_names(window) == ["李娜", "王芳"]
    window.context.search.setFocus()
    qtbot.keyClicks(window.context.search, "wf")
    assert card_names(window) == ["王芳"]
    window.context.search.clear()
    qtbot.keyClicks(window.context.search, "ln")
    assert card_names(window) == ["李娜"]
