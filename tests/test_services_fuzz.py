"""Hostile input: every core service function, fed random and adversarial arguments, either does its job or
raises ``FpdeskError`` with a Chinese message — never another exception — and on error the file is exactly as it
was. After a success the file still reads back (snapshot) and nothing dangles.

Arguments mix plausible values (so calls get past the first check and deep into the function) with hostile ones:
random text (Chinese, emoji, NUL, right-to-left marks, full-width and superscript digits), 200 000-character
strings, wrong types (lists, dicts, bytes, floats, NaN, infinities, Decimals, objects), integers far beyond 64
bits, impossible or extreme dates (0000-00-00, 9999-12-31, 0001-01-01), references to missing records.

Each example starts from a copy of one template village (made once, copied in memory). The fast tier runs a few
examples per function; the slow tier (CI) many more, and sequences of calls on one file.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import sqlite3
from collections import Counter
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fpdesk import codes, privacy, services
from fpdesk.db import open_village_file
from fpdesk.errors import FpdeskError, InputError
from fpdesk.fields import FIELDS
from fpdesk.ops import Changes
from fpdesk.services.family import SPOUSE_FIELDS
from fpdesk.services.people import PERSON_FIELDS
from fpdesk.snapshot import load_snapshot
from tests.conftest import TODAY, file_content

# the huge strings make hypothesis warn about long reprs of the strategies; they are meant to be huge
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
TEMPLATE_CONTENT: list[str] = []   # the template's content: what every failed call must leave behind
FAST = 12    # examples per function in the fast tier
SLOW = int(os.environ.get("FPDESK_FUZZ_EXAMPLES", 100))   # in the slow tier (more for a deep run)
TRIED: Counter[str] = Counter()
FAILED: Counter[str] = Counter()

# ---------------------------------------------------------------------------------------------------------------
# the template village


def build_template(conn: sqlite3.Connection) -> dict[str, int]:
    """A small village with something of everything; returns the ids the strategies refer to."""
    d = dt.date(2020, 1, 10)
    services.setup_village(conn, code="420102001001", name="双河村", clerk="李芳", today=d)
    services.add_group(conn, name="一组", today=d)
    services.add_group(conn, name="二组", today=d)
    services.register_household(conn, number="001", group="一组", today=d, members=[
        {"name": "张伟", "sex": "男", "birth_date": "1990-03-02", "relation": "户主", "roster_no": "P1"},
        {"name": "李娜", "id_number": "420102199205030127", "relation": "配偶", "roster_no": "P2"},
    ])
    services.register_household(conn, number="002", group="二组", today=d, members=[
        {"name": "王芳", "sex": "女", "birth_date": "1998-07-01", "relation": "户主", "roster_no": "P3"},
        {"name": "王磊", "sex": "男", "birth_date": "1996-02-11", "relation": "兄弟姐妹", "roster_no": "P4"},
        {"name": "赵老", "sex": "男", "birth_date": "1940-05-05", "relation": "父母", "roster_no": "P5"},
        {"name": "孙梅", "sex": "女", "birth_date": "2001-09-09", "roster_no": "P6"},
    ])
    ids = {r["roster_no"]: r["id"] for r in conn.execute("SELECT id, roster_no FROM person")}
    services.record_marriage(conn, person=ids["P2"], spouse=ids["P1"], date="2015-05-01", today=d)
    services.record_birth(conn, mother=ids["P2"], child_name="张小明", sex="男", birth_date="2016-03-01", today=d)
    services.start_measure(conn, person=ids["P2"], method="700", start_date="2016-06-01", today=d)
    services.record_marriage(conn, person=ids["P3"], date="2019-10-01", today=d,
                             spouse_info={"spouse_name": "刘强", "spouse_id_number": "420102199001010011"})
    services.record_outflow(conn, person=ids["P4"], date="2025-03-01", place="广东东莞", today=dt.date(2025, 3, 5))
    services.record_death(conn, person=ids["P5"], date="2025-06-01", today=dt.date(2025, 6, 5))
    preg = services.register_pregnancy(conn, person=ids["P3"], lmp_date="2026-08-01", today=dt.date(2026, 9, 20))
    later = dt.date(2026, 10, 5)
    services.record_service(conn, person=ids["P2"], kind="查环", date="2026-09-01", quantity=1, today=later)
    services.pay_benefit(conn, person=ids["P2"], kind="奖励扶助", year=2026, amount="120", paid_date="2026-09-01",
                         today=later)
    services.issue_certificate(conn, person=ids["P2"], kind="0108", number="鄂0001", issued_date="2026-09-01",
                               today=later)
    services.record_return(conn, person=ids["P4"], date="2026-09-01", today=later)
    services.record_outflow(conn, person=ids["P4"], date="2026-09-15", place="浙江义乌", today=later)
    services.confirm_exception(conn, key="C012:person:2:birth_date", note="已核对户口本", today=later)
    conn.execute("INSERT INTO period_lock(period, submitted_at) VALUES ('2026-10', '2026-11-03T10:00:00')")
    child = conn.execute("SELECT child_id FROM birth").fetchone()[0]
    households = [r[0] for r in conn.execute("SELECT id FROM household ORDER BY id")]
    return {"husband": ids["P1"], "wife": ids["P2"], "single": ids["P3"], "away": ids["P4"], "dead": ids["P5"],
            "girl": ids["P6"], "child": child, "pregnancy": preg.record.id, "household": households[0],
            "household2": households[1]}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> sqlite3.Connection:
    conn = open_village_file(tmp_path_factory.mktemp("fuzz") / "template.sqlite", create=True)
    build_template(conn)
    TEMPLATE_CONTENT[:] = file_content(conn)
    yield conn
    conn.close()
    print(f"\nfuzz inputs tried: {sum(TRIED.values())} ({len(TRIED)} functions);"
          f" refused with FpdeskError: {sum(FAILED.values())}")


def fresh_copy(template: sqlite3.Connection) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    template.backup(conn)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


IDS = build_template(open_village_file(":memory:", create=True))  # same ids as the template: same steps

# ---------------------------------------------------------------------------------------------------------------
# hostile values

NASTY_TEXT = [
    "", " ", "\u3000", "\x00", "a\x00b", "中\x00文", "😀", "👨‍👩‍👧‍👦", "\u202e反转", "\ufeff", "\ud7ff", "NULL", "None",
    "'; DROP TABLE person; --", "%s %d {0}", "\\", "\n\r\t", "null\x00", "²³", "١٢٣", "１２３", "Ⅻ", "〇",
    "-0", "1e309", "nan", "inf", "0x10", "1_000", "00000000000000000000001", "9" * 30, "-9" * 20,
]
HUGE_TEXT = [("x", 200_000), ("中", 100_000), ("1", 5000), ("𠀀", 50_000)]   # built on use: keeps reprs short
NASTY_NUMBERS = [
    0, -1, 1, 2, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30, -(10**30), 0.0, -0.0, 1.5, 1e300,
    float("inf"), float("-inf"), float("nan"), decimal.Decimal("NaN"), decimal.Decimal("sNaN"),
    decimal.Decimal("Infinity"), decimal.Decimal("1e100000"), decimal.Decimal("-0.001"), True, False,
]
NASTY_DATES = [
    "0000-00-00", "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2026-02-29", "2024-02-29", "2026-13-01",
    "2026-11-00", "2026-11-23", "2026-11-24", "1899-12-31", "1900-01-01", "999-01-01", "2026/11/10", "20261110",
    "2026年11月10日", "２０２６－１１－１０", "2026-1-1", "-2026-01-01", " 2026-11-10 ", "2026-11-10T08:00",
    "2026-11-10\x00", dt.date.min, dt.date.max, dt.datetime.max, dt.date(2026, 11, 23), dt.datetime(2026, 11, 1, 23, 59),
    dt.date(1000, 1, 1), dt.date(2999, 12, 31),
]
WRONG_TYPES = [None, [], {}, (), b"\x00bytes", bytearray(b"12"), set(), frozenset({1}), object(), 1j, Ellipsis,
               [1, 2], {"a": 1}, ("2026", "11", "10")]

def pick(*strategies: st.SearchStrategy) -> st.SearchStrategy:
    """One of ``strategies``, each equally likely (``st.one_of`` would flatten nested choices into one long list,
    drowning the plausible values), shrinking towards the first."""
    return st.sampled_from(strategies).flatmap(lambda chosen: chosen)


texts = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(HUGE_TEXT).map(lambda pair: pair[0] * pair[1]),
)
numbers = st.one_of(st.integers(), st.sampled_from(NASTY_NUMBERS), st.floats(),
                    st.decimals(allow_nan=True, allow_infinity=True))
recent = st.dates(min_value=dt.date(2020, 1, 1), max_value=TODAY).map(dt.date.isoformat)
dates = pick(recent, recent, st.dates(), st.datetimes(), st.sampled_from(NASTY_DATES), texts)
anything = pick(texts, numbers, dates, st.sampled_from(WRONG_TYPES),
                st.lists(texts, max_size=3), st.dictionaries(texts, texts, max_size=3))


def ref(*names: str) -> st.SearchStrategy:
    """A record id: one of the template's, a small number (maybe a new record), a missing one, or anything."""
    known = st.sampled_from([IDS[n] for n in names] if names else list(IDS.values()))
    return pick(known, known, known, st.integers(min_value=-3, max_value=60),
                st.sampled_from([99999, 2**63 - 1, 2**63, 10**30, "1", " 2 ", "abc", 1.0, 1.5, True]), anything)


