"""What the harness times, one function per figure. Each returns the seconds of every timed run (and what the
parts took), never a single number: the harness prints medians and spreads.

Nothing here is an assertion: the targets live in run.py and are printed beside the figures.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from villages import AS_OF, PERIOD


@dataclass
class Runs:
    """The timed runs of one figure: wall-clock seconds, CPU seconds of this process (or of the child), and the
    parts of each run by name (seconds)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    parts: dict[str, list[float]] = field(default_factory=dict)
    note: str = ""

    def part(self, name: str, seconds: float) -> None:
        self.parts.setdefault(name, []).append(seconds)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def timed(fn: Callable[[], object], runs: int, *, setup: Callable[[], object] | None = None) -> Runs:
    """``fn`` timed ``runs`` times, ``setup`` (untimed) before each."""
    out = Runs()
    for _ in range(runs):
        if setup is not None:
            setup()
        w, c = _clock()
        fn()
        w2, c2 = _clock()
        out.wall.append(w2 - w)
        out.cpu.append(c2 - c)
    return out


# ---- the village file ---------------------------------------------------------------------------------------------

def floor(db: Path, runs: int) -> tuple[Runs, list[str]]:
    """The board's figures by SQL alone (``floor.board_sql``), and where they differ from the program's."""
    import floor as sql_floor
    from fpdesk.db import open_village_file
    from fpdesk.snapshot import load_snapshot

    conn = open_village_file(db)
    try:
        sql_floor.board_sql(conn, AS_OF)  # the file's pages in the OS cache, as for every other figure
        out = timed(lambda: sql_floor.board_sql(conn, AS_OF), runs)
        differ = sql_floor.agree(sql_floor.board_sql(conn, AS_OF),
                                 sql_floor.board_program(load_snapshot(conn, as_of=AS_OF)))
    finally:
        conn.close()
    return out, differ


def load_and_check(db: Path, runs: int) -> tuple[Runs, Runs, int]:
    """``load_snapshot`` of the whole file, and ``run_checks`` on each freshly loaded snapshot (as after opening:
    nothing memoised for it). Returns (load, check, findings)."""
    from fpdesk.checks import run_checks
    from fpdesk.db import open_village_file
    from fpdesk.snapshot import load_snapshot

    conn = open_village_file(db)
    load, check, found = Runs(), Runs(), 0
    try:
        for _ in range(runs):
            w, c = _clock()
            snap = load_snapshot(conn, as_of=AS_OF)
            w2, c2 = _clock()
            found = len(run_checks(snap))
            w3, c3 = _clock()
            load.wall.append(w2 - w)
            load.cpu.append(c2 - c)
            check.wall.append(w3 - w2)
            check.cpu.append(c3 - c2)
            del snap
    finally:
        conn.close()
    return load, check, found


def live_score(db: Path, runs: int, work: Path, *, field: str = "education") -> Runs:
    """The cycle after one correction, as the clerk waits for it: ``session.apply(correct_field)`` (the write and
    the session's snapshot update) → the session's snapshot → its findings (the checks) → the village score and
    its change (what the score panel does on ``changed``). The edit toggles a card woman's education, a different
    woman each run, so every run is a real change — the commonest correction, filling in a card's particulars.
    field="birth_date" moves her birth date a day instead: an edit every rule may read (ages, the board, the
    month's totals), so the rules that compare the whole village run again too."""
    from fpdesk import services
    from fpdesk.db import open_village_file
    from fpdesk.score import diff, village_score
    from ui.session import VillageSession

    copy = work / "live.sqlite"
    shutil.copyfile(db, copy)
    conn = open_village_file(copy)
    session = VillageSession(copy, conn)
    session.today = AS_OF
    women = [r[0] for r in conn.execute(
        "SELECT id FROM person WHERE sex = '2' AND marital_status IN ('21', '22', '23') AND death_date IS NULL"
        " AND moved_out_date IS NULL AND residence <> '3' AND education IN ('60', '70') ORDER BY id")]
    sheet = village_score(session.snapshot, findings=session.findings)  # the window is open: all of it in hand
    out = Runs()
    try:
        for i in range(runs):
            person = women[(i * 7919) % len(women)]
            now = conn.execute(f"SELECT {field} FROM person WHERE id = ?", (person,)).fetchone()[0]
            if field == "education":
                value = "70" if now == "60" else "60"
            else:
                value = (dt.date.fromisoformat(now) + dt.timedelta(days=1 if i % 2 == 0 else -1)).isoformat()
            w, c = _clock()
            session.apply(services.correct_field, table="person", record=person, field=field, value=value,
                          reason="核对户口本")
            w1, _ = _clock()
            snap = session.snapshot
            w2, _ = _clock()
            findings = session.findings
            w3, _ = _clock()
            new = village_score(snap, findings=findings)
            diff(sheet, new)
            w4, c4 = _clock()
            sheet = new
            out.wall.append(w4 - w)
            out.cpu.append(c4 - c)
            out.part("apply (write + snapshot update)", w1 - w)
            out.part("snapshot (a load, if apply dropped it)", w2 - w1)
            out.part("checks", w3 - w2)
            out.part("score", w4 - w3)
    finally:
        session.close()
    return out


