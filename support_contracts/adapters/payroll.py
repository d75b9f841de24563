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

import calendar
import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate

from support_contracts.adapters import firm, runs
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import aware
from support_contracts.engine.errors import EngineError
from support_contracts.engine.on_call import (
	Activation,
	OnCallWeek,
	PaidLine,
	PayLine,
	pay_corrections,
	pay_month,
)
from support_contracts.engine.rating import previous_month

PAID, STATEMENT_ONLY, ALREADY, NOTHING = "Paid", "Statement Only", "Already Paid", "Nothing to Pay"
ERROR = runs.ERROR
RUN, RESULT, STATEMENT = "On-Call Pay Run", "On-Call Pay Run Result", "On-Call Pay Statement"
CORRECTED_MONTHS = 12  # how far back a run looks for paid months whose weeks or activations changed
COMPONENTS = {  # made at install (with HRMS) unless they exist; a scheme may name others
	"On-call Stipend": "Earning",
	"On-call Band 1": "Earning",
	"On-call Band 2": "Earning",
	"On-call Band 3": "Earning",
	"On-call Correction": "Deduction",
}


class PayError(runs.RunError):
	"""An employee whose month cannot be paid, in words a coordinator can act on."""


def hrms_installed() -> bool:
	return "hrms" in frappe.get_installed_apps()


def label(year: int, month: int) -> str:
	return f"{year}-{month:02d}"


def pay_key(employee: str, year: int, month: int) -> str:
	return f"{employee}|{label(year, month)}"


def _bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
	return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------- which months, which employees
def paid_months(company: str, year: int, month: int) -> list[tuple[int, int]]:
	"""The months before ``year``-``month`` (within a year) that a run has paid for the company."""
	first = dt.date(year, month, 1)
	earliest = first
	for _i in range(CORRECTED_MONTHS):
		earliest = dt.date(*previous_month(earliest.year, earliest.month), 1)
	st = frappe.qb.DocType(STATEMENT)
	months = (
		frappe.qb.from_(st)
		.select(st.payroll_month)
		.distinct()
		.where(st.company == company)
		.where(st.docstatus == 1)
		.where(st.payroll_month >= earliest)
		.where(st.payroll_month < first)
		.run(pluck=True)
	)
	return sorted({(getdate(m).year, getdate(m).month) for m in months})


def employees_to_pay(company: str, year: int, month: int) -> list[dict]:
	"""Employees of the company with a jour week or activation in the month or in a paid month before, or
	paid for such a month (their weeks may since have been removed: that is a correction too)."""
	months = [*paid_months(company, year, month), (year, month)]
	first = _bounds(*months[0])[0] - dt.timedelta(days=7)
	last = _bounds(year, month)[1] + dt.timedelta(days=7)
	jw, ja, emp = (
		frappe.qb.DocType("Jour Week"),
		frappe.qb.DocType("Jour Activation"),
		frappe.qb.DocType("Employee"),
	)
	with_weeks = (
		frappe.qb.from_(jw)
		.select(jw.employee)
		.distinct()
		.where(jw.week_end >= first)
		.where(jw.week_start <= last)
	)
	with_activations = (
		frappe.qb.from_(ja)
		.select(ja.employee)
		.distinct()
		.where(ja.to_time >= first)
		.where(ja.from_time <= last + dt.timedelta(days=1))
	)
	st, ln = frappe.qb.DocType(STATEMENT), frappe.qb.DocType("On-Call Pay Statement Line")
	paid_before = (  # paid for a month now corrected, whatever is left of their weeks (all may be gone)
		frappe.qb.from_(ln)
		.join(st)
		.on(st.name == ln.parent)
		.select(st.employee)
		.distinct()
		.where(st.docstatus == 1)
		.where(st.company == company)
		.where(ln.work_month.isin([label(*m) for m in months]))
	)
	names = (
		set(with_weeks.run(pluck=True))
		| set(with_activations.run(pluck=True))
		| set(paid_before.run(pluck=True))
	)
	if not names:
		return []
	return (
		frappe.qb.from_(emp)
		.select(emp.name, emp.employee_name)
		.where(emp.name.isin(sorted(names)))
		.where(emp.company == company)
		.orderby(emp.name)
		.run(as_dict=True)
	)