def code(table: str) -> st.SearchStrategy:
    valid = st.sampled_from(list(codes.table(table)) + list(codes.table(table).values()))
    return pick(valid, valid, anything)


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return pick(strategy, anything)


def person_field(name: str) -> st.SearchStrategy:
    spec = FIELDS["person"][name]
    if spec.kind == "date":
        return dates
    if spec.kind == "code":
        return code(spec.codes or "")
    if spec.kind == "flag":
        return pick(st.sampled_from([0, 1, "是", "否", True]), anything)
    if name == "id_number":
        return pick(st.sampled_from(["420102199205030127", "42010219920503012X", "４２０１０２１９９２０５０３０１２７",
                                          "42010219920503012²", "4201021992050301²7", "420102999913310127"]), texts)
    return texts


person_maps = pick(
    st.fixed_dictionaries({"name": texts, "sex": code("sex"), "birth_date": dates},
                          optional={f: person_field(f) for f in PERSON_FIELDS
                                    if f not in ("name", "sex", "birth_date")}),
    st.dictionaries(st.sampled_from(PERSON_FIELDS + ("unknown", "id")), anything, max_size=4),
    anything,
)
spouse_maps = pick(
    st.fixed_dictionaries({"spouse_name": texts},
                          optional={f: (dates if "date" in f else anything) for f in SPOUSE_FIELDS
                                    if f != "spouse_name"}),
    anything,
)
ALL_FIELDS = sorted({f for table in FIELDS.values() for f in table})


