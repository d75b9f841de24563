"""A governed Issue's fields (docs/rules.md, "an Issue's SLA fields are the app's"): the ``sc_`` fields the
app writes and what they may hold, the labels an SLA status shows, and the checks of what agents and
portal users type — the customer and opening time a running clock reads are fixed, a new Issue opens
neither in the future nor before its contract, a portal user writes only what the portal lets them, the
contract's terms (quote first, training) hold."""

from __future__ import annotations

import contextlib
import datetime as dt
from contextvars import ContextVar

import frappe
from frappe import _
from frappe.utils import getdate

from support_contracts.adapters.access import customers_of, is_portal_user
from support_contracts.adapters.helpdesk import customer_of, hd_customers_of
from support_contracts.adapters.issue.contracts import active_contract
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import local_instant, naive, now
from support_contracts.adapters.validation import (
	check_value,
	plain_text,
	same_value,
)
from support_contracts.engine.escalation import (
	ALERT_STATES,
)
from support_contracts.engine.sla import (
	BREACHED,
	MET,
	NO_TARGET,
	ON_TRACK,
	PAUSED,
	WAIVED,
	WARNING,
)

OPENING_TOLERANCE = dt.timedelta(minutes=1)  # clocks of client and server differ a little


# the SLA status an Issue shows. Its stored labels of an open clock are all eight characters long, so that
# enforcement's moves between them (engine/escalation.TRANSITIONS) rewrite the row in place: a label that
# grew made InnoDB move each row and rewrite its page (README, bench_enforcement)
STATUS_LABEL = {
	ON_TRACK: "On Track",
	WARNING: "Due Soon",
	BREACHED: "Breached",
	MET: "Met",
	PAUSED: "Paused",
	WAIVED: "Waived",
	NO_TARGET: "",
}


FIELDS = (
	"sc_support_contract",
	"sc_support_tier",
	"sc_first_response_due",
	"sc_action_start_due",
	"sc_resolution_due",
	"sc_sla_status",
	"sc_paused_time",
	"sc_warning_at",
	"sc_breach_at",
	"sc_enforce_at",
)


# the Issue's alert state (engine/escalation.ALERT_STATES) is stored as its place in that list, a number of
# fixed size: the breach step then rewrites each row in place, where a name growing from none to "Breached"
# made InnoDB move the row and reorganize its page (README, bench_enforcement)
ALERT = "sc_alert_rank"


def alert_rank(state: str) -> int:
	"""The stored form of an alert state (:data:`ALERT`)."""
	return ALERT_STATES.index(state)


def alert_state(rank) -> str:
	"""The alert state an Issue's :data:`ALERT` holds (none when empty)."""
	return ALERT_STATES[rank or 0]


# the customer's verdict (docs/rules.md F4): written by the portal's rating and the rating link alone
VERDICT_FIELDS = (
	"sc_rating",
	"sc_rating_comment",
	"sc_rated_at",
	"sc_rated_by",
	"sc_rated_by_email",
	"sc_rating_token",
	"sc_rating_link_expires",
)

# the ticket's logged work beyond the hour bank and the customer's decision on it (docs/rules.md F2):
# written by billing/bank_warnings.py and the portal's decide_overage alone
OVERAGE_FIELDS = (
	"sc_overage_minutes",
	"sc_overage_decision",
	"sc_overage_decided_by",
	"sc_overage_decided_at",
	"sc_overage_decided_minutes",
)


# written by the app only: whatever a save brings in for these is replaced by the stored value (a new
# Issue starts with none) and recomputed from the ledger; enforcement moves the last four
APP_OWNED = (
	*FIELDS,
	"sc_manager_escalation_at",
	ALERT,
	"sc_escalation_level",
	"sc_on_call",
	"sc_signoff_state",
	"sc_signoff_due",
	"sc_monitoring_alert",
	*VERDICT_FIELDS,
	*OVERAGE_FIELDS,
)


# what the clock is computed from: typed by agents, checked before anything reads them
CLOCK_INPUTS = ("opening_date", "opening_time", "sc_action_started_on", "status")


LABELS = ("Production", "Jour")


OPEN = ("Open", "Replied", "On Hold", "Paused")  # the statuses SLA enforcement watches (Issue, HD Ticket)


OUTCOME = {MET: "Met", BREACHED: "Breached", PAUSED: "Paused", WAIVED: "Waived"}


