"""Issues governed by a support contract: engine due times, pause/resume/reopen, first response, on-call.

Wired in ``hooks.py``:

- ``Issue.validate`` → :func:`validate`, a short list of named steps over one :class:`IssueSave` (what
  the save learns once: the Issue before it, its opening instant, its contract): find the customer's active contract; if none, leave the Issue to
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
from dataclasses import dataclass, field

import frappe
from frappe import _

from support_contracts.adapters import firm, helpdesk, rating_links
from support_contracts.adapters.issue.clock import (
	clock_state,
	events_of_this_save,
	record_outcomes,
	refresh,
	replay,
	store_clock,
)
from support_contracts.adapters.issue.contracts import active_contract, on_call_fee
from support_contracts.adapters.issue.fields import (
	CLOCK_INPUTS,
	FIELDS,
	check_clock_inputs,
	check_terms,
	guard_helpdesk_contact,
	guard_portal_user,
	keep_app_fields,
	opened_at,
	opening_alert,
	refuse_opening_before_contract,
)
from support_contracts.adapters.issue.ledger import append_events, stored_events
from support_contracts.adapters.issue.levels import assign_level_team, tell_first_line
from support_contracts.adapters.issue.on_call import on_call_issue
from support_contracts.adapters.onboarding import mark_done
from support_contracts.adapters.times import aware, naive, now
from support_contracts.adapters.validation import check_value, plain_text
from support_contracts.engine.errors import EngineError
from support_contracts.engine.escalation import FIRST_LEVEL
from support_contracts.engine.sla import ClockReport, Event, Policy, clock_priority
from support_contracts.engine.targets import ticket_priority
from support_contracts.engine.ticket_states import AWAITING, ledger_state, transition_events


@dataclass
class IssueSave:
	"""One save of an Issue: what it learns once — the Issue before the save, when it was opened, the
	contract that governs it — and what :func:`validate` hands to :func:`on_update`: the clock events to
	append with their notes, the clock's report, and who is to be told or assigned."""

	before: object | None  # the Issue as stored before this save (None: a new Issue)
	opened: dt.datetime
	contract: dict | None = None
	tier: object | None = None
	policy: Policy | None = None
	events: list[Event] = field(default_factory=list)
	notes: dict[str, str | None] = field(default_factory=dict)
	report: ClockReport | None = None
	first_line: str | None = None  # the role told of a new request
	assign_level: str | None = None  # the level whose team is assigned
	on_call: dict | None = None  # the contract whose on-call window a new Issue opened in
	moved_onto: str | None = None  # an Issue that came under a contract after it was opened: the note
	ask_rating: bool = False  # resolved now: its contact is e-mailed a rating link (docs/rules.md F4)
	written: bool = False  # its events are in the ledger already (a save nested in its insert wrote them)

	@classmethod
	def begin(cls, doc) -> IssueSave:
		save = cls(before=None if doc.is_new() else doc.get_doc_before_save(), opened=now())
		doc._sc_save = save  # on_update's: one object, not values parked in doc.flags
		if doc.is_new():  # the name is set before validate (a naming series, or Helpdesk's autoincrement)
			_inserting()[(doc.doctype, doc.name)] = save
		return save


def _inserting() -> dict:
	"""The saves of new tickets whose on_update has not run yet, in this request."""
	if not hasattr(frappe.local, "sc_inserting"):
		frappe.local.sc_inserting = {}
	return frappe.local.sc_inserting


def write_insert_ledger_first(doctype: str, name: str) -> None:
	"""A save nested in a new ticket's insert — Helpdesk saves a new HD Ticket again from its after_insert
	(the Communication of its description), before the insert's on_update has written the ledger — first
	writes the insert's events, so that it replays the clock the insert began."""
	outer = _inserting().get((doctype, name))
	if outer is None or outer.written or not outer.contract or not outer.events:
		return
	append_events(name, outer.events, frappe.session.user, outer.notes, doctype=doctype)
	outer.written = True


def validate(doc, method=None):
	"""``Issue.validate``: the steps of a save of an Issue, in order."""
	if not helpdesk.fields_made(doc):  # Helpdesk's welcome ticket, saved while Helpdesk installs
		return
	save = IssueSave.begin(doc)
	check_who_saves(doc, save)
	find_contract(doc, save)
	if not save.contract:
		leave_to_erpnext(doc)
		return
	govern(doc, save)
	run_clock(doc, save)
	route(doc, save)
	ask_for_verdict(doc, save)


