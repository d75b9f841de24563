"""/support/rate?ticket=…&token=…: the resolution e-mail's rating link (docs/rules.md F4) — no login; the
ticket's subject and a 1–5 form where the link is good, the same "does not work" for any link that is not
(``adapters/rating_links.py``). Opening the page stores nothing: mail scanners open links too."""

import frappe
from frappe import _

from support_contracts.adapters import portal, rating_links

no_cache = 1


def get_context(context):
	ticket, token = frappe.form_dict.get("ticket"), frappe.form_dict.get("token")
	doc = rating_links.ticket_of_link(ticket, token)
	context.title = _("How did we do?")
	context.good = doc is not None
	context.ticket = doc.name if doc else None
	context.subject = portal.subject_text(doc.subject) if doc else None
	context.token = token if doc else None
