# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Incident Fees: the call-ins of a period, billed and unbilled, with their ticket (Issue or HD Ticket) and invoice, and the
totals per currency and status in the summary.

The chart: call-ins per month called in, every month of the period, stacked billed (green) and unbilled
(orange) — a count, not an amount: fees are in their contract's currency and a period may hold several
(SEK and NOK customers), which no bar may add up; the amounts are the summary's, one per currency and
status. Its reader (support manager, accounts) asks how many call-ins a month brings and how many still
wait for the invoicing run."""

import frappe
from frappe import _
from frappe.utils import getdate

from support_contracts.support_contracts.report import charts
from support_contracts.support_contracts.report.filters import require

BILLED, UNBILLED = "Billed", "Unbilled"  # Incident Fee › Status


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
			"ticket_type",
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
	return columns(), data, None, chart(filters, data), summary


def chart(filters, data) -> dict | None:
	"""Per month of the period: how many call-ins, billed and unbilled stacked."""
	months = charts.months(
		charts.month_of(getdate(filters.from_date)), charts.month_of(getdate(filters.to_date))
	)
	if not months:
		return None
	billed, unbilled = charts.count_per_month(
		((f"{d.called_at:%Y-%m}", d.status) for d in data), months, [BILLED, UNBILLED]
	)
	return charts.bars(months, [(_(BILLED), billed), (_(UNBILLED), unbilled)], [charts.GREEN, charts.ORANGE])


def columns():
	return [
		{
			"fieldname": "name",
			"label": _("Incident Fee"),
			"fieldtype": "Link",
			"options": "Incident Fee",
			"width": 140,
		},
		{"fieldname": "ticket_type", "label": _("Ticket Type"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "issue",
			"label": _("Ticket"),
			"fieldtype": "Dynamic Link",
			"options": "ticket_type",
			"width": 140,
		},
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