def ask_for_verdict(doc, save: IssueSave) -> None:
	"""A governed Issue resolved now: its contact is to be e-mailed a rating link, where the settings ask
	(``adapters/rating_links.py``, docs/rules.md F4)."""
	save.ask_rating = rating_links.ask_on_resolution(doc, save.before)


def check_who_saves(doc, save: IssueSave) -> None:
	"""What the person saving may change: a customer's contact only their own customers' tickets, and not
	what drives a governed ticket's clock (an Issue through the app's portal, an HD Ticket through
	Helpdesk's); the app's fields are the app's; the contract's terms hold."""
	if doc.doctype == "Issue":
		guard_portal_user(doc, save.before)
	else:
		guard_helpdesk_contact(doc, save.before)
	keep_app_fields(doc, save.before)
	if doc.is_new() and opening_alert():
		doc.sc_monitoring_alert = opening_alert()  # one Issue per monitoring alert (a unique key)
	check_terms(doc)


def find_contract(doc, save: IssueSave) -> None:
	"""The clock's inputs checked, the opening instant read, and the contract active then."""
	for f in CLOCK_INPUTS:
		check_value(doc, doc.meta.get_field(f), doc)
	save.opened = opened_at(doc)
	save.contract = active_contract(helpdesk.customer_of(doc), save.opened.date())
	check_clock_inputs(doc, save.before, save.contract, save.opened)
	if not save.contract and doc.is_new():
		refuse_opening_before_contract(doc, save.opened)


def leave_to_erpnext(doc) -> None:
	"""No contract governs the ticket: ERPNext's (or Helpdesk's) own SLA serves it, and no due time of the
	app is left — nor, on an HD Ticket, a contract priority."""
	if doc.get("sc_support_contract"):
		for f in FIELDS:
			doc.set(f, None)
	if doc.doctype != "Issue":
		doc.set(helpdesk.PRIORITY_FIELD, None)


def govern(doc, save: IssueSave) -> None:
	"""The contract, its tier and policy on the Issue, and the priority the ticket is filed under (a
	rollback is P3, an SSA-L category is the priority, else the tier's default)."""
	contract = save.contract
	save.tier = frappe.get_cached_doc("Support Tier", contract.tier)
	doc.sc_support_contract, doc.sc_support_tier = contract.name, contract.tier
	try:
		save.policy = firm.policy(contract.tier)
	except EngineError as e:
		firm.throw(e, "Support Tier")
	if doc.doctype == "Issue":
		chosen = doc.priority
	elif (
		save.before is not None
		and save.before.get("sc_support_contract")
		and not doc.has_value_changed("priority")
	):
		# an HD Ticket's contract priority stays while its Helpdesk priority does: a new mapping is for
		# new tickets, not a change of the open ones' clocks by whoever saves them next
		chosen = save.before.get(helpdesk.PRIORITY_FIELD)
	else:  # an HD Ticket keeps Helpdesk's priority; its contract's is the one that priority maps to
		chosen = helpdesk.mapped_priority(doc.priority)
		chosen = chosen if chosen in save.policy.targets else None  # unmapped: the tier's default
	filed = ticket_priority(
		chosen,
		error_category=doc.get("sc_error_category"),
		rollback=bool(doc.get("sc_rollback")),
		default=save.tier.default_priority,
		# the site's priorities matter only for a rollback or an error category
		known=frappe.get_all("Issue Priority", pluck="name")
		if doc.get("sc_rollback") or doc.get("sc_error_category")
		else (),
	)
	doc.set("priority" if doc.doctype == "Issue" else helpdesk.PRIORITY_FIELD, filed)
	prio = clock_priority(filed, bool(doc.get("sc_rollback")), save.policy)
	if prio not in save.policy.targets:
		frappe.throw(
			_(
				"Support Tier {0} has no SLA targets for priority {1}. Add targets for it to the tier, or choose another priority."
			).format(frappe.bold(contract.tier), frappe.bold(prio or _("(none)"))),
			title=_("No SLA Targets"),
		)


def run_clock(doc, save: IssueSave) -> None:
	"""The events this save means, replayed after the Issue's ledger by the engine; due times, status and
	alert instants stored on the Issue."""
	if not doc.is_new():
		write_insert_ledger_first(doc.doctype, doc.name)
	history = [] if doc.is_new() else stored_events(doc.name, doctype=doc.doctype)
	save.events = events_of_this_save(doc, save.before, save.tier, save.policy, history, save.opened)
	if save.events and save.events[0].kind == "created" and history:
		history = []  # the Issue became governed again: a new clock
	save.report = replay(save.policy, history + save.events, doc)
	store_clock(doc, save.report, history + save.events, save.tier)
	save.notes = {"outside_area": plain_text(doc.get("sc_outside_area_reason")) or None}
	if not doc.is_new() and save.events and save.events[0].kind == "created":
		# an Issue that came under the contract after it was opened: its clock counts from the move
		save.notes["created"] = save.moved_onto = _(
			"Came under support contract {0} at {1}; opened {2}. The SLA clock counts from the move, not from the opening."
		).format(save.contract.name, naive(save.events[0].at), naive(save.opened))


