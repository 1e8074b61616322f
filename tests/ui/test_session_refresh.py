"""The session brings its snapshot up to date after each action without reading the whole file again, and what
every view then reads is what the file holds."""

from __future__ import annotations

import pytest

from fpdesk import services
from fpdesk.checks import run_checks
from fpdesk.snapshot import load_snapshot
from tests.conftest import TODAY
from ui.session import VillageSession


@pytest.fixture
def pinned(session: VillageSession) -> VillageSession:
    session.today = TODAY
    services.register_household(session.conn, number="001", group="一组", today=TODAY, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶"},
    ])
    return session


def test_apply_refreshes_instead_of_reloading(pinned: VillageSession, qtbot, monkeypatch) -> None:
    wife = next(p for p in pinned.snapshot.persons if p.name == "李娜")
    loads = []
    monkeypatch.setattr("ui.session.load_snapshot", lambda *a, **k: loads.append(1) or load_snapshot(*a, **k))
    with qtbot.waitSignal(pinned.changed):
        pinned.apply(services.record_marriage, person=wife.id, spouse=wife.id - 1, date="2015-05-01")
    with qtbot.waitSignal(pinned.changed):
        pinned.apply(services.record_birth, mother=wife.id, child_name="张小明", sex="男", birth_date="2026-11-01")
    snap = pinned.snapshot
    assert loads == []  # no full load after an edit
    assert snap == load_snapshot(pinned.conn, as_of=TODAY)
    assert [b.child_name for b in snap.births_of[wife.id]] == ["张小明"]
    assert pinned.findings == run_checks(load_snapshot(pinned.conn, as_of=TODAY))


def test_a_session_never_read_loads_on_first_use(pinned: VillageSession) -> None:
    wife = next(p for p in load_snapshot(pinned.conn, as_of=TODAY).persons if p.name == "李娜")
    fresh = VillageSession(pinned.path, pinned.conn)
    fresh.today = TODAY
    fresh.apply(services.correct_field, table="person", record=wife.id, field="education", value="高中")
    assert fresh.snapshot == load_snapshot(pinned.conn, as_of=TODAY)
