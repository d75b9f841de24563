"""Frappe's own count, overridden (hooks.py ``override_whitelisted_methods``): a count tells no more than
the list it counts (docs/permissions.md)."""

from __future__ import annotations

import frappe
from frappe import _

from support_contracts.adapters.access import (
	is_portal_user,
)
from support_contracts.doctypes import APP_DOCTYPES
from support_contracts.permissions import APP_CHILD_TABLES


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""``frappe.client.get_count`` (overridden in hooks): Frappe 15 counts without a permission check, so a
	count could tell an employee what another's pay is (``total_amount > 800``). For the app's doctypes, and
	for portal users on any doctype, the count is of what the user may list; for Desk users on every other
	doctype Frappe's own answer is unchanged."""
	from frappe.client import get_count as frappe_get_count

	# a portal user counts only what they may list, whatever the doctype: a count of another customer's
	# Issues by subject would tell what that customer wrote (docs/portal.md)
	if doctype not in APP_DOCTYPES and doctype not in APP_CHILD_TABLES and not is_portal_user():
		return frappe_get_count(doctype, filters, debug, cache)
	try:
		filters = frappe.parse_json(filters) if filters else None
	except ValueError:
		frappe.throw(_("{0} must be JSON.").format(frappe.bold("filters")), frappe.ValidationError)
	return frappe.get_list(doctype, filters=filters, fields=["count(*) as count"])[0].count
