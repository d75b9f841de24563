# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""SLA Compliance: per customer, tier, priority, metric and month opened — targets, met, breached,
compliance % and the business time fulfilled targets took (median, 90th percentile). Reads SLA Outcome
(each target of a governed Issue as it stands, kept after resolution); the sums are the engine's
(``sla.compliance``)."""

import collections
import functools

import frappe
from frappe import _

from support_contracts.adapters.times import naive, now
from support_contracts.engine.sla import METRIC_LABELS, Compliance, compliance
from support_contracts.support_contracts.report.filters import month as filter_month

KEY = ("customer", "support_tier", "priority", "metric", "month")


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


def groups(filters, by: tuple[str, ...] = KEY) -> list:
	"""The targets of governed Issues, summed per ``by`` (the report's key, or e.g. metric alone) in the
	database: met and breached as the engine recorded them (SLA Outcome › Status), an unmet target whose
	due time has passed since as breached (the engine's own rule: due ≤ now), the rest pending; and the
	business seconds of each fulfilled target, for the percentiles. Filters: ``from_month``/``to_month``
	(month opened), ``opened_from``/``opened_to`` (opened at, end excluded), ``customer``,
	``support_tier``, ``support_contract``, ``metric``."""
	where, values = ["1=1"], {**filters, "now": naive(now())}
	for f, condition in (
		("from_month", "month >= %(from_month)s"),
		("to_month", "month <= %(to_month)s"),
		("opened_from", "opened_at >= %(opened_from)s"),
		("opened_to", "opened_at < %(opened_to)s"),
		*((f, f"{f} = %({f})s") for f in ("customer", "support_tier", "support_contract", "metric")),
	):
		if filters.get(f):
			where.append(condition)
	key = ", ".join(by)  # the caller's own column names, never input
	frappe.db.sql("set session group_concat_max_len = 100000000")
	group = _group_type(by)
	rows = frappe.db.sql(
		f"""
		select {key},
			sum(met_at is not null and status = 'Met') as met,
			sum((met_at is not null and status <> 'Met') or (met_at is null and due <= %(now)s)) as breached,
			sum(met_at is null and (due is null or due > %(now)s)) as pending,
			group_concat(if(met_at is null, null, round(business_seconds))) as taken
		from `tabSLA Outcome`
		where {" and ".join(where)}
		group by {key}
		order by {key}
		""",
		values,
	)
	return [group(*row) for row in rows]  # tuples: a year of a firm's groups is tens of thousands


@functools.cache
def _group_type(by: tuple[str, ...]):
	return collections.namedtuple("Group", [*by, "met", "breached", "pending", "taken"])


def summed(group) -> Compliance:
	"""A group of :func:`groups` summed up by the engine."""
	taken = [int(x) for x in group.taken.split(",")] if group.taken else []
	return compliance(int(group.met), int(group.breached), int(group.pending), taken)


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
