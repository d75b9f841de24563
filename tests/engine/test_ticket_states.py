"""The ticket state machine (docs/rules.md C2): statuses read as clock states, the events between them, and a
ledger replayed to its state — worked out from the rules, not from the code."""

from support_contracts.engine.sla import Event
from support_contracts.engine.ticket_states import (
	AWAITING,
	DONE,
	HELD,
	RUNNING,
	ledger_state,
	opening_events,
	state_of,
	transition_events,
)

from .conftest import at

T = at(2026, 6, 16, 10)


def kinds(events):
	return [e.kind for e in events]


def test_statuses_as_the_clock_reads_them():
	assert state_of("Open") == RUNNING
	assert state_of("On Hold") == HELD
	assert state_of("Paused") == HELD  # Frappe Helpdesk's word for On Hold (HD Ticket)
	assert state_of("Replied") == RUNNING  # a tier that does not pause on Replied
	assert state_of("Replied", pause_on_replied=True) == HELD
	assert state_of("Resolved") == DONE
	# a fix handed to a client whose tier asks for their sign-off waits for it ...
	assert state_of("Resolved", requires_signoff=True) == AWAITING
	# ... unless it was given (the ledger is done), or the ticket is closed
	assert state_of("Resolved", requires_signoff=True, current=DONE) == DONE
	assert state_of("Closed", requires_signoff=True) == DONE


def test_events_between_states():
	assert transition_events(RUNNING, RUNNING, T) == []
	assert kinds(transition_events(RUNNING, HELD, T)) == ["paused"]
	assert kinds(transition_events(HELD, RUNNING, T)) == ["resumed"]
	assert kinds(transition_events(RUNNING, DONE, T)) == ["resolved"]
	assert kinds(transition_events(DONE, HELD, T)) == ["reopened", "paused"]
	assert kinds(transition_events(DONE, AWAITING, T)) == ["reopened", "signoff_requested"]
	assert kinds(transition_events(AWAITING, DONE, T)) == ["signoff_given"]
	assert kinds(transition_events(AWAITING, HELD, T)) == ["signoff_refused", "paused"]
	assert all(e.at == T for e in transition_events(DONE, HELD, T))


def test_a_ledger_leaves_the_state_of_its_last_moving_event():
	assert ledger_state([]) == RUNNING
	ledger = [Event("created", T, "P1"), Event("paused", T), Event("escalated", T)]
	assert ledger_state(ledger) == HELD  # escalated is kept for the record and moves nothing
	assert ledger_state([*ledger, Event("signoff_requested", T)]) == AWAITING
	assert ledger_state([*ledger, Event("signoff_requested", T), Event("signoff_refused", T)]) == RUNNING


def test_a_clock_opened_on_a_ticket_already_on_hold_starts_paused():
	assert kinds(opening_events("On Hold", T, T)) == ["paused"]
	assert kinds(opening_events("Resolved", T, T, requires_signoff=True)) == ["signoff_requested"]
	assert opening_events("Open", T, T) == []
