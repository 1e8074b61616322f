"""Writing one admitted village file into the township file: the submission with its manifest, and every figure
the township aggregates and scores — in one transaction, so a file is in whole or not at all.

The change lists (报告单一、二) name people; they stay in the village's own file and on its printed forms. The
township keeps the counts it needs (monthly table, indicators, findings per rule, the village's own score).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from fpdesk.checks import KINDS, SEVERITIES, rule
from fpdesk.export import format as fmt
from fpdesk.township.admit import Admitted
from fpdesk.township.db import transaction

_SEVERITY_KEYS = {label: key for key, label in SEVERITIES.items()}
_KIND_KEYS = {label: key for key, label in KINDS.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _finding_rows(sid: int, admitted: Admitted) -> list[tuple]:
    """(submission, code, severity, kind, count, confirmed) per rule: severity and kind from our rule catalogue,
    or, for a rule this program does not know (a newer village program), as the file labels them."""
    month = admitted.month
    labels = {}
    if fmt.FINDINGS in month.rows:
        headers = month.headers[fmt.FINDINGS]
        ci, si, ki = headers.index("代码"), headers.index("严重程度"), headers.index("类别")
        labels = {row[ci]: (row[si], row[ki]) for row in month.rows[fmt.FINDINGS] if len(row) > max(ci, si, ki)}
    out = []
    for code, (count, confirmed) in month.finding_counts.items():
        try:
            r = rule(code)
            severity, kind = r.severity, r.kind
        except KeyError:
            sev_label, kind_label = labels.get(code, ("错误", "逻辑错误"))
            severity, kind = _SEVERITY_KEYS.get(sev_label, "error"), _KIND_KEYS.get(kind_label, "logic")
        out.append((sid, str(code), severity, kind, int(count or 0), int(confirmed or 0)))
    return out


def _score_remarks(admitted: Admitted) -> str:
    headers = admitted.month.headers.get(fmt.SCORE, ())
    if "键" not in headers or "扣分原因及说明" not in headers:
        return ""
    ki, ri = headers.index("键"), headers.index("扣分原因及说明")
    for row in admitted.month.rows[fmt.SCORE]:
        if len(row) > ki and row[ki] == "total":
            return str(row[ri] or "") if len(row) > ri else ""
    return ""


def write_submission(conn: sqlite3.Connection, admitted: Admitted, *, replaces: int | None,
                     imported_at: dt.datetime) -> int:
    """Write the file as a new submission (superseding ``replaces``, kept as history); returns its id."""
    m = admitted.month
    manifest = json.dumps({k: _json_value(v) for k, v in m.manifest.items()}, ensure_ascii=False, sort_keys=True)
    with transaction(conn):
        sid = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM submission").fetchone()[0]
        if replaces is not None:
            # the new row's id first, then the row itself: "one in force per village and month" holds throughout
            conn.execute("UPDATE submission SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                         (sid, replaces))
        conn.execute(
            "INSERT INTO submission(id, village_code, period, correction, content_sha256, file_sha256, file_name,"
            " format_version, village_name, generated_at, as_of, app_version, score_scheme, score_total,"
            " score_maximum, score_remarks, findings_errors, findings_warnings, manifest, imported_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (sid, m.village_code, m.period, m.correction_no, m.content_sha256, admitted.file_sha256, m.path.name,
             m.format_version, m.village_name, admitted.generated.isoformat(timespec="seconds"),
             m.as_of.isoformat() if m.as_of else None, m.app_version, m.score_scheme, m.score_total,
             m.score_maximum, _score_remarks(admitted), m.findings_errors, m.findings_warnings, manifest,
             imported_at.isoformat(timespec="seconds")))
        conn.executemany("INSERT INTO table_figure(submission_id, key, value) VALUES (?, ?, ?)",
                         [(sid, k, int(v or 0)) for k, v in m.monthly.items()])
        conn.executemany("INSERT INTO indicator_figure(submission_id, key, numerator, denominator)"
                         " VALUES (?, ?, ?, ?)",
                         [(sid, k, int(num or 0), float(den or 0)) for k, (num, den) in m.indicators.items()])
        conn.executemany("INSERT INTO finding_figure(submission_id, code, severity, kind, count, confirmed)"
                         " VALUES (?, ?, ?, ?, ?, ?)", _finding_rows(sid, admitted))
        conn.executemany("INSERT INTO score_figure(submission_id, key, points, maximum) VALUES (?, ?, ?, ?)",
                         [(sid, f"item.{k}", float(p or 0), float(mx or 0)) for k, (p, mx) in m.score_items.items()]
                         + [(sid, f"article.{k}", float(p or 0), float(mx or 0))
                            for k, (p, mx) in m.score_articles.items()])
    return sid
