"""Issues governed by a support contract: engine due times, pause/resume/reopen, first response, on-call.

Wired in ``hooks.py``:

- ``Issue.validate`` → :func:`validate`: find the customer's active contract; if none, leave the Issue to
  ERPNext's own SLA (nothing here touches ``service_level_agreement``, ``response_by`` or
  ``sla_resolution_by``). Otherwise derive the clock events of this save from the change (created,
  priority changed, paused / resumed on status, resolved, reopened, action started), replay the Issue's
  ledger plus these events through the engine and store the due times and status in the ``sc_`` fields.
- ``Issue.on_update`` → :func:`on_update`: append the new events to the **SLA Clock Event** ledger; for a
  new on-call issue, add the Production and Jour labels and its Incident Fee (once: the fee's ``issue`` is
  unique).
- ``Communication.on_update`` → :func:`on_communication`: the first outgoing Communication is the first
  response, and a status Frappe changed with ``db_set`` (back to Open on an incoming email) reaches the
  clock.

Where due times live: in the Issue's own ``sc_*`` custom fields (``sc_first_response_due``,
``sc_action_start_due``, ``sc_resolution_due``, ``sc_sla_status``, ...), next to — never in — ERPNext's
``response_by`` / ``sla_resolution_by``. ERPNext computes those with its own whole-day calendar and
clears them whenever no ERPNext Service Level Agreement applies; keeping ours apart means both can
coexist, an issue without a contract behaves exactly as before, and uninstalling the app leaves
ERPNext's SLA data intact.
"""

from __future__ import annotations

import datetime as dt

import frappe
from frappe import _
from frappe.desk.doctype.tag.tag import DocTags
from frappe.query_builder.functions import Count
from frappe.utils import escape_html, getdate, strip_html
from frappe.utils.html_utils import sanitize_html

from support_contracts.adapters import firm
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import aware, event, local_instant, naive, now, stored
from support_contracts.adapters.validation import (
	NOTE_LENGTH,
	check_value,
	plain_text,
	same_value,
	typed_text,
)
from support_contracts.engine.errors import EngineError
from support_contracts.engine.escalation import (
	ALERT_STATES,
	BREACH_AT,
	FIRST_LEVEL,
	MANAGER_AT,
	NO_ALERT,
	WARNING_AT,
	is_senior,
	manager_escalation_us,
	next_instant,
	raised_level,
	team_for,
)
from support_contracts.engine.sla import (
	BREACHED,
	MET,
	NO_TARGET,
	ON_TRACK,
	PAUSED,
	WAIVED,
	WARNING,
	Clock,
	Event,
	clock_priority,
	ticket_priority,
)

RUNNING, HELD, DONE = "running", "held", "done"
AWAITING = "awaiting"  # a fix waits for the client's sign-off (docs/rules.md C2)
AWAITING_SIGNOFF, APPROVED, REFUSED = "Awaiting Sign-off", "Approved", "Refused"
SIGNOFF_STATE = {"signoff_requested": AWAITING_SIGNOFF, "signoff_given": APPROVED, "signoff_refused": REFUSED}
SILENCE = "silence"  # the source of a sign-off the client's silence gave
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
)
# what the clock is computed from: typed by agents, checked before anything reads them
CLOCK_INPUTS = ("opening_date", "opening_time", "sc_action_started_on", "status")
LABELS = ("Production", "Jour")
OPEN = ("Open", "Replied", "On Hold")  # the statuses SLA enforcement watches


# ---------------------------------------------------------------- contracts
def active_contract(customer: str | None, on_date, service: str = "Support") -> dict | None:
	"""The customer's active contract for ``service`` on ``on_date`` (at most one: Support Contract
	refuses overlaps)."""
	if not customer:
		return None
	# plain SQL: every Issue save asks, governed or not (the query builder costs more than the query)
	rows = frappe.db.sql(
		"""select name, tier, on_call, on_call_calendar, end_date from `tabSupport Contract`
		where customer = %s and service = %s and status = 'Active' and start_date <= %s
		order by start_date desc""",
		(customer, service, on_date),
		as_dict=True,
	)
	day = getdate(on_date)
	for row in rows:
		if not row.end_date or getdate(row.end_date) >= day:
			return row
	return None


def _opened_at(doc):
	"""When the Issue was opened, aware. Opening Date is read as Frappe reads a Date field: a datetime
	given for it (ERPNext's own tests do) counts by its date."""
	if doc.opening_date:
		return local_instant(
			f"{getdate(doc.opening_date)} {doc.opening_time or '00:00:00'}", _("Opening Date and Time")
		)
	return now()


# ---------------------------------------------------------------- events
def _state(status: str, tier, current: str | None = None) -> str:
	"""The clock state an Issue status means under ``tier``, from the ledger's ``current`` state: Resolved
	under a tier that needs the client's sign-off awaits it (docs/rules.md C2) — unless it was given."""
	if status in ("Resolved", "Closed"):
		if current == DONE or status == "Closed" or not tier.get("requires_client_signoff"):
			return DONE
		return AWAITING
	if status == "On Hold" or (status == "Replied" and tier.pause_on_replied):
		return HELD
	return RUNNING


