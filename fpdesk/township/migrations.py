"""Ordered, named schema migrations of the township file, applied when it is opened.

The same house pattern as the village file (``fpdesk.migrations``), for a different file: the baseline is
``resources/township_schema.sql`` (recorded as ``0001_township_baseline``); each later change is a function here,
added to ``MIGRATIONS`` in order and never edited once released, run in its own transaction and recorded in
``schema_migration``. A township's file from last year must open in this year's program.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from fpdesk.migrations import run_migrations

BASELINE = "0001_township_baseline"

MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = ()

SCHEMA_VERSION = 1 + len(MIGRATIONS)


def apply_pending(conn: sqlite3.Connection) -> list[str]:
    """Apply the township file's pending migrations with the village file's runner."""
    return run_migrations(conn, MIGRATIONS)
