"""Support Contract Settings, read: one value at a time, its default where the settings were never saved."""

import frappe
from frappe.utils import flt

DEFAULTS = {"issue_backdating_hours": 72, "max_activation_hours": 24}


def setting(fieldname: str):
	"""One value of Support Contract Settings (a single doctype), or its default."""
	singles = frappe.qb.Table("tabSingles")
	raw = (
		frappe.qb.from_(singles)
		.select(singles.value)
		.where(singles.doctype == "Support Contract Settings")
		.where(singles.field == fieldname)
		.run(pluck=True)
	)
	return DEFAULTS[fieldname] if not raw or raw[0] is None else flt(raw[0])
