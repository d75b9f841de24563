"""What a support level sells and on which terms (docs/rules.md A, B, D, E): the :class:`Tier` (prices,
increments, hour bank, incident model, travel zones, credits, monitoring, items) and the customer's
:class:`Contract` on it, with its overrides. Plain, frozen, checked at construction."""

from __future__ import annotations

import calendar as _calendar
import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .calendar import BusinessCalendar
from .errors import ConfigError, InputError
from .money import ZERO

WORK_KINDS = ("phone", "remote", "on_site", "travel")


KIND_LABEL = {
	"phone": "Phone support",
	"remote": "Remote support",
	"on_site": "On-site support",
	"travel": "Travel time",
}


BANK_PERIODS = ("month", "quarter", "year")

# the prices a price change (an indexed renewal, docs/rules.md F3) may set: Tier fields, and the incident fee
PRICED = ("monthly_fee", "hourly_rate", "after_hours_rate", "incident_fee", "monitoring_unit_price")


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


def check_count(field: str, value) -> None:
	"""A number of things: a whole number, 0 or more (not a bool)."""
	if isinstance(value, bool) or not isinstance(value, int) or value < 0:
		raise ConfigError(field, value, "must be a whole number, 0 or more")


@dataclass(frozen=True)
class HourBank:
	"""Prepaid hours (timbank, docs/rules.md B): ``minutes`` per ``period``; ``covers`` business-hours work only
	(default) or all work; unused minutes expire at the period end unless ``carry_over``. ``warn_at``: the
	percentages of a period's hours used at which the customer is told (docs/rules.md F2), ascending;
	``overage_approval``: work beyond the bank is billed only once the customer approves it (F2)."""

	minutes: int
	period: str = "quarter"
	carry_over: bool = False
	covers: str = "business_hours"
	warn_at: tuple[int, ...] = ()
	overage_approval: bool = False

	def __post_init__(self):
		if not isinstance(self.minutes, int) or self.minutes <= 0:
			raise ConfigError("hour_bank.hours", self.minutes, "must be a positive number of whole minutes")
		if self.period not in BANK_PERIODS:
			raise ConfigError("hour_bank.period", self.period, f"use one of {', '.join(BANK_PERIODS)}")
		if self.covers not in ("business_hours", "all"):
			raise ConfigError("hour_bank.covers", self.covers, "use business_hours or all")
		for pct in self.warn_at:
			if isinstance(pct, bool) or not isinstance(pct, int) or not 1 <= pct <= 100:
				raise ConfigError("hour_bank.warn_at", pct, "each must be a whole percentage from 1 to 100")
		if list(self.warn_at) != sorted(set(self.warn_at)):
			raise ConfigError("hour_bank.warn_at", list(self.warn_at), "list each percentage once, ascending")

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
		check_count(f"tier {self.key}: monitoring.included", self.monitoring_included)
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
class PriceChange:
	"""A contract's prices from ``valid_from`` on (docs/rules.md F3: a renewal indexed them): any of the fee
	and rates ``engine/indexation.INDEXED_PRICES`` names; the others stay the tier's (or the contract's)."""

	valid_from: dt.date
	prices: Mapping[str, Decimal]


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
	price_changes: tuple[PriceChange, ...] = ()  # indexed renewals' prices, by the day they apply from (F3)

	def __post_init__(self):
		if self.end is not None and self.end < self.start:
			raise ConfigError(f"contract {self.key}: end", self.end, f"is before the start {self.start}")
		check_count(f"contract {self.key}: monitored_units", self.monitored_units)
		days = [c.valid_from for c in self.price_changes]
		if days != sorted(set(days)):
			raise ConfigError(f"contract {self.key}: price_changes", days, "one per day, in order of the day")
		for c in self.price_changes:
			unknown = set(c.prices) - set(PRICED)
			if unknown:
				raise ConfigError(
					f"contract {self.key}: price_changes", sorted(unknown), "not an indexed price"
				)

	def priced(self, tier: Tier, day: dt.date) -> Tier:
		"""The tier with the prices valid on ``day`` (docs/rules.md F3): the last price change from that day
		or before — the work done that day, the fee that falls due that day, are billed at them."""
		valid = [c for c in self.price_changes if c.valid_from <= day]
		if not valid:
			return tier
		prices = {k: v for k, v in valid[-1].prices.items() if v is not None}
		fields = {k: v for k, v in prices.items() if k != "incident_fee"}
		if "incident_fee" in prices and tier.incident:
			fields["incident"] = dataclasses.replace(tier.incident, fee=prices["incident_fee"])
		return dataclasses.replace(tier, **fields)

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
