"""The score panel: live after an edit on a card, under each scheme, and the clerk's own assessment."""

from __future__ import annotations

import pytest

from fpdesk import services
from fpdesk.score import builtin_schemes
from tests.conftest import TODAY
from tests.test_indicators import build_village
from ui.assess_ui import AssessmentDialog
from ui.forms import CorrectionDialog
from ui.main_window import MainWindow
from ui.pages.cards import CardsPage


@pytest.fixture
def window(qtbot, session):
    build_village(session.conn)
    services.set_setting(session.conn, key="score_scheme", value="village_2026_example", today=TODAY)
    services.set_setting(session.conn, key="score_period", value="2026-09", today=TODAY)
    session.today = TODAY
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    return win


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
