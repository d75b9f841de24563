# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Production Bugs: the Issues labelled Production (every on-call case is, docs/rules.md C4) opened in a
period, with whether they came in on call (Jour), and a chart of how many per month — the filter the
on-call routine asks for."""

import frappe
from frappe import _

from support_contracts.support_contracts.report.filters import require


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require(filters, from_date=_("From Date"), to_date=_("To Date"))
	conditions = {"sc_production": 1, "opening_date": ("between", [filters.from_date, filters.to_date])}
	if filters.get("customer"):
		conditions["customer"] = filters.customer
	data = frappe.get_list(
		"Issue",
		filters=conditions,
		fields=[
			"name",
			"subject",
			"customer",
			"priority",
			"status",
			"opening_date",
			"sc_jour",
			"sc_on_call",
			"sc_sla_status",
		],
		order_by="opening_date asc, opening_time asc",
	)
	per_month: dict[str, int] = {}
	for d in data:
		d.month = f"{d.opening_date:%Y-%m}"
		per_month[d.month] = per_month.get(d.month, 0) + 1
	chart = (
		{
			"data": {
				"labels": list(per_month),
				"datasets": [{"name": _("Production Bugs"), "values": list(per_month.values())}],
			},
			"type": "bar",
		}
		if per_month
		else None
	)
	return columns(), data, None, chart


def columns():
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 80},
		{"fieldname": "name", "label": _("Issue"), "fieldtype": "Link", "options": "Issue", "width": 140},
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
