"""One file, one writer: a village file open in one program cannot be opened in another, and a crash never
leaves it locked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fpdesk import services
from fpdesk.errors import FileLockedError, StorageError, VillageFileError
from fpdesk.filelock import LOCKED_MESSAGE, VillageLock, lock_path, open_exclusive
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
# A second program: tries to open the file, prints what the clerk would see, then holds it until stdin closes.
SECOND_PROGRAM = """
import sys
from fpdesk.filelock import open_exclusive
from fpdesk.errors import FpdeskError
try:
    village = open_exclusive(sys.argv[1])
except FpdeskError as exc:
    print(type(exc).__name__, exc, flush=True)
    sys.exit(2)
print("OPENED", flush=True)
sys.stdin.read()
village.close()
"""


def second_program(path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SECOND_PROGRAM, str(path)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, encoding="utf-8")


@pytest.fixture
def village_path(tmp_path: Path) -> Path:
    path = tmp_path / "双河村.sqlite"
    village = open_exclusive(path, create=True)
    services.setup_village(village.conn, code="420102001001", name="双河村", today=TODAY)
    village.close()
    return path


def test_a_file_open_here_is_refused_to_a_second_program_in_chinese(village_path) -> None:
    village = open_exclusive(village_path)
    try:
        other = second_program(village_path)
        out, _ = other.communicate(timeout=30)
        assert other.returncode == 2
        assert out.startswith("FileLockedError 该村数据文件已在另一个窗口或另一台电脑上打开")
        assert "计算机" in out  # says where it is open
    finally:
        village.close()


def test_a_file_open_in_another_program_is_refused_here(village_path) -> None:
    other = second_program(village_path)
    try:
        assert other.stdout.readline().strip() == "OPENED"
        with pytest.raises(FileLockedError) as err:
            open_exclusive(village_path)
        assert str(err.value).startswith(LOCKED_MESSAGE.split("{")[0])
    finally:
        other.communicate("", timeout=30)
    open_exclusive(village_path).close()  # and free again once that program closed it


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_crashed_program_leaves_the_file_free(village_path) -> None:
    other = second_program(village_path)
    assert other.stdout.readline().strip() == "OPENED"
    other.send_signal(signal.SIGKILL)
    other.wait(timeout=30)
    village = open_exclusive(village_path)
    assert village.conn.execute("SELECT name FROM village").fetchone()[0] == "双河村"
    village.close()


def test_two_windows_of_one_program_are_refused_too(village_path) -> None:
    village = open_exclusive(village_path)
    try:
        with pytest.raises(FileLockedError):
            open_exclusive(village_path)
    finally:
        village.close()
    open_exclusive(village_path).close()


def test_the_lock_is_a_file_next_to_the_village_file_and_a_context_manager(village_path) -> None:
    assert lock_path(village_path) == village_path.with_name("双河村.sqlite.lock")
    with VillageLock(village_path) as lock:
        assert lock.held and lock.path.exists()
        with pytest.raises(FileLockedError):
            VillageLock(village_path).acquire()
    assert not lock.held
    again = VillageLock(village_path)
    again.acquire()
    again.release()


def test_a_missing_file_is_reported_without_leaving_a_lock_file(tmp_path) -> None:
    with pytest.raises(VillageFileError) as err:
        open_exclusive(tmp_path / "nope.sqlite")
    assert "找不到" in str(err.value)
    assert not lock_path(tmp_path / "nope.sqlite").exists()


@pytest.fixture
def read_only(village_path):
    """Make the village file read-only for this process (root ignores permission bits, so root uses chattr)."""
    if os.geteuid() != 0:
        village_path.chmod(0o444)
        yield village_path
        village_path.chmod(0o644)
        return
    done = subprocess.run(["chattr", "+i", str(village_path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot make a file read-only for root here (no chattr)")
    yield village_path
    subprocess.run(["chattr", "-i", str(village_path)], check=True)


def test_a_read_only_file_is_refused_with_a_clear_message(read_only) -> None:
    before = read_only.read_bytes()
    with pytest.raises(StorageError) as err:
        open_exclusive(read_only)
    assert err.value.reason == "readonly" and "只读" in str(err.value)
    assert read_only.read_bytes() == before
