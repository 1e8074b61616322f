"""Long work off the GUI thread, with a progress dialog that can cancel it without damage.

The core functions that take long (roster import and export, reports, township import) accept
``progress(done, total, stage)`` and ``cancel()`` callbacks and write in one transaction, so cancelling
at any moment leaves the file as it was.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


class _Job(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object, object)   # result, exception

    def __init__(self, work: Callable[..., Any]) -> None:
        super().__init__()
        self.work = work
        self.cancelled = threading.Event()

    def run(self) -> None:
        try:
            result = self.work(progress=lambda d, t, s="": self.progressed.emit(d, t, s),
                               cancel=self.cancelled.is_set)
        except BaseException as exc:  # handed to the GUI thread, which decides what the clerk sees
            self.finished.emit(None, exc)
        else:
            self.finished.emit(result, None)


class _Relay(QObject):
    """Lives in the GUI thread, so the job's queued signals run their slots there (a plain function as a slot
    would run in the worker thread and touch widgets from it)."""

    def __init__(self, dialog: QProgressDialog, thread: QThread, outcome: dict[str, Any]) -> None:
        super().__init__()
        self.dialog, self.thread, self.outcome = dialog, thread, outcome

    @Slot(int, int, str)
    def progress(self, done: int, total: int, stage: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(f"{stage}…　{done}/{total}" if total else f"{stage}…")

    @Slot(object, object)
    def finished(self, result: Any, exc: BaseException | None) -> None:
        self.outcome["result"], self.outcome["error"] = result, exc
        self.thread.quit()


def run_with_progress(parent: QWidget | None, title: str, work: Callable[..., Any], *,
                      cancellable: bool = True) -> tuple[Any, BaseException | None]:
    """Run ``work(progress=..., cancel=...)`` in a thread while a modal progress dialog shows how far it is.

    Returns (result, None) or (None, exception); the exception is never raised here.
    """
    dialog = QProgressDialog(title, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    if not cancellable:
        dialog.setCancelButton(None)
    job = _Job(work)
    thread = QThread()
    job.moveToThread(thread)
    outcome: dict[str, Any] = {}
    relay = _Relay(dialog, thread, outcome)
    job.progressed.connect(relay.progress, Qt.ConnectionType.QueuedConnection)
    job.finished.connect(relay.finished, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(job.cancelled.set)
    thread.started.connect(job.run)
    thread.start()
    dialog.show()
    while "error" not in outcome:
        QApplication.processEvents()
        thread.wait(20)
    thread.wait()
    dialog.close()
    return outcome.get("result"), outcome.get("error")
