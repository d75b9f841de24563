"""The monthly on-call pay run: Jour Weeks and Jour Activations in; per employee and payroll month one
**On-Call Pay Statement** and, with HRMS, one **Additional Salary** per salary component out, exactly
once (docs/rules.md C5–C7, docs/architecture.md).

What a statement of payroll month P pays is the engine's:

- P's own pay (``on_call.pay_month``): the stipends of the weeks paid in P, the band hours worked in P;
- for each earlier month that a run has paid (within a year), the difference between what that month
  comes to now and what was paid for it, per salary component (``on_call.pay_corrections``): a late
  activation, a changed or removed jour week. The difference may be negative. An earlier statement, its
  Additional Salary and a submitted Salary Slip are never changed.

Exactly once, as for invoices (``adapters/runs.py``): the employee's row is locked, the statement carries
the key ``<employee>|<YYYY-MM>`` in a unique column, and the statement and its Additional Salaries are
one transaction. Cancelling a statement cancels its Additional Salaries and frees the key (a Salary Slip
that includes one is submitted: then ERPNext refuses the cancel, and the slip stays as it is).

Without HRMS the statements are made all the same (outcome "Statement Only") and export as CSV.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, getdate

from support_contracts.adapters import firm, runs
from support_contracts.adapters.payroll import hrms
from support_contracts.adapters.payroll.hrms import STATEMENT, cancel_salaries
from support_contracts.adapters.payroll.inputs import (  # what the run reads, and what it comes to
	PayError,
	employees_to_pay,
	label,
	month_bounds,
	pay_key,
	statement_lines,
)
from support_contracts.engine.on_call import PayLine

RUN, RESULT = "On-Call Pay Run", "On-Call Pay Run Result"


PAID, STATEMENT_ONLY, ALREADY, NOTHING = "Paid", "Statement Only", "Already Paid", "Nothing to Pay"


ERROR = runs.ERROR


def unit_key(unit: dict | None, result: dict | None = None) -> str:
	"""An employee the run pays (``unit``: ``name``), or the employee of a row of its ``result``."""
	return unit["name"] if unit is not None else result.get("employee")


def preview(company: str, year: int, month: int, employees: list[dict]) -> list[dict]:
	"""What a run would pay, per employee, with every line's why; nothing is written."""
	out = []
	for e in employees:
		done = frappe.db.get_value(STATEMENT, {"pay_key": pay_key(e["name"], year, month)}, "name")
		if done:
			out.append(
				{
					"employee": e["name"],
					"employee_name": e.get("employee_name"),
					"outcome": ALREADY,
					"statement": done,
				}
			)
			continue
		try:
			lines, summary = statement_lines(e["name"], company, year, month)
			out.append(
				{
					"employee": e["name"],
					"employee_name": e.get("employee_name"),
					"outcome": (PAID if hrms.hrms_installed() else STATEMENT_ONLY) if lines else NOTHING,
					"summary": summary,
					"total": flt(sum((line.amount for _w, line in lines), Decimal(0))),
					"lines": [_line_row(work, line) for work, line in lines],
				}
			)
		except runs.RunError as err:
			out.append(
				{
					"employee": e["name"],
					"employee_name": e.get("employee_name"),
					"outcome": ERROR,
					"error": str(err),
				}
			)
	return out


def _line_row(work_month: str, line: PayLine) -> dict:
	return {
		"work_month": work_month,
		"description": line.description,
		"salary_component": line.component,
		"quantity": flt(line.quantity),
		"unit": line.unit,
		"rate": flt(line.rate),
		"amount": flt(line.amount),
		"why": line.why,
		"sources": ", ".join(line.sources),
	}


