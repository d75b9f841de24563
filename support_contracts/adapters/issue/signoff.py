"""The client's sign-off of a fix (docs/rules.md C2): by their portal button, by an agent's record of what
they said, or by their silence for the tier's time."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import escape_html

from support_contracts.adapters.issue.clock import refresh
from support_contracts.adapters.issue.ledger import (
	APPROVED,
	AWAITING_SIGNOFF,
	REFUSED,
	SILENCE,
	append_events,
	stored_events,
)
from support_contracts.adapters.times import aware, naive, now
from support_contracts.adapters.validation import (
	NOTE_LENGTH,
	plain_text,
	typed_text,
)
from support_contracts.engine.sla import (
	Event,
)
from support_contracts.engine.ticket_states import (
	AWAITING,
	ledger_state,
)


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