def unit_key(unit: dict | None, result: dict | None = None) -> str:
	"""An employee the run pays (``unit``: ``name``), or the employee of a row of its ``result``."""
	return unit["name"] if unit is not None else result.get("employee")


# ---------------------------------------------------------------- what is due, what was paid
def _inputs(employee: str, months: list[tuple[int, int]]) -> dict:
	first = _bounds(*months[0])[0] - dt.timedelta(days=7)
	last = _bounds(*months[-1])[1] + dt.timedelta(days=7)
	weeks = frappe.get_all(
		"Jour Week",
		filters={"employee": employee, "week_end": (">=", first), "week_start": ("<=", last)},
		fields=["name", "scheme", "iso_year", "iso_week", "modified"],
	)
	acts = frappe.get_all(
		"Jour Activation",
		filters={
			"employee": employee,
			"to_time": (">=", first),
			"from_time": ("<=", last + dt.timedelta(days=1)),
		},
		fields=["name", "scheme", "from_time", "to_time", "issue", "modified"],
	)
	return {"weeks": weeks, "activations": acts}


def due_lines(employee: str, year: int, month: int, inputs: dict) -> tuple[list[PayLine], str]:
	"""What the employee's on-call work of the month comes to today, per scheme, each line's sources
	named by document (a week by its Jour Week), and the engine's summary ("1 × Jourvecka; Band 2: 4h")."""
	by_scheme: dict[str, dict[str, list]] = defaultdict(lambda: {"weeks": [], "activations": []})
	week_names = {}
	try:
		for w in inputs["weeks"]:
			scheme = firm.pay_scheme(w.scheme)
			week = OnCallWeek(employee, int(w.iso_year), int(w.iso_week), scheme.level)
			week_names[week.label] = w.name
			by_scheme[w.scheme]["weeks"].append(week)
		for a in inputs["activations"]:
			if not a.scheme:
				raise PayError(_("Jour Activation {0} has no pay scheme.").format(a.name))
			by_scheme[a.scheme]["activations"].append(
				Activation(a.name, employee, aware(a.from_time), aware(a.to_time), a.issue)
			)
		lines, summaries = [], []
		for scheme_name, got in by_scheme.items():
			slip = pay_month(firm.pay_scheme(scheme_name), got["weeks"], got["activations"], year, month).get(
				employee
			)
			if not slip:
				continue
			summaries.append(slip.summary)
			lines += [
				_replace_sources(line, tuple(week_names.get(s, s) for s in line.sources))
				for line in slip.lines
			]
		return lines, "; ".join(summaries)
	except EngineError as e:
		raise PayError(_("{0}, {1}: {2}").format(employee, label(year, month), str(e))) from None


def _replace_sources(line: PayLine, sources: tuple[str, ...]) -> PayLine:
	return dataclasses.replace(line, sources=sources)


def paid_lines(employee: str, months: list[tuple[int, int]]) -> tuple[list[PaidLine], dict[str, dt.datetime]]:
	"""What submitted statements paid for the months' work, and when each month was last paid."""
	st, ln = frappe.qb.DocType(STATEMENT), frappe.qb.DocType("On-Call Pay Statement Line")
	rows = (
		frappe.qb.from_(ln)
		.join(st)
		.on(st.name == ln.parent)
		.select(ln.work_month, ln.salary_component, ln.amount, ln.sources, st.creation)
		.where(st.employee == employee)
		.where(st.docstatus == 1)
		.where(ln.work_month.isin([label(*m) for m in months]))
		.run(as_dict=True)
	)
	paid_at: dict[str, dt.datetime] = {}
	lines = []
	for r in rows:
		lines.append(
			PaidLine(
				r.work_month,
				r.salary_component,
				Decimal(str(r.amount)),
				tuple(s for s in (r.sources or "").split(", ") if s),
			)
		)
		paid_at[r.work_month] = max(paid_at.get(r.work_month, r.creation), r.creation)
	return lines, paid_at


