"""The dialogs as the clerk sees them: the bundled font, nothing cut off, within a 1366×768 screen.

Each test fills a dialog the way a clerk would and saves a picture of it. To refresh the pictures in the docs:

    FPDESK_SCREENSHOTS=docs/screenshots pytest -q tests/ui/test_forms_screenshots.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QWidget

from fpdesk import services
from fpdesk.idnumber import make_id_number
from tests.conftest import TODAY
from tests.ui.conftest import show_dialog
from ui.fonts import BODY_POINT_SIZE
from ui.forms import BirthDialog, HouseholdDialog, MarriageDialog, MeasureDialog


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("FPDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def village(session):
    services.register_household(session.conn, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶", "hukou": "农业"},
    ])
    services.register_household(session.conn, number="002", group="二组", today=TODAY, members=[
        {"name": "王芳", "sex": "女", "birth_date": "1998-07-01", "relation": "户主"},
    ])
    ids = dict(session.conn.execute("SELECT name, id FROM person").fetchall())
    services.record_marriage(session.conn, person=ids["李娜"], spouse=ids["张伟"], date="2018-05-01", today=TODAY)
    services.record_birth(session.conn, mother=ids["李娜"], child_name="张一", sex="男", birth_date="2019-04-11",
                          today=TODAY)
    services.start_measure(session.conn, person=ids["李娜"], method="700", start_date="2019-08-01", today=TODAY)
    session.reload()                # written behind the session's back: read the file again
    return ids


def cut_off(dialog: QWidget) -> list[str]:
    """Texts of visible one-line labels, buttons and check boxes narrower than their text needs."""
    out = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            if widget.width() < widget.sizeHint().width():
                out.append(widget.text())
        elif isinstance(widget, (QPushButton, QCheckBox)) and widget.width() < widget.sizeHint().width():
            out.append(widget.text())
    return out


def shoot(qtbot, dialog, path: Path) -> None:
    dialog.adjustSize()
    qtbot.wait(10)
    assert dialog.width() <= 1366 and dialog.height() <= 768 - 80, (dialog.width(), dialog.height())
    assert cut_off(dialog) == []
    font = QGuiApplication.font()
    assert "WenQuanYi" in font.family() and font.pointSizeF() >= 10.5 and BODY_POINT_SIZE >= 10.5
    assert dialog.grab().save(str(path))


def test_birth_dialog(qtbot, session, village, shots) -> None:
    dialog = show_dialog(qtbot, BirthDialog(session, today=TODAY, mother=village["李娜"], child_name="张二",
                                            sex="女", birth_date="2026-11-05", birth_cert_no="Q420123456"))
    number = make_id_number(region="420102", birth_date=dt.date(2026, 11, 5), sequence=24, sex="2")
    dialog.inputs["id_number"].set_value(number[:17] + ("1" if number[17] != "1" else "2"))  # a typo: amber
    shoot(qtbot, dialog, shots / "birth.png")


def test_birth_dialog_with_an_error(qtbot, session, village, shots) -> None:
    dialog = show_dialog(qtbot, BirthDialog(session, today=TODAY, mother=village["李娜"], child_name="张二",
                                            sex="女", birth_date="2026-13-05"))
    dialog.save()
    shoot(qtbot, dialog, shots / "birth-error.png")


def test_marriage_dialog_with_an_outside_spouse(qtbot, session, village, shots) -> None:
    dialog = show_dialog(qtbot, MarriageDialog(session, today=TODAY, person=village["王芳"], date="2026-11-08",
                                               spouse_info={"spouse_name": "刘强",
                                                            "spouse_id_number": "420102199001010011",
                                                            "spouse_ethnicity": "汉族", "spouse_education": "高中",
                                                            "spouse_hukou": "农业", "spouse_occupation": "务工"}))
    shoot(qtbot, dialog, shots / "marriage.png")


def test_measure_dialog_stopping_for_a_pregnancy(qtbot, session, village, shots) -> None:
    dialog = show_dialog(qtbot, MeasureDialog(session, today=TODAY, person=village["李娜"], method="000",
                                              no_measure_reason="A10", start_date="2026-11-10", reason="取环待孕"))
    shoot(qtbot, dialog, shots / "measure.png")


def test_household_dialog_with_a_bad_row(qtbot, session, village, shots) -> None:
    dialog = show_dialog(qtbot, HouseholdDialog(session, today=TODAY, group=1, address="双河村一组18号", members=[
        {"name": "陈军", "id_number": "420102198501010038", "relation": "户主", "ethnicity": "汉族",
         "marital_status": "初婚", "education": "初中", "hukou": "农业"},
        {"name": "周丽", "id_number": "420102198703150022", "relation": "配偶", "ethnicity": "汉族",
         "marital_status": "初婚", "education": "高中", "hukou": "农业"},
        {"name": "陈小军", "relation": "子", "ethnicity": "汉族", "hukou": "农业"},
    ]))
    dialog.save()                                                   # the son has no sex or birth date yet
    assert dialog.member_rows[2].error.isVisible()
    shoot(qtbot, dialog, shots / "household.png")
