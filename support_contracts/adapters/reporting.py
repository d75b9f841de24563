"""The weekly management report (docs/rules.md E: a weekly report on support, operations and security
incidents): last week's tickets opened and resolved, breaches and escalations, on-call activations and
production bugs, e-mailed to the Support Managers every Monday when Support Contract Settings switch it on.
"""

from __future__ import annotations

import datetime as dt

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum

from support_contracts.adapters import firm
from support_contracts.adapters.access import users_with_role
from support_contracts.adapters.billing import time_on_tickets
from support_contracts.adapters.helpdesk import ticket_doctypes
from support_contracts.adapters.outcomes import groups, summed
from support_contracts.adapters.portal import subject_text
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import today
from support_contracts.engine.months import cadence_period, period_before, review_meeting_day
from support_contracts.engine.targets import METRIC_LABELS, METRICS
from support_contracts.engine.verdict import average


def last_week(day: dt.date) -> tuple[dt.date, dt.date]:
	"""Monday and Sunday of the ISO week before the one ``day`` is in."""
	monday = day - dt.timedelta(days=day.weekday() + 7)
	return monday, monday + dt.timedelta(days=6)


def weekly_summary(monday: dt.date) -> dict:
	"""What the week Monday–Sunday held, counted from the tickets (Issues, and HD Tickets with Helpdesk), the
	SLA ledgers and the activations."""
	sunday = monday + dt.timedelta(days=6)
	start, end = f"{monday} 00:00:00", f"{sunday + dt.timedelta(days=1)} 00:00:00"
	event, tr = frappe.qb.DocType("SLA Clock Event"), frappe.qb.DocType("SLA Transition")
	opened, production = [0, 0], 0
	for doctype in ticket_doctypes():  # Issues, and HD Tickets where Helpdesk is installed: as the ledgers
		ticket = frappe.qb.DocType(doctype)
		count, governed = (
			frappe.qb.from_(ticket)
			.select(
				Count("*"), Sum(ticket.sc_support_contract.isnotnull() & (ticket.sc_support_contract != ""))
			)
			.where(ticket.opening_date[monday:sunday])
			.run()[0]
		)
		opened = [opened[0] + int(count or 0), opened[1] + int(governed or 0)]
		production += (
			frappe.qb.from_(ticket)
			.select(Count("*"))
			.where(ticket.opening_date[monday:sunday])
			.where(ticket.sc_production == 1)
			.run()[0][0]
		)
	resolved = (
		frappe.qb.from_(event)
		.select(Count("*"))
		.where(event.event == "resolved")
		.where((event.at >= start) & (event.at < end))
		.run()[0][0]
	)
	transitions = dict(
		frappe.qb.from_(tr)
		.select(tr.transition, Count("*"))
		.where((tr.at >= start) & (tr.at < end))
		.groupby(tr.transition)
		.run()
	)
	activations, seconds = frappe.db.sql(
		"select count(*), coalesce(sum(timestampdiff(second, from_time, to_time)), 0) "
		"from `tabJour Activation` where from_time >= %s and from_time < %s",
		(start, end),
	)[0]
	rating, rated = ratings([["sc_rated_at", ">=", start], ["sc_rated_at", "<", end]])
	return {
		"monday": monday,
		"sunday": sunday,
		"opened": int(opened[0] or 0),
		"opened_under_contract": int(opened[1] or 0),
		"resolved_under_contract": int(resolved or 0),
		"warnings": int(transitions.get("Warning", 0)),
		"breaches": int(transitions.get("Breached", 0)),
		"escalations": int(transitions.get("Escalated to Manager", 0)),
		"activations": int(activations or 0),
		"activation_hours": round(int(seconds or 0) / 3600, 2),
		"production_bugs": int(production or 0),
		"rated": rated,
		"rating": rating,  # None: nobody rated a ticket that week
	}


def ratings(filters: list) -> tuple:
	"""(The average rating, to one decimal, and how many) of the Issues rated that ``filters`` select: the
	customers' verdicts (docs/rules.md F4)."""
	return average(frappe.get_all("Issue", filters=[*filters, ["sc_rating", ">", 0]], pluck="sc_rating"))


ROWS = (
	("opened", "Tickets opened"),
	("opened_under_contract", "of them under a support contract"),
	("resolved_under_contract", "Tickets under contract resolved"),
	("warnings", "SLA warnings"),
	("breaches", "SLA breaches"),
	("escalations", "Escalations to a manager"),
	("activations", "On-call activations"),
	("activation_hours", "On-call hours worked"),
	("production_bugs", "Production bugs"),
	("rated", "Tickets rated by customers"),
	("rating", "Their average rating (1–5)"),
)


