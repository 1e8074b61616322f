"""Tables on Qt model/view: one model class for every ledger list, a search filter, and a view that keeps the
clerk's sort order and column widths between sessions.

A ledger table is a tuple of ``Column``s over frozen row records from the core. The model holds records, never a
database handle. ``set_rows`` replaces everything (new month, new filter); ``replace_rows`` updates only the rows
whose key changed after an edit, so a 10,000-row register does not reload for one birth.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from functools import cmp_to_key, partial
from typing import Any, Callable, Hashable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSettings, QSortFilterProxyModel, Qt,
)
from PySide6.QtGui import QBrush, QColor, QFontMetricsF
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from fpdesk.search import SearchText, matching, search_key, search_text

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


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TONES = {"error": "#b00020", "warning": "#8a5a00", "muted": "#777777"}
_BRUSHES: dict[str, QBrush] = {}


def _tone_brush(tone: str | None) -> QBrush | None:
    """The text colour of a row's tone; one brush per tone, made when first needed (after the QApplication)."""
    if tone not in _TONES:
        return None
    brush = _BRUSHES.get(tone)  # type: ignore[arg-type]
    if brush is None:
        brush = _BRUSHES[tone] = QBrush(QColor(_TONES[tone]))  # type: ignore[index]
    return brush


def _compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 as ``a`` sorts before, with or after ``b``; values that do not compare, as text."""
    try:
        return -1 if a < b else (1 if b < a else 0)
    except TypeError:
        a, b = str(a), str(b)
        return -1 if a < b else (1 if b < a else 0)


def _sort_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


class RecordTableModel(QAbstractTableModel):
    """Rows of frozen records shown through ``Column``s.

    A cell's text is made when Qt first asks for it — only the rows on screen, a row at a time, kept until the row
    changes — so a 10,000-row register costs the same to set as a 30-row one. The model sorts itself (``sort``):
    its rows are kept in the order the view shows, through ``SearchFilterModel``. It also keeps which rows the
    search lets through (``found``), row by row beside the records, decided by ``accept`` for all of them at once.
    """

    def __init__(self, columns: Sequence[Column], *, key: Callable[[Any], Hashable] = id,
                 tone: Callable[[Any], str | None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.key = key
        self.tone = tone            # "error" / "warning" / "muted" / None for a row's colour
        self._rows: list[Any] = []
        self._given: list[int] = []                       # each row's place in the order the records were given
        self._sort_by: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._cells: dict[int, tuple[str, ...]] = {}      # row → its texts, for the rows Qt has asked about
        self._tones: dict[int, QBrush | None] = {}        # row → its text colour, likewise
        self._sort_keys: dict[int, list[Any]] = {}        # column → every row's sort value
        self._row_index: dict[Hashable, int] | None = None
        # which of these records the search lets through, one answer each (None: all): set by SearchFilterModel
        self.accept: Callable[[Sequence[Any]], list[bool]] | None = None
        self.found: list[bool] | None = None              # each row: shown by the search (None: every row)
        self._values = tuple(c.value for c in self.columns)
        self._align = tuple(_RIGHT if c.numeric else _LEFT for c in self.columns)

    def _render(self, record: Any) -> tuple[str, ...]:
        return tuple([_display(value(record)) for value in self._values])

    def texts(self, row: int) -> tuple[str, ...]:
        """The cells' display texts of a row."""
        cells = self._cells.get(row)
        if cells is None:
            cells = self._cells[row] = self._render(self._rows[row])
        return cells

    def sort_keys(self, column: int) -> list[Any]:
        """Every row's sort value in ``column`` (dates and numbers as themselves), made once per column."""
        keys = self._sort_keys.get(column)
        if keys is None:
            value = self._values[column]
            keys = self._sort_keys[column] = [_sort_value(value(r)) for r in self._rows]
        return keys

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The rows by ``column``'s typed values (dates and numbers sort right), equal values kept in their order;
        column -1: in the order they were given. Kept so through new rows and edits. One Python sort of the
        column's values: Qt's proxy would call into Python twice for each of ~140,000 comparisons (0.5–1 s)."""
        self._sort_by = (column if 0 <= column < len(self.columns) else -1, order)
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        order_of_rows = self._sorted()
        new_row = [0] * len(order_of_rows)
        for new, old in enumerate(order_of_rows):
            new_row[old] = new
        self._rows = [self._rows[i] for i in order_of_rows]
        self._given = [self._given[i] for i in order_of_rows]
        if self.found is not None:
            self.found = [self.found[i] for i in order_of_rows]
        self._row_index = None
        self._forget()
        moved = self.persistentIndexList()  # the selection and current row move with their rows
        self.changePersistentIndexList(moved, [self.index(new_row[i.row()], i.column()) for i in moved])
        self.layoutChanged.emit()

    def _sorted(self) -> list[int]:
        """The rows (old indices) in the order of ``_sort_by``."""
        column, order = self._sort_by
        rows = range(len(self._rows))
        if column < 0:
            return sorted(rows, key=self._given.__getitem__)
        keys = self.sort_keys(column)
        descending = order == Qt.SortOrder.DescendingOrder
        try:
            return sorted(rows, key=keys.__getitem__, reverse=descending)
        except TypeError:  # a number beside a blank, say: such pairs compare as text
            return sorted(rows, key=cmp_to_key(lambda a, b: _compare(keys[a], keys[b])), reverse=descending)

    def _forget(self, row: int | None = None) -> None:
        """Drop what was made from the rows: one row's texts (it changed), or everything (rows moved)."""
        self._sort_keys.clear()
        if row is None:
            self._cells.clear()
            self._tones.clear()
        else:
            self._cells.pop(row, None)
            self._tones.pop(row, None)

    @property
    def _row_of(self) -> dict[Hashable, int]:
        # only edits (sync_rows / replace_rows) look rows up by key: made then, not for every new table
        if self._row_index is None:
            self._row_index = {self.key(r): i for i, r in enumerate(self._rows)}
        return self._row_index

    def set_rows(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self._given = list(range(len(self._rows)))
        self._row_index = None
        self._forget()
        if self._sort_by[0] >= 0:
            order_of_rows = self._sorted()
            self._rows = [self._rows[i] for i in order_of_rows]
            self._given = order_of_rows
            self._forget()
        self.found = None if self.accept is None else self.accept(self._rows)  # the search typed meets them too
        self.endResetModel()

    def set_accept(self, accept: Callable[[Sequence[Any]], list[bool]] | None) -> None:
        """What the search lets through from now on (None: every row), decided for every row now. The proxy
        filtering this model asks ``found`` afterwards: call between its ``beginFilterChange`` and
        ``endFilterChange``."""
        self.accept = accept
        self.found = None if accept is None else accept(self._rows)

    def sync_rows(self, records: Sequence[Any]) -> None:
        """Bring the model to ``records`` by key without a reset: changed rows are repainted, new rows appended,
        rows gone removed. The view keeps its scroll position, sort and selection."""
        keep = {self.key(r) for r in records}
        gone = sorted((i for k, i in self._row_of.items() if k not in keep), reverse=True)
        for i in gone:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            del self._given[i]
            if self.found is not None:
                del self.found[i]
            self._forget()
            self.endRemoveRows()
        if gone:
            self._row_index = None
        self.replace_rows(records)

    def replace_rows(self, records: Sequence[Any]) -> None:
        """Update rows in place by key; rows with new keys are appended. Only changed rows are repainted."""
        new = []
        changed = False
        row_of = self._row_of
        for r in records:
            i = row_of.get(self.key(r))
            if i is None:
                new.append(r)
                continue
            old = self._rows[i]
            if r is old or r == old:  # frozen records: equal fields, same cells
                continue
            self._rows[i] = r
            if self.accept is not None and self.found is not None:
                self.found[i] = self.accept([r])[0]  # before dataChanged: the proxy filters the row again on it
            self._forget(i)
            changed = True
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            given = max(self._given, default=-1) + 1
            for r in new:
                row_of[self.key(r)] = len(self._rows)
                self._rows.append(r)
                self._given.append(given)
                given += 1
            if self.accept is not None and self.found is not None:
                self.found.extend(self.accept(new))
            self._sort_keys.clear()
            self.endInsertRows()
        if (changed or new) and self._sort_by[0] >= 0:
            self.sort(*self._sort_by)  # an edited or new row takes its place in the clerk's order

    def record(self, row: int) -> Any:
        return self._rows[row]

    def records(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == _DISPLAY:
            return self.columns[section].title if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt asks this for every role of every cell it paints or measures: the common roles first, as ints
        row = index.row()
        if row < 0:
            return None
        if role == _DISPLAY:
            cells = self._cells.get(row)
            if cells is None:
                cells = self._cells[row] = self._render(self._rows[row])
            return cells[index.column()]
        if role == _ALIGNMENT:
            return self._align[index.column()]
        if role == _FOREGROUND:
            if self.tone is None:
                return None
            if row not in self._tones:
                self._tones[row] = _tone_brush(self.tone(self._rows[row]))
            return self._tones[row]
        if role == SORT_ROLE:
            return self.sort_keys(index.column())[row]
        if role == RECORD_ROLE:
            return self._rows[row]
        return None


class SearchFilterModel(QSortFilterProxyModel):
    """Filters by what the clerk types in search, over a ``RecordTableModel``, and hands sorting (dates and
    numbers sort right) to it.

    who: how to get (name, id_number, household_no, roster_no) from a row record for matching.

    A keystroke decides every row in one Python pass (``_accept``: a substring test a row, over texts worked out
    once a record by ``fpdesk.search.search_text``), kept by the model beside its rows (``found``); Qt then asks
    ``filterAcceptsRow``, a list lookup: ~6 ms a keystroke on 10,000 rows. Filtering on a role of the model's
    ``data`` cost three calls into Python a row (index → rowCount, columnCount; data) and a match each: ~45 ms. The
    price: Qt asks ``filterAcceptsRow`` with nothing typed too, for every row of a new set of rows or a sort
    (~5 ms on 10,000 rows). The filter changes as rows (``Direction.Rows``), not by ``invalidate()`` (one layout
    change, ~5 ms less for "z"): so the current row, if the search hides it, passes to a row still shown, with
    ``currentRowChanged`` (the cards page shows that woman), where a layout change would drop it unannounced.
    """

    def __init__(self, who: Callable[[Any], tuple[str, str | None, str | None, str | None]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.who = who
        self.query = ""
        self.extra: Callable[[Any], bool] | None = None
        self._model: RecordTableModel | None = None
        self._texts: dict[int, SearchText] = {}   # id(record) → its search text, for the records in _held ...
        self._held: list[Any] = []                  # ... held here, so that no other record gets their ids

    def setSourceModel(self, model: Any) -> None:  # noqa: N802 (Qt API)
        self._model = model
        model.set_accept(self._accept if self.filtering() else None)  # before Qt filters its rows
        super().setSourceModel(model)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 (Qt API)
        found = self._model.found  # type: ignore[union-attr]  (Qt asks only once there is a model)
        return found is None or found[source_row]

    def set_query(self, text: str) -> None:
        self._refilter(search_key(text), self.extra)

    def set_extra_filter(self, accept: Callable[[Any], bool] | None) -> None:
        self._refilter(self.query, accept)

    def filtering(self) -> bool:
        return bool(self.query) or self.extra is not None

    def _refilter(self, query: str, extra: Callable[[Any], bool] | None) -> None:
        if query == self.query and extra is None and self.extra is None:
            return  # the same search ("zs" and "zs "): the same rows
        self.query, self.extra = query, extra
        if self._model is None:
            return
        self.beginFilterChange()
        self._model.set_accept(self._accept if self.filtering() else None)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _accept(self, records: Sequence[Any]) -> list[bool]:
        """Which of ``records`` pass the extra filter and match what the clerk typed."""
        found = matching(self.query, self._search_texts(records)) if self.query else [True] * len(records)
        extra = self.extra
        if extra is not None:
            found = [ok and extra(r) for ok, r in zip(found, records)]
        return found

    def _search_texts(self, records: Sequence[Any]) -> list[SearchText]:
        """The records' search texts: made once a record, kept while the model holds it."""
        texts = self._texts
        try:
            return list(map(texts.__getitem__, map(id, records)))  # every keystroke after the first: ~0.5 ms
        except KeyError:
            pass
        who = self.who
        for r in records:
            if id(r) not in texts:
                name, id_number, household_no, roster_no = who(r)
                texts[id(r)] = search_text(name=name, id_number=id_number, household_no=household_no,
                                           roster_no=roster_no)
                self._held.append(r)
        wanted = list(map(texts.__getitem__, map(id, records)))
        rows = self._model.records() if self._model is not None else []
        if len(texts) > len(rows) + len(rows) // 4 + 16:  # a new set of rows: the old ones' texts go
            self._texts = {id(r): texts[id(r)] for r in rows if id(r) in texts}
            self._held = [r for r in rows if id(r) in self._texts]
        return wanted

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: the source model sorts its rows (``RecordTableModel.sort``); this proxy keeps them in
        that order, so it never compares rows itself."""
        self.sourceModel().sort(column, order)


# Fitting columns to their contents: a table of up to FIT_ALL_ROWS rows is measured by Qt, cell by cell; a longer
# one from FIT_ALL_ROWS sample rows (the first on screen, the rest spread through it): each column's distinct texts
# as long as its FIT_MEASURED longest are measured in the view's font, and the FIT_EXACT widest of them as Qt
# would (the delegate's padding, a bold font). No column is fitted wider than FIT_MAX pixels.
FIT_ALL_ROWS = 200
FIT_MEASURED = 24
FIT_EXACT = 3
FIT_MAX = 360


def _text_width(metrics: QFontMetricsF, text: str) -> float:
    """A text's width as the delegate lays it out: the advance, and the last glyph's overhang (an "X" leans out
    past its advance: 42092219811214639X is wider than 420922195804057159, though its advance is not)."""
    return metrics.horizontalAdvance(text) - min(0.0, metrics.rightBearing(text[-1])) if text else 0.0


def fit_sample(proxy: Any, source: RecordTableModel) -> list[tuple[int, int]]:
    """(view row, source row) of the rows to fit columns from: the first rows the view shows, then rows spread
    evenly through all it shows."""
    half = FIT_ALL_ROWS // 2
    n = proxy.rowCount()
    rows = sorted({*range(min(half, n)), *(n * i // half for i in range(half))})
    if proxy is source:
        return [(r, r) for r in rows]
    return [(r, proxy.mapToSource(proxy.index(r, 0)).row()) for r in rows]


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
        self.horizontalHeader().sectionResized.connect(self._section_resized)
        self.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self.save_state())
        self._restored = False
        self._has_state = False
        self._fitted = False
        self._sample: list[tuple[int, int]] | None = None
        self.horizontalHeader().setResizeContentsPrecision(FIT_ALL_ROWS)  # a short table: every row measured

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

    def set_default_widths(self, columns: Sequence[Column]) -> None:
        """The columns' own widths (``Column.width``) where the clerk has none saved; not saved as the clerk's."""
        if self._has_state:
            return
        self._restored = False
        for i, column in enumerate(columns):
            if column.width:
                self.setColumnWidth(i, column.width)
        self._restored = True

    def fit_columns_once(self) -> None:
        """First time a table is shown with rows and no saved widths: fit columns to their contents (a sample of
        rows in a long table, see ``sizeHintForColumn``), none wider than ``FIT_MAX`` pixels."""
        if self._has_state or self._fitted or self.model() is None or self.model().rowCount() == 0:
            return
        self._fitted = True
        self._restored = False  # the fitting itself is not the clerk's choice: don't save it
        self._sample = None
        self.resizeColumnsToContents()
        self._sample = None
        header = self.horizontalHeader()
        for i in range(header.count()):
            if header.sectionSize(i) > FIT_MAX:
                header.resizeSection(i, FIT_MAX)
        self._restored = True

    def sizeHintForColumn(self, column: int) -> int:  # noqa: N802 (Qt API)
        """The width a column's cells need. Qt measures every cell of 200 rows through the delegate (~70 ms for
        a 15-column register); a long table of records is measured from its sample rows (``fit_sample``): their
        distinct texts ranked by length, the widest few in the view's font, and those through the delegate."""
        proxy = self.model()
        source = proxy.sourceModel() if isinstance(proxy, QSortFilterProxyModel) else proxy
        if not isinstance(source, RecordTableModel) or proxy.rowCount() <= FIT_ALL_ROWS:
            return super().sizeHintForColumn(column)
        if self._sample is None:  # one sample for all the columns of a fitting
            self._sample = fit_sample(proxy, source)
        row_of: dict[str, int] = {}  # text → a view row showing it
        for row, source_row in self._sample:
            row_of.setdefault(source.texts(source_row)[column], row)
        texts = list(row_of)
        if len(texts) > FIT_MEASURED:  # names, ids, dates: only the longest can be the widest, ties and all
            chars = sorted(map(len, texts))[-FIT_MEASURED]               # (every id number has 18 characters)
            wide = sorted(len(t.encode()) for t in texts)[-FIT_MEASURED]  # (a Chinese character, 3 bytes)
            texts = [t for t in texts if len(t) >= chars or len(t.encode()) >= wide]
        widest = heapq.nlargest(FIT_EXACT, texts, key=partial(_text_width, QFontMetricsF(self.font())))
        hint = max(self.sizeHintForIndex(proxy.index(row_of[t], column)).width() for t in widest)
        return hint + 1 if self.showGrid() else hint

    def _section_resized(self, logical: int, old: int, new: int) -> None:
        header = self.horizontalHeader()
        if header.stretchLastSection() and logical == header.logicalIndex(header.count() - 1):
            return  # the last column follows the window's width: not a width the clerk chose
        self.save_state()

    def save_state(self) -> None:
        if self._restored:
            QSettings().setValue(f"tables/{self.settings_key}", self.horizontalHeader().saveState())

    def current_record(self) -> Any:
        index = self.currentIndex()
        return None if not index.isValid() else index.data(RECORD_ROLE)
