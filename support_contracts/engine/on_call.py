"""On-call pay (*jour*): what an employee earns for a payroll month, every line explained (docs/rules.md C5–C7).

- **Stipend** per on-call week (ISO week, Monday–Sunday) at the scheme's level: "Jour 2", reachable 24 h a
  day: 4,500 (:func:`week_stipend`). A scheme pays one level; a firm with two levels has two schemes.
- **Uplift** +50 % (6,750) for a week that contains a holiday of Easter, Christmas, New Year or Midsummer;
  which holiday groups count is configuration (:data:`UPLIFT_GROUPS`).
- **Bands** when activated: weekdays that are not holidays 06–22 → band 1 (290/h); Saturday, Sunday and
  other holidays 06–22 → band 2 (400/h); every day 22–06 → band 3 (600/h). Holidays are Swedish public +
  de-facto holidays (Midsummer Eve, Christmas Eve, New Year's Eve; docs/rules.md C6).
- Each **activation** is split exactly at band boundaries, local midnight and DST changes (:func:`split`):
  an activation across the October DST change is paid for the hours really worked (one more);
  :func:`activation_pay` prices the pieces.
- A week's stipend is paid in the month in which the week ends (``week_paid_in: end``) or starts
  (``start``); activation time in the month of the local day on which it was worked.
- Activations outside the employee's on-call weeks: an error, or allowed (``activations_outside_week``).
  Overlapping activations of one employee and ``end <= start`` are always rejected.

Money is Decimal, rounded once per line.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.easter import easter

from .calendar import DAY, EPOCH, ONE_US, HolidayRule, check_timezone, to_us
from .durations import fmt_duration
from .errors import ConfigError, InputError
from .money import HOUR_S, ZERO, MoneyLine, round_money
from .public_holidays import holidays_for, midsummer_eve

# the kinds of day a band pays on (a band's ``days``)
WORKDAYS = "weekdays"  # Monday–Friday that are not holidays
RESTDAYS = "weekends_and_holidays"
ALL_DAYS = "all"
DAY_KINDS = (WORKDAYS, RESTDAYS, ALL_DAYS)

UPLIFT_GROUPS = {
	"easter": lambda y: {
		easter(y) + dt.timedelta(days=d) for d in (-2, -1, 0, 1)
	},  # Good Friday–Easter Monday
	"christmas": lambda y: {dt.date(y, 12, 24), dt.date(y, 12, 25), dt.date(y, 12, 26)},
	"new_year": lambda y: {dt.date(y, 12, 31), dt.date(y, 1, 1)},
	"midsummer": lambda y: {midsummer_eve(y), midsummer_eve(y) + dt.timedelta(days=1)},
}


@dataclass(frozen=True)
class Band:
	"""A pay band: ``rate`` per hour on ``days`` from ``start`` to ``end`` (seconds of the day; ``end <=
	start`` runs past midnight, and the part after midnight belongs to the day it started on)."""

	name: str
	rate: Decimal
	days: str
	start: int
	end: int

	def __post_init__(self):
		if self.days not in DAY_KINDS:
			raise ConfigError(f"band {self.name}: days", self.days, f"use one of {', '.join(DAY_KINDS)}")
		if self.start == self.end % DAY:
			raise ConfigError(
				f"band {self.name}",
				f"{fmt_duration(self.start, 'time')}–{fmt_duration(self.end, 'time')}",
				"the end equals the start",
			)

	def covers(self, kind: str) -> bool:
		return self.days == ALL_DAYS or self.days == kind

	def label(self) -> str:
		return f"{self.name} ({self.days.replace('_', ' ')} {fmt_duration(self.start, 'time')}–{fmt_duration(self.end % DAY, 'time')})"


@dataclass(frozen=True)
class PayScheme:
	key: str
	title: str
	currency: str
	timezone: str
	holidays: HolidayRule
	level: str  # e.g. "Jour 2": the on-call level this scheme pays
	stipend: Decimal  # per on-call week at that level
	bands: tuple[Band, ...]
	uplift_percent: Decimal = Decimal(50)
	uplift_groups: tuple[str, ...] = ("easter", "christmas", "new_year", "midsummer")
	activations_outside_week: str = "error"
	week_paid_in: str = "end"
	components: Mapping[str, str] = field(default_factory=dict)  # "stipend" / band name → salary component
	precision: int = 2

	def __post_init__(self):
		check_timezone(self.timezone, f"pay scheme {self.key}: timezone")
		if not str(self.level or "").strip():
			raise ConfigError(f"pay scheme {self.key}: level", self.level, "give the on-call level it pays")
		unknown = set(self.uplift_groups) - set(UPLIFT_GROUPS)
		if unknown:
			raise ConfigError(
				f"pay scheme {self.key}: uplift holidays", sorted(unknown), f"use {', '.join(UPLIFT_GROUPS)}"
			)
		if self.activations_outside_week not in ("error", "allow"):
			raise ConfigError(
				f"pay scheme {self.key}: activations_outside_week",
				self.activations_outside_week,
				"use error or allow",
			)
		if self.week_paid_in not in ("start", "end"):
			raise ConfigError(f"pay scheme {self.key}: week_paid_in", self.week_paid_in, "use start or end")
		names = [b.name for b in self.bands]
		if len(names) != len(set(names)):
			dupes = sorted({n for n in names if names.count(n) > 1})
			raise ConfigError(
				f"pay scheme {self.key}: bands",
				", ".join(dupes),
				"two bands share a name (each is its own pay line)",
			)
		_check_bands_partition(self.key, self.bands)

	@property
	def tz(self) -> ZoneInfo:
		return ZoneInfo(self.timezone)

	def component(self, name: str) -> str:
		return self.components.get(name, name)

	def is_holiday(self, day: dt.date) -> bool:
		h = self.holidays
		return day in holidays_for(h.country, h.subdivision, (day.year,), frozenset(h.kinds))

	def day_kind(self, day: dt.date) -> str:
		return RESTDAYS if day.weekday() >= 5 or self.is_holiday(day) else WORKDAYS

	def band_at(self, day: dt.date, second: int) -> Band:
		"""The band of local ``second`` of ``day``: exactly one, checked when the scheme is built."""
		return _band_at(self.bands, self.day_kind(day - dt.timedelta(days=1)), self.day_kind(day), second)


def _band_at(bands, prev_kind: str, kind: str, second: int) -> Band | None:
	for b in bands:
		if b.start < b.end:
			if b.covers(kind) and b.start <= second < b.end:
				return b
		elif (second >= b.start and b.covers(kind)) or (second < b.end % DAY and b.covers(prev_kind)):
			return b
	return None


def _check_bands_partition(key: str, bands: tuple[Band, ...]) -> None:
	"""Every second of every kind of day falls in exactly one band: no gaps, no overlaps."""
	if not bands:
		raise ConfigError(f"pay scheme {key}: bands", (), "give the hourly bands")
	points = sorted({0} | {b.start for b in bands} | {b.end % DAY for b in bands})
	for prev_kind in (WORKDAYS, RESTDAYS):
		for kind in (WORKDAYS, RESTDAYS):
			for second in points:
				hits = [b for b in bands if _band_at((b,), prev_kind, kind, second)]
				if len(hits) != 1:
					where = f"{kind.replace('_', ' ')} at {fmt_duration(second, 'time')}"
					problem = (
						"no band covers this time"
						if not hits
						else f"bands overlap: {', '.join(b.name for b in hits)}"
					)
					raise ConfigError(f"pay scheme {key}: bands", where, problem)


@dataclass(frozen=True)
class OnCallWeek:
	"""An employee's on-call week (*jourvecka*): ISO ``year`` and ``week`` at ``level`` (e.g. "Jour 2")."""

	employee: str
	year: int
	week: int
	level: str

	def __post_init__(self):
		try:
			dt.date.fromisocalendar(self.year, self.week, 1)
		except (ValueError, TypeError):
			raise InputError(
				f"on-call week {self.employee}", f"{self.year}-W{self.week}", "not an ISO week"
			) from None

	@property
	def monday(self) -> dt.date:
		return dt.date.fromisocalendar(self.year, self.week, 1)

	@property
	def days(self) -> list[dt.date]:
		return [self.monday + dt.timedelta(days=i) for i in range(7)]

	@property
	def label(self) -> str:
		return f"{self.year}-W{self.week:02d}"


