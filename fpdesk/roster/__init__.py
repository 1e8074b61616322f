"""The village roster workbook (村花名册 .xlsx): how a village comes in from its spreadsheets and goes out again.

The format is fixed in shared/roster-workbook.md and in ``spec`` as data. The API:

    write_template(path)                                   the blank workbook, with drop-downs and 填写说明
    read_roster(path, *, progress, cancel) -> RosterData   or RosterError(problems): every problem at once
    import_roster(conn, path, *, progress, cancel, user, today) -> ImportReport
                                                           all or nothing, one audited operation, no change events
    export_roster(conn, path, *, progress)                 the whole village, in the same format
    write_problem_report(problems, path)                   the problems as an .xlsx for the clerk

progress(done, total, stage) is called every few hundred rows (total 0 when unknown); cancel() returning True
stops an import with ``ImportCancelled`` and nothing written. Both are plain callables, so the desktop program
can run an import off the GUI thread and forward them to a progress dialog.

What the format has no column for is not carried by export → import: the group head (中心户长), household
address, a person's occupation, note and only-child flag, ended marriages and past flows, the outside spouse's
details beyond name and ID number, a service's supplies and quantity, certificate numbers and certificates other
than the only-child parents' certificate. Import → export → import is exact for everything the format carries.
"""

from fpdesk.roster.importer import import_roster, require_empty_village_file
from fpdesk.roster.model import ImportCancelled, ImportReport, Problem, RosterData, RosterError, RosterRow
from fpdesk.roster.reader import read_roster
from fpdesk.roster.report import write_problem_report
from fpdesk.roster.template import write_template
from fpdesk.roster.writer import export_roster

__all__ = [
    "ImportCancelled", "ImportReport", "Problem", "RosterData", "RosterError", "RosterRow", "export_roster",
    "import_roster", "read_roster", "require_empty_village_file", "write_problem_report", "write_template",
]
