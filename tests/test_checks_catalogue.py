"""The registry, the runner and the rule catalogue (resources/rules.toml) agree, and every rule is tested both ways."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from fpdesk.checks import CHECKS, CODE_OF, KINDS, PERIOD_CHECKS, SEVERITIES, Finding, ledgers, rules, run_checks
from tests import test_checks_contraception, test_checks_dates, test_checks_identity, test_checks_ledgers
from tests import test_checks_marriage
from tests.test_checks_village import CLEAN, village

TABLES = (test_checks_identity.CASES + test_checks_dates.CASES + test_checks_marriage.CASES
          + test_checks_contraception.CASES + test_checks_ledgers.CASES)
# Rules that compare two views built by code: their failing case puts a wrong view in by hand (test_checks_ledgers).
CAUGHT_WITH_A_WRONG_VIEW = {"X001", "X006", "T002", "T005"}
CHECKS_DIR = Path(__file__).resolve().parent.parent / "fpdesk" / "checks"


def test_at_least_forty_rules_each_in_the_catalogue_once() -> None:
    assert len(CHECKS) >= 40
    assert len(set(CHECKS)) == len(CHECKS)
    assert sorted(CODE_OF.values()) == sorted(rules())            # one code per check, one check per code
    assert {c.__name__ for c in CHECKS} == {r.check for r in rules().values()}


@pytest.mark.parametrize("code", list(rules()))
def test_each_rule_text_is_complete(code: str) -> None:
    r = rules()[code]
    assert r.severity in SEVERITIES and r.kind in KINDS and r.ledger in ledgers()
    assert r.title and len(r.explanation) >= 10


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: CODE_OF[c])
def test_each_check_states_its_rule(check) -> None:
    assert check.__doc__ and len(check.__doc__.split()) >= 5


@pytest.mark.parametrize("code", list(rules()))
def test_each_rule_has_a_case_it_catches_and_a_near_miss(code: str) -> None:
    mine = [c for c in TABLES if c.rule == code]
    assert any(code not in c.expected for c in mine), f"{code}: no near miss"
    if code not in CAUGHT_WITH_A_WRONG_VIEW:
        assert any(code in c.expected for c in mine), f"{code}: no case that catches it"


def test_every_finding_of_the_tables_is_well_formed() -> None:
    for c in TABLES:
        for f in run_checks(village(CLEAN, c.lines)):
            assert isinstance(f, Finding)
            r = rules()[f.code]
            assert (f.severity, f.kind) == (r.severity, r.kind) and f.ledger in ledgers()
            assert "请" in f.message, f"{f.code}: the message does not say what to do: {f.message}"


def test_the_runner_leaves_the_registry_alone_and_filters_by_code() -> None:
    snap = village(CLEAN, "person 甲 女 1990-01-01 hh=010 id=123")
    before = tuple(CHECKS)
    everything = run_checks(snap)
    assert tuple(CHECKS) == before and isinstance(CHECKS, tuple)
    assert {f.code for f in everything} == {"I002"}
    assert run_checks(snap, only={"I001", "D001"}) == ()
    assert run_checks(snap, only={"I002"}) == everything
    assert run_checks(snap) == everything  # the same snapshot, the same findings


def test_period_rules_take_the_month_and_the_others_do_not() -> None:
    import inspect
    for check in CHECKS:
        params = inspect.signature(check).parameters
        assert list(params)[0] == "snap"
        assert ("period" in params) == (check in PERIOD_CHECKS), check.__name__


def test_findings_sort_by_ledger_then_errors_first() -> None:
    found = run_checks(village(CLEAN, """person 甲 女 1990-01-01 hh=010 id=123
                                         person 乙 男 1990-01-01 hh=none
                                         service 甲 查病 2027-01-01"""))
    order = list(ledgers())
    keys = [(order.index(f.ledger), f.severity != "error") for f in found]
    assert keys == sorted(keys) and len(found) == 3


def test_a_finding_has_a_stable_key_and_names_its_field() -> None:
    f, = run_checks(village(CLEAN, "person 甲 女 1990-01-01 hh=010 id=123"))
    assert f.key == f"I002:person:{f.subject.id}:id_number" and f.field_label == "身份证号"
    assert f.title == "身份证号格式错误" and f.person_id == f.subject.id


def test_modules_are_small_and_pure() -> None:
    for path in CHECKS_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) < 400, path.name
        tree = ast.parse(text)
        imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not any(m.startswith(("PySide6", "ui", "sqlite3")) for m in imported), path.name


def test_importing_the_checks_loads_no_qt() -> None:
    code = "import sys, fpdesk.checks, fpdesk.commands.check; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