def transition_events(before: str, after: str, at) -> list[Event]:
	"""The clock events that take the clock from state ``before`` to ``after`` (running / held / done)."""
	if before == after:
		return []
	if after == AWAITING:
		return ([Event("reopened", at)] if before == DONE else []) + [Event("signoff_requested", at)]
	if before == AWAITING:
		if after == DONE:
			return [Event("signoff_given", at)]
		return [Event("signoff_refused", at)] + ([Event("paused", at)] if after == HELD else [])
	if after == DONE:
		return [Event("resolved", at)]
	if before == DONE:
		return [Event("reopened", at)] + ([Event("paused", at)] if after == HELD else [])
	return [Event("paused", at)] if after == HELD else [Event("resumed", at)]


def ledger_state(events: list[Event]) -> str:
	"""The state the ledger leaves the clock in."""
	state = RUNNING
	for e in events:
		state = {
			"paused": HELD,
			"resolved": DONE,
			"resumed": RUNNING,
			"reopened": RUNNING,
			"signoff_requested": AWAITING,
			"signoff_given": DONE,
			"signoff_refused": RUNNING,
		}.get(e.kind, state)
	return state


def stored_events(issue: str, lock: bool = True) -> list[Event]:
	"""The Issue's ledger, read under the Issue's row lock and as a locking read: a plain SELECT in
	MariaDB's REPEATABLE READ would answer from the snapshot the transaction began with and miss the
	events a concurrent save committed while this one waited for the lock. ``lock`` False: for reading
	only (a page that shows the clock)."""
	if lock:
		frappe.db.sql("select name from `tabIssue` where name = %s for update", issue)
	ev = frappe.qb.DocType("SLA Clock Event")
	q = (
		frappe.qb.from_(ev)
		.select(ev.event, ev.at, ev.priority)
		.where(ev.issue == issue)
		.orderby(ev.at)
		.orderby(ev.creation)
	)
	rows = (q.for_update() if lock else q).run(as_dict=True)
	return [event(r.event, r.at, r.priority or None) for r in rows]


def events_of_this_save(doc, tier, policy, history: list[Event]) -> list[Event]:
	"""The clock events a save of ``doc`` means. The state it moves from is the ledger's, not the old
	document's: a status someone changed behind the hooks' back (ERPNext's auto-close of Replied issues
	writes "Closed" directly) is caught up here instead of making the clock refuse the save."""
	last_at = history[-1].at if history else None
	at = now()
	if last_at and at < last_at:
		at = last_at
	prio = clock_priority(doc.priority, bool(doc.get("sc_rollback")), policy)
	old = None if doc.is_new() else doc.get_doc_before_save()
	if old is None or not old.get("sc_support_contract"):
		created = _opened_at(doc) if doc.is_new() else at
		out = [Event("created", created, prio)]
		# an Issue that becomes governed later may have started before its clock did: met from the start
		started = _action_started(doc, created if doc.is_new() else None, at)
		if started:
			started = max(started, created)
			out.append(Event("action_started", started))
		if doc.get("sc_outside_area"):
			out.append(Event("outside_area", max(created, started or created)))
		state, state_at = _state(doc.status, tier), max(created, started or created)
		if state == HELD:
			out.append(Event("paused", state_at))
		elif state == DONE:
			out.append(Event("resolved", state_at))
		elif state == AWAITING:
			out.append(Event("signoff_requested", state_at))
		return out
	out = []
	if clock_priority(old.priority, bool(old.get("sc_rollback")), policy) != prio:
		out.append(Event("priority_changed", at, prio))
	if bool(old.get("sc_outside_area")) != bool(doc.get("sc_outside_area")):
		out.append(Event("outside_area" if doc.get("sc_outside_area") else "inside_area", at))
	current = ledger_state(history)
	if current == AWAITING:
		# the client's word decides a fix that awaits it (their portal buttons, Sign-off, or silence);
		# a status changed meanwhile would decide it for them
		if old.status != doc.status:
			frappe.throw(
				_(
					"The fix of {0} awaits the client's sign-off: record what they said with Sign-off › Client Approved or Not Fixed, or wait for their answer."
				).format(doc.name or _("this Issue")),
				title=_("Awaiting Sign-off"),
			)
	else:
		out += transition_events(current, _state(doc.status, tier, current), at)
	if not old.get("sc_action_started_on"):
		started = _action_started(doc, last_at, at)
		if started:
			out.insert(0, Event("action_started", started))
	return out


def _action_started(doc, not_before, at):
	"""Action Started On as typed, checked: not before the clock's last event, not in the future."""
	if not doc.get("sc_action_started_on"):
		return None
	started = local_instant(doc.sc_action_started_on, _("Action Started On"))
	if not_before and started < not_before:
		frappe.throw(
			_(
				"Action Started On ({0}) is before the last recorded SLA event ({1}); record the start when work starts."
			).format(naive(started), naive(not_before))
		)
	if started > at:
		frappe.throw(
			_("Action Started On ({0}) is in the future; record the start when work starts.").format(
				naive(started)
			)
		)
	return started


