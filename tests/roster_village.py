"""Helpers for the roster workbook tests: a realistic village built by hand through the service functions, and a
dump of every ledger table with ids replaced by what they point at, to compare two village files field by field."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Callable

from fpdesk import services
from fpdesk.idnumber import make_id_number

D = dt.date


def _pid(changes) -> int:
    return next(r.id for r in changes.inserted if r.table == "person")


def _ids_by_name(conn: sqlite3.Connection) -> dict[str, int]:
    return {r["name"]: r["id"] for r in conn.execute("SELECT id, name FROM person")}


def build_village(conn: sqlite3.Connection, today: dt.date) -> None:
    """Four households of 双河村 and an inflow woman, with a history: marriages in and outside the village, a
    divorce and remarriage, births, measures (one "none" with its reason), pregnancies ongoing and ended,
    services, benefits, an outflow and a return, an inflow, an only-child certificate, deaths and a move out.

    Every name is unique, so tests can find people by name.
    """
    region = "420102"

    def idn(birth: dt.date, seq: int, sex: str) -> str:
        return make_id_number(region=region, birth_date=birth, sequence=seq, sex=sex)

    kw = {"today": today}
    services.register_household(conn, number="001", group="一组", address="双河村一组1号", members=[
        {"roster_no": "A001", "name": "张伟", "sex": "男", "birth_date": D(1985, 4, 2), "relation": "户主",
         "id_number": idn(D(1985, 4, 2), 11, "1"), "ethnicity": "汉族", "education": "初中", "hukou": "农业",
         "marital_status": "未婚"},
        {"roster_no": "A002", "name": "李娜", "sex": "女", "birth_date": D(1988, 9, 17), "relation": "配偶",
         "id_number": idn(D(1988, 9, 17), 22, "2"), "ethnicity": "汉族", "education": "高中", "hukou": "农业",
         "marital_status": "10"},
        {"roster_no": "A003", "name": "王秀英", "sex": "女", "birth_date": D(1950, 1, 5), "relation": "父母",
         "id_number": idn(D(1950, 1, 5), 33, "2"), "ethnicity": "01", "hukou": "农业", "marital_status": "丧偶",
         "marital_change_date": D(2001, 3, 1), "occupation": "务农", "note": "低保户"},
    ], **kw)
    services.register_household(conn, number="002", group="二组", members=[
        {"roster_no": "B001", "name": "刘芳", "sex": "2", "birth_date": D(1992, 6, 30), "relation": "户主",
         "id_number": idn(D(1992, 6, 30), 44, "2"), "ethnicity": "土家族", "education": "大学专科", "hukou": "非农业"},
        {"roster_no": "B002", "name": "王强", "sex": "1", "birth_date": D(1990, 2, 14), "relation": "兄弟姐妹",
         "id_number": idn(D(1990, 2, 14), 55, "1"), "hukou": "农业", "marital_status": "未婚"},
    ], **kw)
    services.register_household(conn, number="003", group="一组", members=[
        {"roster_no": "C001", "name": "周刚", "sex": "男", "birth_date": D(1978, 11, 3), "relation": "户主",
         "id_number": idn(D(1978, 11, 3), 66, "1"), "ethnicity": "汉族", "hukou": "农业"},
        {"roster_no": "C002", "name": "孙丽", "sex": "女", "birth_date": D(1980, 7, 21), "relation": "配偶",
         "id_number": idn(D(1980, 7, 21), 77, "2"), "ethnicity": "汉族", "hukou": "农业"},
    ], **kw)
    services.register_household(conn, number="004", group="二组", moved_in=D(2008, 3, 1), members=[
        {"roster_no": "D001", "name": "吴敏", "sex": "女", "birth_date": D(1987, 12, 8), "relation": "户主",
         "id_number": idn(D(1987, 12, 8), 88, "2"), "hukou": "农业", "education": "中专"},
        {"roster_no": "D002", "name": "郑浩", "sex": "男", "birth_date": D(1985, 5, 5), "relation": "配偶",
         "id_number": "42010219850505123X", "hukou": "农业"},  # a wrong check digit: data, not a format error
    ], **kw)
    p = _ids_by_name(conn)

    # marriages: in the village, outside it, ended by divorce and by death, a remarriage
    services.record_marriage(conn, person=p["张伟"], spouse=p["李娜"], date=D(2010, 5, 1), **kw)
    services.record_marriage(conn, person=p["刘芳"], date=D(2017, 10, 1), spouse_info={
        "spouse_name": "赵军", "spouse_id_number": idn(D(1991, 3, 3), 99, "1"), "spouse_ethnicity": "汉族"}, **kw)
    services.record_marriage(conn, person=p["周刚"], spouse=p["孙丽"], date=D(2003, 1, 18), **kw)
    services.record_marriage(conn, person=p["吴敏"], spouse=p["郑浩"], date=D(2009, 9, 9), **kw)
    services.record_divorce(conn, person=p["吴敏"], date=D(2019, 4, 1), **kw)
    services.record_marriage(conn, person=p["吴敏"], date=D(2021, 10, 1), spouse_info={"spouse_name": "冯涛"}, **kw)

    # births (the children get no 人员编号: the export makes them one)
    services.register_pregnancy(conn, person=p["李娜"], lmp_date=D(2010, 6, 10), registered_date=D(2010, 8, 1),
                                policy_status="政策内", **kw)
    services.record_birth(conn, mother=p["李娜"], child_name="张小明", sex="男", birth_date=D(2011, 3, 15),
                          birth_cert_no="R420000123", **kw)
    services.record_birth(conn, mother=p["李娜"], child_name="张小红", sex="女", birth_date=D(2016, 8, 20),
                          health="健康", **kw)
    services.record_birth(conn, mother=p["孙丽"], child_name="周小宝", sex="男", birth_date=D(2005, 2, 2),
                          policy_status="1", **kw)
    services.record_birth(conn, mother=p["吴敏"], child_name="郑乐乐", sex="女", birth_date=D(2012, 6, 1), **kw)
    services.record_birth(conn, mother=p["吴敏"], child_name="冯安", sex="男", birth_date=D(2022, 12, 24),
                          policy_status="2", blood_relation="继子女", add_to_household=False, **kw)

    # contraception: an IUD, a sterilisation, a condom then "none" for a reason
    services.start_measure(conn, person=p["李娜"], method="宫内节育器", start_date=D(2016, 10, 8),
                           institution="乡卫生院", **kw)
    services.start_measure(conn, person=p["孙丽"], method="810", start_date=D(2005, 5, 1), institution="县妇幼", **kw)
    services.start_measure(conn, person=p["刘芳"], method="避孕套", start_date=D(2018, 1, 1), **kw)
    services.stop_measure(conn, person=p["刘芳"], date=D(2026, 4, 1), no_measure_reason="待孕", reason="计划怀孕", **kw)
    services.start_measure(conn, person=p["吴敏"], method="000", start_date=D(2023, 11, 1), no_measure_reason="A92",
                           **kw)

    # pregnancies: one ongoing, one ended by an abortion, one ended by the birth above
    services.register_pregnancy(conn, person=p["刘芳"], lmp_date=D(2026, 6, 1), registered_date=D(2026, 7, 15),
                                policy_status="政策内", **kw)
    preg = services.register_pregnancy(conn, person=p["吴敏"], lmp_date=D(2020, 1, 1), registered_date=D(2020, 2, 1),
                                       **kw)
    services.record_pregnancy_outcome(conn, pregnancy=preg.record.id, outcome="人工流产", end_date=D(2020, 2, 20),
                                      place="县医院", **kw)

    # services, benefits, a certificate
    services.record_service(conn, person=p["李娜"], kind="查环", date=D(2026, 3, 10), result="环位正常",
                            institution="乡卫生院", **kw)
    services.record_service(conn, person=p["李娜"], kind="透环", date=D(2025, 9, 2), **kw)
    services.record_service(conn, person=p["刘芳"], kind="查孕", date=D(2026, 7, 15), result="早孕", **kw)
    services.record_service(conn, person=p["孙丽"], kind="药具发放", date=D(2026, 1, 5), item="避孕套",
                            quantity=10, **kw)
    services.issue_certificate(conn, person=p["孙丽"], kind="0108", issued_date=D(2006, 1, 10), number="DZ001", **kw)
    services.issue_certificate(conn, person=p["李娜"], kind="0102", issued_date=D(2016, 1, 20), **kw)
    services.pay_benefit(conn, person=p["孙丽"], kind="独生子女保健费", year=2025, amount="120", paid_date=D(2025, 12, 1),
                         **kw)
    services.pay_benefit(conn, person=p["孙丽"], kind="02", year=2026, amount="960.50", paid_date=D(2026, 6, 30), **kw)

    # flows: an outflow still away, an outflow come back, an inflow without a household
    services.record_outflow(conn, person=p["刘芳"], date=D(2026, 8, 1), place="广东省东莞市", **kw)
    services.record_outflow(conn, person=p["王强"], date=D(2024, 1, 1), place="浙江省宁波市", **kw)
    services.record_return(conn, person=p["王强"], date=D(2025, 6, 1), **kw)
    services.record_inflow(conn, person={"roster_no": "L001", "name": "黄梅", "sex": "女", "birth_date": D(1995, 3, 8),
                                         "id_number": make_id_number(region="430102", birth_date=D(1995, 3, 8),
                                                                     sequence=12, sex="2"),
                                         "marital_status": "21", "first_marriage_date": D(2019, 5, 1)},
                           date=D(2026, 2, 1), place="湖南省长沙市", **kw)

    # deaths and a move out
    services.record_death(conn, person=p["王秀英"], date=D(2025, 12, 1), **kw)
    services.record_death(conn, person=p["周刚"], date=D(2024, 3, 1), **kw)
    services.record_move_out(conn, person=p["郑浩"], date=D(2022, 5, 1), place="武汉市", **kw)


# Each ledger table: (columns compared, {column: table it refers to}). Ids are replaced by the person key, the
# household number or the group name; audit, operations and change events are not ledgers.
LEDGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "village": ("code", "name", "township", "county", "clerk", "phone"),
    "village_group": ("name", "head_name"),
    "household": ("number", "group_id", "address"),
    "person": ("roster_no", "household_id", "relation", "name", "sex", "birth_date", "id_number", "ethnicity",
               "education", "hukou", "occupation", "marital_status", "first_marriage_date", "marital_change_date",
               "residence", "moved_in_date", "moved_out_date", "death_date", "only_child", "note"),
    "marriage": ("person_id", "spouse_id", "spouse_name", "spouse_id_number", "spouse_birth_date",
                 "spouse_ethnicity", "spouse_education", "spouse_hukou", "spouse_occupation", "spouse_only_child",
                 "kind", "start_date", "end_date", "end_reason"),
    "birth": ("mother_id", "child_id", "child_name", "child_sex", "birth_date", "birth_order", "policy_status",
              "birth_cert_no", "blood_relation", "health"),
    "measure": ("person_id", "method", "start_date", "end_date", "institution", "change_reason", "no_measure_reason"),
    "pregnancy": ("person_id", "lmp_date", "registered_date", "expected_date", "policy_status", "outcome",
                  "end_date", "end_place"),
    "service": ("person_id", "kind", "service_date", "result", "institution", "item", "quantity"),
    "benefit": ("person_id", "kind", "year", "amount_fen", "paid_date"),
    "migration": ("person_id", "kind", "start_date", "place", "end_date", "certificate_no"),
    "certificate": ("person_id", "kind", "number", "issued_date"),
}
_PERSON_REFS = {"person_id", "spouse_id", "mother_id", "child_id"}


def dump(conn: sqlite3.Connection, person_key: Callable[[sqlite3.Row], str] = lambda r: r["roster_no"],
         where: dict[str, str] | None = None) -> dict[str, list[tuple]]:
    """Every ledger table as a sorted list of rows, ids replaced by what they point at.

    person_key: what identifies a person across files (their 人员编号 by default).
    where: an extra SQL condition per table, to keep only the rows some comparison is about.
    """
    people = {r["id"]: person_key(r) for r in conn.execute("SELECT * FROM person")}
    households = {r["id"]: r["number"] for r in conn.execute("SELECT id, number FROM household")}
    groups = {r["id"]: r["name"] for r in conn.execute("SELECT id, name FROM village_group")}
    out = {}
    for table, columns in LEDGER_COLUMNS.items():
        cond = f" WHERE {where[table]}" if where and table in where else ""
        rows = []
        for r in conn.execute(f"SELECT * FROM {table}{cond}"):
            row = []
            for col in columns:
                value = r[col]
                if col in _PERSON_REFS and value is not None:
                    value = people[value]
                elif col == "household_id" and value is not None:
                    value = households[value]
                elif col == "group_id" and value is not None:
                    value = groups[value]
                row.append(value)
            rows.append(tuple(row))
        out[table] = sorted(rows, key=repr)
    return out
