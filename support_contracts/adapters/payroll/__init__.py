"""The monthly on-call pay run (docs/rules.md C5–C7): ``inputs`` (what it reads and what that comes to),
``run`` (a statement per employee and month, exactly once), ``hrms`` (HRMS behind one seam: salary
components, Additional Salaries) and ``activations`` (a Timesheet row in a jour week is its engineer's
activation). The names others use are handed on here."""

from support_contracts.adapters.payroll.hrms import STATEMENT, hrms_installed, make_salary_components
from support_contracts.adapters.payroll.inputs import due_lines, employees_to_pay, statement_lines
from support_contracts.adapters.payroll.run import (
	ALREADY,
	ERROR,
	NOTHING,
	PAID,
	STATEMENT_ONLY,
	pay_employee,
	preview,
	run_chunk,
	statements_csv_rows,
	unit_key,
)

__all__ = [
	"ALREADY",
	"ERROR",
	"NOTHING",
	"PAID",
	"STATEMENT",
	"STATEMENT_ONLY",
	"due_lines",
	"employees_to_pay",
	"hrms_installed",
	"make_salary_components",
	"pay_employee",
	"preview",
	"run_chunk",
	"statement_lines",
	"statements_csv_rows",
	"unit_key",
]