# ---------------------------------------------------------------- what a save may change
def keep_app_fields(doc) -> None:
	"""The SLA state fields are the app's: input for them is ignored (docs/permissions.md). A stale form
	saved after enforcement moved the Issue, or a request that sets the alert state, cannot undo a
	warning, breach or escalation."""
	old = None if doc.is_new() else doc.get_doc_before_save()
	for f in APP_OWNED:
		doc.set(f, old.get(f) if old else None)


def check_clock_inputs(doc, contract, opened) -> None:
	"""What the clock is computed from may not be bent once it runs (refused, with the field named):
	the customer and the opening time of a governed Issue are fixed, Action Started On is recorded once
	and never in the future, and a new governed Issue opens neither in the future nor further back than
	Support Contract Settings allow."""
	old = None if doc.is_new() else doc.get_doc_before_save()
	if old is not None and old.get("sc_support_contract"):
		for f in ("customer", "opening_date", "opening_time"):
			df = doc.meta.get_field(f)
			if not same_value(df.fieldtype, old.get(f), doc.get(f)):
				frappe.throw(
					_(
						"{0} cannot be changed from {1} to {2}: the SLA clock of support contract {3} runs from it. Open a new Issue instead."
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
				"{0} ({1}) is more than {2} hours ago; a governed Issue may be backdated that far at most (Support Contract Settings)."
			).format(frappe.bold(_("Opening Date and Time")), naive(opened), frappe.utils.cint(limit)),
			title=_("Invalid Opening Time"),
		)


def refuse_opening_before_contract(doc, opened) -> None:
	"""A new Issue of a customer whose contract is active today, dated before that contract began, would be
	saved with no contract and no clock: refused (docs/rules.md B4). An Issue from before the contract is
	one that was opened then — imported, not typed in today."""
	if frappe.flags.in_import or not doc.customer:
		return
	today = now().date()
	if opened.date() >= today:
		return
	contract = active_contract(doc.customer, today)
	if not contract:
		return
	start = frappe.db.get_value("Support Contract", contract.name, "start_date")
	if opened.date() < getdate(start):
		frappe.throw(
			_(
				"{0} ({1}) is before support contract {2} of {3} began ({4}). An Issue opened now is governed by the contract: give the time it was reported, on or after {4}."
			).format(
				frappe.bold(_("Opening Date and Time")),
				naive(opened),
				contract.name,
				doc.customer,
				getdate(start),
			),
			title=_("Invalid Opening Time"),
		)


# ---------------------------------------------------------------- hooks
def guard_portal_user(doc) -> None:
	"""What a customer's contact may do to an Issue outside the portal's own methods (ERPNext's /issues
	web form takes any field it lists, read-only or not): only for their own customers; a ticket under a
	support contract only through Report an Incident (which shows the due times and asks to confirm an
	on-call fee); and never change the priority, status or customer of a governed ticket (a reply moves
	its status, as an e-mail does)."""
	from support_contracts.adapters.portal import customers_of
	from support_contracts.permissions import is_portal_user

	if frappe.flags.sc_monitoring or not is_portal_user():
		return
	if doc.customer not in customers_of():
		frappe.throw(_("You may open and change tickets of your own customers only."), frappe.PermissionError)
	old = None if doc.is_new() else doc.get_doc_before_save()
	if old is None:
		if not frappe.flags.sc_portal_report and active_contract(doc.customer, getdate(naive(now()))):
			frappe.throw(
				_(
					"Report incidents under your support contract at /support/new: it shows the due times the contract promises."
				),
				frappe.PermissionError,
			)
		return
	if old.get("sc_support_contract"):
		for f in (
			"priority",
			"status",
			"customer",
			"sc_error_category",
			"sc_rollback",
			"sc_action_started_on",
			"sc_outside_area",
			"sc_outside_area_reason",
			"sc_quote_first",
			"sc_quotation",
		):
			if not same_value(doc.meta.get_field(f).fieldtype, old.get(f), doc.get(f)):
				frappe.throw(
					_("{0} of a ticket under a support contract is set by the support team.").format(
						frappe.bold(_(doc.meta.get_field(f).label))
					),
					frappe.PermissionError,
				)


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
		if doc.customer and (q.quotation_to != "Customer" or q.party_name != doc.customer):
			frappe.throw(
				_("{0} {1} is not a quotation to customer {2}.").format(
					frappe.bold(_("Quotation")), doc.sc_quotation, doc.customer
				)
			)


