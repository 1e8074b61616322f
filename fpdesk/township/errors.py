"""The township's typed errors (Chinese messages, shown as they are)."""

from __future__ import annotations

from fpdesk.errors import FpdeskError


class TownshipFileError(FpdeskError):
    """The township file cannot be opened, is not a township file, or is not set up."""


class VillageListError(FpdeskError):
    """The list of villages (村代码,村名称) cannot be used; ``problems`` holds every line at fault."""

    def __init__(self, message: str, *, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message + ("\n" + "\n".join(problems) if problems else ""))
        self.problems = problems
