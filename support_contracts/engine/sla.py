"""SLA clocks (targets and priorities: :mod:`.targets`).

A **clock** replays a ticket's events in order — created, priority changed, paused, resumed, responded,
action started, resolved, reopened — and reports, for a given ``now``, each metric's due time, remaining
time, elapsed fraction and status. Rules of the replay (docs/rules.md C: the client may pause/stop the
investigation, a third party may not engage — these pause the clock):

- Paused time never counts, measured in each target's own calendar: a pause during closed hours of a
  business target costs nothing, a pause of a wall target shifts it by the pause's full length.
- A priority change recomputes every unmet due time from the creation instant with the new priority's
  targets (as ERPNext does); a met metric keeps the due time of the priority in force when it was met.
- ``action_started`` also counts as the first response when none was recorded, and ``resolved`` counts
  as both: work cannot be done without answering.
- ``reopened`` makes the resolution unmet again; the time the ticket spent resolved is not counted, like a
  pause. Response and action start stay met.
- ``outside_area`` (docs/rules.md A3, D3): the fault lies outside the provider's area (the customer's own
  systems, third-party equipment); the action-start promise no longer applies — an unmet action start
  is *waived* from then on (neither met nor breached) — until ``inside_area`` takes the mark back. An
  action start already overdue when the fault is marked stays breached: the promise was broken before.
- Client sign-off (docs/rules.md C2): ``signoff_requested`` is a fix handed to the client — response and
  action start are met as by ``resolved``, and the resolution waits, paused, for the client's word;
  ``signoff_given`` (the client approved, or stayed silent long enough) meets the resolution then;
  ``signoff_refused`` (the client says it is not fixed) lets the resolution clock run on.
- ``escalated`` (docs/rules.md E5, a support level raised by hand) is kept in the ledger for the record and
  does not move the clock.
- Excluded stretches (planned maintenance windows, docs/rules.md E4) count in no target, like a pause.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import NamedTuple

from .calendar import EPOCH, BusinessCalendar, to_us
from .errors import ConfigError, InputError
from .targets import METRICS, ROLLBACK, Target

# Statuses — one place defines them.
ON_TRACK = "on track"
WARNING = "warning"
BREACHED = "breached"
MET = "met"
PAUSED = "paused"
NO_TARGET = "no target"
WAIVED = "waived"  # the target no longer applies: the fault is outside the provider's area
STATUSES = (ON_TRACK, WARNING, BREACHED, MET, PAUSED, WAIVED, NO_TARGET)

EVENT_KINDS = (
	"created",
	"priority_changed",
	"paused",
	"resumed",
	"responded",
	"action_started",
	"resolved",
	"reopened",
	"outside_area",
	"inside_area",
	"signoff_requested",
	"signoff_given",
	"signoff_refused",
	"escalated",
)
RECORD_ONLY = ("escalated",)  # ledger events that do not move the clock
WAIVABLE = ("action_start",)  # the metrics the provider's area bounds (docs/rules.md A3)


@dataclass(frozen=True)
class Policy:
	"""An SLA policy: priority → {metric → :class:`Target`}, and the elapsed fraction at which a running
	clock turns to "warning"."""

	name: str
	targets: dict[str, dict[str, Target]]
	warning_at: float = 0.75

	def __post_init__(self):
		if not self.targets:
			raise ConfigError("policy.targets", self.name, "a policy needs at least one priority")
		for prio, metrics in self.targets.items():
			for metric in metrics:
				if metric not in METRICS:
					raise ConfigError(
						f"{self.name}.{prio}", metric, f"unknown metric; use {', '.join(METRICS)}"
					)
		if not (isinstance(self.warning_at, (int, float)) and 0 < self.warning_at <= 1):
			raise ConfigError("warning_at", self.warning_at, "must be a fraction above 0 and at most 1")

	def __hash__(self):
		return hash(self.name)

	@property
	def priorities(self) -> tuple[str, ...]:
		return tuple(self.targets)

	def target(self, priority: str, metric: str) -> Target:
		if priority not in self.targets:
			raise InputError(
				"priority", priority, f"unknown in policy {self.name!r}; known: {', '.join(self.targets)}"
			)
		return self.targets[priority].get(metric) or Target("none")

	def due(self, priority: str, created: dt.datetime) -> dict[str, dt.datetime | None]:
		"""Due times of every metric for a ticket created at ``created`` that is never paused."""
		clock = Clock(self)
		clock.add(Event("created", created, priority))
		return {m: r.due for m, r in clock.report(created).metrics.items()}


class _EventFields(NamedTuple):
	kind: str
	at: dt.datetime
	priority: str | None
	us: int


class Event(_EventFields):
	"""Something that happened to a ticket. ``priority`` for created / priority_changed. ``us``: the
	instant ``at`` in epoch microseconds, the clock's unit — worked out from ``at`` unless the caller
	already has it (an adapter reading stored times converts once, straight to microseconds). A tuple:
	immutable, and cheap to make (a save replays its whole ledger)."""

	__slots__ = ()

	def __new__(cls, kind: str, at: dt.datetime, priority: str | None = None, us: int | None = None):
		return tuple.__new__(cls, (kind, at, priority, to_us(at, f"{kind}.at") if us is None else us))

	@classmethod
	def known(cls, kind: str, at: dt.datetime, priority: str | None, us: int) -> Event:
		"""An event whose instant the caller has both ways, ``us`` being ``at`` in epoch microseconds (an
		adapter reading a stored time: ``WallClock.reading``); taken as given, not worked out again."""
		return tuple.__new__(cls, (kind, at, priority, us))


@dataclass(frozen=True)
class MetricReport:
	"""One metric of a :class:`ClockReport`. Its instants are kept in epoch microseconds (``due_us``,
	``met_us``, ``warn_us``: what an adapter stores converts from these, with no datetime in between);
	``due``, ``met_at`` and ``warn_at`` are the same instants as aware datetimes in ``tz``."""

	metric: str
	target: str
	status: str
	due_us: int | None
	met_us: int | None
	remaining: dt.timedelta | None  # open time left (negative once breached), in the target's calendar
	elapsed_fraction: float | None
	warn_us: int | None = None  # when the elapsed fraction reaches the policy's warning_at
	used: dt.timedelta | None = (
		None  # open time of the target's calendar used until met (or now), pauses left out
	)
	tz: dt.tzinfo = field(default=dt.timezone.utc, compare=False, repr=False)

	@property
	def due(self) -> dt.datetime | None:
		return _dt(self.due_us, self.tz)

	@property
	def met_at(self) -> dt.datetime | None:
		return _dt(self.met_us, self.tz)

	@property
	def warn_at(self) -> dt.datetime | None:
		return _dt(self.warn_us, self.tz)


@dataclass(frozen=True)
class ClockReport:
	priority: str
	now: dt.datetime
	paused: bool
	resolved: bool
	awaiting_signoff: bool
	paused_time: dt.timedelta  # wall-clock time spent paused or resolved-then-reopened so far (a
	# ticket that is resolved now does not gain paused time while it stays resolved)
	metrics: dict[str, MetricReport]

	@property
	def worst(self) -> str:
		"""The most urgent status of the unmet metrics (for list views and escalation)."""
		order = (BREACHED, WARNING, ON_TRACK, PAUSED, MET, WAIVED, NO_TARGET)
		return min((m.status for m in self.metrics.values()), key=order.index, default=NO_TARGET)


@dataclass
class Clock:
	"""The SLA clock of one ticket under one policy, replayed from its events (see module doc)."""

	policy: Policy
	events: list[Event] = field(default_factory=list)
	# (start, end) stretches no target counts, such as planned maintenance windows (docs/rules.md E4)
	excluded: tuple[tuple[dt.datetime, dt.datetime], ...] = ()

	def add(self, event: Event) -> Clock:
		"""Append an event; events must come in time order and make sense after the ones before."""
		if event.kind not in EVENT_KINDS:
			raise InputError("event.kind", event.kind, f"unknown event; use {', '.join(EVENT_KINDS)}")
		u = event.us
		state = self._replay()
		if self.events and u < state["last_us"]:
			raise InputError(
				f"{event.kind}.at",
				event.at,
				f"events out of order: before the previous event at {self.events[-1].at}",
			)
		problem = _transition_problem(state, event)
		if problem:
			raise InputError("event", event.kind, problem)
		if event.kind in ("created", "priority_changed"):
			self.policy.target(event.priority, "resolution")  # validates the priority
		self.events.append(event)
		return self

	def _replay(self) -> dict:
		st = {
			"created": None,
			"last_us": None,
			"priority_at": [],  # (us, priority)
			"pauses": [],  # [start_us, end_us | None] — for response/action metrics
			"res_pauses": [],  # pauses + resolved stretches — for resolution
			"paused": False,
			"resolved": False,
			"awaiting": False,  # a fix waits for the client's sign-off
			"outside": None,  # since when the fault is outside the provider's area
			"met": {m: None for m in METRICS},
		}
		for e in self.events:
			u = e.us
			st["last_us"] = u
			k = e.kind
			if k == "created":
				st["created"] = u
				st["priority_at"].append((u, e.priority))
			elif k == "priority_changed":
				st["priority_at"].append((u, e.priority))
			elif k == "paused":
				st["paused"] = True
				st["pauses"].append([u, None])
				st["res_pauses"].append([u, None])
			elif k == "resumed":
				st["paused"] = False
				st["pauses"][-1][1] = u
				st["res_pauses"][-1][1] = u
			elif k in ("responded", "action_started", "resolved"):
				covers = {
					"responded": ("first_response",),
					"action_started": ("first_response", "action_start"),
					"resolved": METRICS,
				}[k]
				for m in covers:
					if st["met"][m] is None:
						st["met"][m] = u
				if k == "resolved":
					if st["paused"]:  # resolving ends a pause
						st["paused"] = False
						st["pauses"][-1][1] = u
						st["res_pauses"][-1][1] = u
					st["resolved"] = True
					st["res_pauses"].append([u, None])
			elif k == "reopened":
				st["resolved"] = False
				st["met"]["resolution"] = None
				st["res_pauses"][-1][1] = u
			elif k == "outside_area":
				st["outside"] = u
			elif k == "inside_area":
				st["outside"] = None
			elif k == "signoff_requested":
				for m in ("first_response", "action_start"):
					if st["met"][m] is None:
						st["met"][m] = u
				if st["paused"]:
					st["paused"] = False
					st["pauses"][-1][1] = u
					st["res_pauses"][-1][1] = u
				st["awaiting"] = True
				st["res_pauses"].append([u, None])
			elif k == "signoff_given":
				st["awaiting"] = False
				st["resolved"] = True
				st["met"]["resolution"] = u
				# the resolved stretch follows on from the wait, as one
			elif k == "signoff_refused":
				st["awaiting"] = False
				st["res_pauses"][-1][1] = u
		return st

	def report(self, now: dt.datetime) -> ClockReport:
		"""Each metric's due time, remaining time, elapsed fraction and status at ``now``."""
		now_us = to_us(now, "now")
		st = self._replay()
		if st["created"] is None:
			raise InputError("events", [e.kind for e in self.events], "the clock has no 'created' event")
		if now_us < st["last_us"]:
			raise InputError("now", now, "is before the last event")
		excluded = [(to_us(a, "excluded.start"), to_us(b, "excluded.end")) for a, b in self.excluded]
		metrics = {}
		for m in METRICS:
			met_us = st["met"][m]
			prio = _priority_at(st["priority_at"], met_us if met_us is not None else now_us)
			target = self.policy.target(prio, m)
			pauses = _union(st["res_pauses"] if m == "resolution" else st["pauses"], excluded)
			report = _metric_report(m, target, st["created"], pauses, met_us, now_us, now, self.policy)
			outside = st["outside"]
			if met_us is None and outside is not None and m in WAIVABLE and target.kind != "none":
				# waived from the marking on: a promise already broken before it stays broken
				if report.due_us is None or report.due_us > outside:
					report = MetricReport(m, target.describe(), WAIVED, None, None, None, None, tz=now.tzinfo)
			metrics[m] = report
		# an open stretch runs on to ``now`` only while it is a pause: a resolved ticket's time since its
		# resolution is not paused time (it becomes so only if the ticket is reopened)
		open_until = now_us if st["paused"] else None
		paused_us = sum(
			((e if e is not None else (open_until if open_until is not None else s)) - s)
			for s, e in st["res_pauses"]
		)
		return ClockReport(
			priority=_priority_at(st["priority_at"], now_us),
			now=now,
			paused=st["paused"],
			resolved=st["resolved"],
			awaiting_signoff=st["awaiting"],
			paused_time=dt.timedelta(microseconds=paused_us),
			metrics=metrics,
		)


