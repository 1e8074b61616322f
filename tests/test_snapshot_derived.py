"""What the ledgers work out once per snapshot (``Snapshot.derived``) is what they would work out each time: the
population on a day from everyone's span in it, the card holders, the board's married women."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fpdesk.db import open_village_file
from fpdesk.ledgers.board import board
from fpdesk.ledgers.change_report import monthly_change_report
from fpdesk.ledgers.population import (
    card_holders, has_card, in_population, is_married_woman_of_childbearing_age, population_on,
)
from fpdesk.snapshot import Snapshot, load_snapshot
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def snap(tmp_path_factory) -> Snapshot:
    from fpdesk.demo import make_demo_village

    path: Path = tmp_path_factory.mktemp("derived") / "demo.sqlite"
    make_demo_village(path, persons=500, seed=5, as_of=TODAY)
    conn = open_village_file(path)
    try:
        return load_snapshot(conn, as_of=TODAY)
    finally:
        conn.close()


def _days(snap: Snapshot) -> list[dt.date]:
    """Every day someone was born, died or moved, the days either side, and the first of every month since 1950."""
    days = {dt.date(y, m, 1) for y in range(1950, 2028) for m in range(1, 13)}
    for p in snap.persons:
        for day in (p.birth_date, p.moved_in_date, p.moved_out_date, p.death_date):
            if day is not None:
                days |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
    return sorted(days)


def test_population_on_a_day_is_who_is_in_the_population_that_day(snap) -> None:
    for day in _days(snap):
        assert population_on(snap, day) == tuple(p for p in snap.persons if in_population(p, day)), day


def test_card_holders_are_the_women_with_a_card(snap) -> None:
    for day in _days(snap)[::7]:
        assert card_holders(snap, day) == tuple(p for p in snap.persons if has_card(p, day)), day


def test_the_boards_married_women_are_the_married_women_of_childbearing_age(snap) -> None:
    women = [p for p in snap.persons if is_married_woman_of_childbearing_age(p, snap.as_of)]
    assert board(snap).married_women == len(women)


def test_worked_out_once_and_not_part_of_the_snapshots_value(snap, tmp_path) -> None:
    assert board(snap) is board(snap)
    assert monthly_change_report(snap, "2026-10") is monthly_change_report(snap, "2026-10")
    assert population_on(snap, snap.as_of) is population_on(snap, snap.as_of)
    fresh = Snapshot(**{f: getattr(snap, f) for f in Snapshot.__dataclass_fields__ if f != "_memo"})
    assert fresh == snap and fresh._memo == {} and snap._memo
    assert board(fresh) == board(snap) and board(fresh) is not board(snap)


def test_a_file_read_again_lets_the_previous_snapshot_go(tmp_path) -> None:
    # The population of a day is patched from the previous snapshot's after an edit; a file read again differs
    # everywhere, and what was kept for the old snapshot (a county file's million persons) must not stay alive.
    from fpdesk.demo import make_demo_village
    from fpdesk.ledgers import population

    path = tmp_path / "demo.sqlite"
    make_demo_village(path, persons=300, seed=2, as_of=TODAY)
    conn = open_village_file(path)
    try:
        first = load_snapshot(conn, as_of=TODAY)
        was = population_on(first, TODAY)
        second = load_snapshot(conn, as_of=TODAY)
        now = population_on(second, TODAY)
    finally:
        conn.close()
    assert now == was and now is not was
    kept = [persons for results in population._previous.values() for persons, _ in results]
    assert any(persons is second.persons for persons in kept)
    assert not any(persons is first.persons for persons in kept)
