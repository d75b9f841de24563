"""The scheduled SLA enforcement (every 5 minutes, ``hooks.scheduler_events``).

One set-based step per transition of the engine's table (``engine/escalation.py`` ``TRANSITIONS``:
Warning, Breached, Escalated to Manager — which state each leaves, which instant makes it due, the level it
sets, who is told). This module only maps the table onto the Issue's columns (:data:`COLUMN`) and runs it,
in SQL, whatever the number of Issues: a breach storm of 100,000 Issues costs a few statements, not a
Python loop (README, benchmarks).

Exactly once, also when two workers run the job at the same moment: each step moves its Issues with one
UPDATE whose condition is the transition's own (state left, instant due). The UPDATE locks the rows it
moves; a second worker's UPDATE waits for them and, once the first commits, finds them moved and skips
them. The step then records what it moved — the rows it stamped (``modified``, a stamp of this step) in
the new state — in **SLA Transition** under a deterministic name (issue, transition, due time) and
**Notification Log** under a name derived from that and the user, both with ``INSERT IGNORE``: the
primary keys are the last guard. All of it in one transaction, so a killed run leaves nothing half done.

Each moved Issue gets a new ``modified``, so a Desk form opened before the run is stale and Frappe asks the
agent to reload rather than save old values over the escalation (and the Issue's validate ignores input
for these fields anyway: ``adapters/issue.py`` ``keep_app_fields``).

The scan reads one column, ``sc_enforce_at``: the first instant a transition can fall due for the Issue in
its alert state (``engine/escalation.next_instant``), kept by every save and by each step (the step that
moves an Issue sets its next one), empty for an Issue that is not open or not governed. One index
(:data:`SCAN_INDEX`) serves the scan: it starts with that instant, so a run with nothing to do reads
nothing and a storm touches one index entry per Issue, and it holds the alert state, the breach instant
and the status, so a step first asks the index alone whether anything is due for it (:func:`_any_due`)
and skips its UPDATE when not — in a breach storm the warning step would otherwise read every breached
Issue only to leave it.
No step computes an instant: the manager escalation instant is kept with the breach instant by every save
(``engine/escalation.manager_escalation_us``) and re-timed when a tier's grace changes
(:func:`retime_manager_escalations`), so each step is a single-table UPDATE.

A user told of more than :data:`DIGEST_OVER` Issues by one step (a breach storm) gets one notification
with the count and a link to the list, instead of one per Issue; the SLA Transitions are recorded one per
Issue all the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter

import frappe
from frappe import _
from frappe.desk.utils import slug
from frappe.utils import now_datetime

from support_contracts.adapters.access import users_with_role
from support_contracts.adapters.helpdesk import AGREEMENT_ON_ALERT, HD_TICKET, tell_agents, ticket_doctypes
from support_contracts.adapters.issue import ALERT, OPEN, alert_rank, alert_state
from support_contracts.adapters.times import naive, now, stored, system_clock
from support_contracts.engine.escalation import (
	BREACH_AT,
	ESCALATED,
	MANAGER_AT,
	MANAGERS,
	SUPPORT_MANAGER,
	TRANSITIONS,
	WARNING_AT,
	Transition,
	manager_escalation_us,
	next_instant,
)

COLUMN = {WARNING_AT: "sc_warning_at", BREACH_AT: "sc_breach_at", MANAGER_AT: "sc_manager_escalation_at"}
MANAGER_ROLE = SUPPORT_MANAGER  # the role told when a breach reaches management


NEXT = "sc_enforce_at"  # the Issue's next enforcement instant (engine/escalation.next_instant)
# the one index the scan reads: the instant, then what a step's condition asks of the Issue (its alert
# state, breach instant and status), so that the index alone tells whether a step has anything to do
# (install.after_migrate creates it and drops the ones it replaced)
SCAN_INDEX = "sc_enforcement_scan"
SCAN_COLUMNS = (NEXT, ALERT, COLUMN[BREACH_AT], "status")
# the rows a step moved are read back by their stamp through Frappe's own index on ``modified`` (every
# Frappe table has it; install.after_migrate makes sure): within the step's transaction the optimizer counts
# the old entries the UPDATE left beside the new ones, overrates the matches and would read the whole table
MOVED_INDEX = "modified"
OLD_INDEXES = (*(f"sc_enforcement_{column}" for column in COLUMN.values()), "sc_enforcement_next")
DIGEST_OVER = 20  # a user told of more Issues than this in one step gets one notification for them all


def next_instant_sql(state: str, columns: dict[str, str]) -> str:
	"""``engine/escalation.next_instant`` in SQL for Issues entering ``state``: the earliest due instant
	of the transitions that leave it. ``columns``: the SQL of each instant (a column, or the expression a
	statement sets it to)."""
	dues = [columns[t.due] for t in TRANSITIONS if state in t.from_states]
	if not dues:
		return "null"
	if len(dues) == 1:
		return dues[0]
	# least() is null if any argument is: each argument falls back on the others
	return "least(" + ", ".join(f"coalesce({d}, {', '.join(dues)})" for d in dues) + ")"


def backfill_next_instants() -> None:
	"""Give open governed tickets their next enforcement instant where none is kept (after an update that
	added the column); idempotent."""
	columns = {due: f"i.{column}" for due, column in COLUMN.items()}
	cases = " ".join(
		f"when {alert_rank(state)} then {next_instant_sql(state, columns)}"
		for state in {s for t in TRANSITIONS for s in t.from_states} | {t.state for t in TRANSITIONS}
	)
	for doctype in ticket_doctypes():
		frappe.db.sql(
			f"""update `tab{doctype}` i set i.{NEXT} = case i.{ALERT} {cases} else null end
			where i.{NEXT} is null and i.status in %(open)s and i.sc_support_contract is not null""",
			{"open": OPEN},
		)


def retime_manager_escalations(tier: str | None = None) -> int:
	"""Give the open governed Issues not yet escalated to the manager — of ``tier``, or of every tier — the
	manager escalation instant their tier's grace gives now (``engine/escalation.manager_escalation_us``),
	and their next enforcement instant with it: after a tier's grace changed, and once for the Issues saved
	before saves kept the instant. The Issues are locked while they are re-timed, so a save or an
	enforcement run at the same moment waits and then sees the new instant. Returns how many changed."""
	return sum(_retime(doctype, tier) for doctype in ticket_doctypes())


def _retime(doctype: str, tier: str | None) -> int:
	if tier:  # its Issues through its contracts' index: only they are locked, not every row a scan passes
		contracts = frappe.get_all("Support Contract", filters={"tier": tier}, pluck="name")
		if not contracts:
			return 0
		scan = "force index (sc_support_contract_index)"
		condition = "i.sc_support_contract in %(contracts)s and i.sc_support_tier = %(tier)s"
	else:
		scan, contracts, condition = "", (), "i.sc_support_contract is not null"
	rows = frappe.db.sql(
		f"""select i.name, i.{ALERT}, i.{COLUMN[WARNING_AT]}, i.{COLUMN[BREACH_AT]},
			i.{COLUMN[MANAGER_AT]}, i.{NEXT}, t.manager_escalation_after
		from `tab{doctype}` i {scan} join `tabSupport Tier` t on t.name = i.sc_support_tier
		where {condition} and i.status in %(open)s and i.{ALERT} != %(escalated)s
		for update""",
		{"tier": tier, "contracts": tuple(contracts), "open": OPEN, "escalated": alert_rank(ESCALATED)},
	)
	clock, changed = system_clock(), {}
	for name, rank, warning, breach, manager, scheduled, grace in rows:
		breach_us = None if breach is None else clock.to_us(breach)
		kept = stored(manager_escalation_us(breach_us, grace))
		following = next_instant(
			alert_state(rank), {WARNING_AT: warning, BREACH_AT: breach, MANAGER_AT: kept}
		)
		if (kept, following) != (manager, scheduled):
			changed[name] = {COLUMN[MANAGER_AT]: kept, NEXT: following}
	# scheduling fields only: not a change an agent made, so ``modified`` stays
	frappe.db.bulk_update(doctype, changed, update_modified=False)
	return len(changed)


def enforce(issues: list[str] | None = None, doctypes: tuple[str, ...] | None = None) -> dict:
	"""Run every transition that is due — of all governed tickets (Issues, and HD Tickets with Helpdesk),
	or only of ``issues`` (a run for some tickets, e.g. a test's own on a site that holds others) of
	``doctypes``; returns how many tickets each moved."""
	at, stamp = naive(now()), now_datetime()
	moved = Counter({t.state: 0 for t in TRANSITIONS})
	for doctype in doctypes or ticket_doctypes():
		# a ticket closed behind the hooks' back (ERPNext's auto-close) has nothing left to enforce;
		# cleared first, while the index still answers for every row it holds
		closed = (f"i.{NEXT} <= %(at)s and i.status not in %(open)s", {"at": at, "open": OPEN})
		if _any_due(doctype, *closed):
			frappe.db.sql(
				f"update `tab{doctype}` i force index ({SCAN_INDEX}) set i.{NEXT} = null where {closed[0]}",
				closed[1],
			)
		# the scheduler commits after the job: each run is one transaction; each step stamps its own rows
		for i, t in enumerate(TRANSITIONS):
			moved[t.state] += _step(doctype, t, at, stamp + dt.timedelta(microseconds=i), issues)
	return dict(moved)


def _due(t: Transition, at, issues) -> tuple[str, dict]:
	"""The transition's condition on Issue ``i``: governed, open, in a state it leaves, its instant
	passed (and the instant it must precede still ahead)."""
	conditions = [
		f"i.{NEXT} <= %(at)s",
		"i.status in %(open)s",
		f"i.{ALERT} in %(ranks)s",
		f"i.{COLUMN[t.due]} <= %(at)s",
		"i.sc_support_contract is not null",
	]
	if t.before:
		conditions.append(f"i.{COLUMN[t.before]} > %(at)s")
	if issues is not None:
		conditions.append("i.name in %(issues)s")
	return " and ".join(conditions), {
		"open": OPEN,
		"ranks": tuple(alert_rank(state) for state in t.from_states),
		"at": at,
		"issues": tuple(issues or ()) or ("",),
	}


def _any_due(doctype: str, where: str, values: dict) -> bool:
	"""Whether anything is due for a step (a condition on Issue ``i``, :func:`_due`), asked of the scan
	index first: its instant, alert state, breach instant and status answer without reading a row, and the
	rest of the condition is checked on the few rows that pass. A plain read: a run that finds nothing
	leaves what falls due meanwhile to the next run, and the UPDATE, which locks, decides what moves."""
	return bool(
		frappe.db.sql(
			f"select 1 from `tab{doctype}` i force index ({SCAN_INDEX}) where {where} limit 1", values
		)
	)


def _step(doctype: str, t: Transition, at, stamp, issues=None) -> int:
	where, values = _due(t, at, issues)
	if not _any_due(doctype, where, values):
		return 0
	sets = [f"i.{ALERT} = %(rank)s", "i.modified = %(stamp)s"]
	if t.sla_status:
		sets.append("i.sc_sla_status = %(sla_status)s")
	if t.level:
		sets.append("i.sc_escalation_level = %(level)s")
	agreement = AGREEMENT_ON_ALERT.get(t.sla_status) if doctype == HD_TICKET else None
	if agreement:  # Helpdesk's own column tells its agents too (adapters/helpdesk.py)
		sets.append("i.agreement_status = %(agreement)s")
	# the Issue's next instant in its new state, from the instants it keeps (no step changes an instant)
	columns = {due: f"i.{column}" for due, column in COLUMN.items()}
	sets.append(f"i.{NEXT} = {next_instant_sql(t.state, columns)}")
	values.update(
		rank=alert_rank(t.state), stamp=stamp, sla_status=t.sla_status, level=t.level, agreement=agreement
	)
	# the scan's index, whatever the table's statistics say (after a storm they overrate the matches)
	frappe.db.sql(
		f"update `tab{doctype}` i force index ({SCAN_INDEX}) set {', '.join(sets)} where {where}", values
	)
	moved = frappe.db._cursor.rowcount
	if moved:
		_record(doctype, t, at, stamp)
	return moved


def _managers() -> list[str]:
	return users_with_role(MANAGER_ROLE)


def _format_sql(template: str, *expressions: str) -> str:
	"""``template.format(*expressions)`` as an SQL ``concat``, the literal pieces quoted."""
	parts = []
	for piece in re.split(r"(\{\d\})", template):
		if re.fullmatch(r"\{\d\}", piece):
			parts.append(expressions[int(piece[1:-1])])
		elif piece:
			parts.append(frappe.db.escape(piece).replace("%", "%%"))
	return f"concat({', '.join(parts)})"


# frappe.utils.escape_html of the Issue's subject, in SQL
ESCAPED_SUBJECT = "coalesce(i.subject, '')"
for _char, _entity in (("&", "&amp;"), ('"', "&quot;"), ("'", "&apos;"), (">", "&gt;"), ("<", "&lt;")):
	ESCAPED_SUBJECT = f"replace({ESCAPED_SUBJECT}, char({ord(_char)} using utf8mb4), '{_entity}')"
# who is told of a transition to ASSIGNEES, as a JSON list: the ticket's assignees (Frappe's _assign), or
# its owner when nobody is assigned — where the owner is staff: a ticket a customer's contact opened in a
# portal is theirs, and they are not told of its breach or escalation
NOBODY_ASSIGNED = "json_length(coalesce(nullif(i._assign, ''), '[]')) = 0"
OWNER_IS_STAFF = "exists(select 1 from `tabUser` o where o.name = i.owner and o.user_type = 'System User')"
ASSIGNEES_TOLD = f"if({NOBODY_ASSIGNED}, if({OWNER_IS_STAFF}, json_array(i.owner), json_array()), i._assign)"


def _users(told: str) -> str:
	"""A JSON list of users as a table ``u`` of one row per user."""
	return f"json_table({told}, '$[*]' columns (user varchar(140) path '$')) u"


def _record(doctype: str, t: Transition, at, stamp) -> None:
	"""What the step moved — its stamp in the new state — as SLA Transitions and Notification Logs."""
	due = f"i.{COLUMN[t.due]}"
	# an Issue's key is its name; an HD Ticket's (a number) names its doctype too
	ticket = "i.name" if doctype == "Issue" else f"concat({frappe.db.escape(doctype)}, ' ', i.name)"
	key = f"concat({ticket}, '|', %(state)s, '|', date_format({due}, '%%Y%%m%%dT%%H%%i%%s'))"
	moved = f"i.modified = %(stamp)s and i.{ALERT} = %(rank)s"
	issues = f"`tab{doctype}` i force index ({MOVED_INDEX})"  # the moved rows, by their stamp
	managers = sorted(_managers()) if t.notify == MANAGERS else []
	told = "%(managers)s" if t.notify == MANAGERS else ASSIGNEES_TOLD
	# the users told, in order: the managers' list once; an Issue's owner without a JSON table per row
	notified = (
		"%(notified)s"
		if t.notify == MANAGERS
		else f"""if({NOBODY_ASSIGNED}, if({OWNER_IS_STAFF}, i.owner, null),
			(select group_concat(u.user order by u.user separator ', ') from {_users("i._assign")}))"""
	)
	named = "i.name" if doctype == "Issue" else "concat('#', i.name)"  # Helpdesk says "#12"
	subject = _format_sql(_(t.message), named, f"date_format({due}, '%%Y-%%m-%%d %%H:%%i:%%s')")
	values = {
		"state": t.state,
		"rank": alert_rank(t.state),
		"stamp": stamp,
		"at": at,
		"level": t.level,
		"managers": frappe.as_json(managers),
		"notified": ", ".join(managers) or None,
		"doctype": doctype,
	}
	frappe.db.sql(
		f"""insert ignore into `tabSLA Transition`
			(name, ticket_type, issue, transition, due, at, escalation_level, notified,
			creation, modified, owner, modified_by)
		select {key}, %(doctype)s, i.name, %(state)s, {due}, %(at)s, %(level)s, {notified},
			%(stamp)s, %(stamp)s, 'Administrator', 'Administrator'
		from {issues} where {moved}""",
		values,
	)
	# who would be told of more Issues than a person reads gets one digest instead; the others one
	# notification per Issue (a run where every user is digested, a storm, reads the moved rows no more)
	counts = Counter()
	for users, count in frappe.db.sql(
		f"select {told}, count(*) from {issues} where {moved} group by 1", values
	):  # one row per list of users (in a storm, a few): counted per user here, not per Issue in SQL
		for user in json.loads(users or "null") or ():
			counts[user] += count
	digested = [(user, count) for user, count in sorted(counts.items()) if count > DIGEST_OVER]
	values["digested"] = tuple(user for user, _count in digested) or ("",)
	if doctype == HD_TICKET:  # and where Helpdesk's agents look: the ticket's activity and their bell
		tell_agents(issues, moved, key, subject, _users(told), values)
	if len(digested) < len(counts):
		frappe.db.sql(
			f"""insert ignore into `tabNotification Log`
				(name, for_user, type, document_type, document_name, subject, from_user,
				creation, modified, owner, modified_by)
			select left(sha2(concat({key}, '|', u.user), 256), 20), u.user, 'Alert', %(doctype)s, i.name,
				concat({subject}, ': ', {ESCAPED_SUBJECT}), 'Administrator',
				%(stamp)s, %(stamp)s, 'Administrator', 'Administrator'
			from {issues} join {_users(told)} where {moved} and u.user not in %(digested)s""",
			values,
		)
	for user, count in digested:
		_digest(doctype, t, user, count, stamp)


def _digest(doctype: str, t: Transition, user: str, count: int, stamp) -> None:
	"""One notification for the ``count`` Issues a step moved that ``user`` would be told of, with a link
	to them in the Issue list (a key of the step's stamp: written once, with the step)."""
	frappe.db.sql(
		"""insert ignore into `tabNotification Log`
			(name, for_user, type, document_type, subject, link, from_user,
			creation, modified, owner, modified_by)
		values (%(name)s, %(user)s, 'Alert', %(doctype)s, %(subject)s, %(link)s, 'Administrator',
			%(stamp)s, %(stamp)s, 'Administrator', 'Administrator')""",
		{
			"name": _digest_name(t.state, stamp, user)
			if doctype == "Issue"
			else _digest_name(f"{doctype} {t.state}", stamp, user),
			"user": user,
			"doctype": doctype,
			"subject": _("{0}: {1} Issues at once").format(_(t.state), count),
			"link": f"/app/{slug(doctype)}?{ALERT}={alert_rank(t.state)}",
			"stamp": stamp,
		},
	)


def _digest_name(state: str, stamp, user: str) -> str:
	return hashlib.sha256(f"{state}|{stamp}|{user}".encode()).hexdigest()[:20]
