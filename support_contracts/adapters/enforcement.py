"""The scheduled SLA enforcement (every 5 minutes, ``hooks.scheduler_events``).

One set-based scan of the open governed Issues moves each along ``sc_alert_state``:

====================  ==========================================  ==========================================
transition            when                                        then
====================  ==========================================  ==========================================
Warning               ``sc_warning_at <= now < sc_breach_at``     status Warning; notify the assignee
Breached              ``sc_breach_at <= now``                     status Breached; escalate Level 2 → Level 3;
                                                                  notify the assignee; schedule the manager
Escalated to Manager  ``sc_manager_escalation_at <= now``         escalate to Support Manager; notify managers
====================  ==========================================  ==========================================

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

OPEN = ("Open", "Replied", "On Hold")
LEVEL_3 = "Level 3"
MANAGER = "Support Manager"


def enforce(issues: list[str] | None = None) -> dict:
	"""Run every transition that is due — of all governed Issues, or only of ``issues`` (a run for some
	Issues, e.g. a test's own on a site that holds others); returns how many Issues each moved."""
	at, stamp = naive(now()), now_datetime()
	moved = {
		"Warning": _step("Warning", at, stamp, issues),
		"Breached": _step("Breached", at, stamp, issues),
		"Escalated to Manager": _step("Escalated to Manager", at, stamp, issues),
	}
	return moved  # the scheduler commits after the job: each run is one transaction


def _claim(transition: str, at, issues) -> list[dict]:
	issue = frappe.qb.DocType("Issue")
	q = (
		frappe.qb.from_(issue)
		.select(
			issue.name,
			issue.subject,
			issue._assign,
			issue.owner,
			issue.sc_breach_at,
			issue.sc_manager_escalation_at,
		)
		.where(issue.sc_support_contract.isnotnull())
		.where(issue.status.isin(OPEN))
	)
	if issues is not None:
		q = q.where(issue.name.isin(tuple(issues) or ("",)))
	if transition == "Warning":
		q = (
			q.where((issue.sc_alert_state.isnull()) | (issue.sc_alert_state == ""))
			.where(issue.sc_warning_at <= at)
			.where(issue.sc_breach_at > at)
		)
	elif transition == "Breached":
		q = q.where((issue.sc_alert_state.isnull()) | (issue.sc_alert_state.isin(("", "Warning")))).where(
			issue.sc_breach_at <= at
		)
	else:
		q = q.where(issue.sc_alert_state == "Breached").where(issue.sc_manager_escalation_at <= at)
	return q.for_update(skip_locked=True).run(as_dict=True)


def _step(transition: str, at, stamp, issues=None) -> int:
	rows = _claim(transition, at, issues)
	if not rows:
		return 0
	names = tuple(r.name for r in rows)
	issue = frappe.qb.DocType("Issue")
	if transition == "Warning":
		frappe.qb.update(issue).set(issue.sc_alert_state, "Warning").set(issue.sc_sla_status, "Warning").set(
			issue.modified, stamp
		).where(issue.name.isin(names)).run()
		level = None
	elif transition == "Breached":
		# one statement: status, level, and the manager escalation time from the tier's grace (a join)
		frappe.db.sql(
			"""update `tabIssue` i left join `tabSupport Tier` t on t.name = i.sc_support_tier
			set i.sc_alert_state = 'Breached', i.sc_sla_status = 'Breached', i.sc_escalation_level = %s,
				i.sc_manager_escalation_at = timestampadd(second, coalesce(t.manager_escalation_after, 14400), i.sc_breach_at),
				i.modified = %s
			where i.name in %s""",
			(LEVEL_3, stamp, names),
		)
		level = LEVEL_3
	else:
		frappe.qb.update(issue).set(issue.sc_alert_state, "Manager").set(
			issue.sc_escalation_level, MANAGER
		).set(issue.modified, stamp).where(issue.name.isin(names)).run()
		level = MANAGER
	_record(transition, rows, at, level, stamp)
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
		.where(has_role.role == MANAGER)
		.where(has_role.parenttype == "User")
		.where(user.enabled == 1)
		.run(pluck=True)
	)


def _assignees(row) -> list[str]:
	users = frappe.parse_json(row._assign) if row._assign else []
	return users or [row.owner]


def _record(transition: str, rows, at, level, stamp) -> None:
	managers = _managers() if transition == "Escalated to Manager" else []
	transitions, notes = [], []
	for r in rows:
		due = r.sc_manager_escalation_at if transition == "Escalated to Manager" else r.sc_breach_at
		key = (
			f"{r.name}|{transition}|{frappe.utils.get_datetime(due):%Y%m%dT%H%M%S}"
			if due
			else f"{r.name}|{transition}"
		)
		users = managers if transition == "Escalated to Manager" else _assignees(r)
		transitions.append(
			(
				key,
				r.name,
				transition,
				due,
				at,
				level,
				", ".join(users),
				stamp,
				stamp,
				"Administrator",
				"Administrator",
			)
		)
		subject = {
			"Warning": _("SLA warning on {0}: due {1}"),
			"Breached": _("SLA breached on {0} (due {1}): escalated to Level 3"),
			"Escalated to Manager": _(
				"SLA breach on {0} not solved since {1}: escalated to the Support Manager"
			),
		}[transition].format(r.name, due)
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
