"""The writer that tests/test_crash.py kills with SIGKILL (POSIX only).

Run as ``python -m tests.crash_writer``: it imports the core once, prints READY, then reads one JSON command per
line from stdin. For each it forks a fresh writer process (so 200 kills do not pay 200 interpreter start-ups),
lets it work for ``delay`` seconds, kills it with SIGKILL, reaps it, and answers with one JSON line. The killed
writer's stdout is the ``out`` file: after each COMMIT it prints what it committed, flushed, so whatever is in
``out`` after the kill was reported committed.

Writers (``mode``):
  ops      service calls in a loop, each its own transaction:   OP <op_id> <audit rows> <events>
  batch    2-6 service calls in one ``ops.batch``:               PLAN <tag> <n> / DONE <tag> <op ids> / FAIL <tag>
  backup   service calls, then an automatic backup or a copy to ``usb``:  OP ... / BK <path>
  restore  restores backup A, then B, then A ...:                R <A|B>
Every operation a writer does carries its tag as ``user``, so the test can tell a batch's operations apart.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sys
import time
import traceback
from pathlib import Path

from fpdesk import backup, ops, services
from fpdesk.errors import FpdeskError, InputError
from fpdesk.filelock import open_exclusive
from fpdesk.idnumber import make_id_number

TODAY = dt.date(2026, 11, 23)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _day(rng: random.Random, start: int, end: int) -> dt.date:
    first, last = dt.date(start, 1, 1), min(dt.date(end, 12, 31), TODAY)
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _member(rng: random.Random, seq: int) -> dict:
    sex = rng.choice("12")
    born = _day(rng, 1950, 2015)
    member = {"name": _name(rng), "sex": sex, "birth_date": born.isoformat()}
    if rng.random() < 0.5:
        member["id_number"] = make_id_number(region="420102", birth_date=born, sequence=seq, sex=sex)
    if rng.random() < 0.3:
        member["occupation"] = rng.choice(["务农", "务工", "个体", "学生"])
    return member


def _ids(conn, sql: str) -> list[int]:
    return [r[0] for r in conn.execute(sql)]


WOMEN = ("SELECT id FROM person WHERE sex = '2' AND death_date IS NULL AND moved_out_date IS NULL"
         " AND birth_date <= '2006-01-01'")


def one_call(conn, rng: random.Random, tag: str, seq: int):
    """One random service call (mostly valid; an invalid one raises InputError and writes nothing)."""
    kind = rng.choices(
        ["household", "person", "marriage", "birth", "measure", "service", "benefit", "certificate", "correct",
         "setting", "outflow", "return", "pregnancy", "outcome", "death"],
        weights=[6, 4, 4, 4, 4, 6, 3, 2, 4, 2, 2, 2, 2, 2, 1],
    )[0]
    common = {"user": tag, "today": TODAY}
    women = _ids(conn, WOMEN)
    people = _ids(conn, "SELECT id FROM person WHERE death_date IS NULL")
    if kind == "household" or not people:
        members = [_member(rng, seq * 10 + i) for i in range(rng.randint(1, 4))]
        moved = _day(rng, 2020, 2026).isoformat() if rng.random() < 0.3 else None
        return services.register_household(conn, number=f"{tag}-{seq}", group=rng.choice(["一组", "二组", None]),
                                           members=members, moved_in=moved, **common)
    if kind == "person":
        households = _ids(conn, "SELECT id FROM household")
        return services.add_person(conn, household=rng.choice(households), person=_member(rng, seq),
                                   moved_in=_day(rng, 2024, 2026) if rng.random() < 0.5 else None, **common)
    if kind == "marriage":
        single = _ids(conn, WOMEN + " AND id NOT IN (SELECT person_id FROM marriage WHERE end_date IS NULL)")
        if not single:
            raise InputError("无", field="")
        return services.record_marriage(conn, person=rng.choice(single), date=_day(rng, 2024, 2026),
                                        spouse_info={"spouse_name": _name(rng), "spouse_hukou": "1"}, **common)
    if not women:
        raise InputError("无", field="")
    woman = rng.choice(women)
    if kind == "birth":
        return services.record_birth(conn, mother=woman, child_name=_name(rng), sex=rng.choice(["男", "女"]),
                                     birth_date=_day(rng, 2025, 2026), **common)
    if kind == "measure":
        return services.start_measure(conn, person=woman, method=rng.choice(["700", "810", "300", "100", "600"]),
                                      start_date=_day(rng, 2026, 2026), institution="镇卫生院", **common)
    if kind == "service":
        return services.record_service(conn, person=rng.choice(people), kind=rng.choice(["查环", "查孕", "药具发放"]),
                                       date=_day(rng, 2026, 2026), result="正常", quantity=rng.randint(0, 5),
                                       **common)
    if kind == "benefit":
        return services.pay_benefit(conn, person=rng.choice(people), kind="奖励扶助", year=2026,
                                    amount=f"{rng.randint(1, 2000)}.{rng.randint(0, 99):02d}",
                                    paid_date=_day(rng, 2026, 2026), **common)
    if kind == "certificate":
        return services.issue_certificate(conn, person=woman, kind="0108", number=f"鄂{seq:05d}",
                                          issued_date=_day(rng, 2025, 2026), **common)
    if kind == "correct":
        field, value = rng.choice([("name", _name(rng)), ("occupation", "务工"), ("note", f"核对{seq}"),
                                   ("education", rng.choice(["初中", "高中"]))])
        return services.correct_field(conn, table="person", record=rng.choice(people), field=field, value=value,
                                      reason="核对户口本", **common)
    if kind == "setting":
        return services.set_setting(conn, key=f"crash_key_{rng.randint(0, 3)}", value=str(seq), **common)
    if kind == "outflow":
        return services.record_outflow(conn, person=rng.choice(people), date=_day(rng, 2026, 2026), place="广东",
                                       **common)
    if kind == "return":
        away = _ids(conn, "SELECT person_id FROM migration WHERE end_date IS NULL AND kind = '2'")
        if not away:
            raise InputError("无", field="")
        return services.record_return(conn, person=rng.choice(away), date=TODAY, **common)
    if kind == "pregnancy":
        return services.register_pregnancy(conn, person=woman, lmp_date=_day(rng, 2026, 2026), **common)
    if kind == "outcome":
        open_ = _ids(conn, "SELECT id FROM pregnancy WHERE outcome IS NULL")
        if not open_:
            raise InputError("无", field="")
        return services.record_pregnancy_outcome(conn, pregnancy=rng.choice(open_), outcome="人工流产",
                                                 end_date=TODAY, **common)
    return services.record_death(conn, person=rng.choice(people), date=_day(rng, 2026, 2026), **common)


def _report(line: str) -> None:
    print(line, flush=True)


def _report_op(conn, changes) -> None:
    audits = conn.execute("SELECT count(*) FROM audit_log WHERE op_id = ?", (changes.op_id,)).fetchone()[0]
    _report(f"OP {changes.op_id} {audits} {len(changes.events)}")


def write_ops(rng: random.Random, *, db: str, seed: int, **_: object) -> None:
    village = open_exclusive(db)
    seq = 0
    while True:
        seq += 1
        try:
            changes = one_call(village.conn, rng, f"o{seed}", seq)
        except InputError:
            continue
        _report_op(village.conn, changes)


def write_batches(rng: random.Random, *, db: str, seed: int, **_: object) -> None:
    village = open_exclusive(db)
    for i in range(10**9):
        tag, n = f"b{seed}-{i}", rng.randint(2, 6)
        _report(f"PLAN {tag} {n}")
        done = []
        try:
            with ops.batch(village.conn):
                for k in range(n):
                    done.append(one_call(village.conn, rng, tag, i * 10 + k).op_id)
        except InputError:
            _report(f"FAIL {tag}")
            continue
        _report(f"DONE {tag} {','.join(map(str, done))}")


def write_with_backups(rng: random.Random, *, db: str, seed: int, usb: str, clock: str, **_: object) -> None:
    village = open_exclusive(db)
    now = dt.datetime.fromisoformat(clock)
    seq = 0
    while True:
        for _ in range(rng.randint(1, 3)):
            seq += 1
            try:
                _report_op(village.conn, one_call(village.conn, rng, f"k{seed}", seq))
            except InputError:
                pass
        now += dt.timedelta(hours=rng.choice([1, 5, 26]))
        if rng.random() < 0.6:
            made = backup.auto_backup(village.conn, db, reason=rng.choice(["open", "close", "daily"]), now=now,
                                      policy=backup.RetentionPolicy(recent=4, days=3, months=2))
        else:
            made = backup.backup_to(village.conn, Path(usb) / "copy.sqlite").path
        _report(f"BK {made}")


def write_restores(rng: random.Random, *, db: str, a: str, b: str, **_: object) -> None:
    while True:
        for label, source in (("A", a), ("B", b)):
            backup.restore(db, source)
            _report(f"R {label}")


WRITERS = {"ops": write_ops, "batch": write_batches, "backup": write_with_backups, "restore": write_restores}


def _child(command: dict) -> None:
    out = os.open(command["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(command["out"] + ".err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.dup2(err, 2)
    os.environ["FPDESK_HOME"] = command["home"]
    try:
        WRITERS[command["mode"]](random.Random(command["seed"]), **command)
    except (FpdeskError, Exception):
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(3)
    os._exit(0)


def serve() -> None:
    print("READY", flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            _child(command)
        time.sleep(command["delay"])  # the random moment: chosen by the test, uniform over the writer's work
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        print(json.dumps({"pid": pid, "killed": killed, "status": status}), flush=True)


if __name__ == "__main__":
    serve()
