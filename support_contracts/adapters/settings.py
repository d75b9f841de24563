"""Support Contract Settings, read: one value at a time, its default where the settings were never saved."""

import frappe
from frappe.utils import cint, flt

# field → (default, how its stored text is read)
DEFAULTS = {
	"issue_backdating_hours": (72, flt),
	"max_activation_hours": (24, flt),
	"billing_day": (0, cint),
	"billing_company": (None, str),
	"submit_invoices": (0, cint),
	"list_price_tier": (None, str),
	"correct_billed_work": (0, cint),
	"run_stalled_after": (30, cint),
	"renewal_notice_days": (60, cint),
	"future_tolerance_minutes": (15, cint),
	"pay_day": (0, cint),
	"pay_company": (None, str),
	"submit_additional_salary": (1, cint),
	"on_call_deduction_component": ("On-call Correction", str),
	"portal_tickets_per_hour": (10, cint),
	"portal_tier_fit": (0, cint),
	"rating_links": (0, cint),
	"rating_link_days": (14, cint),
	"weekly_report": (0, cint),
	"customer_reports": (0, cint),
	"review_meetings": (0, cint),
}


def setting(fieldname: str):
	"""One value of Support Contract Settings (a single doctype), or its default."""
	default, read = DEFAULTS[fieldname]
	# plain SQL: an Issue save reads a setting, and the query builder would cost more than the query
	raw = frappe.db.sql(
		"select value from `tabSingles` where doctype = 'Support Contract Settings' and field = %s",
		fieldname,
		pluck=True,
	)
	return default if not raw or raw[0] in (None, "") else read(raw[0])
