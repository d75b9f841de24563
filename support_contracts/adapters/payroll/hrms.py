"""HRMS behind one seam (the model: HRMS's own ``salary_slip_loan_utils.if_lending_app_installed``): whether
it is installed, and everything the app does in it — the on-call salary components, one Additional Salary
per component of a submitted pay statement, their cancel with the statement, and the refusal of a month
whose Salary Slip is submitted already. Without HRMS each of these does nothing, and the pay run makes its
statements all the same (outcome "Statement Only")."""

from __future__ import annotations

import functools
from collections import defaultdict
from decimal import Decimal

import frappe
from frappe import _

from support_contracts.adapters import runs
from support_contracts.adapters.settings import setting

STATEMENT = "On-Call Pay Statement"


class SalaryError(runs.RunError):
	"""A statement that cannot reach HRMS, in words HR can act on."""


COMPONENTS = {  # made at install (with HRMS) unless they exist; a scheme may name others
	"On-call Stipend": "Earning",
	"On-call Band 1": "Earning",
	"On-call Band 2": "Earning",
	"On-call Band 3": "Earning",
	"On-call Correction": "Deduction",
}


def hrms_installed() -> bool:
	"""Whether HRMS is installed on the site: the one place the app asks."""
	return "hrms" in frappe.get_installed_apps()


def if_hrms_installed(fn):
	"""Run ``fn`` only where HRMS is installed; elsewhere it does nothing and returns None."""

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		if hrms_installed():
			return fn(*args, **kwargs)

	return wrapper


@if_hrms_installed
def make_salary_components() -> None:
	"""The salary components of the example pay schemes, unless they exist (with HRMS only)."""
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


@if_hrms_installed
def to_payroll(statement, method=None) -> None:
	"""On submit of a statement: one Additional Salary per salary component (its net; a negative net as
	the deduction component), linked from the statement's lines. Nothing without HRMS."""
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
			raise SalaryError(
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
		raise SalaryError(
			_(
				"Salary Slip {0} covering {1} is submitted already: it is never changed. Start the run again with a Payroll Date in a later salary period."
			).format(slip, statement.payroll_date)
		)


@if_hrms_installed
def statements_not_in_payroll() -> list[str]:
	"""The submitted statements with an Additional Salary that no submitted Salary Slip holds yet: pay
	the next payroll still has to take in (HR's workspace)."""
	return frappe.db.sql_list(
		"""
		select distinct line.parent
		from `tabOn-Call Pay Statement Line` line
		join `tabOn-Call Pay Statement` statement on statement.name = line.parent
		where statement.docstatus = 1
			and ifnull(line.additional_salary, '') != ''
			and not exists (
				select 1 from `tabSalary Detail` detail
				join `tabSalary Slip` slip on slip.name = detail.parent
				where detail.additional_salary = line.additional_salary and slip.docstatus = 1
			)
		order by line.parent
		"""
	)


def cancel_salaries(statement) -> None:
	"""A cancelled statement's Additional Salaries are cancelled with it (drafts deleted)."""
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


@if_hrms_installed
def check_salary_components(wanted: list[tuple[str, str]]) -> None:
	"""Each ``(where, component)`` a pay scheme pays as names an existing Salary Component (with HRMS)."""
	for where, component in wanted:
		if component and not frappe.db.exists("Salary Component", component):
			frappe.throw(
				_(
					"{0}: there is no Salary Component {1}. Create it (Salary Component list) or name an existing one."
				).format(frappe.bold(where), frappe.bold(component)),
				frappe.ValidationError,
				title=_("Unknown Salary Component"),
			)


def check_deduction_component(component: str | None, label: str) -> None:
	"""The component negative corrections are paid as must be a Deduction (with HRMS)."""
	if component and hrms_installed():
		if frappe.db.get_value("Salary Component", component, "type") != "Deduction":
			frappe.throw(
				_("{0}: {1} is not a Deduction Salary Component.").format(frappe.bold(label), component)
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
