"""Typed errors. Every message is in Chinese and says what is wrong and where, so it can be shown to a clerk."""

from __future__ import annotations


class FpdeskError(Exception):
    """Base of every error the core raises on purpose. ``str(err)`` is the clerk's message."""


class InputError(FpdeskError):
    """Bad input to a service function: nothing was written.

    field: the field at fault (the service function's parameter name), or "" for the call as a whole.
    message: what is wrong, in Chinese.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NotFoundError(InputError):
    """A reference to a record that does not exist."""


class LockedPeriodError(FpdeskError):
    """A change would alter a month that has been submitted (报送) and is locked."""

    def __init__(self, period: str) -> None:
        super().__init__(f"{period[:4]}年{int(period[5:])}月已报送并锁定，修改该月数据需先解锁并说明原因。")
        self.period = period


class VillageFileError(FpdeskError):
    """The village file cannot be opened or is not a village file."""


class FileLockedError(VillageFileError):
    """The village file is open in another window or on another computer (one file, one writer).

    holder: what the other instance wrote into the lock file (computer name, since when), or "" if unknown.
    """

    def __init__(self, message: str, *, holder: str = "") -> None:
        super().__init__(message)
        self.holder = holder


class StorageError(FpdeskError):
    """The disk refused a write: full, read-only, unplugged or failing. The action was not saved; nothing
    saved before it is lost.

    reason: "full", "readonly", "io" or "busy".
    """

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class BackupError(FpdeskError):
    """A backup could not be made, read or restored; the village file itself is unchanged."""
