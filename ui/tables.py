"""Tables on Qt model/view: one model class for every ledger list, a search filter, and a view that keeps the
clerk's sort order and column widths between sessions.

A ledger table is a tuple of ``Column``s over frozen row records from the core. The model holds records, never a
database handle. ``set_rows`` replaces everything (new month, new filter); ``replace_rows`` updates only the rows
whose key changed after an edit, so a 10,000-row register does not reload for one birth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSettings, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from fpdesk.search import matches, search_key

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a ledger table.

    title: the header, in Chinese.
    value: the cell's value from a row record (str, int, float, date or None).
    numeric: right-aligned (numbers).
    width: initial width in pixels (0 = fit to contents).
    """

    title: str
    value: Callable[[Any], Any]
    numeric: bool = False
    width: int = 0


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _sort_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


class RecordTableModel(QAbstractTableModel):
    """Rows of frozen records shown through ``Column``s."""

    def __init__(self, columns: Sequence[Column], *, key: Callable[[Any], Hashable] = id,
                 tone: Callable[[Any], str | None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.key = key
        self.tone = tone            # "error" / "warning" / "muted" / None for a row's colour
        self._rows: list[Any] = []
        self._cells: list[tuple[str, ...]] = []
        self._row_of: dict[Hashable, int] = {}

    def _render(self, record: Any) -> tuple[str, ...]:
        return tuple(_display(c.value(record)) for c in self.columns)

    def set_rows(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self._cells = [self._render(r) for r in self._rows]
        self._row_of = {self.key(r): i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def sync_rows(self, records: Sequence[Any]) -> None:
        """Bring the model to ``records`` by key without a reset: changed rows are repainted, new rows appended,
        rows gone removed. The view keeps its scroll position, sort and selection."""
        keep = {self.key(r) for r in records}
        gone = sorted((i for k, i in self._row_of.items() if k not in keep), reverse=True)
        for i in gone:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            del self._cells[i]
            self.endRemoveRows()
        if gone:
            self._row_of = {self.key(r): i for i, r in enumerate(self._rows)}
        self.replace_rows(records)

    def replace_rows(self, records: Sequence[Any]) -> None:
        """Update rows in place by key; rows with new keys are appended. Only changed rows are repainted."""
        new = []
        for r in records:
            i = self._row_of.get(self.key(r))
            if i is None:
                new.append(r)
                continue
            cells = self._render(r)
            self._rows[i] = r
            if cells != self._cells[i]:
                self._cells[i] = cells
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            for r in new:
                self._row_of[self.key(r)] = len(self._rows)
                self._rows.append(r)
                self._cells.append(self._render(r))
            self.endInsertRows()

    def record(self, row: int) -> Any:
        return self._rows[row]

    def records(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][col]
        if role == SORT_ROLE:
            return _sort_value(self.columns[col].value(self._rows[row]))
        if role == RECORD_ROLE:
            return self._rows[row]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.columns[col].numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.tone is not None:
            tone = self.tone(self._rows[row])
            if tone == "error":
                return QBrush(QColor("#b00020"))
            if tone == "warning":
                return QBrush(QColor("#8a5a00"))
            if tone == "muted":
                return QBrush(QColor("#777777"))
        return None


class SearchFilterModel(QSortFilterProxyModel):
    """Sorts by the typed value (dates and numbers sort right) and filters by what the clerk types in search.

    who: how to get (name, id_number, household_no, roster_no) from a row record for matching.
    """

    def __init__(self, who: Callable[[Any], tuple[str, str | None, str | None, str | None]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.who = who
        self.query = ""
        self.extra: Callable[[Any], bool] | None = None
        self.setSortRole(SORT_ROLE)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self.query = search_key(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_extra_filter(self, accept: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self.extra = accept
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        record = model.record(source_row)  # type: ignore[attr-defined]
        if self.extra is not None and not self.extra(record):
            return False
        if not self.query:
            return True
        name, id_number, household_no, roster_no = self.who(record)
        return matches(self.query, name=name, id_number=id_number, household_no=household_no, roster_no=roster_no)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


class LedgerView(QTableView):
    """A ledger table: sortable by header click, whole-row selection, remembered sort and widths."""

    def __init__(self, settings_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings_key = settings_key
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().sectionResized.connect(lambda *_: self.save_state())
        self.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self.save_state())
        self._restored = False
        self._has_state = False
        self._fitted = False
        self.horizontalHeader().setResizeContentsPrecision(200)  # look at 200 rows, not 10,000

    def setModel(self, model: Any) -> None:  # noqa: N802
        super().setModel(model)
        self.restore_state()

    def restore_state(self) -> None:
        state = QSettings().value(f"tables/{self.settings_key}")
        self._has_state = state is not None
        if state is not None:
            self.horizontalHeader().restoreState(state)
        else:
            self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self._restored = True

    def fit_columns_once(self) -> None:
        """First time a table is shown with rows and no saved widths: fit columns to the first rows' contents."""
        if self._has_state or self._fitted or self.model() is None or self.model().rowCount() == 0:
            return
        self._fitted = True
        self._restored = False  # the fitting itself is not the clerk's choice: don't save it
        self.resizeColumnsToContents()
        self._restored = True

    def save_state(self) -> None:
        if self._restored:
            QSettings().setValue(f"tables/{self.settings_key}", self.horizontalHeader().saveState())

    def current_record(self) -> Any:
        index = self.currentIndex()
        return None if not index.isValid() else index.data(RECORD_ROLE)