# ---------------------------------------------------------------- who opens an Issue for a user
MONITORING, PORTAL = "monitoring", "portal"
_OPENING: ContextVar[tuple[str, str | None] | None] = ContextVar("sc_issue_opening", default=None)


@contextlib.contextmanager
def opened_by(channel: str, alert: str | None = None):
	"""Issues inserted in this block are opened by the app on a user's behalf: by a monitoring alert
	(``alert``: its key, one Issue per alert) or by a contact's Report an Incident — the only ways a
	governed ticket is opened for a caller who is not staff (:func:`guard_portal_user`)."""
	token = _OPENING.set((channel, alert))
	try:
		yield
	finally:
		_OPENING.reset(token)


def opening_channel() -> str | None:
	opening = _OPENING.get()
	return opening[0] if opening else None


def opening_alert() -> str | None:
	"""The key of the monitoring alert an Issue inserted now is opened for."""
	opening = _OPENING.get()
	return opening[1] if opening else None


def opened_at(doc):
	"""When the Issue was opened, aware. Opening Date is read as Frappe reads a Date field: a datetime
	given for it (ERPNext's own tests do) counts by its date."""
	if doc.opening_date:
		return local_instant(
			f"{getdate(doc.opening_date)} {doc.opening_time or '00:00:00'}", _("Opening Date and Time")
		)
	return now()


def keep_app_fields(doc, old) -> None:
	"""The SLA state fields are the app's: input for them is ignored (docs/permissions.md). A stale form
	saved after enforcement moved the Issue, or a request that sets the alert state, cannot undo a
	warning, breach or escalation (``old``: the Issue before this save, None for a new one)."""
	for f in APP_OWNED:
		doc.set(f, old.get(f) if old else None)


def check_clock_inputs(doc, old, contract, opened) -> None:
	"""What the clock is computed from may not be bent once it runs (refused, with the field named):
	the customer and the opening time of a governed Issue are fixed, Action Started On is recorded once
	and never in the future, and a new governed Issue opens neither in the future nor further back than
	Support Contract Settings allow."""
	if old is not None and old.get("sc_support_contract"):
		for f in ("customer", "opening_date", "opening_time"):
			df = doc.meta.get_field(f)
			if not same_value(df.fieldtype, old.get(f), doc.get(f)):
				frappe.throw(
					_(
						"{0} cannot be changed from {1} to {2}: the SLA clock of support contract {3} runs from it. Open a new ticket instead."
					).format(
						frappe.bold(_(df.label)),
						old.get(f) or _("(none)"),
						doc.get(f) or _("(none)"),
						old.sc_support_contract,
					),
					title=_("SLA Clock Running"),
				)
		if old.get("sc_action_started_on") and not same_value(
			"Datetime", old.sc_action_started_on, doc.get("sc_action_started_on")
		):
			frappe.throw(
				_("{0} was recorded as {1} and cannot be changed or cleared.").format(
					frappe.bold(_("Action Started On")), old.sc_action_started_on
				),
				title=_("SLA Clock Running"),
			)
	if not contract or (old is not None and old.get("sc_support_contract")):
		return
	at = now()
	if opened > at + OPENING_TOLERANCE:
		frappe.throw(
			_("{0} ({1}) is in the future.").format(frappe.bold(_("Opening Date and Time")), naive(opened)),
			title=_("Invalid Opening Time"),
		)
	limit = setting("issue_backdating_hours")
	if limit and doc.is_new() and not frappe.flags.in_import and opened < at - dt.timedelta(hours=limit):
		frappe.throw(
			_(
				"{0} ({1}) is more than {2} hours ago; a governed ticket may be backdated that far at most (Support Contract Settings)."
			).format(frappe.bold(_("Opening Date and Time")), naive(opened), frappe.utils.cint(limit)),
			title=_("Invalid Opening Time"),
		)


def refuse_opening_before_contract(doc, opened) -> None:
	"""A new Issue of a customer whose contract is active today, dated before that contract began, would be
	saved with no contract and no clock: refused (docs/rules.md B4). An Issue from before the contract is
	one that was opened then — imported, not typed in today."""
	customer = customer_of(doc)
	if frappe.flags.in_import or not customer:
		return
	today = now().date()
	if opened.date() >= today:
		return
	contract = active_contract(customer, today)
	if not contract:
		return
	start = frappe.db.get_value("Support Contract", contract.name, "start_date")
	if opened.date() < getdate(start):
		frappe.throw(
			_(
				"{0} ({1}) is before support contract {2} of {3} began ({4}). A ticket opened now is governed by the contract: give the time it was reported, on or after {4}."
			).format(
				frappe.bold(_("Opening Date and Time")),
				naive(opened),
				contract.name,
				customer,
				getdate(start),
			),
			title=_("Invalid Opening Time"),
		)