def register_open(db: Path, runs: int) -> Runs:
    """Opening the population register (人口登记) on the snapshot in hand: ``LedgerTable.load`` — the rows from
    the core (``population_register``), the model's ``set_rows``, the view fitting its columns — and the view
    painted, in a fresh table each run (offscreen). The part "rows" is ``population_register`` alone, timed apart
    just before. Each run opens it as on a first day, without saved column widths (run.py's own Qt settings): the
    view fits its columns every time, as it would not once the table's state was saved by the run before."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from fpdesk.db import open_village_file
    from fpdesk.ledgers.registers import population_register
    from fpdesk.snapshot import load_snapshot
    from ui.app import make_app
    from ui.pages.registers import POPULATION
    from ui.pages.table_page import LedgerTable

    make_app([sys.argv[0]])
    conn = open_village_file(db)
    snap = load_snapshot(conn, as_of=AS_OF)
    conn.close()
    out = Runs()
    key = f"tables/{POPULATION.key}"
    saved = QSettings().value(key)  # put back after: XDG_CONFIG_HOME may be the user's own
    try:
        for i in range(runs + 1):  # the first one warms Qt's fonts and styles: not counted
            QSettings().remove(key)
            table = LedgerTable(POPULATION)
            table.resize(1280, 720)
            table.show()
            QApplication.processEvents()
            w = time.perf_counter()
            rows = population_register(snap)
            w1, c1 = _clock()
            table.load(snap, PERIOD)
            table.grab()  # paints the visible rows
            w2, c2 = _clock()
            table.close()
            table.deleteLater()
            QApplication.processEvents()
            assert table.model.rowCount() == len(rows)
            del rows, table
            gc.collect()  # the run's table is cyclic garbage: not left for the next run's collections to sweep
            if i:
                out.wall.append(w2 - w1)
                out.cpu.append(c2 - c1)
                out.part("rows", w1 - w)
                out.part("model, view and paint", w2 - w1 - (w1 - w))
    finally:
        if saved is None:
            QSettings().remove(key)
        else:
            QSettings().setValue(key, saved)
    return out


# What the clerk types into the search box, a keystroke at a time: pinyin initials narrowing, a name through the
# input method, digits of an ID number, and the box cleared between them.
TYPED = ("z", "zs", "zsa", "", "张", "张三", "", "1101", "")


def register_search(db: Path, runs: int) -> Runs:
    """A keystroke in the search box over the open population register: ``SearchFilterModel.set_query`` — every
    row decided, the proxy's rows and the count above the table brought up to date — for each step of ``TYPED``,
    ``runs`` times over; each keystroke that types something is a run, the clearing a part (the view's repaint is
    the register figure's). The first pass is not counted: its first keystroke also works out every row's search
    text, once a set of rows (part "first keystroke")."""
    from fpdesk.db import open_village_file
    from fpdesk.search import warm_up
    from fpdesk.snapshot import load_snapshot
    from ui.app import make_app
    from ui.pages.registers import POPULATION
    from ui.pages.table_page import LedgerTable

    make_app([sys.argv[0]])
    conn = open_village_file(db)
    snap = load_snapshot(conn, as_of=AS_OF)
    conn.close()
    warm_up()  # as the window does once it is shown
    table = LedgerTable(POPULATION)
    table.resize(1280, 720)
    table.load(snap, PERIOD)
    out = Runs()
    try:
        for i in range(runs + 1):
            for typed in TYPED:
                w, c = _clock()
                table.proxy.set_query(typed)
                w2, c2 = _clock()
                if i:
                    out.part(f"“{typed}”" if typed else "cleared", w2 - w)
                    if typed:
                        out.wall.append(w2 - w)
                        out.cpu.append(c2 - c)
                elif typed == TYPED[0]:
                    out.part("first keystroke", w2 - w)
    finally:
        table.deleteLater()
    return out


_SHOWN = re.compile(r"fpdesk: window shown")


def cold_start(db: Path, runs: int, work: Path, *, src: Path | None = None, profile: Path | None = None) -> Runs:
    """From starting the program (a new Python process: ``python -m ui.cli --db FILE``) to its main window
    shown and painted (offscreen, ``FPDESK_EXIT_AFTER_SHOW=1``). One run first, not counted: it makes the opening
    backup and brings the program's files into the OS cache, as on a laptop used every day.

    profile: also start it once under pyinstrument, its profile written there (not timed)."""
    import resource

    copy = work / "cold.sqlite"
    shutil.copyfile(db, copy)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FPDESK_EXIT_AFTER_SHOW="1",
               FPDESK_HOME=str(work / "home"), XDG_CONFIG_HOME=str(work / "config"))
    if src is not None:
        env["PYTHONPATH"] = str(src)
    program = ["-m", "ui.cli", "--db", str(copy)]
    if profile is not None:
        profile.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(profile), *program], env=env,
                       cwd=src, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300, check=True)
    out = Runs()
    for i in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        # from the version's own folder: ``-m ui.cli`` finds the current folder's ``ui`` before PYTHONPATH's
        proc = subprocess.Popen([sys.executable, *program], env=env, cwd=src,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        shown = None
        assert proc.stdout is not None
        for line in proc.stdout:
            if _SHOWN.search(line):
                shown = time.perf_counter() - started
        proc.wait(timeout=120)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if shown is None:
            raise RuntimeError(f"the program did not show its window (exit status {proc.returncode})")
        if i:
            out.wall.append(shown)
            # the child's CPU until it exited (the closing backup included): an upper bound
            out.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return out


def export(db: Path, runs: int, work: Path) -> Runs | None:
    """The month's export (PDF + XLSX + A3 poster, written atomically) from the snapshot and findings in hand, as
    the desktop program exports: ``export_month(snapshot, findings=…)``, a draft (not submitted)."""
    try:
        from fpdesk.export import export_month
    except ImportError:
        return None
    from fpdesk.checks import run_checks
    from fpdesk.db import open_village_file
    from fpdesk.snapshot import load_snapshot

    conn = open_village_file(db)
    snap = load_snapshot(conn, as_of=AS_OF)
    conn.close()
    findings = run_checks(snap)
    folder = work / "export"
    return timed(lambda: export_month(snap, period=PERIOD, out_dir=folder, findings=findings), runs,
                 setup=lambda: shutil.rmtree(folder, ignore_errors=True))


# ---- the township -------------------------------------------------------------------------------------------------

def township_import(township: Path, files: tuple[Path, ...], runs: int, work: Path) -> Runs | None:
    """Importing the villages' month files into a township file that has none yet (``import_files``)."""
    try:
        from fpdesk.township import import_files, open_township_file
    except ImportError:
        return None
    out = Runs()
    for i in range(runs):
        copy = work / f"township-{i}.sqlite"
        shutil.copyfile(township, copy)
        conn = open_township_file(copy)
        try:
            w, c = _clock()
            summary = import_files(conn, list(files), today=AS_OF)
            w2, c2 = _clock()
        finally:
            conn.close()
        if len(summary.imported) != len(files):
            raise RuntimeError(f"township import: {summary.text}")
        out.wall.append(w2 - w)
        out.cpu.append(c2 - c)
    shutil.copyfile(work / f"township-{runs - 1}.sqlite", work / "township-imported.sqlite")
    return out


def township_aggregate(imported: Path, runs: int) -> Runs | None:
    """The township's month from its imported villages: the monthly table summed and checked
    (``township_table``), every indicator per village and for the township (``township_indicators``), and the
    villages scored and ranked (``month_scores``)."""
    try:
        from fpdesk.township import month_scores, open_township_file, township_indicators, township_table
    except ImportError:
        return None
    conn = open_township_file(imported)
    out = Runs()
    try:
        for _ in range(runs):
            w, c = _clock()
            township_table(conn, PERIOD)
            w1, _ = _clock()
            township_indicators(conn, PERIOD)
            w2, _ = _clock()
            month_scores(conn, PERIOD)
            w3, c3 = _clock()
            out.wall.append(w3 - w)
            out.cpu.append(c3 - c)
            out.part("table", w1 - w)
            out.part("indicators", w2 - w1)
            out.part("scores", w3 - w2)
    finally:
        conn.close()
    return out


def villages_floor(villages: tuple[Path, ...], runs: int) -> Runs:
    """The floor of a township figure: the same board figures by SQL straight from every village's own file."""
    import floor as sql_floor
    from fpdesk.db import open_village_file

    def all_villages() -> None:
        for db in villages:
            conn = open_village_file(db)
            try:
                sql_floor.board_sql(conn, AS_OF)
            finally:
                conn.close()

    all_villages()
    return timed(all_villages, runs)

