"""Backups of the village file (备份与恢复): rolling automatic copies, a copy to a USB stick, restore.

Every copy is made with SQLite's online backup API from the open connection, inside one read transaction, so it
is a consistent picture of the file even though the live file is in WAL mode (a plain file copy could miss the
changes still in ``-wal``, or catch half of them). A copy is written under a temporary name, checked
(``PRAGMA integrity_check`` and the row count of every table against the source), flushed to disk, and only then
renamed to its real name: a crash, a full disk or a pulled USB stick can leave a stray ``.tmp`` file, never a
broken backup under a real name. Copies are single files (rollback-journal mode, no ``-wal``), so one file on a
USB stick is the whole village.

Automatic backups go to ``<user data folder>/backups/<village file name>/`` as
``<name>_<YYYYMMDD-HHMMSS>_<reason>.sqlite``; only files named like that are ever deleted there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from fpdesk import migrations
from fpdesk.db import REQUIRED_TABLES, connect
from fpdesk.errors import BackupError
from fpdesk.filelock import VillageLock
from fpdesk.ops import storage_error
from fpdesk.paths import user_data_dir

# Why a backup was made, as the restore list shows it.
REASONS: Mapping[str, str] = {
    "open": "打开时", "close": "关闭时", "daily": "每日", "manual": "手动", "restore": "恢复前",
}
_NAME_RE = re.compile(r"^(?P<stem>.+)_(?P<ts>\d{8}-\d{6})(?:-(?P<n>\d+))?_(?P<reason>[a-z]+)\.sqlite$")
_TS_FORMAT = "%Y%m%d-%H%M%S"


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Which automatic backups are kept (the rest are deleted after each new one).

    recent: the newest this many, whatever their age.
    days: the newest of each of the last this many days.
    months: the newest of each of the last this many months.
    max_total_mb: the kept copies together never exceed this (the oldest go first; the newest is always kept).
    """

    recent: int = 10
    days: int = 30
    months: int = 24
    max_total_mb: float = 500.0


DEFAULT_POLICY = RetentionPolicy()


@dataclass(frozen=True, slots=True)
class BackupEntry:
    """One automatic backup file, as listed without opening it.

    path: the file.
    made_at: when it was made (from its name, local time).
    reason: "open", "close", "daily", "manual" or "restore" (see ``REASONS``).
    size: bytes.
    """

    path: Path
    made_at: dt.datetime
    reason: str
    size: int


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup holds, for the clerk to see before restoring it (nothing in it is changed by looking).

    path: the file.
    made_at: when it was made (from an automatic backup's name, otherwise the file's modification time).
    reason: why it was made ("" when not an automatic backup).
    size: bytes.
    village_name, village_code: the village (""when the file has none yet).
    persons, households, births, events, operations: row counts (人员, 户, 生育, 变动, 操作).
    last_change: time of the last recorded action (ISO text), or None.
    schema_version: the file's version; above ``migrations.SCHEMA_VERSION`` it is from a newer program.
    """

    path: Path
    made_at: dt.datetime
    reason: str
    size: int
    village_name: str
    village_code: str
    persons: int
    households: int
    births: int
    events: int
    operations: int
    last_change: str | None
    schema_version: int

    @property
    def from_newer_program(self) -> bool:
        return self.schema_version > migrations.SCHEMA_VERSION

    def summary(self) -> str:
        """The preview line shown before a restore, in Chinese."""
        village = f"{self.village_name}（{self.village_code}）" if self.village_name else "（未填写村信息）"
        last = self.last_change.replace("T", " ")[:16] if self.last_change else "无"
        why = f"，{REASONS[self.reason]}备份" if self.reason in REASONS else ""
        return (
            f"{village}，备份于 {self.made_at:%Y-%m-%d %H:%M}{why}；"
            f"人员 {self.persons} 人，{self.households} 户，生育 {self.births} 条，变动 {self.events} 条；"
            f"最后修改 {last}"
        )


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What ``restore`` did.

    saved_current: the backup of the file as it was just before the restore (None if there was no file).
    restored: what the village file holds now.
    """

    saved_current: Path | None
    restored: BackupInfo


