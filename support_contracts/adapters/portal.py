"""The customer's self-service portal: what a customer's contact may see and do (docs/portal.md).

Who is who: a website user whose Contact links to one or more Customers (as ERPNext's own portal reads
it) acts for those customers and no others. Every read and every action here starts from
:func:`customers_of` — pages, the whitelisted methods of :mod:`support_contracts.portal` and
``has_website_permission`` alike — and a document of another customer answers as if it did not exist.

What the portal shows is read from the same places the Desk reads: the contract and its tier (the
engine's policy and calendars, :mod:`.firm`), the Issue's SLA ledger replayed by the engine
(:func:`.issue.clock_report`), the hour bank ledger the invoicing run writes. Nothing is computed twice:
coverage, target and term texts come from the engine, translated phrase by phrase with ``_``.
"""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

from babel.numbers import format_currency

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, escape_html, format_datetime, get_system_timezone, strip_html
from frappe.utils.html_utils import sanitize_html

from support_contracts.adapters import firm
from support_contracts.adapters.issue import active_contract, clock_report, on_call_fee
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import aware, naive, now, today
from support_contracts.adapters.validation import typed_text
from support_contracts.engine.calendar import describe_coverage
from support_contracts.engine.durations import fmt_duration
from support_contracts.engine.rating import term_end
from support_contracts.engine.sla import (
	BREACHED,
	MET,
	METRIC_LABELS,
	METRICS,
	NO_TARGET,
	PAUSED,
	ROLLBACK,
	WAIVED,
	next_due,
)

SHOWN_STATUSES = ("Active", "Expired", "Terminated")  # a Draft contract is not the customer's yet
SSA_L = ("Critical", "Serious", "Minor")  # the error categories of SSA-L tiers (docs/rules.md E)
CLOSED = ("Resolved", "Closed")


# ---------------------------------------------------------------- who the user acts for
def customers_of(user: str | None = None) -> list[str]:
	"""The Customers the user acts for, as staff recorded it: those that list the user under Customer ›
	Portal Users (ERPNext 15's invoices and orders), and those that a Contact of the user links to (ERPNext's
	Issues) — counting only Contacts and link rows a Desk user wrote. A website user may create Contacts and
	link rows themselves (Frappe gives every user that), so what they wrote never makes them a customer's
	contact. None for a guest."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return []
	contact, link, usr = (
		frappe.qb.DocType("Contact"),
		frappe.qb.DocType("Dynamic Link"),
		frappe.qb.DocType("User"),
	)
	contact_owner, link_owner = usr.as_("contact_owner"), usr.as_("link_owner")
	linked = (
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.join(contact_owner)
		.on(contact_owner.name == contact.owner)
		.join(link_owner)
		.on(link_owner.name == link.owner)
		.select(link.link_name)
		.where(contact.user == user)
		.where(link.link_doctype == "Customer")
		.where(contact_owner.user_type == "System User")
		.where(link_owner.user_type == "System User")
		.run(pluck=True)
	)
	listed = frappe.get_all(
		"Portal User",
		filters={"parenttype": "Customer", "user": user},
		pluck="parent",
		ignore_permissions=True,
	)
	return sorted(set(linked) | set(listed))


def require_login() -> list[str]:
	"""The user's customers; a guest is sent to log in (403, as Frappe's own portal pages do)."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see your support."), frappe.PermissionError)
	return customers_of()


def not_found(doctype: str, name) -> None:
	"""Another customer's document answers as one that does not exist: its name tells nothing."""
	frappe.throw(_("{0} {1} not found").format(_(doctype), escape_html(str(name))), frappe.DoesNotExistError)


def own_contract(name: str):
	customers = require_login()
	if not isinstance(name, str):
		not_found("Support Contract", name)
	doc = frappe.db.exists("Support Contract", name) and frappe.get_doc("Support Contract", name)
	if not doc or doc.customer not in customers or doc.status not in SHOWN_STATUSES:
		not_found("Support Contract", name)
	return doc


