"""Whom a contract's news goes to, and in which language (docs/rules.md F2, F3, F4): a user's own, else their
customer's print language (Customer › Print Language), else the site's."""

from __future__ import annotations

from collections import defaultdict

import frappe


def site_language() -> str:
	return frappe.db.get_single_value("System Settings", "language") or "en"


def customer_language(customer: str | None) -> str:
	return (customer and frappe.db.get_value("Customer", customer, "language")) or site_language()


def user_language(user: str | None) -> str | None:
	return frappe.db.get_value("User", user, "language") if user else None


def language_of(user: str | None, customer: str | None = None) -> str:
	"""A user's language, else their customer's, else the site's."""
	return user_language(user) or customer_language(customer)


def contract_recipients(contract) -> dict[str, list[str]]:
	"""The addresses to tell, by language: the authorised callers' Contacts' and the account manager's."""
	out: dict[str, set[str]] = defaultdict(set)
	contacts = [row.contact for row in contract.authorised_callers if row.contact]
	for c in frappe.get_all(
		"Contact", filters={"name": ("in", contacts or [""])}, fields=["email_id", "user"]
	):
		if c.email_id:
			out[language_of(c.user, contract.customer)].add(c.email_id)
	manager = frappe.db.get_value("Customer", contract.customer, "account_manager")
	email = manager and frappe.db.get_value("User", manager, "email")
	if email:
		out[user_language(manager) or site_language()].add(email)
	return {lang: sorted(emails) for lang, emails in sorted(out.items())}


def queue_mail(**kwargs) -> bool:
	"""``frappe.sendmail``, queued — never in the way of the save that asks for it: a site without an
	outgoing e-mail account logs why (Error Log) and the save goes on. Whether it was queued."""
	try:
		frappe.sendmail(delayed=True, **kwargs)
	except frappe.OutgoingEmailError:
		frappe.log_error(
			title="support_contracts: mail not queued",
			message=f"No outgoing e-mail account: {kwargs.get('subject')} to {kwargs.get('recipients')}",
		)
		return False
	return True
