"""A ledger table as the clerk uses it: the cells' texts, sorting by a header, search (by name, pinyin initials, ID
number, household number; narrowed and widened as the clerk types), rows changed after an edit, Enter on a row, and
columns fitted to what they hold — in a long register too, where only a sample is measured."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QTableView

from tests.ui.conftest import type_into
from ui.pages.table_page import LedgerTable, TableSpec
from ui.tables import FIT_ALL_ROWS, FIT_MAX, RECORD_ROLE, Column


@dataclass(frozen=True, slots=True)
class Row:
    """A register line: key, name, household_no, born, age (None when unknown), note."""

    key: int
    name: str
    household_no: str
    born: dt.date | None
    age: int | None
    note: str = ""


COLUMNS = (Column("户编号", lambda r: r.household_no), Column("姓名", lambda r: r.name),
           Column("出生日期", lambda r: r.born, width=150), Column("年龄", lambda r: r.age, True),
           Column("备注", lambda r: r.note))
PEOPLE = [
    Row(1, "张伟", "01010", dt.date(1990, 3, 2), 36),
    Row(2, "李娜", "01002", dt.date(1992, 5, 3), 9),
    Row(3, "王芳", "01001", None, None, "出生日期不详"),
]


def table_of(qtbot, rows, key: str, *, columns=COLUMNS,
             who=lambda r: (r.name, None, r.household_no, None)) -> LedgerTable:
    """A shown table of ``rows`` under its own settings key (removed again after the test)."""
    QSettings().remove(f"tables/{key}")
    spec = TableSpec(key=key, title="测试", columns=columns, rows=lambda snap: list(rows), who=who,
                     row_key=lambda r: r.key, tone=lambda r: "muted" if getattr(r, "born", 0) is None else None)
    table = LedgerTable(spec)
    qtbot.addWidget(table)
    table.resize(1000, 500)
    table.show()
    table.load(None, "2026-11")
    return table


@pytest.fixture
def settings_key():
    key = "test_tables"
    yield key
    QSettings().remove(f"tables/{key}")


def shown(table: LedgerTable, column: int) -> list[str]:
    return [table.proxy.index(r, column).data() for r in range(table.proxy.rowCount())]


def test_cells_show_dates_numbers_and_blanks_as_the_form_prints_them(qtbot, settings_key) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    assert shown(table, 2) == ["1990-03-02", "1992-05-03", ""]      # dates as 2026-11-23, unknown blank
    assert shown(table, 3) == ["36", "9", ""]
    right = table.proxy.index(0, 3).data(Qt.ItemDataRole.TextAlignmentRole)
    assert right & Qt.AlignmentFlag.AlignRight                           # numbers right-aligned
    assert not table.proxy.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert table.proxy.index(2, 1).data(Qt.ItemDataRole.ForegroundRole) is not None   # the muted row is grey
    assert table.proxy.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert table.count.text() == "共 3 条"


@pytest.mark.parametrize(("column", "order", "names"), [
    (3, Qt.SortOrder.AscendingOrder, ["王芳", "李娜", "张伟"]),   # 9 before 36 (numbers, not text); unknown first
    (3, Qt.SortOrder.DescendingOrder, ["张伟", "李娜", "王芳"]),
    (2, Qt.SortOrder.AscendingOrder, ["王芳", "张伟", "李娜"]),   # by date
    (0, Qt.SortOrder.AscendingOrder, ["王芳", "李娜", "张伟"]),   # 户编号 as text
])
def test_a_header_click_sorts_by_the_typed_value(qtbot, settings_key, column, order, names) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    table.view.sortByColumn(column, order)
    assert shown(table, 1) == names


def test_rows_changed_after_an_edit_are_repainted_and_stay_sorted(qtbot, settings_key) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    table.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert shown(table, 3) == ["", "9", "36"]                          # texts made and kept for these rows
    older = [replace(PEOPLE[0], age=37), replace(PEOPLE[1], age=40, name="李娜娜"), PEOPLE[2]]
    with qtbot.waitSignal(table.model.dataChanged):
        table.model.sync_rows(older)
    assert shown(table, 1) == ["王芳", "张伟", "李娜娜"]
    assert shown(table, 3) == ["", "37", "40"]
    # one gone, one new: the rest keep their texts, in the right rows
    table.model.sync_rows([older[1], older[2], Row(4, "赵六", "02001", dt.date(2000, 1, 1), 26)])
    assert shown(table, 1) == ["王芳", "赵六", "李娜娜"]
    assert shown(table, 0) == ["01001", "02001", "01002"]
    assert table.count.text() == "共 3 条"


def test_the_sort_holds_for_a_new_set_of_rows_follows_the_selection_and_can_be_undone(qtbot, settings_key) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    table.view.selectRow(0)                                           # 张伟
    table.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert shown(table, 1) == ["张伟", "李娜", "王芳"]
    table.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert shown(table, 1) == ["李娜", "张伟", "王芳"]
    assert table.view.current_record() == PEOPLE[0]                   # still 张伟, wherever his row went
    assert [i.row() for i in table.view.selectionModel().selectedRows()] == [1]
    table.model.set_rows(list(reversed(PEOPLE)))                      # another month: still by date
    assert shown(table, 1) == ["李娜", "张伟", "王芳"]
    table.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)          # no sort: the ledger's own order
    assert shown(table, 1) == ["王芳", "李娜", "张伟"]


def test_the_clerk_s_sort_comes_back_the_next_day(qtbot, settings_key) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    table.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    table.close()
    again = LedgerTable(table.spec)
    qtbot.addWidget(again)
    again.load(None, "2026-11")
    assert shown(again, 1) == ["王芳", "李娜", "张伟"]
    assert again.view.horizontalHeader().sortIndicatorSection() == 3


def test_an_unchanged_row_is_not_repainted(qtbot, settings_key) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    with qtbot.assertNotEmitted(table.model.dataChanged):
        table.model.sync_rows([replace(r) for r in PEOPLE])           # equal records, new objects


def test_search_narrows_the_rows_and_says_how_many(qtbot, settings_key) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    table.proxy.set_query("wf")                                       # 王芳 by pinyin initials
    assert shown(table, 1) == ["王芳"]
    assert table.count.text() == "显示 1 / 共 3 条"
    table.proxy.set_extra_filter(lambda r: r.age is not None)
    assert shown(table, 1) == []
    table.proxy.set_query("")
    assert shown(table, 1) == ["张伟", "李娜"]
    table.model.set_rows(PEOPLE + [Row(4, "赵六", "02001", None, None)])   # new rows meet the same filter
    assert shown(table, 1) == ["张伟", "李娜"]
    table.proxy.set_extra_filter(None)
    assert table.count.text() == "共 4 条"
    table.proxy.set_query("zl")
    table.model.sync_rows(PEOPLE + [Row(4, "赵六", "02001", None, None), Row(5, "周丽", "02002", None, None)])
    assert shown(table, 1) == ["赵六", "周丽"]


@dataclass(frozen=True, slots=True)
class Person:
    """A population register line as search sees it: key, name, id_number, household_no (户号), age."""

    key: int
    name: str
    id_number: str
    household_no: str
    age: int


PERSON_COLUMNS = (Column("户号", lambda p: p.household_no), Column("姓名", lambda p: p.name),
                  Column("身份证号", lambda p: p.id_number), Column("年龄", lambda p: p.age, True))
VILLAGERS = [
    Person(1, "张三", "420102199001010011", "0101", 36),
    Person(2, "单丽", "420102198803050026", "0102", 38),     # 单: shàn as a surname, dān otherwise
    Person(3, "张三丰", "42010219850302123X", "0103", 41),   # an ID number ending in X
    Person(4, "李四", "420102201206300038", "0701", 14),
    Person(5, "王大伟", "420102195511200013", "07012", 71),
    Person(6, "赵敏", "420102199312120049", "0104", 33),
]


def search_table(qtbot, settings_key: str, rows=VILLAGERS) -> tuple[LedgerTable, QLineEdit]:
    """A table of the villagers and a search box feeding it, as the context bar's box feeds the ledgers."""
    table = table_of(qtbot, rows, settings_key, columns=PERSON_COLUMNS,
                     who=lambda p: (p.name, p.id_number, p.household_no, None))
    box = QLineEdit()
    qtbot.addWidget(box)
    box.textChanged.connect(table.proxy.set_query)
    return table, box


