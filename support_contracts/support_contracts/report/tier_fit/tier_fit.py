# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Tier Fit (docs/rules.md F1): what a contract's last months (a year by default) cost under its own tier
and would have cost under each other Support Tier, from the same work and call-ins — the cheapest marked,
the difference to its own, and how many of its tickets' targets each tier's would have found breached.
A tree: each tier, its months, and each month's invoice lines with their why, as an invoice explains
them. Read by whoever reads the contract's money (the support manager, the billing clerk).

The chart: each comparable tier's total, its own tier and the cheapest told apart in the labels."""

import frappe
from frappe import _

from support_contracts.adapters.tier_fit import fit
from support_contracts.support_contracts.report.filters import month as filter_month
from support_contracts.support_contracts.report.filters import require


def execute(filters=None):
	filters = frappe._dict(filters or {})
	require(filters, support_contract=_("Support Contract"), to_month=_("To Month"))
	frappe.has_permission("Support Contract", "read", filters.support_contract, throw=True)
	last = filter_month(filters, "to_month", _("To Month"))
	count = int(filters.get("months") or 12)
	if not 1 <= count <= 36:
		frappe.throw(_("{0} must be from 1 to 36 (got {1}).").format(frappe.bold(_("Months")), count))
	result = fit(filters.support_contract, last, count)
	costs = result["costs"]
	current = next((c for c in costs if c.current), None)
	data = []
	for c in costs:
		data += rows(c, current, result["breaches"].get(c.tier))
	return columns(), data, None, chart(costs), summary(result, current)


def rows(c, current, breaches) -> list[dict]:
	"""A tier's row, then its months, then each month's lines."""
	marks = [_("Current") if c.current else None, _("Cheapest") if c.cheapest else None]
	note = "; ".join(filter(None, [*marks, c.why_not and _("Not compared: {0}").format(c.why_not), *c.notes]))
	out = [
		{
			"key": c.tier,
			"parent_key": None,
			"indent": 0,
			"label": c.title,
			"amount": c.total,
			"difference": c.difference(current) if current and not c.current else None,
			"breaches": breaches,
			"currency": c.currency,
			"note": note,
		}
	]
	for inv in c.invoices:
		month_key = f"{c.tier}|{inv.month}"
		out.append(
			{
				"key": month_key,
				"parent_key": c.tier,
				"indent": 1,
				"label": inv.month,
				"amount": inv.total,
				"currency": c.currency,
			}
		)
		for i, line in enumerate(inv.lines):
			out.append(
				{
					"key": f"{month_key}|{i}",
					"parent_key": month_key,
					"indent": 2,
					"label": line.description,
					"quantity": line.quantity,
					"rate": line.rate,
					"amount": line.amount,
					"currency": c.currency,
					"note": line.why,
				}
			)
	return out


def columns():
	return [
		{"fieldname": "label", "label": _("Tier, Month or Line"), "fieldtype": "Data", "width": 320},
		{"fieldname": "quantity", "label": _("Quantity"), "fieldtype": "Float", "precision": 2, "width": 80},
		{
			"fieldname": "rate",
			"label": _("Rate"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 100,
		},
		{
			"fieldname": "amount",
			"label": _("Amount"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{
			"fieldname": "difference",
			"label": _("Difference to Its Own"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 140,
		},
		{"fieldname": "breaches", "label": _("Targets Breached"), "fieldtype": "Int", "width": 120},
		{"fieldname": "note", "label": _("Why"), "fieldtype": "Data", "width": 420},
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def chart(costs) -> dict | None:
	"""Each comparable tier's total; its own tier and the cheapest marked in the labels."""
	shown = [c for c in costs if c.total is not None]
	if not shown:
		return None

	def label(c) -> str:
		marks = [_("current") if c.current else "", _("cheapest") if c.cheapest else ""]
		marks = ", ".join(m for m in marks if m)
		return f"{c.title} ({marks})" if marks else c.title

	return {
		"data": {
			"labels": [label(c) for c in shown],
			"datasets": [{"name": _("Total"), "values": [float(c.total) for c in shown]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"colors": ["#5e64ff"],
	}


def summary(result, current) -> list[dict]:
	months = result["months"]
	best = next((c for c in result["costs"] if c.cheapest), None)
	out = [
		{
			"label": _("Months Priced"),
			"value": f"{months[0][0]}-{months[0][1]:02d} – {months[-1][0]}-{months[-1][1]:02d}"
			if months
			else _("none of the contract's term"),
			"datatype": "Data",
		}
	]
	if best and current and best is not current and current.total is not None:
		out.append(
			{
				"label": _("Cheapest"),
				"value": _("{0}: {1} less than its own").format(best.title, current.total - best.total),
				"datatype": "Data",
				"indicator": "Green",
			}
		)
	if result["skipped"]:
		out.append(
			{
				"label": _("Work Left Out"),
				"value": _("{0} Timesheet rows without a Kind of Work").format(len(result["skipped"])),
				"datatype": "Data",
				"indicator": "Orange",
			}
		)
	return out