def own_issue(name: str):
	customers = require_login()
	if not isinstance(name, str):
		not_found("Issue", name)
	doc = frappe.db.exists("Issue", name) and frappe.get_doc("Issue", name)
	if not doc or doc.customer not in customers:
		not_found("Issue", name)
	return doc


def own_customer(customer: str | None) -> str:
	"""The customer a contact acts for: the one named, if it is theirs; their only one if none is named."""
	customers = require_login()
	if not customer and len(customers) == 1:
		return customers[0]
	if customer not in customers:
		frappe.throw(
			_("{0}: choose one of your customers.").format(frappe.bold(_("Customer"))), frappe.ValidationError
		)
	return customer


def has_website_permission(doc, ptype, user, verbose=False) -> bool:
	"""``has_website_permission`` of Support Contract: read, for the contacts of its customer."""
	return ptype == "read" and doc.status in SHOWN_STATUSES and doc.customer in customers_of(user)


# ---------------------------------------------------------------- how times and money read
def user_tz() -> ZoneInfo:
	"""The user's own time zone (User › Time Zone), else the system's."""
	tz = frappe.db.get_value("User", frappe.session.user, "time_zone") if frappe.session.user else None
	return ZoneInfo(tz or get_system_timezone())


def when(t: dt.datetime | None) -> str:
	"""An instant as the user reads it: their time zone, their language ("mån 22 juni 09:00")."""
	if t is None:
		return ""
	return format_datetime(t.astimezone(user_tz()).replace(tzinfo=None), "EEE d MMM yyyy HH:mm")


def money(amount, currency: str) -> str:
	"""An amount in the user's language's format ("2 500,00 kr")."""
	return format_currency(amount or 0, currency, locale=(frappe.local.lang or "en").replace("-", "_"))


def hours(minutes: int) -> str:
	return fmt_duration(int(minutes) * 60, "hours")


# ---------------------------------------------------------------- a ticket's clock, in words
def clock_view(issue, report) -> dict | None:
	"""What an Issue's clock is doing, for the customer and the agent: the next due target and each
	target's state ("Action start due Mon 22 Jun 09:00 — 2 h of business time left"; "paused: waiting
	for your reply"; after resolution, met or missed)."""
	if report is None:
		return None
	targets = []
	for metric in METRICS:
		m = report.metrics[metric]
		if m.status == NO_TARGET or (m.due is None and m.elapsed_fraction is None and m.status != WAIVED):
			continue  # no target for this metric (one met without a target is no promise kept)
		label = _(METRIC_LABELS[metric])
		if m.status == WAIVED:
			state = _("does not apply: the fault lies outside our area")
		elif m.status == MET:
			state = _("met {0}").format(when(m.met_at))
		elif m.met_at is not None:  # met after its due time
			state = _("missed: due {0}, done {1}").format(when(m.due), when(m.met_at))
		elif m.status == PAUSED:
			state = _("paused, {0} left").format(fmt_duration(m.remaining, "words"))
		elif m.status == BREACHED:
			state = _("overdue since {0}").format(when(m.due))
		else:
			state = _("due {0}").format(when(m.due))
		targets.append(
			{"metric": metric, "label": label, "status": m.status, "due": when(m.due), "state": state}
		)
	nxt = next_due(report)
	if nxt is None:
		headline = _("All targets met") if all(t["status"] == MET for t in targets) else _("Resolved")
	elif nxt.status == PAUSED:
		if issue.get("sc_signoff_state") == "Awaiting Sign-off":
			why = _("waiting for your approval of the fix")
		else:
			why = _("waiting for your reply") if issue.status == "Replied" else _("on hold")
		headline = _("{0}: paused ({1}), {2} left").format(
			_(METRIC_LABELS[nxt.metric]), why, fmt_duration(nxt.remaining, "words")
		)
	elif nxt.status == BREACHED:
		headline = _("{0} was due {1}: overdue").format(_(METRIC_LABELS[nxt.metric]), when(nxt.due))
	else:
		target = firm.policy(issue.sc_support_tier).target(report.priority, nxt.metric)
		kind = _("business time") if target.kind in ("business", "business_days") else _("time")
		headline = _("{0} due {1} — {2} of {3} left").format(
			_(METRIC_LABELS[nxt.metric]), when(nxt.due), fmt_duration(nxt.remaining, "words"), kind
		)
	return {"headline": headline, "status": nxt.status if nxt else MET, "targets": targets}


