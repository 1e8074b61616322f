"""Opening and creating the village file (one SQLite file per village).

The file is opened in WAL mode with foreign keys on; Python's implicit transactions are off, so every write goes
through ``fpdesk.ops.operation`` (one BEGIN IMMEDIATE ... COMMIT per clerk action).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from fpdesk import migrations
from fpdesk.errors import InputError, VillageFileError
from fpdesk.paths import schema_path

REQUIRED_TABLES = ("village", "person", "change_event", "audit_log", "schema_migration")


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection with the house settings: autocommit (explicit transactions), foreign keys, WAL, Row rows."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the baseline schema in an empty database and record it."""
    script = schema_path().read_text(encoding="utf-8")
    conn.executescript("BEGIN;\n" + script + "\nCOMMIT;")
    conn.execute(
        "INSERT INTO schema_migration(name, applied_at) VALUES (?, ?)",
        (migrations.BASELINE, dt.datetime.now().isoformat(timespec="seconds")),
    )
    conn.execute("PRAGMA user_version = 1")


def is_empty(conn: sqlite3.Connection) -> bool:
    """True when the database has no tables at all."""
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0


def open_village_file(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """Open a village file, creating it if asked, and bring its schema up to date.

    Raises ``VillageFileError`` (in Chinese) for a missing file, a file that is not SQLite, or a SQLite file that
    is not a village file.
    """
    path_text = str(path)
    if path_text != ":memory:" and not create and not Path(path).exists():
        raise VillageFileError(f"找不到村数据文件：{path}")
    try:
        conn = connect(path)
        empty = is_empty(conn)
    except sqlite3.DatabaseError as exc:
        raise VillageFileError(f"“{path}”不是村数据文件（无法按数据库读取：{exc}）。") from exc
    if empty:
        if not create:
            conn.close()
            raise VillageFileError(f"“{path}”是空文件，不是村数据文件。")
        create_schema(conn)
    else:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in REQUIRED_TABLES if t not in names]
        if missing:
            conn.close()
            raise VillageFileError(f"“{path}”不是村数据文件（缺少数据表：{'、'.join(missing)}）。")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > migrations.SCHEMA_VERSION:
            conn.close()
            raise VillageFileError(
                f"“{path}”由更新版本的程序创建（文件版本 {version}，本程序支持到 {migrations.SCHEMA_VERSION}），请升级程序。"
            )
    migrations.apply_pending(conn)
    return conn


def village_row(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The village's own row, or None in a file not yet set up."""
    return conn.execute("SELECT * FROM village WHERE id = 1").fetchone()


def get_setting(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    """One village setting."""
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return default if row is None else row[0]


def int_setting(conn: sqlite3.Connection, key: str, default: int) -> int:
    """A numeric setting; a damaged value falls back to the default."""
    value = get_setting(conn, key)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def require_village(conn: sqlite3.Connection) -> sqlite3.Row:
    """The village row, or an ``InputError`` telling the clerk to set up the village first."""
    row = village_row(conn)
    if row is None:
        raise InputError("尚未填写村信息，请先建立村（村代码、村名称）。", field="village")
    return row
