"""登记户 / 整户迁入: the household editor with its member grid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from fpdesk import services
from fpdesk.codes import Change
from tests.conftest import TODAY, file_content
from tests.ui.conftest import focused, press, show_dialog, type_text
from ui.forms import HouseholdDialog, HouseholdMoveInDialog

HUSBAND_ID = "420102199003020011"   # a man born 1990-03-02 (valid check digit)
WIFE_ID = "420102199205030127"      # a woman born 1992-05-03


def members(session) -> list[tuple]:
    return [tuple(r) for r in session.conn.execute(
        "SELECT p.name, p.sex, p.birth_date, p.relation, p.ethnicity, h.number FROM person p"
        " JOIN household h ON h.id = p.household_id ORDER BY p.id")]


def fill_row(qtbot, row, *, name: str, id_number: str = "", **values) -> None:
    row.inputs["name"].setFocus()
    type_text(qtbot, name)
    if id_number:
        row.inputs["id_number"].setFocus()
        type_text(qtbot, id_number)
    for col, value in values.items():
        row.inputs[col].set_value(value)


def test_a_household_is_entered_row_by_row_with_the_keyboard(qtbot, session) -> None:
    dialog = show_dialog(qtbot, HouseholdDialog(session, today=TODAY))
    assert dialog.value("number") == "001"                         # the next free number
    assert focused() is dialog.inputs["group"]
    type_text(qtbot, "yz")                                          # 一组
    press(qtbot, Qt.Key.Key_Tab, 3)                                 # past address and move-in date
    first = dialog.member_rows[0]
    assert focused() is first.inputs["name"] and first.inputs["relation"].currentText() == "户主"
    type_text(qtbot, "张伟")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, HUSBAND_ID)                                     # fills birth date and sex
    press(qtbot, Qt.Key.Key_Tab, 4)                                 # sex, birth date, relation, ethnicity
    assert focused() is first.inputs["ethnicity"]
    type_text(qtbot, "hz")
    qtbot.keyClick(focused(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)   # 添加成员
    second = dialog.member_rows[1]
    assert focused() is second.inputs["name"]
    assert second.inputs["ethnicity"].value() == "01"               # copied from the row above
    type_text(qtbot, "李娜")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, WIFE_ID)
    press(qtbot, Qt.Key.Key_Tab, 3)
    type_text(qtbot, "po")                                          # 配偶
    with qtbot.waitSignal(session.changed, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert members(session) == [("张伟", "1", "1990-03-02", "01", "01", "001"),
                                ("李娜", "2", "1992-05-03", "02", "01", "001")]
    group = session.conn.execute("SELECT g.name FROM household h JOIN village_group g ON g.id = h.group_id")
    assert group.fetchone()[0] == "一组"


def test_a_bad_member_row_shows_the_error_on_that_row(qtbot, session) -> None:
    dialog = show_dialog(qtbot, HouseholdDialog(session, today=TODAY))
    fill_row(qtbot, dialog.member_rows[0], name="张伟", id_number=HUSBAND_ID)
    dialog.add_member()                                             # left empty: skipped
    third = dialog.add_member()
    fill_row(qtbot, third, name="张小明")                           # no sex, no birth date
    before = file_content(session.conn)
    dialog.save()                                                   # the core says members[1].sex: the 3rd row
    cell = third.inputs["sex"]
    assert cell.property("status") == "error" and focused() is cell
    assert third.error.isVisibleTo(dialog) and third.error.text().startswith("✖ 第 3 行：")
    assert "性别" in third.error.text()
    assert not dialog.member_rows[0].error.isVisibleTo(dialog)
    assert dialog.isVisible() and file_content(session.conn) == before
    cell.set_value("男")
    third.inputs["birth_date"].set_value("2016-03-01")
    assert cell.property("status") is None                          # the clerk fixed it
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    assert [m[0] for m in members(session)] == ["张伟", "张小明"]


def test_an_impossible_date_in_a_row_is_caught_at_its_cell(qtbot, session) -> None:
    dialog = show_dialog(qtbot, HouseholdDialog(session, today=TODAY))
    row = dialog.member_rows[0]
    fill_row(qtbot, row, name="张伟", sex="男")
    row.inputs["birth_date"].setFocus()
    type_text(qtbot, "1990-02-30")
    press(qtbot, Qt.Key.Key_Return)
    assert row.inputs["birth_date"].property("status") == "error" and focused() is row.inputs["birth_date"]
    assert "第 1 行" in row.error.text() and "不是有效日期" in row.error.text()
    assert members(session) == []


def test_rows_are_removed_with_ctrl_delete(qtbot, session) -> None:
    dialog = show_dialog(qtbot, HouseholdDialog(session, today=TODAY))
    fill_row(qtbot, dialog.member_rows[0], name="张伟", id_number=HUSBAND_ID)
    second = dialog.add_member(focus=True)
    type_text(qtbot, "多余")
    qtbot.keyClick(focused(), Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert dialog.member_rows == [dialog.member_rows[0]] and second not in dialog.member_rows
    assert focused() is dialog.member_rows[0].inputs["name"]
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    assert [m[0] for m in members(session)] == ["张伟"]


def test_a_household_needs_a_member_and_a_free_number(qtbot, session) -> None:
    services.register_household(session.conn, number="001", today=TODAY, members=[{"name": "甲", "sex": "男",
                                                                                   "birth_date": "1980-01-01"}])
    dialog = show_dialog(qtbot, HouseholdDialog(session, today=TODAY, number="002"))
    dialog.save()
    assert "至少要有一名成员" in dialog.members_error.text()
    assert focused() is dialog.member_rows[0].inputs["name"]
    fill_row(qtbot, dialog.member_rows[0], name="张伟", id_number=HUSBAND_ID)
    dialog.inputs["number"].set_value("001")
    dialog.save()
    assert "已存在" in dialog.inputs["number"].field_error.text() and focused() is dialog.inputs["number"]


def test_a_whole_household_moving_in_needs_its_date(qtbot, session) -> None:
    dialog = show_dialog(qtbot, HouseholdMoveInDialog(session, today=TODAY, group=1,
                                                      members=[{"name": "陈军", "sex": "男", "relation": "户主",
                                                                "birth_date": "1985-01-01"},
                                                               {"name": "陈芳", "id_number": WIFE_ID}]))
    dialog.save()
    assert "迁入日期" in dialog.inputs["moved_in"].field_error.text()
    dialog.inputs["moved_in"].set_value("2026/11/12")
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    events = session.conn.execute("SELECT change_type, occurred_date FROM change_event").fetchall()
    assert [tuple(e) for e in events] == [(Change.MOVE_IN, "2026-11-12")] * 2
