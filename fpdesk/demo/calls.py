"""The service calls the demo makes, as closures the desk runs on the entry day (``call(conn, today)``).

Every write of the demo village goes through ``fpdesk.services``; these only bind the simulation's objects to the
calls and note the ids the services hand back, so later calls can refer to the records.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any, Callable

from fpdesk import services
from fpdesk.demo.desk import Call
from fpdesk.demo.model import Birth, Household, Person, Pregnancy, Spouse

Conn = sqlite3.Connection


def setup(*, code: str, name: str, township: str, county: str, clerk: str, phone: str,
          groups: list[tuple[str, str]], settings: list[tuple[str, str]]) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.setup_village(conn, code=code, name=name, township=township, county=county, clerk=clerk,
                               phone=phone, today=today)
        for group, head in groups:
            services.add_group(conn, name=group, head_name=head, today=today)
        for key, value in settings:
            services.set_setting(conn, key=key, value=value, today=today)
    return call


def setting(key: str, value: str) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.set_setting(conn, key=key, value=value, today=today)
    return call


def register_household(hh: Household, members: list[Person], *, moved_in: dt.date | None = None,
                       from_place: str = "") -> Call:
    rows = [p.fields() for p in members]

    def call(conn: Conn, today: dt.date) -> None:
        ch = services.register_household(conn, number=hh.number, group=hh.group, address=hh.address,
                                         members=rows, moved_in=moved_in, from_place=from_place, today=today)
        hh.id = ch.inserted[0].id
        persons = [r for r in ch.inserted if r.table == "person"]
        for p, ref in zip(members, persons):
            p.id = ref.id
    return call


def add_person(hh: Household, p: Person, *, moved_in: dt.date | None = None) -> Call:
    row = p.fields()

    def call(conn: Conn, today: dt.date) -> None:
        ch = services.add_person(conn, household=hh.id, person=row, moved_in=moved_in, today=today)
        p.id = ch.inserted[0].id
    return call


def inflow(p: Person, day: dt.date, *, place: str, hh: Household | None, certificate_no: str = "") -> Call:
    row = p.fields()
    del row["residence"]

    def call(conn: Conn, today: dt.date) -> None:
        ch = services.record_inflow(conn, person=row, date=day, place=place, household=hh.id if hh else None,
                                    certificate_no=certificate_no, today=today)
        p.id = ch.inserted[0].id
    return call


def correct(record: Callable[[], int], table: str, field: str, value: Any, reason: str) -> Call:
    """One field set with ``correct_field`` (the one service that edits a single field). ``record`` and a
    callable ``value`` are asked at entry time, when the ids they need exist."""
    def call(conn: Conn, today: dt.date) -> None:
        services.correct_field(conn, table=table, record=record(), field=field,
                               value=value() if callable(value) else value, reason=reason, today=today)
    return call


def marriage(p: Person, day: dt.date, *, spouse: Person | None = None, outside: Spouse | None = None) -> Call:
    info = outside.info() if outside is not None else None

    def call(conn: Conn, today: dt.date) -> None:
        ch = services.record_marriage(conn, person=p.id, date=day, spouse=spouse.id if spouse else None,
                                      spouse_info=info, today=today)
        p.marriage_id = ch.record.id if ch.record else None
    return call


def divorce(p: Person, day: dt.date) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.record_divorce(conn, person=p.id, date=day, today=today)
    return call


def widowhood(p: Person, day: dt.date) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.record_widowhood(conn, person=p.id, date=day, today=today)
    return call


def death(p: Person, day: dt.date) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.record_death(conn, person=p.id, date=day, today=today)
    return call


def birth(mother: Person, b: Birth, *, cert_no: str = "", order: int | None = None) -> Call:
    """A birth; the child joins the household when ``b.child`` is a new person, else the card only."""
    child = b.child

    def call(conn: Conn, today: dt.date) -> None:
        ch = services.record_birth(
            conn, mother=mother.id, child_name=b.name, sex=b.sex, birth_date=b.date, birth_order=order,
            birth_cert_no=cert_no, id_number=child.id_number if child is not None and child.id is None else "",
            add_to_household=child is not None and child.id is None, today=today)
        b.id = ch.record.id
        if child is not None and child.id is None:
            child.id = next(r.id for r in ch.inserted if r.table == "person")
    return call


def measure(w: Person, day: dt.date, method: str, *, why_none: str | None = None, reason: str = "",
            institution: str = "") -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        ch = services.start_measure(conn, person=w.id, method=method, start_date=day, institution=institution,
                                    reason=reason, no_measure_reason=why_none, today=today)
        w.measure_id = ch.record.id
    return call


def pregnancy(w: Person, preg: Pregnancy, *, policy: str | None, registered: dt.date | None) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        ch = services.register_pregnancy(conn, person=w.id, lmp_date=preg.lmp, registered_date=registered,
                                         policy_status=policy, today=today)
        preg.id = ch.record.id
    return call


def outcome(preg: Pregnancy, result: str, day: dt.date, place: str) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.record_pregnancy_outcome(conn, pregnancy=preg.id, outcome=result, end_date=day, place=place,
                                          today=today)
    return call


def service(p: Person, kind: str, day: dt.date, *, result: str = "", institution: str = "", item: str = "",
            quantity: int | None = None) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        ch = services.record_service(conn, person=p.id, kind=kind, date=day, result=result,
                                     institution=institution, item=item, quantity=quantity, today=today)
        p.service_id = ch.record.id
    return call


def benefit(p: Person, kind: str, year: int, amount: int, day: dt.date) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.pay_benefit(conn, person=p.id, kind=kind, year=year, amount=amount, paid_date=day, today=today)
    return call


def certificate(p: Person, kind: str, day: dt.date, number: str) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.issue_certificate(conn, person=p.id, kind=kind, issued_date=day, number=number, today=today)
    return call


def outflow(p: Person, day: dt.date, place: str, certificate_no: str = "") -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.record_outflow(conn, person=p.id, date=day, place=place, certificate_no=certificate_no,
                                today=today)
    return call


def flow_ends(p: Person, day: dt.date) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.record_return(conn, person=p.id, date=day, today=today)
    return call


def move_out(p: Person, day: dt.date, place: str) -> Call:
    def call(conn: Conn, today: dt.date) -> None:
        services.record_move_out(conn, person=p.id, date=day, place=place, today=today)
    return call
