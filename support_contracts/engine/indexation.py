"""Renewals that index prices (docs/rules.md F3): a price index as published (monthly or yearly values), a
contract's indexation clause (which index, its base period, a floor and a cap, the step new prices are
rounded to), and the prices of a renewal: each old price × (the index's value of the reference period
before the renewal ÷ its value at the last indexed renewal's — the base period's at the first), the change held
between the floor and the cap, rounded half up to the clause's step once. Exact: the ratio is a fraction,
never a rounded decimal. A price change is recorded and billed from the renewal day
(``tiers.Contract.price_changes``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import ConfigError, InputError
from .tiers import PRICED

MONTHLY, YEARLY = "monthly", "yearly"
FREQUENCIES = (MONTHLY, YEARLY)
PERIOD_FORMAT = {MONTHLY: re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), YEARLY: re.compile(r"^\d{4}$")}
PERIOD_EXAMPLE = {MONTHLY: "2025-10", YEARLY: "2025"}

# the prices a renewal indexes: a tier's (or a contract's own) fee and rates
INDEXED_PRICES = PRICED


def check_period(frequency: str, period, field: str) -> str:
	"""A period label of an index: ``YYYY-MM`` for a monthly index, ``YYYY`` for a yearly one."""
	if frequency not in FREQUENCIES:
		raise ConfigError(f"{field}: frequency", frequency, f"use {' or '.join(FREQUENCIES)}")
	if not isinstance(period, str) or not PERIOD_FORMAT[frequency].match(period):
		raise InputError(
			field, period, f"a {frequency} index's period is written {PERIOD_EXAMPLE[frequency]}"
		)
	return period


@dataclass(frozen=True)
class PriceIndex:
	"""An index as published (e.g. a consumer price index): ``values`` by period (``2025-10`` or ``2025``),
	each a positive Decimal."""

	name: str
	frequency: str
	values: Mapping[str, Decimal]

	def __post_init__(self):
		for period, value in self.values.items():
			check_period(self.frequency, period, f"index {self.name}: period")
			if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
				raise InputError(f"index {self.name}: {period}", value, "an index value is a positive number")

	def value(self, period: str) -> Decimal:
		if period not in self.values:
			raise InputError(f"index {self.name}: {period}", None, "not published yet: enter its value")
		return self.values[period]


@dataclass(frozen=True)
class IndexClause:
	"""How a contract's prices follow an index at each yearly renewal: the ``index``, the ``base_period``
	its first renewal compares with, a ``floor_percent`` and a ``cap_percent`` of the change (None: none),
	and the ``rounding`` step of a new price (0.01, 1, 10, …; half up)."""

	index: str
	base_period: str
	floor_percent: Decimal | None = None
	cap_percent: Decimal | None = None
	rounding: Decimal = Decimal("0.01")

	def __post_init__(self):
		if not isinstance(self.rounding, Decimal) or not self.rounding.is_finite() or self.rounding <= 0:
			raise ConfigError("rounding", self.rounding, "a positive step, e.g. 0.01 or 1")
		for name in ("floor_percent", "cap_percent"):
			v = getattr(self, name)
			if v is not None and (not isinstance(v, Decimal) or not v.is_finite() or not -100 <= v <= 100):
				raise ConfigError(name, v, "a percentage from -100 to 100, e.g. 0 or 5")
		if self.floor_percent is not None and self.cap_percent is not None:
			if self.floor_percent > self.cap_percent:
				raise ConfigError("floor_percent", self.floor_percent, f"above the cap {self.cap_percent} %")


def _shift(period: str, years: int) -> str:
	year, *month = period.split("-")
	return "-".join([str(int(year) + years), *month])


def reference_periods(
	clause: IndexClause, frequency: str, renewal: dt.date, previous: str | None = None
) -> tuple[str, str] | None:
	"""(then, now): the two periods whose values a renewal on ``renewal`` compares. ``now`` is the latest
	period before the renewal's month that falls on the base period's month of the year (a yearly index:
	the year before the renewal's); ``then`` is the ``previous`` renewal's ``now`` — the base period where
	no renewal was indexed yet — so that changes chain and none is counted twice. None where ``now`` is no
	later than ``then``: nothing new to compare, the prices stay (a term shorter than a year, a renewal
	before a year has passed since the base period)."""
	base = check_period(frequency, clause.base_period, "base_period")
	then = check_period(frequency, previous, "previous") if previous else base
	if frequency == MONTHLY:
		month = int(base[5:])
		year = renewal.year if month < renewal.month else renewal.year - 1
		now = f"{year}-{month:02d}"
	else:
		now = str(renewal.year - 1)
	return (then, now) if now > then else None


def _round_half_up(value: Fraction, step: Decimal) -> Decimal:
	steps = value / Fraction(step)
	whole = int(steps + Fraction(1, 2)) if steps >= 0 else -int(-steps + Fraction(1, 2))
	return (Decimal(whole) * step).quantize(step)


@dataclass(frozen=True)
class Indexation:
	"""A renewal's new prices and why: the periods and values compared, the change as the index gives it
	and as applied (held between the floor and the cap), and each price ``(name, old, new)``."""

	then: tuple[str, Decimal]
	now: tuple[str, Decimal]
	change_percent: Decimal  # as the index gives it, to 1e-4 %
	applied_percent: Decimal  # after the floor and the cap, to 1e-4 %
	prices: tuple[tuple[str, Decimal, Decimal], ...]
	why: str


def _percent(f: Fraction) -> Decimal:
	return _round_half_up((f - 1) * 100, Decimal("0.0001"))


def index_prices(
	prices: Mapping[str, Decimal],
	clause: IndexClause,
	index: PriceIndex,
	renewal: dt.date,
	previous: str | None = None,
) -> Indexation | None:
	"""docs/rules.md F3: the prices of the term that begins on ``renewal``, the last indexed renewal having
	compared up to ``previous`` (:func:`reference_periods`); None where the renewal has nothing new to
	compare. Prices of None (not sold) stay None and are left out."""
	if index.name != clause.index:
		raise InputError("index", index.name, f"the clause follows {clause.index}")
	periods = reference_periods(clause, index.frequency, renewal, previous)
	if periods is None:
		return None
	then_p, now_p = periods
	v_then, v_now = index.value(then_p), index.value(now_p)
	ratio = Fraction(v_now) / Fraction(v_then)
	factor = ratio
	held = ""
	if clause.floor_percent is not None and factor < 1 + Fraction(clause.floor_percent) / 100:
		factor, held = (
			1 + Fraction(clause.floor_percent) / 100,
			f", held at the floor {clause.floor_percent} %",
		)
	if clause.cap_percent is not None and factor > 1 + Fraction(clause.cap_percent) / 100:
		factor, held = 1 + Fraction(clause.cap_percent) / 100, f", held at the cap {clause.cap_percent} %"
	out = []
	for name, old in prices.items():
		if name not in INDEXED_PRICES:
			raise InputError("prices", name, f"not an indexed price; use {', '.join(INDEXED_PRICES)}")
		if old is None:
			continue
		out.append((name, old, _round_half_up(Fraction(old) * factor, clause.rounding)))
	change, applied = _percent(ratio), _percent(factor)
	why = (
		f"{index.name} {now_p} {v_now} / {then_p} {v_then}: {change:+} %{held}; prices × {1 + applied / 100}, "
		f"rounded half up to {clause.rounding} (docs/rules.md F3)"
	)
	return Indexation((then_p, v_then), (now_p, v_now), change, applied, tuple(out), why)