def _transition_problem(st: dict, e: Event) -> str | None:
	k = e.kind
	if st["created"] is None:
		return None if k == "created" else "the first event must be 'created'"
	if k == "created":
		return "the ticket was already created"
	if k in RECORD_ONLY:
		return None
	if k == "outside_area" and st["outside"] is not None:
		return "the fault is already marked outside the provider's area"
	if k == "inside_area" and st["outside"] is None:
		return "the fault is not marked outside the provider's area"
	if k in ("outside_area", "inside_area"):
		return None  # whenever it becomes clear, even after the fix
	if st["resolved"] and k not in ("reopened", "priority_changed"):
		return "the ticket is resolved: only 'reopened' or 'priority_changed' may follow"
	if st["awaiting"] and k not in ("signoff_given", "signoff_refused", "priority_changed"):
		return "the fix awaits the client's sign-off: only 'signoff_given' or 'signoff_refused' may follow"
	if k in ("signoff_given", "signoff_refused") and not st["awaiting"]:
		return "no fix awaits the client's sign-off"
	if k == "paused" and st["paused"]:
		return "the clock is already paused"
	if k == "resumed" and not st["paused"]:
		return "the clock is not paused"
	if k == "reopened" and not st["resolved"]:
		return "the ticket is not resolved"
	if k in ("created", "priority_changed") and not e.priority:
		return f"'{k}' needs a priority"
	return None


