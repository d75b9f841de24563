"""What a customer's contact does on the portal (docs/portal.md): see what the contract promises for a ticket
reported now, report an incident (confirming an on-call fee), reply on a ticket, sign off a fix, rate a
ticket, approve or decline its work beyond the hour bank — each for their own customers only, each
counted under Frappe's ``rate_limit`` per user. The whitelisted methods are
``support_contracts.api.portal``'s."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, escape_html, strip_html

from support_contracts.adapters import rating_links
from support_contracts.adapters.access import own_customer, own_issue, users_with_role
from support_contracts.adapters.billing.inputs import APPROVED, AWAITING, DECLINED
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
	rating, comment = _checked_verdict(doc, rating, comment)
	user = frappe.session.user
	email = frappe.db.get_value("User", user, "email")
	return _limited(RATE_METHOD, REPLIES_PER_HOUR, lambda: _rate(doc, rating, comment, user, email))


RATE_BY_LINK_METHOD = "support_contracts.api.portal.rate_by_link"
LINK_RATINGS_PER_HOUR = 20  # per address: a guest has nothing else to be counted by


def rate_by_link(
	ticket: str | None = None, token: str | None = None, rating=None, comment: str | None = None
):
	"""The same verdict from the resolution e-mail's link, without logging in (``adapters/rating_links``):
	the link's secret must be the ticket's, unused and unexpired; it is used up by the rating. A link
	that is not good answers alike whatever is wrong with it, naming nothing of the ticket."""
	frappe.form_dict.cmd = RATE_BY_LINK_METHOD
	return rate_limit(limit=LINK_RATINGS_PER_HOUR, seconds=3600)(_rate_by_link)(
		ticket, token, rating, comment
	)


def _rate_by_link(ticket, token, rating, comment) -> dict:
	doc = rating_links.ticket_of_link(ticket, token, lock=True)  # two clicks at once: one rating
	if doc is None:
		frappe.throw(
			_(
				"This rating link does not work: it was used already, or it has expired. Log in to the support portal to see your ticket."
			),
			frappe.PermissionError,
		)
	rating, comment = _checked_verdict(doc, rating, comment)
	email = doc.raised_by or (doc.contact and frappe.db.get_value("Contact", doc.contact, "email_id"))
	user = email and frappe.db.get_value("User", {"email": email, "enabled": 1}, "name")
	return _rate(doc, rating, comment, user, email)


def _checked_verdict(doc, rating, comment) -> tuple[int, str]:
	"""The rating and comment as given, checked: 1 to 5, a comment of at most 2,000 characters, a resolved
	ticket not rated yet — else refused, naming the field or the ticket, and nothing is stored."""
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
	return rating, comment


def _rate(doc, rating: int, comment: str, user: str | None, email: str | None) -> dict:
	# the Issue's row locked: of two ratings at the same moment, the second finds the first
	if frappe.db.get_value("Issue", doc.name, "sc_rating", for_update=True):
		frappe.throw(_("Ticket {0} is rated already.").format(doc.name), frappe.ValidationError)
	comment = strip_html(comment or "").strip()
	frappe.db.set_value(
		"Issue",
		doc.name,
		{
			"sc_rating": rating,
			# the customer's words as text: escaped, so that no reader of the field runs them as HTML
			"sc_rating_comment": escape_html(comment) or None,
			"sc_rated_at": naive(now()),
			"sc_rated_by": user,
			"sc_rated_by_email": email,
			"sc_rating_token": None,  # a rating link is used up by any rating
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


OVERAGE_METHOD = "support_contracts.api.portal.decide_overage"


def decide_overage(issue: str | None = None, approved=None) -> dict:
	"""The customer approves (1) or declines (0) a ticket's work beyond the hour bank, where the tier asks
	for it (docs/rules.md F2): once, by a contact of its customer, while the ticket awaits the decision.
	Who and when are kept on the ticket; approved overage is billed by the next run, declined overage is
	not billed, and the ticket's agents (its open assignments; else the Support Managers) are told."""
	doc = own_issue(issue)
	word = str(approved).strip().lower()
	if word not in ("0", "1", "true", "false"):
		frappe.throw(
			_("{0} must be 1 (approve) or 0 (decline), not {1}.").format(
				frappe.bold(_("Approved")), frappe.bold(escape_html(str(approved)[:40]))
			),
			frappe.ValidationError,
		)
	if doc.sc_overage_decision != AWAITING:
		frappe.throw(
			_("Ticket {0} has no work beyond the hour bank that awaits your approval.").format(doc.name),
			frappe.ValidationError,
		)
	decision = APPROVED if word in ("1", "true") else DECLINED
	return _limited(OVERAGE_METHOD, REPLIES_PER_HOUR, lambda: _decide(doc, decision))


def _decide(doc, decision: str) -> dict:
	# the Issue's row locked: of two answers at the same moment, the second finds the first's
	now_ = frappe.db.get_value(
		"Issue", doc.name, ["sc_overage_decision", "sc_overage_minutes"], as_dict=True, for_update=True
	)
	if now_.sc_overage_decision != AWAITING:
		frappe.throw(
			_("Ticket {0} has no work beyond the hour bank that awaits your approval.").format(doc.name),
			frappe.ValidationError,
		)
	frappe.db.set_value(
		"Issue",
		doc.name,
		{
			"sc_overage_decision": decision,
			"sc_overage_decided_by": frappe.session.user,
			"sc_overage_decided_at": naive(now()),
			# what was decided: more overage on the ticket asks again (billing/bank_warnings.mark_overage)
			"sc_overage_decided_minutes": now_.sc_overage_minutes,
		},
		update_modified=False,
	)
	if decision == DECLINED:
		agents = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Issue", "reference_name": doc.name, "status": "Open"},
			pluck="allocated_to",
		) or users_with_role(SUPPORT_MANAGER)
		subject = _("{0} declined the work beyond the hour bank on ticket {1}: it is not billed.").format(
			doc.customer, doc.name
		)
		for agent in sorted(set(agents)):
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"for_user": agent,
					"type": "Alert",
					"document_type": "Issue",
					"document_name": doc.name,
					"subject": escape_html(subject),
					"from_user": frappe.session.user,
				}
			).insert(ignore_permissions=True)
	return {"decision": decision}
