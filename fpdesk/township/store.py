"""Reading what the township file holds: the submissions (every imported file, corrections and history) and the
figures in them. Writing is ``fpdesk.township.importer``'s alone."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Iterable, Mapping, NewType

SubmissionId = NewType("SubmissionId", int)


@dataclass(frozen=True, slots=True)
class Submission:
    """One imported village file (报送记录).

    id; village_code, period ('2026-10'); correction: 0 for the first report, n for the n-th correction (更正报).
    content_sha256: the manifest's hash of the content (equal = the same report); file_sha256: the file's bytes.
    file_name: as it was imported; format_version; village_name: as the file names the village.
    generated_at: when the village made the file; as_of: the day its data stood for; app_version.
    score_scheme, score_total, score_maximum, score_remarks: the village's own self-assessment.
    findings_errors, findings_warnings: its check findings (not confirmed as exceptions) when it was made.
    imported_at: when the township imported it; superseded_by: the correction that replaced it (None = in force).
    """

    id: SubmissionId
    village_code: str
    period: str
    correction: int
    content_sha256: str
    file_sha256: str
    file_name: str
    format_version: int
    village_name: str
    generated_at: dt.datetime
    as_of: dt.date | None
    app_version: str
    score_scheme: str
    score_total: float | None
    score_maximum: float | None
    score_remarks: str
    findings_errors: int
    findings_warnings: int
    imported_at: dt.datetime
    superseded_by: SubmissionId | None

    @property
    def in_force(self) -> bool:
        return self.superseded_by is None

    @property
    def handed_in(self) -> dt.date:
        """The day the report counts as handed in for timeliness: the day the village made the file (it cannot
        have reached the township before it existed; the day the township gets round to importing a batch says
        nothing about the village)."""
        return self.generated_at.date()


def _submission(row: sqlite3.Row) -> Submission:
    return Submission(
        id=SubmissionId(row["id"]), village_code=row["village_code"], period=row["period"],
        correction=row["correction"], content_sha256=row["content_sha256"], file_sha256=row["file_sha256"],
        file_name=row["file_name"], format_version=row["format_version"], village_name=row["village_name"],
        generated_at=dt.datetime.fromisoformat(row["generated_at"]),
        as_of=dt.date.fromisoformat(row["as_of"]) if row["as_of"] else None, app_version=row["app_version"],
        score_scheme=row["score_scheme"], score_total=row["score_total"], score_maximum=row["score_maximum"],
        score_remarks=row["score_remarks"], findings_errors=row["findings_errors"],
        findings_warnings=row["findings_warnings"],
        imported_at=dt.datetime.fromisoformat(row["imported_at"]),
        superseded_by=SubmissionId(row["superseded_by"]) if row["superseded_by"] is not None else None,
    )


def submissions(conn: sqlite3.Connection, *, period: str | None = None, village_code: str | None = None,
                in_force: bool | None = True) -> tuple[Submission, ...]:
    """Submissions by village and month, oldest first; ``in_force=None`` gives the history too."""
    where, args = [], []
    if period is not None:
        where.append("period = ?")
        args.append(period)
    if village_code is not None:
        where.append("village_code = ?")
        args.append(village_code)
    if in_force is True:
        where.append("superseded_by IS NULL")
    elif in_force is False:
        where.append("superseded_by IS NOT NULL")
    sql = "SELECT * FROM submission" + (" WHERE " + " AND ".join(where) if where else "")
    return tuple(_submission(r) for r in conn.execute(sql + " ORDER BY village_code, period, id", args))


def submission(conn: sqlite3.Connection, submission_id: int) -> Submission | None:
    row = conn.execute("SELECT * FROM submission WHERE id = ?", (submission_id,)).fetchone()
    return None if row is None else _submission(row)


def in_force(conn: sqlite3.Connection, village_code: str, period: str) -> Submission | None:
    """The submission in force for a village and month, or None."""
    row = conn.execute("SELECT * FROM submission WHERE village_code = ? AND period = ? AND superseded_by IS NULL",
                       (village_code, period)).fetchone()
    return None if row is None else _submission(row)


def manifest(conn: sqlite3.Connection, submission_id: int) -> Mapping[str, Any]:
    """The manifest the village file carried, as it was imported."""
    row = conn.execute("SELECT manifest FROM submission WHERE id = ?", (submission_id,)).fetchone()
    return MappingProxyType(json.loads(row[0]) if row else {})


def _ids(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(ids)))


def table_figures(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """The monthly-table figures (月报表) of each submission."""
    wanted = _ids(ids)
    out: dict[int, dict[str, int]] = {i: {} for i in wanted}
    if wanted:
        marks = ",".join("?" * len(wanted))
        for sid, key, value in conn.execute(
                f"SELECT submission_id, key, value FROM table_figure WHERE submission_id IN ({marks})", wanted):
            out[sid][key] = value
    return out


def indicator_figures(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, dict[str, tuple[int, float]]]:
    """The indicators' numerators and denominators of each submission."""
    wanted = _ids(ids)
    out: dict[int, dict[str, tuple[int, float]]] = {i: {} for i in wanted}
    if wanted:
        marks = ",".join("?" * len(wanted))
        for sid, key, num, den in conn.execute(
                f"SELECT submission_id, key, numerator, denominator FROM indicator_figure"
                f" WHERE submission_id IN ({marks})", wanted):
            out[sid][key] = (num, den)
    return out


def table_sums(conn: sqlite3.Connection, period: str) -> dict[str, int]:
    """The monthly table summed by the database over the submissions in force: the cross-check of the township
    table that ``aggregate`` adds up in Python."""
    return {key: total for key, total in conn.execute(
        "SELECT f.key, SUM(f.value) FROM table_figure f JOIN submission s ON s.id = f.submission_id"
        " WHERE s.period = ? AND s.superseded_by IS NULL GROUP BY f.key", (period,))}


def finding_figures(conn: sqlite3.Connection, submission_id: int) -> dict[str, tuple[str, str, int, int]]:
    """The check findings per rule code of a submission: {code: (severity, kind, count, confirmed)}."""
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute(
        "SELECT code, severity, kind, count, confirmed FROM finding_figure WHERE submission_id = ?",
        (submission_id,))}


def score_figures(conn: sqlite3.Connection, submission_id: int) -> dict[str, tuple[float, float]]:
    """The village's own score sheet per article and item: {"item.1.1": (points, maximum)}."""
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT key, points, maximum FROM score_figure WHERE submission_id = ?", (submission_id,))}


def periods(conn: sqlite3.Connection) -> tuple[str, ...]:
    """Every month some village has reported, oldest first."""
    return tuple(r[0] for r in conn.execute("SELECT DISTINCT period FROM submission ORDER BY period"))
