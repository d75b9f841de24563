# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Production Bugs: the tickets (Issues; HD Tickets where Frappe Helpdesk is installed) labelled Production (every on-call case is, docs/rules.md C4) opened in a
period, with whether they came in on call (Jour) — the filter the on-call routine asks for.

The chart: production bugs per month opened, every month of the period, stacked: on call (Jour, orange)
and not (blue), as the table's Jour column marks them. Its reader asks how many production bugs a month
brings and how many of them cost a call-in; a month with none shows as an empty month, not a gap."""

import frappe
from frappe import _
from frappe.utils import getdate

from support_contracts.adapters.helpdesk import (
	CUSTOMER_FIELD,
	HD_CUSTOMER,
	HD_TICKET,
	erpnext_customer,
	ticket_doctypes,
)
from support_contracts.support_contracts.report import charts
from support_contracts.support_contracts.report.filters import require


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require(filters, from_date=_("From Date"), to_date=_("To Date"))
	data = []
	for doctype in ticket_doctypes():  # Issues, and HD Tickets where Frappe Helpdesk is installed
		data += tickets(doctype, filters)
	data.sort(key=lambda d: (d.opening_date, str(d.opening_time or ""), d.ticket_type))
	for d in data:
		d.month = f"{d.opening_date:%Y-%m}"
	return columns(), data, None, chart(filters, data)


def tickets(doctype: str, filters) -> list[dict]:
	"""The production-marked tickets of one doctype opened in the period (the user's own permissions), each
	with its ERPNext Customer and the contract priority it is filed under."""
	conditions = {"sc_production": 1, "opening_date": ("between", [filters.from_date, filters.to_date])}
	hd = doctype == HD_TICKET
	if filters.get("customer"):
		conditions["customer"] = (
			("in", frappe.get_all(HD_CUSTOMER, {CUSTOMER_FIELD: filters.customer}, pluck="name") or [""])
			if hd
			else filters.customer
		)
	rows = frappe.get_list(
		doctype,
		filters=conditions,
		fields=[
			"name",
			"subject",
			"customer",
			"sc_priority as priority" if hd else "priority",
			"status",
			"opening_date",
			"opening_time",
			"sc_jour",
			"sc_on_call",
			"sc_sla_status",
		],
	)
	for r in rows:
		r.ticket_type = doctype
		if hd:
			r.customer = erpnext_customer(r.customer)
	return rows


def chart(filters, data) -> dict | None:
	"""Per month of the period: the production bugs opened on call (Jour) and not, stacked."""
	months = charts.months(
		charts.month_of(getdate(filters.from_date)), charts.month_of(getdate(filters.to_date))
	)
	if not months:
		return None
	jour, other = charts.count_per_month(((d.month, bool(d.sc_jour)) for d in data), months, [True, False])
	return charts.bars(
		months,
		[(_("On-call"), jour), (_("Not on-call"), other)],
		[charts.ORANGE, charts.BLUE],
	)


def columns():
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 80},
		{"fieldname": "ticket_type", "label": _("Ticket Type"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "name",
			"label": _("Ticket"),
			"fieldtype": "Dynamic Link",
			"options": "ticket_type",
			"width": 140,
		},
		{"fieldname": "subject", "label": _("Subject"), "fieldtype": "Data", "width": 240},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 80},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 90},
		{"fieldname": "sc_jour", "label": _("Jour"), "fieldtype": "Check", "width": 60},
		{"fieldname": "sc_sla_status", "label": _("Contract SLA Status"), "fieldtype": "Data", "width": 120},
	]