@pytest.mark.parametrize(("typed", "names"), [
    ("张", ["张三", "张三丰"]),                       # part of a name
    ("三丰", ["张三丰"]),
    ("zs", ["张三", "张三丰"]),                       # pinyin initials
    ("ZS", ["张三", "张三丰"]),                       # in capitals too
    ("sf", ["张三丰"]),                               # initials of characters inside the name
    ("zf", []),                                       # not next to each other
    ("s", ["张三", "单丽", "张三丰", "李四"]),         # 单 as shàn, beside 三 and 四
    ("d", ["单丽", "王大伟"]),                         # 单 as dān
    ("dl", ["单丽"]),
    ("sl", ["单丽"]),
    ("1990", ["张三"]),                               # digits of an ID number
    ("0302", ["张三丰"]),
    ("123x", ["张三丰"]),                             # the X of an ID number, either case
    ("123X", ["张三丰"]),
    ("0701", ["李四"]),                               # a household number, whole: not 07012
    ("07012", ["王大伟"]),
    ("070", []),                                      # part of a household number finds nobody
    (" 李四 ", ["李四"]),                              # spaces around what was typed do not count
    ("钱", []),
])
def test_typing_in_search_shows_exactly_the_matching_rows(qtbot, settings_key, typed, names) -> None:
    table, box = search_table(qtbot, settings_key)
    type_into(qtbot, box, typed)
    assert shown(table, 1) == names
    assert table.count.text() == (f"显示 {len(names)} / 共 6 条" if len(names) < 6 else "共 6 条")