def _union(pauses: list, excluded: list[tuple[int, int]]) -> list:
	"""``pauses`` ([start, end | None], in order) and ``excluded`` stretches as one ordered list of
	stretches that do not overlap (an open end runs on for ever)."""
	if not excluded:
		return pauses
	merged: list[list] = []
	for a, b in sorted([*map(tuple, pauses), *excluded], key=lambda p: p[0]):
		if merged and (merged[-1][1] is None or a <= merged[-1][1]):
			if merged[-1][1] is not None and (b is None or b > merged[-1][1]):
				merged[-1][1] = b
			continue
		merged.append([a, b])
	return merged


def _priority_at(changes: list[tuple[int, str]], u: int) -> str:
	prio = changes[0][1]
	for at, p in changes:
		if at <= u:
			prio = p
	return prio


def _due_us(cal: BusinessCalendar, cursor: int, budget: int, pauses) -> int | None:
	"""Where ``budget`` µs of ``cal``'s open time from ``cursor`` run out, skipping ``pauses``; None while
	an open-ended pause comes first."""
	remaining = budget
	for p0, p1 in pauses:
		if p1 is not None and p1 <= cursor:
			continue
		avail = cal.between_us(cursor, max(p0, cursor))
		if avail >= remaining:
			break
		remaining -= avail
		if p1 is None:
			return None
		cursor = p1
	return cal.add_us(cursor, remaining)


