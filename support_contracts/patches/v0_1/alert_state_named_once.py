"""The alert state after a manager escalation was stored as "Manager" while its transition is recorded as
"Escalated to Manager"; the state now carries the transition's name (engine/escalation.py)."""

import frappe

from support_contracts.engine.escalation import ESCALATED


def execute():
	issue = frappe.qb.DocType("Issue")
	if not frappe.db.has_column("Issue", "sc_alert_state"):
		return
	frappe.qb.update(issue).set(issue.sc_alert_state, ESCALATED).where(
		issue.sc_alert_state == "Manager"
	).run()
