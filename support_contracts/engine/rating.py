"""Rating: what a customer owes for one contract and one billing month, every line explained.

Inputs are a :class:`Tier` (the price list of a support level, docs/rules.md A/B/D/E), a :class:`Contract`
(a customer on a tier, with overrides), the month's :class:`TimeEntry` and :class:`Incident` records, and
optionally the SLA breaches of the month. :func:`rate_month` returns an :class:`Invoice` whose lines each
carry a ``why``: the rule and the entries it came from. One pricing rule, one function; the order is:

1. :func:`fixed_fee_line` — the monthly fee, billed in advance for the billing month, prorated by days when
   the contract starts or ends inside it (active days / days in month, rounded once).
2. :func:`billed_minutes` — each entry rounded **up** to its kind's increment (10 / 30 / 60 min, docs/rules.md
   D), on-site at least 1 h (D), everything to the full hour where the tier bills "per started hour" (A).
3. :func:`rate_class` — business hours (the tier's calendar is open), after hours (weekday, closed), or
   weekend/holiday (Saturday, Sunday or a holiday of the calendar: the tier's factor, 2.0 at Ballou, A).
   An entry is classed by its start instant (like a PSA work type), not split.
4. Incidents (call-ins, A): the model's fee per incident; the work on the incident's ticket is covered up
   to the included minutes (1 h), in time order; the rest at the hourly rate × factor.
5. :class:`HourBank` — allotment per period (month / quarter / year), consumed in time order by
   business-hours work (or all work, by setting), expiring at the period end unless carry-over is on;
   overage at the tier's rate. The bank line shows the balance before and after.
6. Warranty work (D) is shown at zero; it uses no bank hours — for customers with a contract only
   (B6: who declined an agreement pays for warranty-period work too).
   Work on a fault outside the provider's area (A8, D3) is billed per started hour, whatever the
   increments, and draws nothing from the hour bank.
7. Travel (D): per on-site visit by the contract's zone — free in the home zone unless the call was
   urgent, a flat fee for a region.
8. Monitoring (A4): units beyond those the tier includes, at the tier's price per unit and month, billed
   with the monthly fee and prorated as it is.
9. SLA credits, when configured: a percentage of the monthly fee per breach of the chosen priorities and
   metrics, capped at a percentage of the fee.

Money is Decimal, each line rounded once to the currency's precision (round half up).
"""

from __future__ import annotations

import calendar as _calendar
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .calendar import BusinessCalendar, to_us
from .durations import fmt_day, fmt_duration
from .errors import ConfigError, InputError
from .money import ZERO, MoneyLine, hours_from_minutes, round_money
from .public_holidays import holidays_for

WORK_KINDS = ("phone", "remote", "on_site", "travel")
KIND_LABEL = {
	"phone": "Phone support",
	"remote": "Remote support",
	"on_site": "On-site support",
	"travel": "Travel time",
}
BANK_PERIODS = ("month", "quarter", "year")
ITEMS = {  # the item each kind of invoice line is billed as: its default name and the unit of its quantity
	"SUPPORT-FEE": ("Support fee (monthly)", "month"),
	"SUPPORT-PHONE": ("Support by phone", "h"),
	"SUPPORT-REMOTE": ("Remote support", "h"),
	"SUPPORT-ON-SITE": ("On-site support", "h"),
	"SUPPORT-TRAVEL": ("Travel time", "h"),
	"INCIDENT-FEE": ("Incident fee (call-in)", "incident"),
	"HOUR-BANK": ("Hour bank", "h"),
	"TRAVEL": ("Travel fee", "visit"),
	"SLA-CREDIT": ("SLA credit", "breach"),
	"MONITORING": ("Monitoring (per unit and month)", "unit"),
}

BUSINESS = "business hours"
AFTER_HOURS = "after hours"
WEEKEND = "weekend/holiday"


def _check_count(field: str, value) -> None:
	"""A number of things: a whole number, 0 or more (not a bool)."""
	if isinstance(value, bool) or not isinstance(value, int) or value < 0:
		raise ConfigError(field, value, "must be a whole number, 0 or more")


