"""What a customer's contact does on the portal (docs/portal.md): see what the contract promises for a ticket
reported now, report an incident (confirming an on-call fee), reply on a ticket, sign off a fix — each for
their own customers only, each counted under Frappe's ``rate_limit`` per user. The whitelisted methods
are ``support_contracts.api.portal``'s."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, escape_html, strip_html

from support_contracts.adapters.access import own_customer, own_issue, users_with_role
from support_contracts.adapters.issue import approval, clock_report
from support_contracts.adapters.issue import sign_off as record
from support_contracts.adapters.issue.fields import PORTAL, opened_by
from support_contracts.adapters.portal.views import SSA_L, clock_view, form_options, promise
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import naive, now
from support_contracts.adapters.validation import typed_text
from support_contracts.engine.errors import EngineError
from support_contracts.engine.escalation import SUPPORT_MANAGER
from support_contracts.engine.verdict import COMMENT_LONGEST, RATED_STATUSES, check_rating, needs_follow_up

REPORT_METHOD = "support_contracts.api.portal.report_incident"


REPLY_METHOD = "support_contracts.api.portal.reply"
REPLIES_PER_HOUR = 60


def _tickets_per_hour() -> int:
	return cint(setting("portal_tickets_per_hour")) or 10**9  # 0: no limit


def _limited(method: str, limit, fn):
	"""Run ``fn`` under Frappe's ``rate_limit``, counted per user (never per IP or anything the request
	sends) and per method, the same counter on /api/method and /api/v2/method (Frappe keys its counter on
	``form_dict.cmd``, which only the first sets)."""
	frappe.form_dict.cmd = method
	frappe.form_dict.sc_portal_user = frappe.session.user
	return rate_limit(key="sc_portal_user", limit=limit, seconds=3600, ip_based=False)(fn)()


def promise_for(priority: str | None = None, customer: str | None = None, rollback: int = 0) -> dict:
	"""What the contract promises for a ticket reported now (the new-ticket form shows it before
	anything is created)."""
	return promise(own_customer(customer), priority, bool(cint(rollback)))


def report_incident(
	subject: str | None = None,
	description: str | None = None,
	priority: str | None = None,
	customer: str | None = None,
	error_category: str | None = None,
	rollback: int = 0,
	confirm_fee: int = 0,
) -> dict:
	"""A contact opens a ticket for one of their customers. Everything is checked first; only a ticket
	actually opened counts against Support Contract Settings › Portal Tickets per Hour (Frappe's
	``rate_limit``, per user). Inside the on-call window the Incident Fee must be confirmed."""
	customer = own_customer(customer)
	subject = typed_text(_("Subject"), subject, 140, plain=True)
	description = typed_text(_("Description"), description, 20000)
	options = form_options(customer)
	if options and options["error_category"]:
		if error_category not in SSA_L:
			frappe.throw(
				_("{0}: choose one of {1}.").format(frappe.bold(_("Error Category")), ", ".join(SSA_L)),
				frappe.ValidationError,
			)
		priority = error_category
	elif error_category:
		frappe.throw(
			_("{0}: your contract has no error categories; choose a priority.").format(
				frappe.bold(_("Error Category"))
			),
			frappe.ValidationError,
		)
	rollback = cint(rollback)
	if rollback and not (options and options["rollback"]):
		frappe.throw(
			_("{0}: your contract has no rollback service.").format(frappe.bold(_("Rollback Requested"))),
			frappe.ValidationError,
		)
	promised = promise(customer, priority, bool(rollback))
	if promised["fee"] and not cint(confirm_fee):
		frappe.throw(
			_(
				"{0}: outside office hours this call-in costs {1}. Confirm the fee to report the incident."
			).format(frappe.bold(_("Confirm Fee")), promised["fee"]),
			frappe.ValidationError,
		)
	return _limited(
		REPORT_METHOD,
		_tickets_per_hour,
		lambda: _open_ticket(customer, subject, description, priority, error_category, rollback, promised),
	)


def _open_ticket(customer, subject, description, priority, error_category, rollback, promised) -> dict:
	contact = frappe.db.get_value("Contact", {"user": frappe.session.user}, "name")
	opened = naive(now())  # the instant the promise was made for
	with opened_by(PORTAL):  # the Issue adapter lets a contact open a governed ticket only here
		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"opening_date": opened.date(),
				"opening_time": opened.time(),
				"subject": subject,
				"description": escape_html(description).replace("\n", "<br>"),
				"customer": customer,
				"raised_by": frappe.session.user,
				"contact": contact,
				"priority": priority,
				"status": "Open",
				"sc_error_category": error_category if error_category in SSA_L else None,
				"sc_rollback": 1 if rollback else 0,
			}
		).insert(ignore_permissions=True)
	report = clock_report(issue)
	return {
		"name": issue.name,
		"route": f"/support/tickets/{issue.name}",
		"clock": clock_view(issue, report),
		"fee": promised["fee"] if issue.sc_on_call else None,
	}


def reply(issue: str | None = None, message: str | None = None) -> dict:
	"""A contact answers on their ticket: an incoming message, as an e-mail would be — a clock paused on
	Replied resumes, a resolved ticket reopens (Frappe and the Issue adapter do both). A closed ticket, or
	one whose contract has ended, takes no reply: the contact opens a new one. At most 60 replies an hour."""
	doc = own_issue(issue)
	message = typed_text(_("Message"), message, 20000)
	if doc.status == "Closed":
		frappe.throw(
			_("Ticket {0} is closed: report a new incident instead.").format(doc.name), frappe.ValidationError
		)
	refuse_if_contract_ended(doc)
	return _limited(REPLY_METHOD, REPLIES_PER_HOUR, lambda: _add_reply(doc, message))


def refuse_if_contract_ended(doc) -> None:
	"""A ticket whose contract has ended takes no more word from the contact: its clock stays as it is."""
	if (
		doc.sc_support_contract
		and frappe.db.get_value("Support Contract", doc.sc_support_contract, "status") != "Active"
	):
		frappe.throw(
			_("The support contract of ticket {0} has ended: report a new incident instead.").format(
				doc.name
			),
			frappe.ValidationError,
		)


def _add_reply(doc, message: str) -> dict:
	user = frappe.get_cached_doc("User", frappe.session.user)
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"subject": _("Re: {0}").format(doc.subject),
			"content": escape_html(message).replace("\n", "<br>"),
			"sender": user.email,
			"sender_full_name": user.full_name,
			"reference_doctype": "Issue",
			"reference_name": doc.name,
			"status": "Linked",
		}
	).insert(ignore_permissions=True)
	doc = frappe.get_doc("Issue", doc.name)
	return {"status": doc.status, "clock": clock_view(doc, clock_report(doc))}


RATE_METHOD = "support_contracts.api.portal.rate"


def rate(issue: str | None = None, rating=None, comment: str | None = None) -> dict:
	"""The customer's verdict on a resolved ticket (docs/rules.md F4): 1 to 5 and a comment, once, by a
	contact of its customer; kept on the ticket for the agents, and a rating of 2 or less opens a
	follow-up for each Support Manager."""
	doc = own_issue(issue)
	try:
		rating = check_rating(rating)
	except EngineError:
		frappe.throw(
			_("{0} must be a whole number from 1 to 5 (got {1}).").format(
				frappe.bold(_("Rating")), escape_html(str(rating))
			),
			frappe.ValidationError,
		)
	comment = typed_text(_("Comment"), comment, COMMENT_LONGEST, required=False)
	if doc.status not in RATED_STATUSES:
		frappe.throw(
			_("Ticket {0} is not resolved yet: rate it once it is.").format(doc.name), frappe.ValidationError
		)
	if doc.sc_rating:
		frappe.throw(_("Ticket {0} is rated already.").format(doc.name), frappe.ValidationError)
	return _limited(RATE_METHOD, REPLIES_PER_HOUR, lambda: _rate(doc, rating, comment))


def _rate(doc, rating: int, comment: str) -> dict:
	user = frappe.session.user
	frappe.db.set_value(
		"Issue",
		doc.name,
		{
			"sc_rating": rating,
			"sc_rating_comment": strip_html(comment).strip() or None,
			"sc_rated_at": naive(now()),
			"sc_rated_by": user,
		},
		update_modified=False,
	)
	if needs_follow_up(rating):
		for manager in users_with_role(SUPPORT_MANAGER):
			frappe.get_doc(
				{
					"doctype": "ToDo",
					"allocated_to": manager,
					"reference_type": "Issue",
					"reference_name": doc.name,
					"priority": "High",
					"description": escape_html(
						_("Follow up: {0} rated ticket {1} {2} of 5. {3}").format(
							doc.customer, doc.name, rating, comment
						)
					),
				}
			).insert(ignore_permissions=True)
	return {"rating": rating}


SIGNOFF_METHOD = "support_contracts.api.portal.sign_off"


def sign_off(issue: str | None = None, approved: int = 0, message: str | None = None) -> dict:
	"""The client approves a fix that awaits their sign-off (docs/rules.md C2), or says it is not fixed —
	with what is still wrong, which is added to the ticket as their message. Only a contact of the
	ticket's customer; only while the fix awaits sign-off."""
	doc = own_issue(issue)
	approved = approval(approved)
	refuse_if_contract_ended(doc)
	if not approved:
		message = typed_text(_("What Is Still Wrong"), message, 20000)
	return _limited(
		SIGNOFF_METHOD,
		REPLIES_PER_HOUR,
		lambda: _sign_off(doc, approved, message, record),
	)


def _sign_off(doc, approved: bool, message: str | None, record) -> dict:
	state = record(doc.name, approved, frappe.session.user, strip_html(message or "").strip() or None)
	if message and not approved:
		_add_reply(doc, message)
	doc = frappe.get_doc("Issue", doc.name)
	return {"state": state, "status": doc.status, "clock": clock_view(doc, clock_report(doc))}