def validate(doc, method=None):
	guard_portal_user(doc)
	keep_app_fields(doc)
	if doc.is_new() and doc.flags.sc_monitoring_alert:
		doc.sc_monitoring_alert = doc.flags.sc_monitoring_alert  # one Issue per alert (a unique key)
	check_terms(doc)
	for f in CLOCK_INPUTS:
		check_value(doc, doc.meta.get_field(f), doc)
	opened = _opened_at(doc)
	contract = active_contract(doc.customer, opened.date())
	check_clock_inputs(doc, contract, opened)
	if not contract and doc.is_new():
		refuse_opening_before_contract(doc, opened)
	if not contract:
		if doc.get("sc_support_contract"):
			for f in FIELDS:
				doc.set(f, None)
		return
	tier = frappe.get_cached_doc("Support Tier", contract.tier)
	doc.sc_support_contract, doc.sc_support_tier = contract.name, contract.tier
	try:
		policy = firm.policy(contract.tier)
	except EngineError as e:
		firm.throw(e, "Support Tier")
	doc.priority = ticket_priority(
		doc.priority,
		error_category=doc.get("sc_error_category"),
		rollback=bool(doc.get("sc_rollback")),
		default=tier.default_priority,
		# the site's priorities matter only for a rollback or an error category
		known=frappe.get_all("Issue Priority", pluck="name")
		if doc.get("sc_rollback") or doc.get("sc_error_category")
		else (),
	)
	prio = clock_priority(doc.priority, bool(doc.get("sc_rollback")), policy)
	if prio not in policy.targets:
		frappe.throw(
			_(
				"Support Tier {0} has no SLA targets for priority {1}. Add targets for it to the tier, or choose another priority."
			).format(frappe.bold(contract.tier), frappe.bold(prio or _("(none)"))),
			title=_("No SLA Targets"),
		)
	history = [] if doc.is_new() else stored_events(doc.name)
	pending = events_of_this_save(doc, tier, policy, history)
	if pending and pending[0].kind == "created" and history:
		history = []  # the Issue became governed again: a new clock
	report = _report(policy, history + pending, doc)
	_store(doc, report, history + pending, tier)
	doc.flags.sc_pending_events = pending
	doc.flags.sc_event_notes = {"outside_area": plain_text(doc.get("sc_outside_area_reason")) or None}
	if not doc.is_new() and pending and pending[0].kind == "created":
		# an Issue that came under the contract after it was opened: its clock counts from the move
		doc.flags.sc_event_notes["created"] = doc.flags.sc_moved_onto = _(
			"Came under support contract {0} at {1}; opened {2}. The SLA clock counts from the move, not from the opening."
		).format(contract.name, naive(pending[0].at), naive(opened))
	doc.flags.sc_report = report
	if not doc.get("sc_escalation_level"):
		doc.sc_escalation_level = tier.get("first_level") or FIRST_LEVEL
	if pending and pending[0].kind == "created":  # a new request under the contract (or newly under it)
		doc.flags.sc_first_line = tier.get("first_line_role")  # on_update tells them, once
		doc.flags.sc_assign_level = doc.sc_escalation_level  # on_update assigns the level's team
	if doc.is_new() and on_call_fee(contract, pending[0].at) is not None:
		doc.sc_on_call = 1
		doc.sc_production = 1
		doc.sc_jour = 1
		doc.flags.sc_on_call_contract = contract  # on_update adds its labels and Incident Fee


def on_call_fee(contract, at) -> dict | None:
	"""A call-in under ``contract`` at ``at``: inside its on-call window, the Incident Fee it costs
	(docs/rules.md A6; a tier without an incident model charges none) — None outside the window."""
	if not (contract.on_call and contract.on_call_calendar):
		return None
	if not firm.calendar(contract.on_call_calendar).is_open(at):
		return None
	tier = frappe.get_cached_doc("Support Tier", contract.tier)
	return {
		"fee": tier.incident_fee if tier.has_incident_model else 0,
		"currency": tier.currency,
		"included_minutes": tier.incident_included_minutes if tier.has_incident_model else 0,
	}


def before_rename(doc, method=None, old=None, new=None, merge=False):
	"""Renaming a governed Issue carries its ledger along; merging it into another (or another into it)
	would give one Issue two ledgers that no clock can replay, so it is refused."""
	if not merge:
		return
	governed = [n for n in (old, new) if n and frappe.db.get_value("Issue", n, "sc_support_contract")]
	if governed:
		frappe.throw(
			_(
				"{0} is governed by a support contract: its SLA ledger cannot be merged with another Issue's."
			).format(frappe.bold(governed[0])),
			title=_("Cannot Merge"),
		)


def maintenance_windows(contract: str | None, since) -> tuple:
	"""The contract's planned maintenance windows that end after ``since`` (aware): stretches no SLA target
	counts (docs/rules.md E4)."""
	if not contract:
		return ()
	rows = frappe.db.sql(
		"""select start, end from `tabMaintenance Window` where support_contract = %s and end > %s
		order by start""",
		(contract, naive(since)),
		as_dict=True,
	)
	return tuple((aware(r.start), aware(r.end)) for r in rows)


def _report(policy, events, doc):
	first = events[0].at if events else now()
	clock = Clock(policy, excluded=maintenance_windows(doc.get("sc_support_contract"), first))
	try:
		for e in events:
			clock.add(e)
		last = events[-1].at if events else now()
		return clock.report(max(now(), last))
	except EngineError as e:
		frappe.throw(_("SLA clock of {0}: {1}").format(doc.name or _("this Issue"), str(e)))


