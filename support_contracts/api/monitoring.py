"""A customer's monitoring system opens Issues (docs/rules.md A4, the payload in docs/formats.md): a token
per contract, shown once; an alert opens its Issue once, at most so many a minute per contract and
calling address."""

from __future__ import annotations

import frappe

from support_contracts.adapters import monitoring


@frappe.whitelist(methods=["POST"])
def new_token(contract: str) -> str:
	"""A new monitoring token for the contract, returned once (write permission on the contract)."""
	return monitoring.new_token(contract)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def alert(**kwargs) -> dict:
	"""Open (once) the Issue of a monitoring alert; the token in the request names the contract."""
	return monitoring.alert(**kwargs)
