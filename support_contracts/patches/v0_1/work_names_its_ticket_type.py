"""Time, call-ins, activations and the hour bank's rows can be on Frappe Helpdesk's HD Tickets as well as on
Issues: a Timesheet row (``sc_ticket_type``), an Incident Fee, a Jour Activation and an Hour Bank Ledger
Entry (``ticket_type``) each name their ticket's doctype. The rows written before were all on Issues."""

import frappe

from support_contracts.setup.install import make_custom_fields

TICKET_TYPE = {  # doctype: (its ticket-type column, its ticket column)
	"Incident Fee": ("ticket_type", "issue"),
	"Jour Activation": ("ticket_type", "issue"),
	"Hour Bank Ledger Entry": ("ticket_type", "issue"),
	"Timesheet Detail": ("sc_ticket_type", "sc_issue"),
}


def execute():
	make_custom_fields()  # the Timesheet row's column, before after_migrate would make it
	for doctype, (type_column, ticket_column) in TICKET_TYPE.items():
		frappe.db.sql(
			f"""update `tab{doctype}` set `{type_column}` = 'Issue'
			where ifnull(`{ticket_column}`, '') != '' and ifnull(`{type_column}`, '') = ''"""
		)
