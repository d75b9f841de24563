# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Hour Bank Usage: per contract and bank period, what the invoicing run recorded in the hour bank ledger
— allocated, carried over, used, expired and left (hours). Cancelled rows (their invoice was cancelled) do
not count.

The chart: per contract, its latest bank period (the one whose ledger begins last; the label names the
customer and the period), stacked: used (blue), left (green) and expired (grey) — together what the period
had, allocated and carried over. Its reader (support manager, accounts) asks whose bank is running out;
the earlier periods are history, in the table. Hours as the table shows them (2 decimals), from whole
minutes."""

import frappe
from frappe import _
from frappe.query_builder.functions import Min, Sum

from support_contracts.support_contracts.report import charts

ENTRY = {"Allocation": "allocated", "Carry Over": "carried", "Consumption": "used", "Expiry": "expired"}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	led = frappe.qb.DocType("Hour Bank Ledger Entry")
	q = (
		frappe.qb.from_(led)
		.select(
			led.support_contract,
			led.customer,
			led.period,
			led.entry_type,
			Sum(led.minutes).as_("minutes"),
			Min(led.posting_date).as_("first_posting"),
		)
		.where(led.is_cancelled == 0)
		.groupby(led.support_contract, led.customer, led.period, led.entry_type)
		.orderby(led.support_contract)
		.orderby(Min(led.posting_date))
	)
	for f in ("customer", "support_contract"):
		if filters.get(f):
			q = q.where(led[f] == filters.get(f))
	rows: dict[tuple, dict] = {}
	begins: dict[tuple, object] = {}  # (contract, period) → its first posting date
	for r in q.run(as_dict=True):
		key = (r.support_contract, r.period)
		begins[key] = min(begins.get(key, r.first_posting), r.first_posting)
		row = rows.setdefault(
			(r.support_contract, r.period),
			{
				"support_contract": r.support_contract,
				"customer": r.customer,
				"period": r.period,
				**{k: 0.0 for k in ENTRY.values()},
			},
		)
		row[ENTRY[r.entry_type]] += abs(int(r.minutes)) / 60
	data = list(rows.values())
	for row in data:
		row["left"] = row["allocated"] + row["carried"] - row["used"] - row["expired"]
	return columns(), data, None, chart(data, begins)


def chart(data: list[dict], begins: dict[tuple, object]) -> dict | None:
	"""Per contract, in the table's order, its latest bank period: used, left and expired stacked."""
	latest: dict[str, dict] = {}
	for row in data:
		now = latest.get(row["support_contract"])
		key = (row["support_contract"], row["period"])
		if now is None or begins[key] > begins[(now["support_contract"], now["period"])]:
			latest[row["support_contract"]] = row
	if not latest:
		return None
	rows = list(latest.values())
	return charts.bars(
		[f"{r['customer']} · {r['period']}" for r in rows],
		[
			(_("Used"), [round(r["used"], 2) for r in rows]),
			(_("Left"), [round(r["left"], 2) for r in rows]),
			(_("Expired"), [round(r["expired"], 2) for r in rows]),
		],
		[charts.BLUE, charts.GREEN, charts.GREY],
	)


def columns():
	hours = {"fieldtype": "Float", "precision": 2, "width": 110}
	return [
		{
			"fieldname": "support_contract",
			"label": _("Support Contract"),
			"fieldtype": "Link",
			"options": "Support Contract",
			"width": 150,
		},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 180,
		},
		{"fieldname": "period", "label": _("Bank Period"), "fieldtype": "Data", "width": 100},
		{"fieldname": "allocated", "label": _("Allocated (h)"), **hours},
		{"fieldname": "carried", "label": _("Carried Over (h)"), **hours},
		{"fieldname": "used", "label": _("Used (h)"), **hours},
		{"fieldname": "expired", "label": _("Expired (h)"), **hours},
		{"fieldname": "left", "label": _("Left (h)"), **hours},
	]
