"""/support: a contact's support at a glance — their customers' contracts and open tickets."""

import frappe
from frappe import _

from support_contracts.adapters import access, portal
from support_contracts.adapters.helpdesk import helpdesk_installed

no_cache = 1


def get_context(context):
	customers = access.require_login()
	context.title = _("Support")
	context.show_sidebar = True
	context.contracts = frappe.get_all(
		"Support Contract",
		filters={"customer": ("in", customers or [""]), "status": ("in", access.SHOWN_STATUSES)},
		fields=["name", "customer", "customer_name", "tier", "status", "start_date", "end_date"],
		order_by="status asc, start_date desc",
	)
	context.tickets = portal.tickets(customers, open_only=True)
	context.customers = customers
	context.helpdesk = helpdesk_installed()  # a Helpdesk firm's tickets are followed in Helpdesk's portal
