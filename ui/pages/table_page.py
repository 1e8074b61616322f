"""Ledger screens made of tables: each table a ``TableSpec`` over row records from ``fpdesk.ledgers``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from fpdesk.dates import period_bounds, period_label, statistics_year_bounds
from fpdesk.ops import Changes
from fpdesk.snapshot import Snapshot
from ui.pages.base import Page
from ui.tables import Column, LedgerView, RecordTableModel, SearchFilterModel

# Time scopes a dated register can be shown for: label → how to turn (snapshot, month) into ledger kwargs.
SCOPES: dict[str, Callable[[Snapshot, str], dict[str, Any]]] = {
    "本月": lambda snap, period: {"period": period},
    "本统计年度": lambda snap, period: dict(zip(("start", "end"), statistics_year_bounds(period_bounds(period)[1]))),
    "全部": lambda snap, period: {},
}


@dataclass(frozen=True)
class TableSpec:
    """One ledger table.

    key: settings key (sort order, column widths) and identity of the table.
    title: tab title.
    columns: the columns.
    rows: the rows from the snapshot; gets the scope's kwargs when ``dated``.
    who: (name, id_number, household_no, roster_no) of a row, for the search box.
    row_key: identity of a row across refreshes (so an edit repaints rows instead of resetting the table).
    dated: offers the 本月 / 本统计年度 / 全部 scope.
    summary: a line under the table (totals), or None.
    tone: "error" / "warning" / "muted" per row, or None.
    """

    key: str
    title: str
    columns: Sequence[Column]
    rows: Callable[..., Sequence[Any]]
    who: Callable[[Any], tuple[str, str | None, str | None, str | None]]
    row_key: Callable[[Any], Hashable] = lambda r: r.ref
    dated: bool = False
    summary: Callable[[Sequence[Any]], str] | None = None
    tone: Callable[[Any], str | None] | None = None


class LedgerTable(QWidget):
    """A table of one ``TableSpec`` with its scope picker, count and summary."""

    activated = Signal(object)   # a row record, double-clicked or Enter

    def __init__(self, spec: TableSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.model = RecordTableModel(spec.columns, key=spec.row_key, tone=spec.tone)
        self.proxy = SearchFilterModel(spec.who)
        self.proxy.setSourceModel(self.model)
        self.view = LedgerView(spec.key)
        self.view.setModel(self.proxy)
        self.view.set_default_widths(spec.columns)
        self.view.doubleClicked.connect(lambda index: self.activated.emit(self.view.current_record()))
        self.view.activated.connect(lambda index: self.activated.emit(self.view.current_record()))
        self.scope = QComboBox()
        self.scope.addItems(list(SCOPES))
        self.scope.setVisible(spec.dated)
        self.count = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        if spec.dated:
            top.addWidget(QLabel("范围："))
            top.addWidget(self.scope)
        top.addStretch()
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        self._scope_key: tuple[str, str] | None = None

    def load(self, snap: Snapshot, period: str) -> None:
        """Show the rows for the snapshot; same scope as before → rows are synced, not reset."""
        scope = self.scope.currentText()
        kwargs = SCOPES[scope](snap, period) if self.spec.dated else {}
        rows = self.spec.rows(snap, **kwargs)
        if self._scope_key == (scope, period):
            self.model.sync_rows(rows)
        else:
            self.model.set_rows(rows)
            self._scope_key = (scope, period)
        self.view.fit_columns_once()
        self.summary.setText(self.spec.summary(rows) if self.spec.summary else "")
        self.summary.setVisible(bool(self.summary.text()))
        self._count()

    def _count(self, *args: Any) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"共 {total} 条" if shown == total else f"显示 {shown} / 共 {total} 条")


class TablesPage(Page):
    """A ledger of one or several tables (tabs)."""

    searchable = True
    specs: tuple[TableSpec, ...] = ()
    heading: Callable[["TablesPage"], str] | None = None

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.tables = [LedgerTable(spec) for spec in self.specs]
        self.heading_label = QLabel()
        self.heading_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading_label)
        if len(self.tables) == 1:
            layout.addWidget(self.tables[0], 1)
            self.tabs = None
        else:
            self.tabs = QTabWidget()
            for table in self.tables:
                self.tabs.addTab(table, table.spec.title)
            layout.addWidget(self.tabs, 1)
            self.tabs.currentChanged.connect(lambda _: self.refresh())
        for table in self.tables:
            table.scope.currentIndexChanged.connect(lambda _=0, t=table: t.load(self.session.snapshot,
                                                                                   self.session.period))
            table.activated.connect(self.open_record)

    def current_table(self) -> LedgerTable:
        return self.tables[self.tabs.currentIndex()] if self.tabs is not None else self.tables[0]

    def refresh(self) -> None:
        snap = self.session.snapshot
        self.heading_label.setText(self.heading_text())
        self.heading_label.setVisible(bool(self.heading_label.text()))
        # only the table on screen is computed; the others when their tab is opened
        self.current_table().load(snap, self.session.period)

    def heading_text(self) -> str:
        return ""

    def set_search(self, text: str) -> None:
        for table in self.tables:
            table.proxy.set_query(text)

    def mark_stale(self, changes: Changes | None = None) -> None:
        for table in self.tables:
            if table is not self.current_table():
                table._scope_key = None
        super().mark_stale(changes)

    def open_record(self, record: Any) -> None:
        """Double-click on a row: open the person's card (women) or the record's person."""
        ref = getattr(record, "ref", None)
        person_id = getattr(ref, "person_id", None) if ref is not None else None
        window = self.window()
        opener = getattr(window, "open_person", None)
        if person_id is not None and opener is not None:
            opener(person_id)


def month_heading(title: str, period: str) -> str:
    return f"{title}　{period_label(period)}"
