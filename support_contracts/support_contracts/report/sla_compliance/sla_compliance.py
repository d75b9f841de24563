# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""SLA Compliance: per customer, tier, priority, metric and month opened — targets, met, breached,
compliance % and the business time fulfilled targets took (median, 90th percentile). Reads SLA Outcome
(each target of a governed Issue as it stands, kept after resolution); the sums are the engine's
(``engine/compliance.compliance``)."""

import frappe
from frappe import _

from support_contracts.adapters.outcomes import groups, summed
from support_contracts.engine.compliance import compliance
from support_contracts.engine.targets import METRIC_LABELS
from support_contracts.support_contracts.report.filters import month as filter_month


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filter_month(filters, "from_month", _("From Month"))
	filter_month(filters, "to_month", _("To Month"))
	labels = {metric: _(label) for metric, label in METRIC_LABELS.items()}
	data = []
	by_month: dict[str, list] = {}
	for g in groups(filters):
		c = summed(g)
		data.append(
			{
				"customer": g.customer,
				"support_tier": g.support_tier,
				"priority": g.priority,
				"metric": g.metric,
				"month": g.month,
				"metric_label": labels.get(g.metric, g.metric),
				"targets": c.tickets,
				"met": c.met,
				"breached": c.breached,
				"pending": c.pending,
				"compliance": c.percent,
				"median_hours": hours(c.median),
				"p90_hours": hours(c.p90),
			}
		)
		by_month.setdefault(g.month, []).append(g)
	return columns(), data, None, chart(by_month)


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

	def percent(month):
		gs = by_month[month]
		return compliance(sum(int(g.met) for g in gs), sum(int(g.breached) for g in gs), 0, []).percent or 0

	return {
		"data": {
			"labels": months,
			"datasets": [{"name": _("Compliance %"), "values": [percent(m) for m in months]}],
		},
		"type": "line",
		"colors": ["#5e64ff"],
	}
