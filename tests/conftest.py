"""Shared fixtures. Qt runs headless; every test gets its own fresh village file."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest

import tempfile  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the developer's own data folder or Qt settings (sort orders, window sizes).
_SANDBOX = tempfile.mkdtemp(prefix="fpdesk-tests-")
os.environ["FPDESK_HOME"] = os.path.join(_SANDBOX, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")

from fpdesk import services  # noqa: E402
from fpdesk.db import open_village_file  # noqa: E402

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def today() -> dt.date:
    """The entry date tests use, so results do not depend on the real date."""
    return TODAY


@pytest.fixture
def empty_db(tmp_path: Path) -> sqlite3.Connection:
    """A new village file with the schema but no village yet."""
    conn = open_village_file(tmp_path / "village.sqlite", create=True)
    yield conn
    conn.close()


@pytest.fixture
def fresh_db(empty_db: sqlite3.Connection) -> sqlite3.Connection:
    """A village file with the village and two groups set up, and nobody in it."""
    services.setup_village(empty_db, code="420102001001", name="双河村", township="城关镇", county="江岸区",
                           clerk="李芳", today=TODAY)
    services.add_group(empty_db, name="一组", head_name="王五", today=TODAY)
    services.add_group(empty_db, name="二组", head_name="赵六", today=TODAY)
    return empty_db


def file_content(conn: sqlite3.Connection) -> list[str]:
    """Every row of every table, as SQL text: equal before and after means the file's content is unchanged."""
    return list(conn.iterdump())


@pytest.fixture
def recorded(monkeypatch) -> list:
    """Every ``Changes`` the services return, in order (some cases make two calls: confirm, then withdraw)."""
    from fpdesk import ops

    seen: list = []
    finish = ops.Operation.finish

    def keep(self: ops.Operation):
        result = finish(self)
        seen.append(result)
        return result

    monkeypatch.setattr(ops.Operation, "finish", keep)
    return seen
