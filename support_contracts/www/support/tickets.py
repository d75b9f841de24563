"""/support/tickets: every ticket of the contact's customers, open ones with their clocks."""

from frappe import _

from support_contracts.adapters import access, portal

no_cache = 1


def get_context(context):
	customers = access.require_login()
	context.title = _("My Tickets")
	context.show_sidebar = True
	context.tickets = portal.tickets(customers)
	context.parents = [{"route": "/support", "title": _("Support")}]
