# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""The contract's Connections: what links to it, grouped. Frappe shows a group's doctypes to those who may
read them (the form's own check), and counts them with ``frappe.desk.notifications.get_open_count``."""

from frappe import _


def get_data():
	return {
		"fieldname": "support_contract",
		# ERPNext's own documents carry the contract in the app's custom fields (setup/custom_fields.py)
		"non_standard_fieldnames": {"Issue": "sc_support_contract", "Sales Invoice": "sc_support_contract"},
		"transactions": [
			{"label": _("Support"), "items": ["Issue", "Maintenance Window", "Incident Fee"]},
			{"label": _("Billing"), "items": ["Sales Invoice", "Hour Bank Ledger Entry"]},
		],
	}
