"""The demo village's deliberate errors are all found; a clean synthetic village gives nothing (over seeds)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from fpdesk.checks import run_checks
from fpdesk.db import open_village_file
from fpdesk.snapshot import load_snapshot

AS_OF = dt.date(2026, 11, 23)
TIMELINESS = {"L001", "L002"}   # the demo enters some changes late on purpose
demo = pytest.importorskip("fpdesk.demo")


def _synthetic():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic_village.py"
    spec = importlib.util.spec_from_file_location("synthetic_village", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _demo(tmp_path: Path, persons: int, seed: int):
    summary = demo.make_demo_village(tmp_path / "demo.sqlite", persons=persons, seed=seed, as_of=AS_OF)
    conn = open_village_file(summary.path)
    try:
        snap = load_snapshot(conn, as_of=AS_OF)
    finally:
        conn.close()
    return summary, snap, run_checks(snap)


def _planted_found(summary, snap, found) -> dict[str, set[str]]:
    """For each planted error: the codes found on its person (or on the duplicate pointing back at it)."""
    person = {p.roster_no: p.id for p in snap.persons}
    out = {}
    for error in summary.planted:
        pid = person[error.roster_no]
        out[error.code] = {f.code for f in found
                           if f.person_id == pid or any(r.person_id == pid or (r.table == "person" and r.id == pid)
                                                        for r in f.related)}
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_deliberate_error_of_the_demo_village_is_found(tmp_path, seed) -> None:
    summary, snap, found = _demo(tmp_path, 1000, seed)
    assert len(summary.planted) >= 14
    codes_on = _planted_found(summary, snap, found)
    for error in summary.planted:
        wanted = set(re.findall(r"[A-Z]\d{3}", error.rule))
        assert wanted and wanted <= codes_on[error.code], (error.code, error.rule, codes_on[error.code])


@pytest.mark.parametrize("persons, seed", [(1000, 1), (1000, 2), (1000, 3),
                                           pytest.param(10_000, 7, marks=pytest.mark.slow)])
def test_the_demo_village_has_no_finding_but_its_deliberate_ones(tmp_path, persons, seed) -> None:
    summary, snap, found = _demo(tmp_path, persons, seed)
    planted = {p.id for p in snap.persons if p.roster_no in {e.roster_no for e in summary.planted}}
    others = [f for f in found if f.code not in TIMELINESS and f.person_id not in planted
              and not any(r.table == "person" and r.id in planted for r in f.related)]
    assert [(f.code, f.message) for f in others] == []


@pytest.mark.parametrize("persons, seed", [(1000, 1), (1000, 2), (1000, 3), (3000, 4),
                                           pytest.param(10_000, 5, marks=pytest.mark.slow)])
def test_a_clean_generated_village_gives_no_finding(tmp_path, persons, seed) -> None:
    path = _synthetic().make_village(tmp_path / "clean.sqlite", persons=persons, seed=seed)
    conn = open_village_file(path)
    try:
        snap = load_snapshot(conn, as_of=AS_OF)
    finally:
        conn.close()
    assert len(snap.persons) >= persons
    assert [(f.code, f.message) for f in run_checks(snap)] == []
