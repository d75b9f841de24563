"""The numbers and charts each role's workspace opens with (docs/guide/): Frappe's own Number Card and
Dashboard Chart records (``support_contracts/support_contracts/number_card``, ``dashboard_chart``) whose
figures are not a plain count of one doctype are read here — the state of this month's runs, work and fees
not yet billed, hour banks running low, pay not yet in payroll, compliance this month and last, and
billed and on-call pay per month. Each function checks who asks (an agent sees no money) and answers in the
shape Frappe's widgets read: a Custom number card's ``{"value", "fieldtype", "route", "route_options"}`` or
a line of text, a Custom chart's ``{"labels", "datasets"}``.

Money is summed in the database's exact decimals and in one currency per figure: never two currencies
added together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from urllib.parse import quote

import frappe
from frappe import _
from frappe.desk.utils import slug
from frappe.utils import escape_html

from support_contracts.adapters import on_call
from support_contracts.adapters.access import SEES_PAY_TOTALS, has_any_role
from support_contracts.adapters.outcomes import groups, summed
from support_contracts.adapters.times import today

MONTHS_CHARTED = 12  # the months a per-month chart shows, this one included
FINISHED_ISSUE_STATUSES = ("Resolved", "Closed")  # an Issue in neither is open


def months_back(day: dt.date, count: int) -> list[tuple[int, int]]:
	"""The ``count`` months up to and including ``day``'s, oldest first, as (year, month)."""
	index = day.year * 12 + day.month - 1
	return [divmod(i, 12) for i in range(index - count + 1, index + 1)]


def _ym(pair: tuple[int, int]) -> str:
	year, zero_based = pair
	return f"{year:04d}-{zero_based + 1:02d}"


def _require_read(doctype: str) -> None:
	if not frappe.has_permission(doctype, "read"):
		frappe.throw(_("Not permitted to read {0}").format(_(doctype)), frappe.PermissionError)


def _link(doctype: str, name: str, text: str) -> str:
	"""A card's text that opens the document: a link within the Desk (its router follows it)."""
	href = f"/app/{quote(slug(doctype))}/{quote(name)}"
	return f'<a href="{escape_html(href)}">{escape_html(text)}</a>'


# ---------------------------------------------------------------- the agent
def on_call_now() -> str:
	"""Who is on call now, Primary first, per rota: the engineers' names (no pay). Support staff,
	coordinators and HR (``adapters/on_call.who_is_on_call``)."""
	weeks = on_call.who_is_on_call()
	if not weeks:
		return escape_html(_("Nobody"))
	names = []
	for w in weeks:
		duty = w.get("role")  # Primary or Secondary, translated as the Jour Week's own options
		role = _(duty) if duty else ""
		names.append(f"{w['employee_name'] or w['employee']}" + (f" ({role})" if role else ""))
	return escape_html(", ".join(dict.fromkeys(names)))


# ---------------------------------------------------------------- the billing clerk
def _run_state(doctype: str, month_field: str) -> str:
	"""This month's run of ``doctype`` and its state, opening it; "Not started" when there is none."""
	_require_read(doctype)
	first = today().replace(day=1)
	runs = frappe.get_all(
		doctype,
		filters={month_field: first},
		fields=["name", "status"],
		order_by="creation desc",
	)
	if not runs:
		return escape_html(_("Not started"))
	run = runs[0]
	return _link(doctype, run.name, _(run.status))


def billing_run_this_month() -> str:
	"""This month's Support Billing Run (Billing Month this month) and its state."""
	return _run_state("Support Billing Run", "billing_month")


def unbilled_incident_fees() -> dict:
	"""How many incident fees no invoice holds yet, opening their list."""
	_require_read("Support Billing Run")
	count = frappe.db.count("Incident Fee", {"status": "Unbilled"})
	return {
		"value": count,
		"fieldtype": "Int",
		"route": ["List", "Incident Fee"],
		"route_options": {"status": "Unbilled"},
	}


def unbilled_work() -> dict:
	"""The hours of submitted Timesheet rows on Issues that no invoice holds yet (the work the next run
	bills), opening the Timesheets."""
	from support_contracts.adapters.billing.inputs import unbilled_minutes

	_require_read("Support Billing Run")
	minutes = unbilled_minutes()
	return {
		"value": float((Decimal(minutes) / 60).quantize(Decimal("0.01"))),
		"fieldtype": "Float",
		"route": ["List", "Timesheet"],
		"route_options": {"docstatus": 1, "status": "Submitted"},
	}


def low_hour_banks() -> dict:
	"""How many active contracts' current bank period the form shows orange or red
	(``contracts_running_low``), opening the Hour Bank Usage report."""
	_require_read("Support Billing Run")
	return {
		"value": len(contracts_running_low()),
		"fieldtype": "Int",
		"route": ["query-report", "Hour Bank Usage"],
	}


def contracts_running_low() -> list[str]:
	"""The active contracts whose hour bank is running low: the ledger past the tier's lowest warning
	percentage (75 % where it names none) or with nothing left (``adapters/contracts.hour_bank_line``), or
	a warning told this period, logged work counted (docs/rules.md F2). Read from the ledger and the
	warnings, never by rating each contract's logged work."""
	from support_contracts.adapters.contracts import ORANGE, RED, hour_bank_line

	day = today()
	contracts = frappe.get_all(
		"Support Contract",
		filters={"status": "Active"},
		fields=["name", "tier", "start_date", "end_date"],
		order_by="name",
	)
	low = []
	for contract in contracts:
		line = hour_bank_line(contract, day, logged=False)  # the ledger; logged work by its warnings
		if line and (
			line["color"] in (ORANGE, RED)
			or frappe.db.exists(
				"Hour Bank Warning", {"support_contract": contract.name, "period": line["period"]}
			)
		):
			low.append(contract.name)
	return low