# ---------------------------------------------------------------- the contract page
def contract_view(doc) -> dict:
	tier_doc = frappe.get_cached_doc("Support Tier", doc.tier)
	policy = firm.policy(doc.tier)
	tier = firm.rating_tier(doc.tier)
	day = today()
	renews = term_end(doc.start_date, cint(tier_doc.term_months), max(day, doc.start_date), doc.end_date)
	priorities = {
		p.name: p.description for p in frappe.get_all("Issue Priority", fields=["name", "description"])
	}
	targets = []
	for prio in policy.priorities:
		rows = [
			{"label": _(METRIC_LABELS[m]), "text": policy.target(prio, m).describe(_)}
			for m in METRICS
			if policy.target(prio, m).kind != "none"
		]
		if prio == ROLLBACK:
			name, meaning = (
				_("Rollback"),
				_(
					"Roll back an approved release (handled as P3, started within the contract's rollback time)"
				),
			)
		else:
			name, meaning = prio, _(priorities.get(prio) or "")
		targets.append({"priority": name, "meaning": meaning, "targets": rows})
	on_call = None
	if doc.on_call and doc.on_call_calendar:
		on_call = {
			"window": describe_coverage(firm.calendar(doc.on_call_calendar).spec, _),
			"fee": money(tier_doc.incident_fee, tier_doc.currency) if tier_doc.has_incident_model else None,
			"included": hours(tier_doc.incident_included_minutes or 0)
			if tier_doc.has_incident_model
			else None,
		}
	return {
		"doc": doc,
		"tier_title": tier.title or doc.tier,
		"tier_description": tier_doc.description,
		"renewal": _(doc.renewal or tier_doc.renewal or ""),
		"renews_on": renews,
		"coverage": describe_coverage(firm.calendar(tier_doc.business_calendar).spec, _),
		"targets": targets,
		"on_call": on_call,
		"callers": [{"name": c.full_name or c.contact, "phone": c.phone} for c in doc.authorised_callers],
		"maintenance": [
			{"start": when(aware(w.start)), "end": when(aware(w.end)), "what": w.description or ""}
			for w in frappe.get_all(
				"Maintenance Window",
				filters={"support_contract": doc.name, "end": (">=", naive(now()))},
				fields=["start", "end", "description"],
				order_by="start asc",
			)
		],
		"instructions": sanitize_html(doc.proactive_instructions or ""),
		"bank": hour_bank(doc, tier),
		"invoices": invoices(doc),
		# ERPNext's /invoices shows a customer's invoices to its Portal Users only
		"invoice_links": bool(
			frappe.db.exists(
				"Portal User", {"parenttype": "Customer", "parent": doc.customer, "user": frappe.session.user}
			)
		),
	}


def invoices(doc, limit: int = 24) -> list[dict]:
	"""The contract's submitted invoices, newest first, each line with its explanation in full (ERPNext's
	own /invoices page cuts a line's description at 140 characters)."""
	rows = frappe.get_all(
		"Sales Invoice",
		filters={"sc_support_contract": doc.name, "docstatus": 1, "customer": doc.customer},
		fields=["name", "posting_date", "sc_billing_period", "grand_total", "currency", "status"],
		order_by="posting_date desc, name desc",
		limit=limit,
	)
	if not rows:
		return []
	lines = frappe.get_all(
		"Sales Invoice Item",
		filters={"parenttype": "Sales Invoice", "parent": ("in", [r.name for r in rows])},
		fields=["parent", "idx", "item_name", "qty", "uom", "amount", "description"],
		order_by="parent, idx",
	)
	for r in rows:
		r.total = money(r.grand_total, r.currency)
		r.status_label = _(r.status)
		r.lines = [
			{
				"item": line.item_name,
				"qty": f"{frappe.utils.flt(line.qty, 3):g} {_(line.uom or '')}".strip(),
				"amount": money(line.amount, r.currency),
				"explanation": sanitize_html(line.description or ""),
			}
			for line in lines
			if line.parent == r.name
		]
	return rows