def _store(doc, report, events, tier) -> None:
	m = report.metrics
	doc.sc_first_response_due = stored(m["first_response"].due_us)
	doc.sc_action_start_due = stored(m["action_start"].due_us)
	doc.sc_resolution_due = stored(m["resolution"].due_us)
	doc.sc_sla_status = AWAITING_SIGNOFF if report.awaiting_signoff else STATUS_LABEL[report.worst]
	doc.sc_signoff_state, doc.sc_signoff_due = signoff_state(events, tier)
	doc.sc_paused_time = int(report.paused_time.total_seconds())
	unmet = [r for r in m.values() if r.met_us is None and r.due_us is not None]
	breach_us = min((r.due_us for r in unmet), default=None)
	breach_at = stored(breach_us)
	if breach_at != _as_dt(doc.get("sc_breach_at")):
		doc.set(ALERT, alert_rank(NO_ALERT))  # a new deadline: its warning and breach are new transitions
	doc.sc_breach_at = breach_at
	doc.sc_warning_at = stored(min((r.warn_us for r in unmet if r.warn_us is not None), default=None))
	doc.sc_manager_escalation_at = stored(
		manager_escalation_us(breach_us, tier.get("manager_escalation_after"))
	)
	doc.sc_enforce_at = (
		next_instant(
			alert_state(doc.get(ALERT)),
			{
				WARNING_AT: doc.sc_warning_at,
				BREACH_AT: doc.sc_breach_at,
				MANAGER_AT: doc.sc_manager_escalation_at,
			},
		)
		if doc.status in OPEN
		else None
	)


def signoff_state(events: list[Event], tier) -> tuple[str | None, dt.datetime | None]:
	"""The Issue's client sign-off (docs/rules.md C2) as its ledger leaves it — awaiting, approved or
	refused — and, while it awaits, when the client's silence counts as approval (naive, system zone)."""
	last = next((e for e in reversed(events) if e.kind in SIGNOFF_STATE), None)
	if last is None:
		return None, None
	if last.kind != "signoff_requested":
		return SIGNOFF_STATE[last.kind], None
	silence = dt.timedelta(seconds=frappe.utils.cint(tier.get("signoff_timeout")))
	return AWAITING_SIGNOFF, naive(last.at + silence) if silence else None


def _as_dt(value):
	return frappe.utils.get_datetime(value) if value else None


def append_events(issue: str, events: list[Event], source: str, notes: dict | None = None) -> None:
	"""Append events to the Issue's SLA Clock Event ledger (the system writes it, whoever saved): one
	statement for the save's events, in their order (``creation`` a microsecond apart). ``notes``: the
	why of an event, by its kind (a reason, a level raised)."""
	notes = notes or {}
	if not events:
		return
	stamp = frappe.utils.now_datetime()
	user = frappe.session.user
	frappe.db.bulk_insert(
		"SLA Clock Event",
		[
			"name",
			"issue",
			"event",
			"at",
			"priority",
			"source",
			"note",
			"owner",
			"modified_by",
			"creation",
			"modified",
		],
		[
			(
				frappe.generate_hash(length=10),
				issue,
				e.kind,
				naive(e.at),
				e.priority,
				source,
				notes.get(e.kind),
				user,
				user,
				stamp + dt.timedelta(microseconds=i),
				stamp + dt.timedelta(microseconds=i),
			)
			for i, e in enumerate(events)
		],
	)


def on_update(doc, method=None):
	append_events(
		doc.name,
		doc.flags.pop("sc_pending_events", None) or [],
		frappe.session.user,
		doc.flags.pop("sc_event_notes", None),
	)
	report = doc.flags.pop("sc_report", None)
	if report is not None:
		record_outcomes(doc, report)
	contract = doc.flags.pop("sc_on_call_contract", None)
	if contract:
		_on_call_issue(doc, contract)
	first_line = doc.flags.pop("sc_first_line", None)
	if first_line:
		tell_first_line(doc, first_line)
	level = doc.flags.pop("sc_assign_level", None)
	if level:
		assign_level_team(doc, level)
	moved = doc.flags.pop("sc_moved_onto", None)
	if moved:
		doc.add_comment("Info", moved)


def tell_first_line(doc, role: str) -> None:
	"""A new request under a tier with a first line: everyone enabled with that role gets a notification
	(Frappe's Notification Log, and e-mail as their notification settings say) — once, when the Issue is
	created (docs/rules.md E6)."""
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	users = frappe.get_all(
		"Has Role",
		filters={"role": role, "parenttype": "User", "parent": ("not in", ("Administrator", "Guest"))},
		pluck="parent",
		distinct=True,
	)
	if not users:
		return
	enqueue_create_notification(  # Frappe keeps the enabled users who take notifications
		users,
		{
			"type": "Alert",
			"document_type": "Issue",
			"document_name": doc.name,
			"subject": _("New request {0} from {1}: {2}").format(
				doc.name, escape_html(doc.customer or ""), escape_html(doc.subject or "")
			),
			"from_user": doc.owner,
		},
	)


def _label(doc, labels) -> None:
	"""Add Frappe tags (``_user_tags`` and their Tag Links) as the system: the labels are the app's rule,
	whoever opened the Issue — a customer's contact on the portal may not write Issues, and Frappe's own
	``DocTags.add`` checks the user's write permission."""
	have = [t for t in (DocTags("Issue").get_tags(doc.name) or "").split(",") if t]
	new = [label for label in labels if label not in have]
	if not new:
		return
	for label in new:
		if not frappe.db.exists("Tag", label):
			frappe.get_doc({"doctype": "Tag", "name": label}).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Tag Link",
				"document_type": "Issue",
				"document_name": doc.name,
				"title": doc.name,  # not the subject: Frappe lets every user read Tag Links
				"tag": label,
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Issue", doc.name, "_user_tags", "," + ",".join(have + new), update_modified=False)


