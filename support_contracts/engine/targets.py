"""SLA targets and the priority a ticket's clock runs on.

A **policy** (:class:`~.sla.Policy`) maps each priority (P1–P4 of docs/rules.md B/C, or SSA-L
Critical/Serious/Minor of docs/rules.md E) to up to three targets — the metrics:

- ``first_response`` — svarstid: the provider answers / calls back (Ballou: 15 min, docs/rules.md A);
- ``action_start`` — inställelsetid / åtgärdstid: remedial work has started (Trinax 1/8/16 h of 08–17,
  docs/rules.md B; Ballou 60 min, docs/rules.md A; rollback 1 h, docs/rules.md C);
- ``resolution`` — the fault is fixed.

A **target** is one of (:class:`Target` ``kind``):

- ``business`` — a duration of open time on a named calendar (8 h of 08–17, docs/rules.md B);
- ``wall`` — a wall-clock duration: every second counts (P1 "within 1 hour", docs/rules.md C);
- ``from_next_opening`` — a wall-clock duration counted from the next opening of a calendar (P3 "within 3
  hours from the next opening of the office", docs/rules.md C); from the start itself when already open;
- ``business_days`` — the close of the N-th business day (SSA-L Serious: "at the latest during the next
  working day" is N = 1, docs/rules.md E), see :meth:`BusinessCalendar.end_of_business_day`;
- ``none`` — no due time (SSA-L Minor: "in the next version").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from dataclasses import dataclass

from .calendar import ALWAYS_OPEN, BusinessCalendar, compile_calendar, duration_us, to_us
from .durations import fmt_duration
from .errors import ConfigError

METRICS = ("first_response", "action_start", "resolution")


METRIC_LABELS = {
	"first_response": "First response",
	"action_start": "Action start",
	"resolution": "Resolution",
}


TARGET_KINDS = ("business", "wall", "from_next_opening", "business_days", "none")


CALENDAR_KINDS = ("business", "from_next_opening", "business_days")  # the kinds measured on a calendar


LONGEST_TARGET = dt.timedelta(days=366)  # a target beyond a year is a typing error, not a service level


@dataclass(frozen=True)
class Target:
	"""One SLA target: ``kind`` (see module doc), ``duration`` or ``days``, and the calendar it is
	measured on (``business``, ``business_days``) or anchored to (``from_next_opening``)."""

	kind: str
	duration: dt.timedelta | None = None
	days: int | None = None
	calendar: BusinessCalendar | None = None

	def __post_init__(self):
		if self.kind not in TARGET_KINDS:
			raise ConfigError("target.kind", self.kind, f"unknown kind; use {', '.join(TARGET_KINDS)}")
		if self.kind in ("business", "wall", "from_next_opening"):
			if self.duration is None:
				raise ConfigError("target.duration", None, f"a '{self.kind}' target needs a duration")
			duration_us(self.duration, "target.duration")
			if self.duration > LONGEST_TARGET:
				raise ConfigError("target.duration", self.duration, "longer than a year: not a service level")
		if self.kind == "business_days":
			if not isinstance(self.days, int) or isinstance(self.days, bool) or not 0 <= self.days <= 366:
				raise ConfigError(
					"target.days", self.days, "must be a whole number of business days, 0 to 366"
				)
		if self.kind in ("business", "from_next_opening", "business_days") and self.calendar is None:
			raise ConfigError("target.calendar", None, f"a '{self.kind}' target needs a calendar")

	@property
	def measure(self) -> BusinessCalendar:
		"""The calendar whose open time the target consumes (and in which pauses are measured)."""
		if self.kind in ("business", "business_days"):
			return self.calendar
		return compile_calendar(ALWAYS_OPEN)

	def describe(self, tr=lambda text: text) -> str:
		"""The target in words; ``tr`` translates each phrase (the portal passes Frappe's ``_``)."""
		if self.kind == "none":
			return tr("no target")
		if self.kind == "business_days":
			if self.days == 0:
				return tr("same business day ({0})").format(self.calendar.spec.name)
			return tr("end of business day {0} ({1})").format(self.days, self.calendar.spec.name)
		d = fmt_duration(self.duration, "words")
		if self.kind == "business":
			return tr("{0} business time ({1})").format(d, self.calendar.spec.name)
		if self.kind == "wall":
			return tr("{0} wall-clock").format(d)
		return tr("{0} from next opening ({1})").format(d, self.calendar.spec.name)

	def start_and_budget(self, created_us: int) -> tuple[int, int] | None:
		"""Where the clock starts and how much open time (µs, in :attr:`measure`) it may use."""
		if self.kind == "none":
			return None
		if self.kind == "business":
			return created_us, duration_us(self.duration)
		if self.kind == "wall":
			return created_us, duration_us(self.duration)
		if self.kind == "from_next_opening":
			return self.calendar.next_open_us(created_us), duration_us(self.duration)
		created = self.calendar.at_us(created_us)
		due = to_us(self.calendar.end_of_business_day(created, self.days))
		return created_us, self.calendar.between_us(created_us, due)


# ---------------------------------------------------------------- which priority a ticket's clock runs on
ROLLBACK = "Rollback"  # the pseudo-priority a rollback request's clock runs on (docs/rules.md C3)
ROLLBACK_AS = "P3"  # the priority a rollback is handled as
DEFAULT_ROLLBACK_START = dt.timedelta(hours=1)  # docs/rules.md C3: started within 1 hour of the request


def with_rollback(
	targets: dict[str, dict[str, Target]], within: dt.timedelta | None = None, field: str = "rollback"
) -> dict[str, dict[str, Target]]:
	"""docs/rules.md C3: a rollback is handled as P3 and started within ``within`` (1 hour unless set) of
	the request, wall clock. Adds the :data:`ROLLBACK` pseudo-priority — P3's targets with that action
	start — to a policy that has P3; a policy without P3 handles no rollbacks."""
	if ROLLBACK_AS not in targets:
		return targets
	return {
		**targets,
		ROLLBACK: {
			**targets[ROLLBACK_AS],
			"action_start": Target("wall", duration=within or DEFAULT_ROLLBACK_START),
		},
	}


def ticket_priority(
	chosen: str | None,
	*,
	error_category: str | None = None,
	rollback: bool = False,
	default: str | None = None,
	known: Container[str] = (),
) -> str | None:
	"""The priority a ticket is filed under: a rollback is P3 (docs/rules.md C3); otherwise the SSA-L error
	category is the priority (E1); otherwise the one chosen, or the tier's default. Only priorities in
	``known`` (those the site defines) are set."""
	if rollback and ROLLBACK_AS in known:
		return ROLLBACK_AS
	if error_category and error_category in known:
		return error_category
	return chosen or default
