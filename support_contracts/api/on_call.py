"""The on-call rota (docs/rules.md C): who is on call now, for a phone switch; an engineer's jour weeks as a
calendar feed a phone subscribes to."""

from __future__ import annotations

import frappe

from support_contracts.adapters import on_call


@frappe.whitelist()
def who_is_on_call(rota: str | None = None, at: str | None = None) -> list[dict]:
	"""The engineers on call at ``at`` (default now), Primary first, with the phone the jour number
	forwards to."""
	return on_call.who_is_on_call(rota, at)


@frappe.whitelist(methods=["POST"])
def feed_url(employee: str) -> str:
	"""The URL of an employee's on-call calendar feed (made on first ask; POST: it stores the token)."""
	return on_call.feed_url(employee)


@frappe.whitelist(allow_guest=True, methods=["GET"])
def feed(token: str | None = None) -> None:
	"""An employee's jour weeks as iCalendar; the token is the only key."""
	return on_call.feed(token)
