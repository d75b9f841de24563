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
from frappe.utils import format_datetime, get_system_timezone, strip_html
from frappe.utils.html_utils import sanitize_html

from support_contracts.adapters import firm, prices, renewals
from support_contracts.adapters.billing.hour_bank import bank_now
from support_contracts.adapters.contracts import STATE_COLOR, current_term, logged_minutes
from support_contracts.adapters.issue import active_contract, clock_report, on_call_fee
from support_contracts.adapters.settings import setting
from support_contracts.adapters.tier_fit import fit
from support_contracts.adapters.times import aware, naive, now, today
from support_contracts.engine.coverage import describe_coverage
from support_contracts.engine.durations import fmt_duration
from support_contracts.engine.hour_bank import EXHAUSTED, OK, WARNING, bank_state
from support_contracts.engine.sla import BREACHED, MET, NO_TARGET, PAUSED, WAIVED, next_due
from support_contracts.engine.targets import METRIC_LABELS, METRICS, ROLLBACK

SSA_L = ("Critical", "Serious", "Minor")  # the error categories of SSA-L tiers (docs/rules.md E)


CLOSED = ("Resolved", "Closed")


def user_tz() -> ZoneInfo:
	"""The user's own time zone (User › Time Zone), else the system's."""
	tz = frappe.db.get_value("User", frappe.session.user, "time_zone") if frappe.session.user else None
	return ZoneInfo(tz or get_system_timezone())


def when(t: dt.datetime | None) -> str:
	"""An instant as the user reads it: their time zone, their language ("mån 22 juni 09:00")."""
	if t is None:
		return ""
	return format_datetime(t.astimezone(user_tz()).replace(tzinfo=None), "EEE d MMM yyyy HH:mm")


def tier_fit_view(doc) -> dict | None:
	"""What the contract's last twelve months would have cost under each tier, as its customer reads it
	(Support Contract Settings › Show Tier Fit on the Portal; docs/rules.md F1): its own tier first, the
	cheapest marked, the targets each tier's would have missed; a tier that cannot be compared is left
	out. None before a month of the contract's term has passed."""
	result = fit(doc.name)
	months = result["months"]
	if not months:
		return None
	own = next(c for c in result["costs"] if c.current)
	return {
		"months": f"{months[0][0]}-{months[0][1]:02d} – {months[-1][0]}-{months[-1][1]:02d}",
		"rows": [
			{
				"tier": c.title,
				"own": c.current,
				"cheapest": c.cheapest,
				"total": money(c.total, c.currency),
				"difference": "" if c.current else money(c.difference(own), c.currency),
				"missed": result["breaches"].get(c.tier),
			}
			for c in result["costs"]
			if c.total is not None
		],
	}


def money(amount, currency: str) -> str:
	"""An amount in the user's language's format ("2 500,00 kr")."""
	return format_currency(amount or 0, currency, locale=(frappe.local.lang or "en").replace("-", "_"))


def hours(minutes: int) -> str:
	return fmt_duration(int(minutes) * 60, "hours")


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


def next_term_view(doc, currency: str | None) -> dict | None:
	"""What comes after the current term (docs/rules.md F3, ``renewals.next_term``): the day it renews and
	its prices where an index sets them — or that they follow the index once it publishes — or the day
	the contract ends; and the prices of the last indexed renewal."""

	def price_rows(triples) -> list[dict]:  # (label, old, new) as the page shows them
		return [
			{"label": _(label), "old": money(old, currency), "new": money(new, currency)}
			for label, old, new in triples
		]

	nxt = renewals.next_term(doc)
	change = prices.last_change(doc.name)
	last = change and {"valid_from": change["valid_from"], "prices": price_rows(change["prices"])}
	if not nxt:
		return {"last_change": last} if last else None
	if "ends_on" in nxt:
		return {"ends_on": nxt["ends_on"], "by_hand": nxt["by_hand"], "last_change": last}
	clause = prices.clause_of(doc)
	return {
		"renews_on": nxt["renews_on"],
		"prices": price_rows(nxt["prices"]),
		"pending": _(
			"Its prices follow {0}: they are set once it publishes the value they are indexed by."
		).format(clause.index)
		if clause and not nxt["prices"]
		else None,
		"last_change": last,
	}


def contract_view(doc) -> dict:
	tier_doc = frappe.get_cached_doc("Support Tier", doc.tier)
	policy = firm.policy(doc.tier)
	tier = firm.rating_tier(doc.tier)
	renews, renewal = current_term(doc)
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
		"renewal": _(renewal),
		"renews_on": renews,
		"next_term": next_term_view(doc, tier_doc.currency or frappe.db.get_default("currency")),
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
		"tier_fit": tier_fit_view(doc) if setting("portal_tier_fit") else None,
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


STATE_TEXT = {  # called when read, so that each reads in the user's language
	OK: lambda: _("Hours left"),
	WARNING: lambda: _("Running low"),
	EXHAUSTED: lambda: _("Used up: further work is billed"),
}


def hour_bank(doc, tier) -> dict | None:
	"""The contract's hour bank as the invoicing run recorded it (Hour Bank Ledger Entry,
	``billing.hour_bank.bank_now``): this period's allocation, used and left with the work that used it,
	and each earlier period; and what logged work not yet invoiced will draw of this period, with the
	period's state in colour and the warnings told (docs/rules.md F2)."""
	bank = tier.hour_bank
	if bank is None:
		return None
	now_ = bank_now(doc.name, bank, today())
	current = now_["period"]
	periods = {}
	for key, figures in now_["periods"].items():
		p = {k: v for k, v in figures.items() if k != "work"}
		p["entries"] = [
			{
				"date": when(aware(r.worked_at)) if r.worked_at else r.billing_month,
				"issue": r.issue,
				"kind": _(r.work_kind) if r.work_kind else _("billed work"),
				"minutes": hours(abs(int(r.minutes))),
			}
			for r in figures["work"]
		]
		for k in ("allocated", "carried", "used", "expired", "left"):
			p[k + "_text"] = hours(p[k])
		periods[key] = p
	logged, over = logged_minutes(doc.name, current)
	state = bank_state(bank.warn_at, now_["allotted"], now_["allotted"] - now_["left"] + logged)
	return {
		"per_period": _("{0} per {1}").format(hours(bank.minutes), _(bank.period)),
		"current": current,
		# its state in colour (docs/rules.md F2), and the percentages reached, logged work counted
		"state": state,
		"state_color": STATE_COLOR[state],
		"state_text": STATE_TEXT[state](),
		"logged_text": hours(logged) if logged else None,
		"over_text": hours(over) if over else None,
		"warnings": [
			_("{0} % of the hours reached on {1}").format(w.percent, when(aware(w.creation)))
			for w in frappe.get_all(
				"Hour Bank Warning",
				filters={"support_contract": doc.name, "period": current},
				fields=["percent", "creation"],
				order_by="percent asc",
			)
		],
		"expires": None if bank.carry_over else now_["last"],
		"carry_over": bank.carry_over,
		"this": periods.get(current),
		"allocation_text": hours(bank.minutes),
		"periods": [p for k, p in sorted(periods.items(), reverse=True) if k != current],
	}


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
