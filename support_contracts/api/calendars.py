"""A Support Calendar's preview for its form (agents and managers with read on the calendar): its open
windows and its closed days over the days ahead."""

from __future__ import annotations

import datetime as dt

import frappe
from frappe import _

from support_contracts.adapters import firm
from support_contracts.adapters.times import naive, now, today


@frappe.whitelist()
def preview(calendar: str, days: int = 14) -> list[dict]:
	"""The calendar's open windows over the next ``days`` days (at most 62), for the form's Preview."""
	frappe.has_permission("Support Calendar", "read", calendar, throw=True)
	cal = firm.calendar(calendar)
	start = now()
	end = start + dt.timedelta(days=min(max(int(days), 1), 62))
	return [
		{"from": naive(a), "to": naive(b), "hours": round((b - a).total_seconds() / 3600, 2)}
		for a, b in cal.open_intervals(start, end)
	]


@frappe.whitelist()
def closed_days(calendar: str, days: int = 62) -> list[dict]:
	"""The holidays, closed days and closures of the next ``days`` days (at most 366) with their names in
	the user's language (the form's Preview)."""
	frappe.has_permission("Support Calendar", "read", calendar, throw=True)
	cal = firm.calendar(calendar)
	start = today()
	language = {"no": "no", "nb": "no", "sv": "sv"}.get(frappe.local.lang, "en_US")
	out = []
	for i in range(min(max(int(days), 1), 366)):
		day = start + dt.timedelta(days=i)
		name = cal.holiday_name(day, language, _)
		if name:
			out.append({"date": day, "name": name})
	return out