def render(summary: dict) -> str:
	rows = "".join(
		f"<tr><td>{_(label)}</td><td style='text-align:right'>{'—' if summary[key] is None else summary[key]}</td></tr>"
		for key, label in ROWS
	)
	title = _("Support week {0} – {1}").format(summary["monday"], summary["sunday"])
	return f"<h3>{title}</h3><table border='1' cellpadding='4' cellspacing='0'>{rows}</table>"


def managers() -> list[str]:
	"""The enabled users with the Support Manager role."""
	return users_with_role("Support Manager")


def send_weekly_report() -> str | None:
	"""Scheduler, Mondays: last week's report to the Support Managers, when switched on (Support Contract
	Settings › Weekly Management Report). Returns the week's subject, or None when off or nobody to send to."""
	if not setting("weekly_report"):
		return None
	recipients = managers()
	if not recipients:
		return None
	summary = weekly_summary(last_week(today())[0])
	subject = _("Support week {0} – {1}").format(summary["monday"], summary["sunday"])
	frappe.sendmail(recipients=recipients, subject=subject, message=render(summary), delayed=True)
	return subject


# ---------------------------------------------------------------- the customer report (docs/rules.md B4)
def contract_cadence(contract) -> str | None:
	"""The contract's reporting cadence, from its tier (engine words: monthly, quarterly, ...)."""
	return firm.rating_tier(contract.tier).reporting


def customer_report(contract_name: str, first: dt.date, last: dt.date) -> dict:
	"""One contract's period for its customer: the tickets opened, how the service levels were kept, the
	hour bank, the work done (hours per kind) and how the customer rated the tickets, read from the Issues,
	SLA Outcome, the hour-bank ledger and the Timesheets."""

	doc = frappe.get_doc("Support Contract", contract_name)
	tickets = sorted(
		(
			t
			for doctype in ticket_doctypes()
			for t in frappe.get_all(
				doctype,
				filters={"sc_support_contract": doc.name, "opening_date": ("between", [first, last])},
				fields=[
					"name",
					"subject",
					"priority" if doctype == "Issue" else "sc_priority as priority",
					"status",
					"opening_date",
					"opening_time",
				],
			)
		),
		key=lambda t: (t.opening_date, str(t.opening_time or "")),
	)
	for t in tickets:
		t.subject = subject_text(t.subject)
	by_metric = {
		g.metric: summed(g)
		for g in groups(
			{
				"support_contract": doc.name,
				"opened_from": f"{first} 00:00:00",
				"opened_to": f"{last + dt.timedelta(days=1)} 00:00:00",
			},
			by=("metric",),
		)
	}
	levels = [{"metric": _(METRIC_LABELS[m]), "c": by_metric[m]} for m in METRICS if m in by_metric]
	ledger = frappe.get_all(
		"Hour Bank Ledger Entry",
		filters={"support_contract": doc.name, "is_cancelled": 0, "posting_date": ("between", [first, last])},
		fields=["period", "entry_type", "minutes"],
	)
	bank = {}
	for r in ledger:
		bank.setdefault(r.period, {}).setdefault(r.entry_type, 0)
		bank[r.period][r.entry_type] += abs(int(r.minutes)) / 60
	hours: dict[str | None, float] = {}
	for t in time_on_tickets():
		for kind, h in (
			t.q.select(t.td.sc_work_kind, Sum(t.td.hours))
			.where(t.ticket.sc_support_contract == doc.name)
			.where(
				(t.td.from_time >= f"{first} 00:00:00")
				& (t.td.from_time < f"{last + dt.timedelta(days=1)} 00:00:00")
			)
			.groupby(t.td.sc_work_kind)
			.run()
		):
			hours[kind] = hours.get(kind, 0) + float(h or 0)
	work = sorted(hours.items(), key=lambda kh: kh[0] or "")
	return {
		"contract": doc,
		"first": first,
		"last": last,
		"tickets": tickets,
		"levels": levels,
		"bank": bank,
		"work": [(_(kind or "Other"), round(float(h or 0), 2)) for kind, h in work],
		# the customer's own verdicts on the period's tickets (docs/rules.md F4): (average, how many)
		"rating": ratings(
			[["sc_support_contract", "=", doc.name], ["opening_date", "between", [first, last]]]
		),
	}


