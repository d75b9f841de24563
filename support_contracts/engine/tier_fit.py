"""The tier that fits (docs/rules.md F1): what a contract's months would have cost under each tier of the
firm, from the same work and call-ins — each month rated as an invoice of that month's fee and usage
(:func:`.rating.rate_month`), the hour bank drawn in time order through the months as the tier's bank
would have been (its period, its carry-over), the contract's own negotiated prices kept for its own tier
only (another tier is priced as the firm lists it). The cheapest is marked; every month's lines say why,
as an invoice's do.

A tier that cannot price the same work says why instead of a total: another currency, or the contract's
travel zone unknown to it. A tier without an incident model prices call-ins as the work they are (no
call-in fee, nothing included), and says so. SLA credits are left out of every total: they depend on
breaches that the other tier's targets would have judged differently (``what_if`` in the adapter)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from .errors import ConfigError, InputError
from .money import ZERO
from .rating import rate_month
from .tiers import Contract, Tier
from .work import Incident, Invoice, TimeEntry

Month = tuple[int, int]
WITHOUT_CONTRACT = "as without a contract: no monthly fee, warranty work billed"


@dataclass(frozen=True)
class TierCost:
	"""What the months came to under one tier: ``total`` (None where it cannot be compared, ``why_not``),
	each month's invoice, and notes (call-ins priced as work)."""

	tier: str
	title: str
	currency: str
	total: Decimal | None
	invoices: tuple[Invoice, ...] = ()
	current: bool = False
	cheapest: bool = False
	why_not: str | None = None
	notes: tuple[str, ...] = ()

	def difference(self, current: TierCost) -> Decimal | None:
		"""This tier's total less the current tier's (negative: cheaper), where both compare."""
		if self.total is None or current.total is None:
			return None
		return self.total - current.total


def tier_fit(
	contract: Contract,
	tiers: Mapping[str, Tier],
	months: Sequence[Month],
	usage: Mapping[Month, tuple[Sequence[TimeEntry], Sequence[Incident]]],
	without_contract: str | None = None,
) -> list[TierCost]:
	"""Each tier's cost of ``months`` of ``usage`` (per month: its time entries and call-ins) for
	``contract``: its own tier first (with the contract's overrides and indexed prices, F3), then the others
	in the order given; the cheapest comparable total marked (the current tier on a tie). The tier ``without_contract`` (the
	firm's list prices) is priced as the work of a customer without a contract is billed: no monthly fee,
	and warranty work billed (docs/rules.md B3, D)."""
	if not months:
		raise InputError("months", months, "give at least one month")
	own = contract.effective_tier(tiers)
	costs = [_cost(contract, tiers, contract.tier, months, usage, own.currency, current=True)]
	for name in tiers:
		if name == without_contract and name != contract.tier:
			other = replace(Contract.without_contract(contract.customer, name), key=contract.key)
			costs.append(_cost(other, tiers, name, months, usage, own.currency, note=WITHOUT_CONTRACT))
		elif name != contract.tier:
			other = replace(contract, tier=name, overrides={}, currency=None, price_changes=())
			costs.append(_cost(other, tiers, name, months, usage, own.currency))
	comparable = [c for c in costs if c.total is not None]
	if comparable:
		best = min(comparable, key=lambda c: (c.total, not c.current))
		costs = [replace(c, cheapest=c is best) for c in costs]
	return costs


def _cost(
	contract: Contract,
	tiers: Mapping[str, Tier],
	name: str,
	months: Sequence[Month],
	usage: Mapping[Month, tuple[Sequence[TimeEntry], Sequence[Incident]]],
	currency: str,
	current: bool = False,
	note: str | None = None,
) -> TierCost:
	tier = tiers[name]
	if tier.currency != currency:
		return TierCost(
			name, tier.title, tier.currency, None, current=current, why_not=f"bills in {tier.currency}"
		)
	if contract.travel_zone and contract.travel_zone not in tier.travel_zones:
		return TierCost(
			name, tier.title, tier.currency, None, current=current,
			why_not=f"has no travel zone {contract.travel_zone}",
		)  # fmt: skip
	try:
		invoices, notes = rate_months(contract, tiers, months, usage)
	except (ConfigError, InputError) as e:
		return TierCost(name, tier.title, tier.currency, None, current=current, why_not=str(e))
	total = sum((inv.total for inv in invoices), ZERO)
	notes = (note, *notes) if note else notes
	return TierCost(name, tier.title, tier.currency, total, tuple(invoices), current, notes=notes)


def rate_months(
	contract: Contract,
	tiers: Mapping[str, Tier],
	months: Sequence[Month],
	usage: Mapping[Month, tuple[Sequence[TimeEntry], Sequence[Incident]]],
) -> tuple[list[Invoice], tuple[str, ...]]:
	"""The contract's invoices of ``months`` in order, each of its month's fee and usage, the hour bank
	drawn through them as the tier keeps it (docs/rules.md B2: used in time order within a period; what is
	left expires at the period's end, or is carried into the next where the tier carries over)."""
	tier = contract.effective_tier(tiers)
	bank = tier.hour_bank
	used: dict[str, int] = {}  # bank period → minutes used so far
	carried: dict[str, int] = {}  # bank period → minutes carried in
	left_of: dict[str, int] = {}  # bank period → minutes left after its last month so far
	last_period = None
	invoices, notes = [], []
	for year, month in months:
		entries, incidents = usage.get((year, month), ((), ()))
		if incidents and tier.incident is None:
			notes.append(
				f"{year}-{month:02d}: {len(incidents)} call-in(s) priced as work (no incident model)"
			)
			incidents = ()
		used_before = carried_in = 0
		if bank:
			period = bank.period_of(year, month)[2]
			if period != last_period and last_period is not None and bank.carry_over:
				carried.setdefault(period, left_of.get(last_period, 0))
			used_before, carried_in = used.get(period, 0), carried.get(period, 0)
		invoice = rate_month(
			contract,
			tiers,
			year,
			month,
			entries,
			incidents,
			bank_used_before=used_before,
			bank_carried_in=carried_in,
		)
		if bank:
			used[period] = used_before + (invoice.bank.used_minutes if invoice.bank else 0)
			left_of[period] = max(bank.minutes + carried_in - used[period], 0)
			last_period = period
		invoices.append(invoice)
	return invoices, tuple(notes)