def statement_lines(
	employee: str, company: str, year: int, month: int
) -> tuple[list[tuple[str, PayLine]], str]:
	"""(work month, line) of the employee's statement for payroll month ``year``-``month`` — the month's own
	pay, then the corrections of paid months before — and the statement's summary."""
	months = [*paid_months(company, year, month), (year, month)]
	inputs = _inputs(employee, months)
	paid, paid_at = paid_lines(employee, months)
	out: list[tuple[str, PayLine]] = []
	summary = ""
	for y, m in reversed(months):  # the month's own pay first, then the corrections, newest first
		work = label(y, m)
		due, month_summary = due_lines(employee, y, m, inputs)
		already = [p for p in paid if p.month == work]
		if (y, m) == (year, month) and not already:
			out += [(work, line) for line in due]
			summary = month_summary
			continue
		since = paid_at.get(work)
		changed = [
			d.name
			for d in inputs["weeks"] + inputs["activations"]
			if since and get_datetime(d.modified) > get_datetime(since)
		]
		out += [
			(work, line)
			for line in pay_corrections(employee, work, due, already, changed, paid_in=label(year, month))
		]
	corrected = sorted({w for w, _line in out if w != label(year, month)})
	if corrected:
		summary = "; ".join(filter(None, [summary, _("corrections of {0}").format(", ".join(corrected))]))
	return out, summary


# ---------------------------------------------------------------- preview
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
					"outcome": (PAID if hrms_installed() else STATEMENT_ONLY) if lines else NOTHING,
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


# ---------------------------------------------------------------- paying one employee
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
			"payroll_date": getdate(payroll_date) if payroll_date else _bounds(year, month)[1],
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
		"outcome": PAID if hrms_installed() else STATEMENT_ONLY,
		"statement": doc.name,
		"amount": doc.total,
		"currency": currency,
		"message": ""
		if hrms_installed()
		else _("HRMS is not installed: no Additional Salary; export the statements as CSV."),
	}


def _currency(employee: str, lines) -> str:
	schemes = frappe.get_all(
		"Jour Week", filters={"employee": employee}, pluck="scheme", limit=1
	) or frappe.get_all("Jour Activation", filters={"employee": employee}, pluck="scheme", limit=1)
	return (firm.pay_scheme(schemes[0]).currency if schemes else None) or frappe.defaults.get_global_default(
		"currency"
	)


# ---------------------------------------------------------------- into HRMS
def to_payroll(statement, method=None) -> None:
	"""On submit of a statement: one Additional Salary per salary component (its net; a negative net as
	the deduction component), linked from the statement's lines. Nothing without HRMS."""
	if not hrms_installed():
		return
	_check_no_submitted_slip(statement)
	net: dict[str, Decimal] = defaultdict(Decimal)
	for line in statement.lines:
		net[line.salary_component] += Decimal(str(line.amount))
	deduction = setting("on_call_deduction_component")
	# one Additional Salary per salary component: a component's positive net as itself, every negative
	# net together as the deduction component
	target_of = {c: (c if amount > 0 else deduction) for c, amount in net.items() if amount}
	totals: dict[str, Decimal] = defaultdict(Decimal)
	for component, target in target_of.items():
		totals[target] += abs(net[component])
	made = {}
	for target, amount in totals.items():
		if not frappe.db.exists("Salary Component", target):
			raise PayError(
				_("Salary Component {0} does not exist: create it or name another in the {1}.").format(
					frappe.bold(target),
					_("pay scheme") if target != deduction else _("Support Contract Settings"),
				)
			)
		ads = frappe.get_doc(
			{
				"doctype": "Additional Salary",
				"employee": statement.employee,
				"company": statement.company,
				"salary_component": target,
				"amount": amount,
				"payroll_date": statement.payroll_date,
				"currency": statement.currency,
				"overwrite_salary_structure_amount": 0,
				"ref_doctype": STATEMENT,
				"ref_docname": statement.name,
			}
		)
		ads.docstatus = 1 if setting("submit_additional_salary") else 0  # submitted as it is inserted
		ads.insert(ignore_permissions=True)
		made[target] = ads.name
	line = frappe.qb.DocType("On-Call Pay Statement Line")
	for component, target in target_of.items():
		frappe.qb.update(line).set(line.additional_salary, made[target]).where(
			line.parent == statement.name
		).where(line.salary_component == component).run()


