"""出生登记: entered with the keyboard alone, checked at the field, saved into the village file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from fpdesk import services
from fpdesk.errors import LockedPeriodError
from fpdesk.idnumber import make_id_number
from tests.conftest import TODAY, file_content
from tests.ui.conftest import focused, press, show_dialog, type_text
from ui.forms import BirthDialog


@dataclass(frozen=True)
class Family:
    husband: int
    wife: int


@pytest.fixture
def family(session) -> Family:
    """张伟 and 李娜 (married 2020, no children yet) in household 001."""
    services.register_household(session.conn, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶"},
    ])
    ids = dict(session.conn.execute("SELECT name, id FROM person").fetchall())
    services.record_marriage(session.conn, person=ids["李娜"], spouse=ids["张伟"], date="2020-05-01", today=TODAY)
    return Family(ids["张伟"], ids["李娜"])


def births(session) -> list[tuple]:
    return [tuple(r) for r in session.conn.execute(
        "SELECT child_name, child_sex, birth_date, birth_order, policy_status, blood_relation, health FROM birth")]


def open_birth(qtbot, session, **prefill) -> BirthDialog:
    return show_dialog(qtbot, BirthDialog(session, today=TODAY, **prefill))


def test_a_birth_entered_without_the_mouse_is_saved(qtbot, session, family) -> None:
    dialog = open_birth(qtbot, session)
    emitted = []
    session.changed.connect(emitted.append)
    assert focused() is dialog.inputs["mother"]
    type_text(qtbot, "ln")                       # pinyin initials of 李娜
    press(qtbot, Qt.Key.Key_Return)              # takes the first line of the list
    assert dialog.value("mother") == family.wife
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "张小红")                    # through the input method, as from a pinyin IME
    press(qtbot, Qt.Key.Key_Tab, 2)              # past the (empty) ID number to the sex
    type_text(qtbot, "nn")                       # n → 男, n again → 女
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "20261105")
    press(qtbot, Qt.Key.Key_Tab)
    assert dialog.inputs["birth_date"].text() == "2026-11-05"      # normalised on leaving the field
    assert dialog.value("birth_order") == 1                          # suggested: her first child
    assert dialog.value("policy_status") == "1"                      # suggested from the 2026 policy
    with qtbot.waitSignal(session.changed, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    assert emitted and len(emitted) == 1
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert births(session) == [("张小红", "2", "2026-11-05", 1, "1", "1", "1")]
    child = session.conn.execute("SELECT household_id, relation FROM person WHERE name = '张小红'").fetchone()
    assert child["relation"] == "04"             # 女 of the head's wife
    assert session.snapshot.births_of[family.wife][0].child_name == "张小红"


def fill_minimum(qtbot, dialog: BirthDialog, *, date: str) -> None:
    dialog.inputs["child_name"].setFocus()
    type_text(qtbot, "张小红")
    dialog.inputs["sex"].set_value("2")
    dialog.inputs["birth_date"].setFocus()
    type_text(qtbot, date)


def test_an_invalid_date_is_shown_red_at_the_field_and_nothing_is_saved(qtbot, session, family) -> None:
    dialog = open_birth(qtbot, session, mother=family.wife)
    before = file_content(session.conn)
    fill_minimum(qtbot, dialog, date="2026-13-01")
    press(qtbot, Qt.Key.Key_Return)
    date = dialog.inputs["birth_date"]
    assert date.field_error.isVisibleTo(dialog) and "不是有效日期" in date.field_error.text()
    assert date.field_error.text().startswith("✖") and date.property("status") == "error"
    assert focused() is date
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert file_content(session.conn) == before


def test_leaving_an_invalid_date_marks_it_at_once(qtbot, session, family) -> None:
    dialog = open_birth(qtbot, session, mother=family.wife)
    dialog.inputs["birth_date"].setFocus()
    type_text(qtbot, "2026-02-30")
    press(qtbot, Qt.Key.Key_Tab)
    assert dialog.inputs["birth_date"].property("status") == "error"
    assert dialog.inputs["birth_date"].field_error.isVisibleTo(dialog)


@pytest.mark.parametrize("typed", ["2026-11-05", "2026/11/05", "20261105", "2026.11.5", "2026/11/5"])
def test_the_clerks_date_forms_are_read_and_shown_as_iso(qtbot, session, family, typed) -> None:
    dialog = open_birth(qtbot, session, mother=family.wife)
    dialog.inputs["birth_date"].setFocus()
    type_text(qtbot, typed)
    press(qtbot, Qt.Key.Key_Tab)
    assert dialog.inputs["birth_date"].text() == "2026-11-05"
    assert dialog.inputs["birth_date"].property("status") is None


@pytest.mark.parametrize(("case", "field", "words"), [
    # the core refuses a birth after the entry day; it is shown at the birth date, not in a box
    ("future", "birth_date", "晚于录入日期"),
    # a required name left empty
    ("no name", "child_name", "不能为空"),
])
def test_the_cores_refusal_is_shown_at_the_field_it_names(qtbot, session, family, case, field, words) -> None:
    dialog = open_birth(qtbot, session, mother=family.wife)
    before = file_content(session.conn)
    fill_minimum(qtbot, dialog, date="2026-12-20" if case == "future" else "2026-11-05")
    if case == "no name":
        dialog.inputs["child_name"].clear()
    press(qtbot, Qt.Key.Key_Return)
    widget = dialog.inputs[field]
    assert words in widget.field_error.text() and widget.property("status") == "error"
    assert focused() is widget
    assert not dialog.message.isVisible()
    assert file_content(session.conn) == before


def test_a_typed_id_number_fills_birth_date_and_sex(qtbot, session, family) -> None:
    dialog = open_birth(qtbot, session, mother=family.wife)
    number = make_id_number(region="420102", birth_date=dt.date(2026, 11, 5), sequence=12, sex="1")
    dialog.inputs["id_number"].setFocus()
    type_text(qtbot, number)
    assert dialog.inputs["birth_date"].text() == "2026-11-05"
    assert dialog.value("sex") == "1" and dialog.inputs["sex"].currentText() == "男"
    assert not dialog.inputs["id_number"].field_error.isVisibleTo(dialog)


def test_an_id_number_does_not_overwrite_what_was_typed(qtbot, session, family) -> None:
    dialog = open_birth(qtbot, session, mother=family.wife)
    dialog.inputs["sex"].set_value("2")
    dialog.inputs["id_number"].setFocus()
    type_text(qtbot, make_id_number(region="420102", birth_date=dt.date(2026, 11, 5), sequence=12, sex="1"))
    assert dialog.value("sex") == "2"
    assert dialog.inputs["birth_date"].text() == "2026-11-05"


def test_a_wrong_check_digit_is_an_amber_warning_and_still_saves(qtbot, session, family) -> None:
    dialog = open_birth(qtbot, session, mother=family.wife)
    good = make_id_number(region="420102", birth_date=dt.date(2026, 11, 5), sequence=12, sex="2")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    dialog.inputs["child_name"].setFocus()
    type_text(qtbot, "张小红")
    dialog.inputs["id_number"].setFocus()
    type_text(qtbot, bad)
    warning = dialog.inputs["id_number"].field_error
    assert warning.isVisibleTo(dialog) and "校验位" in warning.text() and warning.text().startswith("⚠")
    assert dialog.inputs["id_number"].property("status") == "warning"
    with qtbot.waitSignal(session.changed, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    row = session.conn.execute("SELECT id_number, birth_date, sex FROM person WHERE name = '张小红'").fetchone()
    assert tuple(row) == (bad, "2026-11-05", "2")


def test_order_and_policy_are_suggested_but_the_clerks_choice_stays(qtbot, session, family) -> None:
    services.record_birth(session.conn, mother=family.wife, child_name="张一", sex="男", birth_date="2021-03-01",
                          today=TODAY)
    services.record_birth(session.conn, mother=family.wife, child_name="张二", sex="女", birth_date="2023-03-01",
                          today=TODAY)
    dialog = open_birth(qtbot, session, mother=family.wife)
    assert dialog.value("birth_order") == 3
    assert "张一" in dialog.notes["mother"].text() and "张伟" in dialog.notes["mother"].text()
    dialog.inputs["birth_date"].set_value("2026-11-05")
    assert dialog.value("policy_status") == "1" and "第 3 孩" in dialog.notes["policy_status"].text()
    dialog.inputs["policy_status"].set_value("政策外")            # the clerk decides
    dialog.inputs["birth_date"].set_value("2026-11-06")
    assert dialog.value("policy_status") == "2"
    fill_minimum(qtbot, dialog, date="")
    with qtbot.waitSignal(session.changed, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    assert births(session)[-1] == ("张小红", "2", "2026-11-06", 3, "2", "1", "1")


def test_the_mother_list_has_only_women_and_tells_namesakes_apart(qtbot, session, family) -> None:
    services.register_household(session.conn, number="007", group="二组", today=TODAY, members=[
        {"name": "李娜", "sex": "女", "birth_date": "1988-08-08", "relation": "户主"},
    ])
    dialog = open_birth(qtbot, session)
    picker = dialog.inputs["mother"]
    assert [c.display for c in picker.find("李娜")] == ["李娜 · 户001 · 1992-05-03", "李娜 · 户007 · 1988-08-08"]
    assert picker.find("张伟") == []                                # a man cannot be a mother
    assert [c.id for c in picker.find("420102199205030127")] == [family.wife]
    assert len(picker.find("007")) == 1                             # by household number
    type_text(qtbot, "李娜")
    press(qtbot, Qt.Key.Key_Escape)                                 # closes the list only
    press(qtbot, Qt.Key.Key_Tab)
    assert picker.value() is None and "有 2 人符合" in picker.field_error.text()
    assert dialog.isVisible()


def test_enter_does_not_pick_one_of_two_namesakes_unseen(qtbot, session, family) -> None:
    services.register_household(session.conn, number="007", group="二组", today=TODAY, members=[
        {"name": "李娜", "sex": "女", "birth_date": "1988-08-08", "relation": "户主"},
    ])
    dialog = open_birth(qtbot, session, child_name="张小红", sex="女", birth_date="2026-11-05")
    before = file_content(session.conn)
    dialog.inputs["mother"].setFocus()
    type_text(qtbot, "李娜")
    press(qtbot, Qt.Key.Key_Escape)                                 # the list is closed ...
    press(qtbot, Qt.Key.Key_Return)                                 # ... so Enter saves, and nobody is guessed
    picker = dialog.inputs["mother"]
    assert picker.value() is None and "有 2 人符合" in picker.field_error.text() and focused() is picker
    assert file_content(session.conn) == before
    picker.setText("")
    type_text(qtbot, "李娜")
    press(qtbot, Qt.Key.Key_Down)                                   # the clerk picks the second line
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert picker.text() == "李娜 · 户007 · 1988-08-08"
    with qtbot.waitSignal(session.changed, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    assert session.conn.execute("SELECT p.birth_date FROM birth b JOIN person p ON p.id = b.mother_id"
                                ).fetchone()[0] == "1988-08-08"


def test_escape_cancels_and_saves_nothing(qtbot, session, family) -> None:
    dialog = open_birth(qtbot, session, mother=family.wife)
    before = file_content(session.conn)
    fill_minimum(qtbot, dialog, date="2026-11-05")
    press(qtbot, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
    assert file_content(session.conn) == before


def test_a_locked_month_is_said_at_the_top_of_the_dialog(qtbot, session, family, monkeypatch) -> None:
    def locked(conn, **kwargs):
        raise LockedPeriodError("2026-10")

    monkeypatch.setattr(BirthDialog, "service", locked)
    dialog = open_birth(qtbot, session, mother=family.wife)
    fill_minimum(qtbot, dialog, date="2026-10-20")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.message.isVisibleTo(dialog) and "2026年10月已报送并锁定" in dialog.message.text()
    assert dialog.isVisible()
