"""Governed Issues keep each target's due time, fulfilment and business time on record (SLA Outcome) for
the SLA reports: those opened before are recorded once from their ledgers."""

import frappe

from support_contracts.adapters.issue import refresh


def execute():
	for name in frappe.get_all("Issue", filters={"sc_support_tier": ("is", "set")}, pluck="name"):
		refresh(name)