@dataclass(frozen=True)
class HourBank:
	"""Prepaid hours (timbank, docs/rules.md B): ``minutes`` per ``period``; ``covers`` business-hours work only
	(default) or all work; unused minutes expire at the period end unless ``carry_over``."""

	minutes: int
	period: str = "quarter"
	carry_over: bool = False
	covers: str = "business_hours"

	def __post_init__(self):
		if not isinstance(self.minutes, int) or self.minutes <= 0:
			raise ConfigError("hour_bank.hours", self.minutes, "must be a positive number of whole minutes")
		if self.period not in BANK_PERIODS:
			raise ConfigError("hour_bank.period", self.period, f"use one of {', '.join(BANK_PERIODS)}")
		if self.covers not in ("business_hours", "all"):
			raise ConfigError("hour_bank.covers", self.covers, "use business_hours or all")

	def period_of(self, year: int, month: int) -> tuple[dt.date, dt.date, str]:
		"""First day, last day and label of the bank period that contains the month."""
		if self.period == "month":
			first_m, n, label = month, 1, f"{year}-{month:02d}"
		elif self.period == "quarter":
			q = (month - 1) // 3
			first_m, n, label = 3 * q + 1, 3, f"Q{q + 1} {year}"
		else:
			first_m, n, label = 1, 12, str(year)
		last_m = first_m + n - 1
		return dt.date(year, first_m, 1), dt.date(year, last_m, _calendar.monthrange(year, last_m)[1]), label


@dataclass(frozen=True)
class IncidentModel:
	"""A call-in (inställelse, docs/rules.md A): ``fee`` per incident, including ``included_minutes`` of work."""

	name: str
	fee: Decimal
	included_minutes: int = 60


@dataclass(frozen=True)
class TravelZone:
	"""Travel per on-site visit (docs/rules.md D): ``fee`` per visit; ``urgent_fee`` when the customer called
	the firm out urgently (the home zone: 0 unless urgent)."""

	name: str
	fee: Decimal = ZERO
	urgent_fee: Decimal | None = None


@dataclass(frozen=True)
class SlaCredit:
	"""Optional service credit: ``percent`` of the monthly fee per breach of ``metrics`` on ``priorities``,
	at most ``cap_percent`` of the fee a month. Off unless a tier configures it."""

	percent: Decimal
	priorities: tuple[str, ...]
	metrics: tuple[str, ...] = ("action_start",)
	cap_percent: Decimal = Decimal(100)

	def __post_init__(self):
		if not 0 < self.percent <= 100:
			raise ConfigError("sla_credit.percent", self.percent, "must be above 0 % and at most 100 %")
		if not 0 <= self.cap_percent <= 100:
			raise ConfigError("sla_credit.cap_percent", self.cap_percent, "must be between 0 % and 100 %")


@dataclass(frozen=True)
class Tier:
	"""A support level's prices and terms (docs/rules.md A, B, D, E). Any field can be overridden per contract."""

	key: str
	title: str
	currency: str
	calendar: BusinessCalendar  # business hours, and the holidays of the weekend/holiday factor
	hourly_rate: Decimal
	monthly_fee: Decimal = ZERO
	fee_in_advance: bool = True  # docs/rules.md B3: the monthly fee is billed in advance
	precision: int = 2
	after_hours_rate: Decimal | None = None
	holiday_factor: Decimal = Decimal(1)
	increments: Mapping[str, int] = field(default_factory=dict)  # kind → minutes
	minimums: Mapping[str, int] = field(default_factory=dict)  # kind → minutes
	per_started_hour: bool = False
	hour_bank: HourBank | None = None
	incident: IncidentModel | None = None
	travel_zones: Mapping[str, TravelZone] = field(default_factory=dict)
	warranty_free: bool = True
	sla_credit: SlaCredit | None = None
	monitoring_included: int = 0  # units of monitoring the monthly fee includes (docs/rules.md A4)
	monitoring_unit_price: Decimal | None = None  # per further unit and month; None: not sold
	term_months: int | None = None
	renewal: str | None = None
	review: str | None = None
	reporting: str | None = None
	item_codes: Mapping[str, str] = field(default_factory=dict)

	def __post_init__(self):
		for kind in (*self.increments, *self.minimums):
			if kind not in WORK_KINDS:
				raise ConfigError(
					f"tier {self.key}: increments/minimums",
					kind,
					f"unknown work kind; use {', '.join(WORK_KINDS)}",
				)
		for kind, m in (*self.increments.items(), *self.minimums.items()):
			if not isinstance(m, int) or m <= 0:
				raise ConfigError(
					f"tier {self.key}: increments/minimums.{kind}", m, "must be a positive number of minutes"
				)
		_check_count(f"tier {self.key}: monitoring.included", self.monitoring_included)
		if self.monitoring_unit_price is not None and self.monitoring_unit_price < 0:
			raise ConfigError(
				f"tier {self.key}: monitoring.unit_price", self.monitoring_unit_price, "cannot be negative"
			)
		if self.holiday_factor <= 0:
			raise ConfigError(f"tier {self.key}: holiday_factor", self.holiday_factor, "must be positive")
		for code, item in self.item_codes.items():
			if code not in ITEMS:
				raise ConfigError(
					f"tier {self.key}: item_codes", code, f"not a kind of line; use {', '.join(ITEMS)}"
				)
			if not item or not str(item).strip():
				raise ConfigError(f"tier {self.key}: item_codes.{code}", item, "needs an item code")

	def item(self, code: str) -> str:
		"""The item a line of kind ``code`` (a key of :data:`ITEMS`) is billed as under this tier."""
		return self.item_codes.get(code, code)