def _on_call_issue(doc, contract) -> None:
	"""docs/rules.md C4: every on-call case is labelled Production and Jour; A6: a call-in has its fee."""
	_label(doc, LABELS)
	if frappe.db.exists("Incident Fee", {"issue": doc.name}):
		return
	called_at = _opened_at(doc)
	frappe.get_doc(
		{
			"doctype": "Incident Fee",
			"issue": doc.name,
			"customer": doc.customer,
			"support_contract": contract.name,
			"called_at": naive(called_at),
			**(on_call_fee(contract, called_at) or {}),
		}
	).insert(ignore_permissions=True)


def on_communication(comm, method=None):
	"""After a Communication on a governed Issue (``Communication.on_update``, which runs after Frappe has
	updated the Issue): the first outgoing one is the first response; and Frappe moves an Issue back to
	Open on an incoming email with ``db_set``, which no Issue hook sees — so the ledger is brought in line
	with the Issue's status here (a clock paused on Replied resumes when the customer answers)."""
	if (
		comm.reference_doctype != "Issue"
		or not comm.reference_name
		or comm.communication_type != "Communication"
	):
		return
	issue = frappe.db.get_value(
		"Issue",
		comm.reference_name,
		["name", "status", "sc_support_tier", "sc_support_contract"],
		as_dict=True,
	)
	if not issue or not issue.sc_support_tier:
		return
	history = stored_events(issue.name)
	at = max(now(), history[-1].at) if history else now()
	new = []
	if comm.sent_or_received == "Sent" and not any(
		e.kind in ("responded", "action_started", "resolved") for e in history
	):
		sent = aware(comm.communication_date or comm.creation) or at
		new.append(Event("responded", max(sent, history[-1].at) if history else sent))
	tier = frappe.get_cached_doc("Support Tier", issue.sc_support_tier)
	current = ledger_state(history)
	# a message on a ticket whose contract has ended does not restart its clock; nor does a client's
	# reply to a fix that awaits their sign-off decide it: an agent records what the reply says
	if (
		current != AWAITING
		and frappe.db.get_value("Support Contract", issue.sc_support_contract, "status") == "Active"
	):
		new += transition_events(current, _state(issue.status, tier, current), at)
	if not new:
		return
	append_events(issue.name, new, comm.name)
	refresh(issue.name)


def refresh(issue: str) -> None:
	"""Recompute a governed Issue's SLA fields from its ledger, without a full save."""
	doc = frappe.get_doc("Issue", issue)
	if not doc.sc_support_tier:
		return
	events = stored_events(issue)
	report = _report(firm.policy(doc.sc_support_tier), events, doc)
	_store(doc, report, events, frappe.get_cached_doc("Support Tier", doc.sc_support_tier))
	frappe.db.set_value(
		"Issue",
		issue,
		{f: doc.get(f) for f in (*FIELDS, ALERT, "sc_signoff_state", "sc_signoff_due")},
		update_modified=False,
	)
	record_outcomes(doc, report)


OUTCOME = {MET: "Met", BREACHED: "Breached", PAUSED: "Paused", WAIVED: "Waived"}


def record_outcomes(doc, report) -> None:
	"""Keep each target of the Issue on record as it stands now — due, met at, the business time it took
	— in **SLA Outcome** (one row per Issue and metric, updated in place): what the SLA reports count, and
	what stays after the ticket is resolved. Metrics the tier sets no target for have no row."""
	opened = _opened_at(doc)
	values = {
		"customer": doc.customer,
		"support_contract": doc.sc_support_contract,
		"support_tier": doc.sc_support_tier,
		"priority": report.priority,
		"opened_at": naive(opened),
		"month": f"{opened:%Y-%m}",
	}
	rows = []
	for metric, m in report.metrics.items():
		if m.due_us is None and m.elapsed_fraction is None and m.status != WAIVED:
			continue  # no target
		rows.append(
			{
				"name": f"{doc.name}|{metric}",
				"issue": doc.name,
				"metric": metric,
				**values,
				"due": stored(m.due_us),
				"met_at": stored(m.met_us),
				"business_seconds": int(m.used.total_seconds()) if m.used is not None else None,
				"status": OUTCOME.get(m.status, "Open"),
			}
		)
	if not rows:
		return
	# one statement per save: new targets inserted, known ones updated in place (a projection of the
	# ledger nobody writes by hand; the name is the Issue and the metric, as SLAOutcome.autoname makes it)
	stamp, user = frappe.utils.now_datetime(), frappe.session.user
	columns = [*rows[0], "owner", "modified_by", "creation", "modified"]
	changing = [c for c in rows[0] if c not in ("name", "issue", "metric")]
	frappe.db.sql(
		f"""insert into `tabSLA Outcome` ({", ".join(f"`{c}`" for c in columns)})
		values {", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))}
		on duplicate key update {", ".join(f"`{c}` = values(`{c}`)" for c in changing)}""",
		[v for row in rows for v in (*row.values(), user, user, stamp, stamp)],
	)


