"""The score panel: live after an edit on a card, under each scheme, and the clerk's own assessment."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject

from fpdesk import services
from fpdesk.score import builtin_schemes, village_score
from tests.conftest import TODAY
from tests.test_indicators import build_village
from ui.assess_ui import AssessmentDialog
from ui.forms import CorrectionDialog
from ui.main_window import MainWindow
from ui.pages.cards import CardsPage
from ui.pages.findings import FindingsPage, open_counts
from ui.score_panel import _pts


@pytest.fixture
def window(qtbot, session):
    build_village(session.conn)
    services.set_setting(session.conn, key="score_scheme", value="village_2026_example", today=TODAY)
    services.set_setting(session.conn, key="score_period", value="2026-09", today=TODAY)
    session.today = TODAY
    win = MainWindow(session)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.opened, timeout=5000):  # the check runs once the window is on screen
        win.show()
    return win


def scored_village(session) -> None:
    build_village(session.conn)
    services.set_setting(session.conn, key="score_scheme", value="village_2026_example", today=TODAY)
    services.set_setting(session.conn, key="score_period", value="2026-09", today=TODAY)
    session.today = TODAY


class PaintSpy(QObject):
    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self.seen = seen

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and "painted" not in self.seen:
            self.seen.append("painted")
        return False


def test_the_window_is_painted_first_and_the_score_shown_right_after(qtbot, session, tmp_path) -> None:
    scored_village(session)
    win = MainWindow(session)
    qtbot.addWidget(win)
    panel, nav = win.score_panel, win.nav.item(win.pages.index(win.page(FindingsPage)))
    # until the check is done the panel says so, with no number that could be taken for the score
    assert panel.sheet is None and panel.total.text() == "正在计算…"
    assert not any(ch.isdigit() for ch in panel.total.text() + panel.scheme.text())
    assert panel.tree.topLevelItemCount() == 0 and nav.text() == "问题清单 …"
    assert not panel.grab().isNull()
    seen: list[str] = []
    spy = PaintSpy(seen)
    win.installEventFilter(spy)
    win.opened.connect(lambda: seen.append("checked"))
    win.show()
    assert panel.sheet is None                                   # showing it computes nothing yet
    with qtbot.waitSignal(win.opened, timeout=5000):
        pass
    assert seen == ["painted", "checked"]                        # the clerk sees the window before the check
    expected = village_score(session.snapshot, findings=session.findings)
    assert panel.total.text() == f"{_pts(expected.total)} / {_pts(expected.maximum)}"
    assert panel.tree.topLevelItemCount() == len(expected.articles)
    errors, warnings, _ = open_counts(session.findings, session.snapshot.exceptions)
    assert errors + warnings > 0 and nav.text() == f"问题清单 ({errors + warnings})"


def test_an_edit_before_the_first_check_is_in_the_score(qtbot, session) -> None:
    scored_village(session)
    win = MainWindow(session)
    qtbot.addWidget(win)
    li_na = session.conn.execute("SELECT id FROM person WHERE name = '李娜'").fetchone()[0]
    session.apply(services.correct_field, table="person", record=li_na, field="education", value="20")
    assert win.score_panel.sheet is not None and win.score_panel.change.text() == ""  # nothing to compare with
    with qtbot.waitSignal(win.opened, timeout=5000):
        win.show()
    expected = village_score(session.snapshot, findings=session.findings)
    assert win.score_panel.sheet.total == expected.total


def test_correcting_one_error_on_a_card_raises_the_total_at_once(qtbot, window, session) -> None:
    panel = window.score_panel
    before = panel.sheet.total
    li_na = session.conn.execute("SELECT id FROM person WHERE name = '李娜'").fetchone()[0]
    cards = window.page(CardsPage)
    window.nav.setCurrentRow(window.pages.index(cards))
    cards.show_person(li_na)
    correct = next(a for a in cards.actions_bar.actions() if a.text() == "更正")
    correct.trigger()                                            # 更正 on her card
    dialog = window.dialog
    assert isinstance(dialog, CorrectionDialog) and dialog.value("record") == li_na
    dialog.inputs["field"].set_value("education")
    dialog.inputs["value"].set_value("20")                        # 大学本科
    with qtbot.waitSignal(session.changed, timeout=3000):
        dialog.save()
    # nothing else done: the panel already shows the new total and what the edit changed
    assert panel.sheet.total == pytest.approx(before + 0.1)
    assert panel.change.text() == "▲ +0.1（刚才的修改）"
    assert panel.total.text().startswith(f"{panel.sheet.total:g}".rstrip("0").rstrip("."))


def test_the_panel_scores_under_each_shipped_scheme(qtbot, window, session) -> None:
    panel = window.score_panel
    seen = {}
    for scheme in builtin_schemes():
        panel.picker.setCurrentIndex(panel.picker.findData(scheme.key))
        assert session.snapshot.settings["score_scheme"] == scheme.key
        panel.refresh()
        seen[scheme.key] = (panel.sheet.scheme_key, panel.sheet.maximum)
        assert panel.tree.topLevelItemCount() == len(panel.sheet.articles)
    assert seen == {s.key: (s.key, 100) for s in builtin_schemes()}


def test_the_clerk_assesses_a_qualitative_item(qtbot, window, session) -> None:
    panel = window.score_panel
    panel.picker.setCurrentIndex(panel.picker.findData("village_2006"))
    item = panel.sheet.item("8.2")
    assert item.assessed is False
    scheme = next(s for s in builtin_schemes() if s.key == "village_2006")
    dialog = AssessmentDialog(session, scheme, panel.sheet.period, scheme.item("8.2"))
    qtbot.addWidget(dialog)
    next(iter(dialog.points.values())).setValue(0.5)
    dialog.save()
    assert "须填写说明" in dialog.message.text()                      # a loss needs its reason
    dialog.note.setText("协会活动记录不全")
    dialog.save()
    assert panel.sheet.item("8.2").points == 0.5 and panel.sheet.item("8.2").assessed is True
