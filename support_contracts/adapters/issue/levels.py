"""Support levels and who handles a request (docs/rules.md E5, E6): the tier's teams and senior priorities,
the first line told of a new request, a level's team assigned, escalation by hand, and the contract's
written instructions with the proactive actions taken under them (A5)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.query_builder.functions import Count
from frappe.utils import escape_html, strip_html
from frappe.utils.html_utils import sanitize_html

from support_contracts.adapters import firm
from support_contracts.adapters.access import users_with_role
from support_contracts.adapters.issue.ledger import append_events, stored_events
from support_contracts.adapters.times import now
from support_contracts.adapters.validation import (
	NOTE_LENGTH,
	plain_text,
	typed_text,
)
from support_contracts.engine.errors import EngineError
from support_contracts.engine.escalation import (
	is_senior,
	raised_level,
	team_for,
)
from support_contracts.engine.sla import (
	Event,
)


def tell_first_line(doc, role: str) -> None:
	"""A new request under a tier with a first line: everyone enabled with that role gets a notification
	(Frappe's Notification Log, and e-mail as their notification settings say) — once, when the Issue is
	created (docs/rules.md E6)."""
	users = users_with_role(role)
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


def written_instructions(doc) -> str:
	"""The contract's written instructions for proactive actions (docs/rules.md A5: what the provider may
	do on its own, e.g. restart the web server), sanitised, for the top of each of its Issues."""
	if not doc.get("sc_support_contract"):
		return ""
	text = frappe.db.get_value("Support Contract", doc.sc_support_contract, "proactive_instructions")
	return sanitize_html(text or "")


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