@dataclass(frozen=True)
class Activation:
	"""Time an employee was activated on call: ``start`` to ``end`` (aware), for ``ticket``."""

	id: str
	employee: str
	start: dt.datetime
	end: dt.datetime
	ticket: str | None = None

	def __post_init__(self):
		to_us(self.start, f"activation {self.id}: start")
		to_us(self.end, f"activation {self.id}: end")
		if self.end <= self.start:
			raise InputError(f"activation {self.id}: end", self.end.isoformat(), "must be after the start")


@dataclass(frozen=True)
class Segment:
	activation: str
	start: dt.datetime
	end: dt.datetime
	band: Band
	seconds: int
	day: dt.date


@dataclass(frozen=True, kw_only=True)
class PayLine(MoneyLine):
	employee: str
	component: str  # the salary component the line is paid as


@dataclass(frozen=True)
class PaySlip:
	employee: str
	month: str
	currency: str
	lines: tuple[PayLine, ...]
	summary: str  # as docs/rules.md C7 reports it: "1 × Jourvecka; Band 2: 4h"

	@property
	def total(self) -> Decimal:
		return sum((line.amount for line in self.lines), ZERO)


def split(activation: Activation, scheme: PayScheme) -> list[Segment]:
	"""The activation cut at every band boundary and local midnight, each piece with its band; lengths are
	real elapsed seconds, so DST days pay the hours really worked."""
	tz = scheme.tz
	s, e = to_us(activation.start), to_us(activation.end)
	cuts_of_day = sorted({0} | {b.start for b in scheme.bands} | {b.end % DAY for b in scheme.bands})
	first = activation.start.astimezone(tz).date()
	last = activation.end.astimezone(tz).date()
	cuts = {s, e}
	day = first
	while day <= last:
		for sec in cuts_of_day:
			wall = dt.datetime(day.year, day.month, day.day, tzinfo=tz) + dt.timedelta(seconds=sec)
			u = (wall - EPOCH) // ONE_US
			if s < u < e:
				cuts.add(u)
		day += dt.timedelta(days=1)
	points = sorted(cuts)
	out = []
	for a, b in itertools.pairwise(points):
		start = (EPOCH + dt.timedelta(microseconds=a)).astimezone(tz)
		sec_of_day = start.hour * 3600 + start.minute * 60 + start.second
		band = scheme.band_at(start.date(), sec_of_day)
		out.append(
			Segment(
				activation.id,
				start,
				(EPOCH + dt.timedelta(microseconds=b)).astimezone(tz),
				band,
				(b - a) // 1_000_000,
				start.date(),
			)
		)
	return out