# Finding keys (rule code, record, field): the template's confirmed one, new ones, malformed ones.
FINDING_KEYS = pick(st.sampled_from(["C012:person:2:birth_date", "C001:person:1", "C001:", ":x", "C001"]),
                    st.tuples(st.sampled_from(["C001", "C012", "X"]), texts).map(":".join), anything)


def value_for(table: str, field: str) -> st.SearchStrategy:
    """A value for one field: mostly of its kind (so it gets past the first check), sometimes anything."""
    spec = FIELDS[table][field]
    if spec.kind == "date":
        kind = dates
    elif spec.kind == "code":
        kind = code(spec.codes or "")
    elif spec.kind == "ref":
        kind = ref()
    elif spec.kind == "int":
        kind = pick(st.integers(min_value=-2, max_value=5), numbers)
    elif spec.kind == "flag":
        kind = st.sampled_from([0, 1, "是", 2])
    elif spec.kind == "money":
        kind = st.sampled_from(["120", "0", "-1", "1.005", "NaN"])
    else:
        kind = texts
    return pick(kind, kind, st.sampled_from(["", None, "1", "2", "10", "30", "40", "001", "P1"]), anything)


# A correction of a field that exists, to a value of roughly the right kind (or not).
CORRECTION = st.sampled_from([(t, f) for t in sorted(FIELDS) if t != "village" for f in FIELDS[t]]).flatmap(
    lambda tf: st.fixed_dictionaries({
        "table": st.just(tf[0]), "field": st.just(tf[1]), "value": value_for(*tf),
        "record": pick(st.integers(min_value=1, max_value=3), st.integers(min_value=1, max_value=12), ref()),
        "reason": pick(st.just("核对户口本"), anything),
    }))
