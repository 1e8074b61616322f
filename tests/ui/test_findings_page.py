"""问题清单: the count in the navigation, a double-click opens the field, a correction clears it at once."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from fpdesk import services
from tests.conftest import TODAY
from ui.forms import CorrectionDialog
from ui.main_window import MainWindow
from ui.pages.findings import FINDING_ROLE, FindingsPage


@pytest.fixture
def window(qtbot, session):
    """A married woman whose first-marriage date is missing (rule M002), nothing else wrong with her."""
    services.register_household(session.conn, number="001", group="一组", today=TODAY, members=[
        {"name": "王芳", "id_number": "420102199205030127", "relation": "户主", "marital_status": "初婚",
         "ethnicity": "汉族", "hukou": "农业", "education": "初中"},
    ])
    session.today = TODAY
    win = MainWindow(session)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.opened, timeout=5000):  # the check runs once the window is on screen
        win.show()
    win.nav.setCurrentRow(win.pages.index(win.page(FindingsPage)))
    return win


def leaves(page: FindingsPage):
    out = []
    for i in range(page.tree.topLevelItemCount()):
        top = page.tree.topLevelItem(i)
        for j in range(top.childCount()):
            group = top.child(j)
            out += [group.child(k) for k in range(group.childCount())]
    return out


def m002(page: FindingsPage):
    return next(item for item in leaves(page) if item.data(0, FINDING_ROLE).code == "M002")


def badge(window) -> str:
    return window.nav.item(window.pages.index(window.page(FindingsPage))).text()


def test_a_finding_opens_at_its_field_and_a_correction_clears_it(qtbot, window, session) -> None:
    page = window.page(FindingsPage)
    item = m002(page)
    assert item.text(1) == "王芳" and item.text(2) == "初婚日期" and "初婚日期为空" in item.text(0)
    count_before = int(badge(window).split("(")[1].rstrip(")"))
    page.tree.setCurrentItem(item)
    page.tree.itemActivated.emit(item, 0)                     # double-click / Enter
    dialog = window.dialog
    assert isinstance(dialog, CorrectionDialog)
    assert (dialog.value("table"), dialog.value("field")) == ("person", "first_marriage_date")
    dialog.inputs["value"].set_value("2014-10-01")
    with qtbot.waitSignal(session.changed, timeout=2000):
        dialog.save()
    assert session.conn.execute("SELECT first_marriage_date FROM person").fetchone()[0] == "2014-10-01"
    assert all(i.data(0, FINDING_ROLE).code != "M002" for i in leaves(page))
    assert badge(window) == (f"问题清单 ({count_before - 1})" if count_before > 1 else "问题清单 ✔")


def test_a_confirmed_exception_stays_listed_and_marked(qtbot, window, session, monkeypatch) -> None:
    page = window.page(FindingsPage)
    page.tree.setCurrentItem(m002(page))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("户口本上无初婚日期，已上报派出所核实", True))
    page.confirm_current()
    item = m002(page)
    assert item.text(5) == "✔ 已确认例外：户口本上无初婚日期，已上报派出所核实"
    assert "已确认例外 1 条" in page.summary.text()
    page.tree.setCurrentItem(item)
    page.withdraw_current()
    assert m002(page).text(5) == "✖ 待更正"
