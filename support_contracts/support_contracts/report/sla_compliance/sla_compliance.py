# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""SLA Compliance: per customer, tier, priority, metric and month opened — targets, met, breached,
compliance % and the business time fulfilled targets took (median, 90th percentile). Reads SLA Outcome
(each target of a governed Issue as it stands, kept after resolution); the sums are the engine's
(``sla.compliance``)."""

import re
from itertools import groupby

import frappe
from frappe import _

from support_contracts.adapters.times import naive, now
from support_contracts.engine.sla import METRIC_LABELS, compliance

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
KEY = ("customer", "support_tier", "priority", "metric", "month")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = outcomes(filters)
	data = []
	by_month: dict[str, list] = {}
	for key, group in groupby(rows, key=lambda r: tuple(r[k] for k in KEY)):
		group = list(group)
		c = compliance((r.in_time, r.seconds) for r in group)
		data.append(
			{
				**dict(zip(KEY, key, strict=True)),
				"metric_label": _(METRIC_LABELS.get(key[3], key[3])),
				"targets": c.tickets,
				"met": c.met,
				"breached": c.breached,
				"pending": c.pending,
				"compliance": c.percent,
				"median_hours": hours(c.median),
				"p90_hours": hours(c.p90),
			}
		)
		by_month.setdefault(key[4], []).extend(group)
	return columns(), data, None, chart(by_month)


def outcomes(filters) -> list:
	"""The targets of Issues opened in the months asked for, sorted by the report's key, each with
	``in_time`` (True / False / None while undecided) and ``seconds`` (business time, once fulfilled)."""
	for f in ("from_month", "to_month"):
		if not MONTH.match(filters.get(f) or ""):
			frappe.throw(
				_("{0} must be a month as YYYY-MM (got {1}).").format(
					frappe.bold(_("From Month") if f == "from_month" else _("To Month")),
					filters.get(f) or _("nothing"),
				),
				frappe.ValidationError,
			)
	o = frappe.qb.DocType("SLA Outcome")
	q = (
		frappe.qb.from_(o)
		.select(
			o.customer,
			o.support_tier,
			o.priority,
			o.metric,
			o.month,
			o.status,
			o.due,
			o.met_at,
			o.business_seconds,
		)
		.where(o.month >= filters.from_month)
		.where(o.month <= filters.to_month)
		.orderby(o.customer, o.support_tier, o.priority, o.metric, o.month)
	)
	for f in ("customer", "support_tier", "metric"):
		if filters.get(f):
			q = q.where(o[f] == filters.get(f))
	at = naive(now())
	rows = q.run(as_dict=True)
	for r in rows:
		if r.met_at is not None:
			r.in_time, r.seconds = r.status == "Met", r.business_seconds
		elif r.due is not None and r.due <= at:
			r.in_time, r.seconds = False, None  # overdue and still unmet
		else:
			r.in_time, r.seconds = None, None
	return rows


def hours(seconds):
	return None if seconds is None else round(seconds / 3600, 2)


def columns():
	return [
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 180,
		},
		{
			"fieldname": "support_tier",
			"label": _("Support Tier"),
			"fieldtype": "Link",
			"options": "Support Tier",
			"width": 130,
		},
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 80},
		{"fieldname": "metric_label", "label": _("Metric"), "fieldtype": "Data", "width": 120},
		{"fieldname": "month", "label": _("Month Opened"), "fieldtype": "Data", "width": 90},
		{"fieldname": "targets", "label": _("Targets"), "fieldtype": "Int", "width": 80},
		{"fieldname": "met", "label": _("Met"), "fieldtype": "Int", "width": 70},
		{"fieldname": "breached", "label": _("Breached"), "fieldtype": "Int", "width": 80},
		{"fieldname": "pending", "label": _("Not Yet Due"), "fieldtype": "Int", "width": 90},
		{"fieldname": "compliance", "label": _("Compliance %"), "fieldtype": "Percent", "width": 110},
		{
			"fieldname": "median_hours",
			"label": _("Median (h)"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 100,
		},
		{
			"fieldname": "p90_hours",
			"label": _("90th Percentile (h)"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 130,
		},
	]


def chart(by_month: dict[str, list]) -> dict | None:
	if not by_month:
		return None
	months = sorted(by_month)
	return {
		"data": {
			"labels": months,
			"datasets": [
				{
					"name": _("Compliance %"),
					"values": [
						compliance((r.in_time, r.seconds) for r in by_month[m]).percent or 0 for m in months
					],
				}
			],
		},
		"type": "line",
		"colors": ["#5e64ff"],
	}
