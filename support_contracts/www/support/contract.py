"""/support/contracts/<name>: one contract as its customer reads it — tier, term, what is covered, the
service levels, on-call, authorised callers, written instructions and the hour bank."""

import frappe
from frappe.utils import escape_html

from support_contracts.adapters import access, portal

no_cache = 1


def get_context(context):
	doc = access.own_contract(frappe.form_dict.name)
	context.update(portal.contract_view(doc))
	context.title = escape_html(doc.tier)  # Frappe's breadcrumbs and meta tags print it as it is
	context.show_sidebar = True
	context.parents = [{"route": "/support", "title": frappe._("Support")}]
