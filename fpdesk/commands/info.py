"""``fpdesk info --db FILE``: the village and how many records each ledger holds."""

from __future__ import annotations

import argparse

import sqlite_utils

from fpdesk.db import open_village_file

# (table, what the clerk calls it, which ledger shows it)
LEDGER_TABLES = (
    ("household", "户", "管理册·人口登记"),
    ("person", "人员", "管理册·人口登记"),
    ("marriage", "婚姻记录", "档案卡"),
    ("birth", "生育记录", "管理册·出生登记"),
    ("measure", "节育措施", "管理册·节育措施登记"),
    ("pregnancy", "孕情", "管理册·孕情登记"),
    ("migration", "流动记录", "管理册·流动人口登记"),
    ("certificate", "证件", "管理册·发证登记"),
    ("service", "服务记录", "服务册"),
    ("benefit", "奖扶发放", "服务册"),
    ("change_event", "变动", "报告单"),
    ("audit_log", "修改记录", "审计"),
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="显示村信息和各台账记录数")
    p.add_argument("--db", required=True, help="村数据文件")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    conn = open_village_file(args.db)
    try:
        v = conn.execute("SELECT * FROM village WHERE id = 1").fetchone()
        if v is None:
            print("村信息：尚未填写")
        else:
            print(f"村：{v['name']}（{v['code']}）  乡镇：{v['township']}  县区：{v['county']}  专干：{v['clerk']}")
        women = conn.execute(
            "SELECT count(*) FROM person WHERE sex = '2' AND marital_status IN ('20','21','22','23')"
            " AND death_date IS NULL AND moved_out_date IS NULL AND residence <> '3'"
            " AND birth_date > date('now', '-50 years') AND birth_date <= date('now', '-15 years')"
        ).fetchone()[0]
        print(f"已婚育龄妇女（档案卡）：{women}")
        width = max(len(label) for _, label, _ in LEDGER_TABLES)
        db = sqlite_utils.Database(conn)  # introspection only; writes go through fpdesk.ops
        for table, label, ledger in LEDGER_TABLES:
            n = db.table(table).count
            print(f"{label:<{width}}\u3000{n:>8}\u3000{ledger}")
    finally:
        conn.close()
    return 0