KWARGS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "setup_village": st.fixed_dictionaries(
        {"code": pick(st.just("420102001001"), st.sampled_from(["４２０１０２００１００１", "42010200100١"]), anything),
         "name": texts}, optional={k: anything for k in ("township", "county", "clerk", "phone")}),
    "add_group": st.fixed_dictionaries({"name": texts}, optional={"head_name": anything}),
    "register_household": st.fixed_dictionaries(
        {"number": maybe(texts), "members": pick(st.lists(person_maps, max_size=3), anything)},
        optional={"group": pick(st.sampled_from(["一组", "二组", 1, 2, 99]), anything), "address": anything,
                  "moved_in": dates, "from_place": anything}),
    "add_person": st.fixed_dictionaries({"household": ref("household", "household2"), "person": person_maps},
                                        optional={"moved_in": dates}),
    "record_death": st.fixed_dictionaries({"person": ref(), "date": dates}),
    "record_move_out": st.fixed_dictionaries({"person": ref(), "date": dates}, optional={"place": anything}),
    "record_outflow": st.fixed_dictionaries({"person": ref(), "date": dates},
                                            optional={"place": anything, "certificate_no": anything}),
    "record_return": st.fixed_dictionaries({"person": ref("away", "wife"), "date": dates}),
    "record_inflow": st.fixed_dictionaries(
        {"person": person_maps, "date": dates},
        optional={"place": anything, "household": ref("household"), "certificate_no": anything}),
    "record_marriage": st.fixed_dictionaries(
        {"person": ref("girl", "single", "away", "wife"), "date": dates},
        optional={"spouse": ref("away", "husband", "girl"), "spouse_info": spouse_maps}),
    "record_divorce": st.fixed_dictionaries({"person": ref("wife", "husband", "single"), "date": dates}),
    "record_widowhood": st.fixed_dictionaries({"person": ref("single", "wife"), "date": dates}),
    "record_birth": st.fixed_dictionaries(
        {"mother": ref("wife", "single", "girl"), "child_name": texts, "sex": code("sex"), "birth_date": dates},
        optional={"birth_order": maybe(numbers), "policy_status": code("policy_status"), "birth_cert_no": anything,
                  "blood_relation": code("blood_relation"), "health": code("health"),
                  "id_number": person_field("id_number"), "add_to_household": anything}),
    "start_measure": st.fixed_dictionaries(
        {"person": ref("wife", "single", "girl"), "method": code("method"), "start_date": dates},
        optional={"institution": anything, "reason": anything, "no_measure_reason": code("no_measure_reason")}),
    "stop_measure": st.fixed_dictionaries(
        {"person": ref("wife", "single"), "date": dates, "no_measure_reason": code("no_measure_reason")},
        optional={"reason": anything}),
    "register_pregnancy": st.fixed_dictionaries(
        {"person": ref("wife", "girl", "single"), "lmp_date": dates},
        optional={"registered_date": dates, "policy_status": code("policy_status")}),
    "record_pregnancy_outcome": st.fixed_dictionaries(
        {"pregnancy": ref("pregnancy"), "outcome": code("pregnancy_outcome"), "end_date": dates},
        optional={"place": anything}),
    "record_service": st.fixed_dictionaries(
        {"person": ref(), "kind": code("service_kind"), "date": dates},
        optional={"result": anything, "institution": anything, "item": anything, "quantity": maybe(numbers)}),
    "pay_benefit": st.fixed_dictionaries(
        {"person": ref(), "kind": code("benefit_kind"), "year": pick(st.integers(1970, 2100), numbers, anything),
         "paid_date": dates,
         "amount": pick(st.sampled_from(["120", "120.00", "0.01", "-5", "1.001", "1e20", "NaN", "Infinity",
                                              "9" * 30, "１２０"]), numbers, anything)}),
    "issue_certificate": st.fixed_dictionaries(
        {"person": ref(), "kind": code("certificate"), "issued_date": dates}, optional={"number": anything}),
    "correct_field": pick(CORRECTION, CORRECTION, st.fixed_dictionaries(
        {"table": pick(st.sampled_from(sorted(FIELDS)), anything), "record": ref(),
         "field": pick(st.sampled_from(ALL_FIELDS), anything), "value": anything},
        optional={"reason": anything})),
    "confirm_exception": st.fixed_dictionaries({"key": FINDING_KEYS, "note": pick(texts, anything)}),
    "withdraw_exception": st.fixed_dictionaries({"key": FINDING_KEYS}),
    "set_setting": st.fixed_dictionaries({"key": pick(st.sampled_from(["deadline_day", "x"]), anything),
                                          "value": anything}),
    "submit_period": st.fixed_dictionaries(
        {"period": pick(st.sampled_from(["2026-10", "2026年9月", "2026-12", "0999-01", "2026-00"]), dates, anything)},
        optional={"correction_no": pick(st.integers(-1, 3), anything)}),
    "unlock_period": st.fixed_dictionaries(
        {"period": pick(st.sampled_from(["2026-10", "2026-09"]), anything), "reason": pick(texts, anything)}),
}
FUNCTIONS: dict[str, Callable[..., Changes]] = {name: getattr(services, name) for name in services.__all__}
# The privacy actions are core actions too (few examples: scrypt is slow on purpose).
KWARGS["set_idle_lock_minutes"] = st.fixed_dictionaries({"minutes": maybe(numbers)})
KWARGS["set_password"] = st.fixed_dictionaries({"new": pick(texts.filter(lambda t: len(t) < 1000), anything)},
                                               optional={"current": anything})