def uplift_reason(week: OnCallWeek, scheme: PayScheme) -> str | None:
	"""Why a week earns the uplift: the holidays of the configured groups that fall in it, or None."""
	found = []
	for day in week.days:
		name = None
		for group in scheme.uplift_groups:
			if day in UPLIFT_GROUPS[group](day.year):
				h = scheme.holidays
				name = (
					holidays_for(h.country, h.subdivision, (day.year,), frozenset(h.kinds)).get(day) or group
				)
				break
		if name:
			found.append(f"{name} {day}")
	return ", ".join(found) or None


@dataclass(frozen=True)
class WeekStipend:
	"""What an on-call week pays (docs/rules.md C5): ``base``, or ``rate`` = base + uplift when the week holds
	a holiday of the scheme's groups; ``amount`` is ``rate`` rounded to the scheme's precision."""

	week: OnCallWeek
	base: Decimal
	rate: Decimal
	amount: Decimal
	uplift_reason: str | None


def _check_level(week: OnCallWeek, scheme: PayScheme) -> None:
	if week.level != scheme.level:
		raise InputError(
			f"on-call week {week.employee} {week.label}: level",
			week.level,
			f"scheme {scheme.key} pays {scheme.level}",
		)


def week_stipend(week: OnCallWeek, scheme: PayScheme) -> WeekStipend:
	"""The stipend of one on-call week under ``scheme``, with the reason for any uplift."""
	_check_level(week, scheme)
	reason = uplift_reason(week, scheme)
	rate = scheme.stipend * (1 + scheme.uplift_percent / 100) if reason else scheme.stipend
	return WeekStipend(week, scheme.stipend, rate, round_money(rate, scheme.precision), reason)