# ---------------------------------------------------------------------------------------------------------------
# Reading a file without changing it


def _is_wal_file(path: Path) -> bool:
    with open(path, "rb") as f:
        header = f.read(20)
    return len(header) == 20 and header[18] == 2


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection that leaves the file and its folder exactly as they are.

    A file in WAL mode (a village file copied by hand, perhaps with its ``-wal``) would need ``-shm`` created
    beside it even to read it, so it is read from a private copy instead.
    """
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    with contextlib.ExitStack() as stack:
        source = path
        try:
            wal = _is_wal_file(path)
        except OSError as exc:
            raise BackupError(f"无法读取“{path}”：{exc.strerror or exc}。") from exc
        if wal:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fpdesk-read-")))
            source = folder / "copy.sqlite"
            shutil.copyfile(path, source)
            side = path.with_name(path.name + "-wal")
            if side.exists():
                shutil.copyfile(side, folder / "copy.sqlite-wal")
        try:
            conn = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise BackupError(f"无法读取“{path}”（{exc}）。") from exc
        stack.callback(conn.close)
        yield conn


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _check_copy(path: Path, expected: Mapping[str, int]) -> None:
    """The copy is sound and holds as many rows in every table as the source did."""
    with _read_only(path) as conn:
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            counts = _table_counts(conn)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"备份校验失败（无法读取副本：{exc}），备份没有完成。") from exc
    if result != ["ok"]:
        raise BackupError("备份校验失败（副本已损坏，可能是存储设备有问题），备份没有完成。")
    if counts != dict(expected):
        raise BackupError("备份校验失败（副本与原文件的记录数不一致），备份没有完成。")


def describe_backup(path: str | Path) -> BackupInfo:
    """What a backup (or any village file) holds: the preview before a restore. Raises ``BackupError`` when the
    file is not a village file."""
    file = Path(path)
    with _read_only(file) as conn:
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not set(REQUIRED_TABLES) <= tables:
                raise BackupError(f"“{file.name}”不是村数据文件的备份。")
            village = conn.execute("SELECT name, code FROM village WHERE id = 1").fetchone()

            def count(table: str) -> int:
                return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if table in tables else 0

            last = conn.execute("SELECT max(at) FROM operation").fetchone()[0] if "operation" in tables else None
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            persons, households, births = count("person"), count("household"), count("birth")
            events, operations = count("change_event"), count("operation")
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"“{file.name}”不是村数据文件，或已损坏（{exc}）。") from exc
    stat = file.stat()
    parsed = _parse_name(file)
    return BackupInfo(
        path=file, made_at=parsed[0] if parsed else dt.datetime.fromtimestamp(stat.st_mtime),
        reason=parsed[1] if parsed else "", size=stat.st_size,
        village_name=village[0] if village else "", village_code=village[1] if village else "",
        persons=persons, households=households, births=births, events=events, operations=operations,
        last_change=last, schema_version=version,
    )


# ---------------------------------------------------------------------------------------------------------------
# Writing a checked copy


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows has no directory handles to flush; the rename is journaled by NTFS
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _copy_error(exc: BaseException, target: Path) -> BackupError:
    converted = storage_error(exc)
    if converted is not None and converted.reason == "full":
        return BackupError(f"“{target.parent}”空间不足，备份没有完成。村数据文件不受影响。")
    if converted is not None and converted.reason == "readonly" or isinstance(exc, PermissionError):
        return BackupError(f"“{target.parent}”是只读的或没有写入权限，备份没有完成。村数据文件不受影响。")
    return BackupError(f"写入“{target}”时出错（{exc}），备份没有完成。村数据文件不受影响。")


def _write_copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database of ``source`` to ``target`` (a new single file), checked, then renamed into place."""
    if source.in_transaction:
        raise BackupError("正在保存数据，请稍后再备份。")
    tmp = _temp_name(target)
    try:
        _remove_quietly(tmp)
        dest = sqlite3.connect(tmp)
        try:
            # Counts and pages come from one read transaction: the check below compares like with like.
            source.execute("BEGIN")
            try:
                expected = _table_counts(source)
                source.backup(dest)
            finally:
                source.execute("COMMIT")
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        _check_copy(tmp, expected)
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BackupError:
        _remove_quietly(tmp)
        raise
    except (sqlite3.Error, OSError) as exc:
        _remove_quietly(tmp)
        raise _copy_error(exc, target) from exc