FUNCTIONS["set_idle_lock_minutes"] = privacy.set_idle_lock_minutes
FUNCTIONS["set_password"] = privacy.set_password


def test_every_service_function_is_fuzzed() -> None:
    assert set(services.__all__) <= set(KWARGS) == set(FUNCTIONS)


def call_and_check(conn: sqlite3.Connection, name: str, kwargs: dict[str, Any], before: list[str]) -> bool:
    """One hostile call; returns whether it succeeded."""
    TRIED[name] += 1
    try:
        changes = FUNCTIONS[name](conn, today=TODAY, **kwargs)
    except FpdeskError as exc:
        FAILED[name] += 1
        assert not conn.in_transaction
        assert file_content(conn) == before, f"{name} failed ({exc}) but changed the file"
        if isinstance(exc, InputError):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)), f"not a message for the clerk: {exc!r}"
        return False
    assert isinstance(changes, Changes) and not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM audit_log WHERE op_id = ?", (changes.op_id,)).fetchone()[0] > 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    load_snapshot(conn, as_of=TODAY)  # what was stored reads back
    return True


HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
          HealthCheck.filter_too_much]


def fuzz_one(name: str, examples: int) -> Callable:
    @settings(max_examples=examples, deadline=None, suppress_health_check=HEALTH)
    @given(kwargs=KWARGS[name])
    def run(template: sqlite3.Connection, kwargs: dict[str, Any]) -> None:
        conn = fresh_copy(template)
        try:
            call_and_check(conn, name, kwargs, TEMPLATE_CONTENT)
        finally:
            conn.close()

    return run


def _examples(name: str, count: int) -> int:
    return max(2, count // 10) if name == "set_password" else count


@pytest.mark.parametrize("name", sorted(KWARGS))
def test_hostile_input_fast(template, name) -> None:
    fuzz_one(name, _examples(name, FAST))(template)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(KWARGS))
def test_hostile_input(template, name) -> None:
    fuzz_one(name, _examples(name, SLOW))(template)


calls = st.one_of(*[st.tuples(st.just(name), KWARGS[name]) for name in sorted(KWARGS) if name != "set_password"])


@pytest.mark.slow
@settings(max_examples=SLOW * 2, deadline=None, suppress_health_check=HEALTH)
@given(sequence=st.lists(calls, min_size=2, max_size=8))
def test_hostile_sequences_on_one_file(template, sequence) -> None:
    """Calls in a row on one file: what one call stored must not trip up the next."""
    conn = fresh_copy(template)
    try:
        for name, kwargs in sequence:
            call_and_check(conn, name, kwargs, file_content(conn))
    finally:
        conn.close()


