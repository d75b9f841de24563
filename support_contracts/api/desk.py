"""The Desk's methods (agents, managers, HR): an Issue's clock in words, the support level raised by hand,
a proactive action logged, the client's sign-off recorded, a pay run's lines as CSV."""

from __future__ import annotations

import frappe
from frappe.utils.csvutils import build_csv_response

from support_contracts.adapters import issue as issues
from support_contracts.adapters import payroll
from support_contracts.adapters.issue.levels import written_instructions
from support_contracts.adapters.portal import clock_view


@frappe.whitelist()
def clock_summary(issue: str) -> dict | None:
	"""The next due target of an Issue and what its clock is doing, in words, for the top of the Issue form
	(read permission on the Issue is checked)."""
	doc = frappe.get_doc("Issue", issue)
	doc.check_permission("read")
	view = clock_view(doc, issues.clock_report(doc))
	return view and {**view, "issue": doc.name, "instructions": written_instructions(doc)}


@frappe.whitelist(methods=["POST"])
def escalate(issue: str, reason: str | None = None, to_level: str | None = None) -> str:
	"""Raise a governed Issue's support level by hand (docs/rules.md E5); returns the new level."""
	return issues.escalate(issue, reason, to_level)


@frappe.whitelist(methods=["POST"])
def log_proactive_action(issue: str, action: str | None = None) -> str:
	"""Log an action taken under the contract's written instructions (docs/rules.md A5); returns the
	comment's name."""
	return issues.log_proactive_action(issue, action)


@frappe.whitelist(methods=["POST"])
def record_signoff(issue: str, approved: int | str | bool, note: str | None = None) -> str:
	"""Record the client's answer to a fix (docs/rules.md C2); returns the sign-off state."""
	return issues.record_signoff(issue, approved, note)


@frappe.whitelist()
def export_pay_run_csv(run: str):
	"""Every line of an On-Call Pay Run's statements as CSV, for a payroll outside ERPNext."""
	frappe.get_doc("On-Call Pay Run", run).check_permission("read")
	build_csv_response(payroll.statements_csv_rows(run), f"on-call-pay-{run}")