def backup_to(conn: sqlite3.Connection, target: str | Path) -> BackupInfo:
    """备份到…: a checked copy of the open village file at ``target`` (a file name, or a folder such as a USB
    stick, where the copy gets a dated name). An existing file of that name is replaced only once the new copy
    has been checked."""
    path = Path(target)
    if path.is_dir():
        stem = _village_stem(conn)
        path = path / f"{stem}_{dt.datetime.now():{_TS_FORMAT}}_manual.sqlite"
    if not path.parent.is_dir():
        raise BackupError(f"找不到文件夹“{path.parent}”（U盘是否已插好？）。")
    _write_copy(conn, path)
    return describe_backup(path)


def _village_stem(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).stem if row and row[2] else "village"


# ---------------------------------------------------------------------------------------------------------------
# Automatic rolling backups


def backup_dir(village_path: str | Path) -> Path:
    """Where the automatic backups of a village file go (not created until the first backup)."""
    return user_data_dir() / "backups" / Path(village_path).stem


def _parse_name(path: Path) -> tuple[dt.datetime, str] | None:
    m = _NAME_RE.match(path.name)
    if m is None or m["reason"] not in REASONS:
        return None
    try:
        return dt.datetime.strptime(m["ts"], _TS_FORMAT), m["reason"]
    except ValueError:
        return None


def list_backups(village_path: str | Path) -> list[BackupEntry]:
    """The automatic backups of a village file, newest first (for the restore list)."""
    folder = backup_dir(village_path)
    if not folder.is_dir():
        return []
    entries = []
    for path in folder.iterdir():
        parsed = _parse_name(path)
        if parsed is None or not path.is_file():
            continue
        entries.append(BackupEntry(path, parsed[0], parsed[1], path.stat().st_size))
    return sorted(entries, key=lambda e: (e.made_at, e.path.name), reverse=True)


def last_backup_time(village_path: str | Path) -> dt.datetime | None:
    """When the newest automatic backup was made (for the status bar), or None."""
    entries = list_backups(village_path)
    return entries[0].made_at if entries else None


def _read_into_buffer(path: Path) -> bytearray:
    with open(path, "rb") as f:
        data = bytearray(os.fstat(f.fileno()).st_size)
        if f.readinto(data) != len(data):
            raise OSError(f"{path} changed while it was read")
    return data


def _unchanged_since(conn: sqlite3.Connection, entry: BackupEntry) -> bool:
    """The newest backup holds exactly what the file holds now (page for page).

    Compared byte for byte, which is exact and takes a few milliseconds; hashing both took a tenth of a second of
    every opening and closing of a 10,000-person village, before the window could show."""
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        if page_size * pages != entry.size:  # a copy has as many pages as its source
            return False
        live, copy = conn.serialize(), _read_into_buffer(entry.path)
    except (OSError, sqlite3.Error, MemoryError):
        return False
    if len(live) != len(copy):
        return False
    # Bytes 18-19 (journal mode) and the change counter differ between a live file and its copy: they are taken
    # from the live file (into the copy's private buffer, so nothing large is copied). The schema version (60-63)
    # and every page after the 100-byte header are the content, compared as they are.
    copy[:60] = live[:60]
    copy[64:100] = live[64:100]
    return copy == live


