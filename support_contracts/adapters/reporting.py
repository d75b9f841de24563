"""The weekly management report (docs/rules.md E: a weekly report on support, operations and security
incidents): last week's tickets opened and resolved, breaches and escalations, on-call activations and
production bugs, e-mailed to the Support Managers every Monday when Support Contract Settings switch it on.
"""

from __future__ import annotations

import datetime as dt

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum

from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import naive, now


def last_week(today: dt.date) -> tuple[dt.date, dt.date]:
	"""Monday and Sunday of the ISO week before the one ``today`` is in."""
	monday = today - dt.timedelta(days=today.weekday() + 7)
	return monday, monday + dt.timedelta(days=6)


def weekly_summary(monday: dt.date) -> dict:
	"""What the week Monday–Sunday held, counted from the Issues, the SLA ledgers and the activations."""
	sunday = monday + dt.timedelta(days=6)
	start, end = f"{monday} 00:00:00", f"{sunday + dt.timedelta(days=1)} 00:00:00"
	issue, event, tr = (
		frappe.qb.DocType("Issue"),
		frappe.qb.DocType("SLA Clock Event"),
		frappe.qb.DocType("SLA Transition"),
	)
	opened = (
		frappe.qb.from_(issue)
		.select(Count("*"), Sum(issue.sc_support_contract.isnotnull() & (issue.sc_support_contract != "")))
		.where(issue.opening_date[monday:sunday])
		.run()[0]
	)
	production = (
		frappe.qb.from_(issue)
		.select(Count("*"))
		.where(issue.opening_date[monday:sunday])
		.where(issue.sc_production == 1)
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
	}


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
)


def render(summary: dict) -> str:
	rows = "".join(
		f"<tr><td>{_(label)}</td><td style='text-align:right'>{summary[key]}</td></tr>" for key, label in ROWS
	)
	title = _("Support week {0} – {1}").format(summary["monday"], summary["sunday"])
	return f"<h3>{title}</h3><table border='1' cellpadding='4' cellspacing='0'>{rows}</table>"


def managers() -> list[str]:
	"""The enabled users with the Support Manager role."""
	has_role, user = frappe.qb.DocType("Has Role"), frappe.qb.DocType("User")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(has_role.role == "Support Manager")
		.where(has_role.parenttype == "User")
		.where(user.enabled == 1)
		.where(user.name.notin(("Administrator", "Guest")))
		.run(pluck=True)
	)


def send_weekly_report() -> str | None:
	"""Scheduler, Mondays: last week's report to the Support Managers, when switched on (Support Contract
	Settings › Weekly Management Report). Returns the week's subject, or None when off or nobody to send to."""
	if not setting("weekly_report"):
		return None
	recipients = managers()
	if not recipients:
		return None
	summary = weekly_summary(last_week(naive(now()).date())[0])
	subject = _("Support week {0} – {1}").format(summary["monday"], summary["sunday"])
	frappe.sendmail(recipients=recipients, subject=subject, message=render(summary), delayed=True)
	return subject
