"""Activations from the ticket (docs/rules.md C6): a Timesheet row on an on-call ticket (an Issue, or an HD
Ticket where Helpdesk is installed), logged by an engineer in one of their jour weeks, is that engineer's
Jour Activation too — the time is logged once."""

from __future__ import annotations

import frappe
from frappe.utils import getdate


def activations_from_timesheet(doc, method=None) -> None:
	"""``Timesheet.on_submit``: a row on an on-call Issue, logged by an employee in one of their jour weeks,
	is that employee's Jour Activation too — the engineer logs the time once. The activation is priced as
	any other and names its Timesheet; an overlap with an activation entered by hand is refused here."""
	if not doc.employee:
		return
	for row in doc.time_logs:
		if not (row.get("sc_issue") and row.from_time and row.to_time):
			continue
		ticket_type = row.get("sc_ticket_type") or "Issue"
		if not frappe.db.get_value(ticket_type, row.sc_issue, "sc_on_call"):
			continue
		day = getdate(row.from_time)
		week = frappe.db.get_value(
			"Jour Week", {"employee": doc.employee, "week_start": ("<=", day), "week_end": (">=", day)}
		)
		if not week or frappe.db.exists("Jour Activation", {"timesheet_detail": row.name}):
			continue
		frappe.get_doc(
			{
				"doctype": "Jour Activation",
				"employee": doc.employee,
				"ticket_type": ticket_type,
				"issue": row.sc_issue,
				"from_time": row.from_time,
				"to_time": row.to_time,
				"timesheet": doc.name,
				"timesheet_detail": row.name,
			}
		).insert(ignore_permissions=True)


def remove_timesheet_activations(doc, method=None) -> None:
	"""``Timesheet.on_cancel``: its activations go too (a month already paid is corrected next run)."""
	for name in frappe.get_all("Jour Activation", filters={"timesheet": doc.name}, pluck="name"):
		frappe.delete_doc("Jour Activation", name, ignore_permissions=True)
