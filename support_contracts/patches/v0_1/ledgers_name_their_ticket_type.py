"""The SLA ledgers (SLA Clock Event, SLA Transition, SLA Outcome) hold tickets of two kinds since Frappe
Helpdesk's HD Tickets can be governed too: each row names its ticket's doctype. The rows written before
were all an Issue's."""

import frappe

LEDGERS = ("SLA Clock Event", "SLA Transition", "SLA Outcome")


def execute():
	for doctype in LEDGERS:
		frappe.db.sql(
			f"update `tab{doctype}` set ticket_type = 'Issue' where ticket_type is null or ticket_type = ''"
		)