# ---------------------------------------------------------------- HR and the on-call coordinator
def pay_run_this_month() -> str:
	"""This month's On-Call Pay Run (Payroll Month this month) and its state."""
	return _run_state("On-Call Pay Run", "payroll_month")


def statements_not_in_payroll() -> dict | str:
	"""How many submitted pay statements no submitted Salary Slip holds yet (HRMS); without HRMS there is
	no payroll to be in, and the card says so."""
	from support_contracts.adapters.payroll import hrms

	_require_read("On-Call Pay Run")
	if not hrms.hrms_installed():
		return escape_html(_("No payroll (HRMS is not installed)"))
	return {
		"value": len(hrms.statements_not_in_payroll()),
		"fieldtype": "Int",
		"route": ["List", "On-Call Pay Statement"],
		"route_options": {"docstatus": 1},
	}


# ---------------------------------------------------------------- the support manager
def compliance_of_month(months_ago: int) -> dict | str:
	"""SLA compliance of the targets of Issues opened this month (``months_ago`` 0) or a month before
	(1): met of met and breached, the SLA Compliance report's own figure; "—" while none is decided."""
	_require_read("SLA Outcome")
	year, zero_based = months_back(today(), months_ago + 1)[0]
	month = _ym((year, zero_based))
	summed_up = [summed(g) for g in groups({"from_month": month, "to_month": month}, by=("month",))]
	percent = summed_up[0].percent if summed_up else None
	if percent is None:
		return "—"
	return {
		"value": percent,
		"fieldtype": "Percent",
		"route": ["query-report", "SLA Compliance"],
		"route_options": {"from_month": month, "to_month": month},
	}


# ---------------------------------------------------------------- charts
BREACH_GROUPS = {"support_tier": "Support Tier", "priority": "Priority"}


def sla_breaches(group_by: str) -> dict:
	"""Breached targets per tier or per priority, last month beside this month (the month an Issue was
	opened), counted as the SLA Compliance report counts them; every tier or priority with a target in
	either month is shown, a breach-free one at 0."""
	_require_read("SLA Outcome")
	if group_by not in BREACH_GROUPS:
		frappe.throw(
			_("{0} must be one of {1}.").format(
				_("Group By"), ", ".join(_(v) for v in BREACH_GROUPS.values())
			),
			frappe.ValidationError,
		)
	last, this = (_ym(m) for m in months_back(today(), 2))
	breached: dict = defaultdict(lambda: defaultdict(int))
	for g in groups({"from_month": last, "to_month": this}, by=("month", group_by)):
		breached[getattr(g, group_by) or _("None")][g.month] += int(g.breached)
	labels = sorted(breached)
	return {
		"labels": labels,
		"datasets": [
			{"name": month, "values": [breached[k][month] for k in labels]} for month in (last, this)
		],
	}


def _per_month_chart(rows, months: list[str], series_name) -> dict:
	"""``rows`` of (month "YYYY-MM", series key, amount) as a chart over ``months``: one dataset per series,
	amounts summed exactly and shown to the cent."""
	sums: dict = defaultdict(lambda: defaultdict(Decimal))
	for month, key, amount in rows:
		sums[key][month] += Decimal(str(amount or 0))
	return {
		"labels": months,
		"datasets": [
			{
				"name": series_name(key),
				"values": [float(sums[key][m].quantize(Decimal("0.01"))) for m in months],
			}
			for key in sorted(sums)
		],
	}


def billed_per_month() -> dict:
	"""The run's invoices per billing month over the last twelve months, net in the company's currency:
	submitted and still draft apart (a draft awaits the clerk), one series per currency."""
	if not has_any_role(("Support Manager", "Accounts User", "Accounts Manager")):
		frappe.throw(_("Only support managers and accounts see what was billed."), frappe.PermissionError)
	months = [_ym(m) for m in months_back(today(), MONTHS_CHARTED)]
	si, company = frappe.qb.DocType("Sales Invoice"), frappe.qb.DocType("Company")
	rows = (
		frappe.qb.from_(si)
		.join(company)
		.on(company.name == si.company)
		.select(si.sc_billing_period, si.docstatus, company.default_currency, si.base_net_total)
		.where(si.docstatus < 2)
		.where(si.sc_billing_period.isin(months))
		.run()
	)
	label = {0: _("Draft"), 1: _("Submitted")}
	return _per_month_chart(
		[(period, (currency, status), amount) for period, status, currency, amount in rows],
		months,
		lambda key: f"{label[key[1]]} ({key[0]})",
	)


def on_call_pay_per_month() -> dict:
	"""On-call pay per payroll month over the last twelve months: the submitted statements' totals, one
	series per currency. HR, on-call coordinators and support managers: sums over everyone, which an
	employee (who reads only their own statements) is not shown."""
	if not has_any_role(SEES_PAY_TOTALS):
		frappe.throw(
			_("Only HR, on-call coordinators and support managers see on-call pay."), frappe.PermissionError
		)
	pairs = months_back(today(), MONTHS_CHARTED)
	months = [_ym(m) for m in pairs]
	first = dt.date(pairs[0][0], pairs[0][1] + 1, 1)
	st = frappe.qb.DocType("On-Call Pay Statement")
	rows = (
		frappe.qb.from_(st)
		.select(st.payroll_month, st.currency, st.total)
		.where(st.docstatus == 1)
		.where(st.payroll_month >= first)
		.run()
	)
	return _per_month_chart(
		[(f"{m:%Y-%m}", currency, total) for m, currency, total in rows],
		months,
		lambda currency: _("On-call pay ({0})").format(currency),
	)