def pay_employee(
	employee: str, year: int, month: int, *, company: str, payroll_date=None, run: str | None = None
) -> dict:
	"""The employee's statement (and Additional Salaries) for one payroll month, in the caller's
	transaction; returns the outcome."""
	frappe.db.get_value("Employee", employee, "name", for_update=True)
	key = pay_key(employee, year, month)
	done = frappe.db.get_value(STATEMENT, {"pay_key": key}, "name", for_update=True)
	if done:
		return {"outcome": ALREADY, "statement": done}
	lines, summary = statement_lines(employee, company, year, month)
	if not lines:
		return {"outcome": NOTHING}
	currency = _currency(employee, lines)
	doc = frappe.get_doc(
		{
			"doctype": STATEMENT,
			"employee": employee,
			"company": company,
			"payroll_month": dt.date(year, month, 1),
			"payroll_period": label(year, month),
			"payroll_date": getdate(payroll_date) if payroll_date else month_bounds(year, month)[1],
			"pay_run": run,
			"pay_key": key,
			"currency": currency,
			"summary": summary,
			"lines": [{**_line_row(work, line), "currency": currency} for work, line in lines],
		}
	)
	doc.total = sum(flt(line.amount) for line in doc.lines)
	doc.docstatus = 1  # submitted as it is inserted: its on_submit makes the Additional Salaries (with HRMS)
	try:
		doc.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		raise PayError(_("{0} was paid by another run at the same moment.").format(key)) from None
	return {
		"outcome": PAID if hrms.hrms_installed() else STATEMENT_ONLY,
		"statement": doc.name,
		"amount": doc.total,
		"currency": currency,
		"message": ""
		if hrms.hrms_installed()
		else _("HRMS is not installed: no Additional Salary; export the statements as CSV."),
	}


def _currency(employee: str, lines) -> str:
	schemes = frappe.get_all(
		"Jour Week", filters={"employee": employee}, pluck="scheme", limit=1
	) or frappe.get_all("Jour Activation", filters={"employee": employee}, pluck="scheme", limit=1)
	return (firm.pay_scheme(schemes[0]).currency if schemes else None) or frappe.defaults.get_global_default(
		"currency"
	)


def release(statement, method=None) -> None:
	"""On cancel of a statement: its key is freed, so the month can be paid again, and its Additional
	Salaries go with it (with HRMS)."""
	frappe.db.set_value(STATEMENT, statement.name, "pay_key", None, update_modified=False)
	cancel_salaries(statement)


def run_chunk(run: str, employees: list[str] = ()) -> None:
	"""Pay ``employees`` of an On-Call Pay Run, each in its own transaction (``adapters/runs.py``)."""
	r = frappe.db.get_value(RUN, run, ["company", "payroll_month", "payroll_date"], as_dict=True)
	d = getdate(r.payroll_month)
	units = [
		{"employee": e, "employee_name": frappe.db.get_value("Employee", e, "employee_name")}
		for e in employees
	]

	def pay(unit):
		return pay_employee(
			unit["employee"], d.year, d.month, company=r.company, payroll_date=r.payroll_date, run=run
		)

	total = len(employees_to_pay(r.company, d.year, d.month))
	runs.run_units(
		units,
		pay,
		lambda unit, outcome: runs.store_result(RUN, RESULT, run, unit, outcome),
		lambda: runs.update_progress(RUN, RESULT, run, total),
	)


def statements_csv_rows(run: str) -> list[list]:
	"""Every line of the run's statements, for an external payroll."""
	rows = [
		[
			_("Employee"),
			_("Employee Name"),
			_("Payroll Month"),
			_("Work Month"),
			_("Salary Component"),
			_("Description"),
			_("Quantity"),
			_("Unit"),
			_("Rate"),
			_("Amount"),
			_("Currency"),
			_("Why"),
			_("Pay Statement"),
		]
	]
	for st in frappe.get_all(
		STATEMENT,
		filters={"pay_run": run, "docstatus": 1},
		fields=["name", "employee", "employee_name", "payroll_period", "currency"],
		order_by="employee",
	):
		for line in frappe.get_all(
			"On-Call Pay Statement Line",
			filters={"parent": st.name},
			fields=[
				"work_month",
				"salary_component",
				"description",
				"quantity",
				"unit",
				"rate",
				"amount",
				"why",
			],
			order_by="idx",
		):
			rows.append(
				[
					st.employee,
					st.employee_name,
					st.payroll_period,
					line.work_month,
					line.salary_component,
					line.description,
					line.quantity,
					line.unit,
					line.rate,
					line.amount,
					st.currency,
					line.why,
					st.name,
				]
			)
	return rows
