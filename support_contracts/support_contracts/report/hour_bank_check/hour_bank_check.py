# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Hour Bank Check: every way the hour-bank ledger disagrees with the invoices the run made
(``adapters/billing/hour_bank.check``, docs/rules.md B2). Empty — "The ledger agrees with the invoices" — is how
it should be.

No chart: the report is a list of problems to put right one by one, each naming its contract, invoice and
Timesheet row; the message above says how many there are. A bar of problems per contract would say no more
than the table, and the number that matters — none — draws nothing."""

import frappe
from frappe import _

from support_contracts.adapters.billing import hour_bank


def execute(filters=None):
	filters = frappe._dict(filters or {})
	columns = [
		{
			"fieldname": "support_contract",
			"label": _("Support Contract"),
			"fieldtype": "Link",
			"options": "Support Contract",
			"width": 140,
		},
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "sales_invoice",
			"label": _("Sales Invoice"),
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"width": 150,
		},
		{"fieldname": "time_entry", "label": _("Timesheet Row"), "fieldtype": "Data", "width": 110},
		{"fieldname": "ledger_minutes", "label": _("Ledger (min)"), "fieldtype": "Int", "width": 100},
		{"fieldname": "invoiced_minutes", "label": _("Invoiced (min)"), "fieldtype": "Int", "width": 110},
		{"fieldname": "problem", "label": _("Problem"), "fieldtype": "Data", "width": 520},
	]
	rows = hour_bank.check(filters.get("support_contract"))
	message = (
		_("The ledger disagrees with the invoices in {0} places.").format(len(rows))
		if rows
		else _("The ledger agrees with the invoices.")
	)
	return columns, rows, message
