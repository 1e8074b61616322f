"""Ordered, named schema migrations of the township file, applied when it is opened.

The same house pattern as the village file (``fpdesk.migrations``), for a different file: the baseline is
``resources/township_schema.sql`` (recorded as ``0001_township_baseline``); each later change is a function here,
added to ``MIGRATIONS`` in order and never edited once released, run in its own transaction and recorded in
``schema_migration``. A township's file from last year must open in this year's program.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Callable

BASELINE = "0001_township_baseline"

MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = ()

SCHEMA_VERSION = 1 + len(MIGRATIONS)


def applied(conn: sqlite3.Connection) -> set[str]:
    """Names of the migrations already recorded in the file."""
    return {row[0] for row in conn.execute("SELECT name FROM schema_migration")}


def apply_pending(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet in the file, in order, each in its own transaction. Returns their names."""
    done = applied(conn)
    ran = []
    for index, (name, migrate) in enumerate(MIGRATIONS):
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            migrate(conn)
            conn.execute("INSERT INTO schema_migration(name, applied_at) VALUES (?, ?)",
                         (name, dt.datetime.now().isoformat(timespec="seconds")))
            conn.execute(f"PRAGMA user_version = {index + 2}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ran.append(name)
    return ran