def route(doc, save: IssueSave) -> None:
	"""Who handles the request: its support level (the tier's first), the first line to tell and the
	level's team to assign for a request new under the contract (an Issue's: Helpdesk's own teams and
	assignment rules route an HD Ticket), and an on-call ticket's labels and fee."""
	if not doc.get("sc_escalation_level"):
		doc.sc_escalation_level = save.tier.get("first_level") or FIRST_LEVEL
	new_under_contract = save.events and save.events[0].kind == "created"  # (or newly under it)
	if doc.doctype == "Issue" and new_under_contract:
		save.first_line = save.tier.get("first_line_role")
		save.assign_level = doc.sc_escalation_level
	if doc.is_new() and on_call_fee(save.contract, save.events[0].at) is not None:
		doc.sc_on_call = doc.sc_production = doc.sc_jour = 1
		save.on_call = save.contract


def on_update(doc, method=None):
	"""``Issue.on_update``: what the save decided, written — the ledger's new events, the outcomes, an
	on-call Issue's labels and fee, the first line told, the level's team assigned, a move noted, a resolved Issue's rating link sent."""
	save: IssueSave | None = doc.__dict__.pop("_sc_save", None)
	if save is None:  # saved without validation (a job's ``flags.ignore_validate``): nothing was decided
		return
	if _inserting().get((doc.doctype, doc.name)) is save:
		del _inserting()[(doc.doctype, doc.name)]
	if not save.contract:
		return
	if not save.written:
		append_events(doc.name, save.events, frappe.session.user, save.notes, doctype=doc.doctype)
	record_outcomes(doc, save.report, save.opened)
	if save.on_call:
		on_call_issue(doc, save.on_call, save.opened)
	if save.first_line:
		tell_first_line(doc, save.first_line)
	if save.assign_level:
		assign_level_team(doc, save.assign_level)
	if save.moved_onto:
		doc.add_comment("Info", save.moved_onto)
	if save.ask_rating:
		rating_links.send(doc)
	if doc.doctype == "Issue":
		mark_done(doc)  # the onboarding's "Open a Governed Issue" (one cache read once it is done)


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


def on_communication(comm, method=None):
	"""After a Communication on a governed Issue (``Communication.on_update``, which runs after Frappe has
	updated the Issue): the first outgoing one is the first response; and Frappe moves an Issue back to
	Open on an incoming email with ``db_set``, which no Issue hook sees — so the ledger is brought in line
	with the Issue's status here (a clock paused on Replied resumes when the customer answers)."""
	doctype = comm.reference_doctype
	if (
		doctype not in helpdesk.ticket_doctypes()
		or not comm.reference_name
		or comm.communication_type != "Communication"
	):
		return
	issue = frappe.db.get_value(
		doctype,
		comm.reference_name,
		["name", "status", "sc_support_tier", "sc_support_contract"],
		as_dict=True,
	)
	if not issue or not issue.sc_support_tier:
		return
	write_insert_ledger_first(doctype, issue.name)
	history = stored_events(issue.name, doctype=doctype)
	at = max(now(), history[-1].at) if history else now()
	new = []
	if comm.sent_or_received == "Sent" and not any(
		e.kind in ("responded", "action_started", "resolved") for e in history
	):
		# when the reply was recorded, not the date it gives itself (a date typed into the past would meet
		# a target already breached, one in the future would stamp every later event with it)
		sent = min(aware(comm.creation) or at, now())
		new.append(Event("responded", max(sent, history[-1].at) if history else sent))
	tier = frappe.get_cached_doc("Support Tier", issue.sc_support_tier)
	current = ledger_state(history)
	# a message on a ticket whose contract has ended does not restart its clock; nor does a client's
	# reply to a fix that awaits their sign-off decide it: an agent records what the reply says
	if (
		current != AWAITING
		and frappe.db.get_value("Support Contract", issue.sc_support_contract, "status") == "Active"
	):
		new += transition_events(current, clock_state(issue.status, tier, current), at)
	if not new:
		return
	append_events(issue.name, new, comm.name, doctype=doctype)
	refresh(issue.name, doctype)
