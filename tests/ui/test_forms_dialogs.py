"""The other entry dialogs: codes picked by label, marriage with an outside spouse, measures, corrections, and
the registry the main window builds its 登记 menu from."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from fpdesk import codes, services
from tests.conftest import TODAY, file_content
from tests.ui.conftest import focused, press, show_dialog, type_text
from ui.forms import (
    CHANGE_DIALOGS, BirthDialog, CorrectionDialog, MarriageDialog, MeasureDialog, PregnancyOutcomeDialog,
    ServiceRecordDialog,
)
from ui.forms.combos import CodeInput


@dataclass(frozen=True)
class People:
    husband: int
    wife: int
    single: int


@pytest.fixture
def people(session) -> People:
    """张伟 and 李娜 married, with an IUD since 2021; 王芳 single in household 002."""
    conn = session.conn
    services.register_household(conn, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶", "education": "初中"},
    ])
    services.register_household(conn, number="002", group="二组", today=TODAY, members=[
        {"name": "王芳", "sex": "女", "birth_date": "1998-07-01", "relation": "户主"},
    ])
    ids = dict(conn.execute("SELECT name, id FROM person").fetchall())
    services.record_marriage(conn, person=ids["李娜"], spouse=ids["张伟"], date="2020-05-01", today=TODAY)
    services.start_measure(conn, person=ids["李娜"], method="700", start_date="2021-06-01", today=TODAY)
    return People(ids["张伟"], ids["李娜"], ids["王芳"])


# ---- codes are picked by their Chinese label ---------------------------------------------------------------

@pytest.mark.parametrize(("table", "typed", "code"), [
    ("ethnicity", "hz", "01"),        # pinyin initials: 汉族
    ("ethnicity", "汉", "01"),         # the Chinese itself, through the input method
    ("ethnicity", "zz", "08"),        # 壮族
    ("method", "gn", "700"),          # 宫内节育器
    ("method", "wby", "000"),         # 未避孕
    ("sex", "n", "1"),                # 男 ...
    ("sex", "nn", "2"),               # ... and the same letter again steps on to 女
    ("no_measure_reason", "dy", "A10"),   # 待孕
])
def test_a_code_is_found_by_typing_and_stored_as_its_code(qtbot, table, typed, code) -> None:
    combo = CodeInput(table, blank=True)
    qtbot.addWidget(combo)
    combo.show()
    combo.setFocus()
    qtbot.waitUntil(lambda: focused() is combo)
    type_text(qtbot, typed)
    assert combo.value() == code
    assert combo.currentText() == codes.label(table, code)


def test_a_code_list_shows_chinese_labels_not_numbers(qtbot) -> None:
    combo = CodeInput("method", blank=False)
    qtbot.addWidget(combo)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels == list(codes.table("method").values())
    assert not any(ch.isdigit() for label in labels for ch in label)
    assert combo.value() is None and combo.placeholderText() == "请选择"


def test_the_policy_combo_stores_the_code_of_the_label_picked(qtbot, session, people) -> None:
    dialog = show_dialog(qtbot, BirthDialog(session, today=TODAY, mother=people.wife, child_name="张小红", sex="女",
                                            birth_date="2026-11-05"))
    dialog.inputs["policy_status"].setFocus()
    type_text(qtbot, "zcw")                                       # 政策外
    assert dialog.inputs["policy_status"].currentText() == "政策外"
    with qtbot.waitSignal(session.changed, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    assert session.conn.execute("SELECT policy_status FROM birth").fetchone()[0] == "2"


# ---- marriage ------------------------------------------------------------------------------------------------

def test_a_marriage_with_an_outside_spouse(qtbot, session, people) -> None:
    dialog = show_dialog(qtbot, MarriageDialog(session, today=TODAY, person=people.single))
    assert focused() is dialog.inputs["date"]
    type_text(qtbot, "2026/11/08")
    press(qtbot, Qt.Key.Key_Tab, 2)                                # past the village-spouse picker, left empty
    assert focused() is dialog.inputs["spouse_info.spouse_name"]
    type_text(qtbot, "刘强")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "420102199001010011")                        # fills the spouse's birth date
    assert dialog.inputs["spouse_info.spouse_birth_date"].text() == "1990-01-01"
    press(qtbot, Qt.Key.Key_Tab, 2)
    type_text(qtbot, "hz")                                        # 民族 汉族
    press(qtbot, Qt.Key.Key_Tab, 2)
    type_text(qtbot, "ny")                                        # 户口性质 农业
    with qtbot.waitSignal(session.changed, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    m = session.conn.execute("SELECT * FROM marriage WHERE person_id = ?", (people.single,)).fetchone()
    assert (m["spouse_id"], m["spouse_name"], m["spouse_id_number"], m["spouse_birth_date"], m["spouse_ethnicity"],
            m["spouse_hukou"], m["kind"], m["start_date"]) == (
        None, "刘强", "420102199001010011", "1990-01-01", "01", "1", "21", "2026-11-08")


def test_a_spouse_of_the_village_turns_the_outside_spouse_off(qtbot, session, people) -> None:
    services.record_divorce(session.conn, person=people.wife, date="2026-01-05", today=TODAY)
    dialog = show_dialog(qtbot, MarriageDialog(session, today=TODAY, person=people.wife, date="2026-11-08"))
    spouse = dialog.inputs["spouse"]
    assert [c.id for c in spouse.find("zw")] == [people.husband]
    assert spouse.find("王芳") == []                               # the same sex is not offered
    spouse.set_value(people.husband)
    assert not dialog.is_active("spouse_info.spouse_name")
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    kinds = session.conn.execute("SELECT kind FROM marriage WHERE start_date = '2026-11-08'").fetchall()
    assert sorted(r[0] for r in kinds) == ["23", "23"]             # 复婚 for both


def test_a_marriage_without_any_spouse_asks_for_the_name(qtbot, session, people) -> None:
    dialog = show_dialog(qtbot, MarriageDialog(session, today=TODAY, person=people.single, date="2026-11-08"))
    before = file_content(session.conn)
    dialog.save()
    name = dialog.inputs["spouse_info.spouse_name"]
    assert "配偶姓名" in name.field_error.text() and focused() is name
    assert file_content(session.conn) == before


# ---- contraception ---------------------------------------------------------------------------------------------

def test_the_no_measure_reason_is_only_open_for_no_measure(qtbot, session, people) -> None:
    dialog = show_dialog(qtbot, MeasureDialog(session, today=TODAY, person=people.wife))
    assert "宫内节育器" in dialog.notes["person"].text()             # her current measure
    assert not dialog.is_active("no_measure_reason")
    for method, open_ in (("000", True), ("810", False), ("000", True)):
        dialog.inputs["method"].set_value(method)
        assert dialog.is_active("no_measure_reason") is open_
    dialog.inputs["no_measure_reason"].set_value("A10")
    dialog.inputs["method"].set_value("600")
    assert dialog.value("no_measure_reason") is None               # cleared when closed


def test_stopping_a_measure_needs_the_reason(qtbot, session, people) -> None:
    dialog = show_dialog(qtbot, MeasureDialog(session, today=TODAY, person=people.wife, method="000",
                                              start_date="2026-11-10", reason="取环"))
    dialog.save()
    reason = dialog.inputs["no_measure_reason"]
    assert "未避孕原因" in reason.field_error.text() and focused() is reason
    reason.set_value("待孕")
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    rows = session.conn.execute("SELECT method, end_date, no_measure_reason FROM measure ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [("700", "2026-11-10", None), ("000", None, "A10")]


def test_supplies_item_and_quantity_are_only_open_for_supplies(qtbot, session, people) -> None:
    dialog = show_dialog(qtbot, ServiceRecordDialog(session, today=TODAY, person=people.wife))
    assert not dialog.is_active("item") and not dialog.is_active("quantity")
    dialog.inputs["kind"].set_value("药具发放")
    assert dialog.is_active("item") and dialog.is_active("quantity")
    dialog.inputs["date"].set_value("2026-11-10")
    dialog.inputs["item"].set_value("避孕套")
    dialog.inputs["quantity"].set_value(20)
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    assert tuple(session.conn.execute("SELECT kind, item, quantity FROM service").fetchone()) == ("06", "避孕套", 20)


def test_a_pregnancy_outcome_dialog_opened_on_the_pregnancy(qtbot, session, people) -> None:
    preg = services.register_pregnancy(session.conn, person=people.single, lmp_date="2026-08-01",
                                       today=TODAY).record.id
    dialog = show_dialog(qtbot, PregnancyOutcomeDialog(session, today=TODAY, pregnancy=preg))
    assert dialog.value("person") == people.single and dialog.value("pregnancy") == preg
    dialog.inputs["outcome"].set_value("人工流产")
    dialog.inputs["end_date"].set_value("2026-12-01")               # after the entry day: refused at the field
    dialog.save()
    assert "晚于录入日期" in dialog.inputs["end_date"].field_error.text()
    dialog.inputs["end_date"].set_value("2026-11-10")
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    assert tuple(session.conn.execute("SELECT outcome, end_date FROM pregnancy").fetchone()) == ("4", "2026-11-10")


# ---- correction ------------------------------------------------------------------------------------------------

def test_a_correction_of_a_coded_field(qtbot, session, people) -> None:
    dialog = show_dialog(qtbot, CorrectionDialog(session, today=TODAY, table="person", record=people.wife,
                                                 field="education"))
    assert dialog.notes["field"].text() == "现在是：初中"
    value = dialog.inputs["value"].inner
    assert isinstance(value, CodeInput) and value.value() == "70"   # starts at the current value
    value.setFocus()
    type_text(qtbot, "gz")                                           # 高中
    dialog.inputs["reason"].set_value("核对户口本")
    with qtbot.waitSignal(session.changed, timeout=1000):
        press(qtbot, Qt.Key.Key_Return)
    assert session.conn.execute("SELECT education FROM person WHERE id = ?", (people.wife,)).fetchone()[0] == "60"
    op = session.conn.execute("SELECT summary FROM operation ORDER BY id DESC").fetchone()[0]
    assert "文化程度" in op and "核对户口本" in op


def test_a_correction_lists_the_records_of_the_ledger_chosen(qtbot, session, people) -> None:
    session.apply(services.record_birth, mother=people.wife, child_name="张一", sex="男", birth_date="2021-03-01",
                  today=TODAY)
    dialog = show_dialog(qtbot, CorrectionDialog(session, today=TODAY, person=people.wife))
    assert dialog.inputs["record"].currentText().startswith("李娜 · 户001")
    dialog.inputs["table"].set_value("birth")
    assert dialog.is_active("person") and not dialog.is_active("household")
    assert dialog.inputs["record"].currentText() == "第1孩 张一 2021-03-01"
    dialog.inputs["table"].set_value("measure")
    assert dialog.inputs["record"].currentText() == "宫内节育器 2021-06-01 起"


def test_a_correction_takes_a_widget_of_the_fields_kind_and_shows_its_error(qtbot, session, people) -> None:
    birth = session.apply(services.record_birth, mother=people.wife, child_name="张一", sex="男",
                          birth_date="2021-03-01", today=TODAY)
    dialog = show_dialog(qtbot, CorrectionDialog(session, today=TODAY, table="birth", record=birth.record.id))
    assert dialog.value("person") == people.wife
    assert dialog.inputs["record"].currentText() == "第1孩 张一 2021-03-01"
    dialog.inputs["field"].set_value("birth_date")
    date = dialog.inputs["value"].inner
    assert date.text() == "2021-03-01"
    date.set_value("2021-02-30")
    before = file_content(session.conn)
    dialog.save()
    assert "不是有效日期" in dialog.inputs["value"].field_error.text() and focused() is date
    assert file_content(session.conn) == before
    date.set_value("2021-02-28")
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    assert session.conn.execute("SELECT birth_date FROM birth").fetchone()[0] == "2021-02-28"


def test_a_household_correction_picks_the_household(qtbot, session, people) -> None:
    hh = session.conn.execute("SELECT id FROM household WHERE number = '002'").fetchone()[0]
    dialog = show_dialog(qtbot, CorrectionDialog(session, today=TODAY, table="household", record=hh,
                                                 field="group_id"))
    assert dialog.is_active("household") and not dialog.is_active("person")
    assert dialog.notes["field"].text() == "现在是：二组"
    dialog.inputs["value"].set_value(session.snapshot.groups[0].id)
    with qtbot.waitSignal(session.changed, timeout=1000):
        dialog.save()
    assert session.conn.execute("SELECT group_id FROM household WHERE id = ?", (hh,)).fetchone()[0] == \
        session.snapshot.groups[0].id


# ---- the registry ------------------------------------------------------------------------------------------------

def test_the_registry_lists_every_change_once_with_distinct_shortcuts() -> None:
    texts = [text for text, _, _ in CHANGE_DIALOGS]
    keys = [key for _, key, _ in CHANGE_DIALOGS if key]
    assert isinstance(CHANGE_DIALOGS, tuple) and len(set(texts)) == len(texts) and len(set(keys)) == len(keys)
    assert not {"F1", "F5", "Ctrl+F"} & set(keys)                   # the main window's own
    assert {"出生登记", "结婚登记", "离婚登记", "丧偶登记", "死亡登记", "迁出登记", "流出登记", "返回登记", "流入登记",
            "节育措施", "孕情登记", "孕情结果", "服务登记", "奖扶发放", "发证登记", "整户迁入"} <= set(texts)


@pytest.mark.parametrize(("text", "cls"), [(t, c) for t, _, c in CHANGE_DIALOGS], ids=[t for t, _, _ in CHANGE_DIALOGS])
def test_every_dialog_opens_fits_the_small_screen_and_cancels(qtbot, session, people, text, cls) -> None:
    dialog = show_dialog(qtbot, cls(session, today=TODAY))
    size = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
    assert size.width() <= 1366 and size.height() <= 768 - 80        # leave room for the task bar and title
    assert dialog.windowTitle() and QGuiApplication.font().pointSizeF() >= 10.5
    assert dialog.save_button.isDefault() and dialog.save_button.text() == "保存"
    assert focused() is not None and dialog.isAncestorOf(focused())
    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