# Inputs that broke a service before (found by the fuzzing above, by the crash test, or by reading the code and
# confirmed with a probe), kept so they never break one again: (what happened, calls, does the last one succeed).
W, H = IDS["wife"], IDS["household"]
NEW_PERSON = IDS["child"] + 1  # the id the next person added gets (the child is the newest in the template)
FOUND = [
    ("TypeError: unhashable table", [("correct_field", {"table": [], "record": 1, "field": "name", "value": "x"})], False),
    ("OverflowError: id beyond 64 bits", [("record_death", {"person": 2**63, "date": "2026-11-01"})], False),
    ("OverflowError: float('inf') as id", [("record_death", {"person": float("inf"), "date": "2026-11-01"})], False),
    ("TypeError: person not a mapping", [("record_inflow", {"person": "", "date": "2026-11-01"})], False),
    ("TypeError: members not a list", [("register_household", {"number": "9", "members": 1})], False),
    ("TypeError: spouse_info not a mapping", [("record_marriage", {"person": IDS["girl"], "date": "2026-11-01",
                                                                   "spouse_info": 5})], False),
    ("ProgrammingError: setting key a list", [("set_setting", {"key": [], "value": "1"})], False),
    ("IntegrityError: report month 0999", [("record_outflow", {"person": W, "date": dt.date(999, 1, 1)})], False),
    ("IntegrityError: full-width village code", [("setup_village", {"code": "４２０１０２００１００１", "name": "双河村",
                                                                     "clerk": "王丽"})], True),
    ("empty operation: village unchanged", [("setup_village", {"code": "420102001001", "name": "双河村",
                                                               "clerk": "李芳"})], False),
    ("empty operation: correction to the same value", [("correct_field", {"table": "person", "record": W,
                                                                           "field": "name", "value": "李娜"})], False),
    ("IntegrityError: corrected year out of range", [("correct_field", {"table": "benefit", "record": 1,
                                                                         "field": "year", "value": 0})], False),
    ("IntegrityError: corrected to a duplicate number", [("correct_field", {"table": "household", "record": H,
                                                                             "field": "number", "value": "002"})], False),
    ("IntegrityError: end date without end reason", [("correct_field", {"table": "marriage", "record": 1,
                                                                         "field": "end_date", "value": "2026-01-01"})],
     False),
    ("AttributeError: correction reason not text", [("correct_field", {"table": "person", "record": W,
                                                                        "field": "note", "value": "x", "reason": 5})],
     True),
    ("OverflowError: pregnancy due after 9999", [("register_pregnancy", {"person": IDS["girl"], "lmp_date": "9999-12-31",
                                                                         "registered_date": "9999-12-31"})], False),
    ("ValueError: marrying someone born in 9999", [
        ("add_person", {"household": H, "person": {"name": "未来", "sex": "女", "birth_date": "9999-12-31"}}),
        ("record_marriage", {"person": NEW_PERSON, "date": "2026-01-01", "spouse_info": {"spouse_name": "某"}})],
     False),
    ("ValueError: superscript digit in an ID number", [
        ("add_person", {"household": H, "person": {"name": "某", "id_number": "4201021992050301²7"}})], False),
    ("InvalidOperation: amount NaN", [("pay_benefit", {"person": W, "kind": "01", "year": 2026, "amount": "sNaN",
                                                       "paid_date": "2026-11-01"})], False),
    ("OverflowError: amount 1e20 yuan", [("pay_benefit", {"person": W, "kind": "01", "year": 2026, "amount": "1e20",
                                                          "paid_date": "2026-11-01"})], False),
    ("OverflowError: quantity beyond 64 bits", [("record_service", {"person": W, "kind": "01", "date": "2026-11-01",
                                                                    "quantity": 2**63})], False),
    ("OverflowError: birth order 10**30", [("record_birth", {"mother": W, "child_name": "某", "sex": "1",
                                                             "birth_date": "2026-11-01", "birth_order": 10**30})], False),
]


@pytest.mark.parametrize(("calls", "succeeds"), [(c, ok) for _, c, ok in FOUND], ids=[what for what, _, _ in FOUND])
def test_inputs_that_broke_a_service_before(template, calls, succeeds) -> None:
    conn = fresh_copy(template)
    try:
        for name, kwargs in calls:
            done = call_and_check(conn, name, kwargs, file_content(conn))
        assert done is succeeds
    finally:
        conn.close()