def auto_backup(
    conn: sqlite3.Connection, village_path: str | Path, *, reason: str, now: dt.datetime | None = None,
    policy: RetentionPolicy = DEFAULT_POLICY,
) -> Path | None:
    """An automatic backup: on opening ("open"), on closing ("close"), and from a timer ("daily": only when the
    newest backup is from an earlier day). Nothing is written when the file is unchanged since the newest backup.
    Old backups are then thinned out by ``policy``.

    It reads through ``conn`` in one read transaction: call it where the connection is used (the GUI thread), or
    give a worker thread a connection of its own (``db.connect(village_path)``).
    Returns the new backup, or None when none was needed. Raises ``BackupError`` (the village file is unaffected).
    """
    if reason not in ("open", "close", "daily"):
        raise ValueError(f"unknown backup reason: {reason}")
    moment = (now or dt.datetime.now()).replace(microsecond=0)
    folder = backup_dir(village_path)
    existing = list_backups(village_path)
    if existing:
        newest = existing[0]
        if reason == "daily" and newest.made_at.date() >= moment.date():
            return None
        if _unchanged_since(conn, newest):
            return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stray in folder.glob(".*.tmp"):  # left by a backup that was interrupted (crash, power cut)
            _remove_quietly(stray)
    except OSError as exc:
        raise _copy_error(exc, folder / "x") from exc
    stem = Path(village_path).stem
    name = f"{stem}_{moment:{_TS_FORMAT}}_{reason}.sqlite"
    n = 1
    while (folder / name).exists():
        n += 1
        name = f"{stem}_{moment:{_TS_FORMAT}}-{n}_{reason}.sqlite"
    target = folder / name
    _write_copy(conn, target)
    prune(village_path, now=moment, policy=policy)
    return target


