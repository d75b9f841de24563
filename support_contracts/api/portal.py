"""The customer portal's methods (a customer's contacts, docs/portal.md): what the contract promises for a
ticket reported now, a ticket reported, a reply, the client's sign-off of a fix. Each acts only for the
user's own customers (``adapters/access.py``)."""

from __future__ import annotations

import frappe

from support_contracts.adapters import portal


@frappe.whitelist(methods=["POST"])
def promise_for(priority: str | None = None, customer: str | None = None, rollback: int = 0) -> dict:
	"""What the contract promises for a ticket reported now (shown before anything is created)."""
	return portal.promise_for(priority, customer, rollback)


@frappe.whitelist(methods=["POST"])
def report_incident(
	subject: str | None = None,
	description: str | None = None,
	priority: str | None = None,
	customer: str | None = None,
	error_category: str | None = None,
	rollback: int = 0,
	confirm_fee: int = 0,
) -> dict:
	"""A contact opens a ticket for one of their customers (Portal Tickets per Hour at most)."""
	return portal.report_incident(
		subject, description, priority, customer, error_category, rollback, confirm_fee
	)


@frappe.whitelist(methods=["POST"])
def reply(issue: str | None = None, message: str | None = None) -> dict:
	"""A contact answers on their ticket, as an incoming e-mail would."""
	return portal.reply(issue, message)


@frappe.whitelist(methods=["POST"])
def rate(issue: str | None = None, rating=None, comment: str | None = None) -> dict:
	"""A contact rates a resolved ticket of theirs, 1 to 5 with a comment, once."""
	return portal.rate(issue, rating, comment)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def rate_by_link(
	ticket: str | None = None, token: str | None = None, rating=None, comment: str | None = None
):
	"""Rate a resolved ticket from the resolution e-mail's link, without logging in: once, until it expires."""
	return portal.rate_by_link(ticket, token, rating, comment)


@frappe.whitelist(methods=["POST"])
def decide_overage(issue: str | None = None, approved=None) -> dict:
	"""A contact approves (1) or declines (0) their ticket's work beyond the hour bank, once."""
	return portal.decide_overage(issue, approved)


@frappe.whitelist(methods=["POST"])
def sign_off(issue: str | None = None, approved: int = 0, message: str | None = None) -> dict:
	"""The client approves a fix that awaits their sign-off, or says what is still wrong."""
	return portal.sign_off(issue, approved, message)
