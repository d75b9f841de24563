"""The on-call rota in view: who is on call now (the jour number forwards to the week's engineer,
docs/rules.md C4) and each employee's jour weeks as a calendar feed their phone subscribes to.

Jour weeks are ISO weeks, Monday to Sunday (Jour Week › Week Start / Week End); the rota and the role
(Primary / Backup) are the week's own."""

from __future__ import annotations

import datetime as dt

from dateutil.tz import tzutc

import frappe
from frappe import _
from frappe.utils import cstr

from support_contracts.adapters.access import own_employees, sees_all_pay
from support_contracts.adapters.times import aware, today
from support_contracts.adapters.validation import DATE, parse_temporal

SEES_ROTA = (
	"System Manager",
	"Support Agent",
	"Support Manager",
	"On-Call Coordinator",
	"HR Manager",
	"HR User",
)
FEED_WEEKS_BACK, FEED_WEEKS_AHEAD = 8, 52


def _check_sees_rota() -> None:
	if frappe.session.user != "Administrator" and not set(frappe.get_roles()) & set(SEES_ROTA):
		frappe.throw(
			_("Only support staff and on-call coordinators see who is on call."), frappe.PermissionError
		)


def who_is_on_call(rota: str | None = None, at: str | None = None) -> list[dict]:
	"""The engineers on call at ``at`` (default now), Primary first, with the phone the jour number
	forwards to (Employee › Mobile). Support staff, coordinators and HR may ask (a phone switch's API user
	holds Support Agent)."""
	_check_sees_rota()
	day = _day(at) if at not in (None, "") else today()
	filters = {"week_start": ("<=", day), "week_end": (">=", day)}
	if rota:
		filters["rota"] = rota
	weeks = frappe.get_all(
		"Jour Week",
		filters=filters,
		fields=["name", "employee", "employee_name", "rota", "on_call_role", "week_start", "week_end"],
		order_by="rota asc, on_call_role desc, employee asc",  # Primary before Backup
		ignore_permissions=True,  # the rota is not pay: whoever may see it sees every week's engineer
	)
	phones = dict(
		frappe.get_all(
			"Employee",
			filters={"name": ("in", [w.employee for w in weeks] or [""])},
			fields=["name", "cell_number"],
			as_list=True,
		)
	)
	return [
		{
			"employee": w.employee,
			"employee_name": w.employee_name,
			"rota": w.rota,
			"role": w.on_call_role,
			"phone": phones.get(w.employee),
			"week": w.name,
			"from": w.week_start,
			"to": w.week_end,
		}
		for w in weeks
	]


def _day(at) -> dt.date:
	"""The day of ``at``: a date (2026-11-22) or a local date and time (2026-11-22 23:59[:00]), as the
	app reads every typed value; anything else is refused naming ``at`` (a 417)."""

	def fail(problem):
		frappe.throw(
			_("{0} {1} (got {2})").format(frappe.bold("at"), problem, frappe.bold(cstr(at))),
			frappe.ValidationError,
		)

	if isinstance(at, dt.datetime):
		return parse_temporal(at, "Datetime", fail).date()
	if isinstance(at, dt.date):
		return parse_temporal(at, "Date", fail)
	text = cstr(at).strip()
	if DATE.fullmatch(text):
		return parse_temporal(text, "Date", fail)
	return parse_temporal(text, "Datetime", fail).date()


def feed_url(employee: str) -> str:
	"""The URL of an employee's on-call calendar feed (made on first ask): the employee themself, their
	coordinators and HR may have it. POST only: the first ask stores the feed's token, and Frappe rolls a
	GET request's writes back (a URL handed out by a GET would name a token never stored, and its feed
	would answer 403)."""
	user = frappe.session.user
	if not (sees_all_pay(user) or employee in own_employees(user)):
		frappe.throw(_("You may only have your own on-call calendar."), frappe.PermissionError)
	token = frappe.db.get_value("Employee", employee, "sc_rota_feed_token")
	if not token:
		token = frappe.generate_hash(length=32)
		frappe.db.set_value("Employee", employee, "sc_rota_feed_token", token, update_modified=False)
	return frappe.utils.get_url(f"/api/method/support_contracts.adapters.on_call.feed?token={token}")


def feed(token: str | None = None) -> None:
	"""An employee's jour weeks as iCalendar (RFC 5545), for a phone's calendar: all-day events from Monday
	to the Monday after, eight weeks back and a year ahead. The token is the only key; a wrong one finds
	nothing."""
	import vobject

	employee = token and len(token) >= 32 and frappe.db.get_value("Employee", {"sc_rota_feed_token": token})
	if not employee:
		raise frappe.PermissionError
	day = today()
	weeks = frappe.get_all(
		"Jour Week",
		filters={
			"employee": employee,
			"week_end": (">=", day - dt.timedelta(weeks=FEED_WEEKS_BACK)),
			"week_start": ("<=", day + dt.timedelta(weeks=FEED_WEEKS_AHEAD)),
		},
		fields=["name", "rota", "on_call_role", "week_start", "week_end", "modified"],
		order_by="week_start asc",
		ignore_permissions=True,
	)
	cal = vobject.iCalendar()
	cal.add("prodid").value = "-//support_contracts//on-call rota//EN"
	cal.add("x-wr-calname").value = _("On-call")
	for w in weeks:
		event = cal.add("vevent")
		event.add("uid").value = f"{w.name}@{frappe.local.site}"
		event.add("summary").value = (
			_("On-call {0} ({1})").format(w.rota or "", _(w.on_call_role or "")).replace(" ()", "")
		)
		event.add("dtstart").value = w.week_start
		event.add("dtend").value = w.week_end + dt.timedelta(days=1)
		event.add("dtstamp").value = aware(w.modified).astimezone(
			tzutc()
		)  # vobject writes dateutil's UTC as Z
	frappe.local.response.filename = "on-call.ics"
	frappe.local.response.filecontent = cal.serialize()
	frappe.local.response.type = "download"
	frappe.local.response.content_type = "text/calendar; charset=utf-8"
