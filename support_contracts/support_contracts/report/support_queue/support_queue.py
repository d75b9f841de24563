# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Support Queue: the open Issues a contract governs, the one whose next target falls due first at the top —
an agent's day (assigned to them: the filter's default), or a team's with the filter cleared. The next due
time is the one the clock set (Issue › SLA Breach At); an Issue whose clock is paused or whose targets are
all met has none and comes last. No chart: it is a worklist."""

import frappe
from frappe import _

from support_contracts.adapters.dashboards import FINISHED_ISSUE_STATUSES


def execute(filters=None):
	filters = frappe._dict(filters or {})
	conditions = [
		["Issue", "status", "not in", FINISHED_ISSUE_STATUSES],
		["Issue", "sc_support_contract", "is", "set"],
	]
	if filters.get("assigned_to"):
		conditions.append(["Issue", "_assign", "like", f"%{filters.assigned_to}%"])
	for field in ("customer", "support_contract"):
		if filters.get(field):
			conditions.append(
				[
					"Issue",
					"sc_support_contract" if field == "support_contract" else field,
					"=",
					filters[field],
				]
			)
	data = frappe.get_list(
		"Issue",
		filters=conditions,
		fields=[
			"name",
			"subject",
			"customer",
			"priority",
			"status",
			"sc_sla_status",
			"sc_breach_at",
			"sc_escalation_level",
			"sc_support_contract",
			"opening_date",
			"opening_time",
			"_assign",
		],
	)
	for d in data:
		d.assigned_to = ", ".join(frappe.parse_json(d.pop("_assign") or "[]"))
	# the next due first; without one (paused, all met) last, the oldest first
	data.sort(key=lambda d: (d.sc_breach_at is None, d.sc_breach_at or 0, d.opening_date, d.opening_time))
	return columns(), data


def columns():
	return [
		{"fieldname": "sc_breach_at", "label": _("Next Due"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "sc_sla_status", "label": _("Contract SLA Status"), "fieldtype": "Data", "width": 120},
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
		{
			"fieldname": "sc_escalation_level",
			"label": _("Escalation Level"),
			"fieldtype": "Data",
			"width": 110,
		},
		{
			"fieldname": "sc_support_contract",
			"label": _("Support Contract"),
			"fieldtype": "Link",
			"options": "Support Contract",
			"width": 130,
		},
		{"fieldname": "assigned_to", "label": _("Assigned To"), "fieldtype": "Data", "width": 180},
	]
