"""Maintenance windows (docs/rules.md E4) between the Maintenance Window doctype and the engine's rule
(``engine/maintenance.py``): the window read as instants of the system zone, the tier's limits and its
support hours; and the announcement to the customer's authorised callers."""

import frappe
from frappe import _
from frappe.utils import cint

from support_contracts.adapters import firm
from support_contracts.adapters.issue import refresh
from support_contracts.adapters.times import aware, typed_instant
from support_contracts.engine.errors import EngineError
from support_contracts.engine.maintenance import MaintenanceRule, check_window

FIELD_LABELS = {"start": "Start", "end": "End", "maintenance_max_minutes": "Maintenance Window Minutes"}


def check(doc) -> None:
	"""Refuse a window that breaks its tier's rule, with a message naming the field; nothing is stored. A
	start or end the DST change skips or repeats names no single instant, and is refused first."""
	start, end = typed_instant(doc, "start"), typed_instant(doc, "end")
	# the contract's row locked, then its other windows read as they are committed (a locking read): two
	# windows saved at once for one contract are checked one after the other, the second against the first
	found = frappe.db.sql(
		"select tier from `tabSupport Contract` where name = %s for update", doc.support_contract
	)
	if not found:
		return  # the link check names the missing contract
	tier = frappe.get_cached_doc("Support Tier", found[0][0])
	others = frappe.db.sql(
		"""select start, end from `tabMaintenance Window`
		where support_contract = %s and name != %s for update""",
		(doc.support_contract, doc.name or ""),
		as_dict=True,
	)
	try:
		rule = MaintenanceRule(
			cint(tier.get("maintenance_max_minutes")) or 30, cint(tier.get("maintenance_per_quarter")) or 1
		)
		check_window(
			start,
			end,
			firm.calendar(tier.business_calendar),
			[(aware(o.start), aware(o.end)) for o in others],
			rule,
		)
	except EngineError as e:
		firm.throw(e, "Maintenance Window", FIELD_LABELS)


def announce(doc) -> None:
	"""Mail the window to the contract's authorised callers (their Contacts' e-mail), once."""
	contract = frappe.get_doc("Support Contract", doc.support_contract)
	emails = sorted(
		{
			e
			for row in contract.authorised_callers
			if row.contact
			for e in [frappe.db.get_value("Contact", row.contact, "email_id")]
			if e
		}
	)
	if not emails or doc.announced:
		return
	frappe.sendmail(
		recipients=emails,
		subject=_("Planned maintenance {0} – {1}").format(doc.start, doc.end),
		message=_("Planned maintenance with downtime from {0} to {1}: {2}").format(
			doc.start, doc.end, frappe.utils.escape_html(doc.description or "")
		),
		reference_doctype=doc.doctype,
		reference_name=doc.name,
	)
	doc.db_set("announced", 1)


def reclock(doc) -> None:
	"""A window planned, moved or removed: the contract's open governed Issues are clocked again, since no
	SLA target counts a planned window (docs/rules.md E4; ``adapters/issue.maintenance_windows``)."""
	for name in frappe.get_all(
		"Issue",
		filters={
			"sc_support_contract": doc.support_contract,
			"status": ("in", ("Open", "Replied", "On Hold")),
		},
		pluck="name",
	):
		refresh(name)
