"""Which contract governs an Issue, and what the contract adds around its clock: the customer's active
contract on a day, the Incident Fee a call-in in the on-call window costs (docs/rules.md A6), and the
contract's planned maintenance windows, which no SLA target counts (E4)."""

from __future__ import annotations

import frappe
from frappe.utils import getdate

from support_contracts.adapters import firm
from support_contracts.adapters.times import aware, naive


def active_contract(customer: str | None, on_date, service: str = "Support") -> dict | None:
	"""The customer's active contract for ``service`` on ``on_date`` (at most one: Support Contract
	refuses overlaps)."""
	if not customer:
		return None
	# plain SQL: every Issue save asks, governed or not (the query builder costs more than the query)
	rows = frappe.db.sql(
		"""select name, tier, on_call, on_call_calendar, end_date from `tabSupport Contract`
		where customer = %s and service = %s and status = 'Active' and start_date <= %s
		order by start_date desc""",
		(customer, service, on_date),
		as_dict=True,
	)
	day = getdate(on_date)
	for row in rows:
		if not row.end_date or getdate(row.end_date) >= day:
			return row
	return None


def on_call_fee(contract, at) -> dict | None:
	"""A call-in under ``contract`` at ``at``: inside its on-call window, the Incident Fee it costs
	(docs/rules.md A6; a tier without an incident model charges none) — None outside the window."""
	if not (contract.on_call and contract.on_call_calendar):
		return None
	if not firm.calendar(contract.on_call_calendar).is_open(at):
		return None
	tier = frappe.get_cached_doc("Support Tier", contract.tier)
	return {
		"fee": tier.incident_fee if tier.has_incident_model else 0,
		"currency": tier.currency,
		"included_minutes": tier.incident_included_minutes if tier.has_incident_model else 0,
	}


def maintenance_windows(contract: str | None, since) -> tuple:
	"""The contract's planned maintenance windows that end after ``since`` (aware): stretches no SLA target
	counts (docs/rules.md E4)."""
	if not contract:
		return ()
	rows = frappe.db.sql(
		"""select start, end from `tabMaintenance Window` where support_contract = %s and end > %s
		order by start""",
		(contract, naive(since)),
		as_dict=True,
	)
	return tuple((aware(r.start), aware(r.end)) for r in rows)
