"""Planned maintenance with downtime (docs/rules.md E4): how long a window may be, how many a quarter may
hold, and that it lies outside support hours. The limits are the tier's (``MaintenanceRule``); the support
hours are its business calendar. Because a window lies outside support hours, business-time SLA targets
never count it; the SLA clock leaves it out of wall-clock targets too (``Clock.excluded``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .calendar import BusinessCalendar, to_us
from .errors import ConfigError, InputError


@dataclass(frozen=True)
class MaintenanceRule:
	max_minutes: int = 30  # docs/rules.md E4: up to 30 minutes
	per_quarter: int = 1  # docs/rules.md E4: at most once a quarter

	def __post_init__(self):
		if self.max_minutes <= 0:
			raise ConfigError("maintenance_max_minutes", self.max_minutes, "must be at least 1 minute")
		if self.per_quarter <= 0:
			raise ConfigError("maintenance_per_quarter", self.per_quarter, "must be at least 1")


def quarter_of(t: dt.datetime, calendar: BusinessCalendar) -> tuple[int, int]:
	"""(year, quarter) of instant ``t`` where the calendar is."""
	local = t.astimezone(calendar.tz)
	return local.year, (local.month - 1) // 3 + 1


def check_window(
	start: dt.datetime,
	end: dt.datetime,
	calendar: BusinessCalendar,
	others: list[tuple[dt.datetime, dt.datetime]],
	rule: MaintenanceRule = MaintenanceRule(),
) -> None:
	"""Refuse a maintenance window that breaks the rule, naming the field: its end not after its start,
	longer than the rule allows, any minute of it inside support hours, or one window too many in its
	quarter (``others``: the contract's other windows)."""
	# compared as instants, not as wall times: a window across the change to summer time (01:50–03:10
	# on the last Sunday of March) lasts 20 minutes
	length_us = to_us(end, "end") - to_us(start, "start")
	if length_us <= 0:
		raise InputError("end", end, "must be after the start")
	if length_us > rule.max_minutes * 60_000_000:
		raise InputError(
			"end", end, f"a maintenance window lasts at most {rule.max_minutes} minutes (rules.md E4)"
		)
	if calendar.between(start, end) > dt.timedelta(0):
		raise InputError(
			"start", start, "the window falls inside support hours; plan it outside them (rules.md E4)"
		)
	year, q = quarter_of(start, calendar)
	same = [s for s, _e in others if quarter_of(s, calendar) == (year, q)]
	if len(same) >= rule.per_quarter:
		raise InputError(
			"start",
			start,
			f"Q{q} {year} already has {len(same)} maintenance window(s); at most {rule.per_quarter} a quarter "
			"(rules.md E4)",
		)
