"""One file, one writer: a village file is open in at most one program window at a time.

SQLite alone would let two windows (or two computers sharing a folder) write the same file in turn, each working
from its own stale view: a birth entered in one window would vanish from the other's screens, and the monthly
report would be built from whichever wrote last. So the program takes an OS lock on ``<village file>.lock``
before it opens the file and holds it until it closes it:

* ``fcntl.flock`` on Linux and macOS, ``msvcrt.locking`` on Windows. Both belong to the open file handle, so
  the operating system drops the lock when the process ends in any way (closed, crashed, killed): a crash never
  leaves the village file locked for good. The lock file itself stays behind, empty; it means nothing unless
  someone holds a lock on it.
* the lock file holds the computer name and the time, so the message can say where the file is open.

``open_exclusive`` is how the program opens a clerk's village file; ``open_village_file`` (no lock) stays for
tools and tests that read a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from fpdesk.db import open_village_file
from fpdesk.errors import FileLockedError, StorageError, VillageFileError
from fpdesk.ops import storage_error

# Windows locks a byte range; lock one byte well past the holder text so the text stays readable to others.
_LOCK_OFFSET = 1 << 20

LOCKED_MESSAGE = (
    "该村数据文件已在另一个窗口或另一台电脑上打开{holder}。为防止两处同时修改造成数据混乱，不能再次打开。\n"
    "请先关闭那个窗口；如果那边的程序已经退出或电脑已关机，请稍候重试。"
)
READ_ONLY_MESSAGE = (
    "村数据文件“{path}”是只读的（可能在光盘或写保护的U盘上，或文件、文件夹被设为只读），不能在此修改。\n"
    "请把文件复制到电脑硬盘上再打开。"
)


def lock_path(village_path: str | Path) -> Path:
    """The lock file next to a village file: ``village.sqlite`` → ``village.sqlite.lock``."""
    path = Path(village_path)
    return path.with_name(path.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError when held elsewhere; other errors (no lock support) also mean "not ours"
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _holder_text(path: Path) -> str:
    """“（计算机 X，自 2026-11-23 09:30 起）” from the lock file, or "" when it cannot be read."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return ""
    parts = []
    if isinstance(info, dict) and info.get("host"):
        parts.append(f"计算机 {info['host']}")
    if isinstance(info, dict) and info.get("since"):
        parts.append(f"自 {str(info['since']).replace('T', ' ')[:16]} 起")
    return f"（{'，'.join(parts)}）" if parts else ""


class VillageLock:
    """The lock that makes this process the one writer of a village file.

    path: the lock file (``lock_path`` of the village file).
    held: whether this object holds the lock now.
    """

    def __init__(self, village_path: str | Path) -> None:
        self.path = lock_path(village_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or raise ``FileLockedError`` (another window or computer has the file open) or
        ``StorageError`` (the folder is read-only, so the file cannot be written here anyway)."""
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StorageError(READ_ONLY_MESSAGE.format(path=self.path.with_suffix("")), reason="readonly") from exc
        if not _try_lock(fd):
            os.close(fd)
            holder = _holder_text(self.path)
            raise FileLockedError(LOCKED_MESSAGE.format(holder=holder), holder=holder)
        self._fd = fd
        info = {"host": socket.gethostname(), "pid": os.getpid(), "since": dt.datetime.now().isoformat(timespec="seconds")}
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # the note is a courtesy for the message; the lock itself is what protects the file

    def release(self) -> None:
        """Give the lock up (closing the program, or before restoring a backup made elsewhere)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
            _unlock(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def __del__(self) -> None:  # a lock nobody holds a reference to protects nothing
        self.release()

    def __enter__(self) -> "VillageLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@dataclass(slots=True)
class OpenVillage:
    """A village file open for the clerk to work on: its connection and the lock that keeps others out.

    path: the village file.
    conn: the connection (as ``open_village_file`` returns it).
    lock: held until ``close``.
    """

    path: Path
    conn: sqlite3.Connection
    lock: VillageLock

    def close(self) -> None:
        """Close the connection (SQLite checkpoints the WAL into the file), then release the lock."""
        try:
            self.conn.close()
        finally:
            self.lock.release()


def _writable(path: Path) -> bool:
    folder_ok = os.access(path.parent, os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def open_exclusive(path: str | Path, *, create: bool = False) -> OpenVillage:
    """Open a village file for writing, as the only program that has it open.

    Raises ``FileLockedError`` when another window or computer has it open, ``StorageError`` when it is
    read-only, and whatever ``open_village_file`` raises (``VillageFileError``) for a missing or foreign file.
    """
    village = Path(path)
    if not create and not village.exists():
        raise VillageFileError(f"找不到村数据文件：{village}")
    if village.exists() and not _writable(village):
        raise StorageError(READ_ONLY_MESSAGE.format(path=village), reason="readonly")
    lock = VillageLock(village)
    lock.acquire()
    try:
        conn = open_village_file(village, create=create)
    except sqlite3.Error as exc:
        lock.release()
        converted = storage_error(exc)
        if converted is None:
            raise
        raise converted from exc
    except BaseException:
        lock.release()
        raise
    return OpenVillage(village, conn, lock)