def test_narrowing_then_widening_the_search_brings_the_rows_back_in_order(qtbot, settings_key) -> None:
    table, box = search_table(qtbot, settings_key)
    type_into(qtbot, box, "z")
    assert shown(table, 1) == ["张三", "张三丰", "赵敏"]
    type_into(qtbot, box, "s")                                          # zs: fewer
    assert shown(table, 1) == ["张三", "张三丰"]
    qtbot.keyClick(box, Qt.Key.Key_Backspace)                          # z again: 赵敏 comes back, in her place
    assert shown(table, 1) == ["张三", "张三丰", "赵敏"]
    qtbot.keyClick(box, Qt.Key.Key_Backspace)                          # nothing typed: everyone
    assert shown(table, 1) == [p.name for p in VILLAGERS]
    assert table.count.text() == "共 6 条"
    type_into(qtbot, box, "张三")                                       # Chinese through the input method
    assert shown(table, 1) == ["张三", "张三丰"]
    type_into(qtbot, box, "丰")
    assert shown(table, 1) == ["张三丰"]
    box.clear()
    assert shown(table, 1) == [p.name for p in VILLAGERS]


def test_a_header_click_sorts_only_the_rows_found(qtbot, settings_key) -> None:
    table, box = search_table(qtbot, settings_key)
    type_into(qtbot, box, "s")
    table.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)           # by age, oldest first
    assert shown(table, 1) == ["张三丰", "单丽", "张三", "李四"]
    assert shown(table, 3) == ["41", "38", "36", "14"]
    table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)            # by household number
    assert shown(table, 1) == ["张三", "单丽", "张三丰", "李四"]
    table.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)            # by ID number: by birth
    box.clear()                                                        # everyone, still by ID number
    assert shown(table, 2) == sorted(p.id_number for p in VILLAGERS)
    type_into(qtbot, box, "z")
    assert shown(table, 1) == ["张三丰", "张三", "赵敏"]


def test_new_rows_after_an_edit_meet_the_search_typed(qtbot, settings_key) -> None:
    table, box = search_table(qtbot, settings_key)
    type_into(qtbot, box, "张")
    assert shown(table, 1) == ["张三", "张三丰"]
    edited = [replace(VILLAGERS[0], name="王三"), *VILLAGERS[1:3], replace(VILLAGERS[3], name="张四"),
              *VILLAGERS[4:], Person(7, "张小红", "420102202611010028", "0105", 0),
              Person(8, "钱七", "420102199707070071", "0106", 29)]
    table.model.sync_rows(edited)                # 张三 renamed away, 李四 renamed in, two moved in: one found
    assert shown(table, 1) == ["张三丰", "张四", "张小红"]
    assert table.count.text() == "显示 3 / 共 8 条"
    table.model.sync_rows([p for p in edited if p.key != 3])            # 张三丰 moved out
    assert shown(table, 1) == ["张四", "张小红"]
    table.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)           # the rest keep their answers as they move
    assert shown(table, 1) == ["张四", "张小红"]
    type_into(qtbot, box, "四")
    assert shown(table, 1) == ["张四"]
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    table.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)          # the ledger's own order again
    table.model.set_rows(VILLAGERS)                                    # another month: a new set of rows
    assert shown(table, 1) == ["张三", "张三丰"]
    table.proxy.set_extra_filter(lambda p: p.age > 40)                 # and the extra filter on top
    assert shown(table, 1) == ["张三丰"]
    table.proxy.set_extra_filter(None)
    assert shown(table, 1) == ["张三", "张三丰"]