def clock_report(issue):
	"""A governed Issue's clock now, replayed from its ledger (for reading: no lock); None if ungoverned."""
	if not issue.get("sc_support_tier"):
		return None
	events = stored_events(issue.name, lock=False)
	if not events:
		return None
	return _report(firm.policy(issue.sc_support_tier), events, issue)


@frappe.whitelist()
def clock_summary(issue: str) -> dict | None:
	"""The next due target of an Issue and what its clock is doing, in words, for the top of the Issue form
	(read permission on the Issue is checked)."""
	from support_contracts.adapters.portal import clock_view

	doc = frappe.get_doc("Issue", issue)
	doc.check_permission("read")
	view = clock_view(doc, clock_report(doc))
	return view and {**view, "issue": doc.name, "instructions": written_instructions(doc)}


def written_instructions(doc) -> str:
	"""The contract's written instructions for proactive actions (docs/rules.md A5: what the provider may
	do on its own, e.g. restart the web server), sanitised, for the top of each of its Issues."""
	if not doc.get("sc_support_contract"):
		return ""
	text = frappe.db.get_value("Support Contract", doc.sc_support_contract, "proactive_instructions")
	return sanitize_html(text or "")


@frappe.whitelist(methods=["POST"])
def log_proactive_action(issue: str, action: str | None = None) -> str:
	"""Log on the Issue an action taken under its contract's written instructions (docs/rules.md A5): a
	comment that names it as such, by the agent who took it. Write permission on the Issue is checked;
	an Issue whose contract gives no instructions, or an empty action, is refused."""
	doc = frappe.get_doc("Issue", issue)
	doc.check_permission("write")
	action = typed_text(_("Action"), action, NOTE_LENGTH)
	if not strip_html(written_instructions(doc)).strip():
		frappe.throw(
			_("The contract of {0} gives no written instructions for proactive actions.").format(doc.name),
			frappe.ValidationError,
		)
	comment = doc.add_comment(
		"Comment",
		_("Proactive action under the contract's written instructions: {0}").format(escape_html(action)),
	)
	return comment.name


# ---------------------------------------------------------------- support levels (docs/rules.md E5)
def tier_teams(tier) -> list[tuple[str, bool, str]]:
	"""The tier's Teams rows as the engine reads them: (level, senior, team)."""
	return [(row.level, bool(row.senior), row.team) for row in tier.get("support_teams") or ()]


def senior_priorities(tier) -> list[str]:
	return [
		p.strip() for p in (tier.get("senior_priorities") or "").replace("\n", ",").split(",") if p.strip()
	]


def assign_level_team(doc, level: str) -> str | None:
	"""Assign the Issue to the team of its level (the senior team for the tier's senior priorities): a ToDo
	for the member with the fewest open Issues assigned, as an Assignment Rule's load balancing does.
	Returns the user, or None when the tier names no team with members for the level."""
	from frappe.desk.form.assign_to import add as assign

	if not doc.get("sc_support_tier"):
		return None
	tier = frappe.get_cached_doc("Support Tier", doc.sc_support_tier)
	team = team_for(level, is_senior(doc.priority, senior_priorities(tier)), tier_teams(tier))
	if not team:
		return None
	members = frappe.get_all("User Group Member", filters={"parent": team}, pluck="user", order_by="idx")
	enabled = set(
		frappe.get_all("User", filters={"name": ("in", members or [""]), "enabled": 1}, pluck="name")
	)
	members = [m for m in members if m in enabled]
	if not members:
		return None
	todo = frappe.qb.DocType("ToDo")
	load = dict(
		frappe.qb.from_(todo)
		.select(todo.allocated_to, Count("*"))
		.where(todo.status == "Open")
		.where(todo.reference_type == "Issue")
		.where(todo.allocated_to.isin(members))
		.groupby(todo.allocated_to)
		.run()
	)
	user = min(members, key=lambda m: (load.get(m, 0), members.index(m)))
	assign(
		{
			"assign_to": [user],
			"doctype": "Issue",
			"name": doc.name,
			"description": f"{level}: {doc.subject or doc.name}",
		},
		ignore_permissions=True,
	)
	return user


