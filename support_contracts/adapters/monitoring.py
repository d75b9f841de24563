"""Monitoring (docs/rules.md A4): an alert from the customer's monitoring opens an Issue under their contract
— an on-call Issue inside the contract's on-call window, with its labels and Incident Fee as any call-in.

The monitoring system calls ``POST /api/method/support_contracts.adapters.monitoring.alert`` with the
contract's token in the ``X-Monitoring-Token`` header (not ``Authorization``: Frappe reads that header as
its own credentials and refuses the call before it gets here) and a JSON body (docs/formats.md › Monitoring alerts)::

        {
            "alert_id": "nr-81723",
            "unit": "web-01",
            "summary": "HTTP 500 on /checkout",
            "details": "error rate 38 % for 5 min",
            "priority": "P1",
        }

``alert_id`` makes the call idempotent: the same id again answers with the Issue it opened. The token is
made on the contract (``new_token``, shown once) and kept only as its SHA-256 hash; a wrong or missing
token, or a contract that is not in force today (not active, not started, or ended), is refused alike. At most
120 alerts a minute per contract and calling address (the socket's, not ``X-Forwarded-For``; wrong tokens
count together per address).
"""

from __future__ import annotations

import hashlib
import secrets

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import getdate

from support_contracts.adapters.issue import active_contract
from support_contracts.adapters.issue.fields import MONITORING, opened_by
from support_contracts.adapters.times import naive, now
from support_contracts.adapters.validation import typed_text

ALERTS_PER_MINUTE = 120
LONGEST = {"alert_id": 100, "unit": 100, "summary": 120, "details": 20000, "priority": 140}
PLAIN = ("alert_id", "unit", "summary", "priority")


def token_hash(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def new_token(contract: str) -> str:
	"""A new monitoring token for the contract, returned once (only its hash is kept; the old one stops
	working). Write permission on the contract is checked."""
	doc = frappe.get_doc("Support Contract", contract)
	doc.check_permission("write")
	token = secrets.token_urlsafe(32)
	doc.db_set("monitoring_token_hash", token_hash(token))
	doc.add_comment("Info", _("A new monitoring token was made; the old one no longer works."))
	return token


def _token() -> str:
	headers = frappe.request.headers if frappe.request else {}
	return (headers.get("X-Monitoring-Token") or "").strip()


def _field(data: dict, key: str, required: bool = True) -> str | None:
	value = data.get(key)
	if value in (None, ""):
		if required:
			frappe.throw(_("{0} is required.").format(frappe.bold(key)), frappe.ValidationError)
		return None
	if isinstance(value, int) and not isinstance(value, bool):
		value = str(value)  # a numeric id
	# what becomes the subject is plain text (no markup, no direction overrides), as the portal's subjects
	return typed_text(key, value, LONGEST[key], plain=key in PLAIN, required=required) or None


def _remote_addr() -> str:
	"""The address the request came from as the server's socket saw it (``REMOTE_ADDR``) — never the
	client's own ``X-Forwarded-For``, from which Frappe takes ``request_ip``: that header is whatever the
	caller writes. Behind a reverse proxy this is the proxy's address."""
	return (frappe.request.remote_addr if frappe.request else None) or "-"


def _contract(token: str):
	if not token:
		return None
	return frappe.db.get_value(
		"Support Contract",
		{"monitoring_token_hash": token_hash(token), "status": "Active"},
		["name", "customer", "tier"],
		as_dict=True,
	)


def alert(**kwargs) -> dict:
	"""Open (once) the Issue of a monitoring alert; see the module doc for the call. At most
	``ALERTS_PER_MINUTE`` a minute are taken per contract and calling address (Frappe's ``rate_limit``,
	keyed on what a caller cannot choose: the contract its token names and the socket's address), so
	neither a rotated ``X-Forwarded-For`` escapes the limit nor a flood with a forged one — or with a wrong
	token, which all count together per address — uses up a genuine contract's alerts."""
	contract = _contract(_token())
	frappe.form_dict.cmd = "support_contracts.api.monitoring.alert"  # one counter on v1, v2 and the old path
	frappe.form_dict.sc_monitoring_caller = (
		f"{contract.name if contract else '(no contract)'}|{_remote_addr()}"
	)
	limited = rate_limit(key="sc_monitoring_caller", limit=ALERTS_PER_MINUTE, seconds=60, ip_based=False)
	return limited(_alert)(contract)


def _alert(contract) -> dict:
	in_force = contract and active_contract(contract.customer, getdate(naive(now())))
	if not in_force or in_force.name != contract.name:
		frappe.throw(_("Unknown or inactive monitoring token."), frappe.AuthenticationError)
	data = frappe.form_dict
	alert_id = _field(data, "alert_id")
	unit = _field(data, "unit")
	summary = _field(data, "summary")
	details = _field(data, "details", required=False)
	priority = _field(data, "priority", required=False)
	if priority and not frappe.db.exists("Issue Priority", priority):
		frappe.throw(
			_("{0}: no Issue Priority {1}.").format(frappe.bold("priority"), priority), frappe.ValidationError
		)
	key = f"{contract.name}|{alert_id}"
	existing = frappe.db.get_value(
		"Issue", {"sc_monitoring_alert": key}, ["name", "sc_on_call"], as_dict=True
	)
	if existing:
		return {"issue": existing.name, "created": False, "on_call": bool(existing.sc_on_call)}
	opened = naive(now())
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": _("Monitoring: {0}: {1}").format(unit, summary),
			"description": frappe.utils.escape_html(details or summary).replace("\n", "<br>"),
			"customer": contract.customer,
			"priority": priority,
			"opening_date": opened.date(),
			"opening_time": opened.time(),
			"status": "Open",
		}
	)
	try:
		with opened_by(MONITORING, alert=key):  # the Issue adapter lets a monitoring alert open a ticket
			issue.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:  # the same alert, sent twice at once: the other call opened it
		frappe.db.rollback()
		frappe.clear_messages()  # Frappe's "must be unique" is not this call's answer
		existing = frappe.db.get_value(
			"Issue", {"sc_monitoring_alert": key}, ["name", "sc_on_call"], as_dict=True
		)
		return {"issue": existing.name, "created": False, "on_call": bool(existing.sc_on_call)}
	return {"issue": issue.name, "created": True, "on_call": bool(issue.sc_on_call)}
