"""/support/new: report an incident — priorities with their meaning from the contract, the due times the
contract promises shown before anything is created, and inside the on-call window the fee to confirm."""

import frappe
from frappe import _

from support_contracts.adapters import access, portal

no_cache = 1


def get_context(context):
	customers = access.require_login()
	context.title = _("Report an Incident")
	context.show_sidebar = True
	context.parents = [{"route": "/support", "title": _("Support")}]
	names = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", customers or [""])},
			fields=["name", "customer_name"],
			as_list=True,
		)
	)
	context.forms = [
		{"customer": c, "customer_name": names.get(c) or c, "options": portal.form_options(c)}
		for c in customers
	]
	context.texts = {
		"due": _("If you report it now, the contract promises:"),
		"fee": _("Outside office hours this call-in costs {0} ({1} of work included)."),
		"created": _("Ticket {0} is created."),
		"open": _("Open the ticket"),
	}
