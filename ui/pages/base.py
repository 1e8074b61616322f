"""What every screen of the main window is: a widget that shows the village for the chosen month."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from fpdesk.ops import Changes
from ui.session import VillageSession


class Page(QWidget):
    """A screen of the main window.

    title: the navigation entry (the paper ledger's name).
    searchable: the context bar's search box filters this page.
    """

    title = ""
    searchable = False

    def __init__(self, session: VillageSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._stale = True

    def refresh(self) -> None:
        """Rebuild from ``self.session.snapshot`` and ``self.session.period``."""
        raise NotImplementedError

    def mark_stale(self, changes: Changes | None = None) -> None:
        """The village changed; refresh now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh()

    def set_search(self, text: str) -> None:
        """Filter by what the clerk typed in the context bar (pages with tables override this)."""

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.refresh_if_stale()