@dataclass(frozen=True)
class ActivationPay:
	"""An activation priced (docs/rules.md C6): its pieces, each piece's amount rounded for display, and the
	total — the exact sum of the pieces, rounded once."""

	segments: tuple[Segment, ...]
	amounts: tuple[Decimal, ...]
	total: Decimal


def activation_pay(activation: Activation, scheme: PayScheme) -> ActivationPay:
	"""The activation split at band boundaries, midnight and DST (:func:`split`) and priced per band."""
	segments = tuple(split(activation, scheme))
	exact = [seg.band.rate * Decimal(seg.seconds) / HOUR_S for seg in segments]
	return ActivationPay(
		segments,
		tuple(round_money(a, scheme.precision) for a in exact),
		round_money(sum(exact, ZERO), scheme.precision),
	)


def _validate(scheme: PayScheme, weeks: list[OnCallWeek], activations: list[Activation]) -> None:
	seen = set()
	for w in weeks:
		if (w.employee, w.year, w.week) in seen:
			raise InputError(f"on-call week {w.employee}", w.label, "appears twice for the employee")
		seen.add((w.employee, w.year, w.week))
		_check_level(w, scheme)
	ids = set()
	by_employee: dict[str, list[Activation]] = {}
	for a in activations:
		if a.id in ids:
			raise InputError(f"activation {a.id}: id", a.id, "appears twice")
		ids.add(a.id)
		by_employee.setdefault(a.employee, []).append(a)
	for emp, acts in by_employee.items():
		acts.sort(key=lambda a: a.start)
		for x, y in itertools.pairwise(acts):
			if y.start < x.end:
				raise InputError(
					f"activation {y.id}: start", y.start.isoformat(), f"overlaps activation {x.id} of {emp}"
				)
	if scheme.activations_outside_week == "error":
		tz = scheme.tz
		week_days = {(w.employee, d) for w in weeks for d in w.days}
		for a in activations:
			if (a.employee, a.start.astimezone(tz).date()) not in week_days:
				raise InputError(
					f"activation {a.id}: start",
					a.start.isoformat(),
					f"outside every on-call week of {a.employee} (scheme {scheme.key} requires one)",
				)


