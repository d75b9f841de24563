"""An Issue's SLA clock: the events a save means (the document mapped onto ``engine/ticket_states``), the
ledger replayed by the engine, and its due times, status and outcomes stored on the Issue."""

from __future__ import annotations

import frappe
from frappe import _

from support_contracts.adapters import firm, helpdesk
from support_contracts.adapters.issue.contracts import maintenance_windows
from support_contracts.adapters.issue.fields import (
	ALERT,
	FIELDS,
	OPEN,
	OUTCOME,
	STATUS_LABEL,
	alert_rank,
	alert_state,
	opened_at,
)
from support_contracts.adapters.issue.ledger import AWAITING_SIGNOFF, as_dt, signoff_state, stored_events
from support_contracts.adapters.times import local_instant, naive, now, stored
from support_contracts.engine.errors import EngineError
from support_contracts.engine.escalation import (
	BREACH_AT,
	MANAGER_AT,
	NO_ALERT,
	WARNING_AT,
	manager_escalation_us,
	next_instant,
)
from support_contracts.engine.sla import (
	WAIVED,
	Clock,
	Event,
	clock_priority,
)
from support_contracts.engine.ticket_states import (
	AWAITING,
	ledger_state,
	opening_events,
	state_of,
	transition_events,
)


def clock_state(status: str, tier, current: str | None = None) -> str:
	"""The clock state an Issue status means under ``tier`` (``engine/ticket_states.state_of``)."""
	return state_of(status, current=current, **tier_states(tier))


def tier_states(tier) -> dict:
	return {
		"requires_signoff": bool(tier.get("requires_client_signoff")),
		"pause_on_replied": bool(tier.pause_on_replied),
	}


def events_of_this_save(doc, old, tier, policy, history: list[Event], opened=None) -> list[Event]:
	"""The clock events a save of ``doc`` means. The state it moves from is the ledger's, not the old
	document's: a status someone changed behind the hooks' back (ERPNext's auto-close of Replied issues
	writes "Closed" directly) is caught up here instead of making the clock refuse the save."""
	last_at = history[-1].at if history else None
	at = now()
	if last_at and at < last_at:
		at = last_at
	prio = clock_priority(helpdesk.contract_priority(doc), bool(doc.get("sc_rollback")), policy)
	if old is None or not old.get("sc_support_contract"):
		created = (opened or opened_at(doc)) if doc.is_new() else at
		out = [Event("created", created, prio)]
		# an Issue that becomes governed later may have started before its clock did: met from the start
		started = action_started(doc, created if doc.is_new() else None, at)
		if started:
			started = max(started, created)
			out.append(Event("action_started", started))
		if doc.get("sc_outside_area"):
			out.append(Event("outside_area", max(created, started or created)))
		out += opening_events(doc.status, created, max(created, started or created), **tier_states(tier))
		return out
	out = []
	if clock_priority(helpdesk.contract_priority(old), bool(old.get("sc_rollback")), policy) != prio:
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
				).format(doc.name or _("this ticket")),
				title=_("Awaiting Sign-off"),
			)
	else:
		out += transition_events(current, clock_state(doc.status, tier, current), at)
	if not old.get("sc_action_started_on"):
		started = action_started(doc, last_at, at)
		if started:
			out.insert(0, Event("action_started", started))
	return out


def action_started(doc, not_before, at):
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


def replay(policy, events, doc):
	first = events[0].at if events else now()
	clock = Clock(policy, excluded=maintenance_windows(doc.get("sc_support_contract"), first))
	try:
		for e in events:
			clock.add(e)
		last = events[-1].at if events else now()
		return clock.report(max(now(), last))
	except EngineError as e:
		frappe.throw(_("SLA clock of {0}: {1}").format(doc.name or _("this ticket"), str(e)))


def store_clock(doc, report, events, tier) -> None:
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
	if breach_at != as_dt(doc.get("sc_breach_at")):
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


def record_outcomes(doc, report, opened=None) -> None:
	"""Keep each target of the Issue on record as it stands now — due, met at, the business time it took
	— in **SLA Outcome** (one row per Issue and metric, updated in place): what the SLA reports count, and
	what stays after the ticket is resolved. Metrics the tier sets no target for have no row. ``opened``:
	the opening instant, where the caller read it already."""
	opened = opened or opened_at(doc)
	values = {
		"customer": helpdesk.customer_of(doc),
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
				"name": outcome_name(doc.doctype, doc.name, metric),
				"ticket_type": doc.doctype,
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
	changing = [c for c in rows[0] if c not in ("name", "ticket_type", "issue", "metric")]
	frappe.db.sql(
		f"""insert into `tabSLA Outcome` ({", ".join(f"`{c}`" for c in columns)})
		values {", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))}
		on duplicate key update {", ".join(f"`{c}` = values(`{c}`)" for c in changing)}""",
		[v for row in rows for v in (*row.values(), user, user, stamp, stamp)],
	)


def outcome_name(doctype: str, ticket: str, metric: str) -> str:
	"""An SLA Outcome's name: the ticket and the metric (an HD Ticket's with its doctype, whose names are
	numbers), as ``SLAOutcome.autoname`` makes it."""
	return f"{helpdesk.ticket_key(doctype, ticket)}|{metric}"


def refresh(issue: str, doctype: str = "Issue") -> None:
	"""Recompute a governed ticket's SLA fields from its ledger, without a full save."""
	doc = frappe.get_doc(doctype, issue)
	if not doc.sc_support_tier:
		return
	events = stored_events(issue, doctype=doctype)
	report = replay(firm.policy(doc.sc_support_tier), events, doc)
	store_clock(doc, report, events, frappe.get_cached_doc("Support Tier", doc.sc_support_tier))
	frappe.db.set_value(
		doctype,
		issue,
		{
			**{f: doc.get(f) for f in (*FIELDS, ALERT, "sc_signoff_state", "sc_signoff_due")},
			**helpdesk.helpdesk_columns(doc, report),
		},
		update_modified=False,
	)
	record_outcomes(doc, report)


def clock_report(issue):
	"""A governed ticket's clock now, replayed from its ledger (for reading: no lock); None if ungoverned."""
	if not issue.get("sc_support_tier"):
		return None
	events = stored_events(issue.name, lock=False, doctype=issue.get("doctype") or "Issue")
	if not events:
		return None
	return replay(firm.policy(issue.sc_support_tier), events, issue)