def hour_bank(doc, tier) -> dict | None:
	"""The contract's hour bank as the invoicing run recorded it (Hour Bank Ledger Entry): this period's
	allocation, used and left with the work that used it, and each earlier period."""
	bank = tier.hour_bank
	if bank is None:
		return None
	rows = frappe.get_all(
		"Hour Bank Ledger Entry",
		filters={"support_contract": doc.name, "is_cancelled": 0},
		fields=[
			"period",
			"entry_type",
			"minutes",
			"posting_date",
			"issue",
			"work_kind",
			"worked_at",
			"billing_month",
		],
		order_by="worked_at asc, creation asc",
	)
	day = today()
	_first, last, current = bank.period_of(day.year, day.month)
	periods: dict[str, dict] = {}
	for r in rows:
		p = periods.setdefault(
			r.period,
			{"period": r.period, "allocated": 0, "carried": 0, "used": 0, "expired": 0, "entries": []},
		)
		key = {"Allocation": "allocated", "Carry Over": "carried", "Consumption": "used", "Expiry": "expired"}
		p[key[r.entry_type]] += abs(int(r.minutes))
		if r.entry_type == "Consumption":
			p["entries"].append(
				{
					"date": when(aware(r.worked_at)) if r.worked_at else r.billing_month,
					"issue": r.issue,
					"kind": _(r.work_kind) if r.work_kind else _("billed work"),
					"minutes": hours(-int(r.minutes) if int(r.minutes) < 0 else int(r.minutes)),
				}
			)
	for p in periods.values():
		p["left"] = p["allocated"] + p["carried"] - p["used"] - p["expired"]
		for k in ("allocated", "carried", "used", "expired", "left"):
			p[k + "_text"] = hours(p[k])
	this = periods.get(current)
	return {
		"per_period": _("{0} per {1}").format(hours(bank.minutes), _(bank.period)),
		"current": current,
		"expires": None if bank.carry_over else last,
		"carry_over": bank.carry_over,
		"this": this,
		"allocation_text": hours(bank.minutes),
		"periods": [p for k, p in sorted(periods.items(), reverse=True) if k != current],
	}


# ---------------------------------------------------------------- tickets
TICKET_FIELDS = [
	"name",
	"subject",
	"status",
	"priority",
	"customer",
	"opening_date",
	"opening_time",
	"sc_support_contract",
	"sc_support_tier",
	"sc_sla_status",
	"modified",
]


def tickets(customers: list[str], open_only: bool = False, limit: int = 100) -> list[dict]:
	"""The customers' Issues, newest first, each open governed one with its clock in words."""
	if not customers:
		return []
	filters = {"customer": ("in", customers)}
	if open_only:
		filters["status"] = ("not in", CLOSED)
	rows = frappe.get_all(
		"Issue",
		filters=filters,
		fields=TICKET_FIELDS,
		order_by="opening_date desc, opening_time desc, creation desc",
		limit=limit,
	)
	for r in rows:
		r.clock = clock_view(r, clock_report(r)) if r.status not in CLOSED else None
		r.status_label = _(r.status)
		r.subject = subject_text(r.subject)
	return rows


def subject_text(subject: str | None) -> str:
	"""A ticket's subject as text (Frappe stores "&" as "&amp;"): the pages escape it once when shown."""
	return html.unescape(strip_html(subject or ""))


def messages(issue) -> list[dict]:
	"""The ticket's conversation: e-mails and portal replies, never internal comments."""
	rows = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Issue",
			"reference_name": issue.name,
			"communication_type": "Communication",
		},
		fields=["name", "sender_full_name", "sender", "communication_date", "content", "sent_or_received"],
		order_by="communication_date asc, creation asc",
	)
	for r in rows:
		r.content = sanitize_html(r.content or "")
		r.when = when(aware(r.communication_date))
		r.from_us = r.sent_or_received == "Sent"
	return rows


