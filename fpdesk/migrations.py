"""Ordered, named schema migrations, applied when a village file is opened.

The baseline is ``db_schema.sql`` (recorded as ``0001_baseline``). Each later change is a function here, added to
``MIGRATIONS`` in order and never edited once released: a clerk's two-year-old file must open in today's program.
Each runs in its own transaction and is recorded in ``schema_migration`` with its name.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Callable

BASELINE = "0001_baseline"


def _0002_settings_defaults(conn: sqlite3.Connection) -> None:
    """Settings every village has: the reporting deadline day, the late-entry limit, the statistics year start."""
    conn.executemany(
        "INSERT OR IGNORE INTO setting(key, value) VALUES (?, ?)",
        [("deadline_day", "5"), ("timeliness_days", "30"), ("mask_id_numbers", "1")],
    )


def _0003_search_indexes(conn: sqlite3.Connection) -> None:
    """Indexes the registers lean on: births by date, measures by start, events by type."""
    conn.execute("CREATE INDEX IF NOT EXISTS birth_date ON birth(birth_date)")
    conn.execute("CREATE INDEX IF NOT EXISTS measure_start ON measure(start_date)")
    conn.execute("CREATE INDEX IF NOT EXISTS change_event_type ON change_event(change_type, report_period)")


def _0004_finding_exceptions(conn: sqlite3.Connection) -> None:
    """Findings the clerk confirmed as real exceptions (确认例外): they stay listed, marked, and are reported."""
    conn.execute(
        "CREATE TABLE finding_exception ("
        " key TEXT PRIMARY KEY,"            # Finding.key: rule code, record, field (and month)
        " code TEXT NOT NULL,"
        " note TEXT NOT NULL CHECK (trim(note) <> ''),"
        " confirmed_at TEXT NOT NULL,"
        " user TEXT NOT NULL DEFAULT '')"
    )


MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = (
    ("0002_settings_defaults", _0002_settings_defaults),
    ("0003_search_indexes", _0003_search_indexes),
    ("0004_finding_exceptions", _0004_finding_exceptions),
)

SCHEMA_VERSION = 1 + len(MIGRATIONS)


def applied(conn: sqlite3.Connection) -> set[str]:
    """Names of the migrations already recorded in the file."""
    return {row[0] for row in conn.execute("SELECT name FROM schema_migration")}


Migration = tuple[str, Callable[[sqlite3.Connection], None]]


def run_migrations(conn: sqlite3.Connection, migrations: tuple[Migration, ...]) -> list[str]:
    """Apply every migration of ``migrations`` not yet recorded in the file, in order, each in its own
    transaction, recording it and the schema version (baseline = 1). Shared by the village and township files.
    Returns the names applied."""
    done = applied(conn)
    ran = []
    for index, (name, migrate) in enumerate(migrations):
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            migrate(conn)
            conn.execute(
                "INSERT INTO schema_migration(name, applied_at) VALUES (?, ?)",
                (name, dt.datetime.now().isoformat(timespec="seconds")),
            )
            conn.execute(f"PRAGMA user_version = {index + 2}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ran.append(name)
    return ran


def apply_pending(conn: sqlite3.Connection) -> list[str]:
    """Apply the village file's pending migrations (see ``run_migrations``)."""
    return run_migrations(conn, MIGRATIONS)
