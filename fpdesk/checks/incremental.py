"""The check after an edit: only what the edit can have changed is checked again.

A full check of a 10,000-person village takes a good part of a second on an old laptop; the score panel wants
the findings again after every field the clerk corrects. Most rules judge one person by her own records and her
family's — her household, her spouses, her children and their mothers, her mother — or by her kin (whoever
shares her ID number, or her name, sex and birth date). So an edit of one person can change only the findings
about the people linked to her. ``recheck`` runs those rules (``LOCAL``) again on a small snapshot of just those
people and their links and keeps every other finding as it was.

The five rules that compare totals of the whole village (``GLOBAL``: the board against the registers, the
month's balance and sums) compare sums over persons; ``checks.totals`` keeps those sums, and ``recheck`` brings
them up to date from the touched people alone. A global rule runs — in full, on the whole snapshot — only when
its sums show something to find, which in a village whose books balance is never.

Both give the same findings as ``run_checks`` (tests/test_checks_incremental.py edits a village at random and
compares findings, sums and links with a full check after every edit). Anything the partition cannot follow — a
village setting, a locked month, a village group, another day — falls back to the full check.

    result = check_village(snapshot)                      # the full check, kept rule by rule
    result = recheck(result, new_snapshot, changes)       # after a service call's Changes
    result.findings                                       # as run_checks(new_snapshot) gives them
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, fields
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from fpdesk.checks import cross_ledger, monthly
from fpdesk.checks.facts import default_periods, facts, forget
from fpdesk.checks.finding import Finding
from fpdesk.checks.registry import CHECKS, Check, run_rules, sort_findings
from fpdesk.checks.totals import GATES, combine, totals
from fpdesk.idnumber import clean as clean_id
from fpdesk.records import Person
from fpdesk.snapshot import Snapshot, assemble, records_owned

if TYPE_CHECKING:
    from fpdesk.ops import Changes

# The rules that compare totals of the whole village: gated by their sums (``checks.totals.GATES``).
GLOBAL: frozenset[Check] = frozenset({
    cross_ledger.check_board_matches_registers, monthly.check_operations_add_up, monthly.check_population_balances,
    monthly.check_month_starts_where_last_ended, monthly.check_submitted_month_unchanged,
})
# Person fields no total depends on: the card's particulars. After an edit of only these (filling in a card's
# blanks, the commonest correction) the sums are not even recounted. tests/test_checks_incremental.py edits each
# of them at random on many people and compares with a full check.
PARTICULARS: frozenset[str] = frozenset({"education", "ethnicity", "hukou", "occupation", "only_child", "note",
                                         "roster_no"})
# The rest: each finding is about one person's record (or one household) and depends on her family alone — and,
# for "one ID number, one person" (I005) and "the same person entered twice" (U001), on her kin (``kin_keys``).
LOCAL: tuple[Check, ...] = tuple(c for c in CHECKS if c not in GLOBAL)

# The records each person owns, by the table a change names: (Snapshot records field, owner columns).
_OWNERS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "marriage": ("marriages", ("person_id", "spouse_id")), "birth": ("births", ("mother_id", "child_id")),
    "measure": ("measures", ("person_id",)), "pregnancy": ("pregnancies", ("person_id",)),
    "service": ("services", ("person_id",)), "benefit": ("benefits", ("person_id",)),
    "migration": ("migrations", ("person_id",)), "certificate": ("certificates", ("person_id",)),
    "change_event": ("events", ("person_id",)),  # a service's or a benefit's too (their person is touched)
}
# Tables compared whole in ``recheck`` (the small ones), or no ledger's (the audit log).
_WHOLE = frozenset({"village", "setting", "period_lock", "finding_exception", "village_group", "audit"})
_ID = attrgetter("id")
_PERSON_FIELDS = tuple(f.name for f in fields(Person) if f.name not in PARTICULARS)
# The tables a change event points at, and their records field (their lookup by owner is the field + "_of").
_RECORDS_OF: Mapping[str, str] = {table: field for table, (field, _) in _OWNERS.items() if table != "change_event"}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The findings of one snapshot, kept rule by rule so that ``recheck`` can replace a part of them.

    snapshot: what was checked. by_rule: each rule's findings. findings: all of them, sorted (``sort_key``).
    kin: the persons of the snapshot by each of their ``kin_keys``.
    totals: what the global rules compare (``checks.totals``).
    baseline: the day live record keeping began (``Facts.baseline``), kept so that an edit need not read every
    change event again to find the earliest.
    """

    snapshot: Snapshot
    by_rule: Mapping[Check, tuple[Finding, ...]]
    findings: tuple[Finding, ...]
    kin: Mapping[tuple, frozenset[int]]
    totals: Mapping[tuple, int]
    baseline: dt.date | None


def kin_keys(p: Person) -> tuple[tuple, ...]:
    """What links a person to others who are no family: her ID number (another holder of it is I005's finding)
    and her name, sex and birth date (a namesake born the same day is U001's)."""
    keys: tuple[tuple, ...] = ()
    if p.id_number:
        keys += (("id", clean_id(p.id_number)),)
    if p.birth_date is not None:
        keys += (("same", p.name.strip(), p.sex, p.birth_date),)
    return keys


