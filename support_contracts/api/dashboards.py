"""The workspaces' numbers and charts (docs/guide/): the methods Frappe's Number Card and Dashboard Chart
records of type Custom name. Each answers only whom its figure is for (``adapters/dashboards.py``); the
widgets pass their filters and chart options, which these figures do not take."""

from __future__ import annotations

import frappe

from support_contracts.adapters import dashboards


# ---------------------------------------------------------------- number cards (Custom)
@frappe.whitelist(methods=["GET", "POST"])
def on_call_now(filters=None) -> str:
	"""Who is on call now, Primary first (support staff, coordinators, HR)."""
	return dashboards.on_call_now()


@frappe.whitelist(methods=["GET", "POST"])
def billing_run_this_month(filters=None) -> str:
	"""This month's Support Billing Run and its state (read on Support Billing Run)."""
	return dashboards.billing_run_this_month()


@frappe.whitelist(methods=["GET", "POST"])
def unbilled_incident_fees(filters=None) -> dict:
	"""How many incident fees no invoice holds yet (read on Support Billing Run)."""
	return dashboards.unbilled_incident_fees()


@frappe.whitelist(methods=["GET", "POST"])
def unbilled_work(filters=None) -> dict:
	"""The hours of submitted Timesheet rows on Issues no invoice holds yet (read on Support Billing Run)."""
	return dashboards.unbilled_work()


@frappe.whitelist(methods=["GET", "POST"])
def low_hour_banks(filters=None) -> dict:
	"""How many active contracts' hour banks are running low (read on Support Billing Run)."""
	return dashboards.low_hour_banks()


@frappe.whitelist(methods=["GET", "POST"])
def pay_run_this_month(filters=None) -> str:
	"""This month's On-Call Pay Run and its state (read on On-Call Pay Run)."""
	return dashboards.pay_run_this_month()


@frappe.whitelist(methods=["GET", "POST"])
def statements_not_in_payroll(filters=None) -> dict | str:
	"""How many submitted pay statements no submitted Salary Slip holds yet (read on On-Call Pay Run)."""
	return dashboards.statements_not_in_payroll()


@frappe.whitelist(methods=["GET", "POST"])
def compliance_this_month(filters=None) -> dict | str:
	"""SLA compliance of the Issues opened this month (read on SLA Outcome)."""
	return dashboards.compliance_of_month(0)


@frappe.whitelist(methods=["GET", "POST"])
def compliance_last_month(filters=None) -> dict | str:
	"""SLA compliance of the Issues opened last month (read on SLA Outcome)."""
	return dashboards.compliance_of_month(1)


# ---------------------------------------------------------------- dashboard charts (Custom sources)
@frappe.whitelist(methods=["GET", "POST"])
def sla_breaches(chart_name=None, filters=None, **options) -> dict:
	"""Breached targets per tier or priority (``filters``: ``{"group_by": "support_tier" | "priority"}``),
	last month beside this month (read on SLA Outcome)."""
	filters = frappe.parse_json(filters) or {}
	return dashboards.sla_breaches(filters.get("group_by") or "support_tier")


@frappe.whitelist(methods=["GET", "POST"])
def billed_per_month(chart_name=None, filters=None, **options) -> dict:
	"""The run's invoices per billing month, net, submitted and draft (Support Manager, accounts)."""
	return dashboards.billed_per_month()


@frappe.whitelist(methods=["GET", "POST"])
def on_call_pay_per_month(chart_name=None, filters=None, **options) -> dict:
	"""On-call pay per payroll month, all employees (HR, on-call coordinators, Support Manager)."""
	return dashboards.on_call_pay_per_month()
