"""The audit trail as the clerk reads it: old → new with labels, per record and village-wide."""

import datetime as dt

from fpdesk import services
from fpdesk.audit import person_history, record_history, village_log
from tests.conftest import TODAY


def test_history_of_a_person_shows_who_when_and_old_to_new(fresh_db) -> None:
    ch = services.register_household(fresh_db, number="001", today=TODAY, user="李芳", members=[
        {"name": "王芳", "sex": "女", "birth_date": "1990-01-01", "education": "初中"}])
    pid = next(r.id for r in ch.inserted if r.table == "person")
    services.correct_field(fresh_db, table="person", record=pid, field="education", value="高中", today=TODAY,
                           user="李芳")
    services.start_measure(fresh_db, person=pid, method="700", start_date="2026-11-02", today=TODAY, user="李芳")
    history = record_history(fresh_db, table="person", record_id=pid)
    assert [(e.kind, e.field_label, e.old, e.new) for e in history][1:] == [("update", "文化程度", "初中", "高中")]
    assert history[0].kind == "insert" and "姓名：王芳" in history[0].new and "文化程度：初中" in history[0].new
    assert all(e.user == "李芳" and e.at.startswith("2026-11-23") for e in history)
    card = person_history(fresh_db, pid)
    assert any(e.table == "measure" and "节育措施：宫内节育器" in e.new for e in card)


def test_village_log_filters(fresh_db) -> None:
    services.register_household(fresh_db, number="001", today=TODAY, members=[
        {"name": "王芳", "sex": "女", "birth_date": "1990-01-01"}])
    services.add_group(fresh_db, name="三组", today=dt.date(2026, 11, 24))
    assert {e.action for e in village_log(fresh_db, since=dt.date(2026, 11, 24))} == {"add_group"}
    assert {e.table for e in village_log(fresh_db, table="person")} == {"person"}
    assert [e.summary for e in village_log(fresh_db, text="三组")] == ["新增村民小组 三组"]
