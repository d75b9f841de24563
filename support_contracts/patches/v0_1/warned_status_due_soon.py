"""A warned Issue's SLA status was "Warning"; it is now "Due Soon" (adapters/issue.STATUS_LABEL), as long as
"On Track" and "Breached", so enforcement rewrites the row in place. The stored status of such Issues is
renamed once; their SLA Transitions keep the transition's name, Warning."""

import frappe

from support_contracts.adapters.issue import STATUS_LABEL
from support_contracts.engine.sla import WARNING


def execute():
	if frappe.db.has_column("Issue", "sc_sla_status"):
		frappe.db.sql(
			"update `tabIssue` set sc_sla_status = %s where sc_sla_status = 'Warning'", STATUS_LABEL[WARNING]
		)
