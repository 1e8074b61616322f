"""What the tests that edit a demo village at random share: a fresh copy of a demo village per test, and values
a clerk might type into any writable field."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path
from typing import Callable, Sequence

import pytest

from fpdesk import codes, services
from fpdesk.db import open_village_file
from fpdesk.errors import InputError
from fpdesk.fields import FIELDS
from fpdesk.ops import Changes
from tests.conftest import TODAY


def demo_village(*, persons: int, seed: int):
    """The fixtures ``demo_file`` (a demo village made once per module) and ``demo`` (a connection to a copy of
    it for one test): ``demo_file, demo = demo_village(persons=400, seed=3)`` at a test module's top level."""

    @pytest.fixture(scope="module")
    def demo_file(tmp_path_factory) -> Path:
        from fpdesk.demo import make_demo_village

        path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
        make_demo_village(path, persons=persons, seed=seed, as_of=TODAY)
        return path

    @pytest.fixture
    def demo(demo_file: Path, tmp_path: Path) -> sqlite3.Connection:
        work = tmp_path / "work.sqlite"
        work.write_bytes(demo_file.read_bytes())
        conn = open_village_file(work)
        yield conn
        conn.close()

    return demo_file, demo


def clerk_value(
    rng: random.Random, conn: sqlite3.Connection, table: str, column: str, *,
    around: Sequence[dt.date], days: tuple[int, int], reuse_text: bool,
):
    """A value a clerk might type into ``table.column``: a code of its table, a date some ``days`` from one of
    ``around`` (or a blank), an existing record, a flag, a small number; for text, another record's value of the
    same column half the time when ``reuse_text`` (duplicates, links), else a new one, or a blank."""
    spec = FIELDS[table][column]
    if spec.kind == "code":
        return rng.choice(list(codes.table(spec.codes)))
    if spec.kind == "date":
        if not spec.required and rng.random() < 0.15:
            return ""
        return (rng.choice(around) + dt.timedelta(days=rng.randint(*days))).isoformat()
    if spec.kind == "ref":
        ids = [r[0] for r in conn.execute(f"SELECT id FROM {spec.ref}")]
        return "" if not spec.required and rng.random() < 0.1 else rng.choice(ids)
    if spec.kind == "flag":
        return rng.choice([0, 1])
    if spec.kind == "int":
        return rng.randint(1, 4)
    if spec.kind == "money":
        return str(rng.randint(1, 100))
    roll = rng.random()
    if reuse_text:
        others = [r[0] for r in conn.execute(f"SELECT {column} FROM {table} WHERE {column} <> '' LIMIT 200")]
        if others and roll < 0.5:
            return rng.choice(others)
        return f"{column}{rng.randrange(10**6)}" if roll < 0.8 else ""
    return f"{column}{rng.randrange(100)}" if roll < 0.8 else ""


def random_correction(
    rng: random.Random, conn: sqlite3.Connection, tables: Sequence[str],
    value: Callable[[random.Random, sqlite3.Connection, str, str], object],
) -> Changes | None:
    """One correction a clerk might make (``services.correct_field``): a random field of a random record of one of
    ``tables`` set to ``value(rng, conn, table, column)``; None when the table has no records or the service refuses
    the value."""
    table = rng.choice(tables)
    column = rng.choice(list(FIELDS[table]))
    ids = [r[0] for r in conn.execute(f"SELECT id FROM {table}")]
    if not ids:
        return None
    try:
        return services.correct_field(conn, table=table, record=rng.choice(ids), field=column,
                                      value=value(rng, conn, table, column), today=TODAY)
    except InputError:
        return None


def clerk_people(conn: sqlite3.Connection) -> tuple[list[int], list[int], list[int]]:
    """Whom a day of clerk work is about: married women born after 1980 still here, men alive and here, and the
    households."""
    women = [r[0] for r in conn.execute(
        "SELECT id FROM person WHERE sex = '2' AND marital_status IN ('21', '22', '23') AND death_date IS NULL"
        " AND moved_out_date IS NULL AND residence <> '3' AND birth_date > '1980-01-01'")]
    men = [r[0] for r in conn.execute("SELECT id FROM person WHERE sex = '1' AND death_date IS NULL"
                                      " AND moved_out_date IS NULL")]
    households = [r[0] for r in conn.execute("SELECT id FROM household")]
    return women, men, households