def test_enter_on_a_row_opens_its_record(qtbot, settings_key) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    table.view.setFocus()
    table.view.selectRow(0)
    qtbot.keyClick(table.view, Qt.Key.Key_Down)                      # keyboard: down one row, then Enter
    with qtbot.waitSignal(table.activated) as opened:
        qtbot.keyClick(table.view, Qt.Key.Key_Return)
    assert opened.args == [PEOPLE[1]]
    assert table.view.currentIndex().data(RECORD_ROLE) == PEOPLE[1]


def test_the_program_s_own_widths_are_not_saved_over_the_clerk_s(qtbot, settings_key) -> None:
    spec = TableSpec(key=settings_key, title="测试", columns=COLUMNS, rows=lambda snap: [],
                     who=lambda r: (r.name, None, None, None))
    QSettings().remove(f"tables/{settings_key}")
    table = LedgerTable(spec)
    qtbot.addWidget(table)
    assert table.view.columnWidth(2) == 150                           # the column's own width ...
    assert not QSettings().contains(f"tables/{settings_key}")          # ... is not saved as the clerk's
    table.view.horizontalHeader().resizeSection(2, 222)               # the clerk drags it wider
    second = LedgerTable(spec)                                        # the next day
    qtbot.addWidget(second)
    assert second.view.columnWidth(2) == 222


def fits(table: LedgerTable, rows: range) -> list[str]:
    """The cells (row, column) among ``rows`` of the view whose text the column cuts off."""
    view = table.view
    cut = []
    for r in rows:
        for c in range(len(COLUMNS) - 1):                             # the last column stretches
            index = table.proxy.index(r, c)
            if view.columnWidth(c) < view.sizeHintForIndex(index).width():
                cut.append(f"{r},{c}: {index.data()}")
    return cut


def test_columns_fit_their_contents_in_a_short_table(qtbot, settings_key) -> None:
    table = table_of(qtbot, PEOPLE, settings_key)
    assert fits(table, range(3)) == []
    header = table.view.horizontalHeader()
    assert all(header.sectionSize(c) >= header.sectionSizeHint(c) for c in range(len(COLUMNS)))  # titles whole


def test_a_long_register_fits_its_columns_from_a_sample_without_cutting_the_rows_on_screen(qtbot,
                                                                                          settings_key) -> None:
    many = [Row(i, "张" + "伟" * (i % 3 + 1), str(420922195800000000 + i), dt.date(1950 + i % 60, 1 + i % 12,
                1 + i % 28), i % 90) for i in range(5000)]
    many[7] = replace(many[7], name="欧阳娜仁其其格")                       # a long name among the first rows
    many[2500] = replace(many[2500], name="欧阳娜仁其其格其")               # and one far down, sampled evenly
    many[3000] = replace(many[3000], household_no="42092219580000299X")  # as many characters, but the X overhangs
    table = table_of(qtbot, many, settings_key)
    assert table.model.rowCount() > FIT_ALL_ROWS
    assert fits(table, range(40)) == []
    view = table.view
    assert view.columnWidth(1) >= view.sizeHintForIndex(table.proxy.index(2500, 1)).width()
    assert view.columnWidth(0) >= view.sizeHintForIndex(table.proxy.index(3000, 0)).width()
    assert all(view.columnWidth(c) <= FIT_MAX for c in range(len(COLUMNS) - 1))
    # the widths come to what Qt's own measuring of every cell (slow: 5,000 rows) would give
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(-1)
    exact = [max(QTableView.sizeHintForColumn(view, c), header.sectionSizeHint(c)) for c in range(len(COLUMNS) - 1)]
    assert [view.columnWidth(c) for c in range(len(COLUMNS) - 1)] == exact
