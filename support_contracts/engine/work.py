"""What a month is rated from and what it comes to: the work done (:class:`TimeEntry`), the call-ins
(:class:`Incident`), the SLA breaches (:class:`Breach`), and the :class:`Invoice` with its explained
lines and its hour bank's report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .calendar import to_us
from .errors import InputError
from .money import ZERO, MoneyLine
from .tiers import WORK_KINDS


@dataclass(frozen=True)
class TimeEntry:
	"""Work done: ``start`` (aware) and ``end`` or ``minutes``; ``kind`` phone / remote / on_site / travel."""

	id: str
	start: dt.datetime
	kind: str
	minutes: int | None = None
	end: dt.datetime | None = None
	ticket: str | None = None
	warranty: bool = False
	who: str | None = None
	urgent: bool = False
	outside_area: bool = False  # work on a fault outside the provider's area (docs/rules.md A8, D3)
	overage_declined: bool = False  # the customer declined its ticket's work beyond the hour bank (F2)

	def __post_init__(self):
		start_us = to_us(self.start, f"entry {self.id}: start")
		if self.kind not in WORK_KINDS:
			raise InputError(
				f"entry {self.id}: kind", self.kind, f"unknown work kind; use {', '.join(WORK_KINDS)}"
			)
		if self.end is not None:
			# in real time (epoch microseconds): Python compares and subtracts two times of one zone on the
			# wall clock, which would make the autumn night's extra hour nothing and the spring's a worked one
			end_us = to_us(self.end, f"entry {self.id}: end")
			if end_us <= start_us:
				raise InputError(f"entry {self.id}: end", self.end.isoformat(), "must be after the start")
			secs = (end_us - start_us) / 1_000_000
			mins = int(-(-secs // 60))  # started minutes
			if self.minutes is not None and self.minutes != mins:
				raise InputError(
					f"entry {self.id}: minutes", self.minutes, f"disagrees with start–end ({mins} min)"
				)
			object.__setattr__(self, "minutes", mins)
		if self.minutes is None:
			raise InputError(f"entry {self.id}: minutes", None, "give an end or the minutes worked")
		if isinstance(self.minutes, bool) or not isinstance(self.minutes, int) or self.minutes <= 0:
			raise InputError(f"entry {self.id}: minutes", self.minutes, "must be a positive whole number")


@dataclass(frozen=True)
class Incident:
	"""A call-in of the on-call engineer (docs/rules.md A), for ``ticket`` at ``at``."""

	id: str
	at: dt.datetime
	ticket: str | None = None
	urgent: bool = True

	def __post_init__(self):
		to_us(self.at, f"incident {self.id}: at")


@dataclass(frozen=True)
class Breach:
	"""An SLA breach the clock reported: ticket, priority, metric."""

	ticket: str
	priority: str
	metric: str


@dataclass(frozen=True, kw_only=True)
class InvoiceLine(MoneyLine):
	item: str  # the ERPNext Item the line is billed as
	bank_period: str | None = None  # an hour-bank line: the bank period whose hours it shows


@dataclass(frozen=True)
class BankReport:
	period: str
	allotment_minutes: int
	before_minutes: int  # balance at the start of the month
	used_minutes: int
	after_minutes: int
	# the work the bank paid for, in time order: (time entry id, ticket, kind, start, minutes from the bank)
	covered: tuple[tuple[str, str | None, str, dt.datetime, int], ...] = ()
	# the work the bank could have paid for but was empty (overage, docs/rules.md F2), in time order:
	# (time entry id, ticket, minutes beyond the bank)
	over: tuple[tuple[str, str | None, int], ...] = ()


@dataclass(frozen=True)
class Invoice:
	contract: str
	customer: str
	tier: str
	month: str
	currency: str
	lines: tuple[InvoiceLine, ...]
	bank: BankReport | None = None

	@property
	def total(self) -> Decimal:
		return sum((line.amount for line in self.lines), ZERO)
