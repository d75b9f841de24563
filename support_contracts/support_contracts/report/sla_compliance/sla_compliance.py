# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""SLA Compliance: per customer, tier, priority, metric and month opened — targets, met, breached,
compliance % and the business time fulfilled targets took (median, 90th percentile). Reads SLA Outcome
(each target of a governed Issue as it stands, kept after resolution); the sums are the engine's
(``engine/compliance.compliance``).

The chart: per month opened, every month of the range, a stacked bar of the targets met (green), breached
(red) and not yet due (grey) — a month whose targets are all still running shows as a grey bar, not as a
gap or a 0 %; each month's compliance (met of those decided) is in its label, "2026-06 · 80 %", and "—"
where nothing is decided yet (0 % would say every target was missed). The reader is the support manager
asking how the months went and how much is still open; the whole range's compliance, met, breached and
not yet due are the summary above. The same chart serves a Dashboard Chart (*Use Report Chart*): run
without months, the report takes the form's defaults, the twelve months up to this one."""

import frappe
from frappe import _
from frappe.utils import fmt_money

from support_contracts.adapters.outcomes import groups, summed
from support_contracts.adapters.reporting import ratings
from support_contracts.adapters.times import today
from support_contracts.engine.compliance import Compliance, compliance
from support_contracts.engine.months import next_month
from support_contracts.engine.targets import METRIC_LABELS
from support_contracts.support_contracts.report import charts
from support_contracts.support_contracts.report.filters import month as filter_month

MONTHS_BY_DEFAULT = 12  # as the form's defaults: the twelve months up to this one


def execute(filters=None):
	filters = frappe._dict(filters or {})
	default_months(filters)
	first = filter_month(filters, "from_month", _("From Month"))
	last = filter_month(filters, "to_month", _("To Month"))
	labels = {metric: _(label) for metric, label in METRIC_LABELS.items()}
	data = []
	per_month: dict[str, list[int]] = {}  # month → [met, breached, not yet due], summed over its groups
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
		counts = per_month.setdefault(g.month, [0, 0, 0])
		counts[0] += c.met
		counts[1] += c.breached
		counts[2] += c.pending
	by_month = {month: compliance(*counts, []) for month, counts in per_month.items()}
	met, breached, pending = (sum(counts[i] for counts in per_month.values()) for i in range(3))
	whole = compliance(met, breached, pending, [])
	return (
		columns(),
		data,
		None,
		chart(charts.months(first, last), by_month),
		summary(whole, verdict(filters, first, last)),
	)


def default_months(filters) -> None:
	"""Months not given at all (a Dashboard Chart run with no filters) are the form's defaults: the twelve
	months up to this one. A month given is checked as typed."""
	if not filters.get("to_month"):
		filters.to_month = f"{today():%Y-%m}"
	if not filters.get("from_month"):
		last = filter_month(filters, "to_month", _("To Month"))
		filters.from_month = charts.months_to(last, MONTHS_BY_DEFAULT)[0]


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


def percent_text(percent: float | None) -> str:
	"""A compliance as a label shows it: "80 %", "33,3 %" in the site's number format; "—" when no target
	is decided (none met, none breached), which is not 0 %."""
	if percent is None:
		return "—"
	return _("{0} %").format(fmt_money(percent, precision=0 if percent == int(percent) else 1))


def chart(months: list[str], by_month: dict[str, Compliance]) -> dict | None:
	"""Per month of the range: met, breached and not yet due stacked, the month's compliance in its
	label (the engine's percent of the month's summed targets)."""
	if not months:
		return None
	none = compliance(0, 0, 0, [])
	per = [by_month.get(m, none) for m in months]
	return charts.bars(
		[f"{m} · {percent_text(c.percent)}" for m, c in zip(months, per, strict=True)],
		[
			(_("Met"), [c.met for c in per]),
			(_("Breached"), [c.breached for c in per]),
			(_("Not Yet Due"), [c.pending for c in per]),
		],
		[charts.GREEN, charts.RED, charts.GREY],
	)


def verdict(filters, first: tuple[int, int], last: tuple[int, int]) -> tuple:
	"""The customers' average rating of the governed Issues opened in the months ``first``..``last``
	(docs/rules.md F4), with how many were rated, under the report's customer and tier."""
	after = next_month(*last)
	conditions = [
		["opening_date", ">=", f"{first[0]}-{first[1]:02d}-01"],
		["opening_date", "<", f"{after[0]}-{after[1]:02d}-01"],
		["sc_support_contract", "is", "set"],
	]
	if filters.get("customer"):
		conditions.append(["customer", "=", filters.customer])
	if filters.get("support_tier"):
		conditions.append(["sc_support_tier", "=", filters.support_tier])
	return ratings(conditions)


def summary(whole: Compliance, verdict: tuple = (None, 0)) -> list[dict]:
	"""The whole range: its compliance (met of all decided targets, "—" when none is), met, breached and
	not yet due; and the customers' average rating of its tickets, with how many rated them."""
	rating, rated = verdict
	return [
		{
			"label": _("Compliance over the period"),
			"value": "—" if whole.percent is None else whole.percent,
			"datatype": "Data" if whole.percent is None else "Percent",
		},
		{"label": _("Met"), "value": whole.met, "datatype": "Int", "indicator": "Green"},
		{"label": _("Breached"), "value": whole.breached, "datatype": "Int", "indicator": "Red"},
		{"label": _("Not Yet Due"), "value": whole.pending, "datatype": "Int", "indicator": "Grey"},
		{
			"label": _("Customers' Rating"),
			"value": "—" if rating is None else _("{0} of 5 ({1} rated)").format(rating, rated),
			"datatype": "Data",
		},
	]
