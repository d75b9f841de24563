"""Rating: what a customer owes for one contract and one billing month, every line explained.

Inputs are a :class:`~.tiers.Tier` (the price list of a support level, docs/rules.md A/B/D/E), a
:class:`~.tiers.Contract` (a customer on a tier, with overrides), the month's :class:`~.work.TimeEntry`
and :class:`~.work.Incident` records, and optionally the SLA breaches of the month. :func:`rate_month`
returns an :class:`~.work.Invoice` whose lines each carry a ``why``: the rule and the entries it came
from. Each rule is one function of :mod:`.pricing` or :mod:`.hour_bank`; the order is:

1. :func:`~.pricing.fixed_fee_line` — the monthly fee, billed in advance for the billing month, prorated
   by days when the contract starts or ends inside it (active days / days in month, rounded once).
2. :func:`~.pricing.billed_minutes` — each entry rounded **up** to its kind's increment (10 / 30 / 60
   min, docs/rules.md D), on-site at least 1 h (D), everything to the full hour where the tier bills "per
   started hour" (A).
3. :func:`~.pricing.rate_class` — business hours (the tier's pricing calendar is open), after hours
   (weekday, closed), or weekend/holiday (Saturday, Sunday or a holiday of the calendar: the tier's
   factor, 2.0 at Ballou, A). An entry is classed by its start instant (like a PSA work type), not split.
4. Incidents (call-ins, A): the model's fee per incident; the work on the incident's ticket is covered up
   to the included minutes (1 h), in time order; the rest at the hourly rate × factor.
5. :func:`~.hour_bank.apply_bank` — allotment per period (month / quarter / year), consumed in time order
   by business-hours work (or all work, by setting), expiring at the period end unless carry-over is on;
   overage at the tier's rate, or at 0 where the customer declined it (F2). The bank line shows the balance before and after.
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

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from .errors import InputError
from .hour_bank import apply_bank, bank_line
from .months import previous_month
from .pricing import (
	DECLINED_WHY,
	Work,
	billed_minutes,
	fixed_fee_line,
	grouped_work_lines,
	incident_for,
	incident_lines,
	monitoring_line,
	rate_class,
	sla_credit_lines,
	travel_lines,
)
from .tiers import Contract, Tier
from .work import Breach, Incident, Invoice, InvoiceLine, TimeEntry


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

	def priced(t: dt.datetime) -> Tier:  # the prices valid on the day of ``t`` (docs/rules.md F3)
		return contract.priced(tier, t.astimezone(tier.calendar.tz).date())

	lines: list[InvoiceLine] = []
	due = fee_due(contract, year, month)
	fee = fixed_fee_line(contract, contract.priced(tier, due), year, month)  # also the base of SLA credits
	if fee and with_fee:
		lines.append(fee)
	monitoring = monitoring_line(contract, contract.priced(tier, due), year, month) if with_fee else None
	if monitoring:
		lines.append(monitoring)

	work = []
	for e in entries:
		billed, rule = billed_minutes(e, tier)
		klass, rate, factor = rate_class(e.start, priced(e.start))
		work.append(Work(e, billed, rule, klass, rate, factor))

	# incidents: fee, then their tickets' work covered up to the included minutes
	incident_of: dict[str, list[Incident]] = {}
	for i in incidents:
		if i.ticket:
			incident_of.setdefault(i.ticket, []).append(i)
	on_incident: dict[str, list[Work]] = {i.id: [] for i in incidents}
	ordinary: list[Work] = []
	for w in work:
		inc = incident_for(w.entry, incident_of)
		if inc and not w.entry.warranty:
			on_incident[inc.id].append(w)
		else:
			ordinary.append(w)
	for i in incidents:
		lines.extend(incident_lines(i, on_incident[i.id], priced(i.at)))

	# warranty work at zero — under a contract only (docs/rules.md B6, D3)
	free = tier.warranty_free and contract.has_contract
	warranty = [w for w in ordinary if w.entry.warranty and free]
	ordinary = [w for w in ordinary if not (w.entry.warranty and free)]
	if warranty:
		lines.extend(grouped_work_lines(warranty, tier, "Warranty work (not billed)", zero=True))

	# outside our area: billed per started hour, not from the bank (docs/rules.md A8)
	outside = [w for w in ordinary if w.entry.outside_area]
	ordinary = [w for w in ordinary if not w.entry.outside_area]

	# hour bank, in time order
	bank_report = None
	billable, declined = ordinary, []
	if tier.hour_bank:
		bank_report, covered, billable, declined = apply_bank(
			ordinary, tier, year, month, bank_used_before, bank_carried_in
		)
		if bank_report:
			lines.append(bank_line(bank_report, covered, tier))
	lines.extend(grouped_work_lines(billable, tier))
	if declined:
		lines.extend(
			grouped_work_lines(
				declined, tier, "Overage declined (not billed)", zero=True, zero_why=DECLINED_WHY
			)
		)
	if outside:
		lines.extend(
			grouped_work_lines(
				outside,
				tier,
				"Outside our area",
				extra_why="the fault lay outside the provider's area: billed per started hour (docs/rules.md A8)",
			)
		)

	lines.extend(travel_lines(work, incidents, contract, tier))
	lines.extend(sla_credit_lines(list(breaches), tier, fee))
	return Invoice(contract.key, contract.customer, tier.key, label, tier.currency, tuple(lines), bank_report)


def fee_due(contract: Contract, year: int, month: int) -> dt.date:
	"""The day a month's fee falls due, whose prices it is billed at (docs/rules.md F3): the month's first
	day, or the contract's start where it starts later in the month."""
	return max(dt.date(year, month, 1), contract.start)


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
	fy, fm = (year, month) if fee_in_advance else (uy, um)
	fee = fixed_fee_line(contract, contract.priced(tier, fee_due(contract, fy, fm)), fy, fm)
	monitoring = monitoring_line(contract, contract.priced(tier, fee_due(contract, year, month)), year, month)
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