def _consumed_us(cal: BusinessCalendar, cursor: int, until: int, pauses) -> int:
	"""Open time of ``cal`` from ``cursor`` to ``until`` that was not paused."""
	if until <= cursor:
		return 0
	used = cal.between_us(cursor, until)
	for p0, p1 in pauses:
		a, b = max(p0, cursor), min(until if p1 is None else p1, until)
		if a < b:
			used -= cal.between_us(a, b)
	return used


def _metric_report(metric, target, created_us, pauses, met_us, now_us, now, policy) -> MetricReport:
	tz = now.tzinfo
	plan = target.start_and_budget(created_us)
	if plan is None:
		status = MET if met_us is not None else NO_TARGET
		return MetricReport(metric, target.describe(), status, None, met_us, None, None, tz=tz)
	cal = target.measure
	cursor, budget = plan
	due_us = _due_us(cal, cursor, budget, pauses)
	used = _consumed_us(cal, cursor, met_us if met_us is not None else now_us, pauses)
	fraction = min(used, budget) / budget
	spent = dt.timedelta(microseconds=used)
	if met_us is not None:
		late = due_us is not None and met_us > due_us
		status = BREACHED if late else MET
		return MetricReport(
			metric, target.describe(), status, due_us, met_us, None, fraction, used=spent, tz=tz
		)
	if due_us is None:
		remaining = dt.timedelta(microseconds=budget - used)
		return MetricReport(
			metric, target.describe(), PAUSED, None, None, remaining, fraction, used=spent, tz=tz
		)
	remaining = dt.timedelta(microseconds=cal.between_us(now_us, due_us))
	warn_budget = max(1, math.ceil(budget * policy.warning_at))
	warn_us = _due_us(cal, cursor, warn_budget, pauses)
	if now_us >= due_us:
		status = BREACHED
	elif fraction >= policy.warning_at:
		status = WARNING
	else:
		status = ON_TRACK
	return MetricReport(
		metric, target.describe(), status, due_us, None, remaining, fraction, warn_us, spent, tz
	)


def next_due(report: ClockReport) -> MetricReport | None:
	"""What the clock is doing now, for people: the unmet metric that falls due first — or, with every
	due time held by a pause, the first paused one; None when every target is met or has none."""
	unmet = [m for m in report.metrics.values() if m.met_at is None and m.status not in (NO_TARGET, WAIVED)]
	running = [m for m in unmet if m.due is not None]
	if running:
		return min(running, key=lambda m: m.due)
	return unmet[0] if unmet else None


def _dt(u: int | None, tz) -> dt.datetime | None:
	if u is None:
		return None
	seconds, micro = divmod(u, 1_000_000)
	if micro:
		return (EPOCH + dt.timedelta(microseconds=u)).astimezone(tz)
	return dt.datetime.fromtimestamp(seconds, tz)  # whole seconds (most due times): exact, 3× faster


def clock_priority(priority: str | None, rollback: bool, policy: Policy) -> str | None:
	"""The priority the SLA clock runs on: :data:`ROLLBACK` for a rollback where the policy handles them."""
	return ROLLBACK if rollback and ROLLBACK in policy.targets else priority