def report_for_print(contract_name: str) -> dict:
	"""The Jinja method of the print format *Support Customer Report*: the last complete period at the
	contract's reporting cadence (monthly when its tier names none)."""
	frappe.has_permission("Support Contract", "read", contract_name, throw=True)
	doc = frappe.get_cached_doc("Support Contract", contract_name)
	first, last = period_before(contract_cadence(doc) or "monthly", today())
	return customer_report(contract_name, first, last)


def report_recipients(contract) -> list[str]:
	"""The e-mail addresses of the contract's authorised callers' Contacts."""
	contacts = [c.contact for c in contract.authorised_callers if c.contact]
	if not contacts:
		return []
	return sorted(
		{e for e in frappe.get_all("Contact", filters={"name": ("in", contacts)}, pluck="email_id") if e}
	)


def send_customer_reports() -> list[str]:
	"""Scheduler, daily: on the first day of a reporting period, each Active contract whose tier reports
	(Support Tier › Reporting to Customer) e-mails the period before to its authorised callers, with the
	print format *Support Customer Report* as PDF — once (the e-mail is kept on the contract), and only
	when Support Contract Settings › Customer Reports is on. Returns the contracts it sent for."""
	if not setting("customer_reports"):
		return []
	day = today()
	sent = []
	for name in frappe.get_all("Support Contract", filters={"status": "Active"}, pluck="name"):
		doc = frappe.get_doc("Support Contract", name)
		cadence = contract_cadence(doc)
		if not cadence or cadence_period(cadence, day)[0] != day:
			continue
		first, last = period_before(cadence, day)
		subject = _("Support report {0}: {1} – {2}").format(doc.customer_name or doc.customer, first, last)
		recipients = report_recipients(doc)
		if not recipients or frappe.db.exists(
			"Communication",
			{"reference_doctype": "Support Contract", "reference_name": name, "subject": subject},
		):
			continue
		frappe.sendmail(
			recipients=recipients,
			subject=subject,
			message=_("Attached is the support report for {0} to {1}.").format(first, last),
			# rendered as PDF when the queue sends it (Frappe's print-format attachment)
			attachments=[
				{
					"print_format_attachment": 1,
					"doctype": "Support Contract",
					"name": name,
					"print_format": PRINT_FORMAT,
				}
			],
			reference_doctype="Support Contract",
			reference_name=name,
			delayed=True,
		)
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Automated Message",
				"subject": subject,
				"content": ", ".join(recipients),
				"reference_doctype": "Support Contract",
				"reference_name": name,
			}
		).insert(ignore_permissions=True)
		sent.append(name)
	return sent


PRINT_FORMAT = "Support Customer Report"


def schedule_review_meetings() -> list[str]:
	"""Scheduler, daily: on the first day of a review period (Support Tier › Review Meetings), each Active
	contract gets its review meeting as an Event (10:00–11:00, a week into the period, the contract as
	participant) — once; when Support Contract Settings › Review Meetings is on. Returns the Events made."""
	if not setting("review_meetings"):
		return []
	start = today()
	made = []
	for name in frappe.get_all("Support Contract", filters={"status": "Active"}, pluck="name"):
		doc = frappe.get_cached_doc("Support Contract", name)
		cadence = firm.rating_tier(doc.tier).review
		day = cadence and review_meeting_day(cadence, start)
		if not day:
			continue
		subject = _("Review meeting: {0} ({1})").format(doc.customer_name or doc.customer, doc.tier)
		ep = frappe.qb.DocType("Event Participants")
		event = frappe.qb.DocType("Event")
		exists = (
			frappe.qb.from_(ep)
			.join(event)
			.on(event.name == ep.parent)
			.select(event.name)
			.where(ep.reference_doctype == "Support Contract")
			.where(ep.reference_docname == name)
			.where(event.starts_on[f"{day} 00:00:00" : f"{day} 23:59:59"])
			.run()
		)
		if exists:
			continue
		made.append(
			frappe.get_doc(
				{
					"doctype": "Event",
					"subject": subject,
					"event_category": "Meeting",
					"event_type": "Public",
					"starts_on": f"{day} 10:00:00",
					"ends_on": f"{day} 11:00:00",
					"description": _("Review of support contract {0} ({1} reviews).").format(
						name, _(cadence)
					),
					"event_participants": [
						{"reference_doctype": "Support Contract", "reference_docname": name}
					],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return made