# ---------------------------------------------------------------- reporting an incident
def form_options(customer: str) -> dict | None:
	"""What the new-ticket form offers a customer: the contract's priorities with their meaning, an error
	category for SSA-L tiers, a rollback request where the tier has one."""
	contract = active_contract(customer, today())
	if not contract:
		return None
	policy = firm.policy(contract.tier)
	meaning = {
		p.name: p.description for p in frappe.get_all("Issue Priority", fields=["name", "description"])
	}
	prios = [p for p in policy.priorities if p != ROLLBACK]
	return {
		"contract": contract.name,
		"priorities": [{"name": p, "label": _(p), "meaning": _(meaning.get(p) or "")} for p in prios],
		"error_category": set(prios) <= set(SSA_L),
		"rollback": ROLLBACK in policy.priorities,
	}


def promise(customer: str, priority: str, rollback: bool) -> dict:
	"""What a ticket reported now would be promised: the due time of each target, and inside the on-call
	window the Incident Fee the call-in costs (docs/rules.md A6)."""
	options = form_options(customer)
	if options is None:
		frappe.throw(
			_("{0} has no active support contract: there is no service level to promise.").format(
				frappe.bold(customer)
			)
		)
	names = [p["name"] for p in options["priorities"]]
	if priority not in names:
		frappe.throw(
			_("{0}: choose one of {1}.").format(frappe.bold(_("Priority")), ", ".join(names)),
			frappe.ValidationError,
		)
	contract = active_contract(customer, today())
	policy = firm.policy(contract.tier)
	clock_prio = ROLLBACK if rollback and options["rollback"] else priority
	at = now()
	due = policy.due(clock_prio, at)
	fee = on_call_fee(contract, at)
	return {
		"contract": contract.name,
		"due": [
			{
				"label": _(METRIC_LABELS[m]),
				"due": when(due[m]),
				"target": policy.target(clock_prio, m).describe(_),
			}
			for m in METRICS
			if due[m] is not None
		],
		"on_call": fee is not None,
		"fee": money(fee["fee"], fee["currency"]) if fee and fee["fee"] else None,
		"fee_included": hours(fee["included_minutes"]) if fee and fee["included_minutes"] else None,
	}


# ---------------------------------------------------------------- what a contact may do (whitelisted)
REPORT_METHOD = "support_contracts.adapters.portal.report_incident"
REPLY_METHOD = "support_contracts.adapters.portal.reply"
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


@frappe.whitelist(methods=["POST"])
def promise_for(priority: str | None = None, customer: str | None = None, rollback: int = 0) -> dict:
	"""What the contract promises for a ticket reported now (the new-ticket form shows it before
	anything is created)."""
	return promise(own_customer(customer), priority, bool(cint(rollback)))


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
	frappe.flags.sc_portal_report = True  # the Issue adapter lets a contact open a governed ticket only here
	try:
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
	finally:
		frappe.flags.sc_portal_report = False
	report = clock_report(issue)
	return {
		"name": issue.name,
		"route": f"/support/tickets/{issue.name}",
		"clock": clock_view(issue, report),
		"fee": promised["fee"] if issue.sc_on_call else None,
	}


@frappe.whitelist(methods=["POST"])
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


SIGNOFF_METHOD = "support_contracts.adapters.portal.sign_off"


@frappe.whitelist(methods=["POST"])
def sign_off(issue: str | None = None, approved: int = 0, message: str | None = None) -> dict:
	"""The client approves a fix that awaits their sign-off (docs/rules.md C2), or says it is not fixed —
	with what is still wrong, which is added to the ticket as their message. Only a contact of the
	ticket's customer; only while the fix awaits sign-off."""
	from support_contracts.adapters.issue import approval
	from support_contracts.adapters.issue import sign_off as record

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
