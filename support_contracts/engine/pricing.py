"""The pricing rules, one function each (docs/rules.md A, B, D): the monthly fee and monitoring, prorated
by days; the minutes an entry is billed (increments, minimums, per started hour); its rate class by its
start instant (business hours of the tier's pricing calendar, after hours, weekend/holiday × factor);
call-ins with their included time; work grouped into lines; travel per visit; SLA credits. Money is
Decimal, each line rounded once."""

from __future__ import annotations

import calendar as _calendar
import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .calendar import BusinessCalendar
from .durations import fmt_day, fmt_duration
from .errors import InputError
from .money import ZERO, hours_from_minutes, round_money
from .public_holidays import holidays_for
from .tiers import KIND_LABEL, Contract, Tier
from .work import Breach, Incident, InvoiceLine, TimeEntry

BUSINESS = "business hours"


AFTER_HOURS = "after hours"


WEEKEND = "weekend/holiday"


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
class Work:
	entry: TimeEntry
	billed: int
	rule: str
	klass: str
	rate: Decimal
	factor: Decimal
	full: int = 0  # billed minutes of the whole entry, when this is only a part of it

	def part(self, minutes: int) -> Work:
		return dataclasses.replace(self, billed=minutes, full=self.full or self.billed)

	def describe(self, tz) -> str:
		e = self.entry
		text = f"{e.id} {e.start.astimezone(tz):%m-%d %H:%M} {e.minutes} min worked → {self.full or self.billed} billed ({self.rule})"
		return text + (f", {self.billed} min of it here" if self.full and self.full != self.billed else "")


def incident_for(entry: TimeEntry, incident_of: Mapping[str, list[Incident]]) -> Incident | None:
	"""The latest incident of the entry's ticket called in at or before the entry started."""
	found = None
	for i in incident_of.get(entry.ticket or "", ()):
		if i.at <= entry.start:
			found = i
	return found


def work_amount(minutes: int, rate: Decimal, factor: Decimal, precision: int) -> Decimal:
	return round_money(rate * factor * minutes / 60, precision)


def incident_lines(incident: Incident, work: list[Work], tier: Tier) -> list[InvoiceLine]:
	model = tier.incident
	at = incident.at.astimezone(tier.calendar.tz)
	included = model.included_minutes
	rest: list[Work] = []
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
			grouped_work_lines(
				rest,
				tier,
				f"Incident {incident.id} work beyond the included {fmt_duration(model.included_minutes * 60, 'hours')}",
				extra_why="; ".join(notes),
			)
		)
	return lines


WARRANTY_WHY = "warranty work for delivered equipment is not billed (docs/rules.md D)"
DECLINED_WHY = "work beyond the hour bank that the customer declined is not billed (docs/rules.md F2)"


def grouped_work_lines(
	work: list[Work],
	tier: Tier,
	title: str | None = None,
	*,
	zero: bool = False,
	extra_why: str = "",
	zero_why: str = WARRANTY_WHY,
) -> list[InvoiceLine]:
	"""One line per (kind, rate class, rate × factor), each listing the entries it came from; ``zero``:
	shown at 0, saying ``zero_why``."""
	groups: dict[tuple, list[Work]] = {}
	for w in work:
		groups.setdefault((w.entry.kind, w.klass, w.rate, w.factor), []).append(w)
	lines = []
	for (kind, klass, rate, factor), ws in groups.items():
		minutes = sum(w.billed for w in ws)
		unit_rate = ZERO if zero else round_money(rate * factor, tier.precision)
		amount = ZERO if zero else work_amount(minutes, rate, factor, tier.precision)
		detail = "; ".join(w.describe(tier.calendar.tz) for w in ws)
		factor_txt = f" × factor {factor}" if factor != 1 else ""
		why = zero_why if zero else f"{KIND_LABEL[kind]}, {klass}: {rate}/h{factor_txt}"
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


def travel_lines(
	work: list[Work], incidents: list[Incident], contract: Contract, tier: Tier
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


def sla_credit_lines(breaches: list[Breach], tier: Tier, fee: InvoiceLine | None) -> list[InvoiceLine]:
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