@frappe.whitelist(methods=["POST"])
def escalate(issue: str, reason: str | None = None, to_level: str | None = None) -> str:
	"""Raise a governed Issue's support level by hand (docs/rules.md E5: L1 → L2 → L3 → management): the
	next level up, or ``to_level`` when above; a ledger event records who and why, and the new level's
	team is assigned. Write permission on the Issue is checked; a reason is required."""
	doc = frappe.get_doc("Issue", issue)
	doc.check_permission("write")
	if not doc.get("sc_support_contract"):
		frappe.throw(_("{0} is not governed by a support contract.").format(doc.name))
	reason = plain_text(typed_text(_("Reason"), reason, NOTE_LENGTH, required=False))
	if not reason:
		frappe.throw(_("{0} is required.").format(frappe.bold(_("Reason"))), frappe.MandatoryError)
	history = stored_events(doc.name)  # under the Issue's row lock
	# the level as it is committed now (a locking read): a plain read would answer from the snapshot this
	# transaction began with and miss an escalation committed while this one waited for the lock
	current = frappe.db.sql(
		"select sc_escalation_level from `tabIssue` where name = %s for update", doc.name
	)[0][0]
	try:
		level = raised_level(current, to_level or None)
	except EngineError as e:
		firm.throw(e, "Issue", {"escalation_level": "Escalation Level"})
	at = max(now(), history[-1].at) if history else now()
	append_events(
		doc.name,
		[Event("escalated", at)],
		frappe.session.user,
		{"escalated": f"{current or '-'} → {level}: {reason}"},
	)
	frappe.db.set_value("Issue", doc.name, "sc_escalation_level", level, update_modified=False)
	doc.add_comment(
		"Info", _("Escalated from {0} to {1}: {2}").format(current or "-", level, escape_html(reason))
	)
	doc.sc_escalation_level = level
	assign_level_team(doc, level)
	return level


# ---------------------------------------------------------------- client sign-off (docs/rules.md C2)
def sign_off(issue: str, approved: bool, source: str, note: str | None = None, at=None) -> str:
	"""Record the client's word on a fix that awaits it: approved (the resolution is met now) or refused
	(the clock runs on, the Issue opens again). Under the Issue's row lock; refused unless a fix awaits
	sign-off. ``source``: who gave it (a user) or :data:`SILENCE`. Returns the sign-off state."""
	history = stored_events(issue)
	if ledger_state(history) != AWAITING:
		frappe.throw(
			_("{0} has no fix awaiting the client's sign-off.").format(frappe.bold(issue)),
			title=_("Nothing to Sign Off"),
		)
	at = max(at or now(), history[-1].at)
	kind = "signoff_given" if approved else "signoff_refused"
	append_events(issue, [Event(kind, at)], source, {kind: note or None})
	if not approved:
		frappe.db.set_value("Issue", issue, "status", "Open")
	elif frappe.db.get_value("Issue", issue, "status") not in ("Resolved", "Closed"):
		# the client's reply opened it again (as Frappe does with any incoming message): approved, it is
		# resolved, as the ledger now says
		frappe.db.set_value("Issue", issue, "status", "Resolved")
	refresh(issue)
	return APPROVED if approved else REFUSED


def approval(value) -> bool:
	"""Whether the client approved: 1 / 0 (or true / false), anything else refused naming the field."""
	word = str(value).strip().lower()
	if word not in ("0", "1", "true", "false"):
		frappe.throw(
			_("{0} must be 1 (approved) or 0 (not fixed), not {1}.").format(
				frappe.bold(_("Approved")), frappe.bold(escape_html(str(value)[:40]))
			),
			frappe.ValidationError,
		)
	return word in ("1", "true")


@frappe.whitelist(methods=["POST"])
def record_signoff(issue: str, approved: int | str | bool, note: str | None = None) -> str:
	"""An agent records the client's answer to a fix (by phone or in a reply): write permission on the
	Issue is checked; a refusal needs the client's words."""
	doc = frappe.get_doc("Issue", issue)
	doc.check_permission("write")
	approved = approval(approved)
	note = plain_text(typed_text(_("What the Client Said"), note, NOTE_LENGTH, required=False))
	if not approved and not note:
		frappe.throw(
			_("{0} is required.").format(frappe.bold(_("What the Client Said"))), frappe.MandatoryError
		)
	state = sign_off(doc.name, approved, frappe.session.user, note)
	if note:
		doc.add_comment("Comment", _("Client sign-off ({0}): {1}").format(_(state), escape_html(note)))
	return state


def sign_off_by_silence(commit: bool = True) -> list[str]:
	"""Scheduled: a fix whose client stayed silent for the tier's time counts as approved then (docs/rules.md
	C2) — Issues still Resolved and awaiting sign-off past their ``sc_signoff_due``. Each one in its own
	transaction, under its row lock and checked again there, so a run and a click cannot both decide.
	``commit`` False: all in the caller's transaction (a test's)."""
	due = frappe.get_all(
		"Issue",
		filters={
			"sc_signoff_state": AWAITING_SIGNOFF,
			"status": "Resolved",
			"sc_signoff_due": ("<=", naive(now())),
		},
		pluck="name",
		order_by="sc_signoff_due",
		limit=1000,
	)
	done = []
	for name in due:
		try:
			stored_events(name)  # lock first, then read the Issue as it is now
			row = frappe.db.get_value(
				"Issue", name, ["status", "sc_signoff_state", "sc_signoff_due"], as_dict=True
			)
			if row.status == "Resolved" and row.sc_signoff_state == AWAITING_SIGNOFF and row.sc_signoff_due:
				sign_off(
					name,
					True,
					SILENCE,
					_("no answer from the client: silence counts as approval"),
					aware(row.sc_signoff_due),
				)
				done.append(name)
		except Exception:
			if not commit:
				raise
			frappe.db.rollback()
			frappe.log_error(title=f"Client sign-off by silence failed for {name}")
			continue
		if commit:
			frappe.db.commit()  # one Issue a transaction: its lock is held no longer than needed
	return done
