"""The module onboarding a new firm walks through (Module Onboarding "Support Contracts", in the managers'
workspace): a calendar, a tier with its targets, an active contract, a governed Issue, a completed billing
run — each step marked done when what it asks exists, whoever made it and however (the form, an import,
the API, the demo), not only when the step's own button was used.

:func:`mark_done` runs after a save of the doctype a step names (``hooks.py`` doc_events, the Issue save,
a billing run's progress) and at every migrate; a step once done stays done, and once all are the check
costs one cache read."""

from __future__ import annotations

import frappe

ONBOARDING = "Support Contracts"
DONE_KEY = "support_contracts:onboarding_done"


def _tier_with_targets() -> bool:
	return bool(frappe.db.exists("Support Tier Target", {"parenttype": "Support Tier"}))


# step → (the doctype whose save may complete it, whether what it asks exists)
STEPS = {
	"Set Up a Support Calendar": (
		"Support Calendar",
		lambda: bool(frappe.db.get_value("Support Calendar", {})),
	),
	"Create a Support Tier": ("Support Tier", _tier_with_targets),
	"Create a Support Contract": (
		"Support Contract",
		lambda: bool(frappe.db.exists("Support Contract", {"status": "Active"})),
	),
	"Open a Governed Issue": (
		"Issue",
		lambda: bool(frappe.db.exists("Issue", {"sc_support_contract": ("is", "set")})),
	),
	"Run the First Billing Run": (
		"Support Billing Run",
		lambda: bool(
			frappe.db.exists(
				"Support Billing Run", {"status": ("in", ("Completed", "Completed with Errors"))}
			)
		),
	),
}


def mark_done(doc=None, method=None, doctype: str | None = None) -> None:
	"""Mark done each step not yet done whose thing now exists — the steps of ``doc``'s doctype (or
	``doctype``), or all of them when neither is given (at migrate)."""
	if frappe.cache.get_value(DONE_KEY):
		return
	doctype = doctype or (doc.doctype if doc is not None else None)
	pending = frappe.get_all(
		"Onboarding Step", filters={"name": ("in", list(STEPS)), "is_complete": 0}, pluck="name"
	)
	for step in pending:
		step_doctype, done = STEPS[step]
		if (doctype is None or doctype == step_doctype) and done():
			frappe.db.set_value("Onboarding Step", step, "is_complete", 1, update_modified=False)
	if pending and all(frappe.db.get_value("Onboarding Step", s, "is_complete") for s in STEPS):
		frappe.db.set_value("Module Onboarding", ONBOARDING, "is_complete", 1, update_modified=False)
	if not frappe.db.exists("Onboarding Step", {"name": ("in", list(STEPS)), "is_complete": 0}):
		frappe.cache.set_value(DONE_KEY, 1)


def forget_done() -> None:
	"""At migrate: a step reset since (Module Onboarding › Reset) is looked at again."""
	frappe.cache.delete_value(DONE_KEY)
