"""The SLA Clock Event ledger of a governed ticket (an Issue, or an HD Ticket with Helpdesk): append-only,
written by the app alone whoever saved (docs/rules.md C2), read back in order under the ticket's row lock —
the clock is replayed from it."""

from __future__ import annotations

import datetime as dt

import frappe
from frappe import _

from support_contracts.adapters.times import event, naive
from support_contracts.engine.sla import (
	Event,
)


def stored_events(issue: str, lock: bool = True, doctype: str = "Issue") -> list[Event]:
	"""The ticket's ledger (an Issue's, or an HD Ticket's: ``doctype``), read under the ticket's row lock
	and as a locking read: a plain SELECT in MariaDB's REPEATABLE READ would answer from the snapshot the
	transaction began with and miss the events a concurrent save committed while this one waited for the
	lock. ``lock`` False: for reading only (a page that shows the clock)."""
	if lock:
		frappe.db.sql(f"select name from `tab{doctype}` where name = %s for update", issue)
	ev = frappe.qb.DocType("SLA Clock Event")
	q = (
		frappe.qb.from_(ev)
		.select(ev.event, ev.at, ev.priority)
		.where(ev.issue == issue)
		.where(ev.ticket_type == doctype)
		.orderby(ev.at)
		.orderby(ev.creation)
	)
	rows = (q.for_update() if lock else q).run(as_dict=True)
	return [event(r.event, r.at, r.priority or None) for r in rows]


def append_events(
	issue: str, events: list[Event], source: str, notes: dict | None = None, doctype: str = "Issue"
) -> None:
	"""Append events to the ticket's SLA Clock Event ledger (the system writes it, whoever saved): one
	statement for the save's events, in their order (``creation`` a microsecond apart). ``notes``: the
	why of an event, by its kind (a reason, a level raised); ``doctype``: Issue, or HD Ticket."""
	notes = notes or {}
	if not events:
		return
	stamp = frappe.utils.now_datetime()
	user = frappe.session.user
	frappe.db.bulk_insert(
		"SLA Clock Event",
		[
			"name",
			"ticket_type",
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
				doctype,
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


def as_dt(value):
	return frappe.utils.get_datetime(value) if value else None


AWAITING_SIGNOFF, APPROVED, REFUSED = "Awaiting Sign-off", "Approved", "Refused"


SIGNOFF_STATE = {"signoff_requested": AWAITING_SIGNOFF, "signoff_given": APPROVED, "signoff_refused": REFUSED}


SILENCE = "silence"  # the source of a sign-off the client's silence gave


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


def refuse_deleting_a_clocked_ticket(doc, method=None) -> None:
	"""``on_trash`` of Issue and HD Ticket: a ticket with an SLA clock (a ledger row) is not deleted — its
	ledger is append-only and its outcomes count in the reports and the credits (docs/rules.md C2). Frappe
	refused it through the ledger's plain link to Issue; a ledger that names tickets of two doctypes links
	dynamically, which Frappe checks only from a cache, so the app refuses it itself. Close it instead."""
	if frappe.db.exists("SLA Clock Event", {"ticket_type": doc.doctype, "issue": doc.name}):
		frappe.throw(
			_(
				"{0} {1} has an SLA clock (SLA Clock Event) under a support contract, so it cannot be deleted: close it instead."
			).format(_(doc.doctype), doc.name),
			frappe.LinkExistsError,
			title=_("SLA Clock Running"),
		)