def pay_month(
	scheme: PayScheme, weeks: Iterable[OnCallWeek], activations: Iterable[Activation], year: int, month: int
) -> dict[str, PaySlip]:
	"""Pay lines per employee for the payroll month; all input is validated before anything is produced."""
	if not (isinstance(month, int) and 1 <= month <= 12):
		raise InputError("month", month, "must be 1 to 12")
	weeks, activations = list(weeks), list(activations)
	_validate(scheme, weeks, activations)
	label = f"{year}-{month:02d}"
	lines: dict[str, list[PayLine]] = {}
	summary: dict[str, dict] = {}

	for w in sorted(weeks, key=lambda w: (w.employee, w.year, w.week)):
		paid_day = w.days[-1] if scheme.week_paid_in == "end" else w.days[0]
		if (paid_day.year, paid_day.month) != (year, month):
			continue
		pay = week_stipend(w, scheme)
		reason = pay.uplift_reason
		why = f"{w.level}: {pay.base} per on-call week"
		if reason:
			why += f", +{scheme.uplift_percent} % because the week contains {reason} (docs/rules.md C5)"
		why += f"; paid in the month the week {'ends' if scheme.week_paid_in == 'end' else 'starts'} ({paid_day})"
		lines.setdefault(w.employee, []).append(
			PayLine(
				f"On-call week {w.label} ({w.level}{', holiday uplift' if reason else ''})",
				Decimal(1),
				"week",
				pay.rate,
				pay.amount,
				why,
				(w.label,),
				employee=w.employee,
				component=scheme.component("stipend"),
			)
		)
		summary.setdefault(w.employee, {"weeks": 0, "bands": {}})["weeks"] += 1

	band_secs: dict[tuple[str, str], list[Segment]] = {}
	for a in activations:
		for seg in split(a, scheme):
			if (seg.day.year, seg.day.month) == (year, month):
				band_secs.setdefault((a.employee, seg.band.name), []).append(seg)
	order = {b.name: i for i, b in enumerate(scheme.bands)}
	for (emp, band_name), segs in sorted(band_secs.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
		band = segs[0].band
		secs = sum(s.seconds for s in segs)
		hours = Decimal(secs) / HOUR_S
		detail = ", ".join(
			f"{s.activation} {s.start:%m-%d %H:%M}–{s.end:%H:%M} ({s.seconds // 60} min)" for s in segs
		)
		lines.setdefault(emp, []).append(
			PayLine(
				f"{band.label()}: {secs // 3600}:{secs % 3600 // 60:02d} h",
				hours.quantize(Decimal("1e-9")).normalize(),
				"h",
				band.rate,
				round_money(band.rate * hours, scheme.precision),
				f"{band.label()} at {band.rate}/h, split at band boundaries and midnight (docs/rules.md C6); {detail}",
				tuple(dict.fromkeys(s.activation for s in segs)),
				employee=emp,
				component=scheme.component(band_name),
			)
		)
		summary.setdefault(emp, {"weeks": 0, "bands": {}})["bands"][band_name] = secs

	out = {}
	for emp, emp_lines in lines.items():
		s = summary.get(emp, {"weeks": 0, "bands": {}})
		parts = [f"{s['weeks']} × Jourvecka"] if s["weeks"] else []
		parts += [f"{name}: {fmt_duration(secs, 'compact')}" for name, secs in s["bands"].items()]
		out[emp] = PaySlip(emp, label, scheme.currency, tuple(emp_lines), "; ".join(parts))
	return out


@dataclass(frozen=True)
class PaidLine:
	"""What an earlier pay statement paid for work of ``month`` (YYYY-MM) as ``component``, and from which
	documents (weeks, activations)."""

	month: str
	component: str
	amount: Decimal
	sources: tuple[str, ...] = ()


def pay_corrections(
	employee: str,
	month: str,
	due: Iterable[PayLine],
	paid: Iterable[PaidLine],
	changed: Iterable[str] = (),
	*,
	paid_in: str,
) -> list[PayLine]:
	"""docs/rules.md C7 (our reading): the work of ``month`` was paid already (``paid``); what it comes to
	now is ``due`` (:func:`pay_month` over today's weeks and activations). Each salary component whose
	total differs gets one correction line in payroll month ``paid_in`` — the difference, positive or
	negative — naming the documents added, removed or ``changed`` (edited since the month was paid)."""
	due, paid = list(due), [p for p in paid if p.month == month]
	changed = set(changed)
	out = []
	for component in dict.fromkeys([line.component for line in due] + [p.component for p in paid]):
		now = [line for line in due if line.component == component]
		before = [p for p in paid if p.component == component]
		due_amount = sum((line.amount for line in now), ZERO)
		paid_amount = sum((p.amount for p in before), ZERO)
		difference = due_amount - paid_amount
		if not difference:
			continue
		now_sources = list(dict.fromkeys(s for line in now for s in line.sources))
		paid_sources = set(s for p in before for s in p.sources)
		added = [s for s in now_sources if s not in paid_sources]
		removed = sorted(paid_sources - set(now_sources))
		edited = [s for s in now_sources if s in paid_sources and s in changed]
		parts = [
			f"{what} {', '.join(ids)}"
			for what, ids in (("added", added), ("removed", removed), ("changed", edited))
			if ids
		]
		out.append(
			PayLine(
				f"Correction of {month}: {component}",
				Decimal(1),
				"correction",
				difference,
				difference,
				f"{month} was paid {paid_amount} as {component} and now comes to {due_amount}"
				f" ({'; '.join(parts) or 'recomputed'}); the difference is paid in {paid_in}, the earlier"
				" payment is left as it was (docs/rules.md C7)",
				tuple(added + removed + edited),
				employee=employee,
				component=component,
			)
		)
	return out
