"""/support/tickets/<name>: one ticket — its clock in words, its messages (never internal comments), and
a reply box; once resolved, the customer's rating of it."""

import frappe
from frappe import _
from frappe.utils import escape_html
from frappe.utils.html_utils import sanitize_html

from support_contracts.adapters import access, portal
from support_contracts.adapters.issue import clock_report
from support_contracts.adapters.times import aware
from support_contracts.engine.durations import fmt_duration
from support_contracts.engine.verdict import RATED_STATUSES

no_cache = 1


def get_context(context):
	doc = access.own_issue(frappe.form_dict.name)
	context.doc = doc
	context.subject = portal.subject_text(doc.subject)
	context.title = escape_html(context.subject)  # Frappe's breadcrumbs and meta tags print it as it is
	context.show_sidebar = True
	context.status_label = _(doc.status)
	context.clock = portal.clock_view(doc, clock_report(doc))
	context.messages = portal.messages(doc)
	context.description = sanitize_html(doc.description or "")
	context.awaiting_signoff = doc.sc_signoff_state == "Awaiting Sign-off"
	context.signoff_due = portal.when(aware(doc.sc_signoff_due)) if doc.sc_signoff_due else "-"
	# work beyond the hour bank, marked before it is billed, and the customer's decision (docs/rules.md F2)
	context.overage_hours = fmt_duration((doc.sc_overage_minutes or 0) * 60, "hours")
	context.overage_awaits = doc.sc_overage_decision == "Awaiting Approval"
	context.overage = (
		_("Beyond your hour bank: {0}, billed at the hourly rate").format(context.overage_hours)
		if doc.sc_overage_minutes and doc.sc_overage_decision != "Declined"
		else None
	)
	context.overage_decided = (
		_("Work beyond the hour bank {0} by {1} on {2}").format(
			_("approved") if doc.sc_overage_decision == "Approved" else _("declined"),
			doc.sc_overage_decided_by,
			portal.when(aware(doc.sc_overage_decided_at)),
		)
		if doc.sc_overage_decision in ("Approved", "Declined")
		else None
	)
	context.rated = bool(doc.sc_rating)  # the customer's verdict, once resolved (docs/rules.md F4)
	context.rateable = doc.status in RATED_STATUSES
	context.parents = [{"route": "/support/tickets", "title": _("My Tickets")}]
