"""Codes read from the file: every record holding a code holds the one shared string of that code (the checks'
speed rests on it), an unknown code is kept exactly as the file has it, and the check names it."""

from __future__ import annotations

import dataclasses

from fpdesk import services
from fpdesk.checks import run_checks
from fpdesk.fields import FIELDS
from fpdesk.snapshot import Snapshot, load_snapshot, refresh_snapshot
from tests.conftest import TODAY
from tests.edits import clerk_people, demo_village

demo_file, demo = demo_village(persons=400, seed=3)

# Snapshot field of each table, and its coded columns: the code-table fields; of change events the change type,
# the table of the record behind it and the report period.
_CODED = {
    "persons": "person", "marriages": "marriage", "births": "birth", "measures": "measure",
    "pregnancies": "pregnancy", "services": "service", "benefits": "benefit", "migrations": "migration",
    "certificates": "certificate",
}


def _coded_columns() -> list[tuple[str, str]]:
    out = [(attr, column) for attr, table in _CODED.items()
           for column, spec in FIELDS[table].items() if spec.kind == "code"]
    return out + [("events", "change_type"), ("events", "record_table"), ("events", "report_period")]


def _copies(snap: Snapshot) -> dict[str, list[str]]:
    """For each coded column: the codes held by more than one string object across the column's records."""
    out = {}
    for attr, column in _coded_columns():
        objects: dict[str, set[int]] = {}
        for record in getattr(snap, attr):
            value = getattr(record, column)
            if value is not None:
                objects.setdefault(value, set()).add(id(value))
        copied = sorted(code for code, ids in objects.items() if len(ids) > 1)
        if copied:
            out[f"{attr}.{column}"] = copied
    return out


def test_every_coded_column_holds_one_string_per_code(demo) -> None:
    snap = load_snapshot(demo, as_of=TODAY)
    columns = _coded_columns()
    filled = [f"{a}.{c}" for a, c in columns if any(getattr(r, c) is not None for r in getattr(snap, a))]
    assert len(filled) >= 20  # (the demo village fills nearly every coded column: the test looks at them)
    assert _copies(snap) == {}


def test_a_refreshed_record_shares_the_codes_too(demo) -> None:
    before = load_snapshot(demo, as_of=TODAY)
    woman = before.person_by_id[clerk_people(demo)[0][0]]
    changes = services.correct_field(demo, table="person", record=woman.id, field="education",
                                     value="30" if woman.education != "30" else "40", today=TODAY)
    after = refresh_snapshot(demo, before, changes)
    changed = after.person_by_id[woman.id]
    assert changed.education != woman.education
    same = next(p for p in after.persons if p.id != woman.id and p.education == changed.education)
    assert changed.education is same.education
    assert _copies(after) == {}


def test_an_unknown_code_is_kept_as_written_and_named_by_the_check(demo) -> None:
    person = load_snapshot(demo, as_of=TODAY).persons[3]
    with demo:
        demo.execute("UPDATE person SET ethnicity = '9x' WHERE id = ?", (person.id,))
    snap = load_snapshot(demo, as_of=TODAY)
    assert snap.person_by_id[person.id].ethnicity == "9x"
    assert dataclasses.replace(snap.person_by_id[person.id], ethnicity=person.ethnicity) == person
    found = [f for f in run_checks(snap, only={"K001"}) if f.subject.id == person.id]
    assert [(f.field, "“9x”" in f.message) for f in found] == [("ethnicity", True)]