def backups_to_keep(entries: list[BackupEntry], *, now: dt.datetime, policy: RetentionPolicy) -> set[Path]:
    """The backups ``policy`` keeps, of ``entries`` (newest first)."""
    keep: list[BackupEntry] = list(entries[: policy.recent])
    days = {(now.date() - dt.timedelta(days=d)) for d in range(policy.days)}
    months = set()
    year, month = now.year, now.month
    for _ in range(policy.months):
        months.add((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    seen_days: set[dt.date] = set()
    seen_months: set[tuple[int, int]] = set()
    for e in entries:  # newest first, so the first one met of a day or month is its newest
        day, mon = e.made_at.date(), (e.made_at.year, e.made_at.month)
        if day in days and day not in seen_days:
            seen_days.add(day)
            keep.append(e)
        if mon in months and mon not in seen_months:
            seen_months.add(mon)
            keep.append(e)
    restores = [e for e in entries if e.reason == "restore"]
    if restores:  # the copy made before the last restore is the way back from a wrong restore
        keep.append(restores[0])
    budget = policy.max_total_mb * 1024 * 1024
    kept: set[Path] = set()
    total = 0
    for e in sorted(set(keep), key=lambda e: (e.made_at, e.path.name), reverse=True):
        if kept and total + e.size > budget:
            continue
        kept.add(e.path)
        total += e.size
    return kept


def prune(village_path: str | Path, *, now: dt.datetime | None = None,
          policy: RetentionPolicy = DEFAULT_POLICY) -> list[Path]:
    """Delete the automatic backups ``policy`` no longer keeps. Returns what was deleted."""
    entries = list_backups(village_path)
    keep = backups_to_keep(entries, now=now or dt.datetime.now(), policy=policy)
    gone = []
    for e in entries:
        if e.path not in keep:
            _remove_quietly(e.path)
            gone.append(e.path)
    return gone


# ---------------------------------------------------------------------------------------------------------------
# Restore


def _save_current(current: Path, moment: dt.datetime) -> Path:
    """Back up the village file about to be replaced, and leave it closed with its WAL folded in.

    A file too damaged for SQLite to copy (often why one restores) is saved byte for byte, with its ``-wal``.
    """
    folder = backup_dir(current)
    folder.mkdir(parents=True, exist_ok=True)
    stem, n = current.stem, 1
    name = f"{stem}_{moment:{_TS_FORMAT}}_restore.sqlite"
    while (folder / name).exists():
        n += 1
        name = f"{stem}_{moment:{_TS_FORMAT}}-{n}_restore.sqlite"
    target = folder / name
    wal = current.with_name(current.name + "-wal")
    try:
        conn = connect(current)
    except sqlite3.DatabaseError:
        conn = None
    if conn is not None:
        copied = False
        try:
            _write_copy(conn, target)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            copied = True
        except (BackupError, sqlite3.DatabaseError):
            pass  # damaged: saved byte for byte below
        finally:
            conn.close()
        if copied:
            # SQLite deletes -wal when the last connection closes: one that survives our close belongs to
            # another connection still open on the file, which the restore would pull the file from under.
            if wal.exists():
                raise BackupError("村数据文件仍在使用中（还有窗口或程序打开着它），请先关闭后再恢复。")
            return target
    try:
        tmp = _temp_name(target)
        shutil.copyfile(current, tmp)
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        _fsync(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise _copy_error(exc, target) from exc
    return target


def restore(
    current_path: str | Path, backup_path: str | Path, *, lock: VillageLock | None = None,
    now: dt.datetime | None = None,
) -> RestoreResult:
    """恢复: replace the village file with a backup. The file as it is now is backed up first ("restore" in the
    backup list), so a wrong restore can itself be undone.

    Every connection to ``current_path`` must be closed first. lock: the caller's held lock on the village file;
    without one, ``restore`` takes it (``FileLockedError`` if another window has the file open).
    The replacement is atomic: after a crash at any point the file is either the old one or the restored one.
    """
    current, source = Path(current_path), Path(backup_path)
    info = describe_backup(source)
    if info.from_newer_program:
        raise BackupError(f"该备份由更新版本的程序创建（文件版本 {info.schema_version}），请先升级程序再恢复。")
    if current.exists() and current.resolve() == source.resolve():
        raise BackupError("不能用村数据文件恢复它自己，请选择一个备份文件。")
    own_lock = lock is None
    held = lock or VillageLock(current)
    if own_lock:
        held.acquire()
    elif not held.held:
        raise ValueError("restore: the lock passed in is not held")
    try:
        moment = (now or dt.datetime.now()).replace(microsecond=0)
        for stray in current.parent.glob(f".{glob.escape(current.name)}.*.tmp"):  # from an interrupted restore
            _remove_quietly(stray)
        saved = _save_current(current, moment) if current.exists() else None
        tmp = _temp_name(current)
        try:
            with _read_only(source) as src:
                expected = _table_counts(src)
                dest = sqlite3.connect(tmp)
                try:
                    src.backup(dest)
                    dest.execute("PRAGMA journal_mode = DELETE")
                finally:
                    dest.close()
            _check_copy(tmp, expected)
            _fsync(tmp)
            # The old file's -wal and -shm describe the old pages: they must be gone before the new file takes
            # its name, or SQLite would lay them over it. Its content is safe in ``saved`` by now.
            for side in ("-wal", "-shm", "-journal"):
                _remove_quietly(current.with_name(current.name + side))
            os.replace(tmp, current)
            _fsync_dir(current.parent)
        except BackupError:
            _remove_quietly(tmp)
            raise
        except (sqlite3.Error, OSError) as exc:
            _remove_quietly(tmp)
            raise BackupError(f"恢复没有完成（{exc}），村数据文件保持原样。") from exc
        prune(current, now=moment)
    finally:
        if own_lock:
            held.release()
    return RestoreResult(saved_current=saved, restored=describe_backup(current))