def check_village(snap: Snapshot) -> CheckResult:
    """The full check (``run_checks``), kept rule by rule."""
    by_rule = run_rules(snap, CHECKS)
    kin: dict[tuple, set[int]] = {}
    for p in snap.persons:
        for key in kin_keys(p):
            kin.setdefault(key, set()).add(p.id)
    return CheckResult(snap, by_rule, sort_findings(f for found in by_rule.values() for f in found),
                       {k: frozenset(v) for k, v in kin.items()}, totals(snap), _whole_baseline(snap))


def recheck(prev: CheckResult, snap: Snapshot, changes: "Changes | Iterable[Changes]") -> CheckResult:
    """The findings of ``snap``, which is ``prev.snapshot`` after ``changes`` (one service call's ``Changes`` or
    several in order): the same as ``check_village(snap)``, checking again only the people the changes touch."""
    old = prev.snapshot
    # (no rule reads the confirmed exceptions: the findings page and the score set them aside)
    if (snap.as_of != old.as_of or snap.settings != old.settings or snap.locks != old.locks
            or snap.village != old.village or snap.groups != old.groups):
        return check_village(snap)
    batches = (changes,) if hasattr(changes, "inserted") else tuple(changes)  # type: ignore[arg-type]
    touched = _touched(old, snap, batches)
    if touched is None:
        return check_village(snap)
    kin = _update_kin(prev.kin, old, snap, touched)
    baseline = _update_baseline(prev.baseline, snap, batches)
    by_rule: dict[Check, tuple[Finding, ...]] = {}
    if touched:
        # Who may be judged differently: the people the edit touched, the people linked to them, and the people
        # linked to those (a finding may name the spouse of her spouse: "徐瑶慧名下的现任配偶是张怡"). Checking
        # each of them needs her own links too: the context.
        affected = set(touched)
        for _ in range(2):
            affected = _linked(old, prev.kin, affected) | _linked(snap, kin, affected)
        households = {p.household_id for s in (old, snap) for i in affected
                      if (p := s.person_by_id.get(i)) is not None and p.household_id is not None}
        part = restrict(snap, _linked(snap, kin, affected), baseline=baseline)

        def mine(f: Finding) -> bool:
            if f.subject.table == "household":
                return f.subject.id in households
            return f.subject.person_id in affected

        fresh = run_rules(part, LOCAL)
        for check in LOCAL:
            kept = [f for f in prev.by_rule[check] if not mine(f)]
            by_rule[check] = (*kept, *(f for f in fresh[check] if mine(f)))
    else:
        by_rule.update((check, prev.by_rule[check]) for check in LOCAL)

    if _particulars_only(old, snap, batches):
        new_totals = prev.totals
        by_rule.update((check, prev.by_rule[check]) for check in GLOBAL)
    else:
        # The totals of the people the edit touched, and of whoever shares a change event or a record with
        # them, as they were and as they are. The same people on both sides: the rest of the village cancels.
        counted = set(touched)
        for s in (old, snap):
            counted |= _shared_events(s, touched)
        new_totals = combine(prev.totals, totals(restrict(old, counted)), totals(restrict(snap, counted)))
        months = default_periods(snap)
        gated = [check for check in GLOBAL if GATES[check](new_totals, months)]
        by_rule.update((check, ()) for check in GLOBAL)
        by_rule.update(run_rules(snap, gated))
    return CheckResult(snap, by_rule, sort_findings(f for found in by_rule.values() for f in found), kin,
                       new_totals, baseline)


def _whole_baseline(snap: Snapshot) -> dt.date | None:
    """``Facts.baseline`` of the whole village."""
    try:
        return facts(snap).baseline
    finally:
        forget()


def _update_baseline(prev: dt.date | None, snap: Snapshot, batches: tuple["Changes", ...]) -> dt.date | None:
    """The baseline after the changes (the settings are the same as before: ``recheck`` compared them). Without
    the setting it is the earliest entry of any change event: new events can only bring it earlier; an event
    rewritten or removed means reading them all again."""
    if snap.settings.get("baseline_date") or any(
            ref.table == "change_event" for c in batches for ref in (*c.updated, *c.deleted)):
        return _whole_baseline(snap)
    entered = [e.entered_date for c in batches for i in c.events if (e := _find(snap.events, i)) is not None]
    return min((d for d in (prev, *entered) if d is not None), default=None)


def _update_kin(
    kin: Mapping[tuple, frozenset[int]], old: Snapshot, new: Snapshot, touched: set[int],
) -> Mapping[tuple, frozenset[int]]:
    """``kin`` of ``old`` brought to ``new``: only touched persons' keys can have changed."""
    out = dict(kin)
    for pid in touched:
        before, after = old.person_by_id.get(pid), new.person_by_id.get(pid)
        if before == after:
            continue
        for key in kin_keys(before) if before is not None else ():
            rest = out[key] - {pid}
            if rest:
                out[key] = rest
            else:
                del out[key]
        for key in kin_keys(after) if after is not None else ():
            out[key] = out.get(key, frozenset()) | {pid}
    return out


