"""A ticket's status as its SLA clock reads it (docs/rules.md C2): the state machine between a helpdesk's
statuses and the clock's events, once.

A ticket's clock is **running**, **held** (paused: On Hold or Paused, or Replied where the tier pauses on it),
**done** (resolved or closed), or **awaiting** the client's sign-off of a fix (a tier that asks for it).
:func:`state_of` reads a status; :func:`transition_events` gives the clock events that take the clock
from one state to another; :func:`ledger_state` replays a ledger of events to the state it leaves.
"""

from __future__ import annotations

import datetime as dt

from .sla import Event

RUNNING, HELD, DONE = "running", "held", "done"
AWAITING = "awaiting"  # a fix waits for the client's sign-off (docs/rules.md C2)
RESOLVED_STATUSES = ("Resolved", "Closed")
HELD_STATUSES = ("On Hold", "Paused")  # ERPNext's Issue; Frappe Helpdesk's HD Ticket
REPLIED = "Replied"


def state_of(
	status: str, *, requires_signoff: bool = False, pause_on_replied: bool = False, current: str | None = None
) -> str:
	"""The clock state a ticket status means, from the ledger's ``current`` state: Resolved under a tier that
	needs the client's sign-off awaits it — unless it was given (the ledger is done) or the ticket is
	Closed."""
	if status in RESOLVED_STATUSES:
		if current == DONE or status == "Closed" or not requires_signoff:
			return DONE
		return AWAITING
	if status in HELD_STATUSES or (status == REPLIED and pause_on_replied):
		return HELD
	return RUNNING


def transition_events(before: str, after: str, at: dt.datetime) -> list[Event]:
	"""The clock events that take the clock from state ``before`` to ``after``."""
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


LEAVES_IN = {
	"paused": HELD,
	"resolved": DONE,
	"resumed": RUNNING,
	"reopened": RUNNING,
	"signoff_requested": AWAITING,
	"signoff_given": DONE,
	"signoff_refused": RUNNING,
}


def ledger_state(events) -> str:
	"""The state a ledger of events leaves the clock in."""
	state = RUNNING
	for e in events:
		state = LEAVES_IN.get(e.kind, state)
	return state


def opening_events(status: str, created: dt.datetime, state_at: dt.datetime, **tier) -> list[Event]:
	"""The events that put a clock created at ``created`` into the state ``status`` means at ``state_at``
	(a ticket that comes under a contract already on hold, resolved or awaiting sign-off)."""
	state = state_of(status, **tier)
	if state == HELD:
		return [Event("paused", state_at)]
	if state == DONE:
		return [Event("resolved", state_at)]
	if state == AWAITING:
		return [Event("signoff_requested", state_at)]
	return []