@dataclass(frozen=True)
class Contract:
	"""A customer's support contract on a tier. ``end`` None: runs until terminated; ``overrides``
	replaces tier fields (``hourly_rate``, ``monthly_fee``, ...) for this contract only."""

	key: str
	customer: str
	tier: str
	start: dt.date
	end: dt.date | None = None
	travel_zone: str | None = None
	currency: str | None = None
	overrides: Mapping[str, object] = field(default_factory=dict)
	has_contract: bool = True  # False: a customer billed at list price, who pays no monthly fee
	monitored_units: int = 0  # units the provider monitors for the customer (docs/rules.md A4)

	def __post_init__(self):
		if self.end is not None and self.end < self.start:
			raise ConfigError(f"contract {self.key}: end", self.end, f"is before the start {self.start}")
		_check_count(f"contract {self.key}: monitored_units", self.monitored_units)

	@classmethod
	def without_contract(cls, customer: str, list_price_tier: str) -> Contract:
		"""A customer with no contract, billed for what they use at the list-price tier's prices (docs/rules.md
		A, B1, B3: "no contract"), from any date, never a monthly fee."""
		return cls(customer, customer, list_price_tier, dt.date.min, has_contract=False)

	def effective_tier(self, tiers: Mapping[str, Tier]) -> Tier:
		if self.tier not in tiers:
			raise ConfigError(f"contract {self.key}: tier", self.tier, f"unknown; known: {', '.join(tiers)}")
		tier = tiers[self.tier]
		names = {f.name for f in dataclasses.fields(Tier)} - {"key", "calendar"}
		unknown = set(self.overrides) - names
		if unknown:
			raise ConfigError(f"contract {self.key}: overrides", sorted(unknown), "not a tier field")
		tier = dataclasses.replace(tier, **self.overrides) if self.overrides else tier
		if self.currency and self.currency != tier.currency:
			raise InputError(
				f"contract {self.key}: currency", self.currency, f"the tier bills in {tier.currency}"
			)
		if self.travel_zone and self.travel_zone not in tier.travel_zones:
			raise ConfigError(
				f"contract {self.key}: travel_zone",
				self.travel_zone,
				f"unknown; known: {', '.join(tier.travel_zones) or 'none'}",
			)
		return tier


def add_months(day: dt.date, months: int) -> dt.date:
	"""``day`` moved by whole calendar months; the 31st becomes the month's last day where it has none."""
	y, m = divmod(day.month - 1 + months, 12)
	year, month = day.year + y, m + 1
	return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def term_end(start: dt.date, term_months: int, on: dt.date, end: dt.date | None = None) -> dt.date | None:
	"""The last day of the contract term that holds ``on`` (docs/rules.md B4: terms of 12 months, renewed
	back to back from the start date); the contract's own end date where it comes first. None without a
	term and an end."""
	if not term_months:
		return end
	k = 0
	while add_months(start, (k + 1) * term_months) <= on:
		k += 1
	last = add_months(start, (k + 1) * term_months) - dt.timedelta(days=1)
	return min(last, end) if end else last


CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