def _check_no_submitted_slip(statement) -> None:
	slip = frappe.db.get_value(
		"Salary Slip",
		{
			"employee": statement.employee,
			"docstatus": 1,
			"start_date": ("<=", statement.payroll_date),
			"end_date": (">=", statement.payroll_date),
		},
	)
	if slip:
		raise PayError(
			_(
				"Salary Slip {0} covering {1} is submitted already: it is never changed. Start the run again with a Payroll Date in a later salary period."
			).format(slip, statement.payroll_date)
		)


def refuse_cancel_alone(doc, method=None) -> None:
	"""``Additional Salary.before_cancel``: one a submitted statement pays is cancelled with its statement,
	which frees the month; cancelled alone, the statement would still count the money as paid."""
	if doc.get("ref_doctype") != STATEMENT or doc.flags.get("sc_with_statement"):
		return
	if frappe.db.get_value(STATEMENT, doc.ref_docname, "docstatus") == 1:
		frappe.throw(
			_(
				"{0} pays On-Call Pay Statement {1}: cancel the statement, and its salaries go with it."
			).format(doc.name, doc.ref_docname),
			title=_("Cancel the Statement"),
		)


def release(statement, method=None) -> None:
	"""On cancel of a statement: its Additional Salaries are cancelled (drafts deleted) and its key freed,
	so the month can be paid again."""
	frappe.db.set_value(STATEMENT, statement.name, "pay_key", None, update_modified=False)
	if not hrms_installed():
		return
	for name in frappe.get_all(
		"Additional Salary", filters={"ref_doctype": STATEMENT, "ref_docname": statement.name}, pluck="name"
	):
		ads = frappe.get_doc("Additional Salary", name)
		ads.flags.ignore_permissions = True  # the statement's cancel permission carries its salaries
		ads.flags.sc_with_statement = True
		if ads.docstatus == 1:
			ads.cancel()
		elif ads.docstatus == 0:
			frappe.delete_doc("Additional Salary", name, ignore_permissions=True)


# ---------------------------------------------------------------- a run's chunk
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


def make_salary_components() -> None:
	"""The salary components of the example pay schemes, unless they exist (with HRMS only)."""
	if not hrms_installed():
		return
	for name, kind in COMPONENTS.items():
		if frappe.db.exists("Salary Component", name):
			continue
		frappe.get_doc(
			{
				"doctype": "Salary Component",
				"salary_component": name,
				"type": kind,
				"depends_on_payment_days": 0,  # on-call pay is for the hours on call, not the days worked
				"description": _("On-call pay (support_contracts): {0}").format(name),
			}
		).insert(ignore_permissions=True)


# ---------------------------------------------------------------- activations from the ticket
def activations_from_timesheet(doc, method=None) -> None:
	"""``Timesheet.on_submit``: a row on an on-call Issue, logged by an employee in one of their jour weeks,
	is that employee's Jour Activation too — the engineer logs the time once. The activation is priced as
	any other and names its Timesheet; an overlap with an activation entered by hand is refused here."""
	if not doc.employee:
		return
	for row in doc.time_logs:
		if not (row.get("sc_issue") and row.from_time and row.to_time):
			continue
		if not frappe.db.get_value("Issue", row.sc_issue, "sc_on_call"):
			continue
		day = getdate(row.from_time)
		week = frappe.db.get_value(
			"Jour Week", {"employee": doc.employee, "week_start": ("<=", day), "week_end": (">=", day)}
		)
		if not week or frappe.db.exists("Jour Activation", {"timesheet_detail": row.name}):
			continue
		frappe.get_doc(
			{
				"doctype": "Jour Activation",
				"employee": doc.employee,
				"issue": row.sc_issue,
				"from_time": row.from_time,
				"to_time": row.to_time,
				"timesheet": doc.name,
				"timesheet_detail": row.name,
			}
		).insert(ignore_permissions=True)


def remove_timesheet_activations(doc, method=None) -> None:
	"""``Timesheet.on_cancel``: its activations go too (a month already paid is corrected next run)."""
	for name in frappe.get_all("Jour Activation", filters={"timesheet": doc.name}, pluck="name"):
		frappe.delete_doc("Jour Activation", name, ignore_permissions=True)
