# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Incident Fees: the call-ins of a period, billed and unbilled, with their Issue and invoice, and the
totals per currency and status in the summary."""

import frappe
from frappe import _

from support_contracts.support_contracts.report.filters import require


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require(filters, from_date=_("From Date"), to_date=_("To Date"))
	conditions = {
		"called_at": ("between", [f"{filters.from_date} 00:00:00", f"{filters.to_date} 23:59:59.999999"])
	}
	for f in ("customer", "status"):
		if filters.get(f):
			conditions[f] = filters.get(f)
	data = frappe.get_list(
		"Incident Fee",
		filters=conditions,
		fields=[
			"name",
			"issue",
			"customer",
			"support_contract",
			"called_at",
			"fee",
			"currency",
			"status",
			"sales_invoice",
		],
		order_by="called_at asc",
	)
	totals: dict[tuple, float] = {}
	for d in data:
		totals[(d.status, d.currency)] = totals.get((d.status, d.currency), 0) + (d.fee or 0)
	summary = [
		{
			"label": _("{0} ({1})").format(_(status), currency),
			"value": total,
			"datatype": "Currency",
			"currency": currency,
		}
		for (status, currency), total in sorted(totals.items())
	]
	return columns(), data, None, None, summary


def columns():
	return [
		{
			"fieldname": "name",
			"label": _("Incident Fee"),
			"fieldtype": "Link",
			"options": "Incident Fee",
			"width": 140,
		},
		{"fieldname": "issue", "label": _("Issue"), "fieldtype": "Link", "options": "Issue", "width": 140},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 170,
		},
		{
			"fieldname": "support_contract",
			"label": _("Support Contract"),
			"fieldtype": "Link",
			"options": "Support Contract",
			"width": 140,
		},
		{"fieldname": "called_at", "label": _("Called In At"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "fee", "label": _("Fee"), "fieldtype": "Currency", "options": "currency", "width": 110},
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "sales_invoice",
			"label": _("Sales Invoice"),
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"width": 150,
		},
	]
