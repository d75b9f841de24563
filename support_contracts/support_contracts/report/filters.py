"""The reports' filters, checked once: a clear 417 naming the filter, as every form of the app does."""

import re

import frappe
from frappe import _

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def require(filters, **labels) -> None:
	"""Each filter named (fieldname=label) must be given."""
	for field, label in labels.items():
		if not filters.get(field):
			frappe.throw(_("{0} is required.").format(frappe.bold(label)), frappe.ValidationError)


def month(filters, field: str, label: str) -> tuple[int, int]:
	"""A month filter written YYYY-MM: (year, month)."""
	m = MONTH.match(filters.get(field) or "")
	if not m:
		frappe.throw(
			_("{0} must be a month as YYYY-MM (got {1}).").format(
				frappe.bold(label), filters.get(field) or _("nothing")
			),
			frappe.ValidationError,
		)
	return int(m.group(1)), int(m.group(2))
