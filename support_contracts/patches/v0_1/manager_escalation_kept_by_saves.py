"""The manager escalation instant (breach + the tier's grace) was computed by the breach step; every save
now keeps it with the breach instant (engine/escalation.manager_escalation_us). Issues saved before get it
once here; those already escalated keep theirs."""

import frappe

from support_contracts.adapters.enforcement import retime_manager_escalations


def execute():
	if frappe.db.has_column("Issue", "sc_manager_escalation_at"):
		retime_manager_escalations()