def guard_portal_user(doc, old) -> None:
	"""What a customer's contact may do to an Issue outside the portal's own methods (ERPNext's /issues
	web form takes any field it lists, read-only or not): only for their own customers; a ticket under a
	support contract only through Report an Incident (which shows the due times and asks to confirm an
	on-call fee); and never change the priority, status or customer of a governed ticket (a reply moves
	its status, as an e-mail does)."""
	channel = opening_channel()
	if channel == MONITORING or not is_portal_user():
		return
	if doc.customer not in customers_of():
		frappe.throw(_("You may open and change tickets of your own customers only."), frappe.PermissionError)
	if old is None:
		if channel != PORTAL and active_contract(doc.customer, getdate(naive(now()))):
			frappe.throw(
				_(
					"Report incidents under your support contract at /support/new: it shows the due times the contract promises."
				),
				frappe.PermissionError,
			)
		return
	if old.get("sc_support_contract"):
		refuse_team_fields(doc, old, ("priority", "status", "customer", *TEAM_FIELDS))


# what the support team sets on a governed ticket, never its customer's contact
TEAM_FIELDS = (
	"sc_error_category",
	"sc_rollback",
	"sc_action_started_on",
	"sc_outside_area",
	"sc_outside_area_reason",
	"sc_quote_first",
	"sc_quotation",
)


def refuse_team_fields(doc, old, fields) -> None:
	for f in fields:
		if not same_value(doc.meta.get_field(f).fieldtype, old.get(f), doc.get(f)):
			frappe.throw(
				_("{0} of a ticket under a support contract is set by the support team.").format(
					frappe.bold(_(doc.meta.get_field(f).label))
				),
				frappe.PermissionError,
			)


def guard_helpdesk_contact(doc, old) -> None:
	"""What a customer's contact may do to an HD Ticket through Helpdesk's portal or its REST API, since the
	ticket may run under a support contract: open and change tickets of their own HD Customers only, opened
	when they open them (a contact does not date their ticket); and on a governed ticket never change its
	priority, customer, opening or what the support team marks. Its status they may move — Helpdesk does on
	their reply, and a clock they pause or close is their own."""
	if not is_portal_user():
		return
	if doc.get("customer") and doc.customer not in hd_customers_of(frappe.session.user):
		frappe.throw(_("You may open and change tickets of your own customers only."), frappe.PermissionError)
	if old is None:
		local = naive(now())
		doc.opening_date, doc.opening_time = local.date(), local.time().replace(microsecond=0)
		return
	if old.get("sc_support_contract"):
		refuse_team_fields(doc, old, ("priority", "customer", "opening_date", "opening_time", *TEAM_FIELDS))


def check_terms(doc) -> None:
	"""What an agent marks on an Issue, checked with the field named: a fault outside our area needs its
	reason (docs/rules.md A8), and a quotation linked to a quote-first request must be the customer's."""
	for f in ("sc_outside_area", "sc_quote_first", "sc_rollback"):
		check_value(doc, doc.meta.get_field(f), doc)  # 0 or 1, as Frappe stores it: never "yes"
	if doc.get("sc_outside_area") and not plain_text(doc.get("sc_outside_area_reason")):
		frappe.throw(
			_("{0} is required when the fault is marked outside our area.").format(
				frappe.bold(_("Why Outside Our Area"))
			),
			frappe.MandatoryError,
		)
	if doc.get("sc_quotation"):
		q = frappe.db.get_value(
			"Quotation", doc.sc_quotation, ["quotation_to", "party_name", "docstatus"], as_dict=True
		)
		if not q:
			frappe.throw(_("{0} {1} does not exist.").format(frappe.bold(_("Quotation")), doc.sc_quotation))
		customer = customer_of(doc)
		if customer and (q.quotation_to != "Customer" or q.party_name != customer):
			frappe.throw(
				_("{0} {1} is not a quotation to customer {2}.").format(
					frappe.bold(_("Quotation")), doc.sc_quotation, customer
				)
			)