def cadence_period(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
	"""First and last day of the reporting or review period (docs/rules.md B4: weekly, monthly, quarterly,
	half-yearly, yearly — calendar periods) that holds ``day``."""
	if cadence == "weekly":
		first = day - dt.timedelta(days=day.weekday())
		return first, first + dt.timedelta(days=6)
	if cadence not in CADENCE_MONTHS:
		raise ConfigError("cadence", cadence, f"use weekly or {', '.join(CADENCE_MONTHS)}")
	n = CADENCE_MONTHS[cadence]
	first = dt.date(day.year, (day.month - 1) // n * n + 1, 1)
	return first, add_months(first, n) - dt.timedelta(days=1)


def period_before(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
	"""The last complete period before the one that holds ``day``: what a report sent on ``day`` covers."""
	first, _last = cadence_period(cadence, day)
	return cadence_period(cadence, first - dt.timedelta(days=1))


def review_meeting_day(cadence: str, day: dt.date) -> dt.date | None:
	"""On the first day of a review period (docs/rules.md B4: quarterly Alert!, half-yearly Attend!), the
	day its review meeting is booked for: a week into the period, moved to the next weekday *(our
	reading: a placeholder the account manager moves to the customer's date)*; None on any other day."""
	first, _last = cadence_period(cadence, day)
	if day != first:
		return None
	meeting = first + dt.timedelta(days=7)
	while meeting.weekday() >= 5:
		meeting += dt.timedelta(days=1)
	return meeting


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

	def __post_init__(self):
		to_us(self.start, f"entry {self.id}: start")
		if self.kind not in WORK_KINDS:
			raise InputError(
				f"entry {self.id}: kind", self.kind, f"unknown work kind; use {', '.join(WORK_KINDS)}"
			)
		if self.end is not None:
			to_us(self.end, f"entry {self.id}: end")
			if self.end <= self.start:
				raise InputError(f"entry {self.id}: end", self.end.isoformat(), "must be after the start")
			secs = (self.end - self.start).total_seconds()
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


# ---------------------------------------------------------------- the pricing rules
def active_days(contract: Contract, year: int, month: int) -> tuple[dt.date, dt.date, int, int]:
	"""The contract's first and last day in the month, how many days that is (0 or less: none), and the
	month's days — what a monthly charge is prorated by."""
	days = _calendar.monthrange(year, month)[1]
	a = max(dt.date(year, month, 1), contract.start)
	b = min(dt.date(year, month, days), contract.end) if contract.end else dt.date(year, month, days)
	return a, b, (b - a).days + 1, days


def fixed_fee_line(contract: Contract, tier: Tier, year: int, month: int) -> InvoiceLine | None:
	"""The monthly fee in advance; prorated by active days when the contract starts or ends in the month.
	A customer without a contract pays none."""
	if not tier.monthly_fee or not contract.has_contract:
		return None
	a, b, active, days = active_days(contract, year, month)
	if active <= 0:
		return None
	qty = Decimal(active) / Decimal(days)
	amount = round_money(tier.monthly_fee * qty, tier.precision)
	if active == days:
		why = f"{tier.title}: fixed monthly fee, billed in advance for {year}-{month:02d}"
		return InvoiceLine(
			f"{tier.title} — monthly fee {year}-{month:02d}",
			Decimal(1),
			"month",
			tier.monthly_fee,
			amount,
			why,
			item=tier.item("SUPPORT-FEE"),
		)
	why = f"{tier.title}: monthly fee prorated by days — contract active {a}..{b}, {active} of {days} days"
	return InvoiceLine(
		f"{tier.title} — monthly fee {fmt_day(a, with_year=False)}–{fmt_day(b)} ({active}/{days} days)",
		qty.quantize(Decimal("1e-6")),
		"month",
		tier.monthly_fee,
		amount,
		why,
		item=tier.item("SUPPORT-FEE"),
	)


def monitoring_line(contract: Contract, tier: Tier, year: int, month: int) -> InvoiceLine | None:
	"""Monitoring beyond what the tier includes (docs/rules.md A4: High includes one unit; more are sold
	as a service): the extra units at the tier's price per unit and month, for the billing month and
	prorated by the contract's active days as the monthly fee is. None when nothing extra is monitored."""
	extra = contract.monitored_units - tier.monitoring_included
	if extra <= 0 or not contract.has_contract:
		return None
	if tier.monitoring_unit_price is None:
		raise InputError(
			f"contract {contract.key}: monitored_units",
			contract.monitored_units,
			f"tier {tier.key} includes {tier.monitoring_included} unit(s) and sells no more (no unit price)",
		)
	_a, _b, active, days = active_days(contract, year, month)
	if active <= 0:
		return None
	share = Decimal(active) / Decimal(days)
	qty = Decimal(extra) * share
	amount = round_money(tier.monitoring_unit_price * qty, tier.precision)
	included = f", {tier.monitoring_included} included in the fee" if tier.monitoring_included else ""
	prorated = f", prorated {active} of {days} days" if active != days else ""
	return InvoiceLine(
		f"Monitoring {year}-{month:02d}: {extra} unit(s) beyond the included",
		qty.quantize(Decimal("1e-6")) if active != days else Decimal(extra),
		"unit",
		tier.monitoring_unit_price,
		amount,
		f"{contract.monitored_units} monitored unit(s){included}: {extra} × {tier.monitoring_unit_price} per unit and "
		f"month (docs/rules.md A4){prorated}",
		item=tier.item("MONITORING"),
	)


def billed_minutes(entry: TimeEntry, tier: Tier) -> tuple[int, str]:
	"""Minutes billed for an entry and the rule that made them: rounded up to the kind's increment (docs/rules.md
	D: 10 / 30 / 60 min), at least the kind's minimum (on-site 1 h), full hours when "per started hour" —
	the tier's rule, or always for work on a fault outside the provider's area (A8)."""
	worked = entry.minutes
	hourly = tier.per_started_hour or entry.outside_area
	inc = 60 if hourly else tier.increments.get(entry.kind, 1)
	billed = -(-worked // inc) * inc
	rule = (
		"per started hour, the fault outside our area"
		if entry.outside_area
		else "per started hour"
		if tier.per_started_hour
		else (f"rounded up to {inc} min" if inc > 1 else "by the minute")
	)
	minimum = tier.minimums.get(entry.kind)
	if minimum and billed < minimum:
		billed, rule = minimum, f"minimum {minimum} min for {entry.kind.replace('_', '-')}"
	return billed, rule


def rate_class(start: dt.datetime, tier: Tier) -> tuple[str, Decimal, Decimal]:
	"""(class, hourly rate, factor) by the start instant: weekend/holiday → rate × factor (docs/rules.md A);
	business hours (the tier's calendar is open) → the hourly rate; weekday after hours → the after-hours
	rate if the tier has one, else the hourly rate."""
	cal = tier.calendar
	local = start.astimezone(cal.tz)
	if local.weekday() >= 5 or local.date() in _holidays(cal, local.year):
		return WEEKEND, tier.hourly_rate, tier.holiday_factor
	if cal.is_open(start):
		return BUSINESS, tier.hourly_rate, Decimal(1)
	return AFTER_HOURS, tier.after_hours_rate or tier.hourly_rate, Decimal(1)


def _holidays(cal: BusinessCalendar, year: int) -> Mapping[dt.date, str]:
	h = cal.spec.holidays
	if h is None:
		return {}
	return holidays_for(h.country, h.subdivision, (year,), frozenset(h.kinds))


# ---------------------------------------------------------------- the month
@dataclass
class _Work:
	entry: TimeEntry
	billed: int
	rule: str
	klass: str
	rate: Decimal
	factor: Decimal
	full: int = 0  # billed minutes of the whole entry, when this is only a part of it

	def part(self, minutes: int) -> _Work:
		return dataclasses.replace(self, billed=minutes, full=self.full or self.billed)

	def describe(self, tz) -> str:
		e = self.entry
		text = f"{e.id} {e.start.astimezone(tz):%m-%d %H:%M} {e.minutes} min worked → {self.full or self.billed} billed ({self.rule})"
		return text + (f", {self.billed} min of it here" if self.full and self.full != self.billed else "")


def rate_month(
	contract: Contract,
	tiers: Mapping[str, Tier],
	year: int,
	month: int,
	entries: Iterable[TimeEntry] = (),
	incidents: Iterable[Incident] = (),
	breaches: Iterable[Breach] = (),
	*,
	bank_used_before: int = 0,
	bank_carried_in: int = 0,
	with_fee: bool = True,
) -> Invoice:
	"""The invoice of one contract for one month (``with_fee`` False: its usage only). ``bank_used_before``: bank minutes already used in the
	same bank period before this month (from the hour-bank ledger); ``bank_carried_in``: minutes carried
	over from the previous period (only with carry-over on). Bad input raises before anything is produced.
	"""
	if not (isinstance(month, int) and 1 <= month <= 12):
		raise InputError("month", month, "must be 1 to 12")
	tier = contract.effective_tier(tiers)
	entries = sorted(entries, key=lambda e: (e.start, e.id))
	incidents = sorted(incidents, key=lambda i: (i.at, i.id))
	_check_unique("entry", [e.id for e in entries])
	_check_unique("incident", [i.id for i in incidents])
	label = f"{year}-{month:02d}"
	for e in entries:
		_check_in_month(f"entry {e.id}: start", e.start, tier, year, month, label)
		_check_in_contract(f"entry {e.id}: start", e.start, tier, contract)
	for i in incidents:
		_check_in_month(f"incident {i.id}: at", i.at, tier, year, month, label)
		_check_in_contract(f"incident {i.id}: at", i.at, tier, contract)
	if incidents and tier.incident is None:
		raise InputError(
			f"incident {incidents[0].id}", contract.tier, "the contract's tier has no incident model"
		)
	if bank_used_before < 0 or bank_carried_in < 0:
		raise InputError("bank", (bank_used_before, bank_carried_in), "bank minutes cannot be negative")

	lines: list[InvoiceLine] = []
	fee = fixed_fee_line(contract, tier, year, month)  # also the base of SLA credits
	if fee and with_fee:
		lines.append(fee)
	monitoring = monitoring_line(contract, tier, year, month) if with_fee else None
	if monitoring:
		lines.append(monitoring)

	work = []
	for e in entries:
		billed, rule = billed_minutes(e, tier)
		klass, rate, factor = rate_class(e.start, tier)
		work.append(_Work(e, billed, rule, klass, rate, factor))

	# incidents: fee, then their tickets' work covered up to the included minutes
	incident_of: dict[str, list[Incident]] = {}
	for i in incidents:
		if i.ticket:
			incident_of.setdefault(i.ticket, []).append(i)
	on_incident: dict[str, list[_Work]] = {i.id: [] for i in incidents}
	ordinary: list[_Work] = []
	for w in work:
		inc = _incident_for(w.entry, incident_of)
		if inc and not w.entry.warranty:
			on_incident[inc.id].append(w)
		else:
			ordinary.append(w)
	for i in incidents:
		lines.extend(_incident_lines(i, on_incident[i.id], tier))

	# warranty work at zero — under a contract only (docs/rules.md B6, D3)
	free = tier.warranty_free and contract.has_contract
	warranty = [w for w in ordinary if w.entry.warranty and free]
	ordinary = [w for w in ordinary if not (w.entry.warranty and free)]
	if warranty:
		lines.extend(_grouped_work_lines(warranty, tier, "Warranty work (not billed)", zero=True))

	# outside our area: billed per started hour, not from the bank (docs/rules.md A8)
	outside = [w for w in ordinary if w.entry.outside_area]
	ordinary = [w for w in ordinary if not w.entry.outside_area]

	# hour bank, in time order
	bank_report = None
	billable = ordinary
	if tier.hour_bank:
		bank_report, covered, billable = _apply_bank(
			ordinary, tier, year, month, bank_used_before, bank_carried_in
		)
		if bank_report:
			lines.append(_bank_line(bank_report, covered, tier))
	lines.extend(_grouped_work_lines(billable, tier))
	if outside:
		lines.extend(
			_grouped_work_lines(
				outside,
				tier,
				"Outside our area",
				extra_why="the fault lay outside the provider's area: billed per started hour (docs/rules.md A8)",
			)
		)

	lines.extend(_travel_lines(work, incidents, contract, tier))
	lines.extend(_sla_credit_lines(list(breaches), tier, fee))
	return Invoice(contract.key, contract.customer, tier.key, label, tier.currency, tuple(lines), bank_report)


def previous_month(year: int, month: int) -> tuple[int, int]:
	return (year - 1, 12) if month == 1 else (year, month - 1)


def next_month(year: int, month: int) -> tuple[int, int]:
	return (year + 1, 1) if month == 12 else (year, month + 1)


def rate_billing_month(
	contract: Contract,
	tiers: Mapping[str, Tier],
	year: int,
	month: int,
	entries: Iterable[TimeEntry] = (),
	incidents: Iterable[Incident] = (),
	breaches: Iterable[Breach] = (),
	*,
	fee_in_advance: bool | None = None,
	bank_used_before: int = 0,
	bank_carried_in: int = 0,
) -> Invoice:
	"""The invoice of billing month ``year``-``month``: the fixed monthly fee of that month, in advance
	(docs/rules.md B3; with ``fee_in_advance`` False — by default the tier's — of the month before, in
	arrears), and the usage of
	the month before, in arrears — time, incident fees, travel, hour bank and SLA credits, rated by
	:func:`rate_month` (``entries``, ``incidents`` and ``breaches`` belong to that month)."""
	if not (isinstance(month, int) and 1 <= month <= 12):
		raise InputError("month", month, "must be 1 to 12")
	uy, um = previous_month(year, month)
	usage = rate_month(
		contract,
		tiers,
		uy,
		um,
		entries,
		incidents,
		breaches,
		bank_used_before=bank_used_before,
		bank_carried_in=bank_carried_in,
		with_fee=False,
	)
	tier = contract.effective_tier(tiers)
	if fee_in_advance is None:
		fee_in_advance = tier.fee_in_advance
	fee = (
		fixed_fee_line(contract, tier, year, month)
		if fee_in_advance
		else fixed_fee_line(contract, tier, uy, um)
	)
	monitoring = monitoring_line(contract, tier, year, month)
	lines = ((fee,) if fee else ()) + ((monitoring,) if monitoring else ()) + usage.lines
	return Invoice(
		contract.key, contract.customer, tier.key, f"{year}-{month:02d}", tier.currency, lines, usage.bank
	)


def rate_late_usage(
	contract: Contract,
	tiers: Mapping[str, Tier],
	year: int,
	month: int,
	entries: Iterable[TimeEntry] = (),
	incidents: Iterable[Incident] = (),
	*,
	billed_in: str,
	bank_used_before: int = 0,
	bank_carried_in: int = 0,
) -> Invoice:
	"""Usage of month ``year``-``month`` logged after that month was billed ("late"), billed on the invoice of
	billing month ``billed_in`` (docs/rules.md B3): rated for its own month — its own rates, holidays and
	bank period — with no fee, each line saying that it is late and of which month."""
	usage = rate_month(
		contract,
		tiers,
		year,
		month,
		entries,
		incidents,
		bank_used_before=bank_used_before,
		bank_carried_in=bank_carried_in,
		with_fee=False,
	)
	label = f"{year}-{month:02d}"
	lines = tuple(
		dataclasses.replace(
			line,
			description=f"Late, {label}: {line.description}",
			why=f"logged after {label} was billed, billed in {billed_in}; {line.why}",
		)
		for line in usage.lines
	)
	return dataclasses.replace(usage, lines=lines)


def _check_unique(what: str, ids: Sequence[str]) -> None:
	seen = set()
	for i in ids:
		if i in seen:
			raise InputError(f"{what} {i}: id", i, "appears twice")
		seen.add(i)


def _check_in_month(field: str, t: dt.datetime, tier: Tier, year: int, month: int, label: str) -> None:
	local = t.astimezone(tier.calendar.tz)
	if (local.year, local.month) != (year, month):
		raise InputError(field, t.isoformat(), f"outside the billing month {label}")


def _check_in_contract(field: str, t: dt.datetime, tier: Tier, contract: Contract) -> None:
	day = t.astimezone(tier.calendar.tz).date()
	if day < contract.start or (contract.end and day > contract.end):
		raise InputError(
			field,
			t.isoformat(),
			f"outside contract {contract.key} ({contract.start}..{contract.end or 'open'})",
		)


def _incident_for(entry: TimeEntry, incident_of: Mapping[str, list[Incident]]) -> Incident | None:
	"""The latest incident of the entry's ticket called in at or before the entry started."""
	found = None
	for i in incident_of.get(entry.ticket or "", ()):
		if i.at <= entry.start:
			found = i
	return found


def _work_amount(minutes: int, rate: Decimal, factor: Decimal, precision: int) -> Decimal:
	return round_money(rate * factor * minutes / 60, precision)


def _incident_lines(incident: Incident, work: list[_Work], tier: Tier) -> list[InvoiceLine]:
	model = tier.incident
	at = incident.at.astimezone(tier.calendar.tz)
	included = model.included_minutes
	rest: list[_Work] = []
	notes = []
	for w in work:
		take = min(included, w.billed)
		included -= take
		notes.append(f"{w.entry.id}: {take} of {w.billed} min included")
		if w.billed > take:
			rest.append(w.part(w.billed - take))
	covered = (
		"; covers " + "; ".join(w.describe(tier.calendar.tz) for w in work)
		if work
		else "; no work recorded on it"
	)
	lines = [
		InvoiceLine(
			f"{model.name}: call-in {at:%Y-%m-%d %H:%M}{f' ({incident.ticket})' if incident.ticket else ''}, includes {fmt_duration(model.included_minutes * 60, 'hours')}",
			Decimal(1),
			"incident",
			model.fee,
			round_money(model.fee, tier.precision),
			f"{tier.title}: incident fee {model.fee} per call-in, including {model.included_minutes} min of work (docs/rules.md A){covered}",
			(incident.id, *(w.entry.id for w in work)),
			item=tier.item("INCIDENT-FEE"),
		)
	]
	if rest:
		lines.extend(
			_grouped_work_lines(
				rest,
				tier,
				f"Incident {incident.id} work beyond the included {fmt_duration(model.included_minutes * 60, 'hours')}",
				extra_why="; ".join(notes),
			)
		)
	return lines


def _grouped_work_lines(
	work: list[_Work], tier: Tier, title: str | None = None, *, zero: bool = False, extra_why: str = ""
) -> list[InvoiceLine]:
	"""One line per (kind, rate class, rate × factor), each listing the entries it came from."""
	groups: dict[tuple, list[_Work]] = {}
	for w in work:
		groups.setdefault((w.entry.kind, w.klass, w.rate, w.factor), []).append(w)
	lines = []
	for (kind, klass, rate, factor), ws in groups.items():
		minutes = sum(w.billed for w in ws)
		unit_rate = ZERO if zero else round_money(rate * factor, tier.precision)
		amount = ZERO if zero else _work_amount(minutes, rate, factor, tier.precision)
		detail = "; ".join(w.describe(tier.calendar.tz) for w in ws)
		factor_txt = f" × factor {factor}" if factor != 1 else ""
		why = (
			"warranty work for delivered equipment is not billed (docs/rules.md D)"
			if zero
			else f"{KIND_LABEL[kind]}, {klass}: {rate}/h{factor_txt}"
		)
		if extra_why:
			why += f"; {extra_why}"
		lines.append(
			InvoiceLine(
				f"{title + ': ' if title else ''}{KIND_LABEL[kind]}, {klass} — {fmt_duration(minutes * 60, 'hours')}",
				hours_from_minutes(minutes),
				"h",
				unit_rate,
				amount,
				f"{why}; entries: {detail}",
				tuple(w.entry.id for w in ws),
				item=tier.item(f"SUPPORT-{kind.upper().replace('_', '-')}"),
			)
		)
	return lines


def _apply_bank(ordinary: list[_Work], tier: Tier, year: int, month: int, used_before: int, carried_in: int):
	bank = tier.hour_bank
	_first, _last, label = bank.period_of(year, month)
	allotment = bank.minutes + (carried_in if bank.carry_over else 0)
	balance = max(allotment - used_before, 0)
	before = balance
	covered: list[_Work] = []
	billable: list[_Work] = []
	for w in ordinary:
		eligible = bank.covers == "all" or w.klass == BUSINESS
		take = min(balance, w.billed) if eligible else 0
		balance -= take
		if take:
			covered.append(w.part(take))
		if w.billed > take:
			billable.append(w.part(w.billed - take))
	report = BankReport(
		label,
		allotment,
		before,
		before - balance,
		balance,
		tuple((w.entry.id, w.entry.ticket, w.entry.kind, w.entry.start, w.billed) for w in covered),
	)
	return report, covered, billable


def _bank_line(report: BankReport, covered: list[_Work], tier: Tier) -> InvoiceLine:
	detail = ", ".join(f"{w.entry.id} {w.billed} min" for w in covered) or "none this month"
	bank = tier.hour_bank
	expiry = "carried over to the next period" if bank.carry_over else f"expire at the end of {report.period}"
	return InvoiceLine(
		f"Hour bank {report.period}: {fmt_duration(report.used_minutes * 60, 'hours')} used, balance {fmt_duration(report.before_minutes * 60, 'hours')} → {fmt_duration(report.after_minutes * 60, 'hours')}",
		hours_from_minutes(report.used_minutes),
		"h",
		ZERO,
		ZERO,
		f"{tier.title}: {fmt_duration(bank.minutes * 60, 'hours')} per {bank.period}, consumed in time order by "
		f"{'all work' if bank.covers == 'all' else 'business-hours work'}; unused hours {expiry}; covered: {detail}",
		tuple(w.entry.id for w in covered),
		item=tier.item("HOUR-BANK"),
		bank_period=report.period,
	)


def _travel_lines(
	work: list[_Work], incidents: list[Incident], contract: Contract, tier: Tier
) -> list[InvoiceLine]:
	"""Travel per on-site visit by zone: home zone free unless urgent, a flat fee for a region (docs/rules.md D)."""
	if not contract.travel_zone:
		return []
	zone = tier.travel_zones[contract.travel_zone]
	urgent_tickets = {i.ticket for i in incidents if i.urgent and i.ticket}
	groups: dict[bool, list[str]] = {}
	for w in work:
		if w.entry.kind != "on_site" or w.entry.warranty:
			continue
		urgent = w.entry.urgent or (w.entry.ticket in urgent_tickets)
		groups.setdefault(urgent, []).append(w.entry.id)
	lines = []
	for urgent, ids in sorted(groups.items()):
		fee = zone.urgent_fee if urgent and zone.urgent_fee is not None else zone.fee
		if not fee:
			continue
		why = f"travel zone {zone.name}: {fee} per on-site visit{' called out urgently' if urgent else ''} (docs/rules.md D); visits: {', '.join(ids)}"
		lines.append(
			InvoiceLine(
				f"Travel, {zone.name}{' (urgent call-out)' if urgent else ''} — {len(ids)} visit{'s' if len(ids) > 1 else ''}",
				Decimal(len(ids)),
				"visit",
				fee,
				round_money(fee * len(ids), tier.precision),
				why,
				tuple(ids),
				item=tier.item("TRAVEL"),
			)
		)
	return lines


def _sla_credit_lines(breaches: list[Breach], tier: Tier, fee: InvoiceLine | None) -> list[InvoiceLine]:
	credit = tier.sla_credit
	if not credit or not fee or not breaches:
		return []
	counted = [b for b in breaches if b.priority in credit.priorities and b.metric in credit.metrics]
	if not counted:
		return []
	per = fee.amount * credit.percent / 100
	cap = fee.amount * credit.cap_percent / 100
	amount = round_money(min(per * len(counted), cap), tier.precision)
	capped = " (capped)" if per * len(counted) > cap else ""
	return [
		InvoiceLine(
			f"SLA credit: {len(counted)} breach{'es' if len(counted) > 1 else ''}{capped}",
			Decimal(len(counted)),
			"breach",
			-round_money(per, tier.precision),
			-amount,
			f"{credit.percent} % of the monthly fee per breach of {', '.join(credit.metrics)} on {', '.join(credit.priorities)}, "
			f"at most {credit.cap_percent} %; tickets: {', '.join(b.ticket for b in counted)}",
			tuple(b.ticket for b in counted),
			item=tier.item("SLA-CREDIT"),
		)
	]
