# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""SLA Compliance: per customer, tier, priority, metric and month opened — targets, met, breached,
compliance % and the business time fulfilled targets took (median, 90th percentile). Reads SLA Outcome
(each target of a governed Issue as it stands, kept after resolution); the sums are the engine's
(``sla.compliance``)."""

import re

import frappe
from frappe import _

from support_contracts.adapters.times import naive, now
from support_contracts.engine.sla import METRIC_LABELS, compliance

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
KEY = ("customer", "support_tier", "priority", "metric", "month")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	data = []
	by_month: dict[str, list] = {}
	for g in groups(filters):
		taken = [int(float(x)) for x in g.taken.split(",")] if g.taken else []
		c = compliance(int(g.met), int(g.breached), int(g.pending), taken)
		data.append(
			{
				**{k: g[k] for k in KEY},
				"metric_label": _(METRIC_LABELS.get(g.metric, g.metric)),
				"targets": c.tickets,
				"met": c.met,
				"breached": c.breached,
				"pending": c.pending,
				"compliance": c.percent,
				"median_hours": hours(c.median),
				"p90_hours": hours(c.p90),
			}
		)
		by_month.setdefault(g.month, []).append((g, taken))
	return columns(), data, None, chart(by_month)


def groups(filters) -> list:
	"""The targets of Issues opened in the months asked for, summed per customer, tier, priority, metric
	and month in the database: met and breached as the engine recorded them (SLA Outcome › Status), an
	unmet target whose due time has passed since as breached (the engine's own rule: due ≤ now), the
	rest pending; and the business seconds of each fulfilled target, for the percentiles."""
	for f in ("from_month", "to_month"):
		if not MONTH.match(filters.get(f) or ""):
			frappe.throw(
				_("{0} must be a month as YYYY-MM (got {1}).").format(
					frappe.bold(_("From Month") if f == "from_month" else _("To Month")),
					filters.get(f) or _("nothing"),
				),
				frappe.ValidationError,
			)
	where, values = ["month between %(from_month)s and %(to_month)s"], {**filters, "now": naive(now())}
	for f in ("customer", "support_tier", "metric"):
		if filters.get(f):
			where.append(f"{f} = %({f})s")
	frappe.db.sql("set session group_concat_max_len = 100000000")
	return frappe.db.sql(
		f"""
		select customer, support_tier, priority, metric, month,
			sum(met_at is not null and status = 'Met') as met,
			sum((met_at is not null and status <> 'Met') or (met_at is null and due <= %(now)s)) as breached,
			sum(met_at is null and (due is null or due > %(now)s)) as pending,
			group_concat(if(met_at is null, null, business_seconds)) as taken
		from `tabSLA Outcome`
		where {" and ".join(where)}
		group by customer, support_tier, priority, metric, month
		order by customer, support_tier, priority, metric, month
		""",
		values,
		as_dict=True,
	)


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
		c = compliance(sum(int(g.met) for g, _t in gs), sum(int(g.breached) for g, _t in gs), 0, [])
		return c.percent or 0

	return {
		"data": {
			"labels": months,
			"datasets": [{"name": _("Compliance %"), "values": [percent(m) for m in months]}],
		},
		"type": "line",
		"colors": ["#5e64ff"],
	}
