"""The scheduled SLA enforcement (every 5 minutes, ``hooks.scheduler_events``).

One set-based scan of the open governed Issues per transition of the engine's table
(``engine/escalation.py`` ``TRANSITIONS``: Warning, Breached, Escalated to Manager — which state each
leaves, which instant makes it due, the level it sets, who is told). This module only maps the table
onto the Issue's columns (:data:`COLUMN`) and runs it.

Exactly once, also when two workers run the job at the same moment: each step claims its rows with
``SELECT … FOR UPDATE SKIP LOCKED`` (a second worker skips them, and once the first commits they no longer
match), moves them with one UPDATE, and records each transition in **SLA Transition** under a
deterministic name (issue, transition, due time) with ``INSERT IGNORE`` — the primary key is the last
guard. Notifications are written in the same transaction, so a killed run leaves nothing half done.

Each moved Issue gets a new ``modified``, so a Desk form opened before the run is stale and Frappe asks the
agent to reload rather than save old values over the escalation (and the Issue's validate ignores input
for these fields anyway: ``adapters/issue.py`` ``keep_app_fields``).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from support_contracts.adapters.times import naive, now
from support_contracts.engine.escalation import (
	BREACH_AT,
	DEFAULT_MANAGER_GRACE,
	MANAGER_AT,
	MANAGERS,
	NO_ALERT,
	SUPPORT_MANAGER,
	TRANSITIONS,
	WARNING_AT,
	Transition,
)

OPEN = ("Open", "Replied", "On Hold")
COLUMN = {WARNING_AT: "sc_warning_at", BREACH_AT: "sc_breach_at", MANAGER_AT: "sc_manager_escalation_at"}
MANAGER_ROLE = SUPPORT_MANAGER  # the role told when a breach reaches management


def enforce(issues: list[str] | None = None) -> dict:
	"""Run every transition that is due — of all governed Issues, or only of ``issues`` (a run for some
	Issues, e.g. a test's own on a site that holds others); returns how many Issues each moved."""
	at, stamp = naive(now()), now_datetime()
	# the scheduler commits after the job: each run is one transaction
	return {t.state: _step(t, at, stamp, issues) for t in TRANSITIONS}


def _claim(t: Transition, at, issues) -> list[dict]:
	issue = frappe.qb.DocType("Issue")
	q = (
		frappe.qb.from_(issue)
		.select(issue.name, issue.subject, issue._assign, issue.owner, issue[COLUMN[t.due]].as_("due"))
		.where(issue.sc_support_contract.isnotnull())
		.where(issue.status.isin(OPEN))
		.where(issue[COLUMN[t.due]] <= at)
	)
	states = t.from_states
	if NO_ALERT in states:
		q = q.where(issue.sc_alert_state.isnull() | issue.sc_alert_state.isin(states))
	else:
		q = q.where(issue.sc_alert_state.isin(states))
	if t.before:
		q = q.where(issue[COLUMN[t.before]] > at)
	if issues is not None:
		q = q.where(issue.name.isin(tuple(issues) or ("",)))
	return q.for_update(skip_locked=True).run(as_dict=True)


def _step(t: Transition, at, stamp, issues=None) -> int:
	rows = _claim(t, at, issues)
	if not rows:
		return 0
	sets = ["i.sc_alert_state = %(state)s", "i.modified = %(stamp)s"]
	if t.sla_status:
		sets.append("i.sc_sla_status = %(sla_status)s")
	if t.level:
		sets.append("i.sc_escalation_level = %(level)s")
	if t.schedules == MANAGER_AT:  # breach + the tier's grace, in the same statement (a join)
		sets.append(
			f"i.{COLUMN[MANAGER_AT]} = timestampadd(second, coalesce(t.manager_escalation_after, %(grace)s), i.{COLUMN[BREACH_AT]})"
		)
	frappe.db.sql(
		f"""update `tabIssue` i left join `tabSupport Tier` t on t.name = i.sc_support_tier
		set {", ".join(sets)} where i.name in %(names)s""",
		{
			"state": t.state,
			"stamp": stamp,
			"sla_status": t.sla_status,
			"level": t.level,
			"grace": int(DEFAULT_MANAGER_GRACE.total_seconds()),
			"names": tuple(r.name for r in rows),
		},
	)
	_record(t, rows, at, stamp)
	return len(rows)


def _managers() -> list[str]:
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(has_role.parent)
		.distinct()
		.where(has_role.role == MANAGER_ROLE)
		.where(has_role.parenttype == "User")
		.where(user.enabled == 1)
		.run(pluck=True)
	)


def _assignees(row) -> list[str]:
	users = frappe.parse_json(row._assign) if row._assign else []
	return users or [row.owner]


def _record(t: Transition, rows, at, stamp) -> None:
	users_of = (lambda r: managers) if t.notify == MANAGERS else _assignees
	managers = _managers() if t.notify == MANAGERS else []
	transitions, notes = [], []
	for r in rows:
		key = f"{r.name}|{t.state}|{frappe.utils.get_datetime(r.due):%Y%m%dT%H%M%S}"
		users = users_of(r)
		transitions.append(
			(
				key,
				r.name,
				t.state,
				r.due,
				at,
				t.level,
				", ".join(users),
				stamp,
				stamp,
				"Administrator",
				"Administrator",
			)
		)
		subject = _(t.message).format(r.name, r.due)
		for u in users:
			notes.append(
				(
					frappe.generate_hash(length=12),
					u,
					"Alert",
					"Issue",
					r.name,
					f"{subject}: {frappe.utils.escape_html(r.subject or '')}",
					"Administrator",
					stamp,
					stamp,
					"Administrator",
					"Administrator",
				)
			)
	frappe.db.bulk_insert(
		"SLA Transition",
		[
			"name",
			"issue",
			"transition",
			"due",
			"at",
			"escalation_level",
			"notified",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		transitions,
		ignore_duplicates=True,
	)
	if notes:
		frappe.db.bulk_insert(
			"Notification Log",
			[
				"name",
				"for_user",
				"type",
				"document_type",
				"document_name",
				"subject",
				"from_user",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			notes,
		)
