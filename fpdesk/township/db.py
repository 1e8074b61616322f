"""Opening and creating the township file (乡镇汇总文件): one SQLite file per township office.

The same house settings as the village file (``fpdesk.db.connect``: explicit transactions, foreign keys, WAL),
a schema of its own (``resources/township_schema.sql`` plus ``fpdesk.township.migrations``), and a mark in the
SQLite header (``PRAGMA application_id``) so that ``fpdesk --db FILE`` can tell a township file from a village file
without guessing.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from fpdesk.db import connect, is_empty
from fpdesk.ops import storage_error
from fpdesk.paths import resources_dir
from fpdesk.township import migrations
from fpdesk.township.errors import TownshipFileError

APPLICATION_ID = 0x46505457          # "FPTW": fpdesk township
REQUIRED_TABLES = ("township", "village", "submission", "table_figure", "indicator_figure", "finding_figure",
                   "score_figure", "schema_migration")


def schema_sql() -> str:
    """The baseline schema of the township file."""
    return (resources_dir() / "township_schema.sql").read_text(encoding="utf-8")


def is_township_file(path: str | Path) -> bool:
    """True when ``path`` is a township file (marked, or holding the township tables). Never raises, never writes:
    a missing file, a village file, a non-SQLite file are all simply False."""
    file = Path(path)
    try:
        if not file.is_file() or file.stat().st_size < 100:
            return False
        with open(file, "rb") as f:
            header = f.read(100)
    except OSError:
        return False
    if not header.startswith(b"SQLite format 3\x00"):
        return False
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return True
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return {"township", "submission"} <= names


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the baseline schema in an empty database and record it."""
    conn.executescript("BEGIN;\n" + schema_sql() + "\nCOMMIT;")
    conn.execute("INSERT INTO schema_migration(name, applied_at) VALUES (?, ?)",
                 (migrations.BASELINE, dt.datetime.now().isoformat(timespec="seconds")))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    migrations.apply_pending(conn)


def open_township_file(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """Open a township file (creating an empty one if asked) and bring its schema up to date.

    Raises ``TownshipFileError`` (in Chinese) for a missing file, a file that is not SQLite, a village file, or a
    file made by a newer program.
    """
    text = str(path)
    if text != ":memory:" and not create and not Path(path).exists():
        raise TownshipFileError(f"找不到乡镇汇总文件：{path}")
    try:
        conn = connect(path)
        empty = is_empty(conn)
    except sqlite3.DatabaseError as exc:
        raise TownshipFileError(f"“{path}”不是乡镇汇总文件（无法按数据库读取：{exc}）。") from exc
    if empty:
        if not create:
            conn.close()
            raise TownshipFileError(f"“{path}”是空文件，不是乡镇汇总文件。请先用“建立乡镇”生成。")
        create_schema(conn)
        return conn
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in REQUIRED_TABLES if t not in names]
    if missing:
        conn.close()
        if "person" in names:
            raise TownshipFileError(f"“{path}”是村数据文件，不是乡镇汇总文件。")
        raise TownshipFileError(f"“{path}”不是乡镇汇总文件（缺少数据表：{'、'.join(missing)}）。")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > migrations.SCHEMA_VERSION:
        conn.close()
        raise TownshipFileError(f"“{path}”由更新版本的程序创建（文件版本 {version}，本程序支持到 "
                                f"{migrations.SCHEMA_VERSION}），请升级程序。")
    migrations.apply_pending(conn)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``with transaction(conn):`` one BEGIN IMMEDIATE … COMMIT, rolled back on any exception; a disk that refuses
    the write is reported as ``fpdesk.errors.StorageError`` (the file stays as it was)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # rolled back when the file is next opened; the first error is the one to report
        converted = storage_error(exc)
        if converted is not None:
            raise converted from exc
        raise