def _find(records: tuple[Any, ...], record_id: int) -> Any | None:
    """The record of that id in an id-ordered tuple, or None."""
    pos = bisect_left(records, record_id, key=_ID)
    return records[pos] if pos < len(records) and records[pos].id == record_id else None


def _touched(old: Snapshot, new: Snapshot, batches: tuple["Changes", ...]) -> set[int] | None:
    """The persons whose own records the changes wrote (as they were and as they are), or None when a change is
    not one person's (a table this module does not know)."""
    out: set[int] = set()
    for c in batches:
        refs: list[tuple[str, int]] = [(r.table, r.id) for r in (*c.inserted, *c.updated, *c.deleted)]
        refs += [("change_event", i) for i in c.events]
        for table, record_id in refs:
            if table == "person":
                out.add(record_id)
            elif table == "household":  # its number, address or group: read through every member
                for s in (old, new):
                    out.update(p.id for p in s.members_of.get(record_id, ()))
            elif table in _OWNERS:
                field, columns = _OWNERS[table]
                for s in (old, new):
                    record = _find(getattr(s, field), record_id)
                    if record is not None:
                        out.update(v for col in columns if (v := getattr(record, col)) is not None)
            elif table not in _WHOLE:
                return None
    return out


def _particulars_only(old: Snapshot, new: Snapshot, batches: tuple["Changes", ...]) -> bool:
    """The changes only rewrote persons' ``PARTICULARS``: no record added or removed, no change event written,
    no other field of anyone changed."""
    for c in batches:
        if c.inserted or c.deleted or c.events or any(ref.table != "person" for ref in c.updated):
            return False
        for ref in c.updated:
            before, after = old.person_by_id.get(ref.id), new.person_by_id.get(ref.id)
            if before is None or after is None:
                return False
            if any(getattr(before, name) != getattr(after, name) for name in _PERSON_FIELDS):
                return False
    return True


def _shared_events(snap: Snapshot, persons: Iterable[int]) -> set[int]:
    """The persons who share a change event with any of ``persons``: the owners of the records their change
    events point at, and the persons whose change events point at their records (a birth's event is the
    child's, its record the mother's; a record moved to another person keeps its event)."""
    out: set[int] = set()
    for pid in persons:
        for e in snap.changes_of.get(pid, ()):
            if e.record_table in _RECORDS_OF and e.record_id is not None:
                record = _find(getattr(snap, _RECORDS_OF[e.record_table]), e.record_id)
                if record is not None:
                    out.update(v for col in _OWNERS[e.record_table][1] if (v := getattr(record, col)) is not None)
        for table, field in _RECORDS_OF.items():
            for r in getattr(snap, field + "_of").get(pid, ()):
                out.update(e.person_id for e in snap.changes_on.get((table, r.id), ()))
    return out


def _linked(snap: Snapshot, kin: Mapping[tuple, frozenset[int]], persons: Iterable[int]) -> set[int]:
    """The persons linked to any of ``persons`` in ``snap`` (themselves included): the members of their
    household, their spouses (either side's marriage record), their children and the children's other mothers
    (a child on two cards), their mothers, their kin (``kin_keys``), the persons whose change events point at
    their records and the owners of the records their change events point at."""
    out: set[int] = set()
    by_id = snap.person_by_id
    for pid in persons:
        out.add(pid)
        p = by_id.get(pid)
        if p is None:
            continue
        if p.household_id is not None:
            out.update(m.id for m in snap.members_of.get(p.household_id, ()))
        for key in kin_keys(p):
            out.update(kin.get(key, ()))
        out.update(m.spouse_id for m in snap.marriages_of.get(pid, ()) if m.spouse_id is not None)
        out.update(m.person_id for m in snap.marriages_to.get(pid, ()))
        for b in snap.births_of.get(pid, ()):
            if b.child_id is not None:
                out.add(b.child_id)
                out.update(o.mother_id for o in snap.births_as_child.get(b.child_id, ()))
        out.update(b.mother_id for b in snap.births_as_child.get(pid, ()))
        out |= _shared_events(snap, (pid,))
    return out


def restrict(snap: Snapshot, persons: Iterable[int], *, baseline: dt.date | None = None) -> Snapshot:
    """The snapshot of just ``persons`` (those that exist), their households and every record they own, built
    as ``load_snapshot`` builds a whole one. What the rules read of the whole village goes in as a setting: the
    day live record keeping began (``baseline``, as ``Facts.baseline`` worked it out on the whole village)."""
    settings = dict(snap.settings)
    if baseline is not None:
        settings["baseline_date"] = baseline.isoformat()
    values: dict[str, Any] = records_owned(snap, persons)
    values.update(village=snap.village, locks=snap.locks, settings=MappingProxyType(settings),
                  exceptions=snap.exceptions)
    return assemble(snap.as_of, values)
