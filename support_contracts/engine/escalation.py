"""Escalation of an SLA that runs late: one table of transitions, the states and levels named once.

An open ticket governed by a contract moves through alert states, each move recorded once and told to
someone (docs/rules.md E5: serious errors go to senior staff, and to management when not solved in time):

====================  ==============  =====================================  ===============  ==========
transition (state)    from            due when                               level            who is told
====================  ==============  =====================================  ===============  ==========
Warning               (none)          the warning instant, breach ahead      unchanged        assignees
Breached              (none), Warning the breach instant                     Level 3          assignees
Escalated to Manager  Breached        the manager escalation instant         Support Manager  managers
====================  ==============  =====================================  ===============  ==========

The warning instant is where the elapsed fraction reaches the tier's ``warning_at``; the breach instant is
the earliest unmet due time (engine/sla.py); the manager escalation instant is the breach instant plus the
tier's grace (:func:`manager_escalation_us`), kept with the breach instant by every save, so no transition
computes an instant. ``adapters/enforcement.py`` runs this table over the database every five minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import InputError

# alert states: where a ticket stands; each transition leads to the state of its name
NO_ALERT = ""
WARNING = "Warning"
BREACHED = "Breached"
ESCALATED = "Escalated to Manager"
ALERT_STATES = (NO_ALERT, WARNING, BREACHED, ESCALATED)

# support levels (docs/rules.md E5: level 1 first line — at Pindena the customer's super-users —, level 2 the
# vendor's support, level 3 senior staff / development, then management), lowest first
LEVEL_1 = "Level 1"
LEVEL_2 = "Level 2"
LEVEL_3 = "Level 3"
SUPPORT_MANAGER = "Support Manager"
LEVELS = (LEVEL_1, LEVEL_2, LEVEL_3, SUPPORT_MANAGER)
FIRST_LEVEL = LEVEL_2  # where a governed ticket starts when its tier does not say (Pindena: level 2)
DEFAULT_MANAGER_GRACE = dt.timedelta(hours=4)  # breach → manager, unless the tier says otherwise

# the instants a transition can fall due at
WARNING_AT, BREACH_AT, MANAGER_AT = "warning_at", "breach_at", "manager_escalation_at"
# who is told
ASSIGNEES, MANAGERS = "assignees", "managers"


@dataclass(frozen=True)
class Transition:
	state: str  # the state it leads to, and the name it is recorded under
	from_states: tuple[str, ...]
	due: str  # the instant that makes it due (WARNING_AT, BREACH_AT, MANAGER_AT)
	before: str | None  # an instant that must still be ahead (a warning after the breach is moot)
	level: str | None  # the escalation level it sets; None keeps the level
	sla_status: str | None  # the SLA status it shows; None keeps the status
	notify: str  # ASSIGNEES or MANAGERS
	message: str  # the notification's subject: {0} the ticket, {1} the instant it fell due


TRANSITIONS = (
	Transition(
		WARNING,
		(NO_ALERT,),
		WARNING_AT,
		BREACH_AT,
		None,
		"Due Soon",  # the SLA status a warned ticket shows (as long as "On Track" and "Breached")
		ASSIGNEES,
		"SLA warning on {0}: due {1}",
	),
	Transition(
		BREACHED,
		(NO_ALERT, WARNING),
		BREACH_AT,
		None,
		LEVEL_3,
		"Breached",
		ASSIGNEES,
		"SLA breached on {0} (due {1}): escalated to Level 3",
	),
	Transition(
		ESCALATED,
		(BREACHED,),
		MANAGER_AT,
		None,
		SUPPORT_MANAGER,
		None,
		MANAGERS,
		"SLA breach on {0} not solved since {1}: escalated to the Support Manager",
	),
)


def manager_escalation_us(breach_us: int | None, grace_seconds: int | None) -> int | None:
	"""When a breach still unsolved reaches management (docs/rules.md E5): the breach instant plus the tier's
	grace (Support Tier › Escalate to Manager After Breach; :data:`DEFAULT_MANAGER_GRACE` where the tier
	says nothing), as elapsed time — epoch microseconds, so a grace across a DST change is as long as it
	says. None without a breach."""
	if breach_us is None:
		return None
	grace = DEFAULT_MANAGER_GRACE if grace_seconds is None else dt.timedelta(seconds=int(grace_seconds))
	return breach_us + grace // dt.timedelta(microseconds=1)


def next_transition(
	state: str, instants: dict[str, dt.datetime | None], now: dt.datetime
) -> Transition | None:
	"""The transition due for a ticket in ``state`` at ``now``, given its instants (the table's ``due``
	names → aware datetimes); the same rule the database scan applies, for one ticket."""
	for t in TRANSITIONS:
		due = instants.get(t.due)
		if state not in t.from_states or due is None or due > now:
			continue
		ahead = instants.get(t.before) if t.before else None
		if t.before and (ahead is None or ahead <= now):
			continue
		return t
	return None


def next_instant(state: str, instants: dict[str, dt.datetime | None]) -> dt.datetime | None:
	"""The first instant at which a transition can fall due for a ticket in ``state``: the earliest of the
	due instants of the transitions that leave it (a warning due after the breach is moot, and comes
	later anyway); None when no transition leaves the state or none has its instant. The scan reads
	this one instant per ticket, so a run looks only at tickets with something due."""
	dues = [instants.get(t.due) for t in TRANSITIONS if state in t.from_states]
	return min((d for d in dues if d is not None), default=None)


# ---------------------------------------------------------------- support levels by hand
def raised_level(current: str | None, to: str | None = None) -> str:
	"""The level an agent escalates a ticket to (docs/rules.md E5: L1 → L2 → L3 → management): the next one
	up from ``current``, or ``to`` when it is above ``current``. Refused, naming the field, at the top, for
	a level that does not exist, or for one that is not above."""
	have = LEVELS.index(current) if current in LEVELS else -1
	if to is None or to == "":
		if have >= len(LEVELS) - 1:
			raise InputError("escalation_level", current, "already at the top level; there is none above")
		return LEVELS[have + 1]
	if to not in LEVELS:
		raise InputError("escalation_level", to, f"no such level; use {', '.join(LEVELS)}")
	if LEVELS.index(to) <= have:
		raise InputError("escalation_level", to, f"not above the ticket's level ({current})")
	return to


def is_senior(priority: str | None, senior_priorities) -> bool:
	"""docs/rules.md E5: the priorities the tier gives to senior staff (Pindena: Serious, Critical)."""
	return bool(priority) and priority in set(senior_priorities or ())


def team_for(level: str, senior: bool, teams) -> str | None:
	"""The team a ticket at ``level`` is assigned to: the level's senior team for a senior ticket where the
	tier has one, otherwise the level's team; None when the tier names no team for the level. ``teams``:
	(level, senior, team) rows in the tier's order."""
	rows = [(lvl, sen, team) for lvl, sen, team in teams if lvl == level]
	if senior:
		for _lvl, sen, team in rows:
			if sen:
				return team
	for _lvl, sen, team in rows:
		if not sen:
			return team
	return rows[0][2] if rows else None
